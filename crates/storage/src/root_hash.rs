//! The 32-byte root of the authenticated state tree.

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Serialize};

/// Root hash of the Jellyfish Merkle tree at some version (SHA-256).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Debug,
    BorshSerialize,
    BorshDeserialize,
    Serialize,
    Deserialize,
)]
pub struct RootHash(pub [u8; 32]);

impl RootHash {
    /// The root's raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Display for RootHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl From<jmt::RootHash> for RootHash {
    fn from(root: jmt::RootHash) -> Self {
        RootHash(root.0)
    }
}

impl From<RootHash> for jmt::RootHash {
    fn from(root: RootHash) -> Self {
        jmt::RootHash(root.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn displays_as_lowercase_hex() {
        let mut bytes = [0u8; 32];
        bytes[0] = 0xAB;
        bytes[31] = 0x0F;
        let s = RootHash(bytes).to_string();
        assert_eq!(s.len(), 64);
        assert!(s.starts_with("ab00"));
        assert!(s.ends_with("0f"));
    }
}
