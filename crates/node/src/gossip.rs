//! Transaction gossip: every transaction this node admits (from its API or
//! from a peer) is pushed to its gossip peers over plain TCP; peers admit it
//! through the same checks, and re-push it only if it was new to them, so
//! a transaction floods the network once and duplicates stop at admission.
//!
//! Frame: a 4-byte big-endian length, then the signed transaction bytes.
//! A zero length is a keepalive (senders send one after [`KEEPALIVE`] of
//! silence). Frames above [`MAX_FRAME`] close the connection.
//!
//! The listener is bounded (finding 10 of the audit: stalled frames used to
//! pin 1 MiB each, without limit), every cap from `[mempool]` in
//! config.toml and every refusal counted in `/metrics`:
//! - at most `gossip_max_inbound` connections, `gossip_max_inbound_per_ip`
//!   from one IP address; more are closed on accept;
//! - a connection that starts no frame within `gossip_idle_timeout_ms` is
//!   closed, and so is one whose started frame (length and body) does not
//!   arrive whole within `gossip_frame_timeout_ms`;
//! - a frame's body is read as it arrives (never allocated from the
//!   announced length alone), after reserving its length from a budget of
//!   `gossip_max_buffered_bytes` shared by all connections; a frame that
//!   gets no room within the frame timeout closes its connection.
//!
//! So the bytes held for inbound frames never exceed
//! `gossip_max_buffered_bytes` (16 MiB by default), whatever peers send.

use std::{
    collections::BTreeMap,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::{Semaphore, broadcast, watch},
};
use tracing::{debug, warn};

use crate::{
    api::NodeApiImpl,
    config::MempoolConfig,
    shared::{Metrics, Shared},
};

/// Largest gossiped transaction frame (1 MiB).
pub(crate) const MAX_FRAME: usize = 1024 * 1024;
/// Silence after which a sender sends a keepalive (an empty frame).
pub(crate) const KEEPALIVE: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The inbound caps (from `[mempool]` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InboundLimits {
    /// Most connections at once.
    pub(crate) max_inbound: usize,
    /// Most connections at once from one IP address.
    pub(crate) max_inbound_per_ip: usize,
    /// Longest wait for the first byte of a frame.
    pub(crate) idle_timeout: Duration,
    /// Longest time a started frame may take to arrive whole.
    pub(crate) frame_timeout: Duration,
    /// Most bytes of frames being received, over all connections.
    pub(crate) max_buffered_bytes: usize,
}

impl InboundLimits {
    /// The caps configured in `[mempool]`.
    pub(crate) fn from_config(c: &MempoolConfig) -> Self {
        InboundLimits {
            max_inbound: c.gossip_max_inbound,
            max_inbound_per_ip: c.gossip_max_inbound_per_ip,
            idle_timeout: Duration::from_millis(c.gossip_idle_timeout_ms),
            frame_timeout: Duration::from_millis(c.gossip_frame_timeout_ms),
            max_buffered_bytes: c.gossip_max_buffered_bytes,
        }
    }
}

/// Open inbound connections, in total and per IP address.
#[derive(Debug, Default)]
struct Open {
    total: usize,
    per_ip: BTreeMap<IpAddr, usize>,
}

/// One inbound connection's place under the caps; freed when dropped.
struct Slot {
    open: Arc<Mutex<Open>>,
    ip: IpAddr,
    shared: Arc<Shared>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        match open.per_ip.get(&self.ip).copied() {
            Some(n) if n > 1 => {
                open.per_ip.insert(self.ip, n.saturating_sub(1));
            }
            _ => {
                open.per_ip.remove(&self.ip);
            }
        }
        Metrics::sub(&self.shared.metrics.gossip_inbound, 1);
    }
}

/// Takes a place for a connection from `ip`, or counts the refusal.
fn admit_connection(
    open: &Arc<Mutex<Open>>,
    ip: IpAddr,
    limits: &InboundLimits,
    shared: &Arc<Shared>,
) -> Option<Slot> {
    let mut guard = open.lock().unwrap_or_else(|e| e.into_inner());
    let from_ip = guard.per_ip.get(&ip).copied().unwrap_or(0);
    let m = &shared.metrics;
    if guard.total >= limits.max_inbound {
        Metrics::add(&m.gossip_refused_total_cap, 1);
        return None;
    }
    if from_ip >= limits.max_inbound_per_ip {
        Metrics::add(&m.gossip_refused_per_ip_cap, 1);
        return None;
    }
    guard.total = guard.total.saturating_add(1);
    guard.per_ip.insert(ip, from_ip.saturating_add(1));
    Metrics::add(&m.gossip_inbound, 1);
    Some(Slot {
        open: open.clone(),
        ip,
        shared: shared.clone(),
    })
}

async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// Accepts peers' pushes until `stop`, within `limits`.
pub(crate) async fn serve_inbound(
    listener: TcpListener,
    api: Arc<NodeApiImpl>,
    shared: Arc<Shared>,
    limits: InboundLimits,
    stop: watch::Receiver<bool>,
) {
    let open = Arc::new(Mutex::new(Open::default()));
    // Permits are bytes; the validated config keeps the budget within u32.
    let budget = Arc::new(Semaphore::new(limits.max_buffered_bytes));
    loop {
        tokio::select! {
            () = stopped(stop.clone()) => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let Some(slot) = admit_connection(&open, peer.ip(), &limits, &shared) else {
                        debug!(%peer, "gossip connection refused: cap reached");
                        drop(stream);
                        continue;
                    };
                    let link = Inbound {
                        peer,
                        api: api.clone(),
                        shared: shared.clone(),
                        limits,
                        budget: budget.clone(),
                    };
                    tokio::spawn(link.read_frames(stream, slot, stop.clone()));
                }
                Err(e) => warn!(error = %e, "gossip accept failed"),
            }
        }
    }
}

/// Why an inbound connection ends.
enum End {
    /// The peer left, or the node stops: nothing to count.
    Quiet,
    /// No frame started within the idle timeout.
    Idle,
    /// A started frame did not arrive whole within the frame timeout.
    Slow,
    /// No buffer room for the frame within the frame timeout.
    BufferFull,
    /// The announced frame is larger than [`MAX_FRAME`].
    Oversized,
}

/// One inbound connection.
struct Inbound {
    peer: SocketAddr,
    api: Arc<NodeApiImpl>,
    shared: Arc<Shared>,
    limits: InboundLimits,
    budget: Arc<Semaphore>,
}

impl Inbound {
    async fn read_frames(self, mut stream: TcpStream, slot: Slot, stop: watch::Receiver<bool>) {
        let end = tokio::select! {
            () = stopped(stop) => End::Quiet,
            end = self.frames(&mut stream) => end,
        };
        let m = &self.shared.metrics;
        let (counter, what) = match end {
            End::Quiet => (None, ""),
            End::Idle => (Some(&m.gossip_closed_idle), "idle"),
            End::Slow => (Some(&m.gossip_closed_slow), "too slow to send a frame"),
            End::BufferFull => (Some(&m.gossip_closed_buffer_full), "no buffer room"),
            End::Oversized => (Some(&m.gossip_closed_oversized), "frame too large"),
        };
        if let Some(counter) = counter {
            Metrics::add(counter, 1);
            debug!(peer = %self.peer, reason = what, "gossip connection closed");
        }
        drop(slot);
    }

    /// Reads and admits frames until the connection must end.
    async fn frames(&self, stream: &mut TcpStream) -> End {
        loop {
            let mut len = [0u8; 4];
            match tokio::time::timeout(self.limits.idle_timeout, stream.read(&mut len[..1])).await {
                Err(_) => return End::Idle,
                Ok(Ok(0) | Err(_)) => return End::Quiet,
                Ok(Ok(_)) => {}
            }
            // The config bounds the timeout to an hour, so this cannot fail.
            let Some(deadline) = tokio::time::Instant::now().checked_add(self.limits.frame_timeout)
            else {
                return End::Slow;
            };
            match tokio::time::timeout_at(deadline, stream.read_exact(&mut len[1..])).await {
                Err(_) => return End::Slow,
                Ok(Err(_)) => return End::Quiet,
                Ok(Ok(_)) => {}
            }
            let n = u32::from_be_bytes(len);
            let Ok(size) = usize::try_from(n) else {
                return End::Oversized;
            };
            if size == 0 {
                continue;
            }
            if size > MAX_FRAME {
                warn!(peer = %self.peer, size, "gossip frame too large; closing");
                return End::Oversized;
            }
            let permit =
                match tokio::time::timeout_at(deadline, self.budget.clone().acquire_many_owned(n))
                    .await
                {
                    Ok(Ok(permit)) => permit,
                    _ => return End::BufferFull,
                };
            let m = &self.shared.metrics;
            Metrics::add(&m.gossip_buffered_bytes, u64::from(n));
            // Grows with what actually arrives, never to `size` up front.
            let mut tx = Vec::new();
            let read = tokio::time::timeout_at(
                deadline,
                (&mut *stream).take(u64::from(n)).read_to_end(&mut tx),
            )
            .await;
            let end = match read {
                Err(_) => Some(End::Slow),
                Ok(Err(_)) => Some(End::Quiet),
                Ok(Ok(got)) if got < size => Some(End::Quiet),
                Ok(Ok(_)) => None,
            };
            if end.is_none() {
                let api = self.api.clone();
                // Admission verifies a signature: keep it off the I/O threads.
                let outcome = tokio::task::spawn_blocking(move || api.admit(tx)).await;
                if let Ok(Err(e)) = outcome {
                    debug!(peer = %self.peer, error = %e, "gossiped transaction refused");
                }
            }
            Metrics::sub(&m.gossip_buffered_bytes, u64::from(n));
            drop(permit);
            if let Some(end) = end {
                return end;
            }
        }
    }
}

/// Keeps a connection to `peer` and pushes every admitted transaction.
pub(crate) async fn push_to(
    peer: SocketAddr,
    mut txs: broadcast::Receiver<Vec<u8>>,
    shared: Arc<crate::shared::Shared>,
    stop: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(200);
    loop {
        let connect = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(peer));
        let mut stream = tokio::select! {
            () = stopped(stop.clone()) => return,
            c = connect => match c {
                Ok(Ok(s)) => s,
                _ => {
                    tokio::select! {
                        () = stopped(stop.clone()) => return,
                        () = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff.saturating_mul(2)).min(MAX_BACKOFF);
                    continue;
                }
            }
        };
        let _ = stream.set_nodelay(true);
        backoff = Duration::from_millis(200);
        Metrics::add(&shared.metrics.gossip_peers, 1);
        loop {
            let tx = tokio::select! {
                () = stopped(stop.clone()) => {
                    shared.metrics.gossip_peers.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
                    return;
                }
                r = txs.recv() => Some(r),
                () = tokio::time::sleep(KEEPALIVE) => None,
            };
            let Some(tx) = tx else {
                if stream.write_all(&[0u8; 4]).await.is_err() {
                    Metrics::sub(&shared.metrics.gossip_peers, 1);
                    break;
                }
                continue;
            };
            let tx = match tx {
                Ok(tx) => tx,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    warn!(%peer, missed = n, "gossip fell behind; some transactions were not pushed");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            };
            let Ok(len) = u32::try_from(tx.len()) else {
                continue;
            };
            let mut frame = Vec::with_capacity(tx.len().saturating_add(4));
            frame.extend_from_slice(&len.to_be_bytes());
            frame.extend_from_slice(&tx);
            if stream.write_all(&frame).await.is_err() {
                shared
                    .metrics
                    .gossip_peers
                    .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::Head;

    fn limits(max_inbound: usize, max_inbound_per_ip: usize) -> InboundLimits {
        InboundLimits {
            max_inbound,
            max_inbound_per_ip,
            idle_timeout: Duration::from_secs(60),
            frame_timeout: Duration::from_secs(10),
            max_buffered_bytes: MAX_FRAME,
        }
    }

    #[test]
    fn connections_are_capped_in_total_and_per_ip_and_freed_on_drop() {
        let shared = Arc::new(Shared::new(Head::default(), 16));
        let open = Arc::new(Mutex::new(Open::default()));
        let limits = limits(3, 2);
        let a = IpAddr::from([10, 0, 0, 1]);
        let b = IpAddr::from([10, 0, 0, 2]);
        let first = admit_connection(&open, a, &limits, &shared);
        let second = admit_connection(&open, a, &limits, &shared);
        assert!(first.is_some() && second.is_some());
        assert!(admit_connection(&open, a, &limits, &shared).is_none());
        let third = admit_connection(&open, b, &limits, &shared);
        assert!(third.is_some());
        assert!(admit_connection(&open, b, &limits, &shared).is_none());
        let m = &shared.metrics;
        assert_eq!(Metrics::get(&m.gossip_refused_per_ip_cap), 1);
        assert_eq!(Metrics::get(&m.gossip_refused_total_cap), 1);
        assert_eq!(Metrics::get(&m.gossip_inbound), 3);
        drop(first);
        assert_eq!(Metrics::get(&m.gossip_inbound), 2);
        let fourth = admit_connection(&open, a, &limits, &shared);
        assert!(fourth.is_some());
        drop(second);
        drop(third);
        let open = open.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(open.total, 1);
        assert_eq!(open.per_ip.len(), 1);
    }
}
