//! The persistent store: opening the database, committing versions,
//! snapshots, and proofs.
//!
//! A commit is a single redb write transaction: tree nodes, tree values,
//! the stale-node index, the raw-key `kv` table, the version's root and the
//! latest-version marker are written together or not at all. redb's
//! copy-on-write B-trees mean a crash at any point leaves the last durable
//! transaction intact.
//!
//! Durability: every version that is a multiple of
//! [`Storage::set_sync_every`]'s `n` (default 1: every version) is synced
//! to disk before its commit returns (`Durability::Immediate`); the others
//! are visible at once but reach the disk with the next synced one
//! (`Durability::None`). So a crash loses at most the `n - 1` versions
//! after the last multiple of `n`, never a synced one, and never leaves a
//! version half written. A node may sync its state only every `n`-th block
//! (`[storage] sync_every_blocks`, one disk sync a block instead of two)
//! because it replays the lost blocks from its block store, which is
//! synced every block.
//!
//! With [`Storage::set_sync_in_background`] a version that is to be synced
//! commits at once (visible, not yet durable) and a background thread then
//! makes it durable (an empty `Immediate` redb commit, which persists the
//! commits before it), while the caller goes on with the next block: the
//! disk sync leaves the block's path. The next write (stage, commit,
//! restore) or [`Storage::sync`] first waits for that thread and fails if
//! it did, so when version `v + 1` is written, `v` is on disk: a crash
//! loses at most the last version (and the unsynced ones before it), which
//! a node replays from its block store like the others.
//!
//! The new tree is computed on a second thread over a read transaction
//! while the write transaction inserts the version's values and `kv`
//! entries (issue 20: the commit's two halves on the two cores). The read
//! transaction sees exactly the previous version: the write transaction
//! holds redb's only writer slot and has checked that the version is the
//! latest plus one, and the tree reads only nodes of committed versions. A
//! restore builds on a root it writes in its own transaction, so it
//! computes the tree there, first.

use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

use jmt::{JellyfishMerkleTree, KeyHash};
use redb::{
    Database, Durability, ReadableDatabase, ReadableTable as _, ReadableTableMetadata as _,
};
use sha2::Sha256;

use crate::change_set::ChangeSet;
use crate::error::{Result, StorageError};
use crate::node_codec::{encode_node, node_key};
use crate::proof::MerkleProof;
use crate::pruning::{PruneTables, Pruning, next_oldest, prune_to, read_oldest, stale_value_key};
use crate::read_cache::ReadCache;
use crate::root_hash::RootHash;
use crate::snapshot::{Snapshot, read_latest_version};
use crate::tables::{
    KV, META, META_FORMAT, META_LATEST_VERSION, NODES, ROOTS, STALE, STALE_VALUES, STORE_FORMAT,
    VALUE_KEY_LEN, VALUES, encode_value, is_off_tree, page_filling_order, value_key,
};
use crate::tree_reader::{TreeStore, from_tree};

/// File name of the database inside the storage directory.
pub const DB_FILE_NAME: &str = "state.redb";

/// What [`Storage::stats`] counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    /// Versions whose root (and so whose proofs) are kept.
    pub versions_kept: u64,
    /// Tree nodes stored, over all kept versions.
    pub tree_nodes: u64,
    /// Tree values stored, over all kept versions.
    pub tree_values: u64,
    /// Keys of the latest state.
    pub live_keys: u64,
    /// Bytes of keys and values of the latest state.
    pub live_bytes: u64,
    /// Bytes of the pages the database has allocated (every table, every
    /// kept version). The file is larger: redb grows it in steps (doubling
    /// it while it is under 4 GiB) and shrinks it only when its last half
    /// is free, so this, not the file's size, is what the state occupies.
    pub allocated_bytes: u64,
    /// Where the allocated pages go, per table of keys and values.
    pub tables: Vec<TableBytes>,
}

/// How one table's pages are used (what redb's table statistics report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TableBytes {
    /// The table's name.
    pub name: &'static str,
    /// Bytes of its keys and values.
    pub stored: u64,
    /// Bytes of page headers and branch pages' keys.
    pub metadata: u64,
    /// Bytes of free space inside its pages.
    pub fragmented: u64,
}

/// Handle to the versioned, authenticated state store. Cheap to clone.
#[derive(Clone)]
pub struct Storage {
    inner: Arc<Inner>,
}

struct Inner {
    /// Shared with the background sync thread, which holds no `Inner`: the
    /// last handle's drop waits for that thread (see `Drop for Inner`), so
    /// a store dropped and reopened in one process finds the file closed.
    db: Arc<Database>,
    /// Latest committed version plus one; 0 means nothing committed yet.
    latest_plus_one: AtomicU64,
    /// [`Pruning`] as raw (0: archive; n: keep the latest n versions).
    keep_recent: AtomicU64,
    /// The oldest version whose state is kept.
    oldest: AtomicU64,
    /// Versions that are a multiple of this are synced to disk (at least 1).
    sync_every: AtomicU64,
    /// Whether those syncs run on a background thread after the commit.
    sync_in_background: AtomicBool,
    /// The background sync of the last synced version, if one was started
    /// and not yet waited for.
    pending_sync: Mutex<Option<JoinHandle<Result<()>>>>,
    /// Values of the latest version its snapshots read (not state).
    read_cache: Arc<ReadCache>,
}

/// A version [`Storage::stage`] wrote into an open write transaction:
/// durable and visible once [`StagedVersion::commit`]ted, discarded if
/// dropped. It holds the store's single writer slot while it lives.
#[must_use = "a staged version is discarded unless committed"]
pub struct StagedVersion {
    txn: redb::WriteTransaction,
    root: RootHash,
    version: u64,
    pruned_to: Option<u64>,
    /// Sync it on a background thread once committed.
    sync_after: bool,
    inner: Arc<Inner>,
}

impl std::fmt::Debug for StagedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StagedVersion")
            .field("version", &self.version)
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl StagedVersion {
    /// The version it writes.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The root the version will have.
    pub fn root(&self) -> RootHash {
        self.root
    }

    /// Commits the transaction: from its return on, the version is the
    /// store's latest, for every reader, and on disk if it is one that is
    /// synced ([`Storage::set_sync_every`]) — or, syncing in the background
    /// ([`Storage::set_sync_in_background`]), on its way there.
    pub fn commit(self) -> Result<RootHash> {
        let StagedVersion {
            txn,
            root,
            version,
            pruned_to,
            sync_after,
            inner,
        } = self;
        txn.commit()
            .map_err(|err| StorageError::db("committing", err))?;
        if let Some(oldest) = pruned_to {
            inner.oldest.fetch_max(oldest, Ordering::AcqRel);
        }
        inner
            .latest_plus_one
            .fetch_max(plus_one(Some(version)), Ordering::AcqRel);
        if sync_after {
            start_background_sync(&inner)?;
        }
        Ok(root)
    }
}

impl Drop for Inner {
    /// Waits for a background sync still running, so the database is
    /// closed when the last handle is gone. Its failure cannot be returned
    /// from here; [`Storage::sync`] reports it, and a version it failed to
    /// persist is one a crash would have lost (a node replays it).
    fn drop(&mut self) {
        let pending = match self.pending_sync.get_mut() {
            Ok(pending) => pending.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(handle) = pending {
            let _ = handle.join();
        }
    }
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("latest_version", &self.latest_version())
            .finish_non_exhaustive()
    }
}

impl Storage {
    /// Opens the store in directory `path` (creating the directory and the
    /// database file `state.redb` if missing) or reopens an existing one.
    pub fn open(path: &Path) -> Result<Storage> {
        std::fs::create_dir_all(path).map_err(|err| StorageError::Io {
            path: path.display().to_string(),
            message: err.to_string(),
        })?;
        let db = Database::create(path.join(DB_FILE_NAME))
            .map_err(|err| StorageError::db("opening the database", err))?;

        // Create every table up front so read transactions can always open them.
        let txn = db
            .begin_write()
            .map_err(|err| StorageError::db("starting the setup transaction", err))?;
        let latest = {
            let setup = "creating tables";
            txn.open_table(NODES)
                .map_err(|err| StorageError::db(setup, err))?;
            txn.open_table(VALUES)
                .map_err(|err| StorageError::db(setup, err))?;
            txn.open_table(STALE)
                .map_err(|err| StorageError::db(setup, err))?;
            txn.open_table(STALE_VALUES)
                .map_err(|err| StorageError::db(setup, err))?;
            txn.open_table(KV)
                .map_err(|err| StorageError::db(setup, err))?;
            txn.open_table(ROOTS)
                .map_err(|err| StorageError::db(setup, err))?;
            let mut meta = txn
                .open_table(META)
                .map_err(|err| StorageError::db(setup, err))?;
            let latest = read_latest_version(&meta)?;
            let format = meta
                .get(META_FORMAT)
                .map_err(|err| StorageError::db(setup, err))?
                .map(|g| g.value());
            match (latest, format) {
                (_, Some(STORE_FORMAT)) => {}
                (None, None) => {
                    meta.insert(META_FORMAT, STORE_FORMAT)
                        .map_err(|err| StorageError::db(setup, err))?;
                }
                (_, found) => {
                    return Err(StorageError::IncompatibleFormat {
                        found: found.unwrap_or(1),
                        expected: STORE_FORMAT,
                    });
                }
            }
            (latest, read_oldest(&meta)?)
        };
        let (latest, oldest) = latest;
        txn.commit()
            .map_err(|err| StorageError::db("committing the setup transaction", err))?;

        Ok(Storage {
            inner: Arc::new(Inner {
                db: Arc::new(db),
                latest_plus_one: AtomicU64::new(plus_one(latest)),
                keep_recent: AtomicU64::new(Pruning::Archive.to_raw()),
                oldest: AtomicU64::new(oldest),
                sync_every: AtomicU64::new(1),
                sync_in_background: AtomicBool::new(false),
                pending_sync: Mutex::new(None),
                read_cache: Arc::default(),
            }),
        })
    }

    /// Sets which versions later commits keep (default: archive). Turning
    /// pruning on deletes old versions gradually, a bounded number per
    /// commit; values superseded while the store was an archive stay.
    pub fn set_pruning(&self, pruning: Pruning) {
        self.inner
            .keep_recent
            .store(pruning.to_raw(), Ordering::Release);
    }

    /// Syncs to disk only the versions that are a multiple of `n` (0 and 1:
    /// every version, the default); see the module docs for what a crash
    /// loses. A restored version is always synced.
    pub fn set_sync_every(&self, n: u64) {
        self.inner.sync_every.store(n.max(1), Ordering::Release);
    }

    /// Which versions are synced to disk: the multiples of this.
    pub fn sync_every(&self) -> u64 {
        self.inner.sync_every.load(Ordering::Acquire).max(1)
    }

    /// Syncs the versions [`Storage::set_sync_every`] picks on a background
    /// thread after their commit returns (default: off, synced before it
    /// returns); see the module docs for what a crash loses. A restored
    /// version is always synced before [`Storage::restore`] returns.
    pub fn set_sync_in_background(&self, on: bool) {
        self.inner.sync_in_background.store(on, Ordering::Release);
    }

    /// Whether syncs run in the background.
    pub fn sync_in_background(&self) -> bool {
        self.inner.sync_in_background.load(Ordering::Acquire)
    }

    /// Makes every committed version durable: waits for a background sync
    /// still running (its failure is this call's), then syncs what is
    /// newer. A node calls it when it stops, so that its next start
    /// replays nothing.
    pub fn sync(&self) -> Result<()> {
        wait_for_sync(&self.inner)?;
        durable_empty_commit(&self.inner.db)
    }

    /// Which versions commits keep.
    pub fn pruning(&self) -> Pruning {
        Pruning::from_raw(self.inner.keep_recent.load(Ordering::Acquire))
    }

    /// The oldest version whose state (root, proofs) is still kept.
    pub fn oldest_version(&self) -> u64 {
        self.inner.oldest.load(Ordering::Acquire)
    }

    /// Refuses a version below the oldest kept one.
    fn check_retained(&self, version: u64) -> Result<()> {
        let oldest = self.oldest_version();
        if version < oldest {
            return Err(StorageError::VersionPruned { version, oldest });
        }
        Ok(())
    }

    /// Counts what the store holds (scans every table: for benchmarks and
    /// operators, not for hot paths).
    pub fn stats(&self) -> Result<StoreStats> {
        let txn = self
            .inner
            .db
            .begin_read()
            .map_err(|err| StorageError::db("starting a read transaction", err))?;
        let ctx = "counting entries";
        let count = |def: redb::TableDefinition<'static, &'static [u8], &'static [u8]>| {
            let table = txn
                .open_table(def)
                .map_err(|err| StorageError::db(ctx, err))?;
            table.len().map_err(|err| StorageError::db(ctx, err))
        };
        let mut tables = Vec::new();
        for (name, def) in [
            ("jmt_nodes", NODES),
            ("jmt_values", VALUES),
            ("jmt_stale", STALE),
            ("jmt_stale_values", STALE_VALUES),
            ("kv", KV),
        ] {
            let table = txn
                .open_table(def)
                .map_err(|err| StorageError::db(ctx, err))?;
            let stats = table.stats().map_err(|err| StorageError::db(ctx, err))?;
            tables.push(TableBytes {
                name,
                stored: stats.stored_bytes(),
                metadata: stats.metadata_bytes(),
                fragmented: stats.fragmented_bytes(),
            });
        }
        let roots = txn
            .open_table(ROOTS)
            .map_err(|err| StorageError::db(ctx, err))?;
        let kv = txn
            .open_table(KV)
            .map_err(|err| StorageError::db(ctx, err))?;
        let mut live_bytes: u64 = 0;
        for entry in kv.iter().map_err(|err| StorageError::db(ctx, err))? {
            let (k, v) = entry.map_err(|err| StorageError::db(ctx, err))?;
            let len = k.value().len().saturating_add(v.value().len());
            live_bytes = live_bytes.saturating_add(u64::try_from(len).unwrap_or(u64::MAX));
        }
        let write =
            self.inner.db.begin_write().map_err(|err| {
                StorageError::db("starting a write transaction for statistics", err)
            })?;
        let db_stats = write
            .stats()
            .map_err(|err| StorageError::db("reading database statistics", err))?;
        let page_size = u64::try_from(db_stats.page_size()).unwrap_or(u64::MAX);
        write
            .abort()
            .map_err(|err| StorageError::db("ending the statistics transaction", err))?;
        Ok(StoreStats {
            allocated_bytes: db_stats.allocated_pages().saturating_mul(page_size),
            versions_kept: roots.len().map_err(|err| StorageError::db(ctx, err))?,
            tree_nodes: count(NODES)?,
            tree_values: count(VALUES)?,
            live_keys: kv.len().map_err(|err| StorageError::db(ctx, err))?,
            live_bytes,
            tables,
        })
    }

    /// The latest committed version; `None` before the first commit.
    pub fn latest_version(&self) -> Option<u64> {
        self.inner
            .latest_plus_one
            .load(Ordering::Acquire)
            .checked_sub(1)
    }

    /// A consistent view of the latest committed version (the empty state if
    /// nothing is committed yet).
    pub fn latest_snapshot(&self) -> Result<Snapshot> {
        let txn = self
            .inner
            .db
            .begin_read()
            .map_err(|err| StorageError::db("starting a read transaction", err))?;
        Snapshot::new(txn, Some(Arc::clone(&self.inner.read_cache)))
    }

    /// The root hash committed as `version`.
    pub fn root_hash(&self, version: u64) -> Result<RootHash> {
        self.check_retained(version)?;
        let txn = self
            .inner
            .db
            .begin_read()
            .map_err(|err| StorageError::db("starting a read transaction", err))?;
        let roots = txn
            .open_table(ROOTS)
            .map_err(|err| StorageError::db("opening the roots table", err))?;
        let Some(guard) = roots
            .get(version)
            .map_err(|err| StorageError::db("reading a root hash", err))?
        else {
            return Err(StorageError::VersionNotFound {
                version,
                latest: self.latest_version(),
            });
        };
        let bytes: [u8; 32] = guard
            .value()
            .try_into()
            .map_err(|_| StorageError::Corrupt {
                table: "roots",
                message: format!("root of version {version} is not 32 bytes"),
            })?;
        Ok(RootHash(bytes))
    }

    /// Atomically persists `changes` as `version`, which must be 0 when
    /// nothing is committed yet and latest + 1 otherwise. Returns the new
    /// root. One redb write transaction: all or nothing (synced to disk as
    /// [`Storage::set_sync_every`] says).
    pub fn commit(&self, changes: ChangeSet, version: u64) -> Result<RootHash> {
        self.stage(changes, version)?.commit()
    }

    /// Writes `changes` as `version` (the same checks as
    /// [`Storage::commit`]) without committing it: the new tree and root
    /// are computed and written into an open write transaction, which
    /// [`StagedVersion::commit`] makes durable and visible, and dropping
    /// discards. Until then readers see the previous version, and the
    /// staged transaction holds redb's single writer slot: any other
    /// commit, stage or restore on this store waits for it (on the same
    /// thread: deadlocks), so stage, do what must come first, then commit.
    pub fn stage(&self, changes: ChangeSet, version: u64) -> Result<StagedVersion> {
        self.write_version(changes, version, false)
    }

    /// Restores a state snapshot into an empty store: `entries` (every key
    /// of the state) become version `version`, the only version kept (older
    /// ones are reported as pruned). Returns the root, which the caller
    /// compares with the certified app hash of that version (the tree's
    /// root depends only on its contents). One write transaction.
    pub fn restore(&self, entries: ChangeSet, version: u64) -> Result<RootHash> {
        if let Some(latest) = self.latest_version() {
            return Err(StorageError::VersionMismatch {
                expected: latest.saturating_add(1),
                got: version,
            });
        }
        let root = self.write_version(entries, version, true)?.commit()?;
        self.inner.oldest.fetch_max(version, Ordering::AcqRel);
        Ok(root)
    }

    /// Streams the latest version's state, in key order, as chunks of at
    /// most about `max_chunk_bytes` (borsh `Vec<(key, value)>`) to `sink`;
    /// returns that version and its root. One read transaction: commits
    /// made meanwhile are not seen.
    pub fn export(
        &self,
        max_chunk_bytes: usize,
        mut sink: impl FnMut(Vec<u8>) -> Result<()>,
    ) -> Result<(u64, RootHash)> {
        let txn = self
            .inner
            .db
            .begin_read()
            .map_err(|err| StorageError::db("starting a read transaction", err))?;
        let ctx = "exporting the state";
        let meta = txn
            .open_table(META)
            .map_err(|err| StorageError::db(ctx, err))?;
        let Some(version) = read_latest_version(&meta)? else {
            return Err(StorageError::VersionNotFound {
                version: 0,
                latest: None,
            });
        };
        let roots = txn
            .open_table(ROOTS)
            .map_err(|err| StorageError::db(ctx, err))?;
        let root: [u8; 32] = roots
            .get(version)
            .map_err(|err| StorageError::db(ctx, err))?
            .and_then(|g| g.value().try_into().ok())
            .ok_or(StorageError::Corrupt {
                table: "roots",
                message: format!("no root for the latest version {version}"),
            })?;
        let kv = txn
            .open_table(KV)
            .map_err(|err| StorageError::db(ctx, err))?;
        let mut chunk: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        let mut bytes: usize = 0;
        for entry in kv.iter().map_err(|err| StorageError::db(ctx, err))? {
            let (k, v) = entry.map_err(|err| StorageError::db(ctx, err))?;
            bytes = bytes
                .saturating_add(k.value().len())
                .saturating_add(v.value().len());
            chunk.push((k.value().to_vec(), v.value().to_vec()));
            if bytes >= max_chunk_bytes {
                sink(encode(&std::mem::take(&mut chunk))?)?;
                bytes = 0;
            }
        }
        if !chunk.is_empty() {
            sink(encode(&chunk)?)?;
        }
        Ok((version, RootHash(root)))
    }

    fn write_version(
        &self,
        changes: ChangeSet,
        version: u64,
        restore: bool,
    ) -> Result<StagedVersion> {
        // The previous version's background sync holds the writer slot
        // until it is done; wait here to learn whether it failed.
        wait_for_sync(&self.inner)?;
        let mut txn = self
            .inner
            .db
            .begin_write()
            .map_err(|err| StorageError::db("starting the commit transaction", err))?;
        let synced = restore || version.is_multiple_of(self.sync_every());
        let sync_after = synced && !restore && self.sync_in_background();
        let durability = if synced && !sync_after {
            Durability::Immediate
        } else {
            Durability::None
        };
        txn.set_durability(durability)
            .map_err(|err| StorageError::db("setting commit durability", err))?;
        let root = {
            let writing = "writing the commit";
            let mut meta = txn
                .open_table(META)
                .map_err(|err| StorageError::db(writing, err))?;
            let expected = next_version(read_latest_version(&meta)?)?;
            if version != expected && !(restore && expected == 0) {
                return Err(StorageError::VersionMismatch {
                    expected,
                    got: version,
                });
            }

            let mut nodes = txn
                .open_table(NODES)
                .map_err(|err| StorageError::db(writing, err))?;
            if restore && let Some(before) = version.checked_sub(1) {
                // The tree of a restored version is built on an empty root
                // at the version before it (jmt reads the previous root).
                let (mut scratch, mut null) = (Vec::new(), Vec::new());
                encode_node(before, &jmt::storage::Node::Null, &mut scratch, &mut null)?;
                nodes
                    .insert(
                        node_key(&empty_root_key(before)?)?.as_slice(),
                        null.as_slice(),
                    )
                    .map_err(|err| StorageError::db(writing, err))?;
                meta.insert(crate::tables::META_OLDEST_VERSION, version)
                    .map_err(|err| StorageError::db(writing, err))?;
            }
            let mut values = txn
                .open_table(VALUES)
                .map_err(|err| StorageError::db(writing, err))?;
            let pruning = self.pruning();
            let mut stale_values = txn
                .open_table(STALE_VALUES)
                .map_err(|err| StorageError::db(writing, err))?;
            let hashed: Vec<(KeyHash, Option<&[u8]>)> = changes
                .iter()
                .filter(|(key, _)| !is_off_tree(key))
                .map(|(key, value)| (KeyHash::with::<Sha256>(key), value))
                .collect();
            if pruning != Pruning::Archive
                && let Some(previous) = version.checked_sub(1)
            {
                for (hash, _) in &hashed {
                    if let Some(old) = newest_value_version(&values, &hash.0, previous)? {
                        stale_values
                            .insert(
                                stale_value_key(version, &hash.0, old).as_slice(),
                                [].as_slice(),
                            )
                            .map_err(|err| StorageError::db(writing, err))?;
                    }
                }
            }
            let value_set: Vec<(KeyHash, Option<Vec<u8>>)> = hashed
                .iter()
                .map(|(hash, value)| (*hash, value.map(<[u8]>::to_vec)))
                .collect();
            let mut kv = txn
                .open_table(KV)
                .map_err(|err| StorageError::db(writing, err))?;
            let (root, batch) = if restore {
                let reader = TreeStore::new(&nodes, &values);
                let out = JellyfishMerkleTree::<_, Sha256>::new(&reader)
                    .put_value_set(value_set, version)
                    .map_err(|err| from_tree("computing the new tree", err))?;
                write_kv(&mut kv, &changes)?;
                write_values(&mut values, &hashed, version)?;
                out
            } else {
                let db = &self.inner.db;
                std::thread::scope(|scope| {
                    let tree = scope.spawn(move || tree_over_committed(db, value_set, version));
                    write_kv(&mut kv, &changes)?;
                    write_values(&mut values, &hashed, version)?;
                    tree.join().map_err(|_| StorageError::Tree {
                        context: "computing the new tree",
                        message: "the tree's thread panicked".into(),
                    })?
                })?
            };

            let (mut scratch, mut encoded) = (Vec::new(), Vec::new());
            let mut entries = Vec::with_capacity(batch.node_batch.nodes().len());
            for (key, node) in batch.node_batch.nodes() {
                let start = encoded.len();
                encode_node(key.version(), node, &mut scratch, &mut encoded)?;
                entries.push((node_key(key)?, start, encoded.len()));
            }
            for (key, start, end) in page_filling_order(&entries) {
                let node = encoded
                    .get(*start..*end)
                    .ok_or_else(|| StorageError::Tree {
                        context: "encoding a tree node",
                        message: "an encoded node outside its buffer".into(),
                    })?;
                nodes
                    .insert(key.as_slice(), node)
                    .map_err(|err| StorageError::db(writing, err))?;
            }
            let mut stale = txn
                .open_table(STALE)
                .map_err(|err| StorageError::db(writing, err))?;
            // Only pruning reads this index, so an archive does not write
            // it: like a value superseded while the store was an archive, a
            // node made stale then is kept if pruning is turned on later.
            if pruning != Pruning::Archive {
                let mut key = Vec::new();
                for index in &batch.stale_node_index_batch {
                    key.clear();
                    key.extend_from_slice(&index.stale_since_version.to_be_bytes());
                    key.extend_from_slice(node_key(&index.node_key)?.as_slice());
                    stale
                        .insert(key.as_slice(), [].as_slice())
                        .map_err(|err| StorageError::db(writing, err))?;
                }
            }
            let mut roots = txn
                .open_table(ROOTS)
                .map_err(|err| StorageError::db(writing, err))?;
            roots
                .insert(version, root.0.as_slice())
                .map_err(|err| StorageError::db(writing, err))?;
            meta.insert(META_LATEST_VERSION, version)
                .map_err(|err| StorageError::db(writing, err))?;
            let current = read_oldest(&meta)?;
            let pruned_to = next_oldest(pruning, version, current);
            if let Some(oldest) = pruned_to {
                prune_to(
                    &mut PruneTables {
                        nodes: &mut nodes,
                        values: &mut values,
                        stale: &mut stale,
                        stale_values: &mut stale_values,
                        roots: &mut roots,
                        meta: &mut meta,
                    },
                    current,
                    oldest,
                )?;
            }
            (RootHash::from(root), pruned_to)
        };
        let (root, pruned_to) = root;
        Ok(StagedVersion {
            txn,
            root,
            version,
            pruned_to,
            sync_after,
            inner: Arc::clone(&self.inner),
        })
    }

    /// The value (or absence) of `key` at committed `version`, with a proof
    /// against [`Storage::root_hash`] of that version. A key kept beside the
    /// tree ([`crate::OFF_TREE_PREFIX`]) has no proof:
    /// [`StorageError::NotInTree`].
    pub fn get_with_proof(
        &self,
        key: &[u8],
        version: u64,
    ) -> Result<(Option<Vec<u8>>, MerkleProof)> {
        if is_off_tree(key) {
            return Err(StorageError::NotInTree {
                key: hex::encode(key),
            });
        }
        self.check_retained(version)?;
        let txn = self
            .inner
            .db
            .begin_read()
            .map_err(|err| StorageError::db("starting a read transaction", err))?;
        let reading = "reading the tree";
        let roots = txn
            .open_table(ROOTS)
            .map_err(|err| StorageError::db(reading, err))?;
        if roots
            .get(version)
            .map_err(|err| StorageError::db(reading, err))?
            .is_none()
        {
            return Err(StorageError::VersionNotFound {
                version,
                latest: self.latest_version(),
            });
        }
        let (nodes, values) = tree_tables(&txn, reading)?;
        let reader = TreeStore::new(&nodes, &values);
        let (value, proof) = JellyfishMerkleTree::<_, Sha256>::new(&reader)
            .get_with_proof(KeyHash::with::<Sha256>(key), version)
            .map_err(|err| from_tree("building a proof", err))?;
        Ok((value, MerkleProof::new(proof)))
    }
}

/// Writes `changes` to the `kv` index.
fn write_kv(
    kv: &mut redb::Table<'_, &'static [u8], &'static [u8]>,
    changes: &ChangeSet,
) -> Result<()> {
    for (key, value) in changes.iter() {
        match value {
            Some(value) => kv.insert(key, value).map(drop),
            None => kv.remove(key).map(drop),
        }
        .map_err(|err| StorageError::db("writing the commit", err))?;
    }
    Ok(())
}

/// Starts the thread that makes the versions committed so far durable
/// (see the module docs). At most one runs: every write waits for the last
/// one before it begins.
fn start_background_sync(inner: &Inner) -> Result<()> {
    let db = Arc::clone(&inner.db);
    let Ok(handle) = std::thread::Builder::new()
        .name("fructus-storage-sync".into())
        .spawn(move || durable_empty_commit(&db))
    else {
        // No thread to be had (resource limits): sync here instead, as
        // with the background off, rather than fail a committed version.
        return durable_empty_commit(&inner.db);
    };
    let mut pending = inner.pending_sync.lock().map_err(|_| sync_poisoned())?;
    // The write that led here waited for the previous sync, so the slot is
    // empty; a handle found anyway is waited for, not dropped unseen.
    if let Some(previous) = pending.replace(handle) {
        join_sync(previous)?;
    }
    Ok(())
}

/// Waits for the background sync still running, if any.
fn wait_for_sync(inner: &Inner) -> Result<()> {
    let handle = inner
        .pending_sync
        .lock()
        .map_err(|_| sync_poisoned())?
        .take();
    handle.map_or(Ok(()), join_sync)
}

fn join_sync(handle: JoinHandle<Result<()>>) -> Result<()> {
    handle.join().map_err(|_| StorageError::Sync {
        message: "the background sync thread panicked".into(),
    })?
}

fn sync_poisoned() -> StorageError {
    StorageError::Sync {
        message: "the background sync's lock is poisoned".into(),
    }
}

/// An empty write transaction committed with `Durability::Immediate`:
/// redb persists it and every non-durable commit before it.
fn durable_empty_commit(db: &Database) -> Result<()> {
    let txn = db
        .begin_write()
        .map_err(|err| StorageError::db("starting the sync transaction", err))?;
    txn.commit()
        .map_err(|err| StorageError::db("syncing to disk", err))
}

/// A read transaction's `jmt_nodes` and `jmt_values` tables.
fn tree_tables(
    txn: &redb::ReadTransaction,
    ctx: &'static str,
) -> Result<(ByteReadTable, ByteReadTable)> {
    let open = |def| {
        txn.open_table(def)
            .map_err(|err| StorageError::db(ctx, err))
    };
    Ok((open(NODES)?, open(VALUES)?))
}

/// A read-only table of byte keys and values.
type ByteReadTable = redb::ReadOnlyTable<&'static [u8], &'static [u8]>;

/// Writes the version's tree values (what jmt's batch lists as its
/// values: one per changed key, a deletion as a tombstone).
fn write_values(
    values: &mut redb::Table<'_, &'static [u8], &'static [u8]>,
    hashed: &[(KeyHash, Option<&[u8]>)],
    version: u64,
) -> Result<()> {
    for (hash, value) in hashed {
        values
            .insert(
                value_key(&hash.0, version).as_slice(),
                encode_value(*value).as_slice(),
            )
            .map_err(|err| StorageError::db("writing the commit", err))?;
    }
    Ok(())
}

/// The tree of `version` computed over the committed tables (a read
/// transaction), so it can run beside the commit's own writes.
fn tree_over_committed(
    db: &Database,
    value_set: Vec<(KeyHash, Option<Vec<u8>>)>,
    version: u64,
) -> Result<(jmt::RootHash, jmt::storage::TreeUpdateBatch)> {
    let ctx = "reading the tree to update it";
    let txn = db.begin_read().map_err(|err| StorageError::db(ctx, err))?;
    let (nodes, values) = tree_tables(&txn, ctx)?;
    let reader = TreeStore::new(&nodes, &values);
    JellyfishMerkleTree::<_, Sha256>::new(&reader)
        .put_value_set(value_set, version)
        .map_err(|err| from_tree("computing the new tree", err))
}

/// The node key of the root of `version` (the empty nibble path). jmt
/// keeps its constructor private, so it is decoded from its borsh form:
/// version (u64 LE) ‖ nibble count (u64 LE, 0) ‖ path bytes (u32 LE length 0).
fn empty_root_key(version: u64) -> Result<jmt::storage::NodeKey> {
    let mut bytes = version.to_le_bytes().to_vec();
    bytes.extend_from_slice(&[0u8; 12]);
    <jmt::storage::NodeKey as borsh::BorshDeserialize>::try_from_slice(&bytes).map_err(|err| {
        StorageError::Tree {
            context: "building an empty root key",
            message: err.to_string(),
        }
    })
}

/// The version of the newest `jmt_values` entry of `hash` at or below
/// `max_version`, if any.
fn newest_value_version(
    values: &impl redb::ReadableTable<&'static [u8], &'static [u8]>,
    hash: &[u8; 32],
    max_version: u64,
) -> Result<Option<u64>> {
    let start = value_key(hash, max_version);
    let end = value_key(hash, 0);
    let mut range = values
        .range(start.as_slice()..=end.as_slice())
        .map_err(|err| StorageError::db("reading a tree value", err))?;
    let Some(entry) = range.next() else {
        return Ok(None);
    };
    let (key, _) = entry.map_err(|err| StorageError::db("reading a tree value", err))?;
    let inverted: [u8; 8] = key
        .value()
        .get(32..VALUE_KEY_LEN)
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| StorageError::Corrupt {
            table: "jmt_values",
            message: "key is not 40 bytes".into(),
        })?;
    Ok(Some(!u64::from_be_bytes(inverted)))
}

/// The only version that may be committed after `latest`. `u64::MAX` is
/// reserved by jmt (pre-genesis), so the last usable version is `u64::MAX - 1`.
fn next_version(latest: Option<u64>) -> Result<u64> {
    match latest {
        None => Ok(0),
        Some(latest) => latest
            .checked_add(1)
            .filter(|next| *next != u64::MAX)
            .ok_or(StorageError::VersionExhausted { latest }),
    }
}

/// Encodes `None` as 0 and `Some(v)` as `v + 1` (saturating; `v` is always
/// below `u64::MAX`, see [`next_version`]).
fn plus_one(version: Option<u64>) -> u64 {
    version.map_or(0, |v| v.saturating_add(1))
}

fn encode<T: borsh::BorshSerialize>(value: &T) -> Result<Vec<u8>> {
    borsh::to_vec(value).map_err(|err| StorageError::Tree {
        context: "encoding a tree node",
        message: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn next_version_rules() {
        assert_eq!(next_version(None).unwrap(), 0);
        assert_eq!(next_version(Some(4)).unwrap(), 5);
        assert!(matches!(
            next_version(Some(u64::MAX - 1)),
            Err(StorageError::VersionExhausted { .. })
        ));
        assert!(matches!(
            next_version(Some(u64::MAX)),
            Err(StorageError::VersionExhausted { .. })
        ));
    }

    /// A write transaction dropped before commit (a crash mid-commit, as far
    /// as redb is concerned) leaves no trace.
    #[test]
    fn uncommitted_write_transaction_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let mut changes = ChangeSet::new();
        changes.put(b"a".to_vec(), b"1".to_vec());
        let root0 = storage.commit(changes, 0).unwrap();
        {
            let txn = storage.inner.db.begin_write().unwrap();
            {
                let mut kv = txn.open_table(KV).unwrap();
                kv.insert(b"a".as_slice(), b"torn".as_slice()).unwrap();
                let mut meta = txn.open_table(META).unwrap();
                meta.insert(META_LATEST_VERSION, 7u64).unwrap();
            }
            drop(txn);
        }
        drop(storage);
        let storage = Storage::open(dir.path()).unwrap();
        assert_eq!(storage.latest_version(), Some(0));
        assert_eq!(storage.root_hash(0).unwrap(), root0);
        let snapshot = storage.latest_snapshot().unwrap();
        use crate::StateRead;
        assert_eq!(snapshot.get_raw(b"a").unwrap(), Some(b"1".to_vec()));
    }
}
