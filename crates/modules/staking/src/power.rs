//! Voting power: the regulators' super-node share, pro rata inside each
//! class, and the selection of the active set. Pure functions, no state.
//!
//! ## The rule
//! Let `R = floor(TOTAL_POWER · super_node_share_bps / 10000)` and
//! `E = TOTAL_POWER − R`. Regulators' validators share `R` and enterprises'
//! validators share `E`, each pro rata to bonded tokens:
//! `power = floor(pool · tokens / class_tokens)`.
//!
//! - If the set holds no regulator, enterprises share all of
//!   `TOTAL_POWER`; if it holds no enterprise, regulators do. (A chain with
//!   one class only keeps running; the share applies when both are there.)
//! - **Rounding**: each power is floored, so a class's sum lies in
//!   `[pool − (n − 1), pool]` for its `n` members — within `n` units of
//!   the configured share out of [`TOTAL_POWER`] = 10^9.
//! - **No zero power**: a validator whose power floors to 0 is dropped from
//!   the set (it holds under 10^-9 of its class's stake). Its tokens still
//!   count in `class_tokens`, so the others do not gain by its absence —
//!   the lost fraction is rounding, not a transfer.
//!
//! ## Selection
//! Powers are first computed over every eligible candidate; the top
//! `max_validators` by that power (ties: lower operator address first) form
//! the set; powers are then computed again over the set alone, so the share
//! holds inside the set consensus uses.

//! ## Ramp
//! The set handed to consensus does not jump to these powers: each block,
//! [`ramp`] moves it from the previous set's powers toward them by at most
//! `max_move = TOTAL_POWER / power_ramp_blocks` units of power in total
//! (linear interpolation: every validator covers the same fraction
//! `max_move / moved` of its distance, `moved` = the larger of the sums of
//! increases and decreases still due). A validator that joins — the first
//! enterprise of a regulators' chain, whose target is the whole
//! enterprise share — holds at most `k · max_move` after `k` blocks.
//! Validators that are no longer eligible (jailed, tombstoned, frozen, not
//! KYC'd, no bond) leave at once: their power is removed, not handed to
//! anyone; the others keep their powers and ramp on from there.

use std::collections::BTreeMap;

use fructus_types::{Address, Amount, PublicKey};

use crate::{ActiveValidator, BPS, TOTAL_POWER};

/// A validator eligible for the set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The operator.
    pub operator: Address,
    /// Consensus key.
    pub consensus_key: PublicKey,
    /// Display name.
    pub moniker: String,
    /// Bonded tokens (> 0).
    pub tokens: u128,
    /// True when the operator is a regulator.
    pub regulator: bool,
}

/// The active set for `candidates` (see the module docs), sorted by power
/// descending then operator ascending.
pub fn active_set(
    candidates: &[Candidate],
    max_validators: usize,
    super_node_share_bps: u16,
) -> Vec<ActiveValidator> {
    let mut first = assign(candidates, super_node_share_bps);
    sort(&mut first);
    first.truncate(max_validators);
    let selected: Vec<Candidate> = first
        .iter()
        .filter_map(|a| candidates.iter().find(|c| c.operator == a.operator))
        .cloned()
        .collect();
    let mut set = assign(&selected, super_node_share_bps);
    sort(&mut set);
    set
}

/// The set of the next height: `previous` moved toward `target` by at
/// most `max_move` units of power (see the module docs). Members of
/// `previous` that are not `eligible` are dropped; `max_move == 0` or an
/// empty `previous` (genesis) gives `target` at once.
pub fn ramp(
    previous: &[ActiveValidator],
    target: Vec<ActiveValidator>,
    eligible: &[Candidate],
    max_move: u64,
) -> Vec<ActiveValidator> {
    if max_move == 0 || previous.is_empty() {
        return target;
    }
    // operator → (previous power, target power, record)
    let mut all: BTreeMap<Address, (u64, u64, ActiveValidator)> = BTreeMap::new();
    for v in target {
        all.insert(v.operator, (0, v.power, v));
    }
    for p in previous {
        if let Some(entry) = all.get_mut(&p.operator) {
            entry.0 = p.power;
        } else if let Some(c) = eligible.iter().find(|c| c.operator == p.operator) {
            let record = ActiveValidator {
                operator: c.operator,
                consensus_key: c.consensus_key.clone(),
                moniker: c.moniker.clone(),
                power: 0,
                regulator: c.regulator,
            };
            all.insert(p.operator, (p.power, 0, record));
        }
    }
    let (up, down) = all.values().fold((0u128, 0u128), |(u, d), (p, t, _)| {
        (
            u.saturating_add(u128::from(t.saturating_sub(*p))),
            d.saturating_add(u128::from(p.saturating_sub(*t))),
        )
    });
    let moved = up.max(down);
    let step = |distance: u64| -> u64 {
        if moved <= u128::from(max_move) {
            return distance;
        }
        // distance · max_move / moved ≤ distance: fits u64.
        Amount::new(u128::from(distance))
            .mul_div_floor(u128::from(max_move), moved)
            .ok()
            .and_then(|x| u64::try_from(x.value()).ok())
            .unwrap_or(0)
    };
    let mut set: Vec<ActiveValidator> = all
        .into_values()
        .filter_map(|(p, t, mut v)| {
            v.power = if t >= p {
                p.saturating_add(step(t.saturating_sub(p)))
            } else {
                p.saturating_sub(step(p.saturating_sub(t)))
            };
            (v.power > 0).then_some(v)
        })
        .collect();
    sort(&mut set);
    set
}

fn sort(set: &mut [ActiveValidator]) {
    set.sort_by(|a, b| b.power.cmp(&a.power).then(a.operator.cmp(&b.operator)));
}

/// The two class pools `(regulators, enterprises)` for the classes present.
pub fn pools(has_regulators: bool, has_enterprises: bool, super_node_share_bps: u16) -> (u64, u64) {
    match (has_regulators, has_enterprises) {
        (true, true) => {
            let r = u128::from(TOTAL_POWER)
                .saturating_mul(u128::from(super_node_share_bps))
                .checked_div(BPS)
                .unwrap_or(0);
            let r = u64::try_from(r).unwrap_or(TOTAL_POWER).min(TOTAL_POWER);
            (r, TOTAL_POWER.saturating_sub(r))
        }
        (true, false) => (TOTAL_POWER, 0),
        (false, true) => (0, TOTAL_POWER),
        (false, false) => (0, 0),
    }
}

fn assign(candidates: &[Candidate], super_node_share_bps: u16) -> Vec<ActiveValidator> {
    let class_tokens = |regulator: bool| {
        candidates
            .iter()
            .filter(|c| c.regulator == regulator)
            .fold(0u128, |acc, c| acc.saturating_add(c.tokens))
    };
    let (reg_tokens, ent_tokens) = (class_tokens(true), class_tokens(false));
    let (reg_pool, ent_pool) = pools(reg_tokens > 0, ent_tokens > 0, super_node_share_bps);
    candidates
        .iter()
        .filter_map(|c| {
            let (pool, total) = if c.regulator {
                (reg_pool, reg_tokens)
            } else {
                (ent_pool, ent_tokens)
            };
            // tokens ≤ total, so the result is ≤ pool ≤ TOTAL_POWER.
            let power = Amount::new(c.tokens)
                .mul_div_floor(u128::from(pool), total)
                .ok()
                .and_then(|p| u64::try_from(p.value()).ok())
                .unwrap_or(0);
            (power > 0).then(|| ActiveValidator {
                operator: c.operator,
                consensus_key: c.consensus_key.clone(),
                moniker: c.moniker.clone(),
                power,
                regulator: c.regulator,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use fructus_types::{KeyAlgo, SigningKey};
    use proptest::prelude::*;

    use super::*;

    fn cand(i: u8, tokens: u128, regulator: bool) -> Candidate {
        let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[i; 32]).unwrap();
        Candidate {
            operator: Address::from_bytes([i; 20]),
            consensus_key: key.public_key(),
            moniker: format!("v{i}"),
            tokens,
            regulator,
        }
    }

    fn sums(set: &[ActiveValidator]) -> (u64, u64) {
        set.iter().fold((0, 0), |(r, e), v| {
            if v.regulator {
                (r + v.power, e)
            } else {
                (r, e + v.power)
            }
        })
    }

    fn power_of(set: &[ActiveValidator], who: &Candidate) -> u64 {
        set.iter()
            .find(|v| v.operator == who.operator)
            .map_or(0, |v| v.power)
    }

    #[test]
    fn ramp_moves_at_most_max_move_a_block_and_reaches_the_target() {
        let (reg, ent) = (cand(1, 100, true), cand(2, 100, false));
        let both = [reg.clone(), ent.clone()];
        let target = active_set(&both, 10, 3_400);
        let max_move = TOTAL_POWER / 36;
        let mut cur = active_set(std::slice::from_ref(&reg), 10, 3_400);
        for _ in 0..40 {
            let next = ramp(&cur, target.clone(), &both, max_move);
            let up = power_of(&next, &ent) - power_of(&cur, &ent);
            let down = power_of(&cur, &reg) - power_of(&next, &reg);
            assert!(up <= max_move && down <= max_move, "{up} {down}");
            cur = next;
        }
        assert_eq!(cur, target);
        // An ineligible member leaves at once; the others only ramp.
        let alone = active_set(std::slice::from_ref(&reg), 10, 3_400);
        let next = ramp(&cur, alone.clone(), std::slice::from_ref(&reg), max_move);
        assert_eq!(next.len(), 1);
        assert_eq!(power_of(&next, &reg), power_of(&cur, &reg) + max_move);
        // No ramp, or no previous set: the target at once.
        assert_eq!(ramp(&cur, alone.clone(), &both, 0), alone);
        assert_eq!(ramp(&[], target.clone(), &both, max_move), target);
    }

    #[test]
    fn regulators_get_their_share_whatever_their_bond() {
        let set = active_set(
            &[
                cand(1, 10, true),
                cand(2, 30, true),
                cand(3, 1_000_000, false),
                cand(4, 2_000_000, false),
                cand(5, 7, false),
            ],
            10,
            3_400,
        );
        assert_eq!(set.len(), 5);
        let (r, e) = sums(&set);
        assert_eq!(r, 340_000_000);
        assert!(e <= 660_000_000 && e + 3 > 660_000_000, "{e}");
        // Pro rata inside the class: 10:30.
        let p = |i: u8| {
            set.iter()
                .find(|v| v.operator == Address::from_bytes([i; 20]))
                .unwrap()
                .power
        };
        assert_eq!(p(2), 3 * p(1));
        // Sorted by power, descending.
        assert!(set.windows(2).all(|w| w[0].power >= w[1].power));
    }

    #[test]
    fn a_single_class_takes_all_power() {
        let (r, e) = sums(&active_set(
            &[cand(1, 5, true), cand(2, 5, true)],
            10,
            3_400,
        ));
        assert_eq!((r, e), (TOTAL_POWER, 0));
        let (r, e) = sums(&active_set(&[cand(1, 5, false)], 10, 3_400));
        assert_eq!((r, e), (0, TOTAL_POWER));
        assert!(active_set(&[], 10, 3_400).is_empty());
    }

    #[test]
    fn dust_validators_are_dropped_not_given_zero_power() {
        let set = active_set(
            &[cand(1, 1, false), cand(2, u128::from(u64::MAX), false)],
            10,
            3_400,
        );
        assert_eq!(set.len(), 1);
        assert_eq!(set[0].operator, Address::from_bytes([2; 20]));
        assert!(set.iter().all(|v| v.power > 0));
    }

    #[test]
    fn the_set_is_capped_with_a_deterministic_tie_break() {
        let set = active_set(
            &[
                cand(3, 100, false),
                cand(1, 100, false),
                cand(2, 100, false),
                cand(9, 1, true),
            ],
            2,
            3_400,
        );
        // First pass: the regulator holds its whole pool (340M) and each
        // enterprise a third of the rest (220M): the regulator and, among
        // the equal enterprises, the lowest address make the cut. Second
        // pass over those two: the enterprise holds all of its pool.
        assert_eq!(set.len(), 2);
        assert_eq!(set[0].operator, Address::from_bytes([1; 20]));
        assert_eq!(set[0].power, 660_000_000);
        assert_eq!(set[1].operator, Address::from_bytes([9; 20]));
        let (r, e) = sums(&set);
        assert_eq!((r, e), (340_000_000, 660_000_000));
    }

    proptest! {
        #[test]
        fn class_sums_are_within_rounding_of_the_share(
            regs in proptest::collection::vec(1u128..1_000_000_000_000, 1..5),
            ents in proptest::collection::vec(1u128..1_000_000_000_000, 1..8),
            bps in 0u16..=10_000,
        ) {
            let mut cands = Vec::new();
            for (i, t) in regs.iter().enumerate() { cands.push(cand(i as u8, *t, true)); }
            for (i, t) in ents.iter().enumerate() { cands.push(cand(100 + i as u8, *t, false)); }
            let set = active_set(&cands, 100, bps);
            let (r, e) = sums(&set);
            let (rp, ep) = pools(true, true, bps);
            prop_assert!(r <= rp && r + regs.len() as u64 >= rp, "r={r} pool={rp}");
            prop_assert!(e <= ep && e + ents.len() as u64 >= ep, "e={e} pool={ep}");
            prop_assert!(set.iter().all(|v| v.power > 0));
        }
    }
}
