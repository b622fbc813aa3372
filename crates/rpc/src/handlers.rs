//! REST handlers: parse the request, call the node, answer JSON.
//!
//! Path and query parsing happens here so that every refusal carries a stable
//! `api` code; the node only ever sees well-formed arguments.

use std::sync::Arc;

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

use fructus_rpc_types::{
    API_CODESPACE, AccountView, ApiError, BatchItemView, BatchSubmitView, BlockView, CommitView,
    DEFAULT_DENOM_LIMIT, DenomView, MAX_BATCH_TXS, MAX_DENOM_LIMIT, ProofView, SimulateView,
    StatusView, SubmitView, TxView, ValidatorSetView, ValidatorView, codes,
};

use crate::error::HttpError;
use crate::modules::{self, ModuleQueries};
use crate::server::AppState;

/// Standard base64, padding optional.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

type ApiResult<T> = Result<Json<T>, HttpError>;

pub(crate) fn path_param(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(value)| value)
        .map_err(|rejection| ApiError::bad_request(format!("bad path: {rejection}")))
}

fn query_param<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query
        .map(|Query(value)| value)
        .map_err(|rejection| ApiError::bad_request(format!("bad query string: {rejection}")))
}

/// `GET /v1/status`.
#[utoipa::path(get, path = "/v1/status", tag = "node",
    responses((status = 200, description = "Node and chain status", body = StatusView)))]
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
#[utoipa::path(get, path = "/v1/blocks/{height}", tag = "node",
    params(("height" = String, Path, description = "A decimal height or `latest`", pattern = r"^([0-9]{1,20}|latest)$")),
    responses(
        (status = 200, description = "The block", body = BlockView),
        (status = 400, description = "Malformed request", body = ApiError),
        (status = 404, description = "Not found", body = ApiError),
    ))]
pub(crate) async fn block(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<BlockView> {
    let height = parse_height(&path_param(path)?)?;
    Ok(Json(state.node.block(height)?))
}

/// `GET /v1/blocks/{height|latest}/commit`.
#[utoipa::path(get, path = "/v1/blocks/{height}/commit", tag = "node",
    params(("height" = String, Path, description = "A decimal height or `latest`", pattern = r"^([0-9]{1,20}|latest)$")),
    responses(
        (status = 200, description = "The block's header and full commit certificate", body = CommitView),
        (status = 400, description = "Malformed request", body = ApiError),
        (status = 404, description = "Not found", body = ApiError),
    ))]
pub(crate) async fn commit(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<CommitView> {
    let height = parse_height(&path_param(path)?)?;
    Ok(Json(state.node.commit(height)?))
}

/// `GET /v1/blocks/{height|latest}/validators`.
#[utoipa::path(get, path = "/v1/blocks/{height}/validators", tag = "node",
    params(("height" = String, Path, description = "A decimal height or `latest`", pattern = r"^([0-9]{1,20}|latest)$")),
    responses(
        (status = 200, description = "The validator set that signed the height", body = ValidatorSetView),
        (status = 400, description = "Malformed request", body = ApiError),
        (status = 404, description = "Not found", body = ApiError),
    ))]
pub(crate) async fn block_validators(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<ValidatorSetView> {
    let height = parse_height(&path_param(path)?)?;
    Ok(Json(state.node.validator_set(height)?))
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
#[utoipa::path(get, path = "/v1/txs/{hash}", tag = "node",
    params(("hash" = String, Path, description = "Transaction hash: 64 hex characters", pattern = r"^[0-9a-fA-F]{64}$")),
    responses(
        (status = 200, description = "The committed transaction and its result", body = TxView),
        (status = 400, description = "Malformed request", body = ApiError),
        (status = 404, description = "Not found", body = ApiError),
    ))]
pub(crate) async fn tx(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<TxView> {
    let hash = parse_tx_hash(&path_param(path)?)?;
    Ok(Json(state.node.tx(&hash)?))
}

/// `GET /v1/accounts/{address}`.
#[utoipa::path(get, path = "/v1/accounts/{address}", tag = "node",
    params(("address" = String, Path, description = "bech32 address fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses(
        (status = 200, description = "The account (nonce 0 and no key if it never signed)", body = AccountView),
        (status = 400, description = "Malformed address", body = ApiError),
    ))]
pub(crate) async fn account(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<AccountView> {
    let raw = path_param(path)?;
    let address = parse_address(&raw)?;
    Ok(Json(state.node.account(&address)?))
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
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DenomsQuery {
    /// Start after this denom (exclusive).
    start_after: Option<String>,
    /// Page size (default 100, clamped to 1..=1000).
    #[param(value_type = Option<u32>)]
    limit: Option<String>,
}

/// `GET /v1/denoms`.
#[utoipa::path(get, path = "/v1/denoms", tag = "node",
    params(DenomsQuery),
    responses(
        (status = 200, description = "Registered denoms in name order", body = Vec<DenomView>),
        (status = 400, description = "Malformed limit", body = ApiError),
    ))]
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
    Ok(Json(state.node.denoms(start_after, limit)?))
}

/// `GET /v1/denoms/{*denom}` (a denom may contain `/`).
#[utoipa::path(get, path = "/v1/denoms/{denom}", tag = "node",
    params(("denom" = String, Path, description = "The denom (may contain `/`)", pattern = r"^[a-z][a-z0-9/:._-]{1,127}$")),
    responses(
        (status = 200, description = "The denom and its supply", body = DenomView),
        (status = 400, description = "Malformed request", body = ApiError),
        (status = 404, description = "Not found", body = ApiError),
    ))]
pub(crate) async fn denom(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<DenomView> {
    let raw = path_param(path)?;
    let denom = raw.trim_start_matches('/');
    if denom.is_empty() {
        return Err(ApiError::bad_request("empty denom: expected /v1/denoms/<denom>").into());
    }
    Ok(Json(state.node.denom(denom)?))
}

/// `GET /v1/validators`.
#[utoipa::path(get, path = "/v1/validators", tag = "node",
    responses((status = 200, description = "The consensus validator set", body = Vec<ValidatorView>)))]
pub(crate) async fn validators(State(state): State<AppState>) -> ApiResult<Vec<ValidatorView>> {
    Ok(Json(state.node.validators()?))
}

/// Query of `GET /v1/proofs/{key}`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProofQuery {
    /// Prove the state after this height (default: the latest). A light
    /// client asks for `H - 1` to check against header `H`'s `app_hash`.
    height: Option<u64>,
}

/// `GET /v1/proofs/{hex key}?height=H`.
#[utoipa::path(get, path = "/v1/proofs/{key}", tag = "node",
    params(("key" = String, Path, description = "The state key, hex"), ProofQuery),
    responses(
        (status = 200, description = "The value (or its absence) with a Merkle proof", body = ProofView),
        (status = 400, description = "The key is not hex", body = ApiError),
        (status = 404, description = "No state at that height", body = ApiError),
    ))]
pub(crate) async fn proof(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<ProofQuery>, QueryRejection>,
) -> ApiResult<ProofView> {
    let height = query_param(query)?.height;
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
    Ok(Json(state.node.proof(&key, height)?))
}

/// Body of `POST /v1/txs`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub(crate) struct SubmitBody {
    /// The signed transaction, base64.
    tx: String,
}

/// `POST /v1/txs/simulate`: runs a transaction (its signature is not
/// checked, so an unsigned one with any signature bytes works) on the
/// latest state as the next block would, and answers what inclusion would
/// record — nothing is admitted, charged or kept.
#[utoipa::path(post, path = "/v1/txs/simulate", tag = "node",
    request_body = SubmitBody,
    responses(
        (status = 200, description = "What the next block would record (code 0 = success)", body = SimulateView),
        (status = 400, description = "Malformed body or transaction", body = ApiError),
        (status = 413, description = "Body or transaction too large", body = ApiError),
        (status = 422, description = "Refused before execution (decoding, limits, chain id)", body = ApiError),
    ))]
pub(crate) async fn simulate(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<SimulateView> {
    let tx = tx_from_body(&state, body)?;
    let node = Arc::clone(&state.node);
    let task = tokio::task::spawn_blocking(move || node.simulate(tx));
    match task.await {
        Ok(result) => Ok(Json(result?)),
        Err(e) => Err(HttpError(ApiError::new(
            500,
            API_CODESPACE,
            codes::INTERNAL,
            e.to_string(),
        ))),
    }
}

/// The transaction of a `{"tx": "<base64>"}` body.
fn tx_from_body(
    state: &AppState,
    body: Result<Bytes, BytesRejection>,
) -> Result<Vec<u8>, HttpError> {
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
            "bad request body: {err}; expected JSON {{\"tx\": \"<base64 transaction>\"}}"
        ))
    })?;
    let tx = BASE64
        .decode(request.tx.trim())
        .map_err(|err| ApiError::bad_base64(format!("field `tx` is not base64: {err}")))?;
    if tx.is_empty() {
        return Err(HttpError(ApiError::bad_base64("field `tx` is empty")));
    }
    Ok(tx)
}

/// Body of `POST /v1/txs/batch`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub(crate) struct BatchSubmitBody {
    /// Signed transactions, base64, in order.
    txs: Vec<String>,
}

/// Query of `POST /v1/txs`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SubmitQuery {
    /// `commit` to wait for inclusion; absent or `none` not to.
    wait: Option<String>,
}

/// `POST /v1/txs[?wait=commit]`.
#[utoipa::path(post, path = "/v1/txs", tag = "node",
    params(SubmitQuery),
    request_body = SubmitBody,
    responses(
        (status = 200, description = "Admitted (and with `wait=commit`, its result)", body = SubmitView),
        (status = 400, description = "Malformed body or transaction", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 422, description = "Refused by the checks", body = ApiError),
        (status = 429, description = "Mempool full", body = ApiError),
        (status = 504, description = "Not committed within the wait timeout", body = ApiError),
    ))]
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
            return Err(HttpError(ApiError::bad_request(format!(
                "bad wait {:?}: expected `commit` or `none`",
                truncate(other, 40)
            ))));
        }
    };
    let tx = tx_from_body(&state, body)?;
    let hash = TxHash::of(&tx);
    let node = state.node.clone();
    let mut task = tokio::spawn(async move { node.submit(tx, wait_for_commit).await });
    let timeout = state.config.wait_timeout;
    match tokio::time::timeout(timeout, &mut task).await {
        Ok(Ok(result)) => Ok(Json(result?)),
        Ok(Err(join)) => Err(HttpError(ApiError::internal(format!(
            "the node failed while admitting transaction {hash}: {join}"
        )))),
        Err(_) => {
            task.abort();
            Err(HttpError(ApiError::wait_timeout(format!(
                "transaction {hash} was not {} within {} s; query GET /v1/txs/{hash} later",
                if wait_for_commit {
                    "committed"
                } else {
                    "admitted"
                },
                timeout.as_secs_f64()
            ))))
        }
    }
}

/// `GET /metrics`: Prometheus text exposition: the node's metrics, then
/// the API's own (WebSocket subscriptions under their caps).
#[utoipa::path(get, path = "/metrics", tag = "node",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain", body = String)))]
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

/// `GET /v1/<prefix>/{*path}`: a module's query, parsed and answered by the
/// module that serves `prefix` from the latest committed state.
pub(crate) async fn module_query(
    state: AppState,
    module: ModuleQueries,
    prefix: &'static str,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<fructus_component::query::QueryParams>, QueryRejection>,
) -> ApiResult<serde_json::Value> {
    let raw = path_param(path)?;
    let params = query_param(query)?;
    let mut segments = vec![prefix];
    segments.extend(raw.split('/').filter(|s| !s.is_empty()));
    let (snapshot, at) = state.node.query_state()?;
    (module.answer)(&snapshot, at, &segments, &params)
        .map(Json)
        .map_err(|e| HttpError(modules::api_error(e)))
}

/// `POST /v1/txs/batch`: admits up to [`MAX_BATCH_TXS`] transactions at once
/// (checked in parallel, signatures batch-verified); answers 200 with one
/// verdict per transaction, in order.
#[utoipa::path(post, path = "/v1/txs/batch", tag = "node",
    request_body = BatchSubmitBody,
    responses(
        (status = 200, description = "One verdict per transaction, in order", body = BatchSubmitView),
        (status = 400, description = "Malformed body or too many transactions", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
    ))]
pub(crate) async fn submit_batch(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<BatchSubmitView> {
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
        return Err(HttpError(ApiError::bad_request(format!(
            "{} transactions in one batch; at most {MAX_BATCH_TXS}",
            request.txs.len()
        ))));
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
            return Err(HttpError(ApiError::internal(format!(
                "the node failed while admitting a batch: {join}"
            ))));
        }
        Err(_) => {
            task.abort();
            return Err(HttpError(ApiError::wait_timeout(format!(
                "the batch was not admitted within {} s; query each GET /v1/txs/{{hash}} later",
                state.config.wait_timeout.as_secs_f64()
            ))));
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
            Ok(_) => BatchItemView {
                hash,
                admitted: true,
                error: None,
            },
            Err(e) => BatchItemView {
                hash,
                admitted: false,
                error: Some(e),
            },
        });
    }
    let admitted = results.iter().filter(|r| r.admitted).count();
    Ok(Json(BatchSubmitView {
        admitted,
        refused: results.len().saturating_sub(admitted),
        results,
    }))
}
