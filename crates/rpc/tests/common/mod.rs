//! A fake node behind the real API server, and helpers to talk to it.

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fructus_component::Event;
use fructus_component::query::QueryAt;
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_rpc::{
    AccountView, ApiConfig, ApiError, BlockView, CertificateView, CommitSignatureView, CommitView,
    DenomView, NodeApi, NodeEvent, NodeState, ProofView, RpcError, SimulateView, StatusView,
    SubmitView, TxView, ValidatorSetView, ValidatorView,
};
use fructus_storage::{ChangeSet, Storage};
use fructus_types::block::BlockHeader;
use fructus_types::tx::TxHash;
use fructus_types::{BlockTime, Coin};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;

/// Bytes of the one committed transaction.
pub const KNOWN_TX: &[u8] = &[1, 2, 3];
/// State keys committed in the fake's storage.
pub const STATE: &[(&[u8], &[u8])] = &[(b"alpha", b"one"), (b"beta", b"two")];

/// What the fake does to the proofs it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// Serve genuine proofs.
    None,
    /// Change the value.
    Value,
    /// Change the app hash.
    AppHash,
    /// Answer for another key.
    Key,
}

pub struct FakeNode {
    pub events: broadcast::Sender<NodeEvent>,
    pub storage: Storage,
    pub tamper: Mutex<Tamper>,
    _dir: tempfile::TempDir,
}

pub fn known_address() -> Address {
    Address::from_public_key(&known_key().public_key())
}

pub fn other_address() -> Address {
    Address::from_bytes([9u8; 20])
}

pub fn known_key() -> SigningKey {
    SigningKey::from_seed(KeyAlgo::Ed25519, &[7u8; 32]).unwrap()
}

pub fn known_tx_hash() -> String {
    TxHash::of(KNOWN_TX).to_string()
}

pub fn tx_view(tx: &[u8], height: u64) -> TxView {
    use base64::Engine as _;
    TxView {
        hash: TxHash::of(tx).to_string(),
        height,
        index: 0,
        code: 0,
        codespace: String::new(),
        log: String::new(),
        gas_wanted: 100_000,
        gas_used: 42_000,
        events: vec![
            Event::new("bank.transfer")
                .attr("sender", known_address())
                .attr("amount", "5ufrx"),
        ],
        tx: base64::engine::general_purpose::STANDARD.encode(tx),
    }
}

fn denom(name: &str, symbol: &str) -> DenomView {
    DenomView {
        denom: name.to_owned(),
        issuer: None,
        symbol: symbol.to_owned(),
        decimals: 6,
        kyc_only: name.starts_with("share/"),
        supply: "1000000".to_owned(),
    }
}

impl FakeNode {
    pub fn new(event_capacity: usize) -> Arc<Self> {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(&dir.path().join("state")).unwrap();
        let mut changes = ChangeSet::new();
        for (k, v) in STATE {
            changes.put(k.to_vec(), v.to_vec());
        }
        storage.commit(changes, 0).unwrap();
        let (events, _) = broadcast::channel(event_capacity);
        Arc::new(FakeNode {
            events,
            storage,
            tamper: Mutex::new(Tamper::None),
            _dir: dir,
        })
    }

    pub fn app_hash(&self) -> String {
        hex::encode(self.storage.root_hash(0).unwrap().0)
    }

    pub fn push(&self, event: NodeEvent) {
        // No subscriber is fine.
        let _ = self.events.send(event);
    }

    fn header(&self, height: u64) -> BlockHeader {
        BlockHeader {
            chain_id: "fructus-test".to_owned(),
            height,
            time: BlockTime(1_700_000_000_000 + height * 1000),
            prev_block_hash: [height as u8; 32],
            app_hash: self.storage.root_hash(0).unwrap().0,
            tx_root: [0xAA; 32],
            proposer: known_address(),
            validator_set_hash: [0xBB; 32],
            last_commit_hash: [0xCC; 32],
            evidence_hash: [0xDD; 32],
        }
    }

    fn denoms_all() -> Vec<DenomView> {
        vec![
            denom("share/7", "SHARE7"),
            denom("ufrx", "FRX"),
            denom("uusd", "USD"),
        ]
    }
}

#[async_trait::async_trait]
impl NodeApi for FakeNode {
    fn status(&self) -> StatusView {
        StatusView {
            chain_id: "fructus-test".to_owned(),
            moniker: "fake".to_owned(),
            latest_height: 2,
            latest_block_time: 1_700_000_002_000,
            latest_block_hash: hex::encode(self.header(2).hash()),
            app_hash: self.app_hash(),
            validator_count: 1,
            syncing: false,
            mempool_size: 0,
            peers: 0,
        }
    }

    fn block(&self, height: Option<u64>) -> Result<BlockView, ApiError> {
        let height = height.unwrap_or(2);
        if !(1..=2).contains(&height) {
            return Err(ApiError::not_found(format!("no block at height {height}")));
        }
        let header = self.header(height);
        let (tx_hashes, txs) = if height == 2 {
            use base64::Engine as _;
            (
                vec![known_tx_hash()],
                vec![base64::engine::general_purpose::STANDARD.encode(KNOWN_TX)],
            )
        } else {
            (vec![], vec![])
        };
        Ok(BlockView {
            height,
            hash: hex::encode(header.hash()),
            header,
            tx_hashes,
            txs,
            app_hash_after: self.app_hash(),
            certificate: Some(CertificateView {
                round: 0,
                signers: vec![known_address()],
            }),
            events: vec![
                fructus_component::Event::new("staking.unbonding_completed")
                    .attr("delegator", known_address())
                    .attr("amount", 5u128),
            ],
        })
    }

    fn tx(&self, hash: &str) -> Result<TxView, ApiError> {
        if hash == known_tx_hash() {
            Ok(tx_view(KNOWN_TX, 2))
        } else {
            Err(ApiError::not_found(format!("no transaction {hash}")))
        }
    }

    fn account(&self, address: &Address) -> Result<AccountView, ApiError> {
        if *address == known_address() {
            Ok(AccountView {
                address: *address,
                public_key: Some(known_key().public_key()),
                nonce: 3,
                balances: vec![Coin::new("ufrx".parse().unwrap(), 1_000u128)],
                height: 2,
            })
        } else {
            Ok(AccountView {
                address: *address,
                public_key: None,
                nonce: 0,
                balances: vec![],
                height: 2,
            })
        }
    }

    fn denoms(&self, start_after: Option<&str>, limit: usize) -> Result<Vec<DenomView>, ApiError> {
        Ok(Self::denoms_all()
            .into_iter()
            .filter(|d| start_after.is_none_or(|after| d.denom.as_str() > after))
            .take(limit)
            .collect())
    }

    fn denom(&self, denom: &str) -> Result<DenomView, ApiError> {
        if denom == "panic" {
            panic!("fake node panics on purpose");
        }
        Self::denoms_all()
            .into_iter()
            .find(|d| d.denom == denom)
            .ok_or_else(|| ApiError::not_found(format!("no denom {denom}")))
    }

    fn validators(&self) -> Result<Vec<ValidatorView>, ApiError> {
        Ok(vec![ValidatorView {
            address: known_address(),
            public_key: known_key().public_key().to_hex(),
            voting_power: 10,
        }])
    }

    fn proof(&self, key: &[u8], _height: Option<u64>) -> Result<ProofView, ApiError> {
        let tamper = *self.tamper.lock().unwrap();
        let asked = if tamper == Tamper::Key {
            b"beta".as_slice()
        } else {
            key
        };
        let (value, proof) = self
            .storage
            .get_with_proof(asked, 0)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let mut view = ProofView {
            key: hex::encode(asked),
            value: value.map(hex::encode),
            height: 0,
            app_hash: self.app_hash(),
            proof: hex::encode(proof.to_bytes()),
        };
        match tamper {
            Tamper::Value => view.value = Some(hex::encode(b"forged")),
            Tamper::AppHash => view.app_hash = hex::encode([0x11u8; 32]),
            Tamper::None | Tamper::Key => {}
        }
        Ok(view)
    }

    fn commit(&self, height: Option<u64>) -> Result<CommitView, ApiError> {
        let height = height.unwrap_or(2);
        if !(1..=2).contains(&height) {
            return Err(ApiError::not_found(format!("no block at height {height}")));
        }
        let header = self.header(height);
        Ok(CommitView {
            height,
            round: 0,
            block_hash: hex::encode(header.hash()),
            header: hex::encode(borsh::to_vec(&header).unwrap()),
            signatures: vec![CommitSignatureView {
                address: known_address(),
                signature: hex::encode([0u8; 64]),
            }],
        })
    }

    fn validator_set(&self, height: Option<u64>) -> Result<ValidatorSetView, ApiError> {
        let height = height.unwrap_or(2);
        if !(1..=2).contains(&height) {
            return Err(ApiError::not_found(format!("no block at height {height}")));
        }
        Ok(ValidatorSetView {
            height,
            hash: hex::encode([0xBBu8; 32]),
            validators: self.validators()?,
        })
    }

    async fn submit(&self, tx: Vec<u8>, wait_for_commit: bool) -> Result<SubmitView, ApiError> {
        match tx.first() {
            Some(0x01) => Ok(SubmitView {
                hash: TxHash::of(&tx).to_string(),
                admitted: true,
                result: wait_for_commit.then(|| tx_view(&tx, 3)),
            }),
            Some(0x02) => {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Err(ApiError::internal("slept too long"))
            }
            Some(0xFF) => panic!("fake node panics in submit"),
            _ => Err(ApiError::new(
                422,
                "tx",
                13,
                "cannot decode transaction: expected a signed transaction",
            )),
        }
    }

    fn simulate(&self, tx: Vec<u8>) -> Result<SimulateView, ApiError> {
        // The fake runs nothing: a transaction starting with 0x01 would
        // succeed, anything else would fail in the bank.
        let ok = tx.first() == Some(&0x01);
        Ok(SimulateView {
            hash: TxHash::of(&tx).to_string(),
            code: if ok { 0 } else { 2 },
            codespace: if ok { String::new() } else { "bank".into() },
            log: String::new(),
            gas_wanted: 200_000,
            gas_used: 1_000,
            events: Vec::new(),
        })
    }

    fn subscribe(&self) -> broadcast::Receiver<NodeEvent> {
        self.events.subscribe()
    }

    fn metrics(&self) -> String {
        "# HELP fructus_height Last committed height.\n# TYPE fructus_height gauge\nfructus_height 2\n"
            .to_owned()
    }
}

impl NodeState for FakeNode {
    fn query_state(&self) -> Result<(fructus_storage::Snapshot, QueryAt), ApiError> {
        let snapshot = self
            .storage
            .latest_snapshot()
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let at = QueryAt {
            height: 0,
            time: BlockTime(0),
        };
        Ok((snapshot, at))
    }
}

/// A server on a real loopback port.
pub struct TestServer {
    pub addr: SocketAddr,
    pub node: Arc<FakeNode>,
    pub shutdown: Option<oneshot::Sender<()>>,
    pub handle: JoinHandle<Result<(), RpcError>>,
}

impl TestServer {
    pub async fn start(config: ApiConfig) -> Self {
        Self::start_with(FakeNode::new(64), config).await
    }

    pub async fn start_with(node: Arc<FakeNode>, config: ApiConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let dyn_node: Arc<dyn NodeState> = node.clone();
        let handle = tokio::spawn(fructus_rpc::serve(listener, dyn_node, config, async move {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            node,
            shutdown: Some(tx),
            handle,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs `f` with a blocking client of this server, off the runtime
    /// (the client must be created and dropped outside async code).
    pub async fn with_client<T: Send + 'static>(
        &self,
        f: impl FnOnce(fructus_client::http::NodeClient) -> T + Send + 'static,
    ) -> T {
        let url = self.url();
        blocking(move || {
            let client = fructus_client::http::NodeClient::new(&url)
                .unwrap()
                .with_timeout(Duration::from_secs(10));
            f(client)
        })
        .await
    }

    /// Stops the server and waits (bounded) for `serve` to return.
    pub async fn stop(mut self) -> Result<(), RpcError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(10), self.handle)
            .await
            .expect("serve did not return within 10 s after shutdown")
            .expect("serve task failed")
    }
}

/// Runs blocking client code off the runtime, bounded.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::time::timeout(Duration::from_secs(20), tokio::task::spawn_blocking(f))
        .await
        .expect("blocking call timed out")
        .expect("blocking call panicked")
}

/// A raw HTTP response.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Raw {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }

    /// Asserts a JSON error `{code, codespace, message}` with this status.
    pub fn assert_error(&self, status: u16, codespace: &str, code: u64) -> String {
        assert_eq!(self.status, status, "{self:?}");
        assert!(
            self.header("content-type")
                .is_some_and(|v| v.starts_with("application/json")),
            "{self:?}"
        );
        let json = self.json();
        assert_eq!(json["codespace"], codespace, "{self:?}");
        assert_eq!(json["code"], code, "{self:?}");
        let message = json["message"].as_str().unwrap().to_owned();
        assert!(!message.is_empty());
        message
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
}

/// Sends raw bytes and reads the whole response (the request should carry
/// `Connection: close`).
pub async fn raw_bytes(addr: SocketAddr, request: &[u8]) -> Raw {
    let run = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut buf = Vec::new();
        // The server may close while we still write; whatever it answered
        // before is what counts.
        let _ = stream.read_to_end(&mut buf).await;
        buf
    };
    let buf = tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("raw HTTP request timed out");
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let (status_line, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {text:?}"));
    let mut raw = Raw {
        status,
        headers: headers.to_owned(),
        body: body.to_owned(),
    };
    if raw
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        raw.body = dechunk(&raw.body);
    }
    raw
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

/// `METHOD path` with an optional body.
pub async fn raw(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Raw {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        request.push_str("\r\n");
    }
    raw_bytes(addr, request.as_bytes()).await
}
