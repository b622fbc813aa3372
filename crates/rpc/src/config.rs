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
    /// Origins (`https://explorer.example`) whose browser pages may call the
    /// API (CORS). Empty (the default): no cross-origin access; `"*"`: any.
    pub cors_allowed_origins: Vec<String>,
    /// Most WebSocket subscriptions open at once; more get 503 `api#13`.
    pub max_ws_subscriptions: usize,
    /// Most WebSocket subscriptions open at once from one IP address; more
    /// get 503 `api#13`.
    pub max_ws_subscriptions_per_ip: usize,
}

impl ApiConfig {
    /// Default body limit: 1 MiB.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
    /// Default wait bound: 30 s.
    pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default subscriber queue: 256 frames.
    pub const DEFAULT_WS_BUFFER: usize = 256;
    /// Default cap on open subscriptions: 512.
    pub const DEFAULT_MAX_WS_SUBSCRIPTIONS: usize = 512;
    /// Default cap on open subscriptions per IP address: 16.
    pub const DEFAULT_MAX_WS_SUBSCRIPTIONS_PER_IP: usize = 16;
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            wait_timeout: Self::DEFAULT_WAIT_TIMEOUT,
            ws_buffer: Self::DEFAULT_WS_BUFFER,
            cors_allowed_origins: Vec::new(),
            max_ws_subscriptions: Self::DEFAULT_MAX_WS_SUBSCRIPTIONS,
            max_ws_subscriptions_per_ip: Self::DEFAULT_MAX_WS_SUBSCRIPTIONS_PER_IP,
        }
    }
}
