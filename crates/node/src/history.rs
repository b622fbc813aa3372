//! The node's side of the history indexer ([`fructus_indexer`]): the block
//! store as its [`BlockSource`], and the task that follows it.
//!
//! The consensus task never waits for the indexer: the indexer reads
//! committed heights from the block store (redb readers never block its
//! writer) in a task of its own, woken by the node's event feed, so a slow
//! or unreachable database only makes history lag.

use std::sync::Arc;

use fructus_indexer::{BlockSource, IndexBlock, IndexTx, Indexer};

use crate::{BlockStore, shared::Shared};

/// The block store, read by height.
pub(crate) struct StoreSource {
    pub(crate) store: Arc<BlockStore>,
}

impl BlockSource for StoreSource {
    fn first_height(&self) -> Result<u64, String> {
        self.store.first_height().map_err(|e| e.to_string())
    }

    fn last_height(&self) -> Result<u64, String> {
        self.store.last_height().map_err(|e| e.to_string())
    }

    fn block(&self, height: u64) -> Result<Option<IndexBlock>, String> {
        let Some(stored) = self.store.stored(height).map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let validators = self
            .store
            .validators(height)
            .map_err(|e| e.to_string())?
            .unwrap_or_default()
            .iter()
            .map(|v| v.public_key.address().to_string())
            .collect();
        // A certificate that does not decode counts as no signatures.
        let signers = fructus_consensus::decode_certificate(&stored.certificate)
            .map(|c| c.signatures.iter().map(|(a, _)| a.to_string()).collect())
            .unwrap_or_default();
        let header = &stored.block.header;
        Ok(Some(IndexBlock {
            height,
            time_ms: header.time.0,
            hash: hex::encode(stored.block.hash()),
            proposer: header.proposer.to_string(),
            txs: stored
                .results
                .into_iter()
                .map(|r| IndexTx {
                    hash: r.hash.to_string(),
                    code: r.code,
                    codespace: r.codespace,
                    events: r.events,
                })
                .collect(),
            block_events: stored.events,
            validators,
            signers,
        }))
    }
}

/// Starts following the block store into `indexer`; abort the handle to
/// stop (a height being written is rolled back).
pub(crate) fn spawn(
    indexer: Arc<Indexer>,
    store: Arc<BlockStore>,
    shared: &Shared,
) -> tokio::task::JoinHandle<()> {
    let source: Arc<dyn BlockSource> = Arc::new(StoreSource { store });
    tokio::spawn(fructus_indexer::follow(indexer, source, shared.subscribe()))
}
