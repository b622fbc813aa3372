//! What the included-transaction window costs the store (issue 20): 25
//! versions of a block of 2000 transactions each, in archive mode, with
//! what every block rewrites anyway (600 records of 100 bytes, about a
//! readings block's module records) plus either the window as the app kept
//! it before issue 20 (one key per transaction hash, `app/included/{hash}`,
//! and the block's list), the block's list only as a tree key (as the app
//! kept it until the list moved beside the tree), the list beside the tree
//! with its hash in the tree (as `fructus_app::pipeline::window` keeps it
//! now), or neither. Prints the storage directory's growth per transaction (the
//! figure `fructus bench app` reports as state written), the pages redb
//! allocated per transaction (what the file would grow by if redb did not
//! grow it in steps), the tree's node and value counts, and per table the
//! bytes of keys and values stored, of page headers and branch keys, and of
//! free space inside pages.
//!
//! `cargo run --release -p fructus-storage --example window_cost`
// A measurement tool: a failed write should stop it loudly, and its
// counters are far from overflow.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
use fructus_storage::{ChangeSet, DB_FILE_NAME, OFF_TREE_PREFIX, Storage};
use redb::{ReadableDatabase, ReadableTableMetadata, TableDefinition};
use sha2::Digest;

const TXS: u64 = 2000;

/// Where a variant keeps the block's list.
#[derive(Clone, Copy)]
enum List {
    /// A tree key (`app/included_at/{height}`).
    InTree,
    /// A key beside the tree (`OFF_TREE_PREFIX`), its SHA-256 in a tree key.
    BesideTree,
    /// Nowhere.
    None,
}
const VERSIONS: u64 = 25;

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

/// Bytes of pages redb has allocated in the database at `dir`.
fn allocated(dir: &std::path::Path) -> u64 {
    let db = redb::Database::open(dir.join(DB_FILE_NAME)).unwrap();
    let txn = db.begin_write().unwrap();
    let stats = txn.stats().unwrap();
    let bytes = stats.allocated_pages() * stats.page_size() as u64;
    txn.abort().unwrap();
    bytes
}

/// Per table: stored, metadata and fragmented bytes, leaf pages.
fn tables(dir: &std::path::Path) -> String {
    let db = redb::Database::open(dir.join(DB_FILE_NAME)).unwrap();
    let txn = db.begin_read().unwrap();
    let mut out = String::new();
    // Not `jmt_stale`: an archive never writes it (only pruning reads it).
    for name in ["jmt_nodes", "jmt_values", "kv"] {
        let def: TableDefinition<'_, &[u8], &[u8]> = TableDefinition::new(name);
        let t = txn.open_table(def).unwrap();
        let s = t.stats().unwrap();
        out.push_str(&format!(
            "\n    {name:<11} stored {:>9} B, metadata {:>8} B, fragmented {:>9} B, {:>5} leaf pages",
            s.stored_bytes(),
            s.metadata_bytes(),
            s.fragmented_bytes(),
            s.leaf_pages()
        ));
    }
    out
}

fn main() {
    let variants = [
        (
            "window before: per-hash keys + per-block list",
            true,
            List::InTree,
        ),
        (
            "window until now: per-block list in the tree",
            false,
            List::InTree,
        ),
        (
            "window now: list beside the tree, its hash in it",
            false,
            List::BesideTree,
        ),
        ("neither", false, List::None),
    ];
    for (name, per_hash, list_at) in variants {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let mut cs = ChangeSet::new();
        for k in 0..600u32 {
            cs.put(format!("mod/rec/{k:06}").into_bytes(), vec![1u8; 100]);
        }
        s.commit(cs, 0).unwrap();
        drop(s);
        let before = dir_size(dir.path());
        let allocated_before = allocated(dir.path());
        let s = Storage::open(dir.path()).unwrap();
        let mut n = 0u64;
        for v in 1..=VERSIONS {
            let mut cs = ChangeSet::new();
            for k in 0..600u32 {
                cs.put(
                    format!("mod/rec/{k:06}").into_bytes(),
                    vec![(v % 251) as u8; 100],
                );
            }
            let mut list = Vec::new();
            for _ in 0..TXS {
                n += 1;
                let h: [u8; 32] = sha2::Sha256::digest(n.to_le_bytes()).into();
                if per_hash {
                    let mut key = b"app/included/".to_vec();
                    key.extend_from_slice(&h);
                    cs.put(key, v.to_le_bytes().to_vec());
                }
                list.extend_from_slice(&h);
            }
            match list_at {
                List::InTree => {
                    cs.put(format!("app/included_at/{v:08}").into_bytes(), list);
                }
                List::BesideTree => {
                    cs.put(
                        format!("app/included_digest/{v:08}").into_bytes(),
                        sha2::Sha256::digest(&list).to_vec(),
                    );
                    let mut key = vec![OFF_TREE_PREFIX];
                    key.extend_from_slice(format!("app/included_at/{v:08}").as_bytes());
                    cs.put(key, list);
                }
                List::None => {}
            }
            s.commit(cs, v).unwrap();
        }
        let st = s.stats().unwrap();
        drop(s);
        let txs = TXS * VERSIONS;
        let after = dir_size(dir.path());
        println!(
            "{name}: {} B/tx directory growth, {} B/tx allocated, {} tree nodes, {} tree values{}",
            (after - before) / txs,
            (allocated(dir.path()) - allocated_before) / txs,
            st.tree_nodes,
            st.tree_values,
            tables(dir.path()),
        );
    }
}
