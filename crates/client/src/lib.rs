//! Fructus client SDK: what the CLI, tests and benches use to hold keys,
//! build and sign transactions and talk to a node.
//!
//! Owns: the on-disk keyring under `--home` ([`keyring`]), including key
//! generation, mnemonic recovery and encryption at rest; the transaction
//! builder and one message constructor per message ([`tx`], and
//! [`metering`] for the metering module's devices and contracts); the
//! blocking HTTP client of a node's API ([`http`]).
//!
//! Must never: hold chain logic, write a secret to disk unencrypted outside
//! the explicitly named test keyring, or print secrets (printing is the
//! binary's job, and only when the user asks).

pub mod http;
pub mod keyring;
pub mod metering;
pub mod tx;

pub use keyring::{
    COIN_TYPE, HD_PATH, KdfParams, KeyInfo, Keyring, KeyringBackend, KeyringError,
    derive_ed25519_from_mnemonic,
};
