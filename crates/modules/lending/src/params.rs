//! Governance-tunable parameters, with defaults and validation.
//!
//! [`LendingParams`] implements `ModuleParams`: stored under
//! `lending/params`, read through `LendingStateReadExt::lending_params`,
//! written at genesis by `init_params` and afterwards only by
//! `update_params` (the governance module account). The quote denom is not
//! a param: it is fixed at genesis ([`crate::LendingGenesis`]).

#[cfg(feature = "component")]
use fructus_component::ModuleParams;
use fructus_types::Denom;

use crate::{
    LendingError,
    math::{BPS, Curve},
};

/// Most listed markets (each account's borrows are bounded by it).
pub const MAX_MARKETS: usize = 16;
/// Most collateral types (each account's pledges are bounded by it).
pub const MAX_COLLATERALS: usize = 16;
/// Highest rate a curve may reach at full utilization: 1000 % a year.
pub const MAX_RATE_BPS: u32 = 100_000;
/// Highest collateral factor (90 %).
pub const MAX_COLLATERAL_FACTOR_BPS: u32 = 9_000;
/// Highest liquidation incentive (30 %).
pub const MAX_INCENTIVE_BPS: u32 = 3_000;
/// Longest NFT loan term any params may allow (ten years), ms.
pub const MAX_NFT_TERM_MS: u64 = 10 * 365 * 86_400_000;
/// Shortest NFT loan term (one minute), ms.
pub const MIN_NFT_TERM_MS: u64 = 60_000;
/// Highest NFT loan rate a lender may offer (1000 % a year).
pub const MAX_NFT_RATE_BPS: u32 = 100_000;
/// Default `min_twap_coverage_bps`: half the oracle's TWAP window (30
/// minutes at its default hour) of price history before a price counts.
pub const DEFAULT_MIN_TWAP_COVERAGE_BPS: u32 = 5_000;

/// One listed pool.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct MarketParams {
    /// The denom lent and borrowed (its deposit token is `lend/<denom>`).
    #[schema(value_type = String)]
    pub denom: Denom,
    /// Yearly borrow rate at zero utilization, bps.
    pub base_rate_bps: u32,
    /// Rise of the yearly rate from zero utilization to the kink, bps.
    pub slope1_bps: u32,
    /// Utilization where the second slope starts, bps (1 … 9999).
    pub kink_bps: u32,
    /// Rise of the yearly rate from the kink to full utilization, bps.
    pub slope2_bps: u32,
    /// Share of interest owed to the reserve account, bps (0 … 5000).
    pub reserve_factor_bps: u32,
}

impl MarketParams {
    /// Its rate curve.
    pub fn curve(&self) -> Curve {
        Curve {
            base_bps: self.base_rate_bps,
            slope1_bps: self.slope1_bps,
            kink_bps: self.kink_bps,
            slope2_bps: self.slope2_bps,
        }
    }
}

/// One accepted collateral denom and its factor.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct CollateralParams {
    /// The denom pledged.
    #[schema(value_type = String)]
    pub denom: Denom,
    /// Share of its oracle value that may be borrowed against, bps (1 …
    /// [`MAX_COLLATERAL_FACTOR_BPS`]).
    pub factor_bps: u32,
}

/// Lending parameters (genesis `lending.params`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    utoipa::ToSchema,
)]
#[serde(deny_unknown_fields, default)]
pub struct LendingParams {
    /// Listed pools, each denom once (at most [`MAX_MARKETS`]; default
    /// none). A market governance delists keeps its positions: they can
    /// repay, redeem and be liquidated, but nobody can deposit or borrow.
    pub markets: Vec<MarketParams>,
    /// Accepted collateral, each denom once (at most [`MAX_COLLATERALS`];
    /// default none). A delisted collateral counts for nothing.
    pub collaterals: Vec<CollateralParams>,
    /// Most of one market's debt a single liquidation may repay, bps (1 …
    /// 10000; default 5000).
    pub close_factor_bps: u32,
    /// Extra collateral value a liquidator seizes over what it repays, bps
    /// (0 … [`MAX_INCENTIVE_BPS`]; default 800).
    pub liquidation_incentive_bps: u32,
    /// Refuse borrowing, unpledging and liquidating when a price differs
    /// from its TWAP by more than this, bps (1 … 10000; default 1000).
    pub max_twap_deviation_bps: u32,
    /// Longest NFT loan term a lender may offer, ms ([`MIN_NFT_TERM_MS`] …
    /// [`MAX_NFT_TERM_MS`]; default one year).
    pub max_nft_term_ms: u64,
    /// Refuse borrowing, unpledging and liquidating while a price's TWAP
    /// covers less than this share of the oracle's `twap_window_ms`, bps
    /// (0 … 10000, 0 = no minimum; default 5000). Right after a pair's
    /// first price its TWAP is little more than that price, and
    /// `max_twap_deviation_bps` guards nothing until the pair has history.
    pub min_twap_coverage_bps: u32,
}

impl Default for LendingParams {
    fn default() -> Self {
        LendingParams {
            markets: Vec::new(),
            collaterals: Vec::new(),
            close_factor_bps: 5_000,
            liquidation_incentive_bps: 800,
            max_twap_deviation_bps: 1_000,
            max_nft_term_ms: 365 * 86_400_000,
            min_twap_coverage_bps: DEFAULT_MIN_TWAP_COVERAGE_BPS,
        }
    }
}

#[cfg(feature = "component")]
impl ModuleParams for LendingParams {
    const MODULE: &'static str = "lending";
    type Error = LendingError;

    fn key() -> Vec<u8> {
        crate::state_key::params()
    }

    fn validate(&self) -> Result<(), LendingError> {
        LendingParams::validate(self)
    }
}

impl LendingParams {
    /// Refuses unusable values, naming the field.
    pub fn validate(&self) -> Result<(), LendingError> {
        let bad = |field: &str, why: String| LendingError::Params {
            reason: format!("lending.params.{field}: {why}"),
        };
        let bps = u32::try_from(BPS).unwrap_or(u32::MAX);
        if self.markets.len() > MAX_MARKETS {
            return Err(bad("markets", format!("at most {MAX_MARKETS}")));
        }
        for (i, m) in self.markets.iter().enumerate() {
            if self.markets.iter().take(i).any(|n| n.denom == m.denom) {
                return Err(bad("markets", format!("{} is listed twice", m.denom)));
            }
            if crate::lend_denom(&m.denom).is_none() {
                return Err(bad(
                    "markets",
                    format!(
                        "{}: lend/{} is not a valid denom (too long?)",
                        m.denom, m.denom
                    ),
                ));
            }
            if m.denom.as_str().starts_with("lend/") {
                return Err(bad(
                    "markets",
                    format!("{}: a deposit token cannot have a pool", m.denom),
                ));
            }
            if !(1..bps).contains(&m.kink_bps) {
                return Err(bad(
                    "markets",
                    format!("{}: kink_bps must be 1 to 9999", m.denom),
                ));
            }
            let top = u64::from(m.base_rate_bps)
                .saturating_add(u64::from(m.slope1_bps))
                .saturating_add(u64::from(m.slope2_bps));
            if top > u64::from(MAX_RATE_BPS) {
                return Err(bad(
                    "markets",
                    format!(
                        "{}: base_rate_bps + slope1_bps + slope2_bps must be at most {MAX_RATE_BPS}",
                        m.denom
                    ),
                ));
            }
            if m.reserve_factor_bps > 5_000 {
                return Err(bad(
                    "markets",
                    format!("{}: reserve_factor_bps must be at most 5000", m.denom),
                ));
            }
        }
        if self.collaterals.len() > MAX_COLLATERALS {
            return Err(bad("collaterals", format!("at most {MAX_COLLATERALS}")));
        }
        for (i, c) in self.collaterals.iter().enumerate() {
            if self.collaterals.iter().take(i).any(|d| d.denom == c.denom) {
                return Err(bad("collaterals", format!("{} is listed twice", c.denom)));
            }
            if !(1..=MAX_COLLATERAL_FACTOR_BPS).contains(&c.factor_bps) {
                return Err(bad(
                    "collaterals",
                    format!(
                        "{}: factor_bps must be 1 to {MAX_COLLATERAL_FACTOR_BPS}",
                        c.denom
                    ),
                ));
            }
        }
        if !(1..=bps).contains(&self.close_factor_bps) {
            return Err(bad("close_factor_bps", "must be 1 to 10000".into()));
        }
        if self.liquidation_incentive_bps > MAX_INCENTIVE_BPS {
            return Err(bad(
                "liquidation_incentive_bps",
                format!("must be at most {MAX_INCENTIVE_BPS}"),
            ));
        }
        if !(1..=bps).contains(&self.max_twap_deviation_bps) {
            return Err(bad("max_twap_deviation_bps", "must be 1 to 10000".into()));
        }
        if self.min_twap_coverage_bps > bps {
            return Err(bad("min_twap_coverage_bps", "must be 0 to 10000".into()));
        }
        if !(MIN_NFT_TERM_MS..=MAX_NFT_TERM_MS).contains(&self.max_nft_term_ms) {
            return Err(bad(
                "max_nft_term_ms",
                format!("must be {MIN_NFT_TERM_MS} to {MAX_NFT_TERM_MS}"),
            ));
        }
        Ok(())
    }

    /// The listed market of `denom`.
    pub fn market(&self, denom: &Denom) -> Option<&MarketParams> {
        self.markets.iter().find(|m| m.denom == *denom)
    }

    /// The collateral factor of `denom` (0 when not accepted).
    pub fn factor(&self, denom: &Denom) -> u32 {
        self.collaterals
            .iter()
            .find(|c| c.denom == *denom)
            .map_or(0, |c| c.factor_bps)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn market() -> MarketParams {
        MarketParams {
            denom: "uusd".parse().unwrap(),
            base_rate_bps: 200,
            slope1_bps: 400,
            kink_bps: 8_000,
            slope2_bps: 6_000,
            reserve_factor_bps: 1_000,
        }
    }

    #[test]
    fn lending_defaults_validate_and_bad_values_name_their_field() {
        LendingParams::default().validate().unwrap();
        let d = LendingParams::default;
        for (p, field) in [
            (
                LendingParams {
                    markets: vec![MarketParams {
                        kink_bps: 10_000,
                        ..market()
                    }],
                    ..d()
                },
                "markets",
            ),
            (
                LendingParams {
                    markets: vec![MarketParams {
                        slope2_bps: MAX_RATE_BPS,
                        ..market()
                    }],
                    ..d()
                },
                "markets",
            ),
            (
                LendingParams {
                    markets: vec![market(), market()],
                    ..d()
                },
                "markets",
            ),
            (
                LendingParams {
                    collaterals: vec![CollateralParams {
                        denom: "ufrx".parse().unwrap(),
                        factor_bps: 9_500,
                    }],
                    ..d()
                },
                "collaterals",
            ),
            (
                LendingParams {
                    close_factor_bps: 0,
                    ..d()
                },
                "close_factor_bps",
            ),
            (
                LendingParams {
                    liquidation_incentive_bps: 5_000,
                    ..d()
                },
                "liquidation_incentive_bps",
            ),
            (
                LendingParams {
                    max_nft_term_ms: 1,
                    ..d()
                },
                "max_nft_term_ms",
            ),
        ] {
            let err = p.validate().unwrap_err().to_string();
            assert!(err.contains(field), "{err}");
        }
    }
}
