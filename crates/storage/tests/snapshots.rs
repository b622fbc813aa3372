//! State snapshots: the latest version exported in chunks and restored
//! into an empty store gives the same root, serves proofs at that version,
//! and takes further commits; a changed entry gives another root.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_storage::{ChangeSet, StateRead, Storage, StorageError};

fn source() -> (tempfile::TempDir, Storage) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    for v in 0..12u64 {
        let mut c = ChangeSet::new();
        for k in 0..40u64 {
            c.put(
                format!("key/{k}").into_bytes(),
                (v * k).to_be_bytes().to_vec(),
            );
        }
        c.put(format!("added/{v}").into_bytes(), vec![7; 100]);
        if v > 2 {
            c.delete(format!("added/{}", v - 2).into_bytes());
        }
        storage.commit(c, v).unwrap();
    }
    (dir, storage)
}

fn entries(chunks: &[Vec<u8>]) -> ChangeSet {
    let mut c = ChangeSet::new();
    for chunk in chunks {
        let pairs: Vec<(Vec<u8>, Vec<u8>)> = borsh::from_slice(chunk).unwrap();
        for (k, v) in pairs {
            c.put(k, v);
        }
    }
    c
}

#[test]
fn a_restored_snapshot_has_the_root_of_its_version_and_continues_from_it() {
    let (_dir, src) = source();
    let mut chunks = Vec::new();
    let (version, root) = src
        .export(128, |c| {
            chunks.push(c);
            Ok(())
        })
        .unwrap();
    assert_eq!(version, 11);
    assert_eq!(root, src.root_hash(11).unwrap());
    assert!(chunks.len() > 2, "small chunks: {}", chunks.len());

    let dir = tempfile::tempdir().unwrap();
    let restored = Storage::open(dir.path()).unwrap();
    assert_eq!(restored.restore(entries(&chunks), version).unwrap(), root);
    assert_eq!(restored.latest_version(), Some(11));
    assert_eq!(restored.oldest_version(), 11);
    assert!(matches!(
        restored.get_with_proof(b"key/3", 10),
        Err(StorageError::VersionPruned { oldest: 11, .. })
    ));
    let (value, proof) = restored.get_with_proof(b"key/3", 11).unwrap();
    assert_eq!(value, Some(33u64.to_be_bytes().to_vec()));
    proof
        .verify_membership(&root, b"key/3", &33u64.to_be_bytes())
        .unwrap();
    assert_eq!(
        restored
            .latest_snapshot()
            .unwrap()
            .get_raw(b"added/11")
            .unwrap(),
        Some(vec![7; 100])
    );

    // The next block commits on both and the roots agree.
    let next = || {
        let mut c = ChangeSet::new();
        c.put(b"key/1".to_vec(), b"after".to_vec());
        c.delete(b"added/10".to_vec());
        c
    };
    assert_eq!(
        src.commit(next(), 12).unwrap(),
        restored.commit(next(), 12).unwrap()
    );

    // A store that already holds state refuses a restore.
    assert!(matches!(
        restored.restore(entries(&chunks), 11),
        Err(StorageError::VersionMismatch { .. })
    ));
}

#[test]
fn a_changed_entry_restores_to_another_root() {
    let (_dir, src) = source();
    let mut chunks = Vec::new();
    let (version, root) = src
        .export(1 << 20, |c| {
            chunks.push(c);
            Ok(())
        })
        .unwrap();
    let mut tampered = entries(&chunks);
    tampered.put(b"key/5".to_vec(), b"forged".to_vec());
    let dir = tempfile::tempdir().unwrap();
    let restored = Storage::open(dir.path()).unwrap();
    assert_ne!(restored.restore(tampered, version).unwrap(), root);
}
