//! Shared helpers for the consensus network tests: an in-memory host and
//! node spawning on loopback ports.

#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fructus_consensus::{
    ConsensusConfig, ConsensusError, ConsensusHost, HostError, Timeouts, ValidatorInfo,
    ValidatorSetInfo,
};
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_types::BlockTime;
use fructus_types::block::{Block, BlockHeader, Hash32, tx_root};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub(crate) const CHAIN: &str = "fructus-test";

pub(crate) fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

pub(crate) fn validator_key(i: u8) -> SigningKey {
    SigningKey::from_seed(KeyAlgo::Ed25519, &[i.wrapping_add(1); 32]).unwrap()
}

pub(crate) fn validator_set(ids: &[u8]) -> ValidatorSetInfo {
    ValidatorSetInfo::new(
        ids.iter()
            .map(|i| ValidatorInfo::new(validator_key(*i).public_key(), 10))
            .collect(),
    )
}

pub(crate) fn free_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

/// The chain as one node stored it.
#[derive(Default)]
pub(crate) struct Chain {
    pub blocks: Vec<(Block, Vec<u8>)>,
}

/// Rejects blocks at `height` proposed by `proposer`.
#[derive(Clone, Copy)]
pub(crate) struct RejectRule {
    pub height: u64,
    pub proposer: Address,
}

pub(crate) struct TestHost {
    pub set: ValidatorSetInfo,
    pub chain: Arc<Mutex<Chain>>,
    pub reject: Option<RejectRule>,
    pub rejected: Arc<AtomicUsize>,
    /// What `has_pending_txs` answers.
    pub pending_txs: bool,
}

impl TestHost {
    pub(crate) fn new(set: ValidatorSetInfo) -> Self {
        Self {
            set,
            chain: Arc::default(),
            reject: None,
            rejected: Arc::default(),
            pending_txs: true,
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl ConsensusHost for TestHost {
    fn last_height(&self) -> Result<u64, HostError> {
        Ok(self.chain.lock().unwrap().blocks.len() as u64)
    }

    fn history_min_height(&self) -> u64 {
        1
    }

    fn validator_set(&self, _height: u64) -> Result<ValidatorSetInfo, HostError> {
        Ok(self.set.clone())
    }

    fn has_pending_txs(&self) -> bool {
        self.pending_txs
    }

    fn propose(&mut self, height: u64, round: u32, proposer: Address) -> Result<Block, HostError> {
        let chain = self.chain.lock().unwrap();
        let (prev_hash, prev_time) = chain
            .blocks
            .last()
            .map(|(b, _)| (b.hash(), b.header.time.0))
            .unwrap_or(([0; 32], 0));
        let txs = vec![
            format!("tx-{height}-{round}-a").into_bytes(),
            format!("tx-{height}-{round}-b-{proposer}").into_bytes(),
        ];
        Ok(Block {
            header: BlockHeader {
                chain_id: CHAIN.into(),
                height,
                time: BlockTime(now_ms().max(prev_time + 1)),
                prev_block_hash: prev_hash,
                app_hash: [0; 32],
                tx_root: tx_root(&txs),
                proposer,
                validator_set_hash: self.set.hash(),
                last_commit_hash: fructus_crypto::sha256(&[]),
                evidence_hash: fructus_types::block::evidence_hash(&[]),
            },
            txs,
            last_commit: Vec::new(),
            evidence: Vec::new(),
        })
    }

    fn validate(&self, block: &Block) -> Result<(), HostError> {
        self.check(block).map_err(HostError::invalid)
    }

    fn commit(&mut self, block: Block, certificate: Vec<u8>) -> Result<(), HostError> {
        self.store(block, certificate).map_err(HostError::fault)
    }

    fn decided(&self, height: u64) -> Option<(Block, Vec<u8>)> {
        let chain = self.chain.lock().unwrap();
        chain
            .blocks
            .get(usize::try_from(height).ok()?.checked_sub(1)?)
            .cloned()
    }
}

impl TestHost {
    fn check(&self, block: &Block) -> Result<(), String> {
        let chain = self.chain.lock().unwrap();
        let expected_height = chain.blocks.len() as u64 + 1;
        if block.header.height != expected_height {
            return Err(format!(
                "height {} != {expected_height}",
                block.header.height
            ));
        }
        let prev: Hash32 = chain
            .blocks
            .last()
            .map(|(b, _)| b.hash())
            .unwrap_or([0; 32]);
        if block.header.prev_block_hash != prev {
            return Err("prev hash mismatch".into());
        }
        if !block.tx_root_matches() {
            return Err("tx root mismatch".into());
        }
        if block.header.validator_set_hash != self.set.hash() {
            return Err("validator set hash mismatch".into());
        }
        if let Some(rule) = self.reject
            && block.header.height == rule.height
            && block.header.proposer == rule.proposer
        {
            self.rejected.fetch_add(1, Ordering::SeqCst);
            return Err("rejected by test rule".into());
        }
        Ok(())
    }

    fn store(&mut self, block: Block, certificate: Vec<u8>) -> Result<(), String> {
        let mut chain = self.chain.lock().unwrap();
        let expected = chain.blocks.len() as u64 + 1;
        if block.header.height != expected {
            return Err(format!(
                "commit height {} != {expected}",
                block.header.height
            ));
        }
        chain.blocks.push((block, certificate));
        Ok(())
    }
}

pub(crate) struct TestNode {
    pub chain: Arc<Mutex<Chain>>,
    pub address: Address,
    pub listen: SocketAddr,
    pub home: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    pub task: Option<JoinHandle<Result<(), ConsensusError>>>,
}

impl TestNode {
    pub(crate) fn height(&self) -> u64 {
        self.chain.lock().unwrap().blocks.len() as u64
    }

    pub(crate) fn block_hash(&self, height: u64) -> Option<Hash32> {
        let c = self.chain.lock().unwrap();
        c.blocks.get(height as usize - 1).map(|(b, _)| b.hash())
    }

    pub(crate) async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let r = tokio::time::timeout(Duration::from_secs(20), t)
                .await
                .expect("node did not stop in time")
                .expect("node task panicked");
            r.expect("node returned an error");
        }
    }
}

pub(crate) fn test_timeouts() -> Timeouts {
    Timeouts {
        propose: Duration::from_millis(1500),
        propose_delta: Duration::from_millis(250),
        prevote: Duration::from_millis(500),
        prevote_delta: Duration::from_millis(250),
        precommit: Duration::from_millis(500),
        precommit_delta: Duration::from_millis(250),
        rebroadcast: Duration::from_secs(2),
        max_timeout: Duration::from_secs(10),
        sync_status_interval: Duration::from_millis(500),
        sync_request_timeout: Duration::from_secs(5),
    }
}

pub(crate) fn config(
    key_index: u8,
    listen: SocketAddr,
    peers: Vec<SocketAddr>,
    home: &std::path::Path,
) -> ConsensusConfig {
    ConsensusConfig {
        chain_id: CHAIN.into(),
        moniker: format!("node-{key_index}-{}", listen.port()),
        home: home.to_path_buf(),
        listen_addr: listen,
        persistent_peers: peers,
        validator_key: validator_key(key_index),
        node_key_seed: [key_index.wrapping_add(100); 32],
        target_block_time: Duration::from_millis(50),
        max_idle_interval: Duration::from_millis(200),
        timeouts: test_timeouts(),
        max_block_bytes: 4 * 1024 * 1024,
    }
}

pub(crate) fn spawn(cfg: ConsensusConfig, host: TestHost) -> TestNode {
    let chain = host.chain.clone();
    let address = cfg.validator_key.public_key().address();
    let listen = cfg.listen_addr;
    let (tx, rx) = oneshot::channel::<()>();
    let home = tempfile::tempdir().unwrap();
    let mut cfg = cfg;
    cfg.home = home.path().to_path_buf();
    let task = tokio::spawn(fructus_consensus::run(cfg, host, async move {
        let _ = rx.await;
    }));
    TestNode {
        chain,
        address,
        listen,
        home,
        stop: Some(tx),
        task: Some(task),
    }
}

/// Polls `cond` every 20 ms until it holds or `limit` passes.
pub(crate) async fn wait_until(limit: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
