//! State shared between the consensus task (which writes it after each
//! commit) and the API (which reads it): chain status, the event feed,
//! waiters for `?wait=commit`, and metrics counters.

use std::{
    collections::HashMap,
    sync::{
        Mutex, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

use fructus_rpc::{NodeEvent, TxView};
use fructus_types::tx::TxHash;
use tokio::sync::{broadcast, oneshot};

/// The chain's head as last committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    /// Height (0 = genesis).
    pub height: u64,
    /// Block time (ms).
    pub time: u64,
    /// Block hash.
    pub block_hash: [u8; 32],
    /// State root after it.
    pub app_hash: [u8; 32],
    /// Validators in the set for the next height.
    pub validator_count: usize,
}

/// Prometheus counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Transactions committed (any result).
    pub txs_committed: AtomicU64,
    /// Transactions admitted to the mempool.
    pub txs_admitted: AtomicU64,
    /// Transactions refused by the mempool.
    pub txs_rejected: AtomicU64,
    /// Milliseconds between the last two blocks.
    pub last_block_interval_ms: AtomicU64,
    /// Transactions dropped by post-commit re-checks.
    pub txs_rechecked_out: AtomicU64,
    /// Gossip peers currently connected (outbound).
    pub gossip_peers: AtomicU64,
}

impl Metrics {
    /// Adds to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

/// What the node's tasks share.
#[derive(Debug)]
pub struct Shared {
    head: RwLock<Head>,
    events: broadcast::Sender<NodeEvent>,
    waiters: Mutex<HashMap<TxHash, Vec<oneshot::Sender<TxView>>>>,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
}

impl Shared {
    /// Fresh shared state with room for `buffer` undelivered events.
    pub fn new(head: Head, buffer: usize) -> Self {
        let (events, _) = broadcast::channel(buffer.max(16));
        Shared {
            head: RwLock::new(head),
            events,
            waiters: Mutex::new(HashMap::new()),
            metrics: Metrics::default(),
        }
    }

    /// The last committed head.
    pub fn head(&self) -> Head {
        self.head.read().map(|h| h.clone()).unwrap_or_default()
    }

    /// Records a new head.
    pub fn set_head(&self, head: Head) {
        if let Ok(mut h) = self.head.write() {
            *h = head;
        }
    }

    /// Publishes an event (dropped if nobody listens).
    pub fn publish(&self, event: NodeEvent) {
        let _ = self.events.send(event);
    }

    /// A live feed of events.
    pub fn subscribe(&self) -> broadcast::Receiver<NodeEvent> {
        self.events.subscribe()
    }

    /// Registers interest in a transaction's inclusion.
    pub fn wait_for(&self, hash: TxHash) -> oneshot::Receiver<TxView> {
        let (tx, rx) = oneshot::channel();
        if let Ok(mut w) = self.waiters.lock() {
            w.entry(hash).or_default().push(tx);
        }
        rx
    }

    /// Forgets waiters of `hash` (after a timeout or a refusal).
    pub fn forget(&self, hash: &TxHash) {
        if let Ok(mut w) = self.waiters.lock() {
            w.retain(|h, senders| {
                h != hash && {
                    senders.retain(|s| !s.is_closed());
                    !senders.is_empty()
                }
            });
        }
    }

    /// Wakes waiters of a committed transaction.
    pub fn notify(&self, hash: &TxHash, view: &TxView) {
        let senders = self.waiters.lock().ok().and_then(|mut w| w.remove(hash));
        for s in senders.into_iter().flatten() {
            let _ = s.send(view.clone());
        }
    }
}
