//! Pruning keeps the latest N versions: proofs at kept versions verify,
//! older versions are refused with a typed error naming the oldest kept
//! one, and the tree stops growing with the number of versions.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_storage::{ChangeSet, Pruning, StateRead, Storage, StorageError};

/// Commits `versions` versions, each rewriting the same 50 keys and
/// adding one new key, and returns every root.
fn churn(storage: &Storage, versions: u64) -> Vec<fructus_storage::RootHash> {
    (0..versions)
        .map(|v| {
            let mut c = ChangeSet::new();
            for k in 0u8..50 {
                c.put(vec![b'k', k], v.to_be_bytes().to_vec());
            }
            c.put(format!("new/{v}").into_bytes(), vec![1; 16]);
            storage.commit(c, v).unwrap()
        })
        .collect()
}

#[test]
fn a_pruning_store_keeps_at_most_n_versions_and_serves_proofs_only_at_them() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.set_pruning(Pruning::KeepRecent(5));
    let roots = churn(&storage, 40);
    assert_eq!(storage.oldest_version(), 35);
    let stats = storage.stats().unwrap();
    assert_eq!(stats.versions_kept, 5);

    for v in 35..40u64 {
        assert_eq!(storage.root_hash(v).unwrap(), roots[v as usize]);
        let (value, proof) = storage.get_with_proof(b"k\x07", v).unwrap();
        assert_eq!(value, Some(v.to_be_bytes().to_vec()));
        proof
            .verify_membership(&roots[v as usize], b"k\x07", &v.to_be_bytes())
            .unwrap();
        // A key written once, long ago, is still proven at every kept version.
        let (value, proof) = storage.get_with_proof(b"new/0", v).unwrap();
        assert_eq!(value, Some(vec![1; 16]));
        proof
            .verify_membership(&roots[v as usize], b"new/0", &[1; 16])
            .unwrap();
    }
    for v in [0u64, 20, 34] {
        let err = storage.get_with_proof(b"k\x07", v).unwrap_err();
        assert!(
            matches!(err, StorageError::VersionPruned { version, oldest: 35 } if version == v),
            "{err}"
        );
        assert!(err.to_string().contains("from 35 on"), "{err}");
        assert!(matches!(
            storage.root_hash(v),
            Err(StorageError::VersionPruned { .. })
        ));
    }
    // The latest state is whole.
    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(snapshot.get_raw(b"new/3").unwrap(), Some(vec![1; 16]));
    assert_eq!(stats.live_keys, 50 + 40);

    // The same history in an archive store keeps every version, and many
    // more tree nodes and values.
    let archive_dir = tempfile::tempdir().unwrap();
    let archive = Storage::open(archive_dir.path()).unwrap();
    assert_eq!(churn(&archive, 40), roots, "pruning never changes a root");
    let full = archive.stats().unwrap();
    assert_eq!(full.versions_kept, 40);
    assert!(full.tree_values >= 50 * 40);
    assert!(stats.tree_values <= 50 * 6 + 40, "{stats:?}");
    assert!(
        stats.tree_nodes * 4 < full.tree_nodes,
        "{stats:?} vs {full:?}"
    );
    assert_eq!(full.live_bytes, stats.live_bytes);
}

#[test]
fn pruning_state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.set_pruning(Pruning::KeepRecent(3));
    churn(&storage, 10);
    drop(storage);
    let storage = Storage::open(dir.path()).unwrap();
    assert_eq!(storage.oldest_version(), 7);
    assert!(matches!(
        storage.get_with_proof(b"k\x01", 6),
        Err(StorageError::VersionPruned { oldest: 7, .. })
    ));
    assert!(storage.get_with_proof(b"k\x01", 7).is_ok());
    assert_eq!(
        storage.pruning(),
        Pruning::Archive,
        "pruning is set per open"
    );
}

#[test]
fn an_archive_writes_no_stale_index_and_prunes_from_the_switch_on() {
    let stale = |s: &Storage| {
        s.stats()
            .unwrap()
            .tables
            .iter()
            .find(|t| t.name == "jmt_stale")
            .unwrap()
            .stored
    };
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let roots = churn(&storage, 20);
    assert_eq!(stale(&storage), 0, "an archive has no use for the index");

    // Turned on later, pruning drops the old versions' roots at once and
    // the nodes made stale after the switch as they age out.
    storage.set_pruning(Pruning::KeepRecent(5));
    let mut c = ChangeSet::new();
    c.put(b"k\x07".to_vec(), b"after".to_vec());
    let latest = storage.commit(c, 20).unwrap();
    assert_eq!(storage.oldest_version(), 16);
    assert!(stale(&storage) > 0);
    assert!(matches!(
        storage.get_with_proof(b"k\x07", 15),
        Err(StorageError::VersionPruned { oldest: 16, .. })
    ));
    for v in 16..20u64 {
        let (value, proof) = storage.get_with_proof(b"k\x07", v).unwrap();
        assert_eq!(value, Some(v.to_be_bytes().to_vec()));
        proof
            .verify_membership(&roots[v as usize], b"k\x07", &v.to_be_bytes())
            .unwrap();
    }
    let (_, proof) = storage.get_with_proof(b"k\x07", 20).unwrap();
    proof
        .verify_membership(&latest, b"k\x07", b"after")
        .unwrap();
    let before = storage.stats().unwrap().tree_nodes;
    for v in 21..30u64 {
        let mut c = ChangeSet::new();
        c.put(b"k\x07".to_vec(), v.to_be_bytes().to_vec());
        storage.commit(c, v).unwrap();
    }
    assert!(
        storage.stats().unwrap().tree_nodes < before + 9 * 3,
        "the nodes made stale since the switch are pruned"
    );
}
