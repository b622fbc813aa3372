use std::fmt;

use p256::ecdsa::signature::Signer as _;
use zeroize::Zeroizing;

use crate::{CryptoError, KeyAlgo, PublicKey};

/// A private key of one of the chain's algorithms.
///
/// Deliberately not `Clone`: a secret exists once in memory, and the inner
/// keys wipe themselves on drop, so no forgotten copy outlives its owner.
pub enum SigningKey {
    /// Ed25519 signing key.
    Ed25519(ed25519_consensus::SigningKey),
    /// P-256 ECDSA signing key (RFC 6979 deterministic nonces, SHA-256).
    P256(p256::ecdsa::SigningKey),
}

impl SigningKey {
    /// A fresh random key from the operating system's RNG.
    pub fn generate(algo: KeyAlgo) -> Self {
        let rng = rand_core::OsRng;
        match algo {
            KeyAlgo::Ed25519 => SigningKey::Ed25519(ed25519_consensus::SigningKey::new(rng)),
            KeyAlgo::P256 => {
                let mut rng = rng;
                SigningKey::P256(p256::ecdsa::SigningKey::random(&mut rng))
            }
        }
    }

    /// The key whose 32 secret bytes are `seed` (ed25519 seed, or P-256
    /// scalar, which must be non-zero and below the group order).
    pub fn from_seed(algo: KeyAlgo, seed: &[u8; 32]) -> Result<Self, CryptoError> {
        match algo {
            KeyAlgo::Ed25519 => Ok(SigningKey::Ed25519(ed25519_consensus::SigningKey::from(
                *seed,
            ))),
            KeyAlgo::P256 => p256::ecdsa::SigningKey::from_slice(seed)
                .map(SigningKey::P256)
                .map_err(|_| CryptoError::InvalidSecretKey {
                    algo,
                    reason: "not a valid P-256 scalar".into(),
                }),
        }
    }

    /// Parses 32 secret bytes of `algo`.
    pub fn from_bytes(algo: KeyAlgo, bytes: &[u8]) -> Result<Self, CryptoError> {
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| CryptoError::InvalidSecretKey {
                algo,
                reason: format!("expected 32 bytes, got {}", bytes.len()),
            })?;
        Self::from_seed(algo, &seed)
    }

    /// The key's algorithm.
    pub fn algo(&self) -> KeyAlgo {
        match self {
            SigningKey::Ed25519(_) => KeyAlgo::Ed25519,
            SigningKey::P256(_) => KeyAlgo::P256,
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match self {
            SigningKey::Ed25519(k) => PublicKey::Ed25519(k.verification_key()),
            SigningKey::P256(k) => PublicKey::P256(*k.verifying_key()),
        }
    }

    /// Signs `msg`; always 64 bytes (P-256: `r ‖ s`, low-S normalized).
    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self {
            SigningKey::Ed25519(k) => k.sign(msg).to_bytes().to_vec(),
            SigningKey::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(msg);
                let sig = sig.normalize_s().unwrap_or(sig);
                sig.to_bytes().to_vec()
            }
        }
    }

    /// The 32 secret bytes, wiped from memory when dropped.
    pub fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        match self {
            SigningKey::Ed25519(k) => Zeroizing::new(k.to_bytes()),
            SigningKey::P256(k) => {
                let mut out = [0u8; 32];
                out.copy_from_slice(&k.to_bytes());
                Zeroizing::new(out)
            }
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SigningKey({}, public {})",
            self.algo(),
            self.public_key().to_hex()
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn secret_bytes_roundtrip() {
        for algo in [KeyAlgo::Ed25519, KeyAlgo::P256] {
            let sk = SigningKey::generate(algo);
            let back = SigningKey::from_bytes(algo, sk.secret_bytes().as_ref()).unwrap();
            assert_eq!(back.public_key(), sk.public_key());
        }
    }

    #[test]
    fn zero_p256_scalar_is_refused() {
        assert!(matches!(
            SigningKey::from_seed(KeyAlgo::P256, &[0u8; 32]),
            Err(CryptoError::InvalidSecretKey { .. })
        ));
    }
}
