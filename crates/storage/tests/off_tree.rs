//! Keys kept beside the tree (`OFF_TREE_PREFIX`): read like any key, not
//! part of the root, no proof, latest value only (a deletion frees it even
//! in an archive), carried by export and restore.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_storage::{ChangeSet, OFF_TREE_PREFIX, StateRead, Storage, StorageError};

fn side(name: &str) -> Vec<u8> {
    let mut key = vec![OFF_TREE_PREFIX];
    key.extend_from_slice(name.as_bytes());
    key
}

fn tree_only(v: u64) -> ChangeSet {
    let mut c = ChangeSet::new();
    c.put(b"key/a".to_vec(), v.to_be_bytes().to_vec());
    c
}

#[test]
fn an_off_tree_key_is_read_but_never_changes_the_root() {
    let with = tempfile::tempdir().unwrap();
    let with = Storage::open(with.path()).unwrap();
    let without = tempfile::tempdir().unwrap();
    let without = Storage::open(without.path()).unwrap();
    for v in 0..3u64 {
        let mut c = tree_only(v);
        c.put(side(&format!("list/{v}")), vec![v as u8; 5000]);
        assert_eq!(
            with.commit(c, v).unwrap(),
            without.commit(tree_only(v), v).unwrap()
        );
    }
    let snapshot = with.latest_snapshot().unwrap();
    assert_eq!(
        snapshot.get_raw(&side("list/1")).unwrap(),
        Some(vec![1u8; 5000])
    );
    assert_eq!(
        snapshot.prefix_raw(&side("list/"), None, 10).unwrap().len(),
        3
    );
    assert!(matches!(
        with.get_with_proof(&side("list/1"), 2),
        Err(StorageError::NotInTree { .. })
    ));
    // Not in the tree's values: the archive keeps no version of it.
    assert_eq!(
        with.stats().unwrap().tree_values,
        without.stats().unwrap().tree_values
    );
}

#[test]
fn deleting_an_off_tree_key_frees_it_even_in_an_archive() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut c = tree_only(0);
    c.put(side("list/0"), vec![9; 100]);
    storage.commit(c, 0).unwrap();
    let mut c = tree_only(1);
    c.delete(side("list/0"));
    storage.commit(c, 1).unwrap();
    assert_eq!(
        storage
            .latest_snapshot()
            .unwrap()
            .get_raw(&side("list/0"))
            .unwrap(),
        None
    );
    let stats = storage.stats().unwrap();
    assert_eq!(stats.live_keys, 1);
    assert_eq!(stats.versions_kept, 2);
}

#[test]
fn export_and_restore_carry_off_tree_keys_under_the_same_root() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut c = tree_only(0);
    c.put(side("list/0"), vec![3; 70_000]);
    let root = storage.commit(c, 0).unwrap();
    let mut entries = ChangeSet::new();
    let (version, exported_root) = storage
        .export(1 << 16, |chunk| {
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = borsh::from_slice(&chunk).unwrap();
            for (k, v) in pairs {
                entries.put(k, v);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(exported_root, root);
    let restored_dir = tempfile::tempdir().unwrap();
    let restored = Storage::open(restored_dir.path()).unwrap();
    assert_eq!(restored.restore(entries, version).unwrap(), root);
    assert_eq!(
        restored
            .latest_snapshot()
            .unwrap()
            .get_raw(&side("list/0"))
            .unwrap(),
        Some(vec![3; 70_000])
    );
}
