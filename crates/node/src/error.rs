use std::path::PathBuf;

/// Errors of the node outside the state machine.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        message: String,
    },
    /// The configuration file is invalid.
    #[error("invalid config {path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A key file is invalid.
    #[error("invalid key file {path}: {message}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The home is not initialized.
    #[error("{home} is not initialized: run `fructus init --home {home}` (or `fructus devnet`)")]
    NotInitialized {
        /// The home directory.
        home: PathBuf,
    },
    /// The home is already initialized.
    #[error("{home} already holds a node; use another --home, or --reset where offered")]
    AlreadyInitialized {
        /// The home directory.
        home: PathBuf,
    },
    /// The block store failed.
    #[error("block store: {context}: {message}")]
    BlockStore {
        /// What was being done.
        context: &'static str,
        /// The database error.
        message: String,
    },
    /// The state machine failed.
    #[error(transparent)]
    App(#[from] fructus_app::AppError),
    /// Genesis was refused.
    #[error(transparent)]
    Genesis(#[from] fructus_app::GenesisError),
    /// The stored chain disagrees with the genesis file or itself.
    #[error("inconsistent node data: {0}; the home may be from another chain — use a fresh --home")]
    Inconsistent(String),
    /// Consensus stopped with an error.
    #[error(transparent)]
    Consensus(#[from] fructus_consensus::ConsensusError),
    /// The API server failed.
    #[error("api server: {0}")]
    Api(String),
    /// The keyring failed (devnet/testnet demo keys).
    #[error(transparent)]
    Keyring(#[from] fructus_keyring::KeyringError),
    /// A governance upgrade plan stops this binary before `height`.
    #[error(
        "UPGRADE {name:?} (proposal {proposal_id}) halts the chain before height {height}: this binary does not execute it; install the binary for {name:?} and start the node again (plan notes: {info:?})"
    )]
    UpgradeHalt {
        /// The plan's name.
        name: String,
        /// The first height this binary must not execute.
        height: u64,
        /// The proposal that planned it.
        proposal_id: u64,
        /// The plan's notes.
        info: String,
    },
    /// The genesis file is not the one whose hash config.toml pins.
    #[error(
        "{file} has SHA-256 {actual}, but config.toml pins genesis_sha256 = {expected}: \
         this is not the genesis of the ceremony. Install the published genesis with \
         `fructus genesis install FILE --sha256 {expected}`"
    )]
    GenesisMismatch {
        /// The genesis file.
        file: PathBuf,
        /// The pinned hash.
        expected: String,
        /// The file's hash.
        actual: String,
    },
    /// The home has a config and keys but no genesis yet (a ceremony home).
    #[error(
        "{home} has no genesis.json yet: sign your gentx with `fructus genesis gentx`, then \
         install the ceremony's final genesis with `fructus genesis install FILE --sha256 HASH`"
    )]
    NoGenesis {
        /// The home directory.
        home: PathBuf,
    },
    /// The ceremony refused a gentx or the genesis it builds.
    #[error(transparent)]
    Ceremony(#[from] crate::ceremony::CeremonyError),
    /// A snapshot does not match what the chain certified.
    #[error("snapshot refused: {reason}")]
    SnapshotRefused {
        /// What does not match.
        reason: String,
    },
}

impl NodeError {
    pub(crate) fn io(path: impl Into<PathBuf>, err: impl std::fmt::Display) -> Self {
        NodeError::Io {
            path: path.into(),
            message: err.to_string(),
        }
    }

    pub(crate) fn store(context: &'static str, err: impl std::fmt::Display) -> Self {
        NodeError::BlockStore {
            context,
            message: err.to_string(),
        }
    }
}
