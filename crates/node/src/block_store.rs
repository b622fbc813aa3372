//! Decided blocks, their commit certificates, transaction results and the
//! validator set of each height, indexed by height, block hash and
//! transaction hash, in one redb file (`data/blocks.redb`).
//!
//! Crash safety: a decided block is written here (block, certificate,
//! results, validator set — one durable transaction) *before* the app state
//! is committed. (The host writes it on a thread of its own while the app
//! stages the block's state — computes and writes the new tree into a
//! transaction it commits only once this write has returned.) On restart,
//! a block stored here but above the app's height is executed again
//! (deterministically giving the same results), so a crash at any point
//! loses nothing that was committed.
//!
//! Results and hook events are stored compressed (see `codec`); values
//! written before that are read as they are.
//!
//! Retention: with [`BlockStore::set_retention`] the store keeps only the
//! latest `n` heights; each save deletes (in the same transaction) heights
//! below that, a bounded number at a time, with their hash and transaction
//! index entries. [`BlockStore::first_height`] is the oldest height kept.

use std::path::Path;

use fructus_app::{ConsensusValidator, TxResult};
use fructus_component::Event;
use fructus_types::block::{Block, Hash32};
use fructus_types::tx::TxHash;
use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};

use crate::NodeError;

mod codec;

const BLOCKS: TableDefinition<'static, u64, &'static [u8]> = TableDefinition::new("blocks");
const CERTS: TableDefinition<'static, u64, &'static [u8]> = TableDefinition::new("certificates");
const RESULTS: TableDefinition<'static, u64, &'static [u8]> = TableDefinition::new("results");
const BLOCK_EVENTS: TableDefinition<'static, u64, &'static [u8]> =
    TableDefinition::new("block_events");
const VALSETS: TableDefinition<'static, u64, &'static [u8]> =
    TableDefinition::new("validator_sets");
const BY_HASH: TableDefinition<'static, &'static [u8], u64> = TableDefinition::new("block_by_hash");
const TX_INDEX: TableDefinition<'static, &'static [u8], (u64, u32)> =
    TableDefinition::new("tx_index");
const META: TableDefinition<'static, &'static str, u64> = TableDefinition::new("meta");
const LAST_HEIGHT: &str = "last_height";
/// The oldest height still stored (absent: 1).
const FIRST_HEIGHT: &str = "first_height";
/// Most heights one save deletes (a store switched from keeping everything
/// catches up over many blocks).
const MAX_HEIGHTS_PRUNED_PER_SAVE: u64 = 1_000;

/// Everything stored for one decided height.
#[derive(Debug, Clone)]
pub struct StoredBlock {
    /// The block.
    pub block: Block,
    /// Commit certificate bytes (consensus codec).
    pub certificate: Vec<u8>,
    /// One result per transaction.
    pub results: Vec<TxResult>,
    /// Events of the modules' begin- and end-of-block hooks.
    pub events: Vec<Event>,
}

/// The block store.
#[derive(Debug)]
pub struct BlockStore {
    db: Database,
    /// Heights kept (0: all).
    keep: std::sync::atomic::AtomicU64,
    /// The buffers results and hook events are encoded in, kept between
    /// saves (one save at a time: redb has one writer).
    encoder: std::sync::Mutex<codec::Encoder>,
}

impl BlockStore {
    /// Opens or creates the store file.
    pub fn open(path: &Path) -> Result<Self, NodeError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
        }
        let db = Database::create(path).map_err(|e| NodeError::store("opening", e))?;
        let txn = db.begin_write().map_err(|e| NodeError::store("init", e))?;
        {
            for t in [BLOCKS, CERTS, RESULTS, BLOCK_EVENTS, VALSETS] {
                txn.open_table(t).map_err(|e| NodeError::store("init", e))?;
            }
            txn.open_table(BY_HASH)
                .map_err(|e| NodeError::store("init", e))?;
            txn.open_table(TX_INDEX)
                .map_err(|e| NodeError::store("init", e))?;
            txn.open_table(META)
                .map_err(|e| NodeError::store("init", e))?;
        }
        txn.commit().map_err(|e| NodeError::store("init", e))?;
        Ok(BlockStore {
            db,
            keep: std::sync::atomic::AtomicU64::new(0),
            encoder: std::sync::Mutex::default(),
        })
    }

    /// Keep only the latest `keep` heights from the next save on (0: all).
    pub fn set_retention(&self, keep: u64) {
        self.keep.store(keep, std::sync::atomic::Ordering::Release);
    }

    /// The oldest height whose block is still stored (1 unless pruned).
    pub fn first_height(&self) -> Result<u64, NodeError> {
        let txn = self
            .db
            .begin_read()
            .map_err(|e| NodeError::store("read", e))?;
        let meta = txn
            .open_table(META)
            .map_err(|e| NodeError::store("read", e))?;
        Ok(meta
            .get(FIRST_HEIGHT)
            .map_err(|e| NodeError::store("read", e))?
            .map_or(1, |g| g.value()))
    }

    /// Height of the last stored block (0 if none).
    pub fn last_height(&self) -> Result<u64, NodeError> {
        let txn = self
            .db
            .begin_read()
            .map_err(|e| NodeError::store("read", e))?;
        let meta = txn
            .open_table(META)
            .map_err(|e| NodeError::store("read", e))?;
        Ok(meta
            .get(LAST_HEIGHT)
            .map_err(|e| NodeError::store("read", e))?
            .map_or(0, |g| g.value()))
    }

    /// Stores a decided block with everything about it, durably, in one
    /// transaction. Heights must be stored in order.
    pub fn save(
        &self,
        block: &Block,
        certificate: &[u8],
        results: &[TxResult],
        events: &[Event],
        validators: &[ConsensusValidator],
    ) -> Result<(), NodeError> {
        let height = block.header.height;
        let last = self.last_height()?;
        if height != last.saturating_add(1) {
            return Err(NodeError::Inconsistent(format!(
                "block store holds height {last}, asked to store {height}"
            )));
        }
        let ctx = "saving a block";
        let mut txn = self
            .db
            .begin_write()
            .map_err(|e| NodeError::store(ctx, e))?;
        txn.set_durability(Durability::Immediate)
            .map_err(|e| NodeError::store(ctx, e))?;
        {
            let block_bytes = block.to_bytes();
            let mut encoder = self
                .encoder
                .lock()
                .map_err(|_| NodeError::Inconsistent("block store encoder lock poisoned".into()))?;
            let valset_bytes = borsh::to_vec(validators).map_err(|e| NodeError::store(ctx, e))?;
            {
                let mut t = txn
                    .open_table(BLOCKS)
                    .map_err(|e| NodeError::store(ctx, e))?;
                t.insert(height, block_bytes.as_slice())
                    .map_err(|e| NodeError::store(ctx, e))?;
            }
            {
                let mut t = txn
                    .open_table(CERTS)
                    .map_err(|e| NodeError::store(ctx, e))?;
                t.insert(height, certificate)
                    .map_err(|e| NodeError::store(ctx, e))?;
            }
            {
                let mut t = txn
                    .open_table(RESULTS)
                    .map_err(|e| NodeError::store(ctx, e))?;
                let results_bytes = encoder
                    .encode(results)
                    .map_err(|e| NodeError::store(ctx, e))?;
                t.insert(height, results_bytes)
                    .map_err(|e| NodeError::store(ctx, e))?;
            }
            {
                let mut t = txn
                    .open_table(BLOCK_EVENTS)
                    .map_err(|e| NodeError::store(ctx, e))?;
                let events_bytes = encoder
                    .encode(events)
                    .map_err(|e| NodeError::store(ctx, e))?;
                t.insert(height, events_bytes)
                    .map_err(|e| NodeError::store(ctx, e))?;
                encoder.trim();
            }
            {
                let mut t = txn
                    .open_table(VALSETS)
                    .map_err(|e| NodeError::store(ctx, e))?;
                t.insert(height, valset_bytes.as_slice())
                    .map_err(|e| NodeError::store(ctx, e))?;
            }
            let hash = block.hash();
            {
                let mut t = txn
                    .open_table(BY_HASH)
                    .map_err(|e| NodeError::store(ctx, e))?;
                t.insert(hash.as_slice(), height)
                    .map_err(|e| NodeError::store(ctx, e))?;
            }
            let mut index = txn
                .open_table(TX_INDEX)
                .map_err(|e| NodeError::store(ctx, e))?;
            // First inclusion wins: the chain never includes the same bytes
            // twice (see the app's included-transaction window), and if it
            // ever did, `GET /v1/txs/{hash}` must keep answering with the
            // first, charged, inclusion rather than move: an insert that
            // finds an entry puts the old one back. Inserted in key order
            // (hashes are random), so each insert walks the pages the
            // previous one left hot.
            let mut entries: Vec<([u8; 32], u32)> = block
                .txs
                .iter()
                .enumerate()
                .map(|(i, tx)| (TxHash::of(tx).0, u32::try_from(i).unwrap_or(u32::MAX)))
                .collect();
            entries.sort_unstable();
            for (key, pos) in entries {
                let earlier = index
                    .insert(key.as_slice(), (height, pos))
                    .map_err(|e| NodeError::store(ctx, e))?
                    .map(|old| old.value());
                if let Some(earlier) = earlier {
                    index
                        .insert(key.as_slice(), earlier)
                        .map_err(|e| NodeError::store(ctx, e))?;
                }
            }
            drop(index);
            {
                let mut t = txn.open_table(META).map_err(|e| NodeError::store(ctx, e))?;
                t.insert(LAST_HEIGHT, height)
                    .map_err(|e| NodeError::store(ctx, e))?;
            }
            let keep = self.keep.load(std::sync::atomic::Ordering::Acquire);
            if keep > 0 {
                prune_below(&txn, height.saturating_add(1).saturating_sub(keep))?;
            }
        }
        txn.commit().map_err(|e| NodeError::store(ctx, e))
    }

    /// Starts an empty store at `block` (restored from a snapshot): it is
    /// both the first and the last height held, so the node continues
    /// with the next height.
    pub fn bootstrap(
        &self,
        block: &Block,
        certificate: &[u8],
        validators: &[ConsensusValidator],
    ) -> Result<(), NodeError> {
        if self.last_height()? != 0 {
            return Err(NodeError::Inconsistent(
                "the block store is not empty: restore a snapshot only into a fresh home".into(),
            ));
        }
        let height = block.header.height;
        let ctx = "starting from a snapshot";
        {
            let txn = self
                .db
                .begin_write()
                .map_err(|e| NodeError::store(ctx, e))?;
            let mut meta = txn.open_table(META).map_err(|e| NodeError::store(ctx, e))?;
            // save() writes `height` after `height - 1`.
            meta.insert(LAST_HEIGHT, height.saturating_sub(1))
                .map_err(|e| NodeError::store(ctx, e))?;
            meta.insert(FIRST_HEIGHT, height)
                .map_err(|e| NodeError::store(ctx, e))?;
            drop(meta);
            txn.commit().map_err(|e| NodeError::store(ctx, e))?;
        }
        self.save(block, certificate, &[], &[], validators)
    }

    /// Whether `height` was stored once and has been pruned since.
    pub fn is_pruned(&self, height: u64) -> Result<bool, NodeError> {
        Ok(height < self.first_height()? && height > 0)
    }

    fn get_bytes(
        &self,
        table: TableDefinition<'static, u64, &'static [u8]>,
        height: u64,
    ) -> Result<Option<Vec<u8>>, NodeError> {
        let txn = self
            .db
            .begin_read()
            .map_err(|e| NodeError::store("read", e))?;
        let t = txn
            .open_table(table)
            .map_err(|e| NodeError::store("read", e))?;
        Ok(t.get(height)
            .map_err(|e| NodeError::store("read", e))?
            .map(|g| g.value().to_vec()))
    }

    /// The block at `height`.
    pub fn block(&self, height: u64) -> Result<Option<Block>, NodeError> {
        self.get_bytes(BLOCKS, height)?
            .map(|b| Block::from_bytes(&b).map_err(|e| NodeError::store("decoding a block", e)))
            .transpose()
    }

    /// The certificate bytes of `height`.
    pub fn certificate(&self, height: u64) -> Result<Option<Vec<u8>>, NodeError> {
        self.get_bytes(CERTS, height)
    }

    /// The results of `height`'s transactions.
    pub fn results(&self, height: u64) -> Result<Option<Vec<TxResult>>, NodeError> {
        self.get_bytes(RESULTS, height)?
            .map(|b| codec::decode(&b).map_err(|e| NodeError::store("decoding results", e)))
            .transpose()
    }

    /// The events of `height`'s begin- and end-of-block hooks.
    pub fn block_events(&self, height: u64) -> Result<Option<Vec<Event>>, NodeError> {
        self.get_bytes(BLOCK_EVENTS, height)?
            .map(|b| codec::decode(&b).map_err(|e| NodeError::store("decoding block events", e)))
            .transpose()
    }

    /// The validator set that signed `height`.
    pub fn validators(&self, height: u64) -> Result<Option<Vec<ConsensusValidator>>, NodeError> {
        self.get_bytes(VALSETS, height)?
            .map(|b| {
                borsh::from_slice(&b).map_err(|e| NodeError::store("decoding a validator set", e))
            })
            .transpose()
    }

    /// Everything about `height`.
    pub fn stored(&self, height: u64) -> Result<Option<StoredBlock>, NodeError> {
        let (Some(block), Some(certificate)) = (self.block(height)?, self.certificate(height)?)
        else {
            return Ok(None);
        };
        let results = self.results(height)?.unwrap_or_default();
        let events = self.block_events(height)?.unwrap_or_default();
        Ok(Some(StoredBlock {
            block,
            certificate,
            results,
            events,
        }))
    }

    /// Height of the block with this hash.
    pub fn height_of(&self, hash: &Hash32) -> Result<Option<u64>, NodeError> {
        let txn = self
            .db
            .begin_read()
            .map_err(|e| NodeError::store("read", e))?;
        let t = txn
            .open_table(BY_HASH)
            .map_err(|e| NodeError::store("read", e))?;
        Ok(t.get(hash.as_slice())
            .map_err(|e| NodeError::store("read", e))?
            .map(|g| g.value()))
    }

    /// Where a transaction was included: (height, index).
    pub fn tx_location(&self, hash: &TxHash) -> Result<Option<(u64, u32)>, NodeError> {
        let txn = self
            .db
            .begin_read()
            .map_err(|e| NodeError::store("read", e))?;
        let t = txn
            .open_table(TX_INDEX)
            .map_err(|e| NodeError::store("read", e))?;
        Ok(t.get(hash.0.as_slice())
            .map_err(|e| NodeError::store("read", e))?
            .map(|g| g.value()))
    }
}

/// Deletes the heights from the stored first height up to (not including)
/// `first`, at most [`MAX_HEIGHTS_PRUNED_PER_SAVE`] of them, with their
/// hash and transaction index entries, and records the new first height.
fn prune_below(txn: &redb::WriteTransaction, first: u64) -> Result<(), NodeError> {
    let ctx = "pruning old blocks";
    let mut meta = txn.open_table(META).map_err(|e| NodeError::store(ctx, e))?;
    let current = meta
        .get(FIRST_HEIGHT)
        .map_err(|e| NodeError::store(ctx, e))?
        .map_or(1, |g| g.value());
    if first <= current {
        return Ok(());
    }
    let upto = first.min(current.saturating_add(MAX_HEIGHTS_PRUNED_PER_SAVE));
    let mut blocks = txn
        .open_table(BLOCKS)
        .map_err(|e| NodeError::store(ctx, e))?;
    let mut by_hash = txn
        .open_table(BY_HASH)
        .map_err(|e| NodeError::store(ctx, e))?;
    let mut index = txn
        .open_table(TX_INDEX)
        .map_err(|e| NodeError::store(ctx, e))?;
    let mut others = [CERTS, RESULTS, BLOCK_EVENTS, VALSETS]
        .into_iter()
        .map(|t| txn.open_table(t).map_err(|e| NodeError::store(ctx, e)))
        .collect::<Result<Vec<_>, _>>()?;
    for height in current..upto {
        let removed = blocks
            .remove(height)
            .map_err(|e| NodeError::store(ctx, e))?
            .map(|g| g.value().to_vec());
        if let Some(bytes) = removed {
            let block =
                Block::from_bytes(&bytes).map_err(|e| NodeError::store("decoding a block", e))?;
            by_hash
                .remove(block.hash().as_slice())
                .map_err(|e| NodeError::store(ctx, e))?;
            for tx in &block.txs {
                let key = TxHash::of(tx).0;
                let here = index
                    .get(key.as_slice())
                    .map_err(|e| NodeError::store(ctx, e))?
                    .is_some_and(|g| g.value().0 == height);
                if here {
                    index
                        .remove(key.as_slice())
                        .map_err(|e| NodeError::store(ctx, e))?;
                }
            }
        }
        for t in &mut others {
            t.remove(height).map_err(|e| NodeError::store(ctx, e))?;
        }
    }
    meta.insert(FIRST_HEIGHT, upto)
        .map_err(|e| NodeError::store(ctx, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]
    use super::*;
    use fructus_types::{BlockTime, block::BlockHeader};

    fn block(height: u64, txs: Vec<Vec<u8>>) -> Block {
        Block {
            header: BlockHeader {
                chain_id: "c".into(),
                height,
                time: BlockTime(height),
                prev_block_hash: [0; 32],
                app_hash: [0; 32],
                tx_root: fructus_types::block::tx_root(&txs),
                proposer: fructus_types::Address::from_bytes([1; 20]),
                validator_set_hash: [0; 32],
                last_commit_hash: fructus_crypto::sha256(&[]),
                evidence_hash: fructus_types::block::evidence_hash(&[]),
            },
            txs,
            last_commit: Vec::new(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn stores_indexes_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blocks.redb");
        let store = BlockStore::open(&path).unwrap();
        assert_eq!(store.last_height().unwrap(), 0);
        let b1 = block(1, vec![vec![1, 2, 3], vec![4]]);
        store.save(&b1, b"cert1", &[], &[], &[]).unwrap();
        assert!(matches!(
            store.save(&block(3, vec![]), b"c", &[], &[], &[]),
            Err(NodeError::Inconsistent(_))
        ));
        store
            .save(&block(2, vec![]), b"cert2", &[], &[], &[])
            .unwrap();
        drop(store);
        let store = BlockStore::open(&path).unwrap();
        assert_eq!(store.last_height().unwrap(), 2);
        assert_eq!(store.block(1).unwrap().unwrap(), b1);
        assert_eq!(store.certificate(2).unwrap().unwrap(), b"cert2");
        assert_eq!(store.height_of(&b1.hash()).unwrap(), Some(1));
        assert_eq!(store.tx_location(&TxHash::of(&[4])).unwrap(), Some((1, 1)));
        assert_eq!(store.tx_location(&TxHash::of(&[5])).unwrap(), None);
        assert!(store.block(3).unwrap().is_none());
    }

    #[test]
    fn a_store_with_retention_keeps_only_the_latest_heights() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlockStore::open(&dir.path().join("blocks.redb")).unwrap();
        store.set_retention(3);
        for h in 1..=10u64 {
            let tx = h.to_be_bytes().to_vec();
            store
                .save(&block(h, vec![tx]), b"c", &[], &[], &[])
                .unwrap();
        }
        assert_eq!(store.first_height().unwrap(), 8);
        for h in 1..8u64 {
            assert!(store.block(h).unwrap().is_none(), "height {h} kept");
            assert!(store.certificate(h).unwrap().is_none());
            assert!(store.is_pruned(h).unwrap());
            assert_eq!(
                store.tx_location(&TxHash::of(&h.to_be_bytes())).unwrap(),
                None
            );
        }
        for h in 8..=10u64 {
            let b = store.block(h).unwrap().unwrap();
            assert_eq!(store.height_of(&b.hash()).unwrap(), Some(h));
            assert_eq!(
                store.tx_location(&TxHash::of(&h.to_be_bytes())).unwrap(),
                Some((h, 0))
            );
            assert!(!store.is_pruned(h).unwrap());
        }
        assert_eq!(store.last_height().unwrap(), 10);
    }

    #[test]
    fn a_tx_index_entry_is_never_overwritten_by_a_later_block() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlockStore::open(&dir.path().join("blocks.redb")).unwrap();
        store
            .save(&block(1, vec![vec![7], vec![8]]), b"c1", &[], &[], &[])
            .unwrap();
        store
            .save(&block(2, vec![vec![9], vec![8]]), b"c2", &[], &[], &[])
            .unwrap();
        assert_eq!(store.tx_location(&TxHash::of(&[8])).unwrap(), Some((1, 1)));
        assert_eq!(store.tx_location(&TxHash::of(&[9])).unwrap(), Some((2, 0)));
    }
}
