//! Counting votes.
//!
//! ## Stake
//! The electorate is the active validator set; `total_bonded` is the sum
//! of its validators' bonded tokens. A voter's delegations to active
//! validators count for the option it chose (their token value, rounded
//! down); a validator operator's vote counts for the rest of its
//! validator's tokens — those of delegators who did not vote themselves
//! (a delegator's vote overrides its validator's for its share). Tokens of
//! non-voting validators count for nothing.
//!
//! ## Outcome (in this order)
//! - **quorum**: all votes ≥ `quorum_bps` of `total_bonded` (rounded up),
//!   else rejected;
//! - **veto**: no-with-veto > `veto_threshold_bps` of all votes → vetoed;
//!   for a regulatory proposal, more than half of the regulators voting
//!   no with veto also vetoes;
//! - **threshold**: yes > `threshold_bps` (expedited:
//!   `expedited_threshold_bps`) of yes + no + no-with-veto;
//! - **minimum yes**: yes ≥ `min_yes_share_bps` of `total_bonded` (rounded
//!   up), so abstentions never carry a proposal;
//! - **regulators** (regulatory proposals): more than half of the
//!   regulators voted yes (one vote each, whatever their stake).
//!
//! Work: each vote reads the voter's delegations (at most one per
//! validator, so bounded by the validator cap) — linear in the votes, and
//! the votes are bounded by the electorate: a vote is refused from an
//! account with no voting power (`action_handler/vote.rs`).

use std::collections::BTreeMap;

use fructus_identity::IdentityStateReadExt;
use fructus_staking::StakingStateReadExt;
use fructus_storage::StateRead;
use fructus_types::{Address, Amount};

use crate::{
    GovernanceError, GovernanceParams, GovernanceStateReadExt, Proposal, Tally, VoteOption,
    params::BPS,
};

/// Votes read per page while tallying.
const PAGE: usize = 1_000;

/// How a tally ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// It passes.
    Pass,
    /// It fails; deposits are returned.
    Reject,
    /// It is vetoed; deposits burn.
    Veto,
}

fn add(slot: &mut u128, amount: u128) -> Result<(), GovernanceError> {
    *slot = slot
        .checked_add(amount)
        .ok_or(GovernanceError::Overflow { what: "tally" })?;
    Ok(())
}

fn slot(t: &mut Tally, option: VoteOption) -> &mut u128 {
    match option {
        VoteOption::Yes => &mut t.yes,
        VoteOption::No => &mut t.no,
        VoteOption::Abstain => &mut t.abstain,
        VoteOption::NoWithVeto => &mut t.no_with_veto,
    }
}

/// Counts proposal `id`'s votes on `state`.
pub fn count<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<Tally, GovernanceError> {
    // operator → (tokens, tokens of delegators who voted, operator's vote)
    let mut set: BTreeMap<Address, (u128, u128, Option<VoteOption>)> = BTreeMap::new();
    let mut tally = Tally::default();
    let mut validators = BTreeMap::new();
    for active in state.active_set()? {
        if let Some(v) = state.validator(&active.operator)? {
            add(&mut tally.total_bonded, v.tokens)?;
            set.insert(active.operator, (v.tokens, 0, None));
            validators.insert(active.operator, v);
        }
    }
    let mut after: Option<Address> = None;
    loop {
        let page = state.votes(id, after.as_ref(), PAGE)?;
        let Some((last, _)) = page.last() else {
            break;
        };
        after = Some(*last);
        for (voter, option) in &page {
            if let Some(entry) = set.get_mut(voter) {
                entry.2 = Some(*option);
            }
            for d in state.delegations_of(voter)? {
                let (Some(v), Some(entry)) =
                    (validators.get(&d.validator), set.get_mut(&d.validator))
                else {
                    continue;
                };
                let tokens = v.tokens_of(d.shares)?;
                add(slot(&mut tally, *option), tokens)?;
                add(&mut entry.1, tokens)?;
            }
        }
        if page.len() < PAGE {
            break;
        }
    }
    for (tokens, delegated_votes, option) in set.values() {
        if let Some(option) = option {
            add(
                slot(&mut tally, *option),
                tokens.saturating_sub(*delegated_votes),
            )?;
        }
    }
    let regulators = state.regulators()?;
    tally.regulators = u32::try_from(regulators.len()).unwrap_or(u32::MAX);
    for r in &regulators {
        match state.vote(id, r)? {
            Some(VoteOption::Yes) => tally.regulators_yes = tally.regulators_yes.saturating_add(1),
            Some(VoteOption::NoWithVeto) => {
                tally.regulators_veto = tally.regulators_veto.saturating_add(1);
            }
            _ => {}
        }
    }
    Ok(tally)
}

fn share(of: u128, bps: u16, ceil: bool) -> Result<u128, GovernanceError> {
    let a = Amount::new(of);
    let r = if ceil {
        a.mul_div_ceil(u128::from(bps), BPS)
    } else {
        a.mul_div_floor(u128::from(bps), BPS)
    };
    r.map(Amount::value).map_err(|_| GovernanceError::Overflow {
        what: "tally share",
    })
}

/// The verdict on `p` given `t`.
pub(crate) fn judge(
    p: &Proposal,
    t: &Tally,
    params: &GovernanceParams,
) -> Result<Verdict, GovernanceError> {
    let sum = |xs: &[u128]| {
        xs.iter()
            .try_fold(0u128, |a, x| a.checked_add(*x))
            .ok_or(GovernanceError::Overflow { what: "tally sum" })
    };
    let voted = sum(&[t.yes, t.no, t.abstain, t.no_with_veto])?;
    if t.total_bonded == 0 || voted < share(t.total_bonded, params.quorum_bps, true)? {
        return Ok(Verdict::Reject);
    }
    if t.no_with_veto > share(voted, params.veto_threshold_bps, false)? {
        return Ok(Verdict::Veto);
    }
    let regulators_majority = |n: u32| u64::from(n).saturating_mul(2) > u64::from(t.regulators);
    if p.regulatory && regulators_majority(t.regulators_veto) {
        return Ok(Verdict::Veto);
    }
    let threshold = if p.expedited {
        params.expedited_threshold_bps
    } else {
        params.threshold_bps
    };
    let deciding = sum(&[t.yes, t.no, t.no_with_veto])?;
    if deciding == 0 || t.yes <= share(deciding, threshold, false)? {
        return Ok(Verdict::Reject);
    }
    if t.yes < share(t.total_bonded, params.min_yes_share_bps, true)? {
        return Ok(Verdict::Reject);
    }
    if p.regulatory && !regulators_majority(t.regulators_yes) {
        return Ok(Verdict::Reject);
    }
    Ok(Verdict::Pass)
}
