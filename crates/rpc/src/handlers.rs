//! REST handlers: parse the request, call the node, answer JSON.
//!
//! Path and query parsing happens here so that every refusal carries a stable
//! `api` code; the node only ever sees well-formed arguments.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use fructus_crypto::Address;
use fructus_types::tx::TxHash;

use crate::api::{
    AccountView, ApiError, BlockView, DenomView, ProofView, StatusView, SubmitView, TxView,
    ValidatorView,
};
use crate::error::codes;
use crate::server::AppState;

/// Default page size of `GET /v1/denoms`.
pub const DEFAULT_DENOM_LIMIT: usize = 100;
/// Largest page size of `GET /v1/denoms`; larger limits are clamped.
pub const MAX_DENOM_LIMIT: usize = 1000;

/// Standard base64, padding optional.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

type ApiResult<T> = Result<Json<T>, ApiError>;

fn path_param(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(value)| value)
        .map_err(|rejection| ApiError::bad_request(format!("bad path: {rejection}")))
}

fn query_param<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query
        .map(|Query(value)| value)
        .map_err(|rejection| ApiError::bad_request(format!("bad query string: {rejection}")))
}

/// `GET /v1/status`.
pub(crate) async fn status(State(state): State<AppState>) -> Json<StatusView> {
    Json(state.node.status())
}

/// Parses `latest` or a decimal height.
pub(crate) fn parse_height(raw: &str) -> Result<Option<u64>, ApiError> {
    if raw == "latest" {
        return Ok(None);
    }
    raw.parse::<u64>().map(Some).map_err(|_| {
        ApiError::invalid(
            codes::BAD_HEIGHT,
            format!("bad block height {raw:?}: expected a decimal number or `latest`"),
        )
    })
}

/// `GET /v1/blocks/{height|latest}`.
pub(crate) async fn block(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<BlockView> {
    let height = parse_height(&path_param(path)?)?;
    state.node.block(height).map(Json)
}

/// Checks a transaction hash (64 hex characters) and upper-cases it.
pub(crate) fn parse_tx_hash(raw: &str) -> Result<String, ApiError> {
    if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(raw.to_ascii_uppercase())
    } else {
        Err(ApiError::invalid(
            codes::BAD_TX_HASH,
            format!(
                "bad transaction hash {:?}: expected 64 hex characters (SHA-256 of the signed transaction)",
                truncate(raw, 80)
            ),
        ))
    }
}

/// `GET /v1/txs/{hash}`.
pub(crate) async fn tx(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<TxView> {
    let hash = parse_tx_hash(&path_param(path)?)?;
    state.node.tx(&hash).map(Json)
}

/// `GET /v1/accounts/{address}`.
pub(crate) async fn account(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<AccountView> {
    let raw = path_param(path)?;
    let address = parse_address(&raw)?;
    state.node.account(&address).map(Json)
}

/// Parses a bech32 `fx1…` address, with the parser's message on failure.
pub(crate) fn parse_address(raw: &str) -> Result<Address, ApiError> {
    raw.parse::<Address>().map_err(|err| {
        ApiError::invalid(
            codes::BAD_ADDRESS,
            format!("bad address {:?}: {err}", truncate(raw, 100)),
        )
    })
}

/// Query of `GET /v1/denoms`.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct DenomsQuery {
    /// Start after this denom (exclusive).
    start_after: Option<String>,
    /// Page size (default 100, clamped to 1..=1000).
    limit: Option<String>,
}

/// `GET /v1/denoms`.
pub(crate) async fn denoms(
    State(state): State<AppState>,
    query: Result<Query<DenomsQuery>, QueryRejection>,
) -> ApiResult<Vec<DenomView>> {
    let query = query_param(query)?;
    let limit = match query.limit.as_deref() {
        None | Some("") => DEFAULT_DENOM_LIMIT,
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| {
                ApiError::bad_request(format!(
                    "bad limit {raw:?}: expected a number from 1 to {MAX_DENOM_LIMIT}"
                ))
            })?
            .clamp(1, MAX_DENOM_LIMIT),
    };
    let start_after = query.start_after.as_deref().filter(|s| !s.is_empty());
    state.node.denoms(start_after, limit).map(Json)
}

/// `GET /v1/denoms/{*denom}` (a denom may contain `/`).
pub(crate) async fn denom(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<DenomView> {
    let raw = path_param(path)?;
    let denom = raw.trim_start_matches('/');
    if denom.is_empty() {
        return Err(ApiError::bad_request("empty denom"));
    }
    state.node.denom(denom).map(Json)
}

/// `GET /v1/validators`.
pub(crate) async fn validators(State(state): State<AppState>) -> ApiResult<Vec<ValidatorView>> {
    state.node.validators().map(Json)
}

/// `GET /v1/proofs/{hex key}`.
pub(crate) async fn proof(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<ProofView> {
    let raw = path_param(path)?;
    let key = hex::decode(&raw).map_err(|err| {
        ApiError::invalid(
            codes::BAD_HEX,
            format!(
                "bad state key {:?}: {err}; expected hex",
                truncate(&raw, 80)
            ),
        )
    })?;
    state.node.proof(&key).map(Json)
}

/// Body of `POST /v1/txs`.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct SubmitBody {
    /// The signed transaction, base64.
    tx: String,
}

/// Body of `POST /v1/txs/batch`.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct BatchSubmitBody {
    /// Signed transactions, base64, in order.
    txs: Vec<String>,
}

/// Most transactions one `POST /v1/txs/batch` may carry.
pub const MAX_BATCH_TXS: usize = 2000;

/// Query of `POST /v1/txs`.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SubmitQuery {
    /// `commit` to wait for inclusion; absent or `none` not to.
    wait: Option<String>,
}

/// `POST /v1/txs[?wait=commit]`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    query: Result<Query<SubmitQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<SubmitView> {
    let query = query_param(query)?;
    let wait_for_commit = match query.wait.as_deref() {
        None | Some("") | Some("none") => false,
        Some("commit") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "bad wait {:?}: expected `commit` or `none`",
                truncate(other, 40)
            )));
        }
    };
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::body_too_large(format!(
                "request body is larger than {} bytes",
                state.config.max_body_bytes
            ))
        } else {
            ApiError::bad_request(format!("cannot read the request body: {rejection}"))
        }
    })?;
    let request: SubmitBody = serde_json::from_slice(&body).map_err(|err| {
        ApiError::bad_request(format!(
            "bad request body: {err}; expected JSON {{\"tx\": \"<base64 signed transaction>\"}}"
        ))
    })?;
    let tx = BASE64
        .decode(request.tx.trim())
        .map_err(|err| ApiError::bad_base64(format!("field `tx` is not base64: {err}")))?;
    if tx.is_empty() {
        return Err(ApiError::bad_base64("field `tx` is empty"));
    }
    let hash = TxHash::of(&tx);
    let node = state.node.clone();
    let mut task = tokio::spawn(async move { node.submit(tx, wait_for_commit).await });
    let timeout = state.config.wait_timeout;
    match tokio::time::timeout(timeout, &mut task).await {
        Ok(Ok(result)) => result.map(Json),
        Ok(Err(join)) => Err(ApiError::internal(format!(
            "the node failed while admitting transaction {hash}: {join}"
        ))),
        Err(_) => {
            task.abort();
            Err(ApiError::wait_timeout(format!(
                "transaction {hash} was not {} within {} s; query GET /v1/txs/{hash} later",
                if wait_for_commit {
                    "committed"
                } else {
                    "admitted"
                },
                timeout.as_secs_f64()
            )))
        }
    }
}

/// `GET /metrics`: Prometheus text exposition: the node's metrics, then
/// the API's own (WebSocket subscriptions under their caps).
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let mut text = state.node.metrics();
    text.push_str(&state.subscriptions.render());
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// At most `max` characters of `s`, for echoing input in messages.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", s.get(..end).unwrap_or_default()),
        None => s.to_owned(),
    }
}

/// `GET /v1/assets/{*path}`: asset classes, assets, holders and income,
/// answered by the asset module through [`NodeApi::module_query`]
/// (see the OpenAPI document for the sub-paths).
pub(crate) async fn assets(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<std::collections::BTreeMap<String, String>>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let raw = path_param(path)?;
    let params = query_param(query)?;
    let segments: Vec<String> = raw
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if segments.is_empty() || segments.len() > 4 {
        return Err(ApiError::not_found(format!(
            "no asset route /v1/assets/{raw}"
        )));
    }
    state
        .node
        .module_query("asset", &segments, &params)
        .map(Json)
}

/// A metering query: `prefix` (`devices` or `contracts`) then the raw
/// sub-path's segments, answered through [`NodeApi::module_query`].
fn metering(
    state: &AppState,
    prefix: &str,
    raw: &str,
    params: &std::collections::BTreeMap<String, String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let mut segments = vec![prefix.to_owned()];
    segments.extend(raw.split('/').filter(|s| !s.is_empty()).map(str::to_owned));
    if segments.len() < 2 || segments.len() > 5 {
        return Err(ApiError::not_found(format!(
            "no metering route /v1/{prefix}/{raw}"
        )));
    }
    state
        .node
        .module_query("metering", &segments, params)
        .map(Json)
}

/// `GET /v1/devices/{*path}`: devices, the devices of an asset, its oracles
/// and oracle rounds, from the metering module (sub-paths in the OpenAPI
/// document).
pub(crate) async fn devices(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<std::collections::BTreeMap<String, String>>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let raw = path_param(path)?;
    let params = query_param(query)?;
    metering(&state, "devices", &raw, &params)
}

/// `GET /v1/contracts/{*path}`: service contracts by id, asset or customer,
/// from the metering module.
pub(crate) async fn contracts(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<std::collections::BTreeMap<String, String>>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let raw = path_param(path)?;
    let params = query_param(query)?;
    metering(&state, "contracts", &raw, &params)
}

/// `GET /v1/accounts/{address}/assets`: assets owned by an account.
pub(crate) async fn account_assets(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<std::collections::BTreeMap<String, String>>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let address = parse_address(&path_param(path)?)?;
    let params = query_param(query)?;
    state
        .node
        .module_query("asset", &["owner".to_owned(), address.to_string()], &params)
        .map(Json)
}

/// `GET /v1/identity/accounts/{address}`: an account's tier, KYC
/// attestations (with their status) and freeze, from the identity module.
pub(crate) async fn identity_account(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let address = parse_address(&path_param(path)?)?;
    state
        .node
        .module_query(
            "identity",
            &["account".to_owned(), address.to_string()],
            &std::collections::BTreeMap::new(),
        )
        .map(Json)
}

/// `GET /v1/identity/regulators`: the regulators, each with the X25519 key
/// regulator-only records are sealed to (null until registered).
pub(crate) async fn identity_regulators(
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .node
        .module_query(
            "identity",
            &["regulators".to_owned()],
            &std::collections::BTreeMap::new(),
        )
        .map(Json)
}

/// `GET /v1/identity/records/{id}`: one regulator-only record (ciphertext,
/// wrapped keys, plaintext hash; never the plaintext).
pub(crate) async fn identity_record(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = path_param(path)?;
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("a record id is a number, got {id:?}")))?;
    state
        .node
        .module_query(
            "identity",
            &["records".to_owned(), id.to_string()],
            &std::collections::BTreeMap::new(),
        )
        .map(Json)
}

/// `GET /v1/identity/accounts/{address}/records`: the records about an
/// account, in id order (paginated).
pub(crate) async fn identity_records_of(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<std::collections::BTreeMap<String, String>>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let address = parse_address(&path_param(path)?)?;
    let params = query_param(query)?;
    state
        .node
        .module_query(
            "identity",
            &["records_of".to_owned(), address.to_string()],
            &params,
        )
        .map(Json)
}

/// `POST /v1/txs/batch`: admits up to [`MAX_BATCH_TXS`] transactions at once
/// (checked in parallel, signatures batch-verified); answers 200 with one
/// verdict per transaction, in order.
pub(crate) async fn submit_batch(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<crate::api::BatchSubmitView> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::body_too_large(format!(
                "request body is larger than {} bytes; send smaller batches",
                state.config.max_body_bytes
            ))
        } else {
            ApiError::bad_request(format!("cannot read the request body: {rejection}"))
        }
    })?;
    let request: BatchSubmitBody = serde_json::from_slice(&body).map_err(|err| {
        ApiError::bad_request(format!(
            "bad request body: {err}; expected JSON {{\"txs\": [\"<base64 signed transaction>\", ...]}}"
        ))
    })?;
    if request.txs.len() > MAX_BATCH_TXS {
        return Err(ApiError::bad_request(format!(
            "{} transactions in one batch; at most {MAX_BATCH_TXS}",
            request.txs.len()
        )));
    }
    // Items that are not base64 are refused in place; the rest go to the node.
    let mut slots: Vec<Result<Vec<u8>, ApiError>> = request
        .txs
        .iter()
        .enumerate()
        .map(|(i, b64)| match BASE64.decode(b64.trim()) {
            Ok(tx) if !tx.is_empty() => Ok(tx),
            Ok(_) => Err(ApiError::bad_base64(format!("txs[{i}] is empty"))),
            Err(err) => Err(ApiError::bad_base64(format!(
                "txs[{i}] is not base64: {err}"
            ))),
        })
        .collect();
    let hashes: Vec<String> = slots
        .iter()
        .map(|s| {
            s.as_ref()
                .map(|tx| TxHash::of(tx).to_string())
                .unwrap_or_default()
        })
        .collect();
    let valid: Vec<Vec<u8>> = slots
        .iter_mut()
        .filter_map(|s| s.as_mut().ok().map(std::mem::take))
        .collect();
    let node = state.node.clone();
    let mut task = tokio::spawn(async move { node.submit_batch(valid).await });
    let verdicts = match tokio::time::timeout(state.config.wait_timeout, &mut task).await {
        Ok(Ok(v)) => v,
        Ok(Err(join)) => {
            return Err(ApiError::internal(format!(
                "the node failed while admitting a batch: {join}"
            )));
        }
        Err(_) => {
            task.abort();
            return Err(ApiError::wait_timeout(format!(
                "the batch was not admitted within {} s; query each GET /v1/txs/{{hash}} later",
                state.config.wait_timeout.as_secs_f64()
            )));
        }
    };
    let mut verdicts = verdicts.into_iter();
    let mut results = Vec::with_capacity(slots.len());
    for (slot, hash) in slots.into_iter().zip(hashes) {
        let verdict = match slot {
            Err(e) => Err(e),
            Ok(_) => verdicts.next().unwrap_or_else(|| {
                Err(ApiError::internal(
                    "the node returned fewer verdicts than transactions",
                ))
            }),
        };
        results.push(match verdict {
            Ok(_) => crate::api::BatchItemView {
                hash,
                admitted: true,
                error: None,
            },
            Err(e) => crate::api::BatchItemView {
                hash,
                admitted: false,
                error: Some(e),
            },
        });
    }
    let admitted = results.iter().filter(|r| r.admitted).count();
    Ok(Json(crate::api::BatchSubmitView {
        admitted,
        refused: results.len().saturating_sub(admitted),
        results,
    }))
}

fn staking_query(
    state: &AppState,
    segments: Vec<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .node
        .module_query("staking", &segments, &std::collections::BTreeMap::new())
        .map(Json)
}

/// `GET /v1/staking/validators`: every validator with its status and power.
pub(crate) async fn staking_validators(
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
    staking_query(&state, vec!["validators".to_owned()])
}

/// `GET /v1/staking/params`: the staking parameters.
pub(crate) async fn staking_params(
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
    staking_query(&state, vec!["params".to_owned()])
}

macro_rules! staking_by_address {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        pub(crate) async fn $name(
            State(state): State<AppState>,
            path: Result<Path<String>, PathRejection>,
        ) -> Result<Json<serde_json::Value>, ApiError> {
            let address = parse_address(&path_param(path)?)?;
            staking_query(&state, vec![$what.to_owned(), address.to_string()])
        }
    };
}

staking_by_address!(
    /// `GET /v1/staking/validators/{address}`: one validator by operator.
    staking_validator,
    "validators"
);
staking_by_address!(
    /// `GET /v1/staking/delegations/{address}`: an account's delegations.
    staking_delegations,
    "delegations"
);
staking_by_address!(
    /// `GET /v1/staking/rewards/{address}`: an account's pending rewards.
    staking_rewards,
    "rewards"
);
staking_by_address!(
    /// `GET /v1/staking/unbonding/{address}`: an account's unbonding entries.
    staking_unbonding,
    "unbonding"
);
