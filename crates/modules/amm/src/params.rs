//! Governance-tunable parameters, with defaults and validation.
//!
//! [`AmmParams`] implements [`ModuleParams`]: stored under `amm/params`,
//! read through [`crate::AmmStateReadExt::amm_params`] (defaults until
//! stored), written at genesis by `init_params` and afterwards only by
//! `fructus_component::update_params` (the governance module account).
//! A pool's fee is set when the pool is created (from its message or
//! `default_fee_bps`) and changes only through this path: an entry of
//! [`AmmParams::pool_fees`] overrides it from the next swap on.

#[cfg(feature = "component")]
use fructus_component::ModuleParams;

use crate::{
    AmmError,
    msg::{MAX_FEE_BPS, MIN_FEE_BPS},
};

/// One day in milliseconds.
const DAY_MS: u64 = 86_400_000;
/// Shortest TWAP retention: seven days (Osmosis keeps 48 h; a week covers
/// weekly settlement and lending windows).
pub const MIN_TWAP_RETENTION_MS: u64 = 7 * DAY_MS;
/// Longest TWAP retention: a year.
pub const MAX_TWAP_RETENTION_MS: u64 = 365 * DAY_MS;
/// Shortest spacing of two observations of one pool.
pub const MIN_OBSERVATION_INTERVAL_MS: u64 = 1_000;
/// Longest spacing of two observations of one pool (an hour).
pub const MAX_OBSERVATION_INTERVAL_MS: u64 = 3_600_000;
/// Most observations one pool keeps (its ring):
/// `twap_retention_ms / observation_interval_ms` may not exceed it.
pub const MAX_OBSERVATIONS_PER_POOL: u64 = 100_000;
/// Most observations pruned in one block.
pub const MAX_PRUNE_PER_BLOCK: u32 = 10_000;
/// Most pools whose fee governance overrides ([`AmmParams::pool_fees`]):
/// the list is read with the params by every swap, so it stays small.
pub const MAX_POOL_FEE_OVERRIDES: usize = 256;

/// A pool fee set by governance, replacing the one chosen at creation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(deny_unknown_fields)]
pub struct PoolFee {
    /// The pool.
    pub pool_id: u64,
    /// Its swap fee from now on, basis points ([`MIN_FEE_BPS`] …
    /// [`MAX_FEE_BPS`]).
    pub fee_bps: u16,
}

/// AMM parameters (genesis `amm.params`; every field may be omitted for
/// its default).
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
pub struct AmmParams {
    /// Swap fee of a pool created without one, basis points
    /// ([`MIN_FEE_BPS`] … [`MAX_FEE_BPS`]; default 30 = 0.30 %). The fee
    /// stays in the pool for its LPs, but for the protocol share.
    pub default_fee_bps: u16,
    /// Share of every swap fee paid to the protocol account
    /// ([`crate::protocol_account`]), basis points of the fee (0 … 10000;
    /// default 0).
    pub protocol_fee_share_bps: u16,
    /// How long a pool's price observations are kept, ms
    /// ([`MIN_TWAP_RETENTION_MS`] … [`MAX_TWAP_RETENTION_MS`]; default 7
    /// days): the longest window a TWAP query can cover fully.
    pub twap_retention_ms: u64,
    /// Least time between two observations of one pool, ms
    /// ([`MIN_OBSERVATION_INTERVAL_MS`] … [`MAX_OBSERVATION_INTERVAL_MS`];
    /// default 60 000): at most one observation per pool per interval, so a
    /// week is 10 080 observations whatever the block time.
    pub observation_interval_ms: u64,
    /// Most expired observations pruned per block (1 …
    /// [`MAX_PRUNE_PER_BLOCK`]; default 256): the end-of-block work is
    /// bounded, and a backlog is worked off over the next blocks.
    pub max_prune_per_block: u32,
    /// Fees governance set for particular pools, in increasing pool id, at
    /// most [`MAX_POOL_FEE_OVERRIDES`] (default none): a listed pool swaps
    /// at this fee instead of the one it was created with.
    pub pool_fees: Vec<PoolFee>,
}

impl Default for AmmParams {
    fn default() -> Self {
        AmmParams {
            default_fee_bps: 30,
            protocol_fee_share_bps: 0,
            twap_retention_ms: MIN_TWAP_RETENTION_MS,
            observation_interval_ms: 60_000,
            max_prune_per_block: 256,
            pool_fees: Vec::new(),
        }
    }
}

#[cfg(feature = "component")]
impl ModuleParams for AmmParams {
    const MODULE: &'static str = "amm";
    type Error = AmmError;

    fn key() -> Vec<u8> {
        crate::state_key::params()
    }

    fn validate(&self) -> Result<(), AmmError> {
        AmmParams::validate(self)
    }
}

impl AmmParams {
    /// Refuses unusable values, naming the field.
    pub fn validate(&self) -> Result<(), AmmError> {
        let bad = |field: &str, why: String| AmmError::Params {
            reason: format!("amm.params.{field}: {why}"),
        };
        if !(MIN_FEE_BPS..=MAX_FEE_BPS).contains(&self.default_fee_bps) {
            return Err(bad(
                "default_fee_bps",
                format!("must be {MIN_FEE_BPS} to {MAX_FEE_BPS} basis points"),
            ));
        }
        if self.protocol_fee_share_bps > 10_000 {
            return Err(bad(
                "protocol_fee_share_bps",
                "must be at most 10000 basis points".into(),
            ));
        }
        if !(MIN_TWAP_RETENTION_MS..=MAX_TWAP_RETENTION_MS).contains(&self.twap_retention_ms) {
            return Err(bad(
                "twap_retention_ms",
                format!(
                    "must be {MIN_TWAP_RETENTION_MS} (7 days) to {MAX_TWAP_RETENTION_MS} (365 days)"
                ),
            ));
        }
        if !(MIN_OBSERVATION_INTERVAL_MS..=MAX_OBSERVATION_INTERVAL_MS)
            .contains(&self.observation_interval_ms)
        {
            return Err(bad(
                "observation_interval_ms",
                format!("must be {MIN_OBSERVATION_INTERVAL_MS} to {MAX_OBSERVATION_INTERVAL_MS}"),
            ));
        }
        if self
            .twap_retention_ms
            .checked_div(self.observation_interval_ms)
            .is_none_or(|n| n > MAX_OBSERVATIONS_PER_POOL)
        {
            return Err(bad(
                "observation_interval_ms",
                format!(
                    "twap_retention_ms / observation_interval_ms must be at most {MAX_OBSERVATIONS_PER_POOL} (observations per pool)"
                ),
            ));
        }
        if self.max_prune_per_block == 0 || self.max_prune_per_block > MAX_PRUNE_PER_BLOCK {
            return Err(bad(
                "max_prune_per_block",
                format!("must be 1 to {MAX_PRUNE_PER_BLOCK}"),
            ));
        }
        if self.pool_fees.len() > MAX_POOL_FEE_OVERRIDES {
            return Err(bad(
                "pool_fees",
                format!("at most {MAX_POOL_FEE_OVERRIDES} pools"),
            ));
        }
        if self
            .pool_fees
            .windows(2)
            .any(|w| w[0].pool_id >= w[1].pool_id)
        {
            return Err(bad(
                "pool_fees",
                "list each pool once, in increasing pool id".into(),
            ));
        }
        if let Some(f) = self
            .pool_fees
            .iter()
            .find(|f| !(MIN_FEE_BPS..=MAX_FEE_BPS).contains(&f.fee_bps))
        {
            return Err(bad(
                "pool_fees",
                format!(
                    "pool {}: fee must be {MIN_FEE_BPS} to {MAX_FEE_BPS} basis points",
                    f.pool_id
                ),
            ));
        }
        Ok(())
    }

    /// The swap fee of `pool` now: governance's entry for it in
    /// [`Self::pool_fees`], else the fee it was created with.
    pub fn fee_of(&self, pool_id: u64, created_fee_bps: u16) -> u16 {
        self.pool_fees
            .binary_search_by_key(&pool_id, |f| f.pool_id)
            .ok()
            .and_then(|i| self.pool_fees.get(i))
            .map_or(created_fee_bps, |f| f.fee_bps)
    }

    /// Observations a pool keeps: those of the retention window, plus the
    /// one at or before its start (so a full window is always covered).
    pub fn ring_capacity(&self) -> u64 {
        self.twap_retention_ms
            .checked_div(self.observation_interval_ms)
            .unwrap_or(0)
            .saturating_add(2)
            .min(MAX_OBSERVATIONS_PER_POOL.saturating_add(2))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn defaults_validate_and_bad_values_name_their_field() {
        AmmParams::default().validate().unwrap();
        for (p, field) in [
            (
                AmmParams {
                    default_fee_bps: 0,
                    ..AmmParams::default()
                },
                "default_fee_bps",
            ),
            (
                AmmParams {
                    default_fee_bps: 1_001,
                    ..AmmParams::default()
                },
                "default_fee_bps",
            ),
            (
                AmmParams {
                    protocol_fee_share_bps: 10_001,
                    ..AmmParams::default()
                },
                "protocol_fee_share_bps",
            ),
            (
                AmmParams {
                    twap_retention_ms: DAY_MS,
                    ..AmmParams::default()
                },
                "twap_retention_ms",
            ),
            (
                AmmParams {
                    observation_interval_ms: 1_000,
                    twap_retention_ms: MAX_TWAP_RETENTION_MS,
                    ..AmmParams::default()
                },
                "observation_interval_ms",
            ),
            (
                AmmParams {
                    max_prune_per_block: 0,
                    ..AmmParams::default()
                },
                "max_prune_per_block",
            ),
        ] {
            let err = p.validate().unwrap_err().to_string();
            assert!(err.contains(field), "{err}");
        }
    }
}
