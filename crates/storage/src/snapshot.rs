//! A consistent, read-only view of the latest committed version.
//!
//! A [`Snapshot`] owns a redb read transaction, so later commits do not
//! change what it sees (snapshot isolation). Raw-key reads and prefix scans
//! use the `kv` table, never the tree. Clones share the transaction (an
//! `Arc`): checks that must all see one version take one snapshot and
//! clone it, instead of opening a read transaction each.

use std::ops::Bound;
use std::sync::Arc;

use redb::{ReadOnlyTable, ReadTransaction, ReadableTable};

use crate::error::{Result, StorageError};
use crate::merge::{lower_bound, merge_prefix};
use crate::read_cache::ReadCache;
use crate::state::StateRead;
use crate::tables::{KV, META, META_LATEST_VERSION};

/// Read-only view of the state at one committed version (or the empty state
/// before the first commit). Cloning is cheap and shows the same version.
#[derive(Clone)]
pub struct Snapshot {
    inner: Arc<Inner>,
}

struct Inner {
    kv: ReadOnlyTable<&'static [u8], &'static [u8]>,
    version: Option<u64>,
    /// The store's memo of the latest version's values (see
    /// [`crate::read_cache`]); used only with a committed `version`.
    cache: Option<Arc<ReadCache>>,
    _txn: ReadTransaction,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("version", &self.inner.version)
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    /// Wraps a read transaction; the tables must already exist. Point reads
    /// go through `cache` when given.
    pub(crate) fn new(txn: ReadTransaction, cache: Option<Arc<ReadCache>>) -> Result<Self> {
        let meta = txn
            .open_table(META)
            .map_err(|err| StorageError::db("opening the meta table", err))?;
        let version = read_latest_version(&meta)?;
        let kv = txn
            .open_table(KV)
            .map_err(|err| StorageError::db("opening the kv table", err))?;
        Ok(Self {
            inner: Arc::new(Inner {
                kv,
                version,
                cache,
                _txn: txn,
            }),
        })
    }

    /// The committed version this snapshot shows; `None` before the first commit.
    pub fn version(&self) -> Option<u64> {
        self.inner.version
    }

    /// Committed entries from the scan's lower bound onwards, ascending
    /// (the caller stops at the end of the prefix).
    pub(crate) fn range_from<'s>(
        &'s self,
        prefix: &[u8],
        start_after: Option<&[u8]>,
    ) -> Result<impl Iterator<Item = Result<(Vec<u8>, Vec<u8>)>> + 's> {
        let range = self
            .inner
            .kv
            .range::<&[u8]>((lower_bound(prefix, start_after), Bound::Unbounded))
            .map_err(|err| StorageError::db("scanning the kv table", err))?;
        Ok(range.map(|entry| {
            entry
                .map(|(key, value)| (key.value().to_vec(), value.value().to_vec()))
                .map_err(|err| StorageError::db("scanning the kv table", err))
        }))
    }
}

impl Inner {
    /// `key`'s value in the kv table.
    fn read(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let value = self
            .kv
            .get(key)
            .map_err(|err| StorageError::db("reading the kv table", err))?;
        Ok(value.map(|guard| guard.value().to_vec()))
    }
}

impl StateRead for Snapshot {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let inner = &self.inner;
        let (Some(cache), Some(version)) = (&inner.cache, inner.version) else {
            return inner.read(key);
        };
        if let Some(value) = cache.get(version, key) {
            return Ok(value);
        }
        let value = inner.read(key)?;
        cache.put(version, key, value.as_deref());
        Ok(value)
    }

    fn prefix_raw(
        &self,
        prefix: &[u8],
        start_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        merge_prefix(
            self.range_from(prefix, start_after)?,
            [],
            prefix,
            start_after,
            limit,
        )
    }
}

/// Reads the latest committed version from the meta table.
pub(crate) fn read_latest_version(
    meta: &impl ReadableTable<&'static str, u64>,
) -> Result<Option<u64>> {
    let value = meta
        .get(META_LATEST_VERSION)
        .map_err(|err| StorageError::db("reading the latest version", err))?;
    Ok(value.map(|guard| guard.value()))
}
