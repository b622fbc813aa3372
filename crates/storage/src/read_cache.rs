//! Values of the latest committed version, remembered for its readers.
//!
//! Between two commits a node reads the same keys of one version again and
//! again: every admission check and mempool re-check reads the chain's
//! parameters, the fee payer's grant and balance, the device or account,
//! and a block's groups read the keys no transaction writes. Each such read
//! was a walk down redb's B-tree. [`Snapshot`](crate::Snapshot)s of the
//! latest version share this memo instead.
//!
//! Sound because a committed version never changes: an entry is tagged
//! with its version, is only ever the value redb returned for that version,
//! and is served only to a snapshot of exactly that version. A snapshot of
//! a newer version empties a shard before it fills it; one of an older
//! version neither reads nor fills it. Nothing here is state: it changes
//! how fast a read comes, never what it returns.
//!
//! Bounded: 16 shards (by a hash of the key), each at most
//! [`MAX_ENTRIES`] keys and [`MAX_BYTES`] bytes of keys and values; a full
//! shard takes no more keys until the next version.
//!
//! Hashed with foldhash, seeded at random per memo: a lookup is on every
//! read of every check, and keys come from users (addresses, device ids),
//! so the hash must be fast and not predictable enough to collide keys on
//! purpose.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::RwLock;

use foldhash::fast::RandomState;

/// Keys one shard remembers at most per version.
pub(crate) const MAX_ENTRIES: usize = 8192;
/// Bytes (keys plus values) one shard remembers at most per version.
pub(crate) const MAX_BYTES: usize = 4 << 20;

/// A shard's keys and their values (`None`: absent).
type Entries = HashMap<Box<[u8]>, Option<Box<[u8]>>, RandomState>;

#[derive(Default)]
struct Shard {
    version: u64,
    bytes: usize,
    /// A key's value at `version`; `None`: absent at that version.
    entries: Entries,
}

/// The memo a store's latest snapshots share. Read-mostly: the keys every
/// check reads (the chain's parameters, a fee payer's grant) are read by
/// all of a block's parallel groups and re-checks at once, so a shard takes
/// a shared lock to serve and an exclusive one only to fill.
#[derive(Default)]
pub(crate) struct ReadCache {
    shards: [RwLock<Shard>; 16],
    /// Picks a key's shard (the shards' maps have seeds of their own).
    spread: RandomState,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").finish_non_exhaustive()
    }
}

impl ReadCache {
    fn shard(&self, key: &[u8]) -> &RwLock<Shard> {
        // A skewed shard only fills sooner.
        let hash = self.spread.hash_one(key);
        &self.shards[(hash & 0x0f) as usize]
    }

    /// The value of `key` at `version`, if remembered (`Some(None)`: it is
    /// remembered as absent).
    pub(crate) fn get(&self, version: u64, key: &[u8]) -> Option<Option<Vec<u8>>> {
        let shard = self.shard(key).read().ok()?;
        if shard.version != version {
            return None;
        }
        shard
            .entries
            .get(key)
            .map(|value| value.as_ref().map(|v| v.to_vec()))
    }

    /// Remembers what redb returned for `key` at `version`.
    pub(crate) fn put(&self, version: u64, key: &[u8], value: Option<&[u8]>) {
        let Ok(mut shard) = self.shard(key).write() else {
            return;
        };
        if version > shard.version {
            shard.version = version;
            shard.entries.clear();
            shard.bytes = 0;
        }
        if version != shard.version {
            return;
        }
        let size = key.len().saturating_add(value.map_or(0, <[u8]>::len));
        let bytes = shard.bytes.saturating_add(size);
        if shard.entries.len() >= MAX_ENTRIES || bytes > MAX_BYTES {
            return;
        }
        if shard
            .entries
            .insert(key.into(), value.map(Into::into))
            .is_none()
        {
            shard.bytes = bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn a_value_is_served_only_to_its_own_version() {
        let cache = ReadCache::default();
        cache.put(3, b"k", Some(b"v3"));
        cache.put(3, b"gone", None);
        assert_eq!(cache.get(3, b"k"), Some(Some(b"v3".to_vec())));
        assert_eq!(cache.get(3, b"gone"), Some(None), "absence is remembered");
        assert_eq!(cache.get(3, b"other"), None);
        assert_eq!(cache.get(4, b"k"), None, "never to a newer version");
        assert_eq!(cache.get(2, b"k"), None, "never to an older version");
    }

    #[test]
    fn a_newer_version_replaces_and_an_older_one_leaves_the_memo_alone() {
        let cache = ReadCache::default();
        cache.put(3, b"k", Some(b"v3"));
        // An older snapshot's read is not remembered...
        cache.put(2, b"k", Some(b"v2"));
        assert_eq!(cache.get(3, b"k"), Some(Some(b"v3".to_vec())));
        assert_eq!(cache.get(2, b"k"), None);
        // ...a newer one's empties the shard first.
        cache.put(4, b"k", Some(b"v4"));
        assert_eq!(cache.get(4, b"k"), Some(Some(b"v4".to_vec())));
        assert_eq!(cache.get(3, b"k"), None);
    }

    #[test]
    fn a_shard_stops_taking_keys_at_its_bounds() {
        let cache = ReadCache::default();
        let keys: Vec<Vec<u8>> = (0..(MAX_ENTRIES as u32 * 16 + 4096))
            .map(|i| i.to_be_bytes().to_vec())
            .collect();
        for key in &keys {
            cache.put(1, key, Some(b"v"));
        }
        let kept = keys.iter().filter(|k| cache.get(1, k).is_some()).count();
        assert!(kept <= MAX_ENTRIES * 16, "{kept} kept");
        assert!(kept > 0);
        // Bytes: one value as large as a shard's budget is not kept.
        let big = vec![7u8; MAX_BYTES];
        cache.put(2, b"big", Some(&big));
        assert_eq!(cache.get(2, b"big"), None);
    }
}
