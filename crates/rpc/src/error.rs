//! Errors: the server's own ([`RpcError`]) and the mapping of [`ApiError`]
//! (with the stable `api` codes of [`crate::codes`]) onto an HTTP response.
//!
//! Every error response is JSON `{code, codespace, message}` with a 4xx/5xx
//! status. Errors returned by the node pass through unchanged; the API layer's
//! own refusals use codespace `api` with the codes in [`codes`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use fructus_rpc_types::ApiError;

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

/// An [`ApiError`] as an HTTP response: what every handler fails with.
#[derive(Debug)]
pub(crate) struct HttpError(pub(crate) ApiError);

impl From<ApiError> for HttpError {
    fn from(error: ApiError) -> Self {
        HttpError(error)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let error = self.0;
        let status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), %error, "API request failed");
        }
        let body = match serde_json::to_vec(&error) {
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
