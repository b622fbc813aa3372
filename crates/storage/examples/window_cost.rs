//! What the included-transaction window costs the store (issue 20): 25
//! versions of a block of 2000 transactions each, in archive mode, with
//! what every block rewrites anyway (600 records of 100 bytes, about a
//! readings block's module records) plus either the window as the app kept
//! it before issue 20 (one key per transaction hash, `app/included/{hash}`,
//! and the block's list), the block's list only (as the app keeps it now:
//! the hash lookup is in memory, `fructus_app::pipeline::window`), or
//! neither. Prints the storage
//! directory's growth per transaction (the figure `fructus bench app`
//! reports as state written) and the tree's node and value counts.
//!
//! `cargo run --release -p fructus-storage --example window_cost`
// A measurement tool: a failed write should stop it loudly, and its
// counters are far from overflow.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
use fructus_storage::{ChangeSet, Storage};
use sha2::Digest;

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

fn main() {
    let variants = [
        ("window before: per-hash keys + per-block list", true, true),
        ("window now: per-block list only", false, true),
        ("neither", false, false),
    ];
    for (name, per_hash, with_list) in variants {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let mut cs = ChangeSet::new();
        for k in 0..600u32 {
            cs.put(format!("mod/rec/{k:06}").into_bytes(), vec![1u8; 100]);
        }
        s.commit(cs, 0).unwrap();
        let before = dir_size(dir.path());
        let mut n = 0u64;
        for v in 1..=25u64 {
            let mut cs = ChangeSet::new();
            for k in 0..600u32 {
                cs.put(
                    format!("mod/rec/{k:06}").into_bytes(),
                    vec![(v % 251) as u8; 100],
                );
            }
            let mut list = Vec::new();
            for _ in 0..2000 {
                n += 1;
                let h: [u8; 32] = sha2::Sha256::digest(n.to_le_bytes()).into();
                if per_hash {
                    let mut key = b"app/included/".to_vec();
                    key.extend_from_slice(&h);
                    cs.put(key, v.to_le_bytes().to_vec());
                }
                list.extend_from_slice(&h);
            }
            if with_list {
                cs.put(format!("app/included_at/{v:08}").into_bytes(), list);
            }
            s.commit(cs, v).unwrap();
        }
        let after = dir_size(dir.path());
        let st = s.stats().unwrap();
        println!(
            "{name}: {} B/tx directory growth, {} tree nodes, {} tree values",
            (after - before) / 50_000,
            st.tree_nodes,
            st.tree_values
        );
    }
}
