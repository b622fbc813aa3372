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

/// One metric family: name, help, type, and its samples (labels, value).
type Family<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, String)>);

/// A phase of handling a block, timed for `/metrics`
/// (`fructus_block_phase_seconds_total{phase=…}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockPhase {
    /// `App::plan_block` when proposing or validating: stateless checks,
    /// signatures, every ante.
    Plan,
    /// Executing a decided block: begin, deliver (the messages, and the
    /// ante again if no plan was kept), end.
    Execute,
    /// Persisting the block's state: staging it (`App::stage_commit`: the
    /// new tree computed and written), which runs beside `Store`, then
    /// committing it (`App::finish_commit`) once the block is stored.
    Commit,
    /// Writing the block, certificate and results to the block store (on
    /// its own thread, beside the state's staging).
    Store,
    /// Re-checking the mempool against the new state.
    MempoolUpdate,
}

impl BlockPhase {
    /// Every phase, in the order a block goes through them.
    pub const ALL: [BlockPhase; 5] = [
        BlockPhase::Plan,
        BlockPhase::Execute,
        BlockPhase::Commit,
        BlockPhase::Store,
        BlockPhase::MempoolUpdate,
    ];

    /// The `phase` label's value.
    pub fn label(self) -> &'static str {
        match self {
            BlockPhase::Plan => "plan",
            BlockPhase::Execute => "execute",
            BlockPhase::Commit => "commit",
            BlockPhase::Store => "store",
            BlockPhase::MempoolUpdate => "mempool_update",
        }
    }

    fn index(self) -> usize {
        match self {
            BlockPhase::Plan => 0,
            BlockPhase::Execute => 1,
            BlockPhase::Commit => 2,
            BlockPhase::Store => 3,
            BlockPhase::MempoolUpdate => 4,
        }
    }
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
    /// Blocks executed whose ante pass (fees) came from the plan this node
    /// made when proposing or validating them, not run a second time.
    pub blocks_from_plan: AtomicU64,
    /// Microseconds spent in each phase of handling blocks (see
    /// [`BlockPhase`]), summed over the node's life.
    pub block_phase_us: [AtomicU64; BlockPhase::ALL.len()],
    /// Gossip peers currently connected (outbound).
    pub gossip_peers: AtomicU64,
    /// Inbound gossip connections currently open.
    pub gossip_inbound: AtomicU64,
    /// Inbound gossip connections refused: the total cap was reached.
    pub gossip_refused_total_cap: AtomicU64,
    /// Inbound gossip connections refused: the per-IP cap was reached.
    pub gossip_refused_per_ip_cap: AtomicU64,
    /// Inbound gossip connections closed for starting no frame in time.
    pub gossip_closed_idle: AtomicU64,
    /// Inbound gossip connections closed for not finishing a frame in time.
    pub gossip_closed_slow: AtomicU64,
    /// Inbound gossip connections closed for want of buffer room.
    pub gossip_closed_buffer_full: AtomicU64,
    /// Inbound gossip connections closed for announcing a too large frame.
    pub gossip_closed_oversized: AtomicU64,
    /// Bytes of inbound gossip frames being received right now.
    pub gossip_buffered_bytes: AtomicU64,
}

impl Metrics {
    /// Adds to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Adds the time since `since` to `phase`'s total (an operator's
    /// figure: wall-clock time never reaches the state machine).
    pub fn time(&self, phase: BlockPhase, since: std::time::Instant) {
        let us = u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX);
        if let Some(counter) = self.block_phase_us.get(phase.index()) {
            Self::add(counter, us);
        }
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// Subtracts from a gauge (never below zero).
    pub fn sub(counter: &AtomicU64, n: u64) {
        // The closure always returns Some, so the update cannot fail.
        let _ = counter.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
            Some(v.saturating_sub(n))
        });
    }

    /// The node's metrics in the Prometheus text format, given the head's
    /// `height` and the `mempool` size. Names carry base units (seconds,
    /// bytes) and counters end in `_total`, as `promtool check metrics`
    /// requires (scripts/test runs it on a live node's output).
    pub fn render(&self, height: u64, mempool: usize) -> String {
        let interval_ms = Self::get(&self.last_block_interval_ms);
        let phase_labels: Vec<String> = BlockPhase::ALL
            .iter()
            .map(|p| format!("{{phase=\"{}\"}}", p.label()))
            .collect();
        let phases = BlockPhase::ALL
            .iter()
            .zip(&phase_labels)
            .map(|(phase, label)| {
                let us = self.block_phase_us.get(phase.index()).map_or(0, Self::get);
                (
                    label.as_str(),
                    format!("{}.{:06}", us / 1_000_000, us % 1_000_000),
                )
            })
            .collect();
        let families: [Family<'_>; 14] = [
            (
                "fructus_block_height",
                "Height of the last committed block.",
                "gauge",
                vec![("", height.to_string())],
            ),
            (
                "fructus_block_interval_seconds",
                "Seconds between the last two blocks.",
                "gauge",
                vec![(
                    "",
                    format!("{}.{:03}", interval_ms / 1000, interval_ms % 1000),
                )],
            ),
            (
                "fructus_txs_committed_total",
                "Transactions in committed blocks.",
                "counter",
                vec![("", Self::get(&self.txs_committed).to_string())],
            ),
            (
                "fructus_mempool_admitted_total",
                "Transactions admitted to the mempool.",
                "counter",
                vec![("", Self::get(&self.txs_admitted).to_string())],
            ),
            (
                "fructus_mempool_rejected_total",
                "Transactions refused by the mempool.",
                "counter",
                vec![("", Self::get(&self.txs_rejected).to_string())],
            ),
            (
                "fructus_mempool_rechecked_out_total",
                "Transactions dropped by post-commit re-checks.",
                "counter",
                vec![("", Self::get(&self.txs_rechecked_out).to_string())],
            ),
            (
                "fructus_block_phase_seconds_total",
                "Time spent handling blocks, by phase: plan (proposing or validating), execute, commit (state), store (block store), mempool_update.",
                "counter",
                phases,
            ),
            (
                "fructus_blocks_from_plan_total",
                "Blocks whose fees were charged once, by the plan made when proposing or validating them.",
                "counter",
                vec![("", Self::get(&self.blocks_from_plan).to_string())],
            ),
            (
                "fructus_mempool_size",
                "Transactions waiting in the mempool.",
                "gauge",
                vec![("", mempool.to_string())],
            ),
            (
                "fructus_peers",
                "Connected transaction-gossip peers (outbound).",
                "gauge",
                vec![("", Self::get(&self.gossip_peers).to_string())],
            ),
            (
                "fructus_gossip_inbound_connections",
                "Inbound transaction-gossip connections open.",
                "gauge",
                vec![("", Self::get(&self.gossip_inbound).to_string())],
            ),
            (
                "fructus_gossip_buffered_bytes",
                "Bytes of inbound gossip frames being received.",
                "gauge",
                vec![("", Self::get(&self.gossip_buffered_bytes).to_string())],
            ),
            (
                "fructus_gossip_refused_connections_total",
                "Inbound gossip connections refused on accept, by the cap that was reached.",
                "counter",
                vec![
                    (
                        "{cap=\"total\"}",
                        Self::get(&self.gossip_refused_total_cap).to_string(),
                    ),
                    (
                        "{cap=\"per_ip\"}",
                        Self::get(&self.gossip_refused_per_ip_cap).to_string(),
                    ),
                ],
            ),
            (
                "fructus_gossip_closed_connections_total",
                "Inbound gossip connections closed by the node, by reason.",
                "counter",
                vec![
                    (
                        "{reason=\"idle_timeout\"}",
                        Self::get(&self.gossip_closed_idle).to_string(),
                    ),
                    (
                        "{reason=\"frame_timeout\"}",
                        Self::get(&self.gossip_closed_slow).to_string(),
                    ),
                    (
                        "{reason=\"buffer_full\"}",
                        Self::get(&self.gossip_closed_buffer_full).to_string(),
                    ),
                    (
                        "{reason=\"frame_too_large\"}",
                        Self::get(&self.gossip_closed_oversized).to_string(),
                    ),
                ],
            ),
        ];
        let mut out = String::new();
        for (name, help, kind, samples) in families {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
            for (labels, value) in samples {
                out.push_str(&format!("{name}{labels} {value}\n"));
            }
        }
        out
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

    /// True if anyone listens to the live feed (a WebSocket client, the
    /// indexer). A block's transaction events are cloned into the feed
    /// only then: most blocks of a busy node have no listener, and those
    /// clones were a visible share of its commit path.
    pub fn has_listeners(&self) -> bool {
        self.events.receiver_count() > 0
    }

    /// Wakes waiters of a committed transaction with the view `view`
    /// builds, which is called only if someone waits for `hash`.
    pub fn notify(&self, hash: &TxHash, view: impl FnOnce() -> TxView) {
        let senders = self.waiters.lock().ok().and_then(|mut w| w.remove(hash));
        let Some(senders) = senders else {
            return;
        };
        let view = view();
        for s in senders {
            let _ = s.send(view.clone());
        }
    }
}
