use fructus_component::{ActionHandler, TxContext};
use fructus_identity::IdentityStateReadExt;
use fructus_staking::StakingStateReadExt;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Address;

use crate::{
    GovernanceError, GovernanceStateReadExt, GovernanceStateWriteExt, ProposalStatus, event,
    msg::Vote,
};

/// Whether a vote of `voter` could count: it operates an active
/// validator, delegates to one, or is a regulator. Keeps the tally's work
/// (one pass over the votes) linear in the electorate rather than in
/// whoever pays a fee.
fn has_voting_power<S: StateRead>(state: &S, voter: &Address) -> Result<bool, GovernanceError> {
    if state.is_regulator(voter)? {
        return Ok(true);
    }
    let active = state.active_set()?;
    let is_active = |operator: &Address| active.iter().any(|a| a.operator == *operator);
    if is_active(voter) {
        return Ok(true);
    }
    Ok(state
        .delegations_of(voter)?
        .iter()
        .any(|d| is_active(&d.validator)))
}

impl ActionHandler for Vote {
    type Error = GovernanceError;
    /// Whether the signer had voted already (the new vote replaces it).
    type Checked = bool;
    const KIND: &'static str = "governance/vote";
    const BASE_GAS: u64 = 10_000;

    /// Only during the voting period: from the block voting opened through
    /// its last block (the tally runs at that block's end).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<bool, GovernanceError> {
        let p = state.require_proposal(self.proposal_id)?;
        if p.status != ProposalStatus::VotingPeriod
            || p.voting_end_height
                .is_some_and(|end| ctx.block.height > end)
        {
            return Err(GovernanceError::NotInVotingPeriod {
                id: p.id,
                status: p.status.name().into(),
            });
        }
        if !has_voting_power(state, &ctx.signer)? {
            return Err(GovernanceError::NoVotingPower {
                voter: ctx.signer.to_string(),
            });
        }
        Ok(state.vote(p.id, &ctx.signer)?.is_some())
    }

    fn execute<S: StateWrite>(
        &self,
        replaced: bool,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), GovernanceError> {
        state.put_vote(self.proposal_id, &ctx.signer, self.option)?;
        ctx.emit(event::vote(
            self.proposal_id,
            &ctx.signer,
            self.option,
            replaced,
        ));
        Ok(())
    }
}
