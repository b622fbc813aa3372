//! Upgrade heights. A passed software-upgrade proposal stores an
//! [`UpgradePlan`] (governance); this binary executes no block at or above
//! its height. After committing the block before it, the node logs the
//! plan and shuts down cleanly (every validator does the same at the same
//! height); started again, it refuses to run (`NodeError::UpgradeHalt`).
//! Only a binary that lists the plan's name in [`APPLIED_UPGRADES`] goes on.

use fructus_governance::{GovernanceStateReadExt, UpgradePlan};
use fructus_storage::StateRead;

use crate::NodeError;

/// The upgrade plans this binary implements: a plan named here does not
/// stop it. A release made for an upgrade adds the plan's name.
pub const APPLIED_UPGRADES: &[&str] = &[];

/// The plan that forbids this binary to execute `height`, if any.
pub fn halt_at<S: StateRead + ?Sized>(
    state: &S,
    height: u64,
) -> Result<Option<UpgradePlan>, NodeError> {
    let plan = state.upgrade_plan().map_err(|e| {
        NodeError::App(fructus_app::AppError::Internal {
            codespace: "gov".into(),
            message: e.to_string(),
        })
    })?;
    Ok(plan.filter(|p| p.height <= height && !APPLIED_UPGRADES.contains(&p.name.as_str())))
}

/// The error a node stops with at `plan`'s height.
pub fn halt_error(plan: &UpgradePlan) -> NodeError {
    NodeError::UpgradeHalt {
        name: plan.name.clone(),
        height: plan.height,
        proposal_id: plan.proposal_id,
        info: plan.info.clone(),
    }
}
