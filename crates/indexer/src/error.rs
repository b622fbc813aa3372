//! The indexer's errors.

/// Why the indexer could not do something.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    /// The database URL names neither SQLite nor PostgreSQL.
    #[error("indexer database {url:?} is not supported: use sqlite://<path> or postgres://…")]
    UnsupportedDb {
        /// The URL given.
        url: String,
    },
    /// The database refused or failed.
    #[error("indexer database error: {0}")]
    Db(#[from] sqlx::Error),
    /// The node's block store could not be read.
    #[error("reading block {height} for the indexer failed: {message}")]
    Source {
        /// The height.
        height: u64,
        /// What failed.
        message: String,
    },
    /// A number does not fit the database's 64-bit signed integers.
    #[error("{what} {value} is out of the indexer's range (0..=2^63-1)")]
    OutOfRange {
        /// What it is.
        what: &'static str,
        /// The number.
        value: u64,
    },
    /// A cursor (`?before=`) that no page handed out.
    #[error("bad cursor {0:?}: pass back the `next` value of the previous page")]
    BadCursor(String),
}
