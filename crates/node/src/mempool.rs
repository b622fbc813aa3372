//! Pending transactions: admission, limits, per-sender nonce order, block
//! filling, and re-checking after each commit.
//!
//! Admission = stateless checks and signature (done by the caller outside
//! the lock, see [`check_stateless`]) + the ante checks against the latest
//! committed state, where a signer's nonce must be its account nonce plus
//! the number of its transactions already waiting (so one signer can have
//! many consecutive transactions in flight). Arrival order is kept; since
//! each signer's transactions are admitted only in consecutive nonce order,
//! filling a block in arrival order keeps every signer's nonces in order.
//!
//! Nonceless transactions (only device readings, see
//! [`ParsedTx::nonceless_readings`]) are not ordered by nonce: they are
//! admitted with no pending count, deduplicated by hash and by (device,
//! sequence) — so one reading cannot wait twice under different fees — and
//! re-checked one by one after each commit (a reading whose sequence was
//! used up is dropped). A device may have at most `max_txs_per_sender`
//! reading transactions waiting (its readings count against the device as
//! a signer's transactions count against it), and a block takes a device's
//! readings in sequence order whatever order they arrived in: the slots
//! its transactions hold in arrival order are filled lowest sequence first,
//! so readings sent out of order all bill instead of all but one failing
//! (and paying their fee — every included transaction pays).
//!
//! The mempool is node-local and never affects consensus state, so its maps
//! may be hash maps; block contents are taken in arrival order only.

use std::collections::{BTreeMap, HashMap};

use fructus_app::{
    ParsedTx, check_admission,
    pipeline::{stateless, window::Window},
};
use fructus_auth::AuthParams;
use fructus_component::TxError;
use fructus_storage::Snapshot;
use fructus_types::tx::TxHash;

use crate::config::MempoolConfig;

/// Why the mempool refused a transaction (codespace `mempool`); refusals
/// by the chain's own checks keep their `tx`/`auth`/`bank` codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MempoolError {
    /// Already waiting.
    #[error("transaction {hash} is already in the mempool")]
    AlreadyKnown {
        /// Its hash.
        hash: TxHash,
    },
    /// Count or byte limit reached.
    #[error("mempool is full ({txs} transactions, {bytes} bytes); retry after the next block")]
    Full {
        /// Transactions waiting.
        txs: usize,
        /// Bytes waiting.
        bytes: usize,
    },
    /// A waiting transaction already carries this device reading.
    #[error("device {device} reading {sequence} is already waiting in transaction {hash}")]
    ReadingKnown {
        /// The device.
        device: fructus_types::Address,
        /// The reading's sequence.
        sequence: u64,
        /// The waiting transaction.
        hash: TxHash,
    },
    /// Too many from one signer.
    #[error("signer already has {count} transactions waiting (limit {max}); wait for a block")]
    SenderFull {
        /// Its waiting transactions.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Refused by the chain's checks.
    #[error("{0}")]
    Check(TxError),
    /// Too many reading transactions of one device.
    #[error(
        "device {device} already has {count} reading transactions waiting (limit {max}); wait for a block"
    )]
    DeviceFull {
        /// The device.
        device: fructus_types::Address,
        /// Its waiting reading transactions.
        count: usize,
        /// The limit.
        max: usize,
    },
}

impl MempoolError {
    /// The code of [`MempoolError::AlreadyKnown`] (codespace `mempool`).
    pub const ALREADY_KNOWN: u32 = 1;
    /// The code of [`MempoolError::Full`].
    pub const FULL: u32 = 2;
    /// The code of [`MempoolError::SenderFull`].
    pub const SENDER_FULL: u32 = 3;
    /// The code of a transaction whose signature check gave no verdict.
    pub const UNCHECKED: u32 = 4;
    /// The code of [`MempoolError::ReadingKnown`].
    pub const READING_KNOWN: u32 = 5;
    /// The code of [`MempoolError::DeviceFull`].
    pub const DEVICE_FULL: u32 = 6;

    /// The stable `{codespace, code, message}` of the refusal.
    pub fn to_tx_error(&self) -> TxError {
        let mk = |code| TxError {
            codespace: "mempool".into(),
            code,
            message: self.to_string(),
        };
        match self {
            MempoolError::AlreadyKnown { .. } => mk(Self::ALREADY_KNOWN),
            MempoolError::Full { .. } => mk(Self::FULL),
            MempoolError::SenderFull { .. } => mk(Self::SENDER_FULL),
            MempoolError::ReadingKnown { .. } => mk(Self::READING_KNOWN),
            MempoolError::DeviceFull { .. } => mk(Self::DEVICE_FULL),
            MempoolError::Check(e) => e.clone(),
        }
    }
}

#[derive(Debug)]
struct Entry {
    seq: u64,
    bytes: Vec<u8>,
    parsed: ParsedTx,
    sender: Vec<u8>,
    readings: Option<Vec<(fructus_types::Address, u64)>>,
}

/// The pool.
#[derive(Debug)]
pub struct Mempool {
    config: MempoolConfig,
    chain_id: String,
    /// The app's committed included-transaction window.
    window: Window,
    next_seq: u64,
    bytes: usize,
    by_hash: HashMap<TxHash, Entry>,
    order: BTreeMap<u64, TxHash>,
    by_sender: HashMap<Vec<u8>, BTreeMap<u64, TxHash>>,
    by_reading: HashMap<(fructus_types::Address, u64), TxHash>,
    /// Reading transactions per device (of their first reading), by that
    /// reading's sequence.
    by_device: HashMap<fructus_types::Address, BTreeMap<u64, TxHash>>,
}

/// Stateless checks and signature of one transaction (no lock needed).
pub fn check_stateless(
    tx: &[u8],
    chain_id: &str,
    params: &AuthParams,
) -> Result<ParsedTx, MempoolError> {
    check_stateless_batch(std::slice::from_ref(&tx.to_vec()), chain_id, params)
        .pop()
        .unwrap_or_else(|| {
            Err(MempoolError::Check(TxError {
                codespace: "mempool".into(),
                code: MempoolError::UNCHECKED,
                message: "signature was not checked".into(),
            }))
        })
}

/// [`check_stateless`] for many transactions: decoding and checks in
/// parallel, signatures in one batch. One verdict per input, in order.
pub fn check_stateless_batch(
    txs: &[Vec<u8>],
    chain_id: &str,
    params: &AuthParams,
) -> Vec<Result<ParsedTx, MempoolError>> {
    stateless::check_batch(txs, chain_id, params)
        .into_iter()
        .map(|r| r.map_err(MempoolError::Check))
        .collect()
}

impl Mempool {
    /// An empty pool that checks admissions against the app's committed
    /// included-transaction `window` ([`fructus_app::App::window`]).
    pub fn new(config: MempoolConfig, chain_id: &str, window: Window) -> Self {
        Mempool {
            config,
            chain_id: chain_id.to_owned(),
            window,
            next_seq: 0,
            bytes: 0,
            by_hash: HashMap::new(),
            order: BTreeMap::new(),
            by_sender: HashMap::new(),
            by_reading: HashMap::new(),
            by_device: HashMap::new(),
        }
    }

    /// Transactions waiting.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// True if the transaction waits here.
    pub fn contains(&self, hash: &TxHash) -> bool {
        self.by_hash.contains_key(hash)
    }

    /// Admits a transaction that passed [`check_stateless`].
    pub fn admit(
        &mut self,
        bytes: Vec<u8>,
        parsed: ParsedTx,
        snapshot: Snapshot,
    ) -> Result<TxHash, MempoolError> {
        let hash = parsed.tx.hash;
        if self.by_hash.contains_key(&hash) {
            return Err(MempoolError::AlreadyKnown { hash });
        }
        if self.by_hash.len() >= self.config.max_txs
            || self.bytes.saturating_add(bytes.len()) > self.config.max_bytes
        {
            return Err(MempoolError::Full {
                txs: self.by_hash.len(),
                bytes: self.bytes,
            });
        }
        let sender = parsed.tx.signer.to_bytes();
        let readings = parsed.nonceless_readings();
        if let Some(list) = &readings {
            if let Some((device, _)) = list.first() {
                let waiting = self.by_device.get(device).map_or(0, BTreeMap::len);
                if waiting >= self.config.max_txs_per_sender {
                    return Err(MempoolError::DeviceFull {
                        device: *device,
                        count: waiting,
                        max: self.config.max_txs_per_sender,
                    });
                }
            }
            for (device, sequence) in list {
                if let Some(waiting) = self.by_reading.get(&(*device, *sequence)) {
                    return Err(MempoolError::ReadingKnown {
                        device: *device,
                        sequence: *sequence,
                        hash: *waiting,
                    });
                }
            }
            check_admission(snapshot, &self.window, &self.chain_id, &parsed, 0)
                .map_err(MempoolError::Check)?;
            self.insert(
                hash,
                Entry {
                    seq: 0,
                    bytes,
                    parsed,
                    sender,
                    readings,
                },
            );
            return Ok(hash);
        }
        let waiting = self.by_sender.get(&sender).map_or(0, BTreeMap::len);
        if waiting >= self.config.max_txs_per_sender {
            return Err(MempoolError::SenderFull {
                count: waiting,
                max: self.config.max_txs_per_sender,
            });
        }
        let pending = u64::try_from(waiting).unwrap_or(u64::MAX);
        check_admission(snapshot, &self.window, &self.chain_id, &parsed, pending)
            .map_err(MempoolError::Check)?;
        self.insert(
            hash,
            Entry {
                seq: 0,
                bytes,
                parsed,
                sender,
                readings: None,
            },
        );
        Ok(hash)
    }

    fn insert(&mut self, hash: TxHash, mut entry: Entry) {
        entry.seq = self.next_seq;
        self.next_seq = self.next_seq.saturating_add(1);
        self.bytes = self.bytes.saturating_add(entry.bytes.len());
        self.order.insert(entry.seq, hash);
        match &entry.readings {
            Some(list) => {
                for key in list {
                    self.by_reading.insert(*key, hash);
                }
                if let Some((device, sequence)) = list.first() {
                    self.by_device
                        .entry(*device)
                        .or_default()
                        .insert(*sequence, hash);
                }
            }
            None => {
                self.by_sender
                    .entry(entry.sender.clone())
                    .or_default()
                    .insert(entry.parsed.tx.body.nonce, hash);
            }
        }
        self.by_hash.insert(hash, entry);
    }

    fn remove(&mut self, hash: &TxHash) -> Option<Entry> {
        let entry = self.by_hash.remove(hash)?;
        self.bytes = self.bytes.saturating_sub(entry.bytes.len());
        self.order.remove(&entry.seq);
        if let Some(list) = &entry.readings {
            for key in list {
                self.by_reading.remove(key);
            }
            if let Some((device, sequence)) = list.first()
                && let Some(waiting) = self.by_device.get_mut(device)
            {
                waiting.remove(sequence);
                if waiting.is_empty() {
                    self.by_device.remove(device);
                }
            }
            return Some(entry);
        }
        if let Some(nonces) = self.by_sender.get_mut(&entry.sender) {
            nonces.remove(&entry.parsed.tx.body.nonce);
            if nonces.is_empty() {
                self.by_sender.remove(&entry.sender);
            }
        }
        Some(entry)
    }

    /// Transactions for a block, in arrival order — except that a device's
    /// reading transactions fill the slots they hold in lowest-sequence-first
    /// order — up to `max_bytes` of transactions and `max_gas` of gas
    /// limits. Nothing is removed (that happens when the block commits).
    pub fn reap(&self, max_bytes: usize, max_gas: u64) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let (mut bytes, mut gas) = (0usize, 0u64);
        let mut by_sequence: HashMap<
            fructus_types::Address,
            std::collections::btree_map::Values<'_, u64, TxHash>,
        > = HashMap::new();
        for hash in self.order.values() {
            let Some(mut entry) = self.by_hash.get(hash) else {
                continue;
            };
            if let Some((device, _)) = entry.readings.as_ref().and_then(|l| l.first())
                && let Some(waiting) = self.by_device.get(device)
            {
                let next = by_sequence
                    .entry(*device)
                    .or_insert_with(|| waiting.values())
                    .next()
                    .and_then(|h| self.by_hash.get(h));
                match next {
                    Some(lowest) => entry = lowest,
                    None => continue,
                }
            }
            let next_bytes = bytes.saturating_add(entry.bytes.len());
            let next_gas = gas.saturating_add(entry.parsed.tx.gas_limit);
            if next_bytes > max_bytes || next_gas > max_gas {
                // Later transactions of this signer would have a nonce gap.
                break;
            }
            bytes = next_bytes;
            gas = next_gas;
            out.push(entry.bytes.clone());
        }
        out
    }

    /// After a commit: drops the included transactions, then re-checks every
    /// remaining one against the new state in nonce order per signer,
    /// dropping those no longer valid. Returns how many were dropped by the
    /// re-check.
    pub fn update(&mut self, committed: &[TxHash], storage: &fructus_storage::Storage) -> usize {
        for hash in committed {
            self.remove(hash);
        }
        let mut dropped = Vec::new();
        for nonces in self.by_sender.values() {
            // Only transactions that stay count as pending for the next one.
            let mut kept: u64 = 0;
            for hash in nonces.values() {
                let Some(entry) = self.by_hash.get(hash) else {
                    continue;
                };
                let Ok(snapshot) = storage.latest_snapshot() else {
                    return 0;
                };
                if check_admission(snapshot, &self.window, &self.chain_id, &entry.parsed, kept)
                    .is_err()
                {
                    dropped.push(*hash);
                } else {
                    kept = kept.saturating_add(1);
                }
            }
        }
        for (hash, entry) in &self.by_hash {
            if entry.readings.is_none() {
                continue;
            }
            let Ok(snapshot) = storage.latest_snapshot() else {
                return 0;
            };
            if check_admission(snapshot, &self.window, &self.chain_id, &entry.parsed, 0).is_err() {
                dropped.push(*hash);
            }
        }
        for hash in &dropped {
            self.remove(hash);
        }
        dropped.len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]
    use super::*;
    use fructus_client::tx::msgs;
    use fructus_test_utils::{CHAIN_ID, TestChain, coins};

    fn pool(max_txs: usize, per_sender: usize, chain: &TestChain) -> Mempool {
        Mempool::new(
            MempoolConfig {
                max_txs,
                max_txs_per_sender: per_sender,
                ..MempoolConfig::default()
            },
            CHAIN_ID,
            chain.app.window(),
        )
    }

    fn admit(pool: &mut Mempool, chain: &TestChain, tx: Vec<u8>) -> Result<TxHash, MempoolError> {
        let parsed = check_stateless(&tx, CHAIN_ID, &AuthParams::default())?;
        pool.admit(tx, parsed, chain.app.snapshot().unwrap())
    }

    #[test]
    fn consecutive_nonces_of_one_sender_wait_together_and_gaps_are_refused() {
        let chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        let bob = chain.addr("bob");
        let tx = |n| {
            chain
                .tx("alice")
                .nonce(n)
                .message(msgs::send(&bob, &coins("1ufrx")))
                .sign(chain.key("alice"))
        };
        for n in 0..3 {
            admit(&mut pool, &chain, tx(n)).unwrap();
        }
        assert_eq!(pool.len(), 3);
        let gap = admit(&mut pool, &chain, tx(5)).unwrap_err();
        assert_eq!(
            gap.to_tx_error().code,
            fructus_app::TxCheckError::NONCE_TOO_HIGH
        );
        let dup = admit(&mut pool, &chain, tx(2)).unwrap_err();
        assert!(matches!(dup, MempoolError::AlreadyKnown { .. }));
        assert_eq!(pool.reap(usize::MAX, u64::MAX).len(), 3);
        assert_eq!(
            pool.reap(usize::MAX, 400_000).len(),
            2,
            "gas limit respected"
        );
    }

    #[test]
    fn nonceless_readings_wait_side_by_side_and_are_deduplicated_by_sequence() {
        use fructus_test_utils::metering::{METER, Metered};
        let mut f = Metered::new();
        f.contract(
            &fructus_client::metering::ContractTerms::prepaid(fructus_test_utils::coin("1ufrx"), 1),
            Some("100ufrx"),
        );
        // Readings count against their device, not the signer's nonces
        // (sequence 1 was the contract's baseline reading).
        let mut pool = pool(100, 6, &f.chain);
        for seq in 2..=6 {
            admit(&mut pool, &f.chain, f.reading_tx(METER, seq, seq, 0)).unwrap();
        }
        assert_eq!(pool.len(), 5);
        // Same device sequence under a different counter (other bytes).
        let again = admit(&mut pool, &f.chain, f.reading_tx(METER, 4, 99, 0)).unwrap_err();
        assert!(matches!(
            again,
            MempoolError::ReadingKnown { sequence: 4, .. }
        ));
        assert_eq!(again.to_tx_error().code, MempoolError::READING_KNOWN);
        // Commit the first two readings; the rest stay, a replay of a
        // committed sequence is refused and dropped on update.
        let txs = pool.reap(usize::MAX, u64::MAX);
        let first: Vec<Vec<u8>> = txs.iter().take(2).cloned().collect();
        let hashes: Vec<TxHash> = first.iter().map(|t| TxHash::of(t)).collect();
        for r in f.chain.block(first) {
            assert!(r.is_ok(), "{r:?}");
        }
        assert_eq!(pool.update(&hashes, f.chain.app.storage()), 0);
        assert_eq!(pool.len(), 3);
        let replay = admit(&mut pool, &f.chain, f.reading_tx(METER, 3, 7, 0)).unwrap_err();
        assert_eq!(
            replay.to_tx_error().code,
            fructus_metering::MeteringError::READING_REPLAYED
        );
        // A block elsewhere used sequence 5 with other content: the waiting
        // readings 4 and 5 are no longer above the device's sequence and
        // are dropped; 6 stays.
        assert!(f.chain.run(f.reading_tx(METER, 5, 5, 0)).is_ok());
        assert_eq!(pool.update(&[], f.chain.app.storage()), 2);
        assert_eq!(pool.len(), 1);
    }

    #[test]
    fn a_devices_readings_are_capped_and_reaped_in_sequence_order() {
        use fructus_test_utils::metering::{METER, Metered};
        let mut f = Metered::new();
        f.contract(
            &fructus_client::metering::ContractTerms::prepaid(fructus_test_utils::coin("1ufrx"), 1),
            Some("1000ufrx"),
        );
        // Sequence 1 was the contract's baseline reading.
        let mut pool = pool(100, 4, &f.chain);
        // Sent in descending order, interleaved with another signer's tx.
        let bob = f.chain.addr("bob");
        let other = f
            .chain
            .tx("carol")
            .message(msgs::send(&bob, &coins("1ufrx")))
            .sign(f.chain.key("carol"));
        for seq in [5u64, 4] {
            admit(&mut pool, &f.chain, f.reading_tx(METER, seq, seq * 10, 0)).unwrap();
        }
        admit(&mut pool, &f.chain, other.clone()).unwrap();
        for seq in [3u64, 2] {
            admit(&mut pool, &f.chain, f.reading_tx(METER, seq, seq * 10, 0)).unwrap();
        }
        // The cap: a fifth reading transaction of the device is refused.
        let full = admit(&mut pool, &f.chain, f.reading_tx(METER, 6, 60, 0)).unwrap_err();
        assert!(matches!(
            full,
            MempoolError::DeviceFull {
                count: 4,
                max: 4,
                ..
            }
        ));
        assert_eq!(full.to_tx_error().code, MempoolError::DEVICE_FULL);
        // Reaped lowest sequence first, in the slots the device holds.
        let txs = pool.reap(usize::MAX, u64::MAX);
        let expected: Vec<Vec<u8>> = vec![
            f.reading_tx(METER, 2, 20, 0),
            f.reading_tx(METER, 3, 30, 0),
            other,
            f.reading_tx(METER, 4, 40, 0),
            f.reading_tx(METER, 5, 50, 0),
        ];
        assert_eq!(txs, expected);
        // So every one of them bills.
        for r in f.chain.block(txs) {
            assert!(r.is_ok(), "{r:?}");
        }
    }

    #[test]
    fn limits_refuse_with_their_codes() {
        let chain = TestChain::new();
        let mut pool = pool(2, 1, &chain);
        let bob = chain.addr("bob");
        let a = chain
            .tx("alice")
            .message(msgs::send(&bob, &coins("1ufrx")))
            .sign(chain.key("alice"));
        let a2 = chain
            .tx("alice")
            .nonce(1)
            .message(msgs::send(&bob, &coins("1ufrx")))
            .sign(chain.key("alice"));
        let c = chain
            .tx("carol")
            .message(msgs::send(&bob, &coins("1ufrx")))
            .sign(chain.key("carol"));
        let d = chain
            .tx("dave")
            .message(msgs::send(&bob, &coins("1ufrx")))
            .sign(chain.key("dave"));
        admit(&mut pool, &chain, a).unwrap();
        assert_eq!(
            admit(&mut pool, &chain, a2).unwrap_err().to_tx_error().code,
            3
        );
        admit(&mut pool, &chain, c).unwrap();
        assert_eq!(
            admit(&mut pool, &chain, d).unwrap_err().to_tx_error().code,
            2
        );
        let bad = admit(&mut pool, &chain, vec![1, 2, 3])
            .unwrap_err()
            .to_tx_error();
        assert_eq!(
            (bad.codespace.as_str(), bad.code),
            ("tx", fructus_app::TxCheckError::UNDECODABLE)
        );
    }

    #[test]
    fn update_drops_committed_and_now_invalid_transactions() {
        let mut chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        let bob = chain.addr("bob");
        let t0 = chain
            .tx("alice")
            .nonce(0)
            .message(msgs::send(&bob, &coins("1ufrx")))
            .sign(chain.key("alice"));
        let t1 = chain
            .tx("alice")
            .nonce(1)
            .message(msgs::send(&bob, &coins("1ufrx")))
            .sign(chain.key("alice"));
        let h0 = admit(&mut pool, &chain, t0.clone()).unwrap();
        let h1 = admit(&mut pool, &chain, t1).unwrap();
        // Another node's block used alice's nonce 0 for a different tx.
        let other = chain
            .tx("alice")
            .nonce(0)
            .message(msgs::send(&bob, &coins("2ufrx")))
            .sign(chain.key("alice"));
        chain.block(vec![other]);
        let dropped = pool.update(&[], chain.app.storage());
        assert_eq!(
            dropped, 1,
            "nonce 0 is used up; nonce 1 is now next and stays"
        );
        assert!(!pool.contains(&h0));
        assert!(pool.contains(&h1));
        chain.block(pool.reap(usize::MAX, u64::MAX));
        assert_eq!(pool.update(&[h1], chain.app.storage()), 0);
        assert!(pool.is_empty());
    }
}
