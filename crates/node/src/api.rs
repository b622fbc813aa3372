//! The node's implementation of the API contract ([`fructus_rpc::NodeApi`],
//! and [`fructus_rpc::NodeState`] for module queries).
//! Reads go to storage snapshots and the block store, never to the app
//! that consensus is mutating.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use base64::Engine as _;
use fructus_app::validator_set;
use fructus_auth::AuthStateReadExt;
use fructus_bank::{BankStateReadExt, DenomMetadata};
use fructus_component::query::QueryAt;
use fructus_consensus::ValidatorSetInfo;
use fructus_crypto::Address;
use fructus_rpc::{
    AccountView, ApiError, BlockView, CommitSignatureView, CommitView, DenomView, NodeApi,
    NodeEvent, NodeState, ProofView, SimulateView, StatusView, SubmitView, TxView,
    ValidatorSetView, ValidatorView,
};
use fructus_storage::{Snapshot, Storage};
use fructus_types::{Denom, tx::TxHash};
use tokio::sync::broadcast;

use crate::{
    BlockStore, Mempool,
    mempool::check_stateless_batch,
    shared::{Metrics, Shared},
    view::{certificate_view, tx_view},
};

/// The API backend.
pub struct NodeApiImpl {
    pub(crate) storage: Storage,
    /// The app's committed included-transaction window (for simulation).
    pub(crate) window: fructus_app::pipeline::window::Window,
    pub(crate) store: Arc<BlockStore>,
    pub(crate) mempool: Arc<Mutex<Mempool>>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) chain_id: String,
    pub(crate) moniker: String,
    pub(crate) gossip: broadcast::Sender<Vec<u8>>,
    pub(crate) wait_timeout: Duration,
    /// The history indexer, when enabled.
    pub(crate) history: Option<Arc<fructus_indexer::Indexer>>,
    /// The block `GET /v1/txs/{hash}` decoded last: a client reading a
    /// block's transactions one by one decodes it (and its results) once,
    /// not once per transaction.
    pub(crate) last_read: Mutex<Option<Arc<ReadBlock>>>,
}

/// A stored block's transactions and results, decoded.
#[derive(Debug)]
pub(crate) struct ReadBlock {
    height: u64,
    txs: Vec<Vec<u8>>,
    results: Vec<fructus_app::TxResult>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(500, "node", 1, e.to_string())
}

/// 404 `node#3`: the height was pruned (the message names the oldest kept).
fn pruned(message: String) -> ApiError {
    ApiError::new(404, "node", 3, message)
}

/// A state read at a height: a pruned version is the caller's 404, a
/// proof of a key kept beside the tree the caller's 400 (`node#5`), any
/// other storage error is internal.
fn state_error(e: fructus_storage::StorageError) -> ApiError {
    match e {
        fructus_storage::StorageError::VersionPruned { .. } => pruned(e.to_string()),
        fructus_storage::StorageError::NotInTree { .. } => {
            ApiError::new(400, "node", 5, e.to_string())
        }
        other => internal(other),
    }
}

impl NodeApiImpl {
    /// `height`, or the last stored height for `None`.
    fn stored_height(&self, height: Option<u64>) -> Result<u64, ApiError> {
        match height {
            Some(h) => Ok(h),
            None => self.store.last_height().map_err(internal),
        }
    }

    /// The 404 for a block that is not stored: pruned, or never decided.
    fn no_block(&self, height: u64) -> ApiError {
        match self.store.first_height() {
            Ok(first) if height > 0 && height < first => pruned(format!(
                "block {height} was pruned: this node keeps blocks from height {first} on \
                 (ask an archive node for older blocks)"
            )),
            _ => ApiError::not_found(format!("no block at height {height}")),
        }
    }

    fn snapshot(&self) -> Result<Snapshot, ApiError> {
        self.storage.latest_snapshot().map_err(internal)
    }

    /// The stored block at `height` (which the transaction index named),
    /// decoded: the one decoded last if it is that height's (a stored
    /// height never changes; a pruned one is no longer indexed), else
    /// decoded now — outside the lock, so readers of other heights do not
    /// wait — and kept instead.
    fn read_block(&self, height: u64) -> Result<Arc<ReadBlock>, ApiError> {
        let last = self.last_read.lock().map_err(internal)?.clone();
        if let Some(read) = last.filter(|r| r.height == height) {
            return Ok(read);
        }
        let block = self
            .store
            .block(height)
            .map_err(internal)?
            .ok_or_else(|| internal("indexed block missing"))?;
        let results = self
            .store
            .results(height)
            .map_err(internal)?
            .unwrap_or_default();
        let read = Arc::new(ReadBlock {
            height,
            txs: block.txs,
            results,
        });
        *self.last_read.lock().map_err(internal)? = Some(Arc::clone(&read));
        Ok(read)
    }

    fn denom_view(snapshot: &Snapshot, meta: DenomMetadata) -> Result<DenomView, ApiError> {
        let supply = snapshot.supply(&meta.denom).map_err(internal)?;
        Ok(DenomView {
            denom: meta.denom.to_string(),
            issuer: meta.issuer,
            symbol: meta.symbol,
            decimals: meta.decimals,
            kyc_only: meta.kyc_only,
            supply: supply.to_string(),
        })
    }

    /// Admits a transaction (from the API or from gossip); on success it is
    /// also pushed to gossip peers.
    pub(crate) fn admit(&self, tx: Vec<u8>) -> Result<TxHash, ApiError> {
        let mut verdicts = self.admit_batch(vec![tx]);
        verdicts
            .pop()
            .unwrap_or_else(|| Err(internal("no admission verdict")))
    }

    /// Admits transactions in order: stateless checks in parallel, all
    /// signatures in one batch, then the stateful checks under one hold of
    /// the mempool lock. Admitted ones are pushed to gossip peers.
    pub(crate) fn admit_batch(&self, txs: Vec<Vec<u8>>) -> Vec<Result<TxHash, ApiError>> {
        let params = match self
            .snapshot()
            .and_then(|s| s.auth_params().map_err(internal))
        {
            Ok(p) => p,
            Err(e) => return txs.iter().map(|_| Err(e.clone())).collect(),
        };
        let refused = |e: crate::mempool::MempoolError| {
            Metrics::add(&self.shared.metrics.txs_rejected, 1);
            let t = e.to_tx_error();
            let status = match (t.codespace.as_str(), t.code) {
                ("mempool", crate::mempool::MempoolError::ALREADY_KNOWN) => 409,
                ("mempool", _) => 429,
                ("tx", fructus_app::TxCheckError::TOO_LARGE) => 413,
                _ => 422,
            };
            ApiError::new(status, &t.codespace, t.code, t.message)
        };
        let checked = check_stateless_batch(&txs, &self.chain_id, &params);
        let mut out = Vec::with_capacity(txs.len());
        let mut admitted = Vec::new();
        {
            // The snapshot is taken under the mempool lock (see the host's
            // commit), so no commit comes between it and the checks: one
            // snapshot, cloned, serves the whole batch.
            let mut pool = match self.mempool.lock() {
                Ok(pool) => pool,
                Err(e) => return txs.iter().map(|_| Err(internal(&e))).collect(),
            };
            let snapshot = self.snapshot();
            for (tx, parsed) in txs.into_iter().zip(checked) {
                let verdict = parsed.map_err(refused).and_then(|parsed| {
                    let snapshot = snapshot.clone()?;
                    pool.admit(tx.clone(), parsed, &params, snapshot)
                        .map_err(refused)
                });
                if verdict.is_ok() {
                    admitted.push(tx);
                }
                out.push(verdict);
            }
        }
        Metrics::add(
            &self.shared.metrics.txs_admitted,
            u64::try_from(admitted.len()).unwrap_or(u64::MAX),
        );
        for tx in admitted {
            let _ = self.gossip.send(tx);
        }
        out
    }
}

#[async_trait::async_trait]
impl NodeApi for NodeApiImpl {
    fn status(&self) -> StatusView {
        let head = self.shared.head();
        let now = crate::host::now_ms();
        StatusView {
            chain_id: self.chain_id.clone(),
            moniker: self.moniker.clone(),
            latest_height: head.height,
            latest_block_time: head.time,
            latest_block_hash: if head.height == 0 {
                String::new()
            } else {
                hex::encode(head.block_hash)
            },
            app_hash: hex::encode(head.app_hash),
            validator_count: head.validator_count,
            // Behind if the head is older than several idle intervals.
            syncing: head.height > 0 && now.saturating_sub(head.time) > 30_000,
            mempool_size: self.mempool.lock().map(|m| m.len()).unwrap_or(0),
            peers: usize::try_from(Metrics::get(&self.shared.metrics.gossip_peers)).unwrap_or(0),
        }
    }

    fn block(&self, height: Option<u64>) -> Result<BlockView, ApiError> {
        let height = match height {
            Some(h) => h,
            None => self.store.last_height().map_err(internal)?,
        };
        // The view carries no results: they are read (and decompressed)
        // only for a transaction's own view, not for every block a
        // client polls.
        let (Some(block), Some(certificate)) = (
            self.store.block(height).map_err(internal)?,
            self.store.certificate(height).map_err(internal)?,
        ) else {
            return Err(self.no_block(height));
        };
        let events = self
            .store
            .block_events(height)
            .map_err(internal)?
            .unwrap_or_default();
        let b64 = base64::engine::general_purpose::STANDARD;
        Ok(BlockView {
            height,
            hash: hex::encode(block.hash()),
            tx_hashes: block
                .txs
                .iter()
                .map(|t| TxHash::of(t).to_string())
                .collect(),
            txs: block.txs.iter().map(|t| b64.encode(t)).collect(),
            app_hash_after: self
                .storage
                .root_hash(height)
                .map(|r| r.to_string())
                .unwrap_or_default(),
            certificate: certificate_view(&certificate),
            events,
            header: block.header,
        })
    }

    fn tx(&self, hash: &str) -> Result<TxView, ApiError> {
        let bytes = hex::decode(hash)
            .map_err(|_| ApiError::bad_request("transaction hash must be 64 hex characters"))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| ApiError::bad_request("transaction hash must be 64 hex characters"))?;
        let hash = TxHash(arr);
        let (height, index) = self
            .store
            .tx_location(&hash)
            .map_err(internal)?
            .ok_or_else(|| {
                ApiError::not_found(format!("transaction {hash} is not in a committed block"))
            })?;
        let i = usize::try_from(index).map_err(internal)?;
        let block = self.read_block(height)?;
        match (block.txs.get(i), block.results.get(i)) {
            (Some(tx), Some(result)) => Ok(tx_view(height, index, tx, result)),
            _ => Err(internal("indexed transaction missing")),
        }
    }

    fn account(&self, address: &Address) -> Result<AccountView, ApiError> {
        let snapshot = self.snapshot()?;
        let account = snapshot.account(address).map_err(internal)?;
        Ok(AccountView {
            address: *address,
            public_key: account.as_ref().and_then(|a| a.public_key.clone()),
            nonce: account.map_or(0, |a| a.nonce),
            balances: snapshot.balances(address).map_err(internal)?,
            height: snapshot.version().unwrap_or(0),
        })
    }

    fn denoms(&self, start_after: Option<&str>, limit: usize) -> Result<Vec<DenomView>, ApiError> {
        let snapshot = self.snapshot()?;
        let start = start_after
            .map(|s| {
                s.parse::<Denom>()
                    .map_err(|e| ApiError::bad_request(e.to_string()))
            })
            .transpose()?;
        snapshot
            .denoms(start.as_ref(), limit)
            .map_err(internal)?
            .into_iter()
            .map(|m| Self::denom_view(&snapshot, m))
            .collect()
    }

    fn denom(&self, denom: &str) -> Result<DenomView, ApiError> {
        let snapshot = self.snapshot()?;
        let d: Denom = denom
            .parse()
            .map_err(|e: fructus_types::TypesError| ApiError::bad_request(e.to_string()))?;
        let meta = snapshot
            .denom_metadata(&d)
            .map_err(internal)?
            .ok_or_else(|| ApiError::not_found(format!("denom {d} does not exist")))?;
        Self::denom_view(&snapshot, meta)
    }

    fn validators(&self) -> Result<Vec<ValidatorView>, ApiError> {
        let snapshot = self.snapshot()?;
        Ok(validator_set(&snapshot)
            .map_err(internal)?
            .into_iter()
            .map(|v| ValidatorView {
                address: v.public_key.address(),
                public_key: v.public_key.to_hex(),
                voting_power: v.power,
            })
            .collect())
    }

    fn proof(&self, key: &[u8], height: Option<u64>) -> Result<ProofView, ApiError> {
        let latest = self
            .storage
            .latest_version()
            .ok_or_else(|| ApiError::new(503, "node", 2, "state is not initialized yet"))?;
        let height = height.unwrap_or(latest);
        if height > latest {
            return Err(ApiError::not_found(format!(
                "no state after height {height} yet (the latest is {latest})"
            )));
        }
        let (value, proof) = self
            .storage
            .get_with_proof(key, height)
            .map_err(state_error)?;
        let root = self.storage.root_hash(height).map_err(state_error)?;
        Ok(ProofView {
            key: hex::encode(key),
            value: value.map(hex::encode),
            height,
            app_hash: root.to_string(),
            proof: hex::encode(proof.to_bytes()),
        })
    }

    fn commit(&self, height: Option<u64>) -> Result<CommitView, ApiError> {
        let height = self.stored_height(height)?;
        let (Some(block), Some(certificate)) = (
            self.store.block(height).map_err(internal)?,
            self.store.certificate(height).map_err(internal)?,
        ) else {
            return Err(self.no_block(height));
        };
        let certificate = fructus_consensus::decode_certificate(&certificate).map_err(internal)?;
        Ok(CommitView {
            height,
            round: certificate.round,
            block_hash: hex::encode(block.hash()),
            header: hex::encode(borsh::to_vec(&block.header).map_err(internal)?),
            signatures: certificate
                .signatures
                .into_iter()
                .map(|(address, signature)| CommitSignatureView {
                    address,
                    signature: hex::encode(signature),
                })
                .collect(),
        })
    }

    fn validator_set(&self, height: Option<u64>) -> Result<ValidatorSetView, ApiError> {
        let height = self.stored_height(height)?;
        let validators = self
            .store
            .validators(height)
            .map_err(internal)?
            .ok_or_else(|| self.no_block(height))?;
        // The same set, in the same canonical order, the header's
        // `validator_set_hash` commits to.
        let set = ValidatorSetInfo::new(crate::host::to_set_info(&validators).validators);
        Ok(ValidatorSetView {
            height,
            hash: hex::encode(set.hash()),
            validators: set
                .validators
                .into_iter()
                .map(|v| ValidatorView {
                    address: v.address,
                    public_key: v.public_key.to_hex(),
                    voting_power: v.voting_power,
                })
                .collect(),
        })
    }

    async fn submit(&self, tx: Vec<u8>, wait_for_commit: bool) -> Result<SubmitView, ApiError> {
        let hash = TxHash::of(&tx);
        // Register before admission so a fast commit is not missed.
        let waiter = wait_for_commit.then(|| self.shared.wait_for(hash));
        if let Err(e) = self.admit(tx) {
            self.shared.forget(&hash);
            return Err(e);
        }
        let result = match waiter {
            None => None,
            Some(rx) => match tokio::time::timeout(self.wait_timeout, rx).await {
                Ok(Ok(view)) => Some(view),
                _ => {
                    self.shared.forget(&hash);
                    return Err(ApiError::new(
                        504,
                        "api",
                        4,
                        format!(
                            "transaction {hash} was admitted but not committed within {:?}; query GET /v1/txs/{hash} later",
                            self.wait_timeout
                        ),
                    ));
                }
            },
        };
        Ok(SubmitView {
            hash: hash.to_string(),
            admitted: true,
            result,
        })
    }

    async fn submit_batch(&self, txs: Vec<Vec<u8>>) -> Vec<Result<String, ApiError>> {
        self.admit_batch(txs)
            .into_iter()
            .map(|r| r.map(|h| h.to_string()))
            .collect()
    }

    fn simulate(&self, tx: Vec<u8>) -> Result<SimulateView, ApiError> {
        let snapshot = self.snapshot()?;
        let params = snapshot.auth_params().map_err(internal)?;
        let parsed = fructus_app::pipeline::stateless::check(&tx, &self.chain_id, &params)
            .map_err(|e| {
                let status = if (e.codespace.as_str(), e.code)
                    == ("tx", fructus_app::TxCheckError::TOO_LARGE)
                {
                    413
                } else {
                    422
                };
                ApiError::new(status, &e.codespace, e.code, e.message)
            })?;
        let result = fructus_app::simulate(snapshot, &self.window, &self.chain_id, &parsed)
            .map_err(internal)?;
        Ok(SimulateView {
            hash: result.hash.to_string(),
            code: result.code,
            codespace: result.codespace,
            log: result.log,
            gas_wanted: result.gas_wanted,
            gas_used: result.gas_used,
            events: result.events,
        })
    }

    fn subscribe(&self) -> broadcast::Receiver<NodeEvent> {
        self.shared.subscribe()
    }

    fn metrics(&self) -> String {
        let mempool = self.mempool.lock().map(|p| p.len()).unwrap_or(0);
        self.shared
            .metrics
            .render(self.shared.head().height, mempool)
    }

    async fn history(
        &self,
        query: fructus_rpc::history::HistoryQuery,
    ) -> Result<fructus_rpc::history::HistoryAnswer, ApiError> {
        let Some(indexer) = &self.history else {
            return Err(ApiError::new(
                404,
                "node",
                4,
                "the history indexer is off: start the node with --indexer (or set [indexer] \
                 enabled = true in config.toml)",
            ));
        };
        indexer.query(&query).await.map_err(|e| match e {
            fructus_indexer::IndexerError::BadCursor(_)
            | fructus_indexer::IndexerError::OutOfRange { .. } => {
                ApiError::bad_request(e.to_string())
            }
            other => internal(other),
        })
    }
}

impl NodeState for NodeApiImpl {
    fn query_state(&self) -> Result<(Snapshot, QueryAt), ApiError> {
        let head = self.shared.head();
        let at = QueryAt {
            height: head.height,
            time: fructus_types::BlockTime(head.time),
        };
        Ok((self.snapshot()?, at))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]
    use super::*;
    use fructus_types::{
        BlockTime,
        block::{Block, BlockHeader},
    };

    fn block(height: u64, txs: Vec<Vec<u8>>) -> Block {
        Block {
            header: BlockHeader {
                chain_id: "c".into(),
                height,
                time: BlockTime(height),
                prev_block_hash: [0; 32],
                app_hash: [0; 32],
                tx_root: fructus_types::block::tx_root(&txs),
                proposer: Address::from_bytes([1; 20]),
                validator_set_hash: [0; 32],
                last_commit_hash: fructus_crypto::sha256(&[]),
                evidence_hash: fructus_types::block::evidence_hash(&[]),
            },
            txs,
            last_commit: Vec::new(),
            evidence: Vec::new(),
        }
    }

    fn result(tx: &[u8], code: u32) -> fructus_app::TxResult {
        fructus_app::TxResult {
            hash: TxHash::of(tx),
            code,
            codespace: String::new(),
            log: String::new(),
            gas_wanted: 1,
            gas_used: u64::from(code),
            events: Vec::new(),
        }
    }

    #[test]
    fn transactions_read_one_by_one_across_blocks_each_get_their_own_view() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(&dir.path().join("state")).unwrap();
        let store = Arc::new(BlockStore::open(&dir.path().join("blocks.redb")).unwrap());
        let blocks = [
            vec![vec![1u8, 1], vec![1, 2], vec![1, 3]],
            vec![vec![2u8, 1], vec![2, 2]],
        ];
        for (i, txs) in blocks.iter().enumerate() {
            let height = i as u64 + 1;
            let results: Vec<_> = txs
                .iter()
                .enumerate()
                .map(|(j, tx)| result(tx, (height * 10) as u32 + j as u32))
                .collect();
            store
                .save(&block(height, txs.clone()), b"cert", &results, &[], &[])
                .unwrap();
        }
        let (gossip, _) = broadcast::channel(1);
        let api = NodeApiImpl {
            storage,
            window: Default::default(),
            mempool: Arc::new(Mutex::new(Mempool::new(
                crate::config::MempoolConfig::default(),
                "c",
                Default::default(),
            ))),
            store,
            shared: Arc::new(Shared::new(Default::default(), 16)),
            chain_id: "c".into(),
            moniker: "m".into(),
            gossip,
            wait_timeout: Duration::from_millis(1),
            history: None,
            last_read: Mutex::new(None),
        };
        // Within a block, then back and forth between blocks.
        let order = [(0, 0), (0, 2), (1, 1), (0, 1), (1, 0), (1, 1)];
        for (b, t) in order {
            let tx = &blocks[b][t];
            let view = api.tx(&TxHash::of(tx).to_string()).unwrap();
            let (height, index) = (b as u64 + 1, t as u32);
            assert_eq!((view.height, view.index), (height, index));
            assert_eq!(view.code, (height * 10) as u32 + index);
            assert_eq!(
                view.tx,
                base64::engine::general_purpose::STANDARD.encode(tx)
            );
        }
        let last = api.last_read.lock().unwrap().clone().unwrap();
        assert_eq!(last.height, 2, "the block read last stays decoded");
        assert!(api.tx(&TxHash::of(b"never").to_string()).is_err());
    }
}
