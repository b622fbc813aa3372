//! Parallel execution of a block's messages (issue 20).
//!
//! A block is delivered in two passes (see `App::deliver_txs`): the ante of
//! every transaction in block order, then the messages of those charged.
//! This module runs the second pass on all cores and gives, bit for bit,
//! the state, results and events the sequential pass gives.
//!
//! # How
//!
//! 1. The charged transactions are grouped by signer (a device's readings,
//!    an account's nonces), each group in block order.
//! 2. Every group executes on its own [`Speculative`] overlay over the
//!    block's state (after every ante), in parallel. The overlay records
//!    each key the group read, wrote, or only added to (a credit of a
//!    plain balance, [`fructus_storage::StateWrite::add_u128`]), and each
//!    prefix it scanned.
//! 3. Two groups conflict if one wrote a key the other touched, added to
//!    a key the other read, or wrote or added to a key under a prefix the
//!    other scanned. Conflicting groups are merged (union–find) and only
//!    the merged groups execute again, from the block's state; this
//!    repeats for at most [`MAX_ROUNDS`] rounds.
//! 4. With no conflict left, the groups' writes are kept, in the order of
//!    their first transaction, and the additions are summed onto the
//!    block's values.
//!
//! # Why the result equals the sequential one
//!
//! Without conflicts, what a group read was written by no other group, so
//! each of its transactions sees exactly what it would see in block
//! order: the block's state plus the earlier transactions of its own
//! group (a later group's writes touch none of its keys). Each written key
//! has one writer, and additions commute; so the final state is the
//! sequential one. Results and events are each transaction's own, put back
//! in block order.
//!
//! # Falling back
//!
//! The messages run in block order instead (the reference path, on the
//! untouched block state) when: conflicts remain after [`MAX_ROUNDS`]; a
//! group's view was impossible (its blind additions overflow, see
//! [`Speculative::finish`]); a group hit an internal error (which the
//! sequential run then reports, or not, on its own); or the summed
//! additions would overflow. Every one of these depends only on the block
//! and the state, never on thread timing, so every node takes the same
//! path and the result is the same either way.

use std::collections::BTreeMap;

use fructus_component::BlockContext;
use fructus_storage::{Access, Speculative, SpeculativeWrites, StateDelta, StateRead, StateWrite};
use fructus_types::Address;
use rayon::prelude::*;

use super::execute::{self, Charged};
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

/// Regrouping rounds before the block's messages run in order instead.
/// Each round merges at least two groups, so conflicts resolve in few
/// rounds or the block is mostly one chain of dependent transactions
/// (where order is the fastest anyway).
pub const MAX_ROUNDS: usize = 3;

/// Fewer charged transactions than this run in order (no gain in threads).
const MIN_PARALLEL: usize = 2;

/// What the message pass of one transaction starts from: its charge, or
/// the result it already has (refused before its messages).
pub(crate) type Stage = Result<(ParsedTx, Charged), TxResult>;

/// How the parallel pass of blocks went, counted since the app started
/// (for benchmarks and operators; not part of the state).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParallelStats {
    /// Message passes run in parallel to the end.
    pub parallel: u64,
    /// Message passes that fell back to block order.
    pub fell_back: u64,
    /// Groups executed, over all rounds (re-executions included).
    pub groups_run: u64,
    /// Transactions executed in groups, over all rounds.
    pub txs_run: u64,
    /// Transactions executed again after their group was merged.
    pub txs_rerun: u64,
}

/// One group's execution.
struct GroupRun {
    results: Vec<TxResult>,
    writes: SpeculativeWrites,
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
    let planned = plan(state, block, &staged, stats).and_then(|(groups, runs)| {
        let totals = summed_additions(state, &runs)?;
        Some((groups, runs, totals))
    });
    match planned {
        Some((groups, runs, totals)) => {
            stats.parallel = stats.parallel.saturating_add(1);
            keep(state, staged, groups, runs, totals)
        }
        None => {
            stats.fell_back = stats.fell_back.saturating_add(1);
            sequential(state, block, staged)
        }
    }
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

fn internal(e: fructus_component::TxError) -> AppError {
    AppError::Internal {
        codespace: e.codespace,
        message: e.message,
    }
}

/// Groups, runs and regroups until no two groups conflict; `None` means
/// run in order instead.
fn plan(
    state: &StateDelta,
    block: &BlockContext,
    staged: &[Stage],
    stats: &mut ParallelStats,
) -> Option<(Vec<Vec<usize>>, Vec<GroupRun>)> {
    let mut groups = by_signer(staged);
    let mut runs: Vec<Option<GroupRun>> = groups.iter().map(|_| None).collect();
    for round in 0..MAX_ROUNDS {
        let todo: Vec<usize> = (0..groups.len()).filter(|g| runs[*g].is_none()).collect();
        let done: Vec<(usize, Option<GroupRun>)> = todo
            .par_iter()
            .map(|&g| (g, run_group(state, block, &groups[g], staged)))
            .collect();
        for (g, run) in done {
            let txs = groups[g].len() as u64;
            stats.groups_run = stats.groups_run.saturating_add(1);
            stats.txs_run = stats.txs_run.saturating_add(txs);
            if round > 0 {
                stats.txs_rerun = stats.txs_rerun.saturating_add(txs);
            }
            runs[g] = Some(run?);
        }
        let mut sets = UnionFind::new(groups.len());
        let ready: Vec<&GroupRun> = runs.iter().flatten().collect();
        if ready.len() != groups.len() {
            return None;
        }
        for (a, b) in conflicts(&ready) {
            sets.union(a, b);
        }
        if sets.unions == 0 {
            let runs = runs.into_iter().flatten().collect();
            return Some((groups, runs));
        }
        (groups, runs) = regroup(groups, runs, &mut sets);
    }
    None
}

/// One group per signer, each in block order; groups ordered by their
/// first transaction.
fn by_signer(staged: &[Stage]) -> Vec<Vec<usize>> {
    let mut index: BTreeMap<Address, usize> = BTreeMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, stage) in staged.iter().enumerate() {
        let Ok((_, charged)) = stage else {
            continue;
        };
        let next = groups.len();
        let g = *index.entry(charged.signer()).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.get_mut(g) {
            group.push(i);
        }
    }
    groups
}

/// Executes one group on its own overlay; `None` if its view was
/// impossible or it hit an internal error (then the block runs in order).
fn run_group(
    state: &StateDelta,
    block: &BlockContext,
    txs: &[usize],
    staged: &[Stage],
) -> Option<GroupRun> {
    let mut overlay = Speculative::new(state);
    let mut results = Vec::with_capacity(txs.len());
    for &i in txs {
        let Some(Ok((parsed, charged))) = staged.get(i) else {
            return None;
        };
        let result = execute::run_messages(&mut overlay, parsed, block, charged.clone()).ok()?;
        results.push(result);
    }
    Some(GroupRun {
        results,
        writes: overlay.finish()?,
    })
}

/// Pairs of groups (by index in `runs`) that conflict.
fn conflicts(runs: &[&GroupRun]) -> Vec<(usize, usize)> {
    let mut touched: Vec<(&[u8], usize, Access)> = Vec::new();
    for (g, run) in runs.iter().enumerate() {
        touched.extend(run.writes.accesses().map(|(key, how)| (key, g, how)));
    }
    touched.sort_unstable();
    let mut pairs = Vec::new();
    let mut start = 0;
    while start < touched.len() {
        let key = touched[start].0;
        let end = touched[start..]
            .iter()
            .position(|(k, _, _)| *k != key)
            .map_or(touched.len(), |n| start.saturating_add(n));
        let same = &touched[start..end];
        let first = same[0].1;
        let shared = same.iter().any(|(_, g, _)| *g != first);
        let written = same.iter().any(|(_, _, how)| *how == Access::Write);
        let added = same.iter().any(|(_, _, how)| *how == Access::Add);
        let read = same.iter().any(|(_, _, how)| *how == Access::Read);
        if shared && (written || (added && read)) {
            pairs.extend(same.iter().map(|(_, g, _)| (first, *g)));
        }
        start = end;
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

/// Merges the groups `sets` joined (their transactions back in block
/// order; their runs dropped, to execute again) and keeps the others.
fn regroup(
    groups: Vec<Vec<usize>>,
    runs: Vec<Option<GroupRun>>,
    sets: &mut UnionFind,
) -> (Vec<Vec<usize>>, Vec<Option<GroupRun>>) {
    let mut merged: BTreeMap<usize, (Vec<usize>, Option<GroupRun>, usize)> = BTreeMap::new();
    for (g, (txs, run)) in groups.into_iter().zip(runs).enumerate() {
        let root = sets.find(g);
        let entry = merged.entry(root).or_insert_with(|| (Vec::new(), None, 0));
        entry.0.extend(txs);
        entry.1 = run;
        entry.2 = entry.2.saturating_add(1);
    }
    let mut out: Vec<(Vec<usize>, Option<GroupRun>)> = merged
        .into_values()
        .map(|(mut txs, run, members)| {
            txs.sort_unstable();
            (txs, if members == 1 { run } else { None })
        })
        .collect();
    out.sort_unstable_by_key(|(txs, _)| txs.first().copied());
    out.into_iter().unzip()
}

/// Each counter the groups added to, with its new value: the block's
/// value plus every group's additions. `None` if one would overflow or a
/// value is not a counter (then the messages run in order, and the
/// sequential pass reports what it reports).
fn summed_additions(state: &StateDelta, runs: &[GroupRun]) -> Option<Vec<(Vec<u8>, u128)>> {
    let mut sums: BTreeMap<&[u8], u128> = BTreeMap::new();
    for run in runs {
        for (key, amount) in &run.writes.adds {
            let sum = sums.entry(key.as_slice()).or_insert(0);
            *sum = sum.checked_add(*amount)?;
        }
    }
    let mut totals = Vec::with_capacity(sums.len());
    for (key, added) in sums {
        let have = state.get::<u128>(key).ok()?.unwrap_or(0);
        totals.push((key.to_vec(), have.checked_add(added)?));
    }
    Some(totals)
}

/// Keeps the groups' writes and the summed additions on the block's state
/// and returns the results in block order.
fn keep(
    state: &mut StateDelta,
    staged: Vec<Stage>,
    groups: Vec<Vec<usize>>,
    runs: Vec<GroupRun>,
    totals: Vec<(Vec<u8>, u128)>,
) -> Result<Vec<TxResult>, AppError> {
    let mut results: Vec<Option<TxResult>> = Vec::with_capacity(staged.len());
    for stage in staged {
        results.push(stage.err());
    }
    for (txs, run) in groups.into_iter().zip(runs) {
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
    for (key, total) in totals {
        state.put(key, &total)?;
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
