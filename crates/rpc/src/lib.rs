//! The node's public API: REST + JSON under `/v1`, WebSocket subscriptions,
//! an OpenAPI document and Prometheus metrics.
//!
//! Owns: routes, request parsing and error mapping (`{code, codespace,
//! message}` with a 4xx/5xx status). The views, [`ApiError`] and the
//! [`NodeApi`] trait are the contract in `fructus-rpc-types` (re-exported
//! here). Reads and writes nothing itself: the node's routes go through
//! [`NodeApi`]; `GET /v1/<prefix>/…` goes to the module that declares
//! `<prefix>` (one line per module in `modules.rs`), answered from the
//! committed state [`NodeState`] provides; `GET /v1/params/{module}` reads
//! a module's params (one line per module in `params.rs`); `GET
//! /v1/history/…` goes to [`NodeApi::history`] (the node's indexer; 404
//! `node#4` when it is off). Must never: panic on a request,
//! block the runtime on long work, or listen on anything but the
//! configured address.
//!
//! Start it with [`serve`]; [`router`] gives the bare axum router.
//! [`openapi::document`] is generated from the handlers' and the modules'
//! `#[utoipa::path]` attributes and the views' schemas; the API layer's own
//! error codes are in [`codes`]. The web explorer's embedded build is
//! served at `/explorer` (not part of the API document).

mod body;
pub mod config;
pub mod error;
mod explorer;
mod handlers;
mod history_routes;
mod modules;
pub mod openapi;
pub mod params;
mod server;
pub mod ws;

pub use config::ApiConfig;
pub use error::RpcError;
pub use fructus_rpc_types::*;
pub use server::{NodeState, router, serve};
pub use ws::SubscriptionFilter;
