//! The keyring's error type: every variant says what went wrong and what to
//! do about it.

use std::path::PathBuf;

use fructus_crypto::CryptoError;

use super::KeyringBackend;

/// Everything that can go wrong while storing, loading or unlocking keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// The key name has characters or a length the keyring does not accept.
    #[error(
        "invalid key name {name:?}: {reason}; use 1 to 64 characters from A-Z, a-z, 0-9, '_', '.' and '-'"
    )]
    InvalidName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A key of that name is already stored.
    #[error(
        "a key named {name:?} already exists at {}; pick another name, or delete the old key first with `fructus keys delete {name} --yes`",
        path.display()
    )]
    KeyExists {
        /// The name given.
        name: String,
        /// The file that holds the existing key.
        path: PathBuf,
    },
    /// No key of that name is stored.
    #[error(
        "no key named {name:?} in the {backend} keyring under {}; run `fructus keys list` to see the keys there (and check --home and --keyring-backend)",
        home.display()
    )]
    KeyNotFound {
        /// The name asked for.
        name: String,
        /// The home directory searched.
        home: PathBuf,
        /// The backend searched.
        backend: KeyringBackend,
    },
    /// The file backend needs a (non-empty) passphrase and none was given.
    #[error(
        "key {name:?} is in the encrypted file keyring: a non-empty passphrase is required to create or unlock it"
    )]
    PassphraseRequired {
        /// The key concerned.
        name: String,
    },
    /// The passphrase does not unlock the key.
    #[error(
        "wrong passphrase for key {name:?}: use the passphrase given when the key was added, exported or imported"
    )]
    WrongPassphrase {
        /// The key concerned.
        name: String,
    },
    /// A key file is malformed or inconsistent and was refused.
    #[error(
        "key file {} is corrupt and was refused: {reason}; restore it from a backup or recover the key again from its mnemonic or an export",
        path.display()
    )]
    CorruptKeyFile {
        /// The file refused.
        path: PathBuf,
        /// What is inconsistent in it.
        reason: String,
    },
    /// A key file uses a format version this build does not read.
    #[error(
        "key file {} has format version {found}, this build reads version {supported}; use a newer fructus",
        path.display()
    )]
    UnsupportedVersion {
        /// The file refused.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The mnemonic is not a valid English BIP-39 phrase.
    #[error(
        "invalid mnemonic: {reason}; expected the English BIP-39 words (12 to 24) separated by spaces, exactly as written down"
    )]
    InvalidMnemonic {
        /// Why it was refused.
        reason: String,
    },
    /// The secret key bytes are not a valid key of the algorithm.
    #[error("{source}; a secret key is 32 bytes of the given algorithm")]
    InvalidSecret {
        /// The underlying parse failure.
        source: CryptoError,
    },
    /// The secret key text is not 64 hex characters.
    #[error("invalid secret key hex: {reason}; expected 64 hex characters (32 bytes)")]
    InvalidSecretHex {
        /// Why it was refused.
        reason: String,
    },
    /// The text given as an armored key is not one.
    #[error(
        "not a valid Fructus key export: {reason}; pass the JSON printed by `fructus keys export`, unchanged"
    )]
    InvalidArmor {
        /// Why it was refused.
        reason: String,
    },
    /// The argon2 parameters are outside what the keyring accepts.
    #[error(
        "invalid argon2 parameters m_cost_kib={m_cost_kib}, t_cost={t_cost}, p_cost={p_cost}: {reason}"
    )]
    InvalidKdfParams {
        /// Memory cost in KiB.
        m_cost_kib: u32,
        /// Number of passes.
        t_cost: u32,
        /// Parallelism.
        p_cost: u32,
        /// Why they were refused.
        reason: String,
    },
    /// The passphrase-based key derivation or the cipher failed internally.
    #[error("key encryption failed: {reason}")]
    Crypto {
        /// What failed.
        reason: String,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {reason}")]
    Randomness {
        /// What it reported.
        reason: String,
    },
    /// A filesystem operation failed.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What was being done ("read", "create", ...).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}
