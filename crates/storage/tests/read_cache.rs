//! Point reads of the latest version go through a memo the store's
//! snapshots share (`read_cache`): whatever the order of commits and of
//! reads through old and new snapshots, every read returns what that
//! snapshot's version holds.

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;

use fructus_storage::{ChangeSet, Snapshot, StateRead, Storage};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    /// Commit the next version: put (`Some`) or delete (`None`) keys.
    Commit(Vec<(u8, Option<u8>)>),
    /// Take a snapshot of the latest version and keep it.
    Snapshot,
    /// Read key `k` through kept snapshot `i` (modulo how many are kept).
    Read(usize, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        prop::collection::vec((0u8..8, prop::option::of(any::<u8>())), 1..4).prop_map(Op::Commit),
        Just(Op::Snapshot),
        (any::<usize>(), 0u8..8).prop_map(|(i, k)| Op::Read(i, k)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_read_returns_what_its_snapshots_version_holds(
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        // The state after each version, kept whole (the model).
        let mut versions: Vec<BTreeMap<u8, u8>> = Vec::new();
        let mut kept: Vec<(Snapshot, Option<usize>)> = Vec::new();
        for op in ops {
            match op {
                Op::Commit(entries) => {
                    let mut state = versions.last().cloned().unwrap_or_default();
                    let mut changes = ChangeSet::new();
                    for (k, v) in entries {
                        match v {
                            Some(v) => {
                                changes.put(vec![b'k', k], vec![v]);
                                state.insert(k, v);
                            }
                            None => {
                                changes.delete(vec![b'k', k]);
                                state.remove(&k);
                            }
                        }
                    }
                    storage.commit(changes, versions.len() as u64).unwrap();
                    versions.push(state);
                }
                Op::Snapshot => {
                    let snapshot = storage.latest_snapshot().unwrap();
                    let version = snapshot.version().map(|v| v as usize);
                    prop_assert_eq!(version, versions.len().checked_sub(1));
                    kept.push((snapshot, version));
                }
                Op::Read(i, k) => {
                    if kept.is_empty() {
                        continue;
                    }
                    let (snapshot, version) = &kept[i % kept.len()];
                    let expected = version
                        .and_then(|v| versions[v].get(&k))
                        .map(|v| vec![*v]);
                    // Twice: the second read may come from the memo.
                    for _ in 0..2 {
                        prop_assert_eq!(snapshot.get_raw(&[b'k', k]).unwrap(), expected.clone());
                    }
                }
            }
        }
    }
}
