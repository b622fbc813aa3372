//! Errors: the server's own ([`RpcError`]), the stable `api` error codes and
//! the mapping of [`ApiError`] onto an HTTP response.
//!
//! Every error response is JSON `{code, codespace, message}` with a 4xx/5xx
//! status. Errors returned by the node pass through unchanged; the API layer's
//! own refusals use codespace `api` with the codes in [`codes`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;

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

/// Codespace of the API layer's own errors.
pub const API_CODESPACE: &str = "api";

/// A failure of the server itself (not of a request).
#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    /// The listener's local address could not be read.
    #[error("cannot read the API listener's address: {source}")]
    LocalAddr {
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Accepting or serving connections failed.
    #[error("API server on {address} failed: {source}")]
    Serve {
        /// The address served.
        address: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl ApiError {
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

    /// The HTTP status to answer with: the error's own if it is a valid
    /// 4xx/5xx status, else 500.
    pub fn http_status(&self) -> StatusCode {
        match StatusCode::from_u16(self.status) {
            Ok(status) if status.is_client_error() || status.is_server_error() => status,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.http_status();
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), error = %self, "API request failed");
        }
        let body = match serde_json::to_vec(&self) {
            Ok(body) => body,
            // Serializing three plain fields cannot fail; answer anyway.
            Err(_) => br#"{"code":11,"codespace":"api","message":"internal error"}"#.to_vec(),
        };
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}
