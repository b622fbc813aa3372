//! StateDelta layering: checkpoint / apply / discard, nesting, and what
//! reaches the commit.

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_storage::{ChangeSet, StateDelta, StateRead, StateWrite, Storage};

fn base_storage() -> (tempfile::TempDir, Storage) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut set = ChangeSet::new();
    set.put(b"base".to_vec(), b"b".to_vec());
    set.put(b"gone".to_vec(), b"g".to_vec());
    storage.commit(set, 0).unwrap();
    (dir, storage)
}

fn get(delta: &StateDelta, key: &[u8]) -> Option<Vec<u8>> {
    delta.get_raw(key).unwrap()
}

#[test]
fn discarded_checkpoint_leaves_no_trace() {
    let (_dir, storage) = base_storage();
    let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
    delta.put_raw(b"block".to_vec(), b"1".to_vec());
    delta.checkpoint();
    assert_eq!(delta.depth(), 2);
    delta.put_raw(b"tx".to_vec(), b"x".to_vec());
    delta.put_raw(b"block".to_vec(), b"overwritten".to_vec());
    delta.delete(b"base".to_vec());
    assert_eq!(get(&delta, b"tx"), Some(b"x".to_vec()));
    assert_eq!(get(&delta, b"base"), None);
    delta.discard_checkpoint();
    assert_eq!(delta.depth(), 1);
    assert_eq!(get(&delta, b"tx"), None);
    assert_eq!(get(&delta, b"block"), Some(b"1".to_vec()));
    assert_eq!(get(&delta, b"base"), Some(b"b".to_vec()));

    let changes = delta.into_changes();
    let collected: Vec<_> = changes.iter().collect();
    assert_eq!(collected, vec![(&b"block"[..], Some(&b"1"[..]))]);
}

#[test]
fn applied_checkpoint_keeps_writes() {
    let (_dir, storage) = base_storage();
    let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
    delta.checkpoint();
    delta.put_raw(b"tx".to_vec(), b"x".to_vec());
    delta.delete(b"gone".to_vec());
    delta.apply_checkpoint();
    assert_eq!(delta.depth(), 1);
    assert_eq!(get(&delta, b"tx"), Some(b"x".to_vec()));
    assert_eq!(get(&delta, b"gone"), None);
    // A later discard cannot undo an applied checkpoint.
    delta.discard_checkpoint();
    assert_eq!(get(&delta, b"tx"), Some(b"x".to_vec()));

    storage.commit(delta.into_changes(), 1).unwrap();
    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(snapshot.get_raw(b"tx").unwrap(), Some(b"x".to_vec()));
    assert_eq!(snapshot.get_raw(b"gone").unwrap(), None);
    assert_eq!(snapshot.get_raw(b"base").unwrap(), Some(b"b".to_vec()));
}

#[test]
fn nested_layers_resolve_top_down() {
    let (_dir, storage) = base_storage();
    let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
    delta.put_raw(b"k".to_vec(), b"L0".to_vec());
    delta.checkpoint();
    delta.put_raw(b"k".to_vec(), b"L1".to_vec());
    delta.checkpoint();
    delta.delete(b"k".to_vec());
    delta.checkpoint();
    delta.put_raw(b"k".to_vec(), b"L3".to_vec());
    assert_eq!(delta.depth(), 4);
    assert_eq!(get(&delta, b"k"), Some(b"L3".to_vec()));
    delta.discard_checkpoint();
    assert_eq!(get(&delta, b"k"), None);
    delta.apply_checkpoint(); // the delete folds into layer 1
    assert_eq!(delta.depth(), 2);
    assert_eq!(get(&delta, b"k"), None);
    delta.discard_checkpoint(); // drops layer 1, including the folded delete
    assert_eq!(get(&delta, b"k"), Some(b"L0".to_vec()));

    // Inner success inside an outer failure is still discarded.
    delta.checkpoint();
    delta.checkpoint();
    delta.put_raw(b"inner".to_vec(), b"i".to_vec());
    delta.apply_checkpoint();
    assert_eq!(get(&delta, b"inner"), Some(b"i".to_vec()));
    delta.discard_checkpoint();
    assert_eq!(get(&delta, b"inner"), None);
    assert_eq!(delta.depth(), 1);
}

#[test]
fn base_layer_calls_are_noops() {
    let (_dir, storage) = base_storage();
    let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
    delta.put_raw(b"block".to_vec(), b"1".to_vec());
    delta.apply_checkpoint();
    delta.discard_checkpoint();
    assert_eq!(delta.depth(), 1);
    assert_eq!(get(&delta, b"block"), Some(b"1".to_vec()));
}

#[test]
fn into_changes_merges_open_layers_top_wins() {
    let (_dir, storage) = base_storage();
    let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
    delta.put_raw(b"a".to_vec(), b"0".to_vec());
    delta.put_raw(b"b".to_vec(), b"0".to_vec());
    delta.checkpoint();
    delta.put_raw(b"a".to_vec(), b"1".to_vec());
    delta.delete(b"b".to_vec());
    let changes = delta.into_changes();
    assert_eq!(changes.len(), 2);
    let collected: Vec<_> = changes.iter().collect();
    assert_eq!(
        collected,
        vec![(&b"a"[..], Some(&b"1"[..])), (&b"b"[..], None)]
    );
}
