//! One file per message: `check_stateful` loads and validates what the
//! message needs once, `execute` consumes it and writes.

mod deposit;
mod submit_proposal;

pub use submit_proposal::Submission;
mod vote;

use fructus_bank::BankStateWriteExt;
use fructus_component::{TxContext, governance_authority};
use fructus_storage::StateWrite;
use fructus_types::Coin;

use crate::{
    GovernanceError, GovernanceParams, GovernanceStateReadExt, GovernanceStateWriteExt,
    MAX_DEPOSITORS, Proposal, ProposalStatus, event,
};

/// Escrows `amount` from the signer, adds it to `p`'s deposits and opens
/// voting when the deposit reaches the minimum (the expedited minimum for
/// an expedited proposal).
fn add_deposit<S: StateWrite>(
    state: &mut S,
    p: &mut Proposal,
    amount: &Coin,
    params: &GovernanceParams,
    ctx: &mut TxContext<'_>,
) -> Result<(), GovernanceError> {
    if !amount.amount.is_zero() {
        let before = state.deposit(p.id, &ctx.signer)?;
        if before == 0 {
            if p.depositors >= MAX_DEPOSITORS {
                return Err(GovernanceError::TooManyDepositors {
                    id: p.id,
                    max: MAX_DEPOSITORS,
                });
            }
            p.depositors = p.depositors.saturating_add(1);
        }
        state.transfer(&ctx.signer, &governance_authority(), amount)?;
        let mine = before
            .checked_add(amount.amount.value())
            .ok_or(GovernanceError::Overflow { what: "deposit" })?;
        state.put_deposit(p.id, &ctx.signer, mine)?;
        p.total_deposit = p.total_deposit.checked_add(amount.amount.value()).ok_or(
            GovernanceError::Overflow {
                what: "total deposit",
            },
        )?;
        ctx.emit(event::deposit(p.id, &ctx.signer, amount, p.total_deposit));
    }
    let minimum = if p.expedited {
        params.expedited_min_deposit
    } else {
        params.min_deposit
    };
    if p.status == ProposalStatus::DepositPeriod && p.total_deposit >= minimum {
        let height = ctx.block.height;
        let period = if p.expedited {
            params.expedited_voting_period_blocks
        } else {
            params.voting_period_blocks
        };
        p.status = ProposalStatus::VotingPeriod;
        p.voting_start_height = Some(height);
        p.voting_end_height = Some(height.saturating_add(period));
        ctx.emit(event::voting_started(p));
    }
    state.put_proposal(p)
}
