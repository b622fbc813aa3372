//! The OpenAPI 3.1 document, generated from the code that serves each route.
//!
//! The node's own routes come from the `#[utoipa::path]` attributes on the
//! handlers in this crate; each module's routes from its query type's
//! [`Query::openapi`](fructus_component::query::Query::openapi) (the
//! `#[utoipa::path]` functions in the module's `query.rs`), for every module
//! in [`crate::modules`]. Schemas are derived from the view types. Every
//! module route also documents the error answers every module query may
//! give (400 malformed parameter, 404 no such object, 500 state fault), and
//! its operation id is prefixed with the module's name (`asset_holders`) so
//! that ids stay unique across modules.

use axum::Json;
use fructus_rpc_types::{
    AccountView, ApiError, BatchItemView, BatchSubmitView, BlockView, CertificateView, CoinSchema,
    CommitSignatureView, CommitView, DenomView, NodeEvent, ProofView, PublicKeySchema, StatusView,
    SubmitView, TxView, ValidatorSetView, ValidatorView,
};
use utoipa::OpenApi as _;
use utoipa::openapi::{OpenApi, RefOr, Response, ResponseBuilder, content::ContentBuilder};

use crate::{handlers, history_routes as history, modules, params, ws};
use fructus_rpc_types::history as h;

/// The node's own routes and the view schemas.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Fructus node API",
        description = "REST + JSON API of a Fructus node. Every error is JSON `{code, codespace, message}` with a 4xx/5xx status. Codes of codespace `api`: 1 bad request, 2 not found / no route, 3 bad base64, 4 not committed within the wait timeout, 5 method not allowed, 6 body too large, 7 bad height, 8 bad transaction hash, 9 bad address, 10 bad hex key, 11 internal error, 12 not a WebSocket upgrade, 13 too many subscriptions."
    ),
    paths(
        handlers::status,
        handlers::block,
        handlers::commit,
        handlers::block_validators,
        handlers::submit,
        handlers::submit_batch,
        handlers::simulate,
        handlers::tx,
        handlers::account,
        handlers::denoms,
        handlers::denom,
        handlers::validators,
        handlers::proof,
        ws::subscribe,
        handlers::metrics,
        serve_document,
        params::params,
        history::status,
        history::blocks,
        history::txs,
        history::device_usage,
        history::asset_usage,
        history::contract_charges,
        history::account_income,
        history::pool_swaps,
        history::retirements,
        history::validator_uptime,
    ),
    components(schemas(
        ApiError,
        StatusView,
        BlockView,
        CertificateView,
        CommitView,
        CommitSignatureView,
        ValidatorSetView,
        TxView,
        AccountView,
        DenomView,
        ValidatorView,
        ProofView,
        SubmitView,
        BatchItemView,
        BatchSubmitView,
        NodeEvent,
        CoinSchema,
        PublicKeySchema,
        fructus_rpc_types::Event,
        fructus_component::EventAttribute,
        h::HistoryStatusView,
        h::HistoryBlock,
        h::HistoryBlockPage,
        h::HistoryTx,
        h::HistoryTxPage,
        h::HistoryUsage,
        h::HistoryUsagePage,
        h::HistoryCharge,
        h::HistoryChargePage,
        h::HistoryIncome,
        h::HistoryIncomePage,
        h::HistorySwap,
        h::HistorySwapPage,
        h::HistoryRetirement,
        h::HistoryRetirementPage,
        h::HistoryUptime,
        h::HistoryUptimePage,
    ))
)]
struct NodeRoutes;

/// The error answers of every module query route.
fn module_errors() -> [(&'static str, RefOr<Response>); 3] {
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            "ApiError",
                        ))))
                        .build(),
                )
                .build(),
        )
    };
    [
        (
            "400",
            error("A malformed path segment or parameter (`api#1`)"),
        ),
        ("404", error("No such object or route (`api#2`)")),
        ("500", error("The node could not read its state (`api#11`)")),
    ]
}

/// The whole document: the node's routes, then each module's.
pub fn document() -> OpenApi {
    let mut doc = NodeRoutes::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    for module in modules::table() {
        let mut routes = (module.openapi)();
        for item in routes.paths.paths.values_mut() {
            if let Some(get) = item.get.as_mut() {
                if let Some(id) = get.operation_id.as_mut() {
                    *id = format!("{}_{id}", module.module);
                }
                for (status, response) in module_errors() {
                    get.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert(response);
                }
            }
        }
        doc.merge(routes);
    }
    doc
}

/// `GET /openapi.json`.
#[utoipa::path(get, path = "/openapi.json", tag = "node",
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
pub(crate) async fn serve_document() -> Json<OpenApi> {
    Json(document())
}
