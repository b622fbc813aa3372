use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::add_deposit;
use crate::{
    Content, Execution, GovernanceError, GovernanceParams, GovernanceStateReadExt,
    GovernanceStateWriteExt, MAX_ACTIVE_PROPOSALS, ParamsDispatch, Proposal, ProposalStatus, event,
    execute::{is_regulatory, trial},
    msg::SubmitProposal,
};

/// What the check loaded: the params, the new id, whether the proposal is
/// regulatory, and the dry run of its content.
pub struct Submission {
    params: GovernanceParams,
    id: u64,
    regulatory: bool,
    dry_run: Execution,
}

impl<P: ParamsDispatch> ActionHandler for SubmitProposal<P> {
    type Error = GovernanceError;
    type Checked = Submission;
    const KIND: &'static str = "governance/submit_proposal";
    const BASE_GAS: u64 = 50_000;

    /// Runs the content on a copy of the state (the dry run, stored with
    /// the proposal). A param change the module refuses is refused here:
    /// nobody should vote on params that cannot be applied.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Submission, GovernanceError> {
        let params = state.governance_params()?;
        if state.active_proposals()?.len() >= MAX_ACTIVE_PROPOSALS {
            return Err(GovernanceError::TooManyActiveProposals {
                max: MAX_ACTIVE_PROPOSALS,
            });
        }
        let id = state.next_proposal_id()?;
        let (dry_run, _) = trial::<P, S>(state, id, &self.content, ctx.block.height)?;
        if let (Content::ParamChange { .. }, Some(e)) = (&self.content, &dry_run.error) {
            return Err(GovernanceError::ParamChangeRefused {
                codespace: e.codespace.clone(),
                code: e.code,
                message: e.message.clone(),
            });
        }
        Ok(Submission {
            params,
            id,
            regulatory: is_regulatory(state, &self.content)?,
            dry_run,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        s: Submission,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), GovernanceError> {
        let height = ctx.block.height;
        let mut p = Proposal {
            id: s.id,
            proposer: ctx.signer,
            title: self.title.clone(),
            description: self.description.clone(),
            content: self.content.clone(),
            regulatory: s.regulatory,
            expedited: self.expedited,
            status: ProposalStatus::DepositPeriod,
            submit_height: height,
            deposit_end_height: height.saturating_add(s.params.deposit_period_blocks),
            voting_start_height: None,
            voting_end_height: None,
            total_deposit: 0,
            depositors: 0,
            dry_run: s.dry_run,
            tally: None,
            execution: None,
        };
        state.set_next_proposal_id(s.id.checked_add(1).ok_or(GovernanceError::Overflow {
            what: "proposal id",
        })?)?;
        ctx.emit(event::submit(&p));
        add_deposit(state, &mut p, &self.initial_deposit, &s.params, ctx)
    }
}
