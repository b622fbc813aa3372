//! The router (route table, fallbacks, layers) and the server loop.
//!
//! Layers, outermost first: CORS (only the configured origins, GET/POST;
//! none by default, so browsers refuse cross-origin pages) → JSON-ification of
//! any non-JSON error response → panic catcher (a panicking node call answers
//! 500 `api#11`, the server keeps running) → the whole body read (up to the
//! limit, so a connection stays reusable whatever the route reads: see
//! `body.rs`) → body limit → routes.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use axum::extract::State;
use fructus_component::query::QueryAt;
use fructus_rpc_types::{API_CODESPACE, ApiError, NodeApi, codes};
use fructus_storage::Snapshot;

use crate::config::ApiConfig;
use crate::error::{HttpError, RpcError};
use crate::{explorer, handlers, history_routes as history, modules, openapi, params, ws};

/// Shared by every handler.
#[derive(Clone)]
pub(crate) struct AppState {
    /// The node.
    pub(crate) node: Arc<dyn NodeState>,
    /// Settings.
    pub(crate) config: Arc<ApiConfig>,
    /// Becomes `true` when the server shuts down.
    pub(crate) shutdown: watch::Receiver<bool>,
    /// Open WebSocket subscriptions under their caps.
    pub(crate) subscriptions: Arc<ws::Subscriptions>,
    /// Keeps the shutdown channel open for routers built without `serve`.
    _keep_open: Option<Arc<watch::Sender<bool>>>,
}

/// What the server needs of the node: the [`NodeApi`], and the committed
/// state that module queries read.
pub trait NodeState: NodeApi {
    /// A snapshot of the latest committed state and the block it is of.
    fn query_state(&self) -> Result<(Snapshot, QueryAt), ApiError>;
}

/// The node's own routes; each module's are added from
/// [`modules::table`].
fn table() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/v1/status", get(handlers::status)),
        ("/v1/blocks/{height}", get(handlers::block)),
        ("/v1/blocks/{height}/commit", get(handlers::commit)),
        (
            "/v1/blocks/{height}/validators",
            get(handlers::block_validators),
        ),
        ("/v1/txs", post(handlers::submit)),
        ("/v1/txs/batch", post(handlers::submit_batch)),
        ("/v1/txs/simulate", post(handlers::simulate)),
        ("/v1/txs/{hash}", get(handlers::tx)),
        ("/v1/accounts/{address}", get(handlers::account)),
        ("/v1/denoms", get(handlers::denoms)),
        ("/v1/denoms/{*denom}", get(handlers::denom)),
        ("/v1/validators", get(handlers::validators)),
        ("/v1/proofs/{key}", get(handlers::proof)),
        ("/v1/subscribe", get(ws::subscribe)),
        ("/metrics", get(handlers::metrics)),
        ("/openapi.json", get(openapi::serve_document)),
        ("/v1/params/{module}", get(params::params)),
        ("/v1/history/status", get(history::status)),
        ("/v1/history/blocks", get(history::blocks)),
        ("/v1/history/txs", get(history::txs)),
        (
            "/v1/history/devices/{address}/usage",
            get(history::device_usage),
        ),
        (
            "/v1/history/assets/{asset}/usage",
            get(history::asset_usage),
        ),
        (
            "/v1/history/contracts/{contract}/charges",
            get(history::contract_charges),
        ),
        (
            "/v1/history/accounts/{address}/income",
            get(history::account_income),
        ),
        ("/v1/history/pools/{id}/swaps", get(history::pool_swaps)),
        ("/v1/history/retirements", get(history::retirements)),
        (
            "/v1/history/validators/{address}/uptime",
            get(history::validator_uptime),
        ),
        ("/explorer", get(explorer::root)),
        ("/explorer/", get(explorer::index)),
        ("/explorer/{*path}", get(explorer::asset)),
    ]
}

/// The API as an axum router (for tests and embedding). WebSocket
/// subscriptions of this router only end when their client leaves; use
/// [`serve`] to have them closed on shutdown.
pub fn router(node: Arc<dyn NodeState>, config: ApiConfig) -> Router {
    let (sender, receiver) = watch::channel(false);
    build(node, config, receiver, Some(Arc::new(sender)))
}

fn build(
    node: Arc<dyn NodeState>,
    config: ApiConfig,
    shutdown: watch::Receiver<bool>,
    keep_open: Option<Arc<watch::Sender<bool>>>,
) -> Router {
    let max_body = config.max_body_bytes;
    let cors = cors(&config.cors_allowed_origins);
    let state = AppState {
        node,
        config: Arc::new(config),
        shutdown,
        subscriptions: Arc::default(),
        _keep_open: keep_open,
    };
    let mut app = Router::new();
    for (path, method_router) in table() {
        app = app.route(path, method_router);
    }
    for module in modules::table() {
        for &prefix in module.prefixes {
            let serve = move |State(state): State<AppState>, path, query| {
                handlers::module_query(state, module, prefix, path, query)
            };
            app = app.route(&format!("/v1/{prefix}/{{*path}}"), get(serve));
        }
    }
    app.method_not_allowed_fallback(method_not_allowed)
        .fallback(no_route)
        .with_state(state)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(
            max_body,
            crate::body::read_whole,
        ))
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                HttpError(ApiError::internal(
                    "the node failed while serving this request",
                ))
                .into_response()
            },
        ))
        .layer(axum::middleware::map_response(json_errors))
        .layer(cors)
}

/// The CORS policy: browsers may call the API from `origins` only (`"*"`
/// among them: from any origin). An origin that is not a valid header value
/// is ignored (the node's config validation refuses it first).
fn cors(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect::<Vec<_>>(),
        )
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(Any)
}

/// Serves the API on `listener` until `shutdown` completes. Then it stops
/// accepting, closes WebSocket subscriptions with a Close frame, lets
/// in-flight requests finish (at most `wait_timeout` + 5 s) and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    node: Arc<dyn NodeState>,
    config: ApiConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RpcError> {
    let address = listener
        .local_addr()
        .map_err(|source| RpcError::LocalAddr { source })?;
    let grace = config.wait_timeout.saturating_add(Duration::from_secs(5));
    let (sender, receiver) = watch::channel(false);
    let app = build(node, config, receiver.clone(), None);
    let trigger = tokio::spawn(async move {
        shutdown.await;
        // Nobody listening any more only means everything already stopped.
        let _ = sender.send(true);
    });
    tracing::info!(%address, "API listening");
    let mut graceful = receiver.clone();
    let mut deadline = receiver;
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown_signal(&mut graceful).await;
    });
    let result = tokio::select! {
        result = server.into_future() => result.map_err(|source| RpcError::Serve {
            address: address.to_string(),
            source,
        }),
        () = async {
            shutdown_signal(&mut deadline).await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(%address, "API connections still open after the grace period; closing");
            Ok(())
        }
    };
    trigger.abort();
    tracing::info!(%address, "API stopped");
    result
}

/// Completes once the shutdown flag is `true`; never if it cannot become so.
pub(crate) async fn shutdown_signal(receiver: &mut watch::Receiver<bool>) {
    loop {
        if *receiver.borrow_and_update() {
            return;
        }
        if receiver.changed().await.is_err() {
            if *receiver.borrow() {
                return;
            }
            std::future::pending::<()>().await;
        }
    }
}

async fn no_route(method: Method, uri: axum::http::Uri) -> HttpError {
    HttpError(ApiError::not_found(format!(
        "no route for {method} {}; see GET /openapi.json for the API",
        uri.path()
    )))
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> HttpError {
    HttpError(ApiError::method_not_allowed(format!(
        "method {method} is not allowed on {}; see GET /openapi.json",
        uri.path()
    )))
}

/// Largest error body read back when turning it into JSON.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// Turns any error response that is not JSON yet (a framework rejection, a
/// CORS refusal) into `{code, codespace, message}`.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        Err(_) => String::new(),
    };
    let message = if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("request failed")
            .to_owned()
    } else {
        text
    };
    let code = match status {
        StatusCode::NOT_FOUND => codes::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED => codes::METHOD_NOT_ALLOWED,
        StatusCode::PAYLOAD_TOO_LARGE => codes::BODY_TOO_LARGE,
        StatusCode::GATEWAY_TIMEOUT => codes::WAIT_TIMEOUT,
        s if s.is_server_error() => codes::INTERNAL,
        _ => codes::BAD_REQUEST,
    };
    let mut fixed =
        HttpError(ApiError::new(status.as_u16(), API_CODESPACE, code, message)).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fixed.headers_mut().append(name.clone(), value.clone());
        }
    }
    fixed
}
