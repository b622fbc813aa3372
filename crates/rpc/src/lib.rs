//! The node's public API: REST + JSON under `/v1`, WebSocket subscriptions,
//! an OpenAPI document and Prometheus metrics.
//!
//! Owns: routes, request parsing, JSON views and error mapping
//! (`{code, codespace, message}` with a 4xx/5xx status). Reads and writes
//! nothing itself: everything goes through the [`NodeApi`] trait that the
//! node implements. Must never: panic on a request, block the runtime on
//! long work, or listen on anything but the configured address.
//!
//! Start it with [`serve`]; [`router`] gives the bare axum router. The routes
//! are listed by [`routes`] and documented by [`openapi::document`]; the
//! API layer's own error codes are in [`codes`].

// The OpenAPI document (`openapi.rs`) is one `json!` literal per route
// table; serde_json's macro recurses once per token tree.
#![recursion_limit = "512"]

pub mod api;
pub mod config;
pub mod error;
mod handlers;
pub mod openapi;
mod server;
pub mod ws;

pub use api::*;
pub use config::ApiConfig;
pub use error::{API_CODESPACE, RpcError, codes};
/// The event type every view carries (from `fructus-component`).
pub use fructus_component::Event;
pub use handlers::{DEFAULT_DENOM_LIMIT, MAX_BATCH_TXS, MAX_DENOM_LIMIT};
pub use server::{RouteInfo, router, routes, serve};
pub use ws::SubscriptionFilter;
