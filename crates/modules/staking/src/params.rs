//! Governance-tunable parameters, with defaults and validation.

use fructus_component::ModuleParams;

use crate::{BPS, MAX_VALIDATORS, StakingError, TOTAL_POWER, state_key};

/// Staking parameters, governance-tunable through
/// [`fructus_component::update_params`] (genesis `staking.params`; every
/// field may be omitted for its default).
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
pub struct StakingParams {
    /// Blocks an unbonding entry waits before its tokens return.
    pub unbonding_blocks: u64,
    /// Size of the active set.
    pub max_validators: u32,
    /// Share of the total voting power that regulators' validators hold
    /// together, basis points.
    pub super_node_share_bps: u16,
    /// `ufrx` minted into the fee collector every block that has an active
    /// set, then distributed with the fees (0 = no inflation).
    pub inflation_per_block: u128,
    /// Length of the downtime window, blocks.
    pub signed_blocks_window: u64,
    /// Share of the window a validator must sign, basis points; missing
    /// more than `window − ceil(window·min_signed_bps/10000)` blocks jails.
    pub min_signed_bps: u16,
    /// Share of bonded (and, after the infraction, unbonding) stake burned
    /// for double signing, basis points.
    pub slash_fraction_double_sign_bps: u16,
    /// Share of bonded stake burned for downtime, basis points.
    pub slash_fraction_downtime_bps: u16,
    /// Blocks a downtime jail lasts.
    pub jail_blocks: u64,
    /// Blocks a validator's voting power takes to move from its old to its
    /// new value (a join, a bond change, the first enterprise's share):
    /// each block moves at most `TOTAL_POWER / power_ramp_blocks` of power
    /// between validators (see [`crate::power::ramp`]). 0 = changes apply
    /// at once (test chains only). Otherwise at least
    /// `3 · (signed_blocks_window + 2)`, so that a validator whose node
    /// never starts is jailed for downtime while its power is still under
    /// 1/3 (see docs/security.md), and at most [`MAX_POWER_RAMP_BLOCKS`].
    pub power_ramp_blocks: u64,
    /// Share of every block's fees (not of inflation) paid to the
    /// community pool ([`crate::community_pool`]) before the rest goes to
    /// the validators, basis points (0 … 10000; default 200 = 2 %).
    pub community_pool_share_bps: u16,
}

impl Default for StakingParams {
    fn default() -> Self {
        StakingParams {
            unbonding_blocks: 100_000,
            max_validators: 50,
            super_node_share_bps: 3_400,
            inflation_per_block: 0,
            signed_blocks_window: 1_000,
            min_signed_bps: 5_000,
            slash_fraction_double_sign_bps: 500,
            slash_fraction_downtime_bps: 10,
            jail_blocks: 600,
            power_ramp_blocks: 3_100,
            community_pool_share_bps: 200,
        }
    }
}

/// Largest downtime window (bounds the work of one jailing reset).
pub const MAX_SIGNED_BLOCKS_WINDOW: u64 = 100_000;

/// Longest power ramp: keeps each block's move `TOTAL_POWER / blocks ≥
/// 1,000` units, more than the 2 · [`MAX_VALIDATORS`] members a ramping set
/// can have, so every block makes progress despite rounding.
pub const MAX_POWER_RAMP_BLOCKS: u64 = 1_000_000;

impl ModuleParams for StakingParams {
    const MODULE: &'static str = "staking";
    type Error = StakingError;

    fn key() -> Vec<u8> {
        state_key::params()
    }

    /// Refuses unusable values, naming the field.
    fn validate(&self) -> Result<(), StakingError> {
        let bad = |field: &str, why: &str| StakingError::InvalidParams {
            reason: format!("staking.params.{field}: {why}"),
        };
        if self.unbonding_blocks == 0 {
            return Err(bad("unbonding_blocks", "must be at least 1"));
        }
        let max = u32::try_from(MAX_VALIDATORS).unwrap_or(u32::MAX);
        if self.max_validators == 0 || self.max_validators > max {
            return Err(bad("max_validators", &format!("must be 1 to {max}")));
        }
        for (field, v) in [
            ("super_node_share_bps", self.super_node_share_bps),
            ("min_signed_bps", self.min_signed_bps),
            (
                "slash_fraction_double_sign_bps",
                self.slash_fraction_double_sign_bps,
            ),
            (
                "slash_fraction_downtime_bps",
                self.slash_fraction_downtime_bps,
            ),
            ("community_pool_share_bps", self.community_pool_share_bps),
        ] {
            if u128::from(v) > BPS {
                return Err(bad(field, "must be at most 10000 basis points"));
            }
        }
        if self.signed_blocks_window == 0 || self.signed_blocks_window > MAX_SIGNED_BLOCKS_WINDOW {
            return Err(bad(
                "signed_blocks_window",
                &format!("must be 1 to {MAX_SIGNED_BLOCKS_WINDOW}"),
            ));
        }
        if self.jail_blocks == 0 {
            return Err(bad("jail_blocks", "must be at least 1"));
        }
        if self.power_ramp_blocks != 0 {
            let min = self
                .signed_blocks_window
                .saturating_add(2)
                .saturating_mul(3);
            if self.power_ramp_blocks < min || self.power_ramp_blocks > MAX_POWER_RAMP_BLOCKS {
                return Err(bad(
                    "power_ramp_blocks",
                    &format!(
                        "must be 0 (no ramp) or {min} (3 · (signed_blocks_window + 2)) to {MAX_POWER_RAMP_BLOCKS}"
                    ),
                ));
            }
            if self.min_signed_bps == 0 {
                return Err(bad(
                    "min_signed_bps",
                    "must be positive with a power ramp, so that a validator that never signs is jailed",
                ));
            }
        }
        Ok(())
    }
}

impl StakingParams {
    /// Most voting power that may move between validators in one block
    /// (0 = no limit).
    pub fn max_power_move(&self) -> u64 {
        TOTAL_POWER.checked_div(self.power_ramp_blocks).unwrap_or(0)
    }

    /// Most blocks of the window a validator may miss without being jailed:
    /// `window − ceil(window · min_signed_bps / 10000)`.
    pub fn max_missed(&self) -> u64 {
        let window = u128::from(self.signed_blocks_window);
        let min_signed = window
            .saturating_mul(u128::from(self.min_signed_bps))
            .div_ceil(BPS);
        u64::try_from(window.saturating_sub(min_signed)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_bad_values_name_their_field() {
        StakingParams::default()
            .validate()
            .unwrap_or_else(|e| unreachable!("{e}"));
        type Edit = fn(&mut StakingParams);
        let cases: [(Edit, &str); 8] = [
            (|p| p.unbonding_blocks = 0, "unbonding_blocks"),
            (|p| p.max_validators = 0, "max_validators"),
            (|p| p.super_node_share_bps = 10_001, "super_node_share_bps"),
            (|p| p.signed_blocks_window = 0, "signed_blocks_window"),
            (|p| p.jail_blocks = 0, "jail_blocks"),
            (|p| p.power_ramp_blocks = 3_005, "power_ramp_blocks"),
            (|p| p.min_signed_bps = 0, "min_signed_bps"),
            (
                |p| p.slash_fraction_double_sign_bps = 20_000,
                "slash_fraction_double_sign_bps",
            ),
        ];
        for (edit, field) in cases {
            let mut p = StakingParams::default();
            edit(&mut p);
            let err = p
                .validate()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(field), "{err}");
        }
    }

    #[test]
    fn max_missed_rounds_the_required_signatures_up() {
        let p = |window, bps| StakingParams {
            signed_blocks_window: window,
            min_signed_bps: bps,
            ..StakingParams::default()
        };
        assert_eq!(p(10, 5_000).max_missed(), 5);
        assert_eq!(p(10, 5_001).max_missed(), 4);
        assert_eq!(p(3, 10_000).max_missed(), 0);
        assert_eq!(p(3, 0).max_missed(), 3);
    }
}
