//! One constructor per governance event. Every event about a proposal
//! carries its `proposal_id`.

use fructus_component::Event;
use fructus_types::{Address, Coin};

use crate::{Proposal, Tally, UpgradePlan, VoteOption};

fn of(kind: &str, id: u64) -> Event {
    Event::new(format!("gov.{kind}")).attr("proposal_id", id)
}

/// `gov.submit_proposal`.
pub(crate) fn submit(p: &Proposal) -> Event {
    of("submit_proposal", p.id)
        .attr("proposer", p.proposer)
        .attr("content", p.content.kind())
        .attr("regulatory", p.regulatory)
        .attr("expedited", p.expedited)
        .attr("status", p.status.name())
        .attr("dry_run_ok", p.dry_run.error.is_none())
}

/// `gov.deposit`.
pub(crate) fn deposit(id: u64, depositor: &Address, amount: &Coin, total: u128) -> Event {
    of("deposit", id)
        .attr("depositor", depositor)
        .attr("amount", amount)
        .attr("total_deposit", total)
}

/// `gov.voting_started`.
pub(crate) fn voting_started(p: &Proposal) -> Event {
    of("voting_started", p.id).attr("voting_end_height", p.voting_end_height.unwrap_or(0))
}

/// `gov.vote`.
pub(crate) fn vote(id: u64, voter: &Address, option: VoteOption, replaced: bool) -> Event {
    of("vote", id)
        .attr("voter", voter)
        .attr("option", format!("{option:?}"))
        .attr("replaced", replaced)
}

/// `gov.expedited_converted`: an expedited proposal did not pass in its
/// short period and now votes as a regular one.
pub(crate) fn expedited_converted(p: &Proposal) -> Event {
    of("expedited_converted", p.id).attr("voting_end_height", p.voting_end_height.unwrap_or(0))
}

/// `gov.proposal_finished`: the final status and tally.
pub(crate) fn finished(p: &Proposal, tally: Option<&Tally>) -> Event {
    let e = of("proposal_finished", p.id).attr("status", p.status.name());
    match tally {
        Some(t) => e
            .attr("yes", t.yes)
            .attr("no", t.no)
            .attr("abstain", t.abstain)
            .attr("no_with_veto", t.no_with_veto)
            .attr("total_bonded", t.total_bonded)
            .attr("regulators_yes", t.regulators_yes)
            .attr("regulators_veto", t.regulators_veto),
        None => e,
    }
}

/// `gov.execution_failed`: a passed proposal's content was refused; the
/// reason is also on the proposal.
pub(crate) fn execution_failed(id: u64, codespace: &str, code: u32, message: &str) -> Event {
    of("execution_failed", id)
        .attr("codespace", codespace)
        .attr("code", code)
        .attr("message", message)
}

/// `gov.deposits_burned`.
pub(crate) fn deposits_burned(id: u64, amount: u128) -> Event {
    of("deposits_burned", id).attr("amount", amount)
}

/// `gov.deposit_refund_failed`: one depositor could not be refunded (the
/// compliance gate refused it); the amount went to the community pool.
pub(crate) fn refund_failed(id: u64, depositor: &Address, amount: u128, reason: &str) -> Event {
    of("deposit_refund_failed", id)
        .attr("depositor", depositor)
        .attr("amount", amount)
        .attr("reason", reason)
}

/// `gov.regulator_added`.
pub(crate) fn regulator_added(id: u64, regulator: &Address) -> Event {
    of("regulator_added", id).attr("regulator", regulator)
}

/// `gov.regulator_removed`.
pub(crate) fn regulator_removed(id: u64, regulator: &Address) -> Event {
    of("regulator_removed", id).attr("regulator", regulator)
}

/// `gov.treasury_spend`.
pub(crate) fn treasury_spend(id: u64, recipient: &Address, amount: &Coin) -> Event {
    of("treasury_spend", id)
        .attr("recipient", recipient)
        .attr("amount", amount)
}

/// `gov.upgrade_planned`.
pub(crate) fn upgrade_planned(plan: &UpgradePlan) -> Event {
    of("upgrade_planned", plan.proposal_id)
        .attr("name", &plan.name)
        .attr("height", plan.height)
}
