//! The Fructus node: everything around the state machine that turns it into
//! a chain run by validators as separate processes.
//!
//! Owns: the home directory and its files ([`home`]), the genesis ceremony
//! ([`ceremony`]), state snapshots for joining nodes ([`snapshot`]), the
//! configuration
//! ([`config`]), the block store ([`block_store`]), the mempool and
//! transaction gossip, the consensus host that proposes, validates and
//! commits blocks for the Malachite glue ([`host`]), the API backend
//! ([`api`]) and the node's start-up and shutdown ([`node::run`]),
//! including the halt at a governance upgrade height ([`upgrade`]), and,
//! when enabled, the history indexer that follows the block store in a
//! task of its own (`history`, [`fructus_indexer`]).
//!
//! Invariants: a decided block is stored (and synced to disk) before app
//! state commits; the state is synced every block or every few
//! (`[storage] sync_every_blocks`), by default on a background thread
//! while the next block executes (`sync_in_background`), and start-up
//! replays the stored blocks
//! the state lacks, so a crash at any moment loses nothing committed; the
//! app is touched only by the consensus task; the API reads storage
//! snapshots and the block store.
//!
//! Must never: change state outside a decided block, or listen on addresses
//! other than those configured (127.0.0.1 by default).

pub mod api;
pub mod block_store;
pub mod ceremony;
pub mod config;
mod error;
mod gossip;
mod history;
pub mod home;
pub mod host;
pub mod mempool;
pub mod node;
pub mod shared;
pub mod snapshot;
pub mod upgrade;
mod view;

pub use block_store::BlockStore;
pub use config::NodeConfig;
pub use error::NodeError;
pub use home::Home;
pub use mempool::Mempool;
