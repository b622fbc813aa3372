//! The window of included transactions: identical signed bytes are charged
//! at most once.
//!
//! The ante refuses — before any fee — a transaction whose hash was charged
//! within the last [`WINDOW_BLOCKS`] blocks ([`TxCheckError::AlreadyIncluded`],
//! naming that height). Because the ante is what mempool admission
//! (`check_admission`), simulation (`simulate`), block planning and
//! validation (`App::plan_block`) and execution all run, the same check
//! holds at every point.
//!
//! What is consensus state, and what is not:
//!
//! - The list of each block's charged hashes is written once per block
//!   under [`state_key::included_at`] and deleted when the block
//!   `WINDOW_BLOCKS` later begins. The lists present at a version are
//!   exactly that version's window. A list is kept beside the Merkle tree
//!   ([`fructus_storage::OFF_TREE_PREFIX`]: no history, not in the app
//!   hash); the tree holds its SHA-256 under [`state_key::included_digest`],
//!   written and deleted with it, so the app hash commits to every list and
//!   [`Window::load`] refuses a list that does not match its digest (a
//!   damaged store, or a snapshot's list altered in transit). In the tree a
//!   64 kB list cost its size twice (the tree's values and the key index)
//!   and an archive kept every one for ever; beside it, one copy, freed
//!   when it leaves the window (docs/benchmarks.md).
//! - The hash → height lookup is NOT in the store: [`Window`] holds it in
//!   memory, rebuilt from those lists whenever an [`crate::App`] opens a
//!   store (restart, a restored snapshot) and updated by `App::commit`; a
//!   block in progress keeps its own charged hashes beside it
//!   (`Seen::block`). So it is a pure function of the committed lists
//!   (plus the block's own transactions): two nodes, one of them restarted,
//!   give every transaction the same answer, a block replayed after a crash
//!   or during sync sees exactly the window its first execution saw, and
//!   the app hash depends on the lists only. (Each hash used to be a key of
//!   its own in the tree: a random leaf per transaction, about 2000 of the
//!   ~2700 bytes the store grew per transaction; see docs/benchmarks.md.)
//!
//! Forgetting is safe because every charged transaction also consumes what
//! makes it unique for ever: the ante advances a nonced signer's nonce, and
//! a nonceless reading's device sequence is used up even when its message
//! fails (see `execute::consume_reading_sequences`). The window is what
//! makes the guarantee hold *inside* a block, where all fees are charged
//! before any message runs (so a sequence is not yet advanced when a
//! duplicate's fee would be taken), and what names the duplicate in the
//! refusal.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use fructus_storage::{StateRead, StateWrite, StorageError};
use fructus_types::tx::TxHash;

use crate::{TxCheckError, state_key};

/// How many blocks an included transaction's hash is remembered.
///
/// Size: a block carries at most `max_block_bytes` (default 4 MiB) of
/// transactions and the smallest valid transaction is over 100 bytes, so at
/// most ~42,000 hashes per block and ~2.7 million in the worst case of 64
/// full blocks of minimal transactions: about 86 MiB of lists in the store
/// and, for the in-memory lookup ([`Window`], ~100 bytes a hash with its
/// map entries), about 270 MiB of memory; a realistic reading load
/// (thousands per block) keeps a few hundred thousand. 64 blocks (about a
/// minute at 1 s blocks) covers a transaction re-gossiped or re-submitted
/// while its first copy is being committed; beyond it the nonce or device
/// sequence refuses the bytes.
pub const WINDOW_BLOCKS: u64 = 64;

/// The committed window's hash → height lookup, in memory. Cheap to clone
/// (a shared handle): the app updates it at commit, and the mempool and
/// the API read it through a clone ([`crate::App::window`]).
///
/// Consistency with the store: `App::commit` holds the write lock across
/// the store's commit and the update, so a reader that took a snapshot of
/// version `v` and then reads the lookup sees version `v` or later. A later
/// version only adds hashes that are included by then (a true refusal) and
/// forgets hashes the next block admits anyway.
#[derive(Clone, Default)]
pub struct Window {
    index: Arc<RwLock<Index>>,
}

impl std::fmt::Debug for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let index = self.read();
        f.debug_struct("Window")
            .field("hashes", &index.by_hash.len())
            .field("blocks", &index.by_height.len())
            .finish()
    }
}

/// The lookup itself.
#[derive(Default)]
pub(crate) struct Index {
    /// Hash → height it was charged at. Only looked up, never iterated
    /// (iteration order would not be deterministic).
    by_hash: HashMap<TxHash, u64>,
    /// Height → the hashes charged at it: what expiry removes.
    by_height: BTreeMap<u64, Vec<TxHash>>,
}

impl Window {
    /// Rebuilds the lookup from the lists in `state`, the committed state
    /// after block `height` (`None`: nothing committed, an empty window),
    /// checking each list against its digest in the tree: a list that does
    /// not match, or one of the two without the other, is
    /// [`StorageError::Corrupt`].
    pub fn load<S: StateRead>(state: &S, height: Option<u64>) -> Result<Self, StorageError> {
        let mut index = Index::default();
        if let Some(height) = height {
            let first = height.saturating_sub(WINDOW_BLOCKS.saturating_sub(1));
            for at in first..=height {
                if let Some(hashes) = load_list(state, at)? {
                    index.add(at, hashes);
                }
            }
        }
        Ok(Window {
            index: Arc::new(RwLock::new(index)),
        })
    }

    /// Read access (a poisoned lock is still read: the index is only ever
    /// changed by [`Index::commit`], which cannot panic half-way).
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Write access, for `App::commit`.
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Index> {
        self.index.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The height `hash` was charged at, if it is in the committed window
    /// (for tests and operators; the ante uses `check`).
    pub fn included_at(&self, hash: &TxHash) -> Option<u64> {
        self.read().by_hash.get(hash).copied()
    }
}

impl Index {
    fn add(&mut self, height: u64, hashes: Vec<TxHash>) {
        for hash in &hashes {
            self.by_hash.insert(*hash, height);
        }
        self.by_height.insert(height, hashes);
    }

    /// After block `height` is committed with the charged `hashes`: forgets
    /// the blocks that left the window (`height - WINDOW_BLOCKS` and
    /// older), then adds this one. Mirrors [`expire`] and [`close_block`].
    pub(crate) fn commit(&mut self, height: u64, hashes: &[TxHash]) {
        if let Some(oldest_kept) = height.checked_sub(WINDOW_BLOCKS.saturating_sub(1)) {
            let kept = self.by_height.split_off(&oldest_kept);
            for hash in std::mem::replace(&mut self.by_height, kept)
                .values()
                .flatten()
            {
                self.by_hash.remove(hash);
            }
        }
        if !hashes.is_empty() {
            self.add(height, hashes.to_vec());
        }
    }
}

/// What the ante checks a hash against.
pub(crate) struct Seen<'a> {
    /// The committed window.
    pub(crate) committed: &'a Index,
    /// The hashes charged so far in the block being run (empty outside a
    /// block). Only looked up, never iterated.
    pub(crate) block: &'a HashSet<TxHash>,
    /// The height of the block being run.
    pub(crate) height: u64,
}

/// Refuses `hash` if it was charged within the window of the block at
/// `seen.height`: earlier in that block, or at a committed height `h` with
/// `h > seen.height - WINDOW_BLOCKS` (the block at `h + WINDOW_BLOCKS`
/// admits it again).
pub(crate) fn check(seen: &Seen<'_>, hash: &TxHash) -> Result<(), TxCheckError> {
    let height = if seen.block.contains(hash) {
        Some(seen.height)
    } else {
        seen.committed
            .by_hash
            .get(hash)
            .copied()
            .filter(|&at| at.saturating_add(WINDOW_BLOCKS) > seen.height)
    };
    match height {
        Some(height) => Err(TxCheckError::AlreadyIncluded {
            hash: hash.to_string(),
            height,
        }),
        None => Ok(()),
    }
}

/// The list charged at `height` in `state`, checked against its digest.
fn load_list<S: StateRead>(state: &S, height: u64) -> Result<Option<Vec<TxHash>>, StorageError> {
    let key = state_key::included_at(height);
    let list = state.get_raw(&key)?;
    let digest = state.get::<[u8; 32]>(&state_key::included_digest(height))?;
    let corrupt = |message: String| StorageError::Corrupt {
        table: "kv",
        message: format!("included-transaction list of height {height}: {message}"),
    };
    match (list, digest) {
        (None, None) => Ok(None),
        (Some(bytes), Some(digest)) => {
            if fructus_crypto::sha256(&bytes) != digest {
                return Err(corrupt(
                    "it does not match its SHA-256 in the tree (the store or the snapshot it \
                     was restored from is damaged: restore it again)"
                        .into(),
                ));
            }
            borsh::from_slice(&bytes)
                .map(Some)
                .map_err(|err| StorageError::Decode {
                    key: format!("included-transaction list of height {height}"),
                    message: err.to_string(),
                })
        }
        (Some(_), None) => Err(corrupt("present, but the tree has no digest of it".into())),
        (None, Some(_)) => Err(corrupt("missing, but the tree has its digest".into())),
    }
}

/// Writes the list of the hashes charged at `height` (once per block) and
/// its digest in the tree.
pub(crate) fn close_block<S: StateWrite>(
    state: &mut S,
    height: u64,
    hashes: &[TxHash],
) -> Result<(), StorageError> {
    if hashes.is_empty() {
        return Ok(());
    }
    let key = state_key::included_at(height);
    let bytes = borsh::to_vec(hashes).map_err(|err| StorageError::Encode {
        key: format!("included-transaction list of height {height}"),
        message: err.to_string(),
    })?;
    state.put(
        state_key::included_digest(height),
        &fructus_crypto::sha256(&bytes),
    )?;
    state.put_raw(key, bytes);
    Ok(())
}

/// At the start of block `height`: deletes the list of `height -
/// WINDOW_BLOCKS`, which leaves the window, and its digest.
pub(crate) fn expire<S: StateWrite>(state: &mut S, height: u64) -> Result<(), StorageError> {
    let Some(old) = height.checked_sub(WINDOW_BLOCKS) else {
        return Ok(());
    };
    for key in [state_key::included_at(old), state_key::included_digest(old)] {
        if state.get_raw(&key)?.is_some() {
            state.delete(key);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    fn hash(n: u64) -> TxHash {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&n.to_be_bytes());
        TxHash(bytes)
    }

    #[test]
    fn the_lookup_keeps_exactly_the_window_in_memory() {
        let mut index = Index::default();
        for height in 1..=3 * WINDOW_BLOCKS {
            index.commit(height, &[hash(height), hash(height + 10_000)]);
            let kept = height.min(WINDOW_BLOCKS);
            assert_eq!(index.by_height.len() as u64, kept);
            assert_eq!(index.by_hash.len() as u64, 2 * kept);
            assert_eq!(index.by_hash.get(&hash(height)), Some(&height));
            let oldest = height + 1 - kept;
            assert_eq!(index.by_height.keys().next(), Some(&oldest));
        }
        // An empty block still moves the window on.
        index.commit(3 * WINDOW_BLOCKS + 1, &[]);
        assert_eq!(index.by_height.len() as u64, WINDOW_BLOCKS - 1);
        assert_eq!(index.by_hash.get(&hash(2 * WINDOW_BLOCKS + 1)), None);
    }

    /// A store with the list of block 1 committed at version 1.
    fn store_with_a_list() -> (tempfile::TempDir, fructus_storage::Storage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = fructus_storage::Storage::open(dir.path()).unwrap();
        storage
            .commit(fructus_storage::ChangeSet::new(), 0)
            .unwrap();
        let mut state = fructus_storage::StateDelta::new(storage.latest_snapshot().unwrap());
        close_block(&mut state, 1, &[hash(1), hash(2)]).unwrap();
        storage.commit(state.into_changes(), 1).unwrap();
        (dir, storage)
    }

    #[test]
    fn the_list_is_beside_the_tree_and_its_digest_in_it() {
        let (_dir, storage) = store_with_a_list();
        let snapshot = storage.latest_snapshot().unwrap();
        let window = Window::load(&snapshot, Some(1)).unwrap();
        assert_eq!(window.included_at(&hash(2)), Some(1));
        assert!(matches!(
            storage.get_with_proof(&state_key::included_at(1), 1),
            Err(StorageError::NotInTree { .. })
        ));
        let (digest, _) = storage
            .get_with_proof(&state_key::included_digest(1), 1)
            .unwrap();
        let list = snapshot.get_raw(&state_key::included_at(1)).unwrap();
        assert_eq!(
            digest,
            Some(fructus_crypto::sha256(&list.unwrap()).to_vec())
        );
    }

    #[test]
    fn a_list_that_does_not_match_its_digest_is_refused() {
        let (_dir, storage) = store_with_a_list();
        // Alter the list beside the tree (as a damaged store or an altered
        // snapshot would): the app hash does not change, the load refuses.
        let mut state = fructus_storage::StateDelta::new(storage.latest_snapshot().unwrap());
        state
            .put(state_key::included_at(1), &vec![hash(1)])
            .unwrap();
        let root = storage.root_hash(1).unwrap();
        assert_eq!(storage.commit(state.into_changes(), 2).unwrap(), root);
        let snapshot = storage.latest_snapshot().unwrap();
        assert!(matches!(
            Window::load(&snapshot, Some(2)),
            Err(StorageError::Corrupt { .. })
        ));
        // A list gone while its digest stays is refused too.
        let mut state = fructus_storage::StateDelta::new(snapshot);
        state.delete(state_key::included_at(1));
        storage.commit(state.into_changes(), 3).unwrap();
        let snapshot = storage.latest_snapshot().unwrap();
        assert!(matches!(
            Window::load(&snapshot, Some(3)),
            Err(StorageError::Corrupt { .. })
        ));
    }

    #[test]
    fn expiry_deletes_the_list_and_its_digest() {
        let (_dir, storage) = store_with_a_list();
        let mut state = fructus_storage::StateDelta::new(storage.latest_snapshot().unwrap());
        expire(&mut state, 1 + WINDOW_BLOCKS).unwrap();
        storage.commit(state.into_changes(), 2).unwrap();
        let snapshot = storage.latest_snapshot().unwrap();
        assert_eq!(snapshot.get_raw(&state_key::included_at(1)).unwrap(), None);
        assert_eq!(
            snapshot.get_raw(&state_key::included_digest(1)).unwrap(),
            None
        );
        // Nothing of it is left in the store either (the list has no
        // history): only the digest's value versions remain in the tree.
        assert_eq!(storage.stats().unwrap().live_keys, 0);
    }
}
