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
//!
//! # Re-checking after a commit
//!
//! A block can make a waiting transaction invalid only through what its
//! ante check ([`check_admission`]) reads: the included-transaction window
//! (its own hash: an included transaction leaves the pool), the signer's
//! account (nonce, key binding) and frozen flag, the fee payer's frozen
//! flag, fee grant and balance, each reading's device (status, last
//! sequence), and the height (timeout height, grant expiry). So after a
//! block the node executed ([`Mempool::update_touched`]) the pool
//! re-checks against the new state, signer chains in nonce order:
//!
//! 1. every transaction with a *party* the block names ([`Touched`]). A
//!    waiting transaction's parties are the address its signer's key
//!    derives to, its fee payer and its readings' devices (a device is the
//!    account that signs its readings). A block names the parties of its
//!    transactions that waited here, and every address that is an
//!    attribute value of one of its events: its transactions' (each one's
//!    `tx.fee` event names its signer's account and its payer) and its
//!    begin/end-block hooks'. That covers a nonce or device sequence used,
//!    a key rotated, a balance or grant spent by its owner or as a fee
//!    payer, a grant revoked, a freeze, and any other change a module
//!    reports in an event naming the account. A nonce chain is re-checked
//!    whole (a later transaction's expected nonce depends on how many
//!    earlier ones stay), a reading transaction alone;
//!    *Left to the next plan:* when the pool knows the limits this node
//!    reaps its proposals with ([`Mempool::with_block_limits`]), a
//!    transaction (a nonce chain only whole) the next proposal would carry
//!    is not re-checked here: that proposal's plan runs the same ante on
//!    it and a refusal is marked for 3 (2, 3 and 4 are never left). This
//!    happens once in a row: the next update that names it re-checks it,
//!    so on a node that does not propose the next block a transaction the
//!    block made invalid waits one block longer. (Without it, on a node
//!    that proposes every block, a readings workload's waiting readings are
//!    all re-checked after every block and then checked again by the plan.)
//! 2. every transaction whose timeout height the block reached;
//! 3. every transaction a proposal's plan left out ([`Mempool::suspect`]);
//! 4. a sweep: up to [`SWEEP_PER_UPDATE`] of the transactions that no
//!    update has re-checked in the last [`SWEEP_AFTER`] updates (nor
//!    admitted), oldest check first, so that whatever the blocks changed a
//!    waiting transaction is re-checked every `SWEEP_AFTER` blocks or so
//!    (later only while more than `SWEEP_PER_UPDATE` per update fall due).
//!
//! Not re-checked at once: what a block changes for an account it does
//! not name (a module debit with no event naming the account; an account
//! whose key was rotated — so its events name an address other than the
//! one its key derives to — changed by a transaction that did not wait
//! here; a fee grant that expires by height; a fee denom that expires by
//! time). Such a transaction waits until 3 or 4 finds it, and is harmless
//! meanwhile: a proposer runs the same ante on every candidate
//! (`App::plan_block`) and leaves out one that would not pay, a validator
//! refuses a block that carries one, so a stale transaction is never
//! included nor charged — and the plan's refusals are re-checked (3).
//! Funds received never make a waiting transaction invalid, so recipients
//! need no re-check (an event that names one re-checks it anyway).
//!
//! # When the auth params change
//!
//! The stateless checks read the auth params (size and memo limits, gas
//! costs, minimum gas prices), which governance can change. The pool keeps
//! the params of the state it last checked against; an update that finds
//! other ones runs every waiting transaction's stateless checks again
//! under them (dropping those that no longer pass, keeping the others'
//! new parse) and then re-checks everything. An admission whose stateless
//! checks ran under other params than the pool's (a commit came between)
//! is checked again under the pool's before it is let in.
//!
//! When the node cannot tell what changed (a block it did not execute, or
//! an update whose snapshot failed), [`Mempool::update`] re-checks every
//! waiting transaction; after a failed snapshot the next update does.
//! An update opens one snapshot and gives each check a clone of it
//! ([`check_admission`] takes its snapshot by value: the scratch overlay
//! it runs on owns it; clones share one read transaction).

use std::collections::{BTreeMap, HashMap, HashSet};

use fructus_app::{
    ParsedTx, check_admission,
    pipeline::{stateless, window::Window},
};
use fructus_auth::{AuthParams, AuthStateReadExt};
use fructus_component::{Event, TxError};
use fructus_storage::{Snapshot, Storage};
use fructus_types::{Address, tx::TxHash};
use rayon::prelude::*;

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
    /// Whose changes can invalidate it: the address its signer's key
    /// derives to, its fee payer, its readings' devices (sorted, distinct).
    parties: Vec<Address>,
    /// The update that last checked it (admission counts).
    checked: u64,
    /// Its last due re-check was left to the next proposal's plan; the
    /// next one runs (see "Left to the next plan" in the module docs).
    deferred: bool,
}

impl Entry {
    fn new(bytes: Vec<u8>, parsed: ParsedTx, readings: Option<Vec<(Address, u64)>>) -> Self {
        let mut parties = vec![parsed.tx.signer.address()];
        parties.extend(parsed.tx.payer);
        if let Some(list) = &readings {
            parties.extend(list.iter().map(|(device, _)| *device));
        }
        parties.sort_unstable();
        parties.dedup();
        Entry {
            seq: 0,
            sender: parsed.tx.signer.to_bytes(),
            bytes,
            parsed,
            readings,
            parties,
            checked: 0,
            deferred: false,
        }
    }

    /// The block height after which it is invalid, if it has one.
    fn timeout(&self) -> Option<u64> {
        Some(self.parsed.tx.body.timeout_height).filter(|h| *h != 0)
    }
}

/// Updates after which a waiting transaction no block touched is
/// re-checked anyway (the sweep, see the module docs).
pub const SWEEP_AFTER: u64 = 100;

/// Most transactions the sweep takes per update (each with its signer's
/// whole nonce chain).
pub const SWEEP_PER_UPDATE: usize = 64;

/// The parties a committed block names (see the module docs): their
/// waiting transactions are the ones [`Mempool::update_touched`]
/// re-checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    height: u64,
    addresses: HashSet<Address>,
}

impl Touched {
    /// Nothing touched yet, for the block at `height`.
    pub fn new(height: u64) -> Self {
        Touched {
            height,
            addresses: HashSet::new(),
        }
    }

    /// The block at `height` with these `events` (its transactions' and its
    /// hooks'): every attribute value that is an address is touched. Each
    /// distinct value is parsed once (the fee payer, the platform and the
    /// fee collector are named by nearly every transaction's events).
    pub fn of_block<'a>(height: u64, events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut touched = Touched::new(height);
        let mut parsed: HashSet<&'a str> = HashSet::new();
        for event in events {
            for attribute in &event.attributes {
                let value = attribute.value.as_str();
                if may_be_address(value) && parsed.insert(value) {
                    touched.add_value(value);
                }
            }
        }
        touched
    }

    /// Marks every address among `event`'s attribute values.
    pub fn add_event(&mut self, event: &Event) {
        for attribute in &event.attributes {
            if may_be_address(&attribute.value) {
                self.add_value(&attribute.value);
            }
        }
    }

    /// Marks `value` if it is an address.
    fn add_value(&mut self, value: &str) {
        if let Ok(address) = value.parse::<Address>() {
            self.addresses.insert(address);
        }
    }

    /// Marks one address.
    pub fn insert(&mut self, address: Address) {
        self.addresses.insert(address);
    }

    /// True if `address` is touched.
    pub fn contains(&self, address: &Address) -> bool {
        self.addresses.contains(address)
    }

    /// The block's height.
    pub fn height(&self) -> u64 {
        self.height
    }
}

/// A cheap filter before parsing (bech32 `fx1…`): most attribute values
/// are amounts, ids and denoms.
fn may_be_address(value: &str) -> bool {
    value
        .strip_prefix(fructus_crypto::ADDRESS_HRP)
        .is_some_and(|rest| rest.starts_with('1'))
}

/// What an update did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Updated {
    /// Ante checks run (one per re-checked transaction).
    pub checked: usize,
    /// Transactions dropped because they no longer pass (not counting the
    /// block's own).
    pub dropped: usize,
}

/// Waiting transactions to re-check: whole nonce chains by signer, and
/// reading transactions one by one.
#[derive(Debug, Default)]
struct Recheck {
    senders: HashSet<Vec<u8>>,
    readings: HashSet<TxHash>,
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
    /// Boxed: the table is rehashed as transactions come and go, and an
    /// entry (the parsed transaction) is large; moving pointers is cheap.
    by_hash: HashMap<TxHash, Box<Entry>>,
    order: BTreeMap<u64, TxHash>,
    by_sender: HashMap<Vec<u8>, BTreeMap<u64, TxHash>>,
    by_reading: HashMap<(fructus_types::Address, u64), TxHash>,
    /// Reading transactions per device (of their first reading), by that
    /// reading's sequence.
    by_device: HashMap<fructus_types::Address, BTreeMap<u64, TxHash>>,
    /// Waiting transactions by each of their parties.
    by_party: HashMap<Address, HashSet<TxHash>>,
    /// Waiting transactions with a timeout height, by (that height, seq).
    by_timeout: BTreeMap<(u64, u64), TxHash>,
    /// Left out by a proposal's plan: re-checked at the next update.
    suspects: HashSet<TxHash>,
    /// Updates so far.
    updates: u64,
    /// Waiting transactions by (the update that last checked them, seq).
    by_checked: BTreeMap<(u64, u64), TxHash>,
    /// The next update re-checks everything (a snapshot failed).
    recheck_all: bool,
    /// The block limits this node reaps its proposals with, if it
    /// proposes (see "Left to the next plan" in the module docs).
    next_block: Option<(usize, u64)>,
    /// The auth params of the state the pool last checked against (none
    /// before the first admission or update): the waiting transactions
    /// passed their stateless checks under these.
    params: Option<AuthParams>,
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
            by_party: HashMap::new(),
            by_timeout: BTreeMap::new(),
            suspects: HashSet::new(),
            updates: 0,
            by_checked: BTreeMap::new(),
            recheck_all: false,
            next_block: None,
            params: None,
        }
    }

    /// Leaves to this node's next proposal, once, the re-checks of the
    /// waiting transactions it would carry (reaped with these limits): its
    /// plan runs the same ante on each (see "Left to the next plan" in the
    /// module docs).
    pub fn with_block_limits(mut self, max_bytes: usize, max_gas: u64) -> Self {
        self.next_block = Some((max_bytes, max_gas));
        self
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

    /// Admits a transaction that passed [`check_stateless`] under
    /// `checked_under` (checked again here if the pool's state has other
    /// auth params).
    pub fn admit(
        &mut self,
        bytes: Vec<u8>,
        parsed: ParsedTx,
        checked_under: &AuthParams,
        snapshot: Snapshot,
    ) -> Result<TxHash, MempoolError> {
        let parsed = self.under_current_params(&bytes, parsed, checked_under)?;
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
            self.insert(hash, Entry::new(bytes, parsed, readings));
            return Ok(hash);
        }
        let waiting = self
            .by_sender
            .get(parsed.tx.signer.to_bytes().as_slice())
            .map_or(0, BTreeMap::len);
        if waiting >= self.config.max_txs_per_sender {
            return Err(MempoolError::SenderFull {
                count: waiting,
                max: self.config.max_txs_per_sender,
            });
        }
        let pending = u64::try_from(waiting).unwrap_or(u64::MAX);
        check_admission(snapshot, &self.window, &self.chain_id, &parsed, pending)
            .map_err(MempoolError::Check)?;
        self.insert(hash, Entry::new(bytes, parsed, None));
        Ok(hash)
    }

    /// `parsed` as the pool's auth params would have it: itself if it was
    /// checked under them, else the stateless checks of `bytes` run again
    /// under them (the signature, a function of the bytes alone, stays
    /// verified). Before the first update the caller's params, read from
    /// the state, become the pool's.
    fn under_current_params(
        &mut self,
        bytes: &[u8],
        parsed: ParsedTx,
        checked_under: &AuthParams,
    ) -> Result<ParsedTx, MempoolError> {
        match &self.params {
            Some(params) if params != checked_under => {
                stateless::check(bytes, &self.chain_id, params).map_err(MempoolError::Check)
            }
            Some(_) => Ok(parsed),
            None => {
                self.params = Some(checked_under.clone());
                Ok(parsed)
            }
        }
    }

    /// Follows the auth params of the latest state: if they changed since
    /// the pool last checked, runs every waiting transaction's stateless
    /// checks again under the new ones, drops those that fail and returns
    /// how many (`None`: nothing changed, or the state could not be read —
    /// then the next update tries again).
    fn follow_params(&mut self, storage: &Storage) -> Option<usize> {
        let params = storage.latest_snapshot().ok()?.auth_params().ok()?;
        if self.params.as_ref() == Some(&params) {
            return None;
        }
        // None before: nothing waits that was checked under other params.
        self.params.replace(params.clone())?;
        let chain_id = self.chain_id.as_str();
        let verdicts: Vec<(TxHash, Option<ParsedTx>)> = self
            .by_hash
            .par_iter()
            .map(|(hash, entry)| {
                (
                    *hash,
                    stateless::check(&entry.bytes, chain_id, &params).ok(),
                )
            })
            .collect();
        let mut dropped = 0usize;
        for (hash, parsed) in verdicts {
            match parsed {
                Some(parsed) => {
                    if let Some(entry) = self.by_hash.get_mut(&hash) {
                        entry.parsed = parsed;
                    }
                }
                None => {
                    self.remove(&hash);
                    dropped = dropped.saturating_add(1);
                }
            }
        }
        Some(dropped)
    }

    fn insert(&mut self, hash: TxHash, mut entry: Entry) {
        entry.seq = self.next_seq;
        entry.checked = self.updates;
        self.next_seq = self.next_seq.saturating_add(1);
        self.bytes = self.bytes.saturating_add(entry.bytes.len());
        self.order.insert(entry.seq, hash);
        self.by_checked.insert((entry.checked, entry.seq), hash);
        for party in &entry.parties {
            self.by_party.entry(*party).or_default().insert(hash);
        }
        if let Some(timeout) = entry.timeout() {
            self.by_timeout.insert((timeout, entry.seq), hash);
        }
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
        self.by_hash.insert(hash, Box::new(entry));
    }

    fn remove(&mut self, hash: &TxHash) -> Option<Entry> {
        let entry = *self.by_hash.remove(hash)?;
        self.bytes = self.bytes.saturating_sub(entry.bytes.len());
        self.order.remove(&entry.seq);
        self.by_checked.remove(&(entry.checked, entry.seq));
        for party in &entry.parties {
            if let Some(waiting) = self.by_party.get_mut(party) {
                waiting.remove(hash);
                if waiting.is_empty() {
                    self.by_party.remove(party);
                }
            }
        }
        if let Some(timeout) = entry.timeout() {
            self.by_timeout.remove(&(timeout, entry.seq));
        }
        self.suspects.remove(hash);
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
        self.front(max_bytes, max_gas)
            .into_iter()
            .filter_map(|hash| self.by_hash.get(hash))
            .map(|entry| entry.bytes.clone())
            .collect()
    }

    /// The hashes [`Mempool::reap`] takes, in its order.
    fn front(&self, max_bytes: usize, max_gas: u64) -> Vec<&TxHash> {
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
            let mut chosen = hash;
            if let Some((device, _)) = entry.readings.as_ref().and_then(|l| l.first())
                && let Some(waiting) = self.by_device.get(device)
            {
                let next = by_sequence
                    .entry(*device)
                    .or_insert_with(|| waiting.values())
                    .next()
                    .and_then(|h| self.by_hash.get(h).map(|lowest| (h, lowest)));
                match next {
                    Some((h, lowest)) => (chosen, entry) = (h, lowest),
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
            out.push(chosen);
        }
        out
    }

    /// Marks transactions a proposal's plan left out (`App::plan_block`):
    /// the next update re-checks them against the state it commits.
    pub fn suspect(&mut self, hashes: impl IntoIterator<Item = TxHash>) {
        for hash in hashes {
            if self.by_hash.contains_key(&hash) {
                self.suspects.insert(hash);
            }
        }
    }

    /// After a commit whose effects the node cannot tell: drops the
    /// included transactions, then re-checks every remaining one against
    /// the new state in nonce order per signer, dropping those no longer
    /// valid. Returns how many were dropped by the re-check.
    pub fn update(&mut self, committed: &[TxHash], storage: &Storage) -> usize {
        for hash in committed {
            self.remove(hash);
        }
        self.updates = self.updates.saturating_add(1);
        let restated = self.follow_params(storage).unwrap_or(0);
        self.recheck_everything(storage)
            .dropped
            .saturating_add(restated)
    }

    /// After a commit the node executed: drops the included transactions
    /// (`committed`), adds their parties to `touched` (the parties the
    /// block names), then re-checks only what the block can have made
    /// invalid, plus the plan's refusals and the sweep (see the
    /// module docs), dropping those no longer valid.
    pub fn update_touched(
        &mut self,
        committed: &[TxHash],
        mut touched: Touched,
        storage: &Storage,
    ) -> Updated {
        for hash in committed {
            if let Some(entry) = self.remove(hash) {
                touched.addresses.extend(entry.parties);
            }
        }
        self.updates = self.updates.saturating_add(1);
        if let Some(restated) = self.follow_params(storage) {
            self.recheck_all = false;
            let mut updated = self.recheck_everything(storage);
            updated.dropped = updated.dropped.saturating_add(restated);
            return updated;
        }
        if std::mem::take(&mut self.recheck_all) {
            return self.recheck_everything(storage);
        }
        let mut due = Recheck::default();
        for address in &touched.addresses {
            for hash in self.by_party.get(address).into_iter().flatten() {
                self.mark(&mut due, hash);
            }
        }
        self.leave_to_plan(&mut due);
        // Invalid from the block after `touched.height` on.
        for hash in self
            .by_timeout
            .range(..=(touched.height, u64::MAX))
            .map(|(_, hash)| hash)
        {
            self.mark(&mut due, hash);
        }
        for hash in std::mem::take(&mut self.suspects) {
            self.mark(&mut due, &hash);
        }
        self.sweep(&mut due);
        self.recheck(&due, storage)
    }

    /// Takes out of `due` what the next proposal would carry and was not
    /// left to a plan at the last update (a nonce chain only whole), and
    /// marks it left.
    fn leave_to_plan(&mut self, due: &mut Recheck) {
        let Some((max_bytes, max_gas)) = self.next_block else {
            return;
        };
        if due.readings.is_empty() && due.senders.is_empty() {
            return;
        }
        let front: HashSet<TxHash> = self
            .front(max_bytes, max_gas)
            .into_iter()
            .copied()
            .collect();
        let by_hash = &self.by_hash;
        let leavable =
            |hash: &TxHash| front.contains(hash) && by_hash.get(hash).is_some_and(|e| !e.deferred);
        let mut left = Vec::new();
        due.readings.retain(|hash| {
            let leave = leavable(hash);
            if leave {
                left.push(*hash);
            }
            !leave
        });
        due.senders.retain(|sender| {
            let Some(chain) = self.by_sender.get(sender) else {
                return true;
            };
            let leave = chain.values().all(&leavable);
            if leave {
                left.extend(chain.values().copied());
            }
            !leave
        });
        for hash in left {
            if let Some(entry) = self.by_hash.get_mut(&hash) {
                entry.deferred = true;
            }
        }
    }

    /// Adds `hash` (a reading transaction) or its signer's whole nonce
    /// chain to `due`.
    fn mark(&self, due: &mut Recheck, hash: &TxHash) {
        let Some(entry) = self.by_hash.get(hash) else {
            return;
        };
        if entry.readings.is_some() {
            due.readings.insert(*hash);
        } else if !due.senders.contains(&entry.sender) {
            due.senders.insert(entry.sender.clone());
        }
    }

    /// Adds up to [`SWEEP_PER_UPDATE`] transactions last checked
    /// [`SWEEP_AFTER`] or more updates ago, oldest first.
    fn sweep(&self, due: &mut Recheck) {
        let Some(before) = self.updates.checked_sub(SWEEP_AFTER.saturating_sub(1)) else {
            return;
        };
        for hash in self
            .by_checked
            .range(..(before, 0))
            .map(|(_, hash)| hash)
            .take(SWEEP_PER_UPDATE)
        {
            self.mark(due, hash);
        }
    }

    fn recheck_everything(&mut self, storage: &Storage) -> Updated {
        let due = Recheck {
            senders: self.by_sender.keys().cloned().collect(),
            readings: self
                .by_hash
                .iter()
                .filter(|(_, entry)| entry.readings.is_some())
                .map(|(hash, _)| *hash)
                .collect(),
        };
        self.suspects.clear();
        self.recheck(&due, storage)
    }

    /// Runs the ante checks of `due` against the latest state (each nonce
    /// chain in nonce order, counting only the transactions that stay as
    /// pending for the next one) and drops those that fail. Every check
    /// reads one snapshot (the caller holds the lock commits take). If it
    /// cannot be opened, stops there and has the next update re-check
    /// everything.
    fn recheck(&mut self, due: &Recheck, storage: &Storage) -> Updated {
        let mut checked = 0usize;
        let mut dropped = Vec::new();
        let mut kept = Vec::new();
        let (window, chain_id) = (&self.window, self.chain_id.as_str());
        let latest = storage.latest_snapshot().ok();
        let mut passes = |parsed: &ParsedTx, pending: u64| -> Option<bool> {
            let snapshot = latest.clone()?;
            checked = checked.saturating_add(1);
            Some(check_admission(snapshot, window, chain_id, parsed, pending).is_ok())
        };
        'check: {
            for sender in &due.senders {
                let Some(nonces) = self.by_sender.get(sender) else {
                    continue;
                };
                let mut pending: u64 = 0;
                for hash in nonces.values() {
                    let Some(entry) = self.by_hash.get(hash) else {
                        continue;
                    };
                    match passes(&entry.parsed, pending) {
                        Some(true) => {
                            pending = pending.saturating_add(1);
                            kept.push(*hash);
                        }
                        Some(false) => dropped.push(*hash),
                        None => {
                            self.recheck_all = true;
                            break 'check;
                        }
                    }
                }
            }
            // Readings wait side by side (no pending count), each checked
            // on its own against the same snapshot: in parallel, since a
            // block's fee payer can name every waiting reading, and the
            // commit path holds the pool's lock meanwhile.
            let Some(snapshot) = &latest else {
                if !due.readings.is_empty() {
                    self.recheck_all = true;
                }
                break 'check;
            };
            let by_hash = &self.by_hash;
            let verdicts: Vec<(TxHash, bool)> = due
                .readings
                .par_iter()
                .filter_map(|hash| {
                    let entry = by_hash.get(hash)?;
                    let ok = check_admission(snapshot.clone(), window, chain_id, &entry.parsed, 0)
                        .is_ok();
                    Some((*hash, ok))
                })
                .collect();
            checked = checked.saturating_add(verdicts.len());
            for (hash, ok) in verdicts {
                if ok {
                    kept.push(hash);
                } else {
                    dropped.push(hash);
                }
            }
        }
        for hash in &dropped {
            self.remove(hash);
        }
        for hash in kept {
            if let Some(entry) = self.by_hash.get_mut(&hash) {
                entry.deferred = false;
                self.by_checked.remove(&(entry.checked, entry.seq));
                entry.checked = self.updates;
                self.by_checked.insert((entry.checked, entry.seq), hash);
            }
        }
        Updated {
            checked,
            dropped: dropped.len(),
        }
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
        pool.admit(
            tx,
            parsed,
            &AuthParams::default(),
            chain.app.snapshot().unwrap(),
        )
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

    /// What the node passes after executing `txs` as the next block: the
    /// block's hashes and the parties its events name.
    fn run_block(chain: &mut TestChain, txs: Vec<Vec<u8>>) -> (Vec<TxHash>, Touched) {
        let hashes = txs.iter().map(|t| TxHash::of(t)).collect();
        let results = chain.block(txs);
        let height = chain.app.height().unwrap();
        let touched = Touched::of_block(
            height,
            results
                .iter()
                .flat_map(|r| &r.events)
                .chain(&chain.block_events),
        );
        (hashes, touched)
    }

    #[test]
    fn a_block_marks_every_address_its_events_name_however_often() {
        let chain = TestChain::new();
        let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
        let events: Vec<Event> = (0..5)
            .map(|i| {
                Event::new("tx.fee")
                    .attr("signer", alice)
                    .attr("payer", if i == 4 { bob } else { alice })
                    .attr("amount", "10ufrx")
                    // Looks like an address, is not one.
                    .attr("memo", "fx1notanaddress")
            })
            .collect();
        let touched = Touched::of_block(7, &events);
        assert!(touched.contains(&alice));
        assert!(touched.contains(&bob), "named once, in the last event");
        assert!(!touched.contains(&chain.addr("carol")));
        // The same as marking event by event.
        let mut one_by_one = Touched::new(7);
        for event in &events {
            one_by_one.add_event(event);
        }
        assert_eq!(touched, one_by_one);
    }

    fn send(chain: &TestChain, from: &str, nonce: u64, amount: &str) -> Vec<u8> {
        chain
            .tx(from)
            .nonce(nonce)
            .message(msgs::send(&chain.addr("bob"), &coins(amount)))
            .sign(chain.key(from))
    }

    #[test]
    fn a_block_that_uses_a_signers_nonce_rechecks_only_that_signer() {
        let mut chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        let stale = admit(&mut pool, &chain, send(&chain, "alice", 0, "1ufrx")).unwrap();
        let next = admit(&mut pool, &chain, send(&chain, "alice", 1, "1ufrx")).unwrap();
        let carol = admit(&mut pool, &chain, send(&chain, "carol", 0, "1ufrx")).unwrap();
        // Another node's block used alice's nonce 0 for a different tx.
        let other = send(&chain, "alice", 0, "2ufrx");
        let (hashes, touched) = run_block(&mut chain, vec![other]);
        assert!(touched.contains(&chain.addr("alice")));
        assert!(!touched.contains(&chain.addr("carol")));
        let updated = pool.update_touched(&hashes, touched, chain.app.storage());
        assert_eq!(
            updated,
            Updated {
                checked: 2,
                dropped: 1
            },
            "alice's chain is re-checked (nonce 0 is used up, 1 is next and stays); carol's tx is not"
        );
        assert!(!pool.contains(&stale));
        assert!(pool.contains(&next) && pool.contains(&carol));
        // Both still go into the next block.
        for r in chain.block(pool.reap(usize::MAX, u64::MAX)) {
            assert!(r.is_ok(), "{r:?}");
        }
    }

    #[test]
    fn a_block_that_consumes_a_devices_sequence_drops_its_waiting_readings_up_to_it() {
        use fructus_test_utils::metering::{METER, Metered};
        let mut f = Metered::new();
        f.contract(
            &fructus_client::metering::ContractTerms::prepaid(fructus_test_utils::coin("1ufrx"), 1),
            Some("100ufrx"),
        );
        let mut pool = pool(100, 10, &f.chain);
        // Sequence 1 was the contract's baseline reading.
        let waiting: Vec<TxHash> = (2..=4)
            .map(|seq| admit(&mut pool, &f.chain, f.reading_tx(METER, seq, seq, 0)).unwrap())
            .collect();
        let carol = admit(&mut pool, &f.chain, send(&f.chain, "carol", 0, "1ufrx")).unwrap();
        // A block elsewhere carried the device's reading 3 with other content.
        let other = f.reading_tx(METER, 3, 30, 0);
        let (hashes, touched) = run_block(&mut f.chain, vec![other]);
        assert!(touched.contains(&f.device));
        let updated = pool.update_touched(&hashes, touched, f.chain.app.storage());
        assert_eq!(
            updated,
            Updated {
                checked: 3,
                dropped: 2
            },
            "the device's readings are re-checked, carol's transfer is not"
        );
        assert!(!pool.contains(&waiting[0]) && !pool.contains(&waiting[1]));
        assert!(pool.contains(&waiting[2]) && pool.contains(&carol));
    }

    /// alice pays carol's fees; carol's transaction (paid by alice) and
    /// dave's wait in `pool`; then a block in which alice sends away all
    /// she has. Returns the two waiting hashes and the block.
    struct DrainedPayer {
        chain: TestChain,
        granted: TxHash,
        dave: TxHash,
        hashes: Vec<TxHash>,
        touched: Touched,
    }

    fn drained_payer(pool: impl FnOnce(&TestChain) -> Mempool) -> (DrainedPayer, Mempool) {
        let mut chain = TestChain::new();
        let (alice, carol) = (chain.addr("alice"), chain.addr("carol"));
        let grant = chain
            .tx("alice")
            .message(msgs::grant_fee(&carol, &coins("1000000ufrx"), 0, &[]))
            .sign(chain.key("alice"));
        assert!(chain.run(grant).is_ok());
        let mut pool = pool(&chain);
        let paid_by_alice = chain
            .tx("carol")
            .payer(alice)
            .message(msgs::send(&chain.addr("bob"), &coins("1ufrx")))
            .sign(chain.key("carol"));
        let granted = admit(&mut pool, &chain, paid_by_alice).unwrap();
        let dave = admit(&mut pool, &chain, send(&chain, "dave", 0, "1ufrx")).unwrap();
        // alice sends bob all she has but her own fee: nothing is left to
        // pay carol's fee. Neither carol nor dave signed in the block.
        let fee = fructus_client::tx::default_fee(fructus_client::tx::DEFAULT_GAS_LIMIT);
        let left = chain.balance(&alice, "ufrx") - fee.amount.value();
        let drain = send(&chain, "alice", 1, &format!("{left}ufrx"));
        let (hashes, touched) = run_block(&mut chain, vec![drain]);
        assert_eq!(chain.balance(&alice, "ufrx"), 0);
        let drained = DrainedPayer {
            chain,
            granted,
            dave,
            hashes,
            touched,
        };
        (drained, pool)
    }

    #[test]
    fn a_fee_payer_the_block_drained_has_its_waiting_transactions_rechecked_and_dropped() {
        let (d, mut pool) = drained_payer(|chain| pool(100, 10, chain));
        let updated = pool.update_touched(&d.hashes, d.touched, d.chain.app.storage());
        assert_eq!(
            updated,
            Updated {
                checked: 1,
                dropped: 1
            },
            "carol's transaction is re-checked for its payer; dave's is not"
        );
        assert!(!pool.contains(&d.granted) && pool.contains(&d.dave));
    }

    #[test]
    fn a_transaction_the_next_proposal_carries_is_left_to_its_plan_once() {
        // Limits that carry everything waiting: carol's transaction is left
        // to the plan once, then re-checked by the next update naming alice.
        let (d, mut waiting) =
            drained_payer(|chain| pool(100, 10, chain).with_block_limits(1 << 20, u64::MAX));
        let storage = d.chain.app.storage();
        let updated = waiting.update_touched(&d.hashes, d.touched.clone(), storage);
        assert_eq!(updated, Updated::default(), "left to the next plan");
        assert!(waiting.contains(&d.granted));
        assert_eq!(
            waiting.reap(1 << 20, u64::MAX).len(),
            2,
            "the proposal carries it"
        );
        let again = waiting.update_touched(&[], d.touched.clone(), storage);
        assert_eq!(
            again,
            Updated {
                checked: 1,
                dropped: 1
            },
            "not twice in a row"
        );
        assert!(!waiting.contains(&d.granted) && waiting.contains(&d.dave));
        // Limits that carry nothing leave nothing: re-checked at once.
        let (d, mut waiting) = drained_payer(|chain| pool(100, 10, chain).with_block_limits(1, 1));
        let updated = waiting.update_touched(&d.hashes, d.touched, d.chain.app.storage());
        assert_eq!(
            updated,
            Updated {
                checked: 1,
                dropped: 1
            }
        );
        assert!(!waiting.contains(&d.granted));
    }

    #[test]
    fn timed_out_and_plan_refused_transactions_are_rechecked_at_the_next_update() {
        let mut chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        let height = chain.app.height().unwrap();
        let expiring = chain
            .tx("carol")
            .timeout_height(height + 1)
            .message(msgs::send(&chain.addr("bob"), &coins("1ufrx")))
            .sign(chain.key("carol"));
        let expiring = admit(&mut pool, &chain, expiring).unwrap();
        let suspect = admit(&mut pool, &chain, send(&chain, "dave", 0, "1ufrx")).unwrap();
        let untouched = admit(&mut pool, &chain, send(&chain, "alice", 0, "1ufrx")).unwrap();
        pool.suspect([suspect]);
        // An empty block reaches the timeout height.
        let (hashes, touched) = run_block(&mut chain, Vec::new());
        let updated = pool.update_touched(&hashes, touched, chain.app.storage());
        assert_eq!(
            updated,
            Updated {
                checked: 2,
                dropped: 1
            },
            "the timed-out transaction is dropped, the suspect kept, alice's not re-checked"
        );
        assert!(!pool.contains(&expiring));
        assert!(pool.contains(&suspect) && pool.contains(&untouched));
        // Suspicion is used up by the re-check.
        let (hashes, touched) = run_block(&mut chain, Vec::new());
        assert_eq!(
            pool.update_touched(&hashes, touched, chain.app.storage())
                .checked,
            0
        );
    }

    #[test]
    fn an_untouched_transaction_is_rechecked_after_sweep_after_updates() {
        let chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        admit(&mut pool, &chain, send(&chain, "carol", 0, "1ufrx")).unwrap();
        admit(&mut pool, &chain, send(&chain, "carol", 1, "1ufrx")).unwrap();
        let height = chain.app.height().unwrap();
        let checks: Vec<usize> = (0..2 * SWEEP_AFTER)
            .map(|_| {
                pool.update_touched(&[], Touched::new(height), chain.app.storage())
                    .checked
            })
            .collect();
        let swept: Vec<usize> = checks
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, _)| i + 1)
            .collect();
        let after = usize::try_from(SWEEP_AFTER).unwrap();
        assert_eq!(swept, vec![after, 2 * after], "the sweep's updates");
        assert_eq!(checks[after - 1], 2, "the signer's chain, whole");
        assert_eq!(pool.len(), 2);
    }

    #[test]
    fn the_full_update_rechecks_every_waiting_transaction() {
        let mut chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        admit(&mut pool, &chain, send(&chain, "carol", 0, "1ufrx")).unwrap();
        admit(&mut pool, &chain, send(&chain, "dave", 0, "1ufrx")).unwrap();
        pool.suspect([TxHash::of(b"not waiting")]);
        chain.block(Vec::new());
        assert_eq!(pool.update(&[], chain.app.storage()), 0);
        assert_eq!(pool.len(), 2);
        // Nothing is left suspect: the next update touches nothing.
        let (hashes, touched) = run_block(&mut chain, Vec::new());
        assert_eq!(
            pool.update_touched(&hashes, touched, chain.app.storage()),
            Updated::default()
        );
    }

    /// Commits `params` as the auth params of the next version (as a
    /// passed governance proposal would), outside any block.
    fn commit_params(chain: &TestChain, params: &AuthParams) {
        use fructus_component::ModuleParams;
        use fructus_storage::{StateDelta, StateWrite};
        let storage = chain.app.storage();
        let snapshot = storage.latest_snapshot().unwrap();
        let version = snapshot.version().unwrap();
        let mut delta = StateDelta::new(snapshot);
        delta.put(AuthParams::key(), params).unwrap();
        storage.commit(delta.into_changes(), version + 1).unwrap();
    }

    fn with_memo(chain: &TestChain, from: &str, memo: &str) -> Vec<u8> {
        chain
            .tx(from)
            .memo(memo)
            .message(msgs::send(&chain.addr("bob"), &coins("1ufrx")))
            .sign(chain.key(from))
    }

    /// Shorter memos and dearer bytes than the defaults.
    fn stricter() -> AuthParams {
        AuthParams {
            max_memo_bytes: 8,
            gas_per_byte: 11,
            ..AuthParams::default()
        }
    }

    #[test]
    fn new_auth_params_drop_the_waiting_transactions_they_refuse_and_restate_the_rest() {
        let chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        let short = admit(&mut pool, &chain, with_memo(&chain, "alice", "ok")).unwrap();
        let long = admit(
            &mut pool,
            &chain,
            with_memo(&chain, "carol", "far too long"),
        )
        .unwrap();
        let gas_before = pool.by_hash[&short].parsed.intrinsic_gas;

        // Unchanged params: no stateless re-check, nothing touched.
        let height = chain.app.snapshot().unwrap().version().unwrap();
        let updated = pool.update_touched(&[], Touched::new(height), chain.app.storage());
        assert_eq!(updated.dropped, 0);
        assert!(pool.contains(&short) && pool.contains(&long));

        commit_params(&chain, &stricter());
        let updated = pool.update_touched(&[], Touched::new(height + 1), chain.app.storage());
        assert_eq!(updated.dropped, 1, "the long memo no longer passes");
        assert!(pool.contains(&short) && !pool.contains(&long));
        assert_eq!(
            updated.checked, 1,
            "what stays is re-checked against the state"
        );
        let gas_after = pool.by_hash[&short].parsed.intrinsic_gas;
        assert!(
            gas_after > gas_before,
            "the kept transaction carries its parse under the new params ({gas_before} -> {gas_after})"
        );
        // A later update with the same params re-checks nothing more.
        let updated = pool.update_touched(&[], Touched::new(height + 2), chain.app.storage());
        assert_eq!(updated, Updated::default());
    }

    #[test]
    fn an_admission_checked_under_older_auth_params_is_checked_again_under_the_pools() {
        let chain = TestChain::new();
        let mut pool = pool(100, 10, &chain);
        admit(&mut pool, &chain, with_memo(&chain, "dave", "")).unwrap();
        commit_params(&chain, &stricter());
        let height = chain.app.snapshot().unwrap().version().unwrap();
        pool.update_touched(&[], Touched::new(height), chain.app.storage());

        // Both passed their stateless checks under the defaults (a commit
        // came between those checks and the pool's lock).
        let long = with_memo(&chain, "carol", "far too long");
        let err = admit(&mut pool, &chain, long.clone()).unwrap_err();
        match err {
            MempoolError::Check(e) => assert_eq!(e.codespace, "tx", "{e:?}"),
            other => panic!("expected the stateless refusal, got {other:?}"),
        }
        assert!(!pool.contains(&TxHash::of(&long)));
        let short = admit(&mut pool, &chain, with_memo(&chain, "alice", "ok")).unwrap();
        let fresh = check_stateless(&with_memo(&chain, "alice", "ok"), CHAIN_ID, &stricter())
            .unwrap()
            .intrinsic_gas;
        assert_eq!(pool.by_hash[&short].parsed.intrinsic_gas, fresh);
    }
}
