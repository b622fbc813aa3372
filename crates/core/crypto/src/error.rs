use crate::KeyAlgo;

/// Everything that can go wrong with keys, signatures and addresses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The key-type tag or name is not one the chain knows.
    #[error("unknown key algorithm {got:?}: expected \"ed25519\" or \"p256\"")]
    UnknownAlgo {
        /// What was given.
        got: String,
    },
    /// Public key bytes do not decode for the algorithm.
    #[error("invalid {algo} public key: {reason}")]
    InvalidPublicKey {
        /// The key algorithm.
        algo: KeyAlgo,
        /// Why it was refused.
        reason: String,
    },
    /// Secret key bytes do not decode for the algorithm.
    #[error("invalid {algo} secret key: {reason}")]
    InvalidSecretKey {
        /// The key algorithm.
        algo: KeyAlgo,
        /// Why it was refused.
        reason: String,
    },
    /// The signature has the wrong length or encoding.
    #[error("malformed {algo} signature: expected {expected} bytes, got {got}")]
    MalformedSignature {
        /// The key algorithm.
        algo: KeyAlgo,
        /// Expected length.
        expected: usize,
        /// Length received.
        got: usize,
    },
    /// The signature does not verify for this key and message.
    #[error("{algo} signature does not verify for this key and message")]
    BadSignature {
        /// The key algorithm.
        algo: KeyAlgo,
    },
    /// A bech32 address could not be parsed.
    #[error("invalid address {input:?}: {reason}")]
    InvalidAddress {
        /// The text given.
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// An ed25519 key that is a point of small order: anyone can make
    /// signatures that verify under it, so it can never control anything.
    #[error(
        "ed25519 public key {key} has small order (anyone could sign for it); generate a key from a random seed"
    )]
    SmallOrderKey {
        /// The key, hex.
        key: String,
    },
    /// A P-256 signature with `s > n/2`: its low-S twin `(r, n - s)` is
    /// the only form the chain accepts.
    #[error("p256 signature is not low-S (s > n/2): sign again, or replace s with n - s")]
    HighS,
}
