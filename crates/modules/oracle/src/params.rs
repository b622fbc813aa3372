//! Governance-tunable parameters, with defaults and validation.
//!
//! [`OracleParams`] implements `ModuleParams`: stored under
//! `oracle/params`, read through `OracleStateReadExt::oracle_params`,
//! written at genesis by `init_params` and afterwards only by
//! `update_params` (the governance module account).

#[cfg(feature = "component")]
use fructus_component::ModuleParams;
use fructus_types::Denom;

use crate::OracleError;

/// Most feeders, active and pending together.
pub const MAX_FEEDERS: usize = 32;
/// Most pairs the oracle tracks.
pub const MAX_PAIRS: u64 = 256;
/// Most AMM fallbacks.
pub const MAX_FALLBACKS: usize = 64;
/// Most TWAP points a pair keeps.
pub const MAX_POINTS: u64 = 64;
/// Shortest window, ms.
pub const MIN_WINDOW_MS: u64 = 1_000;
/// Longest window (an hour), ms.
pub const MAX_WINDOW_MS: u64 = 3_600_000;
/// Longest feeder delay (30 days), ms.
pub const MAX_FEEDER_DELAY_MS: u64 = 30 * 86_400_000;
/// Shortest AMM fallback TWAP window (30 minutes), ms: the manipulation
/// bound of the crate docs needs the pool held off-market this long.
pub const MIN_FALLBACK_WINDOW_MS: u64 = 1_800_000;
/// Longest AMM fallback TWAP window (7 days, the AMM's shortest retention).
pub const MAX_FALLBACK_WINDOW_MS: u64 = 7 * 86_400_000;

/// An AMM pool named as the fallback source of a pair.
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
pub struct AmmFallback {
    /// The priced denom.
    pub base: Denom,
    /// The denom it is priced in.
    pub quote: Denom,
    /// The pool of the two (checked when used: a pool that does not hold
    /// both gives no price).
    pub pool_id: u64,
}

/// Oracle parameters (genesis `oracle.params`; every field may be omitted
/// for its default).
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
pub struct OracleParams {
    /// Posts of distinct active feeders in the current window needed for a
    /// median (1 … [`MAX_FEEDERS`]; default 1).
    pub min_feeders: u32,
    /// Length of a price window, ms ([`MIN_WINDOW_MS`] … [`MAX_WINDOW_MS`];
    /// default 60 000).
    pub window_ms: u64,
    /// A price older than this is stale, ms (at least `window_ms`, at most
    /// `twap_window_ms`; default 300 000).
    pub max_age_ms: u64,
    /// The TWAP's window, ms (`window_ms` … `window_ms ·`
    /// ([`MAX_POINTS`] − 2); default 3 600 000).
    pub twap_window_ms: u64,
    /// Delay before a feeder accreditation or revocation counts, ms (0 …
    /// [`MAX_FEEDER_DELAY_MS`]; default 600 000).
    pub feeder_delay_ms: u64,
    /// AMM pools that price a pair when its feeders' price is stale (at
    /// most [`MAX_FALLBACKS`], one per pair; default none).
    pub amm_fallbacks: Vec<AmmFallback>,
    /// The fallback TWAP window, ms ([`MIN_FALLBACK_WINDOW_MS`] …
    /// [`MAX_FALLBACK_WINDOW_MS`]; default 3 600 000).
    pub fallback_window_ms: u64,
    /// Least reserve of the quote denom a fallback pool must hold (≥ 1;
    /// default 10^12 base units).
    pub fallback_min_quote_reserve: u128,
}

impl Default for OracleParams {
    fn default() -> Self {
        OracleParams {
            min_feeders: 1,
            window_ms: 60_000,
            max_age_ms: 300_000,
            twap_window_ms: 3_600_000,
            feeder_delay_ms: 600_000,
            amm_fallbacks: Vec::new(),
            fallback_window_ms: 3_600_000,
            fallback_min_quote_reserve: 1_000_000_000_000,
        }
    }
}

#[cfg(feature = "component")]
impl ModuleParams for OracleParams {
    const MODULE: &'static str = "oracle";
    type Error = OracleError;

    fn key() -> Vec<u8> {
        crate::state_key::params()
    }

    fn validate(&self) -> Result<(), OracleError> {
        OracleParams::validate(self)
    }
}

impl OracleParams {
    /// Refuses unusable values, naming the field.
    pub fn validate(&self) -> Result<(), OracleError> {
        let bad = |field: &str, why: String| OracleError::Params {
            reason: format!("oracle.params.{field}: {why}"),
        };
        let max_feeders = u32::try_from(MAX_FEEDERS).unwrap_or(u32::MAX);
        if self.min_feeders == 0 || self.min_feeders > max_feeders {
            return Err(bad("min_feeders", format!("must be 1 to {MAX_FEEDERS}")));
        }
        if !(MIN_WINDOW_MS..=MAX_WINDOW_MS).contains(&self.window_ms) {
            return Err(bad(
                "window_ms",
                format!("must be {MIN_WINDOW_MS} to {MAX_WINDOW_MS}"),
            ));
        }
        let max_twap = self.window_ms.saturating_mul(MAX_POINTS.saturating_sub(2));
        if self.twap_window_ms < self.window_ms || self.twap_window_ms > max_twap {
            return Err(bad(
                "twap_window_ms",
                format!(
                    "must be window_ms to window_ms × {} ({max_twap})",
                    MAX_POINTS.saturating_sub(2)
                ),
            ));
        }
        if self.max_age_ms < self.window_ms || self.max_age_ms > self.twap_window_ms {
            return Err(bad(
                "max_age_ms",
                "must be window_ms to twap_window_ms".into(),
            ));
        }
        if self.feeder_delay_ms > MAX_FEEDER_DELAY_MS {
            return Err(bad(
                "feeder_delay_ms",
                format!("must be at most {MAX_FEEDER_DELAY_MS} (30 days)"),
            ));
        }
        if self.amm_fallbacks.len() > MAX_FALLBACKS {
            return Err(bad("amm_fallbacks", format!("at most {MAX_FALLBACKS}")));
        }
        for (i, f) in self.amm_fallbacks.iter().enumerate() {
            if f.base == f.quote || f.pool_id == 0 {
                return Err(bad(
                    "amm_fallbacks",
                    format!("entry {i}: two different denoms and a pool id from 1"),
                ));
            }
            if self
                .amm_fallbacks
                .iter()
                .take(i)
                .any(|g| g.base == f.base && g.quote == f.quote)
            {
                return Err(bad(
                    "amm_fallbacks",
                    format!("{}:{} is listed twice", f.base, f.quote),
                ));
            }
        }
        if !(MIN_FALLBACK_WINDOW_MS..=MAX_FALLBACK_WINDOW_MS).contains(&self.fallback_window_ms) {
            return Err(bad(
                "fallback_window_ms",
                format!(
                    "must be {MIN_FALLBACK_WINDOW_MS} (30 min) to {MAX_FALLBACK_WINDOW_MS} (7 days)"
                ),
            ));
        }
        if self.fallback_min_quote_reserve == 0 {
            return Err(bad("fallback_min_quote_reserve", "must be positive".into()));
        }
        Ok(())
    }

    /// TWAP points a pair keeps: the window's plus one before it, plus the
    /// current.
    pub fn point_capacity(&self) -> usize {
        let n = self
            .twap_window_ms
            .checked_div(self.window_ms)
            .unwrap_or(0)
            .saturating_add(2)
            .min(MAX_POINTS);
        usize::try_from(n).unwrap_or(usize::MAX)
    }

    /// The fallback pool of a pair, if governance named one.
    pub fn fallback_of(&self, base: &Denom, quote: &Denom) -> Option<u64> {
        self.amm_fallbacks
            .iter()
            .find(|f| f.base == *base && f.quote == *quote)
            .map(|f| f.pool_id)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn oracle_defaults_validate_and_bad_values_name_their_field() {
        OracleParams::default().validate().unwrap();
        let d = OracleParams::default;
        for (p, field) in [
            (
                OracleParams {
                    min_feeders: 0,
                    ..d()
                },
                "min_feeders",
            ),
            (
                OracleParams {
                    window_ms: 10,
                    ..d()
                },
                "window_ms",
            ),
            (
                OracleParams {
                    twap_window_ms: 60_000 * 100,
                    ..d()
                },
                "twap_window_ms",
            ),
            (
                OracleParams {
                    max_age_ms: 1,
                    ..d()
                },
                "max_age_ms",
            ),
            (
                OracleParams {
                    feeder_delay_ms: u64::MAX,
                    ..d()
                },
                "feeder_delay_ms",
            ),
            (
                OracleParams {
                    fallback_window_ms: 60_000,
                    ..d()
                },
                "fallback_window_ms",
            ),
            (
                OracleParams {
                    fallback_min_quote_reserve: 0,
                    ..d()
                },
                "fallback_min_quote_reserve",
            ),
            (
                OracleParams {
                    amm_fallbacks: vec![AmmFallback {
                        base: "ua".parse().unwrap(),
                        quote: "ua".parse().unwrap(),
                        pool_id: 1,
                    }],
                    ..d()
                },
                "amm_fallbacks",
            ),
        ] {
            let err = p.validate().unwrap_err().to_string();
            assert!(err.contains(field), "{err}");
        }
    }
}
