//! The stored tree is jmt's tree: the same value sets committed to the
//! store and to jmt's own in-memory store give the same root at every
//! version, and the store's proofs verify against it. What the store adds
//! — its node layout (`node_codec`), the order it writes nodes in, the
//! tree computed on a read transaction beside the commit's other writes —
//! must change none of that.

#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use fructus_storage::{ChangeSet, Storage};
use jmt::mock::MockTreeStore;
use jmt::{JellyfishMerkleTree, KeyHash};
use proptest::prelude::*;
use sha2::Sha256;

/// One version: `(key index, None = delete | Some(value byte))`.
type Version = Vec<(u8, Option<u8>)>;

fn versions() -> impl Strategy<Value = Vec<Version>> {
    let write = (0u8..40, prop::option::weighted(0.8, any::<u8>()));
    prop::collection::vec(prop::collection::vec(write, 1..25), 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_root_is_jmts_own(versions in versions()) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let reference = MockTreeStore::default();
        for (v, writes) in versions.iter().enumerate() {
            let version = v as u64;
            let mut changes = ChangeSet::new();
            let mut model = std::collections::BTreeMap::new();
            for (k, value) in writes {
                let key = format!("key/{k}").into_bytes();
                let value = value.map(|b| vec![b; 1 + usize::from(b % 7)]);
                match &value {
                    Some(bytes) => changes.put(key.clone(), bytes.clone()),
                    None => changes.delete(key.clone()),
                }
                model.insert(key, value);
            }
            let root = storage.commit(changes, version).unwrap();
            let set = model
                .iter()
                .map(|(key, value)| (KeyHash::with::<Sha256>(key), value.clone()));
            let (expected, batch) = JellyfishMerkleTree::<_, Sha256>::new(&reference)
                .put_value_set(set, version)
                .unwrap();
            reference.write_tree_update_batch(batch).unwrap();
            prop_assert_eq!(root.0, expected.0, "version {}", version);
        }
        // Proofs at every version, read back through the stored layout.
        let latest = versions.len() as u64 - 1;
        for version in [0, latest / 2, latest] {
            let root = storage.root_hash(version).unwrap();
            for k in [0u8, 7, 39] {
                let key = format!("key/{k}").into_bytes();
                let (value, proof) = storage.get_with_proof(&key, version).unwrap();
                let (expected, _) = JellyfishMerkleTree::<_, Sha256>::new(&reference)
                    .get_with_proof(KeyHash::with::<Sha256>(&key), version)
                    .unwrap();
                prop_assert_eq!(&value, &expected);
                match value {
                    Some(v) => proof.verify_membership(&root, &key, &v).unwrap(),
                    None => proof.verify_non_membership(&root, &key).unwrap(),
                }
            }
        }
    }
}
