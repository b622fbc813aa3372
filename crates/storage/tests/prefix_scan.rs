//! prefix_raw: merge of the committed range with overlays, start_after,
//! limit; plus a model-based property test.

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;

use fructus_storage::{ChangeSet, StateDelta, StateRead, StateWrite, Storage};
use proptest::prelude::*;

type Entries = Vec<(Vec<u8>, Vec<u8>)>;

fn entries(list: &[(&[u8], &[u8])]) -> Entries {
    list.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect()
}

#[test]
fn merge_honours_overrides_deletes_start_after_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut set = ChangeSet::new();
    for key in [&b"p/1"[..], b"p/3", b"p/5", b"p/7", b"q/1", b"o/9"] {
        set.put(key.to_vec(), b"base".to_vec());
    }
    storage.commit(set, 0).unwrap();

    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(
        snapshot.prefix_raw(b"p/", None, 100).unwrap(),
        entries(&[
            (b"p/1", b"base"),
            (b"p/3", b"base"),
            (b"p/5", b"base"),
            (b"p/7", b"base")
        ])
    );

    let mut delta = StateDelta::new(snapshot);
    delta.put_raw(b"p/2".to_vec(), b"new".to_vec()); // insert between base keys
    delta.delete(b"p/3".to_vec()); // hide a base key
    delta.checkpoint();
    delta.put_raw(b"p/5".to_vec(), b"over".to_vec()); // override in an upper layer
    delta.put_raw(b"p/3".to_vec(), b"back".to_vec()); // undelete above the delete
    delta.delete(b"p/7".to_vec());
    delta.put_raw(b"p/8".to_vec(), b"tail".to_vec());
    delta.put_raw(b"q/0".to_vec(), b"other".to_vec()); // outside the prefix

    let all = entries(&[
        (b"p/1", b"base"),
        (b"p/2", b"new"),
        (b"p/3", b"back"),
        (b"p/5", b"over"),
        (b"p/8", b"tail"),
    ]);
    assert_eq!(delta.prefix_raw(b"p/", None, 100).unwrap(), all);
    assert_eq!(delta.prefix_raw(b"p/", None, 2).unwrap(), all[..2].to_vec());
    assert_eq!(delta.prefix_raw(b"p/", None, 0).unwrap(), Entries::new());
    assert_eq!(
        delta.prefix_raw(b"p/", Some(b"p/2"), 2).unwrap(),
        all[2..4].to_vec()
    );
    // start_after need not be a present key.
    assert_eq!(
        delta.prefix_raw(b"p/", Some(b"p/4"), 100).unwrap(),
        all[3..].to_vec()
    );
    // start_after before the prefix starts at the prefix; after it, nothing.
    assert_eq!(delta.prefix_raw(b"p/", Some(b"a"), 100).unwrap(), all);
    assert_eq!(
        delta.prefix_raw(b"p/", Some(b"z"), 100).unwrap(),
        Entries::new()
    );
    // Paging through with start_after visits everything exactly once.
    let mut paged = Entries::new();
    let mut cursor: Option<Vec<u8>> = None;
    loop {
        let page = delta.prefix_raw(b"p/", cursor.as_deref(), 2).unwrap();
        let Some((last, _)) = page.last() else { break };
        cursor = Some(last.clone());
        paged.extend(page);
    }
    assert_eq!(paged, all);

    delta.discard_checkpoint();
    assert_eq!(
        delta.prefix_raw(b"p/", None, 100).unwrap(),
        entries(&[
            (b"p/1", b"base"),
            (b"p/2", b"new"),
            (b"p/5", b"base"),
            (b"p/7", b"base")
        ])
    );
    // Empty prefix lists everything.
    assert_eq!(delta.prefix_raw(b"", None, 100).unwrap().len(), 6);
}

#[derive(Debug, Clone)]
enum Op {
    Put(u8, u8),
    Delete(u8),
    Checkpoint,
    Apply,
    Discard,
    Commit,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..24, any::<u8>()).prop_map(|(k, v)| Op::Put(k, v)),
        3 => (0u8..24).prop_map(Op::Delete),
        1 => Just(Op::Checkpoint),
        1 => Just(Op::Apply),
        1 => Just(Op::Discard),
        1 => Just(Op::Commit),
    ]
}

/// Keys spread over two prefixes so scans cross prefix boundaries.
fn key(k: u8) -> Vec<u8> {
    let prefix: &[u8] = if k.is_multiple_of(3) { b"x/" } else { b"y/" };
    let mut out = prefix.to_vec();
    out.push(k);
    out
}

type Model = BTreeMap<Vec<u8>, Vec<u8>>;

fn model_scan(model: &Model, prefix: &[u8], start_after: Option<&[u8]>, limit: usize) -> Entries {
    model
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .filter(|(k, _)| start_after.is_none_or(|s| k.as_slice() > s))
        .take(limit)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn check_scans(delta: &StateDelta, model: &Model) -> Result<(), TestCaseError> {
    for prefix in [&b""[..], b"x/", b"y/", b"z/"] {
        for start_after in [None, Some(key(5)), Some(key(9)), Some(b"y".to_vec())] {
            for limit in [0usize, 1, 3, 100] {
                let got = delta
                    .prefix_raw(prefix, start_after.as_deref(), limit)
                    .unwrap();
                let want = model_scan(model, prefix, start_after.as_deref(), limit);
                prop_assert_eq!(got, want);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn prefix_raw_matches_btreemap_model(ops in prop::collection::vec(op(), 1..60)) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        // One model per layer, mirroring the delta's stack.
        let mut committed = Model::new();
        let mut layers: Vec<Model> = vec![committed.clone()];
        let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
        let mut next_version = 0u64;

        for op in ops {
            let top = layers.last_mut().unwrap();
            match op {
                Op::Put(k, v) => {
                    delta.put_raw(key(k), vec![v]);
                    top.insert(key(k), vec![v]);
                }
                Op::Delete(k) => {
                    delta.delete(key(k));
                    top.remove(&key(k));
                }
                Op::Checkpoint => {
                    delta.checkpoint();
                    let copy = top.clone();
                    layers.push(copy);
                }
                Op::Apply => {
                    delta.apply_checkpoint();
                    if layers.len() > 1 {
                        let top = layers.pop().unwrap();
                        *layers.last_mut().unwrap() = top;
                    }
                }
                Op::Discard => {
                    delta.discard_checkpoint();
                    if layers.len() > 1 {
                        layers.pop();
                    }
                }
                Op::Commit => {
                    storage.commit(delta.into_changes(), next_version).unwrap();
                    next_version += 1;
                    committed = layers.pop().unwrap();
                    layers = vec![committed.clone()];
                    let snapshot = storage.latest_snapshot().unwrap();
                    check_scans_snapshot(&snapshot, &committed)?;
                    delta = StateDelta::new(snapshot);
                }
            }
            prop_assert_eq!(delta.depth(), layers.len());
            let model = layers.last().unwrap();
            for k in [0u8, 1, 5, 23] {
                prop_assert_eq!(delta.get_raw(&key(k)).unwrap(), model.get(&key(k)).cloned());
            }
        }
        check_scans(&delta, layers.last().unwrap())?;
    }
}

fn check_scans_snapshot(
    snapshot: &fructus_storage::Snapshot,
    model: &Model,
) -> Result<(), TestCaseError> {
    for prefix in [&b""[..], b"x/", b"y/"] {
        let got = snapshot.prefix_raw(prefix, None, 1000).unwrap();
        prop_assert_eq!(got, model_scan(model, prefix, None, 1000));
    }
    Ok(())
}
