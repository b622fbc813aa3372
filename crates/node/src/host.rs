//! The consensus host: what the Malachite glue calls to propose, validate
//! and commit blocks. Owns the app exclusively.

use std::{
    sync::{Arc, Mutex},
    time::{Instant, SystemTime, UNIX_EPOCH},
};

use fructus_app::{App, BlockInfo, ConsensusValidator, validator_set};
use fructus_consensus::{
    ConsensusHost, DoubleSignEvidence, HostError, ValidatorInfo, ValidatorSetInfo,
};
use fructus_crypto::Address;
use fructus_rpc::NodeEvent;
use fructus_types::{
    BlockTime,
    block::{Block, BlockHeader, tx_root},
    tx::{DecodedTx, TxHash},
};
use tracing::{error, info, warn};

use crate::{
    BlockStore, Mempool, NodeError,
    config::ConsensusSection,
    mempool::Touched,
    shared::{BlockPhase, Head, Metrics, Shared},
    view::tx_view,
};

/// Wall-clock milliseconds (proposer time and drift checks only; never
/// inside the state machine).
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Converts the app's validator records for consensus.
pub fn to_set_info(validators: &[ConsensusValidator]) -> ValidatorSetInfo {
    ValidatorSetInfo {
        validators: validators
            .iter()
            .map(|v| ValidatorInfo {
                address: v.public_key.address(),
                public_key: v.public_key.clone(),
                voting_power: v.power,
            })
            .collect(),
    }
}

/// The node's side of consensus.
pub struct Host {
    app: App,
    store: Arc<BlockStore>,
    mempool: Arc<Mutex<Mempool>>,
    shared: Arc<Shared>,
    limits: ConsensusSection,
    /// Double signing reported by consensus and not yet in a committed
    /// block (at most [`MAX_PENDING_EVIDENCE`]).
    evidence: Vec<DoubleSignEvidence>,
    /// When the last "committed block" line was logged: an idle chain still
    /// logs one every [`ALIVE_LOG_INTERVAL`], so its operator sees it is
    /// alive. Logging only; never reaches the state machine.
    last_logged: std::time::Instant,
    /// Notified once the last block before an upgrade height is committed
    /// (see [`crate::upgrade`]): the node shuts down.
    upgrade_halt: Arc<tokio::sync::Notify>,
}

/// Longest silence of the commit log on a chain of empty blocks.
const ALIVE_LOG_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

/// What a block must carry after the last committed one: the previous
/// block hash, the app hash and the previous block time (ms).
type ExpectedHeader = ([u8; 32], [u8; 32], u64);

/// Most pieces of evidence kept waiting for a block.
const MAX_PENDING_EVIDENCE: usize = 64;
/// Most pieces of evidence one block carries.
const MAX_EVIDENCE_PER_BLOCK: usize = 8;

impl Host {
    /// Builds the host; `app` and `store` must agree (see [`recover`]).
    pub fn new(
        app: App,
        store: Arc<BlockStore>,
        mempool: Arc<Mutex<Mempool>>,
        shared: Arc<Shared>,
        limits: ConsensusSection,
    ) -> Self {
        Host {
            app,
            store,
            mempool,
            shared,
            limits,
            evidence: Vec::new(),
            last_logged: std::time::Instant::now(),
            upgrade_halt: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// Notified when the node must stop for an upgrade plan.
    pub fn upgrade_halt_signal(&self) -> Arc<tokio::sync::Notify> {
        Arc::clone(&self.upgrade_halt)
    }

    /// `Err(UpgradeHalt)` if an upgrade plan forbids executing `height`.
    fn check_upgrade(&self, height: u64) -> Result<(), NodeError> {
        match crate::upgrade::halt_at(&self.app.snapshot()?, height)? {
            Some(plan) => Err(crate::upgrade::halt_error(&plan)),
            None => Ok(()),
        }
    }

    fn current_validators(&self) -> Result<Vec<ConsensusValidator>, NodeError> {
        Ok(validator_set(&self.app.snapshot()?)?)
    }

    fn last_header(&self) -> Result<Option<BlockHeader>, NodeError> {
        let h = self.app.height()?;
        if h == 0 {
            return Ok(None);
        }
        let block = self.store.block(h)?.ok_or_else(|| {
            NodeError::Inconsistent(format!("block {h} is committed but not stored"))
        })?;
        Ok(Some(block.header))
    }

    fn genesis_time(&self) -> Result<u64, NodeError> {
        let time = fructus_storage::StateRead::get::<BlockTime>(
            &self.app.snapshot()?,
            &fructus_app::state_key::genesis_time(),
        )
        .map_err(fructus_app::AppError::from)?
        .ok_or(fructus_app::AppError::NotInitialized)?;
        Ok(time.millis())
    }

    /// `(previous block hash, app hash, previous block time)` a block at
    /// `height` must carry; `None` if `height` does not follow the last
    /// committed one.
    fn expected_header_fields(&self, height: u64) -> Result<Option<ExpectedHeader>, NodeError> {
        let last = self.app.height()?;
        if height != last.saturating_add(1) {
            return Ok(None);
        }
        let app_hash = self.app.app_hash()?.0;
        let (prev, prev_time) = match self.last_header()? {
            Some(h) => (h.hash(), h.time.millis()),
            None => ([0u8; 32], self.genesis_time()?),
        };
        Ok(Some((prev, app_hash, prev_time)))
    }

    /// What the app is told about `block` (its header time, the signers of
    /// its last commit, its evidence).
    fn block_info(block: &Block) -> Result<BlockInfo, String> {
        let height = block.header.height;
        let mut info = BlockInfo::new(height, block.header.time);
        if !block.last_commit.is_empty() {
            let cert = fructus_consensus::decode_certificate(&block.last_commit)
                .map_err(|e| format!("block {height}: last commit: {e}"))?;
            info.last_commit = Some(fructus_component::LastCommit {
                height: cert.height,
                signers: cert.signers,
            });
        }
        for bytes in &block.evidence {
            let e = DoubleSignEvidence::from_bytes(bytes)
                .map_err(|e| format!("block {height}: {e}"))?;
            info.evidence.push(fructus_component::Evidence {
                validator: e.validator,
                height: e.height,
            });
        }
        Ok(info)
    }

    /// Executes and commits a block (stored first, its state staged
    /// meanwhile): see the block store's crash-safety notes.
    fn execute_and_commit(
        &mut self,
        block: &Block,
        certificate: &[u8],
        store_it: bool,
    ) -> Result<(), NodeError> {
        let height = block.header.height;
        self.check_upgrade(height)?;
        let validators = self.current_validators()?;
        // `validate` checked the certificate (or sync did, for its own
        // blocks' certificates); here only its signer list is read.
        let info = Self::block_info(block).map_err(NodeError::Inconsistent)?;
        for bytes in &block.evidence {
            if let Ok(e) = DoubleSignEvidence::from_bytes(bytes) {
                self.evidence.retain(|p| p != &e);
            }
        }
        let reused_before = self.app.parallel_stats().plans_reused;
        let timer = Instant::now();
        self.app.begin_block(info)?;
        let (results, block_events) = match self
            .app
            .deliver_txs(&block.txs)
            .and_then(|r| self.app.end_block().map(|events| (r, events)))
        {
            Ok(r) => r,
            Err(e) => {
                self.app.abort_block();
                return Err(e.into());
            }
        };
        self.shared.metrics.time(BlockPhase::Execute, timer);
        // The block is stored on a thread of its own while the app stages
        // its state (computes and writes the new tree without committing
        // it); the state is committed only once the block is stored, so a
        // crash at any point leaves the state at or one block behind the
        // block store (see its crash-safety notes), never ahead.
        let store = &self.store;
        let metrics = &self.shared.metrics;
        let app = &mut self.app;
        let (stored, staged) = std::thread::scope(|scope| {
            let storing = store_it.then(|| {
                std::thread::Builder::new()
                    .name("store-block".into())
                    .spawn_scoped(scope, || {
                        let timer = Instant::now();
                        let saved =
                            store.save(block, certificate, &results, &block_events, &validators);
                        metrics.time(BlockPhase::Store, timer);
                        saved
                    })
                    .map_err(|e| {
                        NodeError::Inconsistent(format!("starting the block store's writer: {e}"))
                    })
            });
            let timer = Instant::now();
            let staged = app.stage_commit();
            metrics.time(BlockPhase::Commit, timer);
            let stored = match storing {
                None => Ok(()),
                Some(Err(e)) => Err(e),
                Some(Ok(writer)) => writer.join().unwrap_or_else(|_| {
                    Err(NodeError::Inconsistent(
                        "the block store's writer panicked".into(),
                    ))
                }),
            };
            (stored, staged)
        });
        // A block that could not be stored is not committed (the staged
        // state is dropped); one stored but not committed is executed
        // again at restart (`recover`).
        stored?;
        let staged = staged?;
        // Each result carries its transaction's hash (one result per
        // transaction, in block order): no second SHA-256 per transaction.
        let hashes: Vec<TxHash> = results.iter().map(|r| r.hash).collect();
        let touched = Touched::of_block(
            height,
            results.iter().flat_map(|r| &r.events).chain(&block_events),
        );
        // Commit and mempool update happen under the mempool lock, and
        // admission reads its snapshot under the same lock: an admission
        // never pairs new state with a pending count from before the update.
        let mempool = Arc::clone(&self.mempool);
        let mut pool = mempool
            .lock()
            .map_err(|_| NodeError::Inconsistent("mempool lock poisoned".into()))?;
        let timer = Instant::now();
        let root = self.app.finish_commit(staged)?;
        self.shared.metrics.time(BlockPhase::Commit, timer);
        let timer = Instant::now();
        let updated = pool.update_touched(&hashes, touched, self.app.storage());
        drop(pool);
        self.shared.metrics.time(BlockPhase::MempoolUpdate, timer);
        let m = &self.shared.metrics;
        Metrics::add(
            &m.blocks_from_plan,
            self.app
                .parallel_stats()
                .plans_reused
                .saturating_sub(reused_before),
        );
        Metrics::add(
            &m.txs_committed,
            u64::try_from(block.txs.len()).unwrap_or(0),
        );
        Metrics::add(
            &m.txs_rechecked_out,
            u64::try_from(updated.dropped).unwrap_or(0),
        );
        let prev = self.shared.head();
        m.last_block_interval_ms.store(
            block.header.time.millis().saturating_sub(prev.time),
            std::sync::atomic::Ordering::Relaxed,
        );
        let validator_count = self.current_validators()?.len();
        self.shared.set_head(Head {
            height,
            time: block.header.time.millis(),
            block_hash: block.hash(),
            app_hash: root.0,
            validator_count,
        });
        self.shared.publish(NodeEvent::NewBlock {
            height,
            hash: hex::encode(block.hash()),
            time: block.header.time.millis(),
            num_txs: block.txs.len(),
        });
        for event in block_events {
            self.shared.publish(NodeEvent::BlockEvent { height, event });
        }
        let listening = self.shared.has_listeners();
        for (i, (tx, result)) in block.txs.iter().zip(&results).enumerate() {
            if listening && !result.events.is_empty() {
                let tx_hash = result.hash.to_string();
                for event in &result.events {
                    self.shared.publish(NodeEvent::TxEvent {
                        height,
                        tx_hash: tx_hash.clone(),
                        event: event.clone(),
                    });
                }
            }
            self.shared.notify(&result.hash, || {
                tx_view(height, u32::try_from(i).unwrap_or(u32::MAX), tx, result)
            });
        }
        if !block.txs.is_empty() || self.last_logged.elapsed() >= ALIVE_LOG_INTERVAL {
            info!(height, txs = block.txs.len(), app_hash = %root, "committed block");
            self.last_logged = std::time::Instant::now();
        }
        if let Err(halt) = self.check_upgrade(height.saturating_add(1)) {
            error!(height, "{halt}; stopping after this block");
            self.upgrade_halt.notify_one();
        }
        Ok(())
    }
}

impl Host {
    /// A block's `last_commit` must match its header hash and be a valid
    /// certificate of the previous block by the previous height's set
    /// (empty at height 1).
    fn check_last_commit(&self, block: &Block, chain_id: &str) -> Result<(), HostError> {
        if !block.last_commit_matches() {
            return Err(HostError::invalid(
                "last commit does not match its header hash",
            ));
        }
        let h = block.header.height;
        let Some(prev) = h.checked_sub(1).filter(|p| *p > 0) else {
            return if block.last_commit.is_empty() {
                Ok(())
            } else {
                Err(HostError::invalid("the first block carries no last commit"))
            };
        };
        let set = self
            .store
            .validators(prev)
            .map_err(HostError::fault)?
            .ok_or_else(|| {
                HostError::fault(format!("no validator set stored for height {prev}"))
            })?;
        fructus_consensus::verify_certificate(
            chain_id,
            &block.last_commit,
            &to_set_info(&set),
            prev,
            &block.header.prev_block_hash,
        )
        .map(|_| ())
        .map_err(|e| HostError::invalid(format!("last commit: {e}")))
    }

    /// The block's transactions fit `max_block_bytes` and the sum of their
    /// gas limits fits `max_block_gas` — the limits a proposal is reaped
    /// with. (Transactions that do not decode are named by the plan.)
    fn check_limits(&self, block: &Block) -> Result<(), HostError> {
        let bytes: usize = block
            .txs
            .iter()
            .map(Vec::len)
            .fold(0, usize::saturating_add);
        if bytes > self.limits.max_block_bytes {
            return Err(HostError::invalid(format!(
                "block carries {bytes} bytes of transactions; the limit is {}",
                self.limits.max_block_bytes
            )));
        }
        let gas = block
            .txs
            .iter()
            .filter_map(|tx| DecodedTx::decode(tx, tx.len()).ok())
            .map(|tx| tx.gas_limit)
            .fold(0u64, u64::saturating_add);
        if gas > self.limits.max_block_gas {
            return Err(HostError::invalid(format!(
                "block's transactions allow {gas} gas in all; the limit is {}",
                self.limits.max_block_gas
            )));
        }
        Ok(())
    }
}

impl Host {
    /// A block's evidence must match its header hash, be at most
    /// [`MAX_EVIDENCE_PER_BLOCK`] pieces, each for an earlier height and
    /// valid against the stored validator set of that height.
    fn check_evidence(&self, block: &Block, chain_id: &str) -> Result<(), HostError> {
        if !block.evidence_matches() {
            return Err(HostError::invalid(
                "evidence does not match its header hash",
            ));
        }
        if block.evidence.len() > MAX_EVIDENCE_PER_BLOCK {
            return Err(HostError::invalid(format!(
                "{} pieces of evidence; at most {MAX_EVIDENCE_PER_BLOCK}",
                block.evidence.len()
            )));
        }
        for bytes in &block.evidence {
            let e = DoubleSignEvidence::from_bytes(bytes)
                .map_err(|e| HostError::invalid(e.to_string()))?;
            if e.height >= block.header.height {
                return Err(HostError::invalid(format!(
                    "evidence for height {} is not in the past",
                    e.height
                )));
            }
            let set = self.store.validators(e.height).map_err(HostError::fault)?;
            let Some(set) = set else {
                return Err(HostError::invalid(format!(
                    "evidence for height {}, for which no validator set is stored",
                    e.height
                )));
            };
            e.verify(chain_id, &to_set_info(&set))
                .map_err(|e| HostError::invalid(e.to_string()))?;
        }
        Ok(())
    }
}

/// Brings app state up to the block store after a crash: the stored blocks
/// the state lacks are executed again, each checked to build on the state
/// it finds. The state syncs at least every
/// [`MAX_SYNC_EVERY_BLOCKS`](crate::config::MAX_SYNC_EVERY_BLOCKS) blocks
/// and the block store every block, so a crash leaves at most that many
/// (the unsynced ones, one of them stored but not applied); more means the
/// state is not this block store's. Returns the head.
pub fn recover(host: &mut Host) -> Result<Head, NodeError> {
    let app_h = host.app.height()?;
    let store_h = host.store.last_height()?;
    let behind = store_h.checked_sub(app_h).ok_or_else(|| {
        NodeError::Inconsistent(format!(
            "app state is at height {app_h}, ahead of the block store at {store_h}"
        ))
    })?;
    let most = crate::config::MAX_SYNC_EVERY_BLOCKS;
    if behind > most {
        return Err(NodeError::Inconsistent(format!(
            "app state is at height {app_h} but the block store at {store_h}: more than the \
             {most} blocks a crash can leave to replay"
        )));
    }
    if behind > 0 {
        warn!(
            from = app_h.saturating_add(1),
            to = store_h,
            "replaying stored blocks the state lacks (the node stopped before syncing them)"
        );
    }
    for height in app_h.saturating_add(1)..=store_h {
        let stored = host.store.stored(height)?.ok_or_else(|| {
            NodeError::Inconsistent(format!("block {height} is indexed but missing"))
        })?;
        let state = host.app.app_hash()?.0;
        if stored.block.header.app_hash != state {
            return Err(NodeError::Inconsistent(format!(
                "stored block {height} builds on app hash {}, the state has {}",
                hex::encode(stored.block.header.app_hash),
                hex::encode(state)
            )));
        }
        host.execute_and_commit(&stored.block, &stored.certificate, false)?;
    }
    let height = host.app.height()?;
    let header = host.last_header()?;
    let time = match &header {
        Some(h) => h.time.millis(),
        None => host.genesis_time()?,
    };
    let head = Head {
        height,
        time,
        block_hash: header.as_ref().map_or([0; 32], BlockHeader::hash),
        app_hash: host.app.app_hash()?.0,
        validator_count: host.current_validators()?.len(),
    };
    host.shared.set_head(head.clone());
    Ok(head)
}

impl ConsensusHost for Host {
    fn last_height(&self) -> Result<u64, HostError> {
        self.app.height().map_err(HostError::fault)
    }

    /// Peers ask for blocks from here on; pruned heights are not served.
    fn history_min_height(&self) -> u64 {
        self.store.first_height().unwrap_or(1)
    }

    fn validator_set(&self, height: u64) -> Result<ValidatorSetInfo, HostError> {
        let last = self.last_height()?;
        if height <= last
            && let Some(v) = self.store.validators(height).map_err(HostError::fault)?
        {
            return Ok(to_set_info(&v));
        }
        Ok(to_set_info(
            &self.current_validators().map_err(HostError::fault)?,
        ))
    }

    fn has_pending_txs(&self) -> bool {
        self.mempool.lock().map(|m| !m.is_empty()).unwrap_or(false)
    }

    /// Reaps the mempool up to the block limits, then keeps only the
    /// transactions the app would charge, in order ([`App::plan_block`]):
    /// a proposal never carries a transaction that would fail for free.
    fn propose(&mut self, height: u64, _round: u32, proposer: Address) -> Result<Block, HostError> {
        self.check_upgrade(height).map_err(HostError::fault)?;
        let (prev_block_hash, app_hash, prev_time) = self
            .expected_header_fields(height)
            .map_err(HostError::fault)?
            .ok_or_else(|| {
                HostError::fault(format!("asked to propose height {height}, which does not follow the last committed block"))
            })?;
        let candidates = self
            .mempool
            .lock()
            .map_err(|_| HostError::fault("mempool lock poisoned"))?
            .reap(self.limits.max_block_bytes, self.limits.max_block_gas);
        let evidence: Vec<Vec<u8>> = self
            .evidence
            .iter()
            .filter(|e| e.height < height)
            .take(MAX_EVIDENCE_PER_BLOCK)
            .map(DoubleSignEvidence::to_bytes)
            .collect();
        // The previous height's certificate, as this node stored it.
        let last_commit = match height.checked_sub(1).filter(|h| *h > 0) {
            Some(h) => self
                .store
                .certificate(h)
                .map_err(HostError::fault)?
                .ok_or_else(|| HostError::fault(format!("block {h} is not stored")))?,
            None => Vec::new(),
        };
        let header = BlockHeader {
            chain_id: self.app.chain_id().map_err(HostError::fault)?.to_owned(),
            height,
            time: BlockTime(now_ms().max(prev_time.saturating_add(1))),
            prev_block_hash,
            app_hash,
            tx_root: tx_root(&[]),
            proposer,
            validator_set_hash: self.validator_set(height)?.hash(),
            last_commit_hash: fructus_crypto::sha256(&last_commit),
            evidence_hash: fructus_types::block::evidence_hash(&evidence),
        };
        let mut block = Block {
            header,
            txs: Vec::new(),
            last_commit,
            evidence,
        };
        let info = Self::block_info(&block).map_err(HostError::fault)?;
        let timer = Instant::now();
        let verdicts = self
            .app
            .plan_block(info, &candidates)
            .map_err(HostError::fault)?;
        self.shared.metrics.time(BlockPhase::Plan, timer);
        let (txs, refused): (Vec<_>, Vec<_>) = candidates
            .into_iter()
            .zip(verdicts)
            .partition(|(_, refused)| refused.is_none());
        if !refused.is_empty() {
            // Stale in the pool, or short of what an earlier candidate
            // spent: the next update re-checks them against its state.
            self.mempool
                .lock()
                .map_err(|_| HostError::fault("mempool lock poisoned"))?
                .suspect(refused.iter().map(|(tx, _)| TxHash::of(tx)));
        }
        let txs: Vec<Vec<u8>> = txs.into_iter().map(|(tx, _)| tx).collect();
        block.header.tx_root = tx_root(&txs);
        block.txs = txs;
        Ok(block)
    }

    fn validate(&self, block: &Block) -> Result<(), HostError> {
        // Vote nil at the halt height: this binary never decides it.
        self.check_upgrade(block.header.height)
            .map_err(|e| HostError::invalid(e.to_string()))?;
        let h = &block.header;
        let chain_id = self.app.chain_id().map_err(HostError::fault)?;
        if h.chain_id != chain_id {
            return Err(HostError::invalid(format!(
                "chain id {} is not {chain_id}",
                h.chain_id
            )));
        }
        let (prev, app_hash, prev_time) = self
            .expected_header_fields(h.height)
            .map_err(HostError::fault)?
            .ok_or_else(|| {
                HostError::invalid(format!(
                    "height {} does not follow the last committed block",
                    h.height
                ))
            })?;
        if h.prev_block_hash != prev {
            return Err(HostError::invalid("previous block hash does not match"));
        }
        if h.app_hash != app_hash {
            return Err(HostError::invalid(format!(
                "app hash {} is not ours {}",
                hex::encode(h.app_hash),
                hex::encode(app_hash)
            )));
        }
        if !block.tx_root_matches() {
            return Err(HostError::invalid(
                "transaction root does not match the transactions",
            ));
        }
        self.check_last_commit(block, chain_id)?;
        self.check_evidence(block, chain_id)?;
        let set = self.validator_set(h.height)?;
        if h.validator_set_hash != set.hash() {
            return Err(HostError::invalid("validator set hash does not match"));
        }
        if !set.validators.iter().any(|v| v.address == h.proposer) {
            return Err(HostError::invalid(format!(
                "proposer {} is not a validator",
                h.proposer
            )));
        }
        if h.time.millis() <= prev_time {
            return Err(HostError::invalid("block time does not advance"));
        }
        if h.time.millis() > now_ms().saturating_add(self.limits.max_time_drift_ms) {
            return Err(HostError::invalid("block time is too far in the future"));
        }
        self.check_limits(block)?;
        let info = Self::block_info(block).map_err(HostError::invalid)?;
        let timer = Instant::now();
        let verdicts = self
            .app
            .plan_block(info, &block.txs)
            .map_err(HostError::fault)?;
        self.shared.metrics.time(BlockPhase::Plan, timer);
        if let Some((i, Some(e))) = verdicts
            .into_iter()
            .enumerate()
            .find(|(_, refused)| refused.is_some())
        {
            return Err(HostError::invalid(format!(
                "transaction {i} would not pay its fee ({}/{}): {}",
                e.codespace, e.code, e.message
            )));
        }
        Ok(())
    }

    fn commit(&mut self, block: Block, certificate: Vec<u8>) -> Result<(), HostError> {
        self.execute_and_commit(&block, &certificate, true)
            .map_err(|e| {
                error!(height = block.header.height, error = %e, "commit failed; consensus stops");
                HostError::fault(e)
            })
    }

    fn report_evidence(&mut self, evidence: Vec<DoubleSignEvidence>) {
        for e in evidence {
            if self.evidence.len() < MAX_PENDING_EVIDENCE && !self.evidence.contains(&e) {
                warn!(validator = %e.validator, height = e.height, "double-sign evidence queued for the next block");
                self.evidence.push(e);
            }
        }
    }

    fn decided(&self, height: u64) -> Option<(Block, Vec<u8>)> {
        // Not `stored`: the results and events are not needed here.
        let block = self.store.block(height).ok().flatten()?;
        let certificate = self.store.certificate(height).ok().flatten()?;
        Some((block, certificate))
    }
}
