//! Fructus keys and signatures.
//!
//! Owns: the two key types the chain accepts (ed25519 for users and
//! validators, ECDSA P-256 / secp256r1 for device secure elements and
//! passkeys), signing and verification, parallel batch verification, and
//! account addresses (bech32 `fx`, first 20 bytes of SHA-256 over the key-type
//! tag followed by the public key).
//!
//! Invariants: verification is deterministic — ed25519 uses
//! `ed25519-consensus` (ZIP-215 rules), whose single and batch verification
//! always agree, so a signature accepted by one node's batch check is accepted
//! by every node's single check. P-256 signatures are fixed 64-byte `r ‖ s`
//! over SHA-256 of the message and must be low-S (`s <= n/2`, what
//! [`SigningKey::sign`] produces; a secure element's high-S output is
//! normalized by the device SDK): the high-S twin `(r, n - s)` of a valid
//! signature is refused, so a third party cannot make a second valid
//! encoding — and so a second hash — of someone else's transaction.
//! Those encoding rules are checked here; the P-256 curve arithmetic is
//! `ring`'s constant-time assembly verifier, pinned by a differential test
//! against RustCrypto's portable `p256` verifier.
//!
//! Must never: implement a cryptographic primitive itself (only well-kept
//! crates), panic on untrusted bytes, or expose secret bytes except through
//! an explicit, zeroizing accessor.

mod address;
mod algo;
mod batch;
mod bech32_text;
mod error;
mod key_cache;
mod public_key;
mod signing_key;

pub use address::{ADDRESS_HRP, ADDRESS_LEN, Address};
pub use algo::KeyAlgo;
pub use batch::{VerifyItem, verify_batch};
pub use error::CryptoError;
pub use public_key::PublicKey;
pub use signing_key::SigningKey;

/// SHA-256 of `data` (the chain's one hash function).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}
