//! Following the node: index every stored height, in order, in a task of
//! its own.

use std::{sync::Arc, time::Duration};

use tokio::sync::broadcast;

use crate::{IndexBlock, Indexer, IndexerError};

/// Most heights indexed before the follower checks retention again.
const CATCH_UP_BATCH: u64 = 100;
/// The longest the follower sleeps without a wake-up.
const IDLE_POLL: Duration = Duration::from_secs(1);

/// Where committed blocks come from (the node's block store). Reads are
/// quick and never wait for the consensus task.
pub trait BlockSource: Send + Sync + 'static {
    /// The oldest height stored (blocks below were pruned).
    fn first_height(&self) -> Result<u64, String>;
    /// The last height stored (0: none).
    fn last_height(&self) -> Result<u64, String>;
    /// The block at `height` with its results, events and signers.
    fn block(&self, height: u64) -> Result<Option<IndexBlock>, String>;
}

impl Indexer {
    /// Indexes the stored heights after the cursor, at most `max` of them;
    /// returns how many it indexed. A fresh index (or one whose next height
    /// the source pruned) starts at the source's oldest stored height.
    pub async fn catch_up(&self, source: &dyn BlockSource, max: u64) -> Result<u64, IndexerError> {
        let source_error = |height| move |message| IndexerError::Source { height, message };
        let head = source.last_height().map_err(source_error(0))?;
        let first = source.first_height().map_err(source_error(0))?;
        let last = self.last_height().await?;
        let mut next = last.saturating_add(1).max(first);
        if last > 0 && next > last.saturating_add(1) && next <= head {
            tracing::warn!(
                indexed = last,
                oldest_stored = first,
                "indexer: the block store pruned heights it had not indexed yet; history has a \
                 gap (keep [pruning] keep_blocks above the indexer's lag)"
            );
        }
        let mut done = 0u64;
        while next <= head && done < max {
            let block = source
                .block(next)
                .map_err(source_error(next))?
                .ok_or_else(|| IndexerError::Source {
                    height: next,
                    message: "the block store has no block at this height".to_owned(),
                })?;
            self.index_block(&block).await?;
            next = next.saturating_add(1);
            done = done.saturating_add(1);
        }
        Ok(done)
    }
}

/// Follows `source` for as long as the task runs: indexes each new height
/// (woken by `wake`, e.g. the node's event feed, or every second), applies
/// retention when caught up, and retries after an error. Dropping or
/// aborting the task mid-height rolls that height's transaction back.
pub async fn follow<W: Clone>(
    indexer: Arc<Indexer>,
    source: Arc<dyn BlockSource>,
    mut wake: broadcast::Receiver<W>,
) {
    loop {
        match indexer.catch_up(source.as_ref(), CATCH_UP_BATCH).await {
            Ok(n) if n >= CATCH_UP_BATCH => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "indexer: will retry"),
        }
        match indexer.prune().await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "indexer: pruning failed; will retry"),
        }
        tokio::select! {
            r = wake.recv() => {
                if let Err(broadcast::error::RecvError::Closed) = r {
                    // The node is going away; keep polling until aborted.
                    tokio::time::sleep(IDLE_POLL).await;
                }
                // One catch-up serves every wake-up already queued (a block
                // brings many events).
                while !matches!(
                    wake.try_recv(),
                    Err(broadcast::error::TryRecvError::Empty | broadcast::error::TryRecvError::Closed)
                ) {}
            }
            () = tokio::time::sleep(IDLE_POLL) => {}
        }
    }
}
