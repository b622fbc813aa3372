//! Governance-tunable parameters, with defaults and validation.
//!
//! [`ComputeParams`] implements `ModuleParams`: stored under
//! `compute/params`, read through `ComputeStateReadExt::compute_params`,
//! written at genesis and afterwards only by governance. The terms an order
//! was accepted under (platform share, challenge window, slash fraction)
//! are copied into the order at acceptance, so a later change never
//! alters a running order (docs/security.md rule 5).
//!
//! The window length is not a parameter: it is fixed in genesis
//! ([`crate::ComputeGenesis::window_ms`]), because window indices and the
//! expiry of every capacity token already minted are counted in it.

#[cfg(feature = "component")]
use fructus_component::ModuleParams;
use fructus_types::Amount;

use crate::ComputeError;

/// Basis points in one.
pub const BPS: u16 = 10_000;
/// Largest bond minimum (10^30 base units: far above any supply).
pub const MAX_BOND: u128 = 1_000_000_000_000_000_000_000_000_000_000;
/// Longest heartbeat interval (a day).
pub const MAX_HEARTBEAT_INTERVAL_MS: u64 = 86_400_000;
/// Shortest heartbeat interval (a second).
pub const MIN_HEARTBEAT_INTERVAL_MS: u64 = 1_000;
/// Longest challenge window, grace period or order duration (a year).
pub const MAX_PERIOD_MS: u64 = 31_536_000_000;
/// Most providers marked offline, or orders settled, per block.
pub const MAX_SWEEP_PER_BLOCK: u32 = 1_024;
/// Most open orders one provider may hold.
pub const MAX_OPEN_ORDERS: u32 = 64;
/// Most windows ahead capacity may be minted for.
pub const MAX_WINDOWS_AHEAD: u64 = 10_000;
/// Most energy one GPU-hour is counted at, Wh (100 kWh).
pub const MAX_WH_PER_GPU_HOUR: u64 = 100_000;
/// Wh in one REC (1 MWh).
pub const WH_PER_REC: u64 = 1_000_000;

/// Compute parameters (genesis `compute.params`; every field may be
/// omitted for its default).
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
pub struct ComputeParams {
    /// Least bond a provider posts, ufrx (1 … [`MAX_BOND`]; default
    /// 100 FRX). A provider slashed below it accepts no order until it
    /// adds bond.
    pub min_bond: Amount,
    /// A provider is online while its last heartbeat is less than this old,
    /// ms ([`MIN_HEARTBEAT_INTERVAL_MS`] … [`MAX_HEARTBEAT_INTERVAL_MS`];
    /// default 60 000).
    pub heartbeat_interval_ms: u64,
    /// Share of the bond slashed to the buyer when the provider is at
    /// fault, basis points (0 … 10 000; default 1 000 = 10 %).
    pub slash_bps: u16,
    /// Share of every payout to the platform (the fee collector), basis
    /// points (0 … 10 000 minus any maintainer share; default 100 = 1 %).
    pub platform_bps: u16,
    /// How long after a result the buyer may challenge it
    /// (challenge-window orders), ms (1 … [`MAX_PERIOD_MS`]; default an
    /// hour).
    pub challenge_window_ms: u64,
    /// How long an under-funded order stays paused for a top-up before it
    /// is closed and refunded, ms (1 … [`MAX_PERIOD_MS`]; default a day).
    pub grace_ms: u64,
    /// Longest time from posting to an order's deadline, ms (1 …
    /// [`MAX_PERIOD_MS`]; default 30 days).
    pub max_order_duration_ms: u64,
    /// How many windows ahead of the current one capacity may be minted (1
    /// … [`MAX_WINDOWS_AHEAD`]; default 168, a week of hourly windows).
    pub max_windows_ahead: u64,
    /// Most open (accepted, unsettled) orders per provider (1 …
    /// [`MAX_OPEN_ORDERS`]; default 16): what going offline fails at once.
    pub max_open_orders: u32,
    /// Most providers marked offline, and most orders settled, per block
    /// (1 … [`MAX_SWEEP_PER_BLOCK`]; default 64 each): a backlog waits for
    /// the next block.
    pub max_sweep_per_block: u32,
    /// Energy a GPU-hour is counted at for green orders, Wh (1 …
    /// [`MAX_WH_PER_GPU_HOUR`]; default 700, an H100 at full load): a green
    /// order retires `ceil(hours × wh_per_gpu_hour / 10⁶)` RECs (1 REC =
    /// 1 MWh) from the provider's holding when it completes.
    pub wh_per_gpu_hour: u64,
}

impl Default for ComputeParams {
    fn default() -> Self {
        ComputeParams {
            min_bond: Amount::new(100_000_000),
            heartbeat_interval_ms: 60_000,
            slash_bps: 1_000,
            platform_bps: 100,
            challenge_window_ms: 3_600_000,
            grace_ms: 86_400_000,
            max_order_duration_ms: 30 * 86_400_000,
            max_windows_ahead: 168,
            max_open_orders: 16,
            max_sweep_per_block: 64,
            wh_per_gpu_hour: 700,
        }
    }
}

#[cfg(feature = "component")]
impl ModuleParams for ComputeParams {
    const MODULE: &'static str = "compute";
    type Error = ComputeError;

    fn key() -> Vec<u8> {
        crate::state_key::params()
    }

    fn validate(&self) -> Result<(), ComputeError> {
        ComputeParams::validate(self)
    }
}

impl ComputeParams {
    /// Refuses unusable values, naming the field.
    pub fn validate(&self) -> Result<(), ComputeError> {
        let bad = |field: &str, why: String| ComputeError::Params {
            reason: format!("compute.params.{field}: {why}"),
        };
        if self.min_bond.is_zero() || self.min_bond.value() > MAX_BOND {
            return Err(bad("min_bond", "must be 1 to 10^30 ufrx".into()));
        }
        if !(MIN_HEARTBEAT_INTERVAL_MS..=MAX_HEARTBEAT_INTERVAL_MS)
            .contains(&self.heartbeat_interval_ms)
        {
            return Err(bad(
                "heartbeat_interval_ms",
                format!("must be {MIN_HEARTBEAT_INTERVAL_MS} to {MAX_HEARTBEAT_INTERVAL_MS}"),
            ));
        }
        for (field, v) in [
            ("slash_bps", self.slash_bps),
            ("platform_bps", self.platform_bps),
        ] {
            if v > BPS {
                return Err(bad(field, format!("must be at most {BPS} basis points")));
            }
        }
        for (field, v) in [
            ("challenge_window_ms", self.challenge_window_ms),
            ("grace_ms", self.grace_ms),
            ("max_order_duration_ms", self.max_order_duration_ms),
        ] {
            if v == 0 || v > MAX_PERIOD_MS {
                return Err(bad(field, format!("must be 1 to {MAX_PERIOD_MS} ms")));
            }
        }
        if self.max_windows_ahead == 0 || self.max_windows_ahead > MAX_WINDOWS_AHEAD {
            return Err(bad(
                "max_windows_ahead",
                format!("must be 1 to {MAX_WINDOWS_AHEAD}"),
            ));
        }
        if self.max_open_orders == 0 || self.max_open_orders > MAX_OPEN_ORDERS {
            return Err(bad(
                "max_open_orders",
                format!("must be 1 to {MAX_OPEN_ORDERS}"),
            ));
        }
        if self.max_sweep_per_block == 0 || self.max_sweep_per_block > MAX_SWEEP_PER_BLOCK {
            return Err(bad(
                "max_sweep_per_block",
                format!("must be 1 to {MAX_SWEEP_PER_BLOCK}"),
            ));
        }
        if self.wh_per_gpu_hour == 0 || self.wh_per_gpu_hour > MAX_WH_PER_GPU_HOUR {
            return Err(bad(
                "wh_per_gpu_hour",
                format!("must be 1 to {MAX_WH_PER_GPU_HOUR}"),
            ));
        }
        Ok(())
    }

    /// RECs covering `hours` GPU-hours: `ceil(hours × wh_per_gpu_hour /
    /// 10⁶)` (rounded up: a green claim never covers more energy than was
    /// retired for it).
    pub fn recs_for(&self, hours: u64) -> u64 {
        let wh = u128::from(hours).saturating_mul(u128::from(self.wh_per_gpu_hour));
        let recs = wh.div_ceil(u128::from(WH_PER_REC));
        u64::try_from(recs).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn defaults_validate_and_bad_values_name_their_field() {
        ComputeParams::default().validate().unwrap();
        let base = ComputeParams::default;
        for (p, field) in [
            (
                ComputeParams {
                    min_bond: Amount::ZERO,
                    ..base()
                },
                "min_bond",
            ),
            (
                ComputeParams {
                    heartbeat_interval_ms: 10,
                    ..base()
                },
                "heartbeat_interval_ms",
            ),
            (
                ComputeParams {
                    slash_bps: 10_001,
                    ..base()
                },
                "slash_bps",
            ),
            (
                ComputeParams {
                    grace_ms: 0,
                    ..base()
                },
                "grace_ms",
            ),
            (
                ComputeParams {
                    max_open_orders: 0,
                    ..base()
                },
                "max_open_orders",
            ),
            (
                ComputeParams {
                    max_sweep_per_block: MAX_SWEEP_PER_BLOCK + 1,
                    ..base()
                },
                "max_sweep_per_block",
            ),
        ] {
            let err = p.validate().unwrap_err().to_string();
            assert!(err.contains(field), "{err}");
        }
    }
}
