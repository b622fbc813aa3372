//! Pruning: how many recent versions the store keeps, and the deletion of
//! what no kept version reads.
//!
//! A tree node recorded in `jmt_stale` with `stale_since = V` belongs to
//! the trees of versions before `V` only; a value recorded in
//! `jmt_stale_values` with `superseded_at = V` is read by versions before
//! `V` only (a newer value of its key exists at `V`). So once every kept
//! version is `>= oldest`, everything indexed with `stale_since` /
//! `superseded_at` `<= oldest` is read by no kept version and is deleted,
//! together with the roots of the versions below `oldest`. The latest
//! version is always kept, and so is the `kv` index of it.

use redb::{ReadableTable, Table};

use crate::error::{Result, StorageError};
use crate::tables::{META_OLDEST_VERSION, VALUE_KEY_LEN, value_key};

/// Which versions the store keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pruning {
    /// Every version forever (an archive node).
    #[default]
    Archive,
    /// The latest `n` versions (`n >= 1`); older ones are pruned as new
    /// versions are committed.
    KeepRecent(u64),
}

impl Pruning {
    /// As stored in the store's atomic: 0 is archive.
    pub(crate) fn to_raw(self) -> u64 {
        match self {
            Pruning::Archive => 0,
            Pruning::KeepRecent(n) => n.max(1),
        }
    }

    /// Inverse of [`Pruning::to_raw`].
    pub(crate) fn from_raw(raw: u64) -> Self {
        match raw {
            0 => Pruning::Archive,
            n => Pruning::KeepRecent(n),
        }
    }
}

/// Most versions one commit prunes: turning pruning on for a long archive
/// catches up over many commits instead of stalling one.
pub(crate) const MAX_VERSIONS_PRUNED_PER_COMMIT: u64 = 1_000;

/// The oldest version that must be kept after committing `latest` with
/// `pruning`, advancing from `current` by at most
/// [`MAX_VERSIONS_PRUNED_PER_COMMIT`]; `None` when nothing is to prune.
pub(crate) fn next_oldest(pruning: Pruning, latest: u64, current: u64) -> Option<u64> {
    let Pruning::KeepRecent(keep) = pruning else {
        return None;
    };
    let target = latest.saturating_add(1).saturating_sub(keep);
    (target > current).then(|| target.min(current.saturating_add(MAX_VERSIONS_PRUNED_PER_COMMIT)))
}

/// `jmt_stale_values` key.
pub(crate) fn stale_value_key(superseded_at: u64, key_hash: &[u8; 32], old: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(48);
    key.extend_from_slice(&superseded_at.to_be_bytes());
    key.extend_from_slice(key_hash);
    key.extend_from_slice(&old.to_be_bytes());
    key
}

/// Keys of `table` whose leading big-endian version is `<= upto`.
fn keys_upto(table: &Table<'_, &'static [u8], &'static [u8]>, upto: u64) -> Result<Vec<Vec<u8>>> {
    let end = upto.saturating_add(1).to_be_bytes();
    table
        .range::<&[u8]>(..end.as_slice())
        .map_err(|err| StorageError::db("scanning a pruning index", err))?
        .map(|entry| {
            entry
                .map(|(key, _)| key.value().to_vec())
                .map_err(|err| StorageError::db("scanning a pruning index", err))
        })
        .collect()
}

/// The tables pruning writes, open in the commit's write transaction.
pub(crate) struct PruneTables<'a, 't> {
    pub(crate) nodes: &'a mut Table<'t, &'static [u8], &'static [u8]>,
    pub(crate) values: &'a mut Table<'t, &'static [u8], &'static [u8]>,
    pub(crate) stale: &'a mut Table<'t, &'static [u8], &'static [u8]>,
    pub(crate) stale_values: &'a mut Table<'t, &'static [u8], &'static [u8]>,
    pub(crate) roots: &'a mut Table<'t, u64, &'static [u8]>,
    pub(crate) meta: &'a mut Table<'t, &'static str, u64>,
}

/// Deletes what no version `>= oldest` reads and records `oldest`.
pub(crate) fn prune_to(t: &mut PruneTables<'_, '_>, current: u64, oldest: u64) -> Result<()> {
    let ctx = "pruning";
    for key in keys_upto(t.stale, oldest)? {
        let node_key = key.get(8..).ok_or_else(|| StorageError::Corrupt {
            table: "jmt_stale",
            message: "key shorter than its version".into(),
        })?;
        t.nodes
            .remove(node_key)
            .map_err(|err| StorageError::db(ctx, err))?;
        t.stale
            .remove(key.as_slice())
            .map_err(|err| StorageError::db(ctx, err))?;
    }
    for key in keys_upto(t.stale_values, oldest)? {
        let corrupt = || StorageError::Corrupt {
            table: "jmt_stale_values",
            message: format!("bad key {}", hex::encode(&key)),
        };
        let hash: [u8; 32] = key
            .get(8..40)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(corrupt)?;
        let old: [u8; 8] = key
            .get(40..48)
            .and_then(|v| v.try_into().ok())
            .ok_or_else(corrupt)?;
        let value = value_key(&hash, u64::from_be_bytes(old));
        debug_assert_eq!(value.len(), VALUE_KEY_LEN);
        t.values
            .remove(value.as_slice())
            .map_err(|err| StorageError::db(ctx, err))?;
        t.stale_values
            .remove(key.as_slice())
            .map_err(|err| StorageError::db(ctx, err))?;
    }
    for version in current..oldest {
        t.roots
            .remove(version)
            .map_err(|err| StorageError::db(ctx, err))?;
    }
    t.meta
        .insert(META_OLDEST_VERSION, oldest)
        .map_err(|err| StorageError::db(ctx, err))?;
    Ok(())
}

/// The oldest kept version recorded in `meta` (0 when nothing was pruned).
pub(crate) fn read_oldest(meta: &impl ReadableTable<&'static str, u64>) -> Result<u64> {
    Ok(meta
        .get(META_OLDEST_VERSION)
        .map_err(|err| StorageError::db("reading the oldest version", err))?
        .map_or(0, |g| g.value()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_kept_version_leaves_exactly_n_versions() {
        let keep = Pruning::KeepRecent(3);
        assert_eq!(next_oldest(keep, 1, 0), None);
        assert_eq!(next_oldest(keep, 2, 0), None);
        assert_eq!(next_oldest(keep, 3, 0), Some(1));
        assert_eq!(next_oldest(keep, 10, 1), Some(8));
        assert_eq!(next_oldest(keep, 10, 8), None);
        assert_eq!(next_oldest(Pruning::Archive, 10, 0), None);
        // A long archive is pruned a bounded step per commit.
        assert_eq!(
            next_oldest(keep, 1_000_000, 0),
            Some(MAX_VERSIONS_PRUNED_PER_COMMIT)
        );
        assert_eq!(
            Pruning::from_raw(Pruning::KeepRecent(0).to_raw()),
            Pruning::KeepRecent(1)
        );
        assert_eq!(
            Pruning::from_raw(Pruning::Archive.to_raw()),
            Pruning::Archive
        );
    }
}
