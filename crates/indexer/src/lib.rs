//! The history indexer: reads committed blocks — transaction results, begin-
//! and end-block events, commit certificates — and writes the history the
//! chain itself does not keep (blocks and transactions, usage per device,
//! the split of each contract payment, income per holder, swaps with pool
//! prices and volumes, certificate retirements, validator uptime) to SQLite
//! (default, a file in the node's home) or PostgreSQL, and answers the
//! `/v1/history/…` queries from it. docs/indexer.md is the user's guide.
//!
//! Owns: its database and the one migration set (`migrations/`, portable SQL
//! — BIGINT and TEXT only, amounts as base-10 TEXT — run through sqlx's
//! `Any` driver on both databases).
//!
//! Invariants:
//! - a height is written in ONE database transaction together with the
//!   cursor `last_height`, so after a crash the indexer resumes at
//!   `last_height + 1` with no gap and nothing half-written ([`Indexer::index_block`]);
//! - every row's key is derived from the block (height and the position of
//!   the event in the block: the transactions' events in order, then the
//!   block hooks' events), and rows are inserted with `ON CONFLICT DO
//!   NOTHING`: indexing a height twice changes nothing;
//! - an event the indexer cannot read (a missing or malformed attribute) is
//!   skipped with a warning: history is best-effort, the indexer never stalls
//!   on one block's data;
//! - retention ([`Indexer::prune`]) deletes at most [`PRUNE_BATCH_HEIGHTS`]
//!   heights per call, between blocks, never inside a block's transaction.
//!
//! Must never: slow block production. The node's consensus task never calls
//! it; [`follow`] runs in its own task and pulls heights from the node's
//! block store ([`BlockSource`]), so a slow database only makes it lag, and
//! it catches up by height.

mod db;
mod error;
mod extract;
mod follow;
mod query;

pub use db::{DbKind, Indexer, PRUNE_BATCH_HEIGHTS};
pub use error::IndexerError;
pub use follow::{BlockSource, follow};

use fructus_component::Event;

/// One committed height, as the indexer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexBlock {
    /// Height.
    pub height: u64,
    /// Block time (ms).
    pub time_ms: u64,
    /// Block hash (hex).
    pub hash: String,
    /// The proposer's address.
    pub proposer: String,
    /// The transactions, in block order.
    pub txs: Vec<IndexTx>,
    /// Events of the begin- and end-of-block hooks.
    pub block_events: Vec<Event>,
    /// Addresses of the validator set that signs this height.
    pub validators: Vec<String>,
    /// Addresses whose signatures are in the height's commit certificate.
    pub signers: Vec<String>,
}

/// One transaction's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexTx {
    /// Hash (hex, upper case).
    pub hash: String,
    /// 0 = success.
    pub code: u32,
    /// Module that refused it.
    pub codespace: String,
    /// Its events.
    pub events: Vec<Event>,
}
