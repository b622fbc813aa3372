//! Genesis and the end-block hook: closes deposit periods, tallies
//! proposals whose voting ends, executes the passed ones, and returns or
//! burns deposits. Bounded: at most `MAX_ACTIVE_PROPOSALS` open proposals
//! are looked at per block. A proposal's own failure (its content refused,
//! a refund the compliance gate refuses) is recorded with an event and
//! never fails the block; only storage faults do.

use std::marker::PhantomData;

use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::{BlockContext, Component, Event, governance_authority, init_params};
use fructus_staking::community_pool;
use fructus_storage::StateWrite;
use fructus_types::{Coin, Denom};

use crate::{
    GovernanceError, GovernanceGenesis, GovernanceStateReadExt, GovernanceStateWriteExt,
    ParamsDispatch, Proposal, ProposalStatus, event,
    execute::trial,
    scratch::apply,
    tally::{Verdict, count, judge},
};

/// The governance component; `P` is the app's params dispatch.
#[derive(Debug, Clone, Copy, Default)]
pub struct Governance<P>(PhantomData<fn() -> P>);

impl<P: ParamsDispatch> Component for Governance<P> {
    type Genesis = GovernanceGenesis;
    type Error = GovernanceError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &GovernanceGenesis,
    ) -> Result<(), GovernanceError> {
        init_params(state, &genesis.params)?;
        state.register_module_account(&governance_authority())?;
        state.register_module_account(&community_pool())?;
        Ok(())
    }

    fn end_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), GovernanceError> {
        let params = state.governance_params()?;
        for id in state.active_proposals()? {
            let mut p = state.require_proposal(id)?;
            match p.status {
                ProposalStatus::DepositPeriod if ctx.height >= p.deposit_end_height => {
                    p.status = ProposalStatus::DepositExpired;
                    refund(state, &p, events)?;
                    events.push(event::finished(&p, None));
                    state.put_proposal(&p)?;
                }
                ProposalStatus::VotingPeriod
                    if p.voting_end_height.is_some_and(|end| ctx.height >= end) =>
                {
                    let tally = count(state, id)?;
                    let verdict = judge(&p, &tally, &params)?;
                    if verdict != Verdict::Pass && p.expedited && verdict != Verdict::Veto {
                        // Falls back to a regular proposal: the votes
                        // stand, the period runs to the regular length.
                        p.expedited = false;
                        p.voting_end_height = Some(
                            p.voting_start_height
                                .unwrap_or(ctx.height)
                                .saturating_add(params.voting_period_blocks)
                                .max(ctx.height.saturating_add(1)),
                        );
                        events.push(event::expedited_converted(&p));
                        state.put_proposal(&p)?;
                        continue;
                    }
                    finish::<P, S>(state, &mut p, verdict, ctx, events)?;
                    p.tally = Some(tally);
                    events.push(event::finished(&p, p.tally.as_ref()));
                    state.put_proposal(&p)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Executes (if passed) and settles the deposits of a tallied proposal.
fn finish<P: ParamsDispatch, S: StateWrite>(
    state: &mut S,
    p: &mut Proposal,
    verdict: Verdict,
    ctx: &BlockContext,
    events: &mut Vec<Event>,
) -> Result<(), GovernanceError> {
    match verdict {
        Verdict::Veto => {
            p.status = ProposalStatus::Vetoed;
            burn(state, p, events)?;
        }
        Verdict::Reject => {
            p.status = ProposalStatus::Rejected;
            refund(state, p, events)?;
        }
        Verdict::Pass => {
            let (execution, writes) = trial::<P, S>(state, p.id, &p.content, ctx.height)?;
            match &execution.error {
                None => {
                    apply(state, writes);
                    events.extend(execution.events.iter().cloned());
                    p.status = ProposalStatus::Passed;
                }
                Some(e) => {
                    events.push(event::execution_failed(
                        p.id,
                        &e.codespace,
                        e.code,
                        &e.message,
                    ));
                    p.status = ProposalStatus::Failed;
                }
            }
            p.execution = Some(execution);
            refund(state, p, events)?;
        }
    }
    Ok(())
}

/// Returns every deposit of `p` through bank's gate; a refund the gate
/// refuses goes to the community pool instead (with an event).
fn refund<S: StateWrite>(
    state: &mut S,
    p: &Proposal,
    events: &mut Vec<Event>,
) -> Result<(), GovernanceError> {
    let escrow = governance_authority();
    loop {
        let page = state.deposits(p.id, None, 100)?;
        if page.is_empty() {
            break;
        }
        for (depositor, amount) in page {
            let coin = Coin::new(Denom::native(), amount);
            if let Err(e) = state.transfer(&escrow, &depositor, &coin) {
                if fructus_component::ErrorCode::is_internal(&e) {
                    return Err(e.into());
                }
                state.transfer(&escrow, &community_pool(), &coin)?;
                events.push(event::refund_failed(
                    p.id,
                    &depositor,
                    amount,
                    &e.to_string(),
                ));
            }
            state.put_deposit(p.id, &depositor, 0)?;
        }
    }
    Ok(())
}

/// Burns every deposit of a vetoed proposal.
fn burn<S: StateWrite>(
    state: &mut S,
    p: &Proposal,
    events: &mut Vec<Event>,
) -> Result<(), GovernanceError> {
    let escrow = governance_authority();
    let mut burned: u128 = 0;
    loop {
        let page = state.deposits(p.id, None, 100)?;
        if page.is_empty() {
            break;
        }
        for (depositor, amount) in page {
            burned = burned
                .checked_add(amount)
                .ok_or(GovernanceError::Overflow {
                    what: "burned deposits",
                })?;
            state.put_deposit(p.id, &depositor, 0)?;
        }
    }
    let held = state.balance(&escrow, &Denom::native())?.value();
    let burned = burned.min(held);
    if burned > 0 {
        state.burn(&escrow, &Coin::new(Denom::native(), burned))?;
    }
    events.push(event::deposits_burned(p.id, burned));
    Ok(())
}
