//! Server settings.

use std::time::Duration;

/// Settings of the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiConfig {
    /// Largest accepted request body in bytes; larger bodies get 413 `api#6`.
    pub max_body_bytes: usize,
    /// Upper bound on `POST /v1/txs?wait=commit` (and on any submission);
    /// past it the request fails with 504 `api#4`.
    pub wait_timeout: Duration,
    /// Frames queued for one WebSocket subscriber before it counts as
    /// lagging: further events are skipped and reported in a `lagged` frame.
    pub ws_buffer: usize,
}

impl ApiConfig {
    /// Default body limit: 1 MiB.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
    /// Default wait bound: 30 s.
    pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default subscriber queue: 256 frames.
    pub const DEFAULT_WS_BUFFER: usize = 256;
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            wait_timeout: Self::DEFAULT_WAIT_TIMEOUT,
            ws_buffer: Self::DEFAULT_WS_BUFFER,
        }
    }
}
