//! The window of included transactions: identical signed bytes are charged
//! at most once.
//!
//! The ante records the hash of every transaction it charges under
//! [`state_key::included_tx`], and refuses — before any fee — a transaction
//! whose hash is already there ([`TxCheckError::AlreadyIncluded`]). Because
//! the ante is what mempool admission (`check_admission`), block planning
//! and validation (`App::plan_block`) and execution all run, the same check
//! holds at all three points. The record is consensus state (part of the
//! app hash), so it survives restarts and a block replayed after a crash
//! or during sync sees exactly the window its first execution saw.
//!
//! Bounded: a hash is forgotten [`WINDOW_BLOCKS`] blocks after its
//! inclusion (the list of each height's hashes is written once per block,
//! under [`state_key::included_at`], and deleted with its entries when the
//! block `WINDOW_BLOCKS` later begins). Forgetting is safe because every
//! charged transaction also consumes what makes it unique for ever: the
//! ante advances a nonced signer's nonce, and a nonceless reading's device
//! sequence is used up even when its message fails (see
//! `execute::consume_reading_sequences`). The window is what makes the
//! guarantee hold *inside* a block, where all fees are charged before any
//! message runs (so a sequence is not yet advanced when a duplicate's fee
//! would be taken), and what names the duplicate in the refusal.

use fructus_storage::{StateRead, StateWrite, StorageError};
use fructus_types::tx::TxHash;

use crate::{TxCheckError, state_key};

/// How many blocks an included transaction's hash is remembered.
///
/// Size: a block carries at most `max_block_bytes` (default 4 MiB) of
/// transactions and the smallest valid transaction is over 100 bytes, so at
/// most ~42,000 hashes per block and ~2.7 million (about 200 MiB of state
/// at ~75 bytes an entry) in the worst case of 64 full blocks of minimal
/// transactions; a realistic reading load (thousands per block) keeps a few
/// hundred thousand. 64 blocks (about a minute at 1 s blocks) covers a
/// transaction re-gossiped or re-submitted while its first copy is being
/// committed; beyond it the nonce or device sequence refuses the bytes.
pub const WINDOW_BLOCKS: u64 = 64;

/// Refuses `hash` if it was included within the window.
pub(crate) fn check<S: StateRead>(state: &S, hash: &TxHash) -> Result<(), WindowFault> {
    match state.get::<u64>(&state_key::included_tx(hash))? {
        Some(height) => Err(WindowFault::Refused(TxCheckError::AlreadyIncluded {
            hash: hash.to_string(),
            height,
        })),
        None => Ok(()),
    }
}

/// Records `hash` as charged at `height`.
pub(crate) fn record<S: StateWrite>(
    state: &mut S,
    hash: &TxHash,
    height: u64,
) -> Result<(), StorageError> {
    state.put(state_key::included_tx(hash), &height)
}

/// Writes the list of the hashes charged at `height` (once per block).
pub(crate) fn close_block<S: StateWrite>(
    state: &mut S,
    height: u64,
    hashes: &[TxHash],
) -> Result<(), StorageError> {
    if hashes.is_empty() {
        return Ok(());
    }
    state.put(state_key::included_at(height), &hashes.to_vec())
}

/// At the start of block `height`: forgets the hashes charged at
/// `height - WINDOW_BLOCKS`.
pub(crate) fn expire<S: StateWrite>(state: &mut S, height: u64) -> Result<(), StorageError> {
    let Some(old) = height.checked_sub(WINDOW_BLOCKS) else {
        return Ok(());
    };
    let key = state_key::included_at(old);
    let Some(hashes) = state.get::<Vec<TxHash>>(&key)? else {
        return Ok(());
    };
    for hash in &hashes {
        state.delete(state_key::included_tx(hash));
    }
    state.delete(key);
    Ok(())
}

/// Why [`check`] did not pass.
#[derive(Debug)]
pub(crate) enum WindowFault {
    /// The bytes were already charged.
    Refused(TxCheckError),
    /// The store failed (internal).
    Storage(StorageError),
}

impl From<StorageError> for WindowFault {
    fn from(e: StorageError) -> Self {
        WindowFault::Storage(e)
    }
}
