//! Parallel execution of a block's transactions (issue 20).
//!
//! A block is delivered in two passes (see `App::deliver_txs`): the ante of
//! every transaction in block order, then the messages of those charged.
//! This module runs each pass on all cores and gives, bit for bit, the
//! state, results, events and charged-hash list the sequential passes
//! give.
//!
//! # How
//!
//! 1. The transactions are grouped by signer (a device's readings, an
//!    account's nonces; identical bytes have one signer, so the window's
//!    in-block check stays within a group), each group in block order.
//! 2. Every group executes on its own [`Speculative`] overlay over the
//!    block's state as the pass starts (for the messages: after every
//!    ante), in parallel. The overlay records each key the group read,
//!    wrote, or only added to or subtracted from (a plain balance credited
//!    or debited, [`fructus_storage::StateWrite::add_u128`] /
//!    [`fructus_storage::StateWrite::sub_u128`]: the fee collector, a
//!    fleet owner paying every device's fees), and each prefix it
//!    scanned.
//! 3. Two groups conflict if one wrote a key the other touched, added to
//!    a key the other read, or wrote or added to a key under a prefix the
//!    other scanned. Conflicting groups are merged (union–find) and only
//!    the merged groups execute again, from the block's state; this
//!    repeats for at most [`MAX_ROUNDS`] rounds.
//! 4. With no conflict left, every counter's deltas are summed: if a
//!    counter does not cover all subtractions or cannot hold all
//!    additions (so some order of them would fail), that key becomes
//!    strict (read and written like any other), the groups that touched it
//!    are merged and run again. Otherwise the groups' writes are kept, in
//!    the order of their first transaction, with each counter's sum.
//!
//! # Why the result equals the sequential one
//!
//! Without conflicts, what a group read was written by no other group, so
//! each of its transactions sees exactly what it would see in block
//! order: the block's state plus the earlier transactions of its own
//! group (a later group's writes touch none of its keys). Each written key
//! has one writer, and deltas that succeed in every order commute; so the
//! final state is the sequential one, and every blind operation succeeded
//! as it would have in order. Results and events are each transaction's own, put back
//! in block order.
//!
//! # Falling back
//!
//! The pass runs in block order instead (the reference path, on the
//! untouched block state) when: conflicts remain after [`MAX_ROUNDS`];
//! merging conflicting groups left one with more than half of the
//! transactions (a chain of dependent transactions, where order is the
//! fastest; this also bounds what a block built to conflict costs to a
//! few passes over it); a group's view was impossible (its own blind
//! deltas do not apply, see [`Speculative::finish`]); or a group hit an
//! internal error (which the sequential run then reports, or not, on its
//! own). Every one of these depends only on the block and the state,
//! never on thread timing or the number of cores, so every node takes the
//! same path and the result is the same either way.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use fructus_component::{BlockContext, TxError};
use fructus_storage::{
    Access, Delta, Speculative, SpeculativeWrites, StateDelta, StateRead, StateWrite,
};
use fructus_types::{Address, tx::TxHash};
use rayon::prelude::*;

use super::{
    execute::{self, Charged},
    window,
};
use crate::{AppError, ParsedTx, TxResult};

/// How a block's transactions execute. Both give the same state, results
/// and app hash; [`Execution::Sequential`] is kept as the reference the
/// parallel path is checked against, and for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Execution {
    /// Transactions whose state is disjoint run on all cores; conflicting
    /// ones are regrouped and, if conflicts remain, run in block order.
    #[default]
    Parallel,
    /// One transaction after another, in block order.
    Sequential,
}

/// Regrouping rounds before a pass runs in block order instead. Each
/// round merges at least two groups or makes a counter strict, so
/// conflicts resolve in few rounds or the block is mostly one chain of
/// dependent transactions (where order is the fastest anyway).
pub const MAX_ROUNDS: usize = 4;

/// Fewer transactions than this in a pass run in order (no gain in
/// threads).
const MIN_PARALLEL: usize = 2;

/// What the message pass of one transaction starts from: its charge, or
/// the result it already has (refused before its messages).
pub(crate) type Stage = Result<(ParsedTx, Charged), TxResult>;

/// How the parallel passes went, counted since the app started (for
/// benchmarks and operators; not part of the state).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParallelStats {
    /// Passes (ante or messages) run in parallel to the end.
    pub parallel: u64,
    /// Passes that fell back to block order.
    pub fell_back: u64,
    /// Groups executed, over all rounds (re-executions included).
    pub groups_run: u64,
    /// Transactions executed in groups, over all rounds.
    pub txs_run: u64,
    /// Transactions executed again after their group was merged or a
    /// counter it touched became strict.
    pub txs_rerun: u64,
    /// Blocks whose ante pass was not run again at delivery, because
    /// [`crate::App::plan_block`] had just run it for the same block
    /// (counted in either [`Execution`]).
    pub plans_reused: u64,
}

impl ParallelStats {
    /// What was counted after `before` (an earlier copy of this count).
    pub fn since(self, before: ParallelStats) -> ParallelStats {
        ParallelStats {
            parallel: self.parallel.saturating_sub(before.parallel),
            fell_back: self.fell_back.saturating_sub(before.fell_back),
            groups_run: self.groups_run.saturating_sub(before.groups_run),
            txs_run: self.txs_run.saturating_sub(before.txs_run),
            txs_rerun: self.txs_rerun.saturating_sub(before.txs_rerun),
            plans_reused: self.plans_reused.saturating_sub(before.plans_reused),
        }
    }

    /// Adds what another count saw (a plan's ante pass, once delivered).
    pub(crate) fn absorb(&mut self, other: ParallelStats) {
        self.parallel = self.parallel.saturating_add(other.parallel);
        self.fell_back = self.fell_back.saturating_add(other.fell_back);
        self.groups_run = self.groups_run.saturating_add(other.groups_run);
        self.txs_run = self.txs_run.saturating_add(other.txs_run);
        self.txs_rerun = self.txs_rerun.saturating_add(other.txs_rerun);
        self.plans_reused = self.plans_reused.saturating_add(other.plans_reused);
    }

    fn count(&mut self, pass: Option<&Counts>) {
        match pass {
            Some(c) => {
                self.parallel = self.parallel.saturating_add(1);
                self.groups_run = self.groups_run.saturating_add(c.groups_run);
                self.txs_run = self.txs_run.saturating_add(c.txs_run);
                self.txs_rerun = self.txs_rerun.saturating_add(c.txs_rerun);
            }
            None => self.fell_back = self.fell_back.saturating_add(1),
        }
    }
}

/// Work one pass did.
#[derive(Debug, Default)]
struct Counts {
    groups_run: u64,
    txs_run: u64,
    txs_rerun: u64,
}

/// Counters with their new values (`None`: 0, deleted).
type Totals = Vec<(Vec<u8>, Option<u128>)>;

/// Keys, e.g. of counters whose deltas do not apply.
type Keys = Vec<Vec<u8>>;

/// While regrouping: a group's transactions, its run if kept, how many
/// groups it merges.
type Merging<R> = (Vec<usize>, Option<GroupRun<R>>, usize);

/// One group's execution: a result per transaction, in block order.
struct GroupRun<R> {
    results: Vec<R>,
    writes: SpeculativeWrites,
}

/// A pass that can be kept: the groups, their runs, every counter's new
/// value (`None`: deleted, at 0).
struct Planned<R> {
    groups: Vec<Vec<usize>>,
    runs: Vec<GroupRun<R>>,
    totals: Totals,
    counts: Counts,
}

/// The committed window and the hashes the block charged before this
/// call: what the ante checks a hash against.
pub(crate) struct Window<'a> {
    /// The committed window's lookup.
    pub(crate) committed: &'a window::Index,
    /// Hashes charged earlier in this block.
    pub(crate) charged: &'a HashSet<TxHash>,
}

/// Runs the ante of every stateless-checked transaction (`checked`, one
/// per `txs`): the stages for the message pass, and the hashes charged,
/// in block order. In parallel groups where possible.
pub(crate) fn charge(
    state: &mut StateDelta,
    block: &BlockContext,
    seen: &Window<'_>,
    txs: &[Vec<u8>],
    checked: Vec<Result<ParsedTx, TxError>>,
    parallel: Option<&mut ParallelStats>,
) -> Result<(Vec<Stage>, Vec<TxHash>), AppError> {
    let verified = checked.iter().filter(|c| c.is_ok()).count();
    let planned = match parallel {
        Some(stats) if verified >= MIN_PARALLEL => {
            let groups = group_by(
                checked
                    .iter()
                    .map(|c| c.as_ref().ok().map(|parsed| parsed.tx.signer.address())),
            );
            let exec = |overlay: &mut Speculative<'_, StateDelta>, ids: &[usize]| {
                let mut charged = seen.charged.clone();
                let mut results = Vec::with_capacity(ids.len());
                for &i in ids {
                    let Some(Ok(parsed)) = checked.get(i) else {
                        return None;
                    };
                    let outcome = charge_one(overlay, block, seen, &mut charged, parsed).ok()?;
                    results.push(outcome);
                }
                Some(results)
            };
            let planned = plan(state, groups, &exec);
            stats.count(planned.as_ref().map(|p| &p.counts));
            planned
        }
        _ => None,
    };
    let Some(planned) = planned else {
        return charge_in_order(state, block, seen, txs, checked);
    };
    let mut outcomes: Vec<Option<Result<Charged, TxResult>>> = keep(state, planned, txs.len())?;
    let mut staged = Vec::with_capacity(txs.len());
    let mut hashes = Vec::new();
    for ((bytes, parsed), outcome) in txs.iter().zip(checked).zip(outcomes.iter_mut()) {
        staged.push(match parsed {
            Ok(parsed) => match outcome.take() {
                Some(Ok(charged)) => {
                    hashes.push(parsed.tx.hash);
                    Ok((parsed, charged))
                }
                Some(Err(result)) => Err(result),
                None => {
                    return Err(AppError::Lifecycle(
                        "a transaction of the block has no ante result",
                    ));
                }
            },
            Err(e) => Err(execute::rejected(bytes, &e)),
        });
    }
    Ok((staged, hashes))
}

/// The reference ante pass, in block order.
fn charge_in_order(
    state: &mut StateDelta,
    block: &BlockContext,
    seen: &Window<'_>,
    txs: &[Vec<u8>],
    checked: Vec<Result<ParsedTx, TxError>>,
) -> Result<(Vec<Stage>, Vec<TxHash>), AppError> {
    let mut charged = seen.charged.clone();
    let mut staged = Vec::with_capacity(txs.len());
    let mut hashes = Vec::new();
    for (bytes, parsed) in txs.iter().zip(checked) {
        staged.push(match parsed {
            Ok(parsed) => {
                match charge_one(state, block, seen, &mut charged, &parsed).map_err(internal)? {
                    Ok(c) => {
                        hashes.push(parsed.tx.hash);
                        Ok((parsed, c))
                    }
                    Err(result) => Err(result),
                }
            }
            Err(e) => Err(execute::rejected(bytes, &e)),
        });
    }
    Ok((staged, hashes))
}

/// One transaction's ante against the window plus `charged` (the hashes
/// charged before it in the block, as its pass sees them); adds its hash
/// there if it is charged.
fn charge_one<S: fructus_storage::Checkpoints>(
    state: &mut S,
    block: &BlockContext,
    seen: &Window<'_>,
    charged: &mut HashSet<TxHash>,
    parsed: &ParsedTx,
) -> Result<Result<Charged, TxResult>, TxError> {
    let window = window::Seen {
        committed: seen.committed,
        block: charged,
        height: block.height,
    };
    let outcome = execute::charge(state, parsed, block, &window)?;
    if outcome.is_ok() {
        charged.insert(parsed.tx.hash);
    }
    Ok(outcome)
}

/// Runs the messages of the staged transactions, in parallel where their
/// state is disjoint; the results are in block order. `Err` only for
/// internal failures (the node must stop), exactly as the sequential pass.
pub(crate) fn run_messages(
    state: &mut StateDelta,
    block: &BlockContext,
    staged: Vec<Stage>,
    stats: &mut ParallelStats,
) -> Result<Vec<TxResult>, AppError> {
    let charged = staged.iter().filter(|s| s.is_ok()).count();
    if charged < MIN_PARALLEL {
        return sequential(state, block, staged);
    }
    let groups = group_by(
        staged
            .iter()
            .map(|s| s.as_ref().ok().map(|(_, c)| c.signer())),
    );
    let exec = |overlay: &mut Speculative<'_, StateDelta>, ids: &[usize]| {
        let mut results = Vec::with_capacity(ids.len());
        for &i in ids {
            let Some(Ok((parsed, charged))) = staged.get(i) else {
                return None;
            };
            results.push(execute::run_messages(overlay, parsed, block, charged.clone()).ok()?);
        }
        Some(results)
    };
    let planned = plan(state, groups, &exec);
    stats.count(planned.as_ref().map(|p| &p.counts));
    let Some(planned) = planned else {
        return sequential(state, block, staged);
    };
    let mut results = keep(state, planned, staged.len())?;
    for (slot, stage) in results.iter_mut().zip(staged) {
        if let Err(result) = stage {
            *slot = Some(result);
        }
    }
    results
        .into_iter()
        .map(|r| {
            r.ok_or(AppError::Lifecycle(
                "a transaction of the block has no result",
            ))
        })
        .collect()
}

/// The reference: every transaction's messages in block order.
pub(crate) fn sequential(
    state: &mut StateDelta,
    block: &BlockContext,
    staged: Vec<Stage>,
) -> Result<Vec<TxResult>, AppError> {
    let mut results = Vec::with_capacity(staged.len());
    for stage in staged {
        results.push(match stage {
            Ok((parsed, charged)) => {
                execute::run_messages(state, &parsed, block, charged).map_err(internal)?
            }
            Err(result) => result,
        });
    }
    Ok(results)
}

fn internal(e: TxError) -> AppError {
    AppError::Internal {
        codespace: e.codespace,
        message: e.message,
    }
}

/// One group per key (a signer), each in block order, ordered by its first
/// transaction; items without a key take part in no group.
fn group_by(keys: impl Iterator<Item = Option<Address>>) -> Vec<Vec<usize>> {
    let mut index: BTreeMap<Address, usize> = BTreeMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, key) in keys.enumerate() {
        let Some(key) = key else {
            continue;
        };
        let next = groups.len();
        let g = *index.entry(key).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.get_mut(g) {
            group.push(i);
        }
    }
    groups
}

/// Runs, checks and regroups until no two groups conflict and every
/// counter's deltas apply; `None` means run the pass in order instead.
/// `exec` runs one group's transactions (by index) on an overlay: `None`
/// if it hit an internal error.
fn plan<R, F>(state: &StateDelta, mut groups: Vec<Vec<usize>>, exec: &F) -> Option<Planned<R>>
where
    R: Send,
    F: Fn(&mut Speculative<'_, StateDelta>, &[usize]) -> Option<Vec<R>> + Sync,
{
    let mut runs: Vec<Option<GroupRun<R>>> = groups.iter().map(|_| None).collect();
    let mut strict: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut counts = Counts::default();
    for round in 0..MAX_ROUNDS {
        let todo: Vec<usize> = (0..groups.len()).filter(|g| runs[*g].is_none()).collect();
        let strict_now = &strict;
        let done: Vec<(usize, Option<GroupRun<R>>)> = todo
            .par_iter()
            .map(|&g| {
                let mut overlay = Speculative::new(state).strict(strict_now);
                let run = exec(&mut overlay, &groups[g]).and_then(|results| {
                    Some(GroupRun {
                        results,
                        writes: overlay.finish()?,
                    })
                });
                (g, run)
            })
            .collect();
        for (g, run) in done {
            let txs = groups[g].len() as u64;
            counts.groups_run = counts.groups_run.saturating_add(1);
            counts.txs_run = counts.txs_run.saturating_add(txs);
            if round > 0 {
                counts.txs_rerun = counts.txs_rerun.saturating_add(txs);
            }
            runs[g] = Some(run?);
        }
        let ready: Vec<&GroupRun<R>> = runs.iter().flatten().collect();
        if ready.len() != groups.len() {
            return None;
        }
        let mut sets = UnionFind::new(groups.len());
        for (a, b) in conflicts(&ready) {
            sets.union(a, b);
        }
        let mut dirty = BTreeSet::new();
        let conflicted = sets.unions > 0;
        if !conflicted {
            match summed_deltas(state, &ready) {
                Ok(totals) => {
                    let runs = runs.into_iter().flatten().collect();
                    return Some(Planned {
                        groups,
                        runs,
                        totals,
                        counts,
                    });
                }
                Err(uncovered) => {
                    // Those counters are read from now on; every group
                    // that moved them runs again, together.
                    for (g, run) in ready.iter().enumerate() {
                        if uncovered.iter().any(|k| run.writes.deltas.contains_key(k)) {
                            dirty.insert(g);
                        }
                    }
                    let mut members = dirty.iter();
                    if let Some(&first) = members.next() {
                        for &g in members {
                            sets.union(first, g);
                        }
                    }
                    strict.extend(uncovered);
                }
            }
        }
        (groups, runs) = regroup(groups, runs, &mut sets, &dirty);
        // Conflicts made mostly one chain of dependent transactions: order
        // is cheaper than another round (and bounds the work an
        // adversarial block of conflicts can cause to a few passes over
        // it). A counter made strict re-runs only the groups that moved it.
        let total: usize = groups.iter().map(Vec::len).sum();
        let largest = groups.iter().map(Vec::len).max().unwrap_or(0);
        if conflicted && largest.saturating_mul(2) > total {
            return None;
        }
    }
    None
}

/// Pairs of groups (by index in `runs`) that conflict: one wrote what the
/// other touched, one moved a counter the other read, or one wrote or
/// moved a key under a prefix the other scanned.
fn conflicts<R>(runs: &[&GroupRun<R>]) -> Vec<(usize, usize)> {
    let mut touched: Vec<(&[u8], usize, Access)> = Vec::new();
    for (g, run) in runs.iter().enumerate() {
        touched.extend(run.writes.accesses().map(|(key, how)| (key, g, how)));
    }
    touched.sort_unstable();
    let mut pairs = Vec::new();
    for same in touched.chunk_by(|a, b| a.0 == b.0) {
        let Some(&(_, first, _)) = same.first() else {
            continue;
        };
        let shared = same.iter().any(|(_, g, _)| *g != first);
        let written = same.iter().any(|(_, _, how)| *how == Access::Write);
        let moved = same.iter().any(|(_, _, how)| *how == Access::Delta);
        let read = same.iter().any(|(_, _, how)| *how == Access::Read);
        if shared && (written || (moved && read)) {
            pairs.extend(same.iter().map(|(_, g, _)| (first, *g)));
        }
    }
    for (g, run) in runs.iter().enumerate() {
        for prefix in &run.writes.scans {
            let from = touched.partition_point(|(k, _, _)| *k < prefix.as_slice());
            for (key, other, how) in &touched[from..] {
                if !key.starts_with(prefix) {
                    break;
                }
                if *other != g && *how != Access::Read {
                    pairs.push((g, *other));
                }
            }
        }
    }
    pairs
}

/// Every counter the groups moved, with its new value (`None`: 0,
/// deleted); or the keys whose deltas together do not apply in every
/// order (or whose value is not a counter).
fn summed_deltas<R>(state: &StateDelta, runs: &[&GroupRun<R>]) -> Result<Totals, Keys> {
    let mut sums: BTreeMap<&[u8], Option<Delta>> = BTreeMap::new();
    for run in runs {
        for (key, delta) in &run.writes.deltas {
            let sum = sums.entry(key.as_slice()).or_insert(Some(Delta::default()));
            *sum = sum.and_then(|s| s.merge(*delta));
        }
    }
    let mut totals = Vec::with_capacity(sums.len());
    let mut uncovered = Vec::new();
    for (key, delta) in sums {
        let have = state.get::<u128>(key).ok().map(Option::unwrap_or_default);
        match (delta, have) {
            (Some(delta), Some(have)) => match delta.apply(have) {
                Ok(total) => totals.push((key.to_vec(), total)),
                Err(fructus_storage::Uncovered) => uncovered.push(key.to_vec()),
            },
            _ => uncovered.push(key.to_vec()),
        }
    }
    if uncovered.is_empty() {
        Ok(totals)
    } else {
        Err(uncovered)
    }
}

/// Merges the groups `sets` joined (their transactions back in block
/// order; their runs dropped, to execute again), drops the runs of
/// `dirty` groups, and keeps the others.
fn regroup<R>(
    groups: Vec<Vec<usize>>,
    runs: Vec<Option<GroupRun<R>>>,
    sets: &mut UnionFind,
    dirty: &BTreeSet<usize>,
) -> (Vec<Vec<usize>>, Vec<Option<GroupRun<R>>>) {
    let mut merged: BTreeMap<usize, Merging<R>> = BTreeMap::new();
    for (g, (txs, run)) in groups.into_iter().zip(runs).enumerate() {
        let root = sets.find(g);
        let entry = merged.entry(root).or_insert_with(|| (Vec::new(), None, 0));
        entry.0.extend(txs);
        entry.1 = if dirty.contains(&g) { None } else { run };
        entry.2 = entry.2.saturating_add(1);
    }
    let mut out: Vec<(Vec<usize>, Option<GroupRun<R>>)> = merged
        .into_values()
        .map(|(mut txs, run, members)| {
            txs.sort_unstable();
            (txs, if members == 1 { run } else { None })
        })
        .collect();
    out.sort_unstable_by_key(|(txs, _)| txs.first().copied());
    out.into_iter().unzip()
}

/// Keeps a planned pass's writes and counters on the block's state, in
/// the order of each group's first transaction; returns each
/// transaction's result at its index (`None` where no group ran it).
fn keep<R>(
    state: &mut StateDelta,
    planned: Planned<R>,
    len: usize,
) -> Result<Vec<Option<R>>, AppError> {
    let mut results: Vec<Option<R>> = (0..len).map(|_| None).collect();
    for (txs, run) in planned.groups.into_iter().zip(planned.runs) {
        for (i, result) in txs.into_iter().zip(run.results) {
            if let Some(slot) = results.get_mut(i) {
                *slot = Some(result);
            }
        }
        for (key, value) in run.writes.puts {
            match value {
                Some(bytes) => state.put_raw(key, bytes),
                None => state.delete(key),
            }
        }
    }
    for (key, total) in planned.totals {
        match total {
            Some(total) => state.put(key, &total)?,
            None => state.delete(key),
        }
    }
    Ok(results)
}

/// Union–find over group indices (smallest index as the root, so the
/// merged groups do not depend on the order unions arrive in).
struct UnionFind {
    parent: Vec<usize>,
    unions: usize,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
            unions: 0,
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        let mut steps = 0usize;
        while let Some(&p) = self.parent.get(x) {
            if p == x || steps > self.parent.len() {
                break;
            }
            x = p;
            steps = steps.saturating_add(1);
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if let Some(slot) = self.parent.get_mut(child) {
            *slot = root;
            self.unions = self.unions.saturating_add(1);
        }
    }
}
