//! A bounded, process-wide memo of parsed public keys.
//!
//! Parsing a key is a point decompression (a square root in the field:
//! ~250 squarings), and an ed25519 key is decompressed twice, once to
//! build it and once for the small-order check. The same keys sign again
//! and again (a device's every reading, an account's every transaction),
//! and a node parses each transaction at admission and again when it plans
//! the block, so [`PublicKey::from_bytes`] looks here first.
//!
//! Sound because parsing is a pure function of `(algo, bytes)`: only keys
//! that parsed are kept, an entry is the very value a parse returns, and a
//! refused encoding (malformed, small order) is parsed — and refused —
//! every time. Nothing here is consensus state, and what is cached never
//! changes a result, only how fast it comes.
//!
//! Bounded: 16 shards per algorithm (by the encoding's first byte) of at most
//! [`PER_SHARD`] keys; a full shard is emptied before it takes a new key,
//! so someone sending many distinct keys costs only cache misses.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::{KeyAlgo, PublicKey};

/// Keys one shard holds at most (2 × 16 shards: 131,072 keys at most).
pub(crate) const PER_SHARD: usize = 4096;

/// Parsed keys by their exact wire bytes.
type Shard = Mutex<BTreeMap<Vec<u8>, PublicKey>>;

/// Shards 0–15 hold ed25519 keys, 16–31 P-256 keys.
static SHARDS: [Shard; 32] = [const { Mutex::new(BTreeMap::new()) }; 32];

fn shard(algo: KeyAlgo, bytes: &[u8]) -> &'static Shard {
    let base = match algo {
        KeyAlgo::Ed25519 => 0,
        KeyAlgo::P256 => 16,
    };
    let first = bytes.first().copied().unwrap_or(0);
    &SHARDS[base | usize::from(first & 0x0f)]
}

/// The key of `algo` parsed earlier from exactly these bytes, if any.
pub(crate) fn get(algo: KeyAlgo, bytes: &[u8]) -> Option<PublicKey> {
    shard(algo, bytes).lock().ok()?.get(bytes).cloned()
}

/// Remembers a key of `algo` that parsed from `bytes`.
pub(crate) fn put(algo: KeyAlgo, bytes: &[u8], key: &PublicKey) {
    let Ok(mut shard) = shard(algo, bytes).lock() else {
        return;
    };
    if shard.len() >= PER_SHARD {
        shard.clear();
    }
    shard.insert(bytes.to_vec(), key.clone());
}
