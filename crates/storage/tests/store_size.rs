//! What a version costs the store (issue 20, state per reading): the
//! tree's nodes are stored densely (`node_codec`) and fill their pages
//! (`page_filling_order`), and an archive writes no stale-node index.
//! Byte counts from redb's own table statistics: exact, not timed.

#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use fructus_storage::{ChangeSet, Storage, TableBytes};
use sha2::{Digest, Sha256};

const KEYS: u64 = 3000;
const VERSIONS: u64 = 20;
const CHANGED: u64 = 600;

fn table<'a>(tables: &'a [TableBytes], name: &str) -> &'a TableBytes {
    tables.iter().find(|t| t.name == name).unwrap()
}

#[test]
fn an_archives_tree_nodes_are_dense_and_fill_their_pages() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut genesis = ChangeSet::new();
    for k in 0..KEYS {
        genesis.put(format!("record/{k}").into_bytes(), vec![0; 100]);
    }
    storage.commit(genesis, 0).unwrap();
    for v in 1..=VERSIONS {
        // 600 of the 3000 records, spread over the key space like a
        // block's devices.
        let mut c = ChangeSet::new();
        for i in 0..CHANGED {
            let digest = Sha256::digest((v * CHANGED + i).to_be_bytes());
            let k = u64::from_be_bytes(digest[..8].try_into().unwrap()) % KEYS;
            c.put(format!("record/{k}").into_bytes(), vec![v as u8; 100]);
        }
        storage.commit(c, v).unwrap();
    }
    let stats = storage.stats().unwrap();
    let nodes = table(&stats.tables, "jmt_nodes");
    let pages = nodes.stored + nodes.metadata + nodes.fragmented;
    // jmt's own encoding takes 166 B a node here; ours 129.
    assert!(
        nodes.stored < stats.tree_nodes * 140,
        "{} B for {} nodes",
        nodes.stored,
        stats.tree_nodes
    );
    // 24 % here; inserted in key order, 46 %.
    assert!(
        nodes.fragmented * 100 < pages * 30,
        "{} of {} B of node pages are free",
        nodes.fragmented,
        pages
    );
    assert_eq!(table(&stats.tables, "jmt_stale").stored, 0);
    // Every version's root still proves its values.
    let (value, proof) = storage.get_with_proof(b"record/7", VERSIONS).unwrap();
    proof
        .verify_membership(
            &storage.root_hash(VERSIONS).unwrap(),
            b"record/7",
            value.as_deref().unwrap(),
        )
        .unwrap();
}
