//! Errors returned by the storage crate.
//!
//! Two enums: [`StorageError`] for everything that touches the database or
//! decodes state, and [`ProofError`] for Merkle-proof decoding and
//! verification (which runs on clients, without a database).

use thiserror::Error;

/// Result alias used throughout the crate.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// An error from the state store.
#[derive(Debug, Error)]
pub enum StorageError {
    /// The embedded database (redb) reported an error.
    #[error("database error while {context}: {message}")]
    Database {
        /// What the store was doing when the error happened.
        context: &'static str,
        /// The database's own message.
        message: String,
    },
    /// Creating the directory that holds the database failed.
    #[error("cannot create storage directory {path}: {message}")]
    Io {
        /// The directory that could not be created.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// A commit was attempted with a version other than the next one.
    #[error("version mismatch: expected to commit version {expected}, got {got}")]
    VersionMismatch {
        /// The only version that may be committed next.
        expected: u64,
        /// The version the caller asked for.
        got: u64,
    },
    /// No more versions can be committed (`u64::MAX` is reserved by the tree).
    #[error("version space exhausted after version {latest}")]
    VersionExhausted {
        /// The latest committed version.
        latest: u64,
    },
    /// The requested version was never committed.
    #[error("version {version} was never committed (latest: {latest:?})")]
    VersionNotFound {
        /// The version asked for.
        version: u64,
        /// The latest committed version, if any.
        latest: Option<u64>,
    },
    /// A stored or state value could not be decoded.
    #[error("cannot decode value at key {key}: {message}")]
    Decode {
        /// The key (hex) whose value failed to decode.
        key: String,
        /// The decoder's message.
        message: String,
    },
    /// A value could not be encoded for writing.
    #[error("cannot encode value for key {key}: {message}")]
    Encode {
        /// The key (hex) whose value failed to encode.
        key: String,
        /// The encoder's message.
        message: String,
    },
    /// A record in the database is not in the format this crate writes.
    #[error("corrupt {table} record: {message}")]
    Corrupt {
        /// The table holding the bad record.
        table: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The Jellyfish Merkle tree reported an error.
    #[error("merkle tree error while {context}: {message}")]
    Tree {
        /// What the store was doing when the error happened.
        context: &'static str,
        /// The tree's message.
        message: String,
    },
    /// The thread that makes committed versions durable in the background
    /// ([`crate::Storage::set_sync_in_background`]) panicked, or the lock
    /// that hands it over was poisoned (a database error of its own commit
    /// is returned as [`StorageError::Database`]).
    #[error("syncing the store to disk failed: {message}")]
    Sync {
        /// What went wrong.
        message: String,
    },
    /// The version was committed but its state has since been pruned.
    #[error(
        "the state of version {version} has been pruned: this node keeps versions from {oldest} on \
         (ask an archive node for older heights)"
    )]
    VersionPruned {
        /// The version asked for.
        version: u64,
        /// The oldest version still kept.
        oldest: u64,
    },
    /// A [`crate::Speculative`] overlay saw a view no in-order execution
    /// could produce (its own blind deltas to a counter do not apply). Never
    /// leaves the app: the group is re-executed in block order.
    #[error("speculative execution must be redone in order: the deltas to key {key} do not apply")]
    Speculation {
        /// The key (hex).
        key: String,
    },
    /// A proof was asked for a key kept beside the tree
    /// ([`crate::OFF_TREE_PREFIX`]), which has none.
    #[error(
        "key {key} is kept beside the Merkle tree and has no proof: prove the tree key that \
         commits to it instead"
    )]
    NotInTree {
        /// The key (hex).
        key: String,
    },
    /// The store's records are in a layout this build does not read.
    #[error(
        "the state store was written in store format {found} and this binary reads format \
         {expected}: the home was written by another release; run that release, start from a \
         fresh genesis (a devnet: --reset), or join from a snapshot (`fructus snapshot restore`)"
    )]
    IncompatibleFormat {
        /// The format recorded in the store (1: before formats were recorded).
        found: u64,
        /// The format this build reads.
        expected: u64,
    },
}

impl StorageError {
    /// Builds a [`StorageError::Database`] from any redb error.
    pub(crate) fn db(context: &'static str, err: impl std::fmt::Display) -> Self {
        StorageError::Database {
            context,
            message: err.to_string(),
        }
    }
}

/// An error decoding or verifying a [`crate::MerkleProof`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The proof bytes are not a valid borsh-encoded proof.
    #[error("cannot decode merkle proof: {message}")]
    Decode {
        /// The decoder's message.
        message: String,
    },
    /// The proof does not show that `key` holds the given value under the root.
    #[error("membership proof for key {key} does not verify against root {root}: {message}")]
    Membership {
        /// The key (hex).
        key: String,
        /// The root (hex) verified against.
        root: String,
        /// Why verification failed.
        message: String,
    },
    /// The proof does not show that `key` is absent under the root.
    #[error("non-membership proof for key {key} does not verify against root {root}: {message}")]
    NonMembership {
        /// The key (hex).
        key: String,
        /// The root (hex) verified against.
        root: String,
        /// Why verification failed.
        message: String,
    },
}
