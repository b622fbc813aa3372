//! The contract between the API server and the node, and the JSON views.

use fructus_component::Event;
use fructus_crypto::{Address, PublicKey};
use fructus_types::{Coin, block::BlockHeader};

/// `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatusView {
    /// Chain id.
    pub chain_id: String,
    /// This node's moniker.
    pub moniker: String,
    /// Height of the last committed block (0 = genesis only).
    pub latest_height: u64,
    /// Its time, milliseconds since the epoch.
    pub latest_block_time: u64,
    /// Its hash (hex; empty before the first block).
    pub latest_block_hash: String,
    /// State root after it (hex).
    pub app_hash: String,
    /// Validators in the current set.
    pub validator_count: usize,
    /// True while the node is catching up with its peers.
    pub syncing: bool,
    /// Transactions waiting in the mempool.
    pub mempool_size: usize,
    /// Connected consensus peers.
    pub peers: usize,
}

/// The commit certificate of a block, summarized.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertificateView {
    /// Round in which the block was decided.
    pub round: u32,
    /// Validators whose precommits are in the certificate.
    pub signers: Vec<Address>,
}

/// `GET /v1/blocks/{height|latest}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlockView {
    /// Height.
    pub height: u64,
    /// Block hash (hex).
    pub hash: String,
    /// The header.
    pub header: BlockHeader,
    /// Hashes of its transactions, in order (hex, upper case).
    pub tx_hashes: Vec<String>,
    /// Its transactions, base64.
    pub txs: Vec<String>,
    /// State root after executing it (hex).
    pub app_hash_after: String,
    /// Who signed it.
    pub certificate: Option<CertificateView>,
    /// Events of its begin- and end-of-block hooks (slashing, jailing,
    /// unbonding payouts, contract periods); transactions' events are in
    /// their results.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// `GET /v1/txs/{hash}` and the result of `POST /v1/txs?wait=commit`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TxView {
    /// Hash (hex, upper case).
    pub hash: String,
    /// Block height.
    pub height: u64,
    /// Position in the block.
    pub index: u32,
    /// 0 = success.
    pub code: u32,
    /// Module that refused it (empty on success).
    pub codespace: String,
    /// Error message (empty on success).
    pub log: String,
    /// Gas limit.
    pub gas_wanted: u64,
    /// Gas used.
    pub gas_used: u64,
    /// Events.
    pub events: Vec<Event>,
    /// The signed transaction, base64.
    pub tx: String,
}

/// `GET /v1/accounts/{address}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountView {
    /// The address.
    pub address: Address,
    /// Its key, once it has signed.
    pub public_key: Option<PublicKey>,
    /// The nonce its next transaction must carry.
    pub nonce: u64,
    /// Non-zero balances.
    pub balances: Vec<Coin>,
    /// Height of the state read.
    pub height: u64,
}

/// `GET /v1/denoms` entries and `/v1/denoms/{denom}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DenomView {
    /// The denom.
    pub denom: String,
    /// Issuer (none for ufrx and module denoms).
    pub issuer: Option<Address>,
    /// Display symbol.
    pub symbol: String,
    /// Display decimals.
    pub decimals: u8,
    /// Holders must be KYC'd.
    pub kyc_only: bool,
    /// Total supply (base units, decimal string).
    pub supply: String,
}

/// `GET /v1/validators` entries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ValidatorView {
    /// Validator address.
    pub address: Address,
    /// Consensus key (ed25519, hex).
    pub public_key: String,
    /// Voting power.
    pub voting_power: u64,
}

/// `GET /v1/proofs/{hex key}`: a value (or its absence) with a Merkle proof
/// against the app hash of a committed height.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProofView {
    /// The key (hex).
    pub key: String,
    /// The value (hex), or null if absent.
    pub value: Option<String>,
    /// Height whose state was read.
    pub height: u64,
    /// That height's app hash (hex).
    pub app_hash: String,
    /// The proof (hex of `fructus_storage::MerkleProof::to_bytes`).
    pub proof: String,
}

/// Response of `POST /v1/txs`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubmitView {
    /// Transaction hash (hex, upper case).
    pub hash: String,
    /// Admission result: always true in a 2xx response (refusals are errors).
    pub admitted: bool,
    /// With `?wait=commit`: the execution result once included.
    pub result: Option<TxView>,
}

/// One transaction's admission in `POST /v1/txs/batch`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BatchItemView {
    /// Transaction hash (hex, upper case; empty if the item was not base64).
    pub hash: String,
    /// True if admitted into the mempool.
    pub admitted: bool,
    /// Why not, if refused (the same codes `POST /v1/txs` answers with).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// Response of `POST /v1/txs/batch`: one item per submitted transaction,
/// in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BatchSubmitView {
    /// How many were admitted.
    pub admitted: usize,
    /// How many were refused.
    pub refused: usize,
    /// Per transaction, in submission order.
    pub results: Vec<BatchItemView>,
}

/// A message on `WS /v1/subscribe`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeEvent {
    /// A block was committed.
    NewBlock {
        /// Height.
        height: u64,
        /// Hash (hex).
        hash: String,
        /// Time (ms).
        time: u64,
        /// Transactions in it.
        num_txs: usize,
    },
    /// An event emitted by a transaction of a committed block.
    TxEvent {
        /// Height.
        height: u64,
        /// Transaction hash (hex, upper case).
        tx_hash: String,
        /// The event.
        event: Event,
    },
    /// An event of a committed block's begin- or end-of-block hooks (no
    /// transaction): slashing, jailing, unbonding payouts, contract periods.
    BlockEvent {
        /// Height.
        height: u64,
        /// The event.
        event: Event,
    },
}

/// An API error: HTTP status plus the stable `{code, codespace, message}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
#[error("{codespace}#{code}: {message}")]
pub struct ApiError {
    /// HTTP status (400, 404, 413, 422, 429, 500, 503).
    #[serde(skip)]
    pub status: u16,
    /// Stable code within `codespace`.
    pub code: u32,
    /// Which part refused (`tx`, `bank`, `mempool`, `api`, …).
    pub codespace: String,
    /// What went wrong and what to do.
    pub message: String,
}

impl ApiError {
    /// Builds an error.
    pub fn new(status: u16, codespace: &str, code: u32, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            codespace: codespace.to_owned(),
            message: message.into(),
        }
    }

    /// 404 `api#2`.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(404, "api", 2, what)
    }

    /// 400 `api#1`.
    pub fn bad_request(what: impl Into<String>) -> Self {
        Self::new(400, "api", 1, what)
    }
}

/// What the node provides to the API. Reads must be quick (they run on the
/// async runtime); `submit` may wait (bounded by `wait_timeout`).
#[async_trait::async_trait]
pub trait NodeApi: Send + Sync + 'static {
    /// Node and chain status.
    fn status(&self) -> StatusView;
    /// A block by height (`None` = latest).
    fn block(&self, height: Option<u64>) -> Result<BlockView, ApiError>;
    /// A committed transaction by hash (hex).
    fn tx(&self, hash: &str) -> Result<TxView, ApiError>;
    /// An account at the latest height.
    fn account(&self, address: &Address) -> Result<AccountView, ApiError>;
    /// Registered denoms, in name order, after `start_after`, at most `limit`.
    fn denoms(&self, start_after: Option<&str>, limit: usize) -> Result<Vec<DenomView>, ApiError>;
    /// One denom.
    fn denom(&self, denom: &str) -> Result<DenomView, ApiError>;
    /// The current validator set.
    fn validators(&self) -> Result<Vec<ValidatorView>, ApiError>;
    /// A value with its Merkle proof at the latest height.
    fn proof(&self, key: &[u8]) -> Result<ProofView, ApiError>;
    /// Admits a signed transaction into the mempool (and gossips it); with
    /// `wait_for_commit`, returns once it is in a committed block (or errors
    /// with 504 `api#4` after the node's wait timeout).
    async fn submit(&self, tx: Vec<u8>, wait_for_commit: bool) -> Result<SubmitView, ApiError>;
    /// Admits several signed transactions, in order (a sender's consecutive
    /// nonces may come in one batch); one verdict (the hash, or why not)
    /// per transaction. Never waits for commit. The default admits them one
    /// by one; a node may check them in one parallel batch.
    async fn submit_batch(&self, txs: Vec<Vec<u8>>) -> Vec<Result<String, ApiError>> {
        let mut out = Vec::with_capacity(txs.len());
        for tx in txs {
            out.push(self.submit(tx, false).await.map(|v| v.hash));
        }
        out
    }
    /// A live feed of committed blocks and events.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<NodeEvent>;
    /// Prometheus text exposition of the node's metrics.
    fn metrics(&self) -> String;
    /// A read-only query answered by a module (e.g. `asset` for
    /// `GET /v1/assets/…`): `path` holds the URL segments after the
    /// module's prefix, `params` the query string. Returns JSON. Modules the
    /// node does not serve answer 404.
    fn module_query(
        &self,
        module: &str,
        path: &[String],
        params: &std::collections::BTreeMap<String, String>,
    ) -> Result<serde_json::Value, ApiError> {
        let _ = (path, params);
        Err(ApiError::not_found(format!(
            "this node serves no {module} queries"
        )))
    }
}
