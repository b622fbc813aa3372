//! Governance-tunable parameters, with defaults and validation.
//!
//! [`CreditParams`] implements `ModuleParams`: stored under
//! `credit/params`, read through `CreditStateReadExt::credit_params`,
//! written at genesis by `init_params` and afterwards only by
//! `update_params` (the governance module account). The credit and quote
//! denoms are not params: they are fixed at genesis ([`crate::CreditGenesis`]).

#[cfg(feature = "component")]
use fructus_component::ModuleParams;
use fructus_types::Denom;

use crate::{
    CreditError, Grade, PriceSource,
    math::{BPS, MAX_AMOUNT, RAY},
};

/// Most collateral types.
pub const MAX_COLLATERALS: usize = 32;
/// Highest collateral ratio (1000 %).
pub const MAX_RATIO_BPS: u32 = 100_000;
/// Default `min_twap_coverage_bps`: half the oracle's TWAP window (30
/// minutes at its default hour) of price history before a price counts.
pub const DEFAULT_MIN_TWAP_COVERAGE_BPS: u32 = 5_000;
/// Highest haircut (90 %).
pub const MAX_HAIRCUT_BPS: u16 = 9_000;
/// Highest stability fee per block (RAY-scaled): 0.01 % per block.
pub const MAX_FEE_PER_BLOCK: u128 = RAY / 10_000;
/// Longest rating term (two years), ms.
pub const MAX_RATING_TERM_MS: u64 = 2 * 365 * 86_400_000;

/// One accepted collateral denom.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(deny_unknown_fields)]
pub struct CollateralType {
    /// The denom (`share/…`, `lp/…`, `cert/…`, a stablecoin, `ufrx`).
    pub denom: Denom,
    /// How it is priced in the quote denom.
    pub source: PriceSource,
    /// Share of its value not counted, basis points (0 …
    /// [`MAX_HAIRCUT_BPS`]).
    pub haircut_bps: u16,
    /// Most debt all its vaults together may carry (1 … 2^100).
    #[serde(with = "crate::types::u128_string")]
    pub debt_ceiling: u128,
}

/// Collateral ratios required to mint (and to withdraw), per grade,
/// basis points of the debt.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(deny_unknown_fields)]
pub struct RatioTable {
    /// AAA.
    pub aaa: u32,
    /// AA.
    pub aa: u32,
    /// A.
    pub a: u32,
    /// BBB.
    pub bbb: u32,
    /// BB.
    pub bb: u32,
    /// B.
    pub b: u32,
    /// CCC.
    pub ccc: u32,
    /// C.
    pub c: u32,
    /// No rating, or a lapsed or revoked one.
    pub unrated: u32,
}

impl RatioTable {
    /// The ratio for `grade` (`None` = unrated).
    pub fn of(&self, grade: Option<&Grade>) -> u32 {
        match grade {
            Some(Grade::Aaa) => self.aaa,
            Some(Grade::Aa) => self.aa,
            Some(Grade::A) => self.a,
            Some(Grade::Bbb) => self.bbb,
            Some(Grade::Bb) => self.bb,
            Some(Grade::B) => self.b,
            Some(Grade::Ccc) => self.ccc,
            Some(Grade::C) => self.c,
            None => self.unrated,
        }
    }

    fn in_order(&self) -> [u32; 9] {
        [
            self.aaa,
            self.aa,
            self.a,
            self.bbb,
            self.bb,
            self.b,
            self.ccc,
            self.c,
            self.unrated,
        ]
    }
}

/// Credit parameters (genesis `credit.params`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(deny_unknown_fields, default)]
pub struct CreditParams {
    /// Accepted collateral, each denom once (at most [`MAX_COLLATERALS`];
    /// default none).
    pub collaterals: Vec<CollateralType>,
    /// Ratio required to mint and withdraw, per grade; each at least
    /// `liquidation_ratio_bps`, at most [`MAX_RATIO_BPS`], never lower for
    /// a worse grade, and `unrated` the highest (default AAA 120 %, AA
    /// 130 %, A 140 %, BBB 150 %, BB 175 %, B 200 %, CCC and C 225 %,
    /// unrated 250 %).
    pub required_ratio_bps: RatioTable,
    /// Below this ratio anyone may liquidate (≥ 100 %; default 110 %).
    pub liquidation_ratio_bps: u32,
    /// Stability fee per block, 10^27-scaled (0 … [`MAX_FEE_PER_BLOCK`];
    /// default 10^18, 10^-9 per block ≈ 3.2 % a year at one block a
    /// second).
    #[serde(with = "crate::types::u128_string")]
    pub fee_per_block: u128,
    /// Penalty on a liquidated vault's debt, paid to the surplus buffer
    /// (0 … 5000 bps; default 1300).
    pub liquidation_penalty_bps: u32,
    /// Auction start price, basis points of the oracle price at the start
    /// (10000 … 20000; default 11000).
    pub auction_start_bps: u32,
    /// How fast the auction price falls, basis points of the start price
    /// per minute (1 … 10000; default 100).
    pub auction_decay_bps_per_minute: u32,
    /// The auction price never falls below this share of the start price
    /// (1 … 10000 bps; default 5000).
    pub auction_floor_bps: u32,
    /// Refuse minting, withdrawing and liquidating when the price differs
    /// from its TWAP by more than this, basis points (1 … 10000; default
    /// 1000).
    pub max_twap_deviation_bps: u32,
    /// Refuse minting, withdrawing and liquidating while a price's TWAP
    /// covers less than this share of the oracle's `twap_window_ms`, bps
    /// (0 … 10000, 0 = no minimum; default 5000). Right after a pair's
    /// first price its TWAP is little more than that price, and
    /// `max_twap_deviation_bps` guards nothing until the pair has history.
    pub min_twap_coverage_bps: u32,
}

impl Default for CreditParams {
    fn default() -> Self {
        CreditParams {
            collaterals: Vec::new(),
            required_ratio_bps: RatioTable {
                aaa: 12_000,
                aa: 13_000,
                a: 14_000,
                bbb: 15_000,
                bb: 17_500,
                b: 20_000,
                ccc: 22_500,
                c: 22_500,
                unrated: 25_000,
            },
            liquidation_ratio_bps: 11_000,
            fee_per_block: 1_000_000_000_000_000_000,
            liquidation_penalty_bps: 1_300,
            auction_start_bps: 11_000,
            auction_decay_bps_per_minute: 100,
            auction_floor_bps: 5_000,
            max_twap_deviation_bps: 1_000,
            min_twap_coverage_bps: DEFAULT_MIN_TWAP_COVERAGE_BPS,
        }
    }
}

#[cfg(feature = "component")]
impl ModuleParams for CreditParams {
    const MODULE: &'static str = "credit";
    type Error = CreditError;

    fn key() -> Vec<u8> {
        crate::state_key::params()
    }

    fn validate(&self) -> Result<(), CreditError> {
        CreditParams::validate(self)
    }
}

impl CreditParams {
    /// Refuses unusable values, naming the field.
    pub fn validate(&self) -> Result<(), CreditError> {
        let bad = |field: &str, why: String| CreditError::Params {
            reason: format!("credit.params.{field}: {why}"),
        };
        if self.collaterals.len() > MAX_COLLATERALS {
            return Err(bad("collaterals", format!("at most {MAX_COLLATERALS}")));
        }
        for (i, c) in self.collaterals.iter().enumerate() {
            if self.collaterals.iter().take(i).any(|d| d.denom == c.denom) {
                return Err(bad("collaterals", format!("{} is listed twice", c.denom)));
            }
            if c.haircut_bps > MAX_HAIRCUT_BPS {
                return Err(bad(
                    "collaterals",
                    format!("{}: haircut_bps must be at most {MAX_HAIRCUT_BPS}", c.denom),
                ));
            }
            if c.debt_ceiling == 0 || c.debt_ceiling > MAX_AMOUNT {
                return Err(bad(
                    "collaterals",
                    format!("{}: debt_ceiling must be 1 to 2^100", c.denom),
                ));
            }
        }
        let liq = self.liquidation_ratio_bps;
        if !(10_000..=MAX_RATIO_BPS).contains(&liq) {
            return Err(bad(
                "liquidation_ratio_bps",
                format!("must be 10000 to {MAX_RATIO_BPS}"),
            ));
        }
        let ratios = self.required_ratio_bps.in_order();
        if ratios.iter().any(|r| *r < liq || *r > MAX_RATIO_BPS)
            || ratios.windows(2).any(|w| w[0] > w[1])
        {
            return Err(bad(
                "required_ratio_bps",
                format!(
                    "each must be liquidation_ratio_bps to {MAX_RATIO_BPS}, never lower for a worse grade, unrated the highest"
                ),
            ));
        }
        if self.fee_per_block > MAX_FEE_PER_BLOCK {
            return Err(bad(
                "fee_per_block",
                "must be at most 10^23 (0.01 % per block)".into(),
            ));
        }
        if self.liquidation_penalty_bps > 5_000 {
            return Err(bad(
                "liquidation_penalty_bps",
                "must be at most 5000".into(),
            ));
        }
        if !(10_000..=20_000).contains(&self.auction_start_bps) {
            return Err(bad("auction_start_bps", "must be 10000 to 20000".into()));
        }
        let bps = u32::try_from(BPS).unwrap_or(u32::MAX);
        if !(1..=bps).contains(&self.auction_decay_bps_per_minute) {
            return Err(bad(
                "auction_decay_bps_per_minute",
                "must be 1 to 10000".into(),
            ));
        }
        if !(1..=bps).contains(&self.auction_floor_bps) {
            return Err(bad("auction_floor_bps", "must be 1 to 10000".into()));
        }
        if !(1..=bps).contains(&self.max_twap_deviation_bps) {
            return Err(bad("max_twap_deviation_bps", "must be 1 to 10000".into()));
        }
        if self.min_twap_coverage_bps > bps {
            return Err(bad("min_twap_coverage_bps", "must be 0 to 10000".into()));
        }
        Ok(())
    }

    /// The collateral type of `denom`, if accepted.
    pub fn collateral(&self, denom: &Denom) -> Option<&CollateralType> {
        self.collaterals.iter().find(|c| c.denom == *denom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn credit_defaults_validate_and_bad_values_name_their_field() {
        CreditParams::default().validate().unwrap();
        let d = CreditParams::default;
        let mut unordered = d();
        unordered.required_ratio_bps.aaa = 30_000;
        for (p, field) in [
            (unordered, "required_ratio_bps"),
            (
                CreditParams {
                    liquidation_ratio_bps: 9_000,
                    ..d()
                },
                "liquidation_ratio_bps",
            ),
            (
                CreditParams {
                    fee_per_block: RAY,
                    ..d()
                },
                "fee_per_block",
            ),
            (
                CreditParams {
                    auction_floor_bps: 0,
                    ..d()
                },
                "auction_floor_bps",
            ),
            (
                CreditParams {
                    auction_start_bps: 9_000,
                    ..d()
                },
                "auction_start_bps",
            ),
            (
                CreditParams {
                    collaterals: vec![CollateralType {
                        denom: "ufrx".parse().unwrap(),
                        source: PriceSource::Oracle,
                        haircut_bps: 0,
                        debt_ceiling: 0,
                    }],
                    ..d()
                },
                "collaterals",
            ),
        ] {
            let err = p.validate().unwrap_err().to_string();
            assert!(err.contains(field), "{err}");
        }
    }
}
