//! A blocking HTTP client for a node's REST API (served by `fructus-rpc`;
//! the views come from `fructus-rpc-types`), used by the CLI and tests.
//!
//! Every call returns a typed [`ClientError`]: the node unreachable
//! ([`ClientError::Connect`]), a refusal with its stable
//! `{code, codespace, message}` ([`ClientError::Api`]), an answer that does
//! not parse ([`ClientError::Decode`]), a proof that does not verify
//! ([`ClientError::BadProof`]), a header, certificate or validator set that
//! does not verify against the trusted validators
//! ([`ClientError::Untrusted`]) or no answer in time
//! ([`ClientError::Timeout`]).
//!
//! The client uses `reqwest::blocking`, which runs its own small runtime:
//! create, use and drop it on plain threads (or inside
//! `tokio::task::spawn_blocking`), never directly in async code (reqwest
//! panics when its runtime is dropped there).

use std::time::Duration;

use fructus_crypto::Address;
use fructus_light::{RootHash, StateProof};
use fructus_rpc_types::{
    AccountView, ApiError, CertificateView, DenomView, ProofView, StatusView, SubmitView, TxView,
    ValidatorView,
};
use reqwest::blocking::{Client, RequestBuilder};
use serde::de::DeserializeOwned;

/// Default timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Extra time a `wait_for_commit` submission is given on top of the request
/// timeout (the server itself waits at most its `wait_timeout`, 30 s by
/// default).
pub const COMMIT_WAIT_EXTRA: Duration = Duration::from_secs(35);

/// Largest number of pages [`NodeClient::denoms`] follows.
const MAX_DENOM_PAGES: usize = 10_000;

/// Page size [`NodeClient::denoms`] asks for.
const DENOM_PAGE: usize = 1000;

/// What went wrong talking to a node.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The base URL is not a usable `http(s)://host:port` URL.
    #[error("bad node URL {url:?}: {message}")]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// Why it is refused.
        message: String,
    },
    /// No connection could be made.
    #[error(
        "cannot reach the node at {url}: {message}; is the node running? start it with `fructus devnet` or pass --node"
    )]
    Connect {
        /// The URL requested.
        url: String,
        /// The transport's message.
        message: String,
    },
    /// The node refused the request (`{code, codespace, message}` and the
    /// HTTP status in `status`). An error body that is not JSON becomes
    /// codespace `http` with the status as code.
    #[error("the node refused the request: {0}")]
    Api(ApiError),
    /// The node answered something that is not the expected JSON.
    #[error("cannot decode the node's answer from {url}: {message}")]
    Decode {
        /// The URL requested.
        url: String,
        /// What did not parse.
        message: String,
    },
    /// A Merkle proof (or the data around it) did not verify.
    #[error("proof for key {key} does not verify: {message}")]
    BadProof {
        /// The key (hex).
        key: String,
        /// Why.
        message: String,
    },
    /// The node did not answer in time.
    #[error("the node at {url} did not answer within {after:?}")]
    Timeout {
        /// The URL requested.
        url: String,
        /// The timeout that expired.
        after: Duration,
    },
    /// A header, certificate or validator set the node served does not
    /// verify against the validators the client trusts.
    #[error(
        "the node's answer does not verify against the trusted validators: {message}; use another node, or check the trust root (genesis file or pinned checkpoint)"
    )]
    Untrusted {
        /// What did not verify.
        message: String,
    },
}

impl From<fructus_light::LightError> for ClientError {
    fn from(err: fructus_light::LightError) -> Self {
        ClientError::Untrusted {
            message: err.to_string(),
        }
    }
}

impl ClientError {
    /// The API error, if the node refused the request.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ClientError::Api(err) => Some(err),
            _ => None,
        }
    }
}

/// A block as served by `GET /v1/blocks/{height}` (the client-side,
/// deserializable mirror of `fructus_rpc_types::BlockView`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlockInfo {
    /// Height.
    pub height: u64,
    /// Block hash (hex).
    pub hash: String,
    /// The header.
    pub header: HeaderInfo,
    /// Hashes of its transactions, in order (hex, upper case).
    pub tx_hashes: Vec<String>,
    /// Its transactions, base64.
    pub txs: Vec<String>,
    /// State root after executing it (hex).
    pub app_hash_after: String,
    /// Who signed it.
    #[serde(default)]
    pub certificate: Option<CertificateView>,
    /// Events of its begin- and end-of-block hooks (slashing, jailing,
    /// unbonding payouts, contract periods).
    #[serde(default)]
    pub events: Vec<fructus_rpc_types::Event>,
}

/// A block header as JSON (mirror of `fructus_types::block::BlockHeader`,
/// hashes as hex strings).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeaderInfo {
    /// The chain id.
    pub chain_id: String,
    /// Height.
    pub height: u64,
    /// Proposer's timestamp, ms since the epoch.
    pub time: u64,
    /// Previous header's hash (hex).
    pub prev_block_hash: String,
    /// State root after the previous block (hex).
    pub app_hash: String,
    /// Merkle root of the transaction hashes (hex).
    pub tx_root: String,
    /// The proposer's address.
    pub proposer: Address,
    /// Hash of the validator set that signs this height (hex).
    pub validator_set_hash: String,
    /// SHA-256 of the previous height's commit certificate the block
    /// carries (hex).
    pub last_commit_hash: String,
    /// SHA-256 of the double-sign evidence the block carries (hex).
    pub evidence_hash: String,
}

/// Body of `POST /v1/txs`.
#[derive(serde::Serialize)]
struct SubmitRequest<'a> {
    tx: &'a str,
}

/// A blocking client of one node's REST API.
#[derive(Debug, Clone)]
pub struct NodeClient {
    base: String,
    http: Client,
    timeout: Duration,
}

impl NodeClient {
    /// A client of the node at `base_url` (`http://127.0.0.1:1317`, or
    /// `https://…`, checked with rustls against the webpki root
    /// certificates; a bare `host:port` means `http://host:port`), with a
    /// 30 s timeout.
    pub fn new(base_url: &str) -> Result<Self, ClientError> {
        Self::build(base_url, DEFAULT_TIMEOUT)
    }

    /// The same client with another per-request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn build(base_url: &str, timeout: Duration) -> Result<Self, ClientError> {
        let trimmed = base_url.trim();
        let base = if trimmed.contains("://") {
            trimmed.trim_end_matches('/').to_owned()
        } else {
            format!("http://{}", trimmed.trim_end_matches('/'))
        };
        let invalid = |message: String| ClientError::InvalidUrl {
            url: base_url.to_owned(),
            message,
        };
        let url = reqwest::Url::parse(&base).map_err(|err| invalid(err.to_string()))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(invalid(format!(
                "scheme {:?} is not supported; use https:// (or http:// to a node you trust on a path you trust)",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("no host".to_owned()));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("a node URL has no query or fragment".to_owned()));
        }
        // The timeout is set per request (see `send`).
        let http = Client::builder()
            .timeout(None)
            .build()
            .map_err(|err| invalid(err.to_string()))?;
        Ok(NodeClient {
            base,
            http,
            timeout,
        })
    }

    /// The node's base URL (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `GET /metrics`: the node's Prometheus text.
    pub fn metrics(&self) -> Result<String, ClientError> {
        let url = self.url("/metrics");
        let response = self
            .http
            .get(&url)
            .send()
            .map_err(|err| ClientError::Connect {
                url: url.clone(),
                message: error_chain(&err),
            })?;
        response.text().map_err(|err| ClientError::Decode {
            url,
            message: error_chain(&err),
        })
    }

    /// `GET /v1/status`.
    pub fn status(&self) -> Result<StatusView, ClientError> {
        self.get("/v1/status")
    }

    /// `GET /v1/blocks/{height}`; `None` = the latest block.
    pub fn block(&self, height: Option<u64>) -> Result<BlockInfo, ClientError> {
        match height {
            Some(height) => self.get(&format!("/v1/blocks/{height}")),
            None => self.get("/v1/blocks/latest"),
        }
    }

    /// `GET /v1/txs/{hash}` (hash: 64 hex characters).
    pub fn tx(&self, hash: &str) -> Result<TxView, ClientError> {
        self.get(&format!("/v1/txs/{}", encode_segment(hash)))
    }

    /// `GET /v1/accounts/{address}` (a missing account has nonce 0, no key
    /// and no balances).
    pub fn account(&self, address: &Address) -> Result<AccountView, ClientError> {
        self.get(&format!("/v1/accounts/{address}"))
    }

    /// One page of `GET /v1/denoms`: denoms after `start_after`, at most
    /// `limit` (the node clamps to 1..=1000).
    pub fn denoms_page(
        &self,
        start_after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<DenomView>, ClientError> {
        let mut path = format!("/v1/denoms?limit={limit}");
        if let Some(after) = start_after {
            path.push_str("&start_after=");
            path.push_str(&encode_segment(after));
        }
        self.get(&path)
    }

    /// Every registered denom, following pages.
    pub fn denoms(&self) -> Result<Vec<DenomView>, ClientError> {
        let mut all: Vec<DenomView> = Vec::new();
        for _ in 0..MAX_DENOM_PAGES {
            let after = all.last().map(|d| d.denom.clone());
            let page = self.denoms_page(after.as_deref(), DENOM_PAGE)?;
            let full = page.len() >= DENOM_PAGE;
            // A node that does not move forward would loop forever.
            let progressed = match (after.as_deref(), page.last()) {
                (Some(after), Some(last)) => last.denom.as_str() > after,
                _ => true,
            };
            all.extend(page);
            if !full || !progressed {
                break;
            }
        }
        Ok(all)
    }

    /// `GET /v1/denoms/{denom}` (the denom may contain `/`).
    pub fn denom(&self, denom: &str) -> Result<DenomView, ClientError> {
        let path = denom
            .split('/')
            .map(encode_segment)
            .collect::<Vec<_>>()
            .join("/");
        self.get(&format!("/v1/denoms/{path}"))
    }

    /// `GET /v1/validators`.
    pub fn validators(&self) -> Result<Vec<ValidatorView>, ClientError> {
        self.get("/v1/validators")
    }

    /// `POST /v1/txs`: submits signed transaction bytes. With
    /// `wait_for_commit`, answers once the transaction is in a committed
    /// block (`result` holds its execution result); the request may then
    /// take up to the timeout plus [`COMMIT_WAIT_EXTRA`].
    pub fn submit(
        &self,
        tx_bytes: &[u8],
        wait_for_commit: bool,
    ) -> Result<SubmitView, ClientError> {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(tx_bytes);
        let path = if wait_for_commit {
            "/v1/txs?wait=commit"
        } else {
            "/v1/txs"
        };
        let url = self.url(path);
        let request = self.http.post(&url).json(&SubmitRequest { tx: &encoded });
        let timeout = if wait_for_commit {
            self.timeout.saturating_add(COMMIT_WAIT_EXTRA)
        } else {
            self.timeout
        };
        self.send(request, &url, timeout)
    }

    /// `POST /v1/txs/simulate`: what including `tx_bytes` in the next block
    /// would record, computed on the node's latest state and discarded (its
    /// signature is not checked).
    pub fn simulate(
        &self,
        tx_bytes: &[u8],
    ) -> Result<fructus_rpc_types::SimulateView, ClientError> {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(tx_bytes);
        let url = self.url("/v1/txs/simulate");
        let request = self.http.post(&url).json(&SubmitRequest { tx: &encoded });
        self.send(request, &url, self.timeout)
    }

    /// `POST /v1/txs/batch`: submits up to [`fructus_rpc_types::MAX_BATCH_TXS`]
    /// signed transactions at once; one verdict per transaction, in order
    /// (never waits for commit).
    pub fn submit_batch(
        &self,
        txs: &[Vec<u8>],
    ) -> Result<fructus_rpc_types::BatchSubmitView, ClientError> {
        use base64::Engine as _;
        let encoded: Vec<String> = txs
            .iter()
            .map(|tx| base64::engine::general_purpose::STANDARD.encode(tx))
            .collect();
        let url = self.url("/v1/txs/batch");
        let request = self
            .http
            .post(&url)
            .json(&serde_json::json!({ "txs": encoded }));
        self.send(request, &url, self.timeout)
    }

    /// `GET /v1/proofs/{hex key}`: the raw value and proof, unverified.
    pub fn proof(&self, key: &[u8]) -> Result<ProofView, ClientError> {
        self.get(&format!("/v1/proofs/{}", hex::encode(key)))
    }

    /// The value of state `key` (or `None` if absent), verified against the
    /// app hash the node returns with it ([`verify_proof`]).
    ///
    /// Note: this proves the value against *the node's claimed* app hash,
    /// which a lying node chooses. Where the answer must not be the node's
    /// word, verify a header first and read with
    /// [`NodeClient::verified_get_at`] (see [`crate::light`]).
    pub fn verified_get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, ClientError> {
        let view = self.proof(key)?;
        verify_proof(key, &view)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET` any API path (e.g. `/v1/assets/7/holders`) as JSON.
    pub fn get_json(&self, path: &str) -> Result<serde_json::Value, ClientError> {
        self.get(path)
    }

    pub(crate) fn get_json_as<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.get(path)
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let url = self.url(path);
        self.send(self.http.get(&url), &url, self.timeout)
    }

    fn send<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        url: &str,
        timeout: Duration,
    ) -> Result<T, ClientError> {
        let transport = |err: reqwest::Error| {
            if err.is_timeout() {
                ClientError::Timeout {
                    url: url.to_owned(),
                    after: timeout,
                }
            } else if err.is_connect() || err.is_request() {
                ClientError::Connect {
                    url: url.to_owned(),
                    message: error_chain(&err),
                }
            } else {
                ClientError::Decode {
                    url: url.to_owned(),
                    message: error_chain(&err),
                }
            }
        };
        let response = request.timeout(timeout).send().map_err(transport)?;
        let status = response.status();
        let body = response.bytes().map_err(transport)?;
        if !status.is_success() {
            return Err(ClientError::Api(api_error(status.as_u16(), &body)));
        }
        serde_json::from_slice(&body).map_err(|err| ClientError::Decode {
            url: url.to_owned(),
            message: format!(
                "{err} (HTTP {status}, body starts {:?})",
                String::from_utf8_lossy(body.get(..body.len().min(200)).unwrap_or_default())
            ),
        })
    }
}

/// The error of a non-2xx answer: its JSON `{code, codespace, message}`, or
/// codespace `http` with the status as code when the body is not that.
fn api_error(status: u16, body: &[u8]) -> ApiError {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(mut err) => {
            err.status = status;
            err
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body.get(..body.len().min(500)).unwrap_or_default())
                .trim()
                .to_owned();
            let message = if text.is_empty() {
                format!("HTTP {status}")
            } else {
                format!("HTTP {status}: {text}")
            };
            ApiError::new(status, "http", u32::from(status), message)
        }
    }
}

/// The error and its sources, `: `-separated.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = inner.source();
    }
    message
}

/// Percent-encodes one path or query segment (everything but RFC 3986
/// unreserved characters).
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Verifies a [`ProofView`] for `key`: the key is the one asked for, the
/// proof decodes, and it proves the returned value (membership) or the
/// key's absence (non-membership) under the returned app hash. Returns the
/// proven value.
///
/// The proof is checked by `fructus-light` (no storage linked). This
/// trusts the app hash in the view; [`verify_proof_against`] checks against
/// an app hash the caller verified instead.
pub fn verify_proof(key: &[u8], view: &ProofView) -> Result<Option<Vec<u8>>, ClientError> {
    let root: [u8; 32] = hex::decode(&view.app_hash)
        .ok()
        .and_then(|r| r.try_into().ok())
        .ok_or_else(|| ClientError::BadProof {
            key: hex::encode(key),
            message: "app hash is not 32 bytes of hex".to_owned(),
        })?;
    verify_proof_against(key, view, root)
}

/// Verifies a [`ProofView`] for `key` against the trusted root `app_hash`
/// (from a verified header), whatever root the view claims.
pub fn verify_proof_against(
    key: &[u8],
    view: &ProofView,
    app_hash: [u8; 32],
) -> Result<Option<Vec<u8>>, ClientError> {
    let bad = |message: String| ClientError::BadProof {
        key: hex::encode(key),
        message,
    };
    let returned_key =
        hex::decode(&view.key).map_err(|err| bad(format!("returned key is not hex: {err}")))?;
    if returned_key != key {
        return Err(bad(format!(
            "the node answered for key {} instead",
            view.key
        )));
    }
    let root = RootHash(app_hash);
    let proof_bytes =
        hex::decode(&view.proof).map_err(|err| bad(format!("proof is not hex: {err}")))?;
    let proof = StateProof::decode(&proof_bytes).map_err(|err| bad(err.to_string()))?;
    match &view.value {
        Some(value) => {
            let value =
                hex::decode(value).map_err(|err| bad(format!("value is not hex: {err}")))?;
            proof
                .verify_membership(&root, key, &value)
                .map_err(|err| bad(err.to_string()))?;
            Ok(Some(value))
        }
        None => {
            proof
                .verify_non_membership(&root, key)
                .map_err(|err| bad(err.to_string()))?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode_segment("share"), "share");
        assert_eq!(encode_segment("a b/c%"), "a%20b%2Fc%25");
    }

    #[test]
    fn base_url_forms() {
        let client = NodeClient::new("127.0.0.1:1317/").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(client.base_url(), "http://127.0.0.1:1317");
        assert!(matches!(
            NodeClient::new("ftp://x"),
            Err(ClientError::InvalidUrl { .. })
        ));
        assert!(matches!(
            NodeClient::new("http://"),
            Err(ClientError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn non_json_errors_become_http_codespace() {
        let err = api_error(502, b"Bad Gateway");
        assert_eq!(
            (err.status, err.codespace.as_str(), err.code),
            (502, "http", 502)
        );
        let err = api_error(422, br#"{"code":13,"codespace":"tx","message":"no"}"#);
        assert_eq!(
            (err.status, err.codespace.as_str(), err.code),
            (422, "tx", 13)
        );
    }
}
