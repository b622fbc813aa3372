//! The crate's error types.

use std::path::PathBuf;

/// Why consensus could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum ConsensusError {
    /// A validator's public key is not ed25519 (consensus signs with ed25519 only).
    #[error("validator {address} has a {algo} key; consensus validators must use ed25519")]
    NonEd25519Key {
        /// The validator's address.
        address: String,
        /// The algorithm found.
        algo: String,
    },
    /// The validator set for a height is empty or has no voting power.
    #[error("the validator set for height {height} is empty or has zero total power")]
    EmptyValidatorSet {
        /// The height asked for.
        height: u64,
    },
    /// The total voting power of a validator set overflows `u64`.
    #[error("the total voting power of the validator set overflows u64")]
    VotingPowerOverflow,
    /// A certificate's bytes could not be decoded.
    #[error("invalid certificate encoding: {reason}")]
    InvalidCertificate {
        /// What was wrong.
        reason: String,
    },
    /// Double-sign evidence does not hold up.
    #[error("invalid double-sign evidence: {reason}")]
    InvalidEvidence {
        /// What was wrong.
        reason: String,
    },
    /// The configuration is unusable.
    #[error("invalid consensus configuration: {reason}")]
    InvalidConfig {
        /// What was wrong.
        reason: String,
    },
    /// The Malachite engine failed to start.
    #[error("the consensus engine failed to start: {reason}")]
    EngineStart {
        /// The engine's error message.
        reason: String,
    },
    /// The engine stopped on its own (its channel to the application closed).
    #[error("the consensus engine stopped unexpectedly")]
    EngineStopped,
    /// The host failed to commit a decided block; consensus stops.
    #[error("committing block {height} failed: {reason}")]
    CommitFailed {
        /// The decided height.
        height: u64,
        /// The host's reason.
        reason: String,
    },
    /// A file-system operation on the consensus data directory failed.
    #[error("i/o error on {path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The host's own state failed while answering the engine at `height`
    /// (its store, its app): consensus stops rather than vote or propose
    /// on a state it cannot vouch for.
    #[error(
        "the node failed at height {height}: {source}; consensus stopped — check the disk and the logs, then restart"
    )]
    HostFault {
        /// The height being worked on.
        height: u64,
        /// What failed.
        source: HostError,
    },
}

/// Why a [`crate::ConsensusHost`] could not give the answer asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    /// The block breaks a rule: the node votes against it and goes on.
    #[error("invalid block: {reason}")]
    InvalidBlock {
        /// The rule it breaks.
        reason: String,
    },
    /// The host's own state, store or app failed: the node must stop.
    #[error("{reason}")]
    Fault {
        /// What failed.
        reason: String,
    },
}

impl HostError {
    /// An [`HostError::InvalidBlock`].
    pub fn invalid(reason: impl Into<String>) -> Self {
        HostError::InvalidBlock {
            reason: reason.into(),
        }
    }

    /// A [`HostError::Fault`] from any error.
    pub fn fault(err: impl std::fmt::Display) -> Self {
        HostError::Fault {
            reason: err.to_string(),
        }
    }
}

/// A message could not be encoded or decoded by [`crate::codec::WireCodec`].
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// Borsh (de)serialization failed.
    #[error("borsh: {0}")]
    Borsh(#[from] std::io::Error),
    /// The bytes decoded but do not form a valid message.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// The kind of message.
        what: &'static str,
        /// What was wrong.
        reason: String,
    },
}
