//! `GET /v1/history/…`: the history the node's indexer keeps
//! (docs/indexer.md). Each route parses its path and page here and asks
//! [`fructus_rpc_types::NodeApi::history`]; a node without the indexer
//! answers 404 `node#4`.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use fructus_rpc_types::ApiError;
use fructus_rpc_types::history::{
    DEFAULT_HISTORY_LIMIT, HistoryAnswer, HistoryBlockPage, HistoryChargePage, HistoryIncomePage,
    HistoryQuery, HistoryRetirementPage, HistoryStatusView, HistorySwapPage, HistoryTxPage,
    HistoryUptimePage, HistoryUsagePage, MAX_HISTORY_LIMIT, PageRequest,
};

use crate::error::HttpError;
use crate::handlers::parse_address;
use crate::server::AppState;

type HistoryResult = Result<Json<HistoryAnswer>, HttpError>;

/// Paging of every history list.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    /// Items per page (default 100, clamped to 1..=1000).
    #[param(value_type = Option<u32>)]
    limit: Option<String>,
    /// The `next` value of the previous page.
    before: Option<String>,
}

/// Filter of `GET /v1/history/txs`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TxsFilter {
    /// Only this signer's transactions (bech32 address).
    signer: Option<String>,
}

/// Filters of `GET /v1/history/retirements`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RetirementsFilter {
    /// Only retirements on behalf of this beneficiary.
    beneficiary: Option<String>,
    /// Only retirements from this batch.
    #[param(value_type = Option<u64>)]
    batch_id: Option<String>,
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v)
        .map_err(|r| ApiError::bad_request(format!("bad query string: {r}")))
}

fn page(q: Result<Query<PageQuery>, QueryRejection>) -> Result<PageRequest, ApiError> {
    let q = query(q)?;
    let limit = match q.limit.as_deref() {
        None | Some("") => DEFAULT_HISTORY_LIMIT,
        Some(raw) => raw
            .parse::<u32>()
            .map_err(|_| {
                ApiError::bad_request(format!(
                    "bad limit {raw:?}: expected a number from 1 to {MAX_HISTORY_LIMIT}"
                ))
            })?
            .clamp(1, MAX_HISTORY_LIMIT),
    };
    Ok(PageRequest {
        limit,
        before: q.before.filter(|b| !b.is_empty()),
    })
}

fn path(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    p.map(|Path(v)| v)
        .map_err(|r| ApiError::bad_request(format!("bad path: {r}")))
}

fn id(raw: &str, what: &str) -> Result<u64, ApiError> {
    raw.parse::<u64>().map_err(|_| {
        ApiError::bad_request(format!("bad {what} {raw:?}: expected a decimal number"))
    })
}

fn address(raw: &str) -> Result<String, ApiError> {
    Ok(parse_address(raw)?.to_string())
}

async fn ask(state: &AppState, q: HistoryQuery) -> HistoryResult {
    Ok(Json(state.node.history(q).await?))
}

/// `GET /v1/history/status`.
#[utoipa::path(get, path = "/v1/history/status", tag = "history", operation_id = "history_status",
    responses(
        (status = 200, description = "What the indexer holds", body = HistoryStatusView),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn status(State(state): State<AppState>) -> HistoryResult {
    ask(&state, HistoryQuery::Status).await
}

/// `GET /v1/history/blocks`.
#[utoipa::path(get, path = "/v1/history/blocks", tag = "history", operation_id = "history_blocks",
    params(PageQuery),
    responses(
        (status = 200, description = "Blocks, newest first", body = HistoryBlockPage),
        (status = 400, description = "Malformed limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn blocks(
    State(state): State<AppState>,
    p: Result<Query<PageQuery>, QueryRejection>,
) -> HistoryResult {
    ask(&state, HistoryQuery::Blocks(page(p)?)).await
}

/// `GET /v1/history/txs`.
#[utoipa::path(get, path = "/v1/history/txs", tag = "history", operation_id = "history_txs",
    params(PageQuery, TxsFilter),
    responses(
        (status = 200, description = "Transactions, newest first", body = HistoryTxPage),
        (status = 400, description = "Malformed limit, cursor or signer", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn txs(
    State(state): State<AppState>,
    p: Result<Query<PageQuery>, QueryRejection>,
    f: Result<Query<TxsFilter>, QueryRejection>,
) -> HistoryResult {
    let f = query(f)?;
    let signer = f
        .signer
        .filter(|s| !s.is_empty())
        .map(|s| address(&s))
        .transpose()?;
    let page = page(p)?;
    ask(&state, HistoryQuery::Txs { signer, page }).await
}

/// `GET /v1/history/devices/{address}/usage`.
#[utoipa::path(get, path = "/v1/history/devices/{address}/usage", tag = "history", operation_id = "history_device_usage",
    params(("address" = String, Path, description = "The device's address", pattern = r"^fx1[02-9ac-hj-np-z]{38}$"), PageQuery),
    responses(
        (status = 200, description = "The device's readings, newest first", body = HistoryUsagePage),
        (status = 400, description = "Malformed address, limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn device_usage(
    State(state): State<AppState>,
    d: Result<Path<String>, PathRejection>,
    p: Result<Query<PageQuery>, QueryRejection>,
) -> HistoryResult {
    let device = address(&path(d)?)?;
    ask(&state, HistoryQuery::DeviceUsage(device, page(p)?)).await
}

/// `GET /v1/history/assets/{asset}/usage`.
#[utoipa::path(get, path = "/v1/history/assets/{asset}/usage", tag = "history", operation_id = "history_asset_usage",
    params(("asset" = u64, Path, description = "The metered asset"), PageQuery),
    responses(
        (status = 200, description = "The asset's readings (device and oracle), newest first", body = HistoryUsagePage),
        (status = 400, description = "Malformed id, limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn asset_usage(
    State(state): State<AppState>,
    a: Result<Path<String>, PathRejection>,
    p: Result<Query<PageQuery>, QueryRejection>,
) -> HistoryResult {
    let asset = id(&path(a)?, "asset id")?;
    ask(&state, HistoryQuery::AssetUsage(asset, page(p)?)).await
}

/// `GET /v1/history/contracts/{contract}/charges`.
#[utoipa::path(get, path = "/v1/history/contracts/{contract}/charges", tag = "history", operation_id = "history_contract_charges",
    params(("contract" = u64, Path, description = "The contract"), PageQuery),
    responses(
        (status = 200, description = "How each of the contract's payments was split, newest first", body = HistoryChargePage),
        (status = 400, description = "Malformed id, limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn contract_charges(
    State(state): State<AppState>,
    c: Result<Path<String>, PathRejection>,
    p: Result<Query<PageQuery>, QueryRejection>,
) -> HistoryResult {
    let contract = id(&path(c)?, "contract id")?;
    ask(&state, HistoryQuery::ContractCharges(contract, page(p)?)).await
}

/// `GET /v1/history/accounts/{address}/income`.
#[utoipa::path(get, path = "/v1/history/accounts/{address}/income", tag = "history", operation_id = "history_account_income",
    params(("address" = String, Path, description = "The account", pattern = r"^fx1[02-9ac-hj-np-z]{38}$"), PageQuery),
    responses(
        (status = 200, description = "Income claimed, withheld or credited, newest first", body = HistoryIncomePage),
        (status = 400, description = "Malformed address, limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn account_income(
    State(state): State<AppState>,
    a: Result<Path<String>, PathRejection>,
    p: Result<Query<PageQuery>, QueryRejection>,
) -> HistoryResult {
    let account = address(&path(a)?)?;
    ask(&state, HistoryQuery::AccountIncome(account, page(p)?)).await
}

/// `GET /v1/history/pools/{id}/swaps`.
#[utoipa::path(get, path = "/v1/history/pools/{id}/swaps", tag = "history", operation_id = "history_pool_swaps",
    params(("id" = u64, Path, description = "The pool"), PageQuery),
    responses(
        (status = 200, description = "Swaps through the pool with its price after each, newest first", body = HistorySwapPage),
        (status = 400, description = "Malformed id, limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn pool_swaps(
    State(state): State<AppState>,
    i: Result<Path<String>, PathRejection>,
    p: Result<Query<PageQuery>, QueryRejection>,
) -> HistoryResult {
    let pool = id(&path(i)?, "pool id")?;
    ask(&state, HistoryQuery::PoolSwaps(pool, page(p)?)).await
}

/// `GET /v1/history/retirements`.
#[utoipa::path(get, path = "/v1/history/retirements", tag = "history", operation_id = "history_retirements",
    params(PageQuery, RetirementsFilter),
    responses(
        (status = 200, description = "Certificate retirements, newest first", body = HistoryRetirementPage),
        (status = 400, description = "Malformed filter, limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn retirements(
    State(state): State<AppState>,
    p: Result<Query<PageQuery>, QueryRejection>,
    f: Result<Query<RetirementsFilter>, QueryRejection>,
) -> HistoryResult {
    let f = query(f)?;
    let batch_id = f
        .batch_id
        .filter(|b| !b.is_empty())
        .map(|b| id(&b, "batch id"))
        .transpose()?;
    let beneficiary = f.beneficiary.filter(|b| !b.is_empty());
    if beneficiary.as_ref().is_some_and(|b| b.contains('\0')) {
        return Err(ApiError::bad_request("a beneficiary cannot contain a NUL character").into());
    }
    let page = page(p)?;
    ask(
        &state,
        HistoryQuery::Retirements {
            beneficiary,
            batch_id,
            page,
        },
    )
    .await
}

/// `GET /v1/history/validators/{address}/uptime`.
#[utoipa::path(get, path = "/v1/history/validators/{address}/uptime", tag = "history", operation_id = "history_validator_uptime",
    params(("address" = String, Path, description = "The validator's (consensus) address", pattern = r"^fx1[02-9ac-hj-np-z]{38}$"), PageQuery),
    responses(
        (status = 200, description = "Signed or missed at each height it was in the set, newest first", body = HistoryUptimePage),
        (status = 400, description = "Malformed address, limit or cursor", body = ApiError),
        (status = 404, description = "The indexer is off (`node#4`)", body = ApiError),
        (status = 500, description = "The indexer's database failed", body = ApiError),
    ))]
pub(crate) async fn validator_uptime(
    State(state): State<AppState>,
    a: Result<Path<String>, PathRejection>,
    p: Result<Query<PageQuery>, QueryRejection>,
) -> HistoryResult {
    let validator = address(&path(a)?)?;
    ask(&state, HistoryQuery::ValidatorUptime(validator, page(p)?)).await
}
