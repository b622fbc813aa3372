//! Transaction gossip: every transaction this node admits (from its API or
//! from a peer) is pushed to its gossip peers over plain TCP; peers admit it
//! through the same checks, and re-push it only if it was new to them, so
//! a transaction floods the network once and duplicates stop at admission.
//!
//! Frame: a 4-byte big-endian length, then the signed transaction bytes.
//! Frames above [`MAX_FRAME`] close the connection.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::{broadcast, watch},
};
use tracing::{debug, warn};

use crate::{api::NodeApiImpl, shared::Metrics};

/// Largest gossiped transaction frame (1 MiB).
pub(crate) const MAX_FRAME: usize = 1024 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// Accepts peers' pushes until `stop`.
pub(crate) async fn serve_inbound(
    listener: TcpListener,
    api: Arc<NodeApiImpl>,
    stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            () = stopped(stop.clone()) => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tokio::spawn(read_frames(stream, peer, api.clone(), stop.clone()));
                }
                Err(e) => warn!(error = %e, "gossip accept failed"),
            }
        }
    }
}

async fn read_frames(
    mut stream: TcpStream,
    peer: SocketAddr,
    api: Arc<NodeApiImpl>,
    stop: watch::Receiver<bool>,
) {
    loop {
        let mut len = [0u8; 4];
        let read = tokio::select! {
            () = stopped(stop.clone()) => return,
            r = stream.read_exact(&mut len) => r,
        };
        if read.is_err() {
            return;
        }
        let n = usize::try_from(u32::from_be_bytes(len)).unwrap_or(usize::MAX);
        if n > MAX_FRAME {
            warn!(%peer, n, "gossip frame too large; closing");
            return;
        }
        let mut tx = vec![0u8; n];
        if stream.read_exact(&mut tx).await.is_err() {
            return;
        }
        let api = api.clone();
        // Admission verifies a signature: keep it off the I/O threads.
        let outcome = tokio::task::spawn_blocking(move || api.admit(tx)).await;
        if let Ok(Err(e)) = outcome {
            debug!(%peer, error = %e, "gossiped transaction refused");
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
                r = txs.recv() => r,
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
