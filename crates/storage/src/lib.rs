//! Fructus state storage: a versioned, authenticated (Merkle) key-value
//! store, plus the in-memory overlays transactions execute on.
//!
//! # What it owns
//!
//! - [`Storage`]: committed state, one version per block. Each version has a
//!   [`RootHash`] and every key's value (or absence) at any retained version
//!   can be proven with a [`MerkleProof`].
//! - [`Snapshot`]: a consistent read-only view of the latest version.
//! - [`StateDelta`]: layered write overlays over a snapshot — a block-level
//!   layer plus one checkpoint per transaction — merged into a [`ChangeSet`]
//!   that [`Storage::commit`] persists.
//! - [`Speculative`]: an overlay over any readable state that records what
//!   a group of transactions read and wrote, so they can execute in
//!   parallel and be checked for conflicts before their writes are kept.
//! - [`StateRead`] / [`StateWrite`]: the only interface the rest of the node
//!   uses to read and write state.
//!
//! # Why this design
//!
//! - **Jellyfish Merkle Tree (`jmt`)**: the tree Penumbra runs in
//!   production; it gives membership *and* non-membership proofs and keeps
//!   every version addressable.
//! - **redb**: a pure-Rust embedded database. No libclang / RocksDB C++
//!   build, so CI builds in a fraction of the time. It gives ACID commits
//!   with copy-on-write B-trees: a crash at any point leaves the last
//!   committed version intact.
//! - **The glue we own**: the overlays, version bookkeeping, and a raw-key
//!   index (`kv` table) — the tree is keyed by key *hash*, so raw-key reads
//!   and ordered prefix scans of the latest version go through the index,
//!   never the tree.
//!
//! # Invariants
//!
//! - Versions are committed densely from 0; a commit is one durable write
//!   transaction (nodes, values, index, root, version marker) — all or
//!   nothing.
//! - The `kv` index always equals the tree's contents at the latest version,
//!   plus the keys kept beside the tree ([`OFF_TREE_PREFIX`]: latest value
//!   only, not authenticated; their writer commits to them through a tree
//!   key).
//! - The store records its layout (`store format` in `meta`) and
//!   [`Storage::open`] refuses another one
//!   ([`StorageError::IncompatibleFormat`]) before writing anything. The
//!   tree's nodes are stored in this crate's dense layout (`node_codec`),
//!   not jmt's borsh.
//! - A root for every kept version is recorded; with [`Pruning::KeepRecent`]
//!   the versions below [`Storage::oldest_version`] are pruned (their
//!   roots, and the nodes and values only they read) and asking for them is
//!   [`StorageError::VersionPruned`].
//!
//! # What it must never do
//!
//! - Never write to the database except in [`Storage::commit`].
//! - Never panic on bad input or a bad database: every failure is a typed
//!   [`StorageError`] or [`ProofError`].
//! - Never interpret values: it stores bytes; encoding is borsh, chosen in
//!   the provided methods of [`StateRead`] / [`StateWrite`] only.
//!
//! Snapshots: [`Storage::export`] streams the latest version's entries in
//! chunks; [`Storage::restore`] rebuilds that version in an empty store, whose
//! root the caller checks against the certified app hash.

mod change_set;
mod delta;
mod error;
mod merge;
mod node_codec;
mod proof;
mod pruning;
mod read_cache;
mod root_hash;
mod snapshot;
mod speculative;
mod state;
mod storage;
mod tables;
mod tree_reader;

pub use change_set::ChangeSet;
pub use delta::StateDelta;
pub use error::{ProofError, Result, StorageError};
pub use merge::prefix_over;
pub use proof::MerkleProof;
pub use pruning::Pruning;
pub use root_hash::RootHash;
pub use snapshot::Snapshot;
pub use speculative::{Access, Delta, Speculative, SpeculativeWrites, Uncovered};
pub use state::{Checkpoints, StateRead, StateWrite};
pub use storage::{DB_FILE_NAME, StagedVersion, Storage, StoreStats, TableBytes};
pub use tables::OFF_TREE_PREFIX;
