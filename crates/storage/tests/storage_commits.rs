//! Committing versions: values, roots, reopening, version rules.

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_storage::{ChangeSet, StateDelta, StateRead, StateWrite, Storage, StorageError};

fn changes(entries: &[(&[u8], Option<&[u8]>)]) -> ChangeSet {
    let mut set = ChangeSet::new();
    for (key, value) in entries {
        match value {
            Some(value) => set.put(key.to_vec(), value.to_vec()),
            None => set.delete(key.to_vec()),
        }
    }
    set
}

#[test]
fn put_get_delete_across_commits() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    assert_eq!(storage.latest_version(), None);
    let empty = storage.latest_snapshot().unwrap();
    assert_eq!(empty.version(), None);
    assert_eq!(empty.get_raw(b"a").unwrap(), None);

    storage
        .commit(changes(&[(b"a", Some(b"1")), (b"b", Some(b"2"))]), 0)
        .unwrap();
    assert_eq!(storage.latest_version(), Some(0));

    let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
    assert_eq!(delta.base_version(), Some(0));
    assert_eq!(delta.get_raw(b"a").unwrap(), Some(b"1".to_vec()));
    delta.put_raw(b"a".to_vec(), b"10".to_vec());
    delta.delete(b"b".to_vec());
    delta.put_raw(b"c".to_vec(), b"3".to_vec());
    storage.commit(delta.into_changes(), 1).unwrap();

    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(snapshot.version(), Some(1));
    assert_eq!(snapshot.get_raw(b"a").unwrap(), Some(b"10".to_vec()));
    assert_eq!(snapshot.get_raw(b"b").unwrap(), None);
    assert_eq!(snapshot.get_raw(b"c").unwrap(), Some(b"3".to_vec()));

    // Older versions stay provable.
    assert_eq!(
        storage.get_with_proof(b"b", 0).unwrap().0,
        Some(b"2".to_vec())
    );
    assert_eq!(storage.get_with_proof(b"b", 1).unwrap().0, None);
    assert_eq!(
        storage.get_with_proof(b"a", 0).unwrap().0,
        Some(b"1".to_vec())
    );
    assert_eq!(
        storage.get_with_proof(b"a", 1).unwrap().0,
        Some(b"10".to_vec())
    );
}

#[test]
fn snapshot_is_isolated_from_later_commits() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.commit(changes(&[(b"k", Some(b"old"))]), 0).unwrap();
    let before = storage.latest_snapshot().unwrap();
    storage.commit(changes(&[(b"k", Some(b"new"))]), 1).unwrap();
    assert_eq!(before.version(), Some(0));
    assert_eq!(before.get_raw(b"k").unwrap(), Some(b"old".to_vec()));
    assert_eq!(
        storage.latest_snapshot().unwrap().get_raw(b"k").unwrap(),
        Some(b"new".to_vec())
    );
}

#[test]
fn clones_of_a_snapshot_keep_its_version_after_it_is_dropped_and_after_commits() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.commit(changes(&[(b"k", Some(b"old"))]), 0).unwrap();
    let original = storage.latest_snapshot().unwrap();
    let clone = original.clone();
    // A delta owns its clone, as each admission check does.
    let over_clone = StateDelta::new(original.clone());
    drop(original);
    storage.commit(changes(&[(b"k", Some(b"new"))]), 1).unwrap();
    storage.commit(changes(&[(b"k", None)]), 2).unwrap();
    assert_eq!(clone.version(), Some(0));
    assert_eq!(clone.get_raw(b"k").unwrap(), Some(b"old".to_vec()));
    assert_eq!(over_clone.get_raw(b"k").unwrap(), Some(b"old".to_vec()));
    assert_eq!(
        clone.prefix_raw(b"k", None, 10).unwrap(),
        vec![(b"k".to_vec(), b"old".to_vec())]
    );
    let latest = storage.latest_snapshot().unwrap();
    assert_eq!(latest.version(), Some(2));
    assert_eq!(latest.get_raw(b"k").unwrap(), None);
}

#[test]
fn typed_get_put_and_decode_error_names_key() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut delta = StateDelta::new(storage.latest_snapshot().unwrap());
    delta.put(b"n".to_vec(), &42u64).unwrap();
    delta.put_raw(b"bad".to_vec(), vec![1, 2, 3]);
    assert_eq!(delta.get::<u64>(b"n").unwrap(), Some(42));
    match delta.get::<u64>(b"bad") {
        Err(StorageError::Decode { key, .. }) => assert_eq!(key, hex::encode(b"bad")),
        other => panic!("expected a decode error, got {other:?}"),
    }
    storage.commit(delta.into_changes(), 0).unwrap();
    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(snapshot.get::<u64>(b"n").unwrap(), Some(42));
    let listed = snapshot.prefix::<u64>(b"n", None, 10).unwrap();
    assert_eq!(listed, vec![(b"n".to_vec(), 42u64)]);
}

#[test]
fn empty_first_commit_has_well_defined_root() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let sa = Storage::open(a.path()).unwrap();
    let sb = Storage::open(b.path()).unwrap();
    let ra = sa.commit(ChangeSet::new(), 0).unwrap();
    let rb = sb.commit(ChangeSet::new(), 0).unwrap();
    assert_eq!(ra, rb);
    assert_eq!(sa.root_hash(0).unwrap(), ra);
    // An empty commit on top keeps the root.
    let r1 = sa.commit(ChangeSet::new(), 1).unwrap();
    assert_eq!(r1, ra);
    // Deleting a key that never existed changes nothing either.
    let r2 = sa.commit(changes(&[(b"ghost", None)]), 2).unwrap();
    assert_eq!(r2, ra);
    let (value, proof) = sa.get_with_proof(b"x", 2).unwrap();
    assert_eq!(value, None);
    proof.verify_non_membership(&r2, b"x").unwrap();
}

#[test]
fn root_tracks_content() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let sa = Storage::open(a.path()).unwrap();
    let sb = Storage::open(b.path()).unwrap();

    let r0 = sa.commit(changes(&[(b"x", Some(b"1"))]), 0).unwrap();
    let r1 = sa.commit(changes(&[(b"x", Some(b"2"))]), 1).unwrap();
    assert_ne!(r0, r1, "root must change when a value changes");

    // Same final content through a different history and insertion order.
    sb.commit(changes(&[(b"y", Some(b"tmp")), (b"x", Some(b"0"))]), 0)
        .unwrap();
    let rb = sb
        .commit(changes(&[(b"y", None), (b"x", Some(b"2"))]), 1)
        .unwrap();
    assert_eq!(r1, rb, "identical content must give identical roots");

    // Deleting back to the earlier content gives back the earlier root.
    let r2 = sa.commit(changes(&[(b"x", Some(b"1"))]), 2).unwrap();
    assert_eq!(r2, r0);
}

#[test]
fn reopen_keeps_version_root_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("state");
    let (root, root0) = {
        let storage = Storage::open(&path).unwrap();
        let root0 = storage
            .commit(changes(&[(b"a", Some(b"1")), (b"b", Some(b"2"))]), 0)
            .unwrap();
        let root = storage
            .commit(changes(&[(b"b", None), (b"c", Some(b"3"))]), 1)
            .unwrap();
        (root, root0)
    };
    assert!(path.join(fructus_storage::DB_FILE_NAME).exists());
    let storage = Storage::open(&path).unwrap();
    assert_eq!(storage.latest_version(), Some(1));
    assert_eq!(storage.root_hash(1).unwrap(), root);
    assert_eq!(storage.root_hash(0).unwrap(), root0);
    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(snapshot.version(), Some(1));
    assert_eq!(snapshot.get_raw(b"a").unwrap(), Some(b"1".to_vec()));
    assert_eq!(snapshot.get_raw(b"b").unwrap(), None);
    assert_eq!(snapshot.get_raw(b"c").unwrap(), Some(b"3".to_vec()));
    // And it keeps committing where it left off.
    let root2 = storage.commit(changes(&[(b"d", Some(b"4"))]), 2).unwrap();
    assert_ne!(root2, root);
}

#[test]
fn wrong_versions_are_rejected_without_effect() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    match storage.commit(changes(&[(b"a", Some(b"1"))]), 1) {
        Err(StorageError::VersionMismatch {
            expected: 0,
            got: 1,
        }) => {}
        other => panic!("expected VersionMismatch, got {other:?}"),
    }
    assert_eq!(storage.latest_version(), None);
    assert_eq!(
        storage.latest_snapshot().unwrap().get_raw(b"a").unwrap(),
        None
    );

    storage.commit(changes(&[(b"a", Some(b"1"))]), 0).unwrap();
    for bad in [0u64, 2, 7] {
        match storage.commit(changes(&[(b"a", Some(b"bad"))]), bad) {
            Err(StorageError::VersionMismatch { expected: 1, got }) => assert_eq!(got, bad),
            other => panic!("expected VersionMismatch, got {other:?}"),
        }
    }
    assert_eq!(storage.latest_version(), Some(0));
    assert_eq!(
        storage.latest_snapshot().unwrap().get_raw(b"a").unwrap(),
        Some(b"1".to_vec())
    );
    assert!(matches!(
        storage.root_hash(1),
        Err(StorageError::VersionNotFound {
            version: 1,
            latest: Some(0)
        })
    ));
    assert!(matches!(
        storage.get_with_proof(b"a", 5),
        Err(StorageError::VersionNotFound { version: 5, .. })
    ));
}

#[test]
fn storage_and_snapshot_are_send_sync_and_clones_share_state() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Storage>();
    assert_send_sync::<fructus_storage::Snapshot>();
    assert_send_sync::<StateDelta>();

    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let clone = storage.clone();
    let handle = std::thread::spawn(move || clone.commit(changes(&[(b"t", Some(b"1"))]), 0));
    handle.join().unwrap().unwrap();
    assert_eq!(storage.latest_version(), Some(0));
}

#[test]
fn syncing_in_the_background_changes_no_root_and_a_dropped_store_reopens_at_once() {
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let foreground = Storage::open(dir_a.path()).unwrap();
    let background = Storage::open(dir_b.path()).unwrap();
    assert!(!background.sync_in_background());
    background.set_sync_in_background(true);
    assert!(background.sync_in_background());
    for version in 0..12u64 {
        let set = changes(&[
            (&version.to_be_bytes(), Some(b"v")),
            (b"counter", Some(&version.to_be_bytes())),
        ]);
        let root = foreground.commit(set.clone(), version).unwrap();
        assert_eq!(background.commit(set, version).unwrap(), root);
        // Visible to readers as soon as the commit returns.
        let snapshot = background.latest_snapshot().unwrap();
        assert_eq!(snapshot.version(), Some(version));
        assert_eq!(
            snapshot.get_raw(b"counter").unwrap(),
            Some(version.to_be_bytes().to_vec())
        );
    }
    background.sync().unwrap();
    let root = background.root_hash(11).unwrap();
    // The last handle's drop waits for the sync thread, which shares the
    // database: the file is closed when the drop returns.
    drop(background);
    let reopened = Storage::open(dir_b.path()).unwrap();
    assert_eq!(reopened.latest_version(), Some(11));
    assert_eq!(reopened.root_hash(11).unwrap(), root);
    assert!(!reopened.sync_in_background());

    // The same without an explicit sync, right after a commit.
    reopened.set_sync_in_background(true);
    reopened
        .commit(changes(&[(b"counter", Some(b"last"))]), 12)
        .unwrap();
    drop(reopened);
    let again = Storage::open(dir_b.path()).unwrap();
    assert_eq!(again.latest_version(), Some(12));
}

#[test]
fn a_staged_version_is_invisible_until_committed_and_gone_if_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.commit(changes(&[(b"a", Some(b"1"))]), 0).unwrap();
    let root0 = storage.root_hash(0).unwrap();

    // Dropped: nothing of it stays, and the version can be written again.
    let staged = storage
        .stage(changes(&[(b"a", Some(b"dropped"))]), 1)
        .unwrap();
    assert_eq!(staged.version(), 1);
    drop(staged);
    assert_eq!(storage.latest_version(), Some(0));
    let latest = storage.latest_snapshot().unwrap();
    assert_eq!(latest.get_raw(b"a").unwrap(), Some(b"1".to_vec()));
    assert_eq!(storage.root_hash(0).unwrap(), root0);

    // Staged: readers still see version 0 (a snapshot taken meanwhile
    // too); committed, it is the latest with the root staging announced.
    let staged = storage.stage(changes(&[(b"a", Some(b"2"))]), 1).unwrap();
    let announced = staged.root();
    let during = storage.latest_snapshot().unwrap();
    assert_eq!(during.version(), Some(0));
    assert_eq!(during.get_raw(b"a").unwrap(), Some(b"1".to_vec()));
    assert_eq!(storage.latest_version(), Some(0));
    assert_eq!(staged.commit().unwrap(), announced);
    assert_eq!(storage.latest_version(), Some(1));
    assert_eq!(storage.root_hash(1).unwrap(), announced);
    let after = storage.latest_snapshot().unwrap();
    assert_eq!(after.get_raw(b"a").unwrap(), Some(b"2".to_vec()));
    // The snapshot taken while it was staged keeps version 0.
    assert_eq!(during.get_raw(b"a").unwrap(), Some(b"1".to_vec()));

    // The same rules as a commit: a wrong version is refused at staging.
    assert!(matches!(
        storage.stage(changes(&[(b"a", Some(b"3"))]), 5),
        Err(StorageError::VersionMismatch {
            expected: 2,
            got: 5
        })
    ));
    assert_eq!(storage.latest_version(), Some(1));
}
