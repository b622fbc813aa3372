//! Every request body is read whole before routing.
//!
//! A route that does not read its body (a `GET`, a method that is not
//! allowed, an unknown path) would otherwise leave the rest of it on the
//! connection; hyper then closes the connection after the response without
//! saying so, and a client that reuses it (any HTTP client with a
//! connection pool) sees its next request fail with "connection closed
//! without response". So the body is read here, up to the configured
//! limit (`ApiConfig::max_body_bytes`), and handed on in memory; a larger
//! body gets 413 `api#6` with `Connection: close`, so the client knows not
//! to reuse the connection.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fructus_rpc_types::ApiError;

use crate::error::HttpError;

/// The middleware: reads the body (at most `max` bytes), then routes.
pub(crate) async fn read_whole(State(max): State<usize>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, max).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => {
            let mut response = HttpError(ApiError::body_too_large(format!(
                "the request body is larger than this node accepts ({max} bytes, \
                 [api] max_body_bytes) or was cut off; send a smaller body"
            )))
            .into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}
