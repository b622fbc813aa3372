use std::{fmt, str::FromStr};

use crate::CryptoError;

/// The signature algorithms the chain verifies.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum KeyAlgo {
    /// Ed25519 (users, validators).
    Ed25519,
    /// ECDSA over NIST P-256 / secp256r1 with SHA-256 (devices, passkeys).
    P256,
}

impl KeyAlgo {
    /// The one-byte tag hashed in front of a public key to derive its address.
    /// Also the wire value of `fructus.crypto.v1.KeyType`.
    pub const fn tag(self) -> u8 {
        match self {
            KeyAlgo::Ed25519 => 1,
            KeyAlgo::P256 => 2,
        }
    }

    /// Inverse of [`KeyAlgo::tag`].
    pub fn from_tag(tag: u8) -> Result<Self, CryptoError> {
        match tag {
            1 => Ok(KeyAlgo::Ed25519),
            2 => Ok(KeyAlgo::P256),
            other => Err(CryptoError::UnknownAlgo {
                got: format!("tag {other}"),
            }),
        }
    }

    /// Lower-case name used in the CLI and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            KeyAlgo::Ed25519 => "ed25519",
            KeyAlgo::P256 => "p256",
        }
    }

    /// Length in bytes of an encoded public key (P-256 is SEC1-compressed).
    pub const fn public_key_len(self) -> usize {
        match self {
            KeyAlgo::Ed25519 => 32,
            KeyAlgo::P256 => 33,
        }
    }

    /// Length in bytes of a signature.
    pub const fn signature_len(self) -> usize {
        64
    }
}

impl fmt::Display for KeyAlgo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyAlgo {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "ed25519" => Ok(KeyAlgo::Ed25519),
            "p256" | "secp256r1" | "p-256" => Ok(KeyAlgo::P256),
            _ => Err(CryptoError::UnknownAlgo { got: s.to_owned() }),
        }
    }
}
