//! `WS /v1/subscribe`: committed blocks and transaction events, filtered.
//!
//! Query: `types=bank.transfer,tx.*` (event kinds, exact or `prefix.*`),
//! `account=fx1…` (events with an attribute equal to that address),
//! `asset=ID` (events whose `asset` or `asset_id` attribute equals it),
//! `blocks=true|false` (whether `new_block` messages are sent; default true).
//! `types`, `account` and `asset` only filter `tx_event` messages.
//!
//! Each message is one JSON text frame ([`NodeEvent`]). A subscriber that
//! falls behind (the node's feed overflows, or more than `ws_buffer` frames
//! wait for its socket) skips events and is told so by
//! `{"type":"lagged","missed":N}`. On shutdown the server sends a Close frame
//! (1001 "going away"); when the node's feed ends, 1011.
//!
//! Subscriptions are capped in total (`max_ws_subscriptions`) and per client
//! IP address (`max_ws_subscriptions_per_ip`): one over either cap gets 503
//! `api#13` before the upgrade, and the refusal is counted in `/metrics`
//! (`fructus_ws_subscriptions_refused_total`). Each open subscription holds
//! at most `ws_buffer` queued frames, so the memory all subscriptions can
//! pin is bounded by the product of the caps.

use axum::extract::rejection::QueryRejection;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::Extensions;
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, mpsc, watch};

use fructus_rpc_types::{API_CODESPACE, ApiError, NodeEvent, codes};

use crate::error::HttpError;
use crate::handlers::parse_address;
use crate::server::{AppState, shutdown_signal};

/// Largest message accepted from a subscriber (it has nothing to say).
const MAX_INCOMING_MESSAGE: usize = 64 * 1024;

/// Query of `WS /v1/subscribe`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SubscribeQuery {
    /// Event kinds, comma-separated: exact (`bank.transfer`) or prefix
    /// (`bank.*`); absent = all.
    types: Option<String>,
    /// Keep only events with an attribute equal to this address (bech32).
    account: Option<String>,
    /// Keep only events whose `asset` or `asset_id` attribute equals this.
    asset: Option<String>,
    /// `false` not to receive `new_block` messages.
    blocks: Option<String>,
}

/// Which messages a subscriber wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionFilter {
    /// Event kinds: exact (`bank.transfer`) or prefix (`bank.*`); empty = all.
    pub types: Vec<String>,
    /// Keep only events with an attribute equal to this address (bech32).
    pub account: Option<String>,
    /// Keep only events whose `asset` or `asset_id` attribute equals this.
    pub asset: Option<String>,
    /// Send `new_block` messages.
    pub blocks: bool,
}

impl Default for SubscriptionFilter {
    fn default() -> Self {
        SubscriptionFilter {
            types: Vec::new(),
            account: None,
            asset: None,
            blocks: true,
        }
    }
}

impl SubscriptionFilter {
    /// Parses the query parameters (see the module docs).
    fn from_query(query: SubscribeQuery) -> Result<Self, ApiError> {
        let types = query
            .types
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let account = match query.account.as_deref().filter(|a| !a.is_empty()) {
            Some(raw) => Some(parse_address(raw)?.to_string()),
            None => None,
        };
        let asset = query.asset.filter(|a| !a.is_empty());
        let blocks = match query.blocks.as_deref() {
            None | Some("") | Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "bad blocks {:?}: expected true or false",
                    crate::handlers::truncate(other, 20)
                )));
            }
        };
        Ok(SubscriptionFilter {
            types,
            account,
            asset,
            blocks,
        })
    }

    /// Whether `kind` matches one of the type patterns.
    fn kind_matches(&self, kind: &str) -> bool {
        self.types.is_empty()
            || self.types.iter().any(|pattern| {
                if pattern == "*" {
                    return true;
                }
                match pattern.strip_suffix('*') {
                    Some(prefix) => kind.starts_with(prefix),
                    None => pattern == kind,
                }
            })
    }

    /// Whether the subscriber wants `event`.
    pub fn matches(&self, event: &NodeEvent) -> bool {
        match event {
            NodeEvent::NewBlock { .. } => self.blocks,
            NodeEvent::TxEvent { event, .. } | NodeEvent::BlockEvent { event, .. } => {
                self.kind_matches(&event.kind)
                    && self
                        .account
                        .as_ref()
                        .is_none_or(|a| event.attributes.iter().any(|attr| &attr.value == a))
                    && self.asset.as_ref().is_none_or(|asset| {
                        event.attributes.iter().any(|attr| {
                            (attr.key == "asset" || attr.key == "asset_id") && &attr.value == asset
                        })
                    })
            }
        }
    }
}

/// Which cap refused a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Total,
    PerIp,
}

/// Open subscriptions, in total and per client IP address, and how many
/// were refused by each cap (rendered into `/metrics`).
#[derive(Debug, Default)]
pub(crate) struct Subscriptions {
    open: Mutex<(usize, BTreeMap<IpAddr, usize>)>,
    refused_total_cap: AtomicU64,
    refused_per_ip_cap: AtomicU64,
}

/// One open subscription's place under the caps; freed when dropped.
pub(crate) struct Slot {
    subscriptions: Arc<Subscriptions>,
    ip: Option<IpAddr>,
}

impl Subscriptions {
    /// Takes a place for a subscriber from `ip` (unknown when the router is
    /// served without connection info), or says which cap is reached.
    fn open(
        self: &Arc<Self>,
        ip: Option<IpAddr>,
        max_total: usize,
        max_per_ip: usize,
    ) -> Result<Slot, Refusal> {
        let refusal = {
            let mut guard = self.open.lock().unwrap_or_else(|e| e.into_inner());
            let (total, per_ip) = &mut *guard;
            let from_ip = ip.map_or(0, |ip| per_ip.get(&ip).copied().unwrap_or(0));
            if *total >= max_total {
                Some(Refusal::Total)
            } else if ip.is_some() && from_ip >= max_per_ip {
                Some(Refusal::PerIp)
            } else {
                *total = total.saturating_add(1);
                if let Some(ip) = ip {
                    per_ip.insert(ip, from_ip.saturating_add(1));
                }
                None
            }
        };
        match refusal {
            Some(Refusal::Total) => {
                self.refused_total_cap.fetch_add(1, Ordering::Relaxed);
                Err(Refusal::Total)
            }
            Some(Refusal::PerIp) => {
                self.refused_per_ip_cap.fetch_add(1, Ordering::Relaxed);
                Err(Refusal::PerIp)
            }
            None => Ok(Slot {
                subscriptions: self.clone(),
                ip,
            }),
        }
    }

    /// The subscription metrics in Prometheus text format.
    pub(crate) fn render(&self) -> String {
        let open = self.open.lock().map_or(0, |guard| guard.0);
        format!(
            "# HELP fructus_ws_subscriptions WebSocket subscriptions open.\n\
             # TYPE fructus_ws_subscriptions gauge\n\
             fructus_ws_subscriptions {open}\n\
             # HELP fructus_ws_subscriptions_refused_total WebSocket subscriptions refused, by the cap that was reached.\n\
             # TYPE fructus_ws_subscriptions_refused_total counter\n\
             fructus_ws_subscriptions_refused_total{{cap=\"total\"}} {}\n\
             fructus_ws_subscriptions_refused_total{{cap=\"per_ip\"}} {}\n",
            self.refused_total_cap.load(Ordering::Relaxed),
            self.refused_per_ip_cap.load(Ordering::Relaxed),
        )
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut guard = self
            .subscriptions
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let (total, per_ip) = &mut *guard;
        *total = total.saturating_sub(1);
        if let Some(ip) = self.ip {
            match per_ip.get(&ip).copied() {
                Some(n) if n > 1 => {
                    per_ip.insert(ip, n.saturating_sub(1));
                }
                _ => {
                    per_ip.remove(&ip);
                }
            }
        }
    }
}

/// `GET /v1/subscribe` (WebSocket upgrade).
#[utoipa::path(get, path = "/v1/subscribe", tag = "node",
    description = "Upgrade to a WebSocket; each message is a JSON text frame (`NodeEvent`). `types`, `account` and `asset` filter `tx_event` and `block_event` messages only. A subscriber that falls behind gets `{\"type\":\"lagged\",\"missed\":N}`. The server closes with 1001 on shutdown.",
    params(SubscribeQuery),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol; then `NodeEvent` messages", body = NodeEvent),
        (status = 400, description = "Malformed filter or not a WebSocket upgrade", body = ApiError),
        (status = 503, description = "Too many subscriptions", body = ApiError),
    ))]
pub(crate) async fn subscribe(
    State(state): State<AppState>,
    extensions: Extensions,
    query: Result<Query<SubscribeQuery>, QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let filter = match query
        .map_err(|rejection| ApiError::bad_request(format!("bad query string: {rejection}")))
        .and_then(|Query(query)| SubscriptionFilter::from_query(query))
    {
        Ok(filter) => filter,
        Err(err) => return HttpError(err).into_response(),
    };
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => {
            return HttpError(ApiError::new(
                rejection.status().as_u16(),
                API_CODESPACE,
                codes::NOT_WEBSOCKET,
                format!("{rejection}; connect with a WebSocket client"),
            ))
            .into_response();
        }
    };
    let ip = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    let slot = match state.subscriptions.open(
        ip,
        state.config.max_ws_subscriptions,
        state.config.max_ws_subscriptions_per_ip,
    ) {
        Ok(slot) => slot,
        Err(refusal) => {
            let which = match refusal {
                Refusal::Total => format!(
                    "the node serves at most {} subscriptions at once",
                    state.config.max_ws_subscriptions
                ),
                Refusal::PerIp => format!(
                    "the node serves at most {} subscriptions at once to one IP address",
                    state.config.max_ws_subscriptions_per_ip
                ),
            };
            return HttpError(ApiError::new(
                503,
                API_CODESPACE,
                codes::TOO_MANY_SUBSCRIPTIONS,
                format!("{which}; close another subscription or retry later"),
            ))
            .into_response();
        }
    };
    let events = state.node.subscribe();
    let buffer = state.config.ws_buffer.max(1);
    let shutdown = state.shutdown.clone();
    upgrade
        .max_message_size(MAX_INCOMING_MESSAGE)
        .on_upgrade(move |socket| async move {
            forward(socket, events, filter, buffer, shutdown).await;
            drop(slot);
        })
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

fn lagged(missed: u64) -> Message {
    Message::Text(
        serde_json::json!({ "type": "lagged", "missed": missed })
            .to_string()
            .into(),
    )
}

/// Forwards the node's feed to one subscriber until it leaves or the server
/// stops.
async fn forward(
    socket: WebSocket,
    mut events: broadcast::Receiver<NodeEvent>,
    filter: SubscriptionFilter,
    buffer: usize,
    mut shutdown: watch::Receiver<bool>,
) {
    let (mut sink, mut incoming) = socket.split();
    let (queue, mut outgoing) = mpsc::channel::<Message>(buffer);
    let mut writer = tokio::spawn(async move {
        while let Some(message) = outgoing.recv().await {
            let last = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || last {
                break;
            }
        }
        // The peer may already be gone; nothing more to tell it.
        let _ = sink.close().await;
    });
    let mut missed: u64 = 0;
    let mut final_frame = None;
    loop {
        tokio::select! {
            () = shutdown_signal(&mut shutdown) => {
                final_frame = Some(close(close_code::AWAY, "server shutting down"));
                break;
            }
            message = incoming.next() => match message {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                // Pings are answered by the protocol layer; anything else
                // the subscriber sends is ignored.
                Some(Ok(_)) => {}
            },
            event = events.recv() => match event {
                Ok(event) => {
                    if !filter.matches(&event) {
                        continue;
                    }
                    if missed > 0 {
                        match queue.try_send(lagged(missed)) {
                            Ok(()) => missed = 0,
                            Err(mpsc::error::TrySendError::Full(_)) => {
                                missed = missed.saturating_add(1);
                                continue;
                            }
                            Err(mpsc::error::TrySendError::Closed(_)) => break,
                        }
                    }
                    let Ok(text) = serde_json::to_string(&event) else {
                        continue;
                    };
                    match queue.try_send(Message::Text(text.into())) {
                        Ok(()) => {}
                        Err(mpsc::error::TrySendError::Full(_)) => missed = missed.saturating_add(1),
                        Err(mpsc::error::TrySendError::Closed(_)) => break,
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    missed = missed.saturating_add(n);
                    if queue.try_send(lagged(missed)).is_ok() {
                        missed = 0;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => {
                    final_frame = Some(close(close_code::ERROR, "node event feed ended"));
                    break;
                }
            },
            _ = &mut writer => return,
        }
    }
    if let Some(frame) = final_frame {
        // Best effort: a subscriber too slow to take the Close frame is cut.
        let _ = queue.try_send(frame);
        drop(queue);
        if tokio::time::timeout(std::time::Duration::from_secs(2), &mut writer)
            .await
            .is_err()
        {
            writer.abort();
        }
    } else {
        drop(queue);
        writer.abort();
    }
}
