//! Governance-tunable parameters of governance itself, with defaults and
//! validation. [`GovernanceParams`] implements `ModuleParams`: stored
//! under `gov/params`, written at genesis by `init_params` and afterwards
//! only by a passed param-change proposal for module `governance`.
//! Periods are in blocks (the upgrade height is a height too); shares are
//! basis points.

#[cfg(feature = "component")]
use fructus_component::ModuleParams;

use crate::GovernanceError;

/// Basis points in one.
pub const BPS: u128 = 10_000;
/// Longest deposit or voting period, blocks.
pub const MAX_PERIOD_BLOCKS: u64 = 10_000_000;

/// Governance parameters (genesis `governance.params`; every field may be
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
    utoipa::ToSchema,
)]
#[serde(deny_unknown_fields, default)]
pub struct GovernanceParams {
    /// ufrx a proposal's deposit must reach for voting to open (≥ 1).
    pub min_deposit: u128,
    /// ufrx an expedited proposal's deposit must reach (≥ `min_deposit`).
    pub expedited_min_deposit: u128,
    /// Blocks the deposit may take to reach the minimum (1 …
    /// [`MAX_PERIOD_BLOCKS`]).
    pub deposit_period_blocks: u64,
    /// Blocks voting lasts (1 … [`MAX_PERIOD_BLOCKS`]).
    pub voting_period_blocks: u64,
    /// Blocks an expedited proposal's voting lasts (1 … below
    /// `voting_period_blocks`).
    pub expedited_voting_period_blocks: u64,
    /// Share of all bonded stake that must vote (any option), bps.
    pub quorum_bps: u16,
    /// Share of the non-abstaining votes that must be yes (strictly
    /// more), bps.
    pub threshold_bps: u16,
    /// The same for expedited proposals (≥ `threshold_bps`).
    pub expedited_threshold_bps: u16,
    /// Share of all votes voting no with veto (strictly more) that vetoes
    /// the proposal and burns its deposits, bps.
    pub veto_threshold_bps: u16,
    /// Share of all bonded stake that must vote yes, bps: abstentions make
    /// the quorum but never carry a proposal.
    pub min_yes_share_bps: u16,
}

impl Default for GovernanceParams {
    fn default() -> Self {
        GovernanceParams {
            min_deposit: 10_000_000,
            expedited_min_deposit: 50_000_000,
            deposit_period_blocks: 17_280,
            voting_period_blocks: 17_280,
            expedited_voting_period_blocks: 4_320,
            quorum_bps: 3_340,
            threshold_bps: 5_000,
            expedited_threshold_bps: 6_667,
            veto_threshold_bps: 3_340,
            min_yes_share_bps: 2_000,
        }
    }
}

impl GovernanceParams {
    /// Refuses unusable values, naming the field.
    pub fn check(&self) -> Result<(), GovernanceError> {
        let bad = |field: &str, why: String| GovernanceError::Params {
            reason: format!("governance.params.{field}: {why}"),
        };
        if self.min_deposit == 0 {
            return Err(bad("min_deposit", "must be at least 1".into()));
        }
        if self.expedited_min_deposit < self.min_deposit {
            return Err(bad(
                "expedited_min_deposit",
                "must be at least min_deposit".into(),
            ));
        }
        for (field, v) in [
            ("deposit_period_blocks", self.deposit_period_blocks),
            ("voting_period_blocks", self.voting_period_blocks),
        ] {
            if v == 0 || v > MAX_PERIOD_BLOCKS {
                return Err(bad(field, format!("must be 1 to {MAX_PERIOD_BLOCKS}")));
            }
        }
        if self.expedited_voting_period_blocks == 0
            || self.expedited_voting_period_blocks >= self.voting_period_blocks
        {
            return Err(bad(
                "expedited_voting_period_blocks",
                "must be at least 1 and below voting_period_blocks".into(),
            ));
        }
        for (field, v) in [
            ("quorum_bps", self.quorum_bps),
            ("threshold_bps", self.threshold_bps),
            ("expedited_threshold_bps", self.expedited_threshold_bps),
            ("veto_threshold_bps", self.veto_threshold_bps),
            ("min_yes_share_bps", self.min_yes_share_bps),
        ] {
            if u128::from(v) > BPS {
                return Err(bad(field, "must be at most 10000 basis points".into()));
            }
        }
        if self.expedited_threshold_bps < self.threshold_bps {
            return Err(bad(
                "expedited_threshold_bps",
                "must be at least threshold_bps".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(feature = "component")]
impl ModuleParams for GovernanceParams {
    const MODULE: &'static str = fructus_component::GOVERNANCE_MODULE;
    type Error = GovernanceError;

    fn key() -> Vec<u8> {
        crate::state_key::params()
    }

    fn validate(&self) -> Result<(), GovernanceError> {
        self.check()
    }
}
