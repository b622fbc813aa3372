//! The API contract of a Fructus node: the JSON views it answers with,
//! [`ApiError`] with its stable `api` codes, the [`NodeApi`] trait the node
//! implements for the server, the WebSocket [`NodeEvent`], the request
//! limits and the history API's shapes ([`history`]).
//!
//! Owns: the shapes both sides of the API agree on. Clients (the Rust SDK,
//! tests) depend on this crate alone, without compiling the axum server.
//! Must never: depend on the server (axum), storage, redb or jmt, or hold
//! logic beyond building errors.

pub mod history;

pub use fructus_component::Event;
use fructus_crypto::{Address, PublicKey};
use fructus_types::{Coin, block::BlockHeader};

pub use fructus_component::schema::{CoinSchema, PublicKeySchema};

/// `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CertificateView {
    /// Round in which the block was decided.
    pub round: u32,
    /// Validators whose precommits are in the certificate.
    #[schema(value_type = Vec<String>)]
    pub signers: Vec<Address>,
}

/// `GET /v1/blocks/{height|latest}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct BlockView {
    /// Height.
    pub height: u64,
    /// Block hash (hex).
    pub hash: String,
    /// The header.
    #[schema(value_type = Object)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AccountView {
    /// The address.
    #[schema(value_type = String)]
    pub address: Address,
    /// Its key, once it has signed.
    #[schema(value_type = Option<PublicKeySchema>)]
    pub public_key: Option<PublicKey>,
    /// The nonce its next transaction must carry.
    pub nonce: u64,
    /// Non-zero balances.
    #[schema(value_type = Vec<CoinSchema>)]
    pub balances: Vec<Coin>,
    /// Height of the state read.
    pub height: u64,
}

/// `GET /v1/denoms` entries and `/v1/denoms/{denom}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DenomView {
    /// The denom.
    pub denom: String,
    /// Issuer (none for ufrx and module denoms).
    #[schema(value_type = Option<String>)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ValidatorView {
    /// Validator address.
    #[schema(value_type = String)]
    pub address: Address,
    /// Consensus key (ed25519, hex).
    pub public_key: String,
    /// Voting power.
    pub voting_power: u64,
}

/// One precommit signature of a commit certificate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommitSignatureView {
    /// The signing validator's address.
    #[schema(value_type = String)]
    pub address: Address,
    /// Its ed25519 signature (hex, 64 bytes) of the precommit sign bytes
    /// `"fructus/consensus/vote/v1" ‖ borsh(chain id) ‖ borsh((1u8, height,
    /// Some(round), Some(block hash), address))`.
    pub signature: String,
}

/// `GET /v1/blocks/{height|latest}/commit`: a block's header and the full
/// commit certificate that decided it — what a light client verifies.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommitView {
    /// Height.
    pub height: u64,
    /// Round in which the block was decided.
    pub round: u32,
    /// Block hash (hex): SHA-256 of `header`.
    pub block_hash: String,
    /// The header's borsh encoding (hex): the exact bytes the block hash is
    /// of. Its `app_hash` is the state root after the *previous* height.
    pub header: String,
    /// Every precommit signature of the certificate.
    pub signatures: Vec<CommitSignatureView>,
}

/// `GET /v1/blocks/{height|latest}/validators`: the validator set that
/// signed a height.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ValidatorSetView {
    /// Height the set signed.
    pub height: u64,
    /// The set's hash (hex), as the height's header commits to it in
    /// `validator_set_hash`.
    pub hash: String,
    /// The validators (consensus keys and voting powers).
    pub validators: Vec<ValidatorView>,
}

/// `GET /v1/proofs/{hex key}`: a value (or its absence) with a Merkle proof
/// against the app hash of a committed height.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SubmitView {
    /// Transaction hash (hex, upper case).
    pub hash: String,
    /// Admission result: always true in a 2xx response (refusals are errors).
    pub admitted: bool,
    /// With `?wait=commit`: the execution result once included.
    pub result: Option<TxView>,
}

/// Response of `POST /v1/txs/simulate`: what including the transaction in
/// the next block would record, computed on the latest state and thrown
/// away (nothing is admitted, charged or written).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SimulateView {
    /// Transaction hash (hex, upper case).
    pub hash: String,
    /// 0 = it would succeed.
    pub code: u32,
    /// Module that would refuse it (empty on success).
    pub codespace: String,
    /// Why it would be refused (empty on success).
    pub log: String,
    /// Its gas limit.
    pub gas_wanted: u64,
    /// Gas it would use.
    pub gas_used: u64,
    /// Events it would emit (the fee's, and on success its messages').
    pub events: Vec<Event>,
}

/// One transaction's admission in `POST /v1/txs/batch`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct BatchSubmitView {
    /// How many were admitted.
    pub admitted: usize,
    /// How many were refused.
    pub refused: usize,
    /// Per transaction, in submission order.
    pub results: Vec<BatchItemView>,
}

/// A message on `WS /v1/subscribe`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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

/// Default page size of `GET /v1/denoms`.
pub const DEFAULT_DENOM_LIMIT: usize = 100;
/// Largest page size of `GET /v1/denoms`; larger limits are clamped.
pub const MAX_DENOM_LIMIT: usize = 1000;
/// Most transactions one `POST /v1/txs/batch` may carry.
pub const MAX_BATCH_TXS: usize = 2000;

/// Codespace of the API layer's own errors.
pub const API_CODESPACE: &str = "api";

/// The stable codes of codespace `api`.
pub mod codes {
    /// 400: malformed request (body not JSON, missing field, bad query).
    pub const BAD_REQUEST: u32 = 1;
    /// 404: no such route, or the node has no such object.
    pub const NOT_FOUND: u32 = 2;
    /// 400: the `tx` field is not valid base64 (or is empty).
    pub const BAD_BASE64: u32 = 3;
    /// 504: the transaction was not committed within the wait timeout.
    pub const WAIT_TIMEOUT: u32 = 4;
    /// 405: the route exists but not for this method.
    pub const METHOD_NOT_ALLOWED: u32 = 5;
    /// 413: the request body is larger than the configured limit.
    pub const BODY_TOO_LARGE: u32 = 6;
    /// 400: a block height that is neither a number nor `latest`.
    pub const BAD_HEIGHT: u32 = 7;
    /// 400: a transaction hash that is not 64 hex characters.
    pub const BAD_TX_HASH: u32 = 8;
    /// 400: an address that is not valid bech32 `fx1…`.
    pub const BAD_ADDRESS: u32 = 9;
    /// 400: a state key that is not hex.
    pub const BAD_HEX: u32 = 10;
    /// 500: the node failed internally while serving the request.
    pub const INTERNAL: u32 = 11;
    /// 400 (or 426): `/v1/subscribe` was called without a WebSocket upgrade.
    pub const NOT_WEBSOCKET: u32 = 12;
    /// 503: the WebSocket subscription cap (in total or for the caller's IP
    /// address) is reached; retry later or close another subscription.
    pub const TOO_MANY_SUBSCRIPTIONS: u32 = 13;
}

/// An API error: HTTP status plus the stable `{code, codespace, message}`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    thiserror::Error,
    utoipa::ToSchema,
)]
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
        Self::new(404, API_CODESPACE, codes::NOT_FOUND, what)
    }

    /// 400 `api#1`.
    pub fn bad_request(what: impl Into<String>) -> Self {
        Self::new(400, API_CODESPACE, codes::BAD_REQUEST, what)
    }

    /// 400 `api#3`: bad base64.
    pub fn bad_base64(what: impl Into<String>) -> Self {
        Self::new(400, API_CODESPACE, codes::BAD_BASE64, what)
    }

    /// 504 `api#4`: not committed in time.
    pub fn wait_timeout(what: impl Into<String>) -> Self {
        Self::new(504, API_CODESPACE, codes::WAIT_TIMEOUT, what)
    }

    /// 405 `api#5`.
    pub fn method_not_allowed(what: impl Into<String>) -> Self {
        Self::new(405, API_CODESPACE, codes::METHOD_NOT_ALLOWED, what)
    }

    /// 413 `api#6`.
    pub fn body_too_large(what: impl Into<String>) -> Self {
        Self::new(413, API_CODESPACE, codes::BODY_TOO_LARGE, what)
    }

    /// 500 `api#11`.
    pub fn internal(what: impl Into<String>) -> Self {
        Self::new(500, API_CODESPACE, codes::INTERNAL, what)
    }

    /// A 400 `api` error with the given code.
    pub fn invalid(code: u32, what: impl Into<String>) -> Self {
        Self::new(400, API_CODESPACE, code, what)
    }

    /// The HTTP status to answer with: the error's own if it is a 4xx/5xx
    /// status, else 500.
    pub fn http_status(&self) -> u16 {
        if (400..=599).contains(&self.status) {
            self.status
        } else {
            500
        }
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
    /// A value with its Merkle proof in the state after `height` (`None` =
    /// the latest height).
    fn proof(&self, key: &[u8], height: Option<u64>) -> Result<ProofView, ApiError>;
    /// A block's header and full commit certificate (`None` = latest).
    fn commit(&self, height: Option<u64>) -> Result<CommitView, ApiError>;
    /// The validator set that signed `height` (`None` = latest).
    fn validator_set(&self, height: Option<u64>) -> Result<ValidatorSetView, ApiError>;
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
    /// Runs a transaction (signed or not: its signature is not checked) on
    /// the latest state as the next block would, without keeping anything.
    fn simulate(&self, tx: Vec<u8>) -> Result<SimulateView, ApiError>;
    /// A live feed of committed blocks and events.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<NodeEvent>;
    /// Prometheus text exposition of the node's metrics.
    fn metrics(&self) -> String;
    /// Answers a `/v1/history/…` query from the node's indexer. The default
    /// (a node without one) is 404 `node#4`.
    async fn history(
        &self,
        query: history::HistoryQuery,
    ) -> Result<history::HistoryAnswer, ApiError> {
        let _ = query;
        Err(ApiError::new(
            404,
            "node",
            4,
            "the history indexer is off: start the node with --indexer (or set [indexer] enabled = true)",
        ))
    }
}
