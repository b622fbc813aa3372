//! Merkle proofs of membership and non-membership, verifiable without a
//! database (light clients, RPC consumers).

use borsh::{BorshDeserialize, BorshSerialize};
use jmt::KeyHash;
use jmt::proof::SparseMerkleProof;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::ProofError;
use crate::root_hash::RootHash;

/// A proof that a key holds a value (or is absent) under a root hash.
///
/// Wraps `jmt::proof::SparseMerkleProof<Sha256>`; encodes with borsh
/// ([`MerkleProof::to_bytes`]) or serde.
#[derive(Clone, Debug, PartialEq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct MerkleProof {
    inner: SparseMerkleProof<Sha256>,
}

impl MerkleProof {
    /// Wraps a proof produced by the tree.
    pub(crate) fn new(inner: SparseMerkleProof<Sha256>) -> Self {
        Self { inner }
    }

    /// Checks that `key` holds exactly `value` in the tree with root `root`.
    pub fn verify_membership(
        &self,
        root: &RootHash,
        key: &[u8],
        value: &[u8],
    ) -> Result<(), ProofError> {
        self.inner
            .verify_existence((*root).into(), KeyHash::with::<Sha256>(key), value)
            .map_err(|err| ProofError::Membership {
                key: hex::encode(key),
                root: root.to_string(),
                message: format!("{err:#}"),
            })
    }

    /// Checks that `key` is absent from the tree with root `root`.
    pub fn verify_non_membership(&self, root: &RootHash, key: &[u8]) -> Result<(), ProofError> {
        self.inner
            .verify_nonexistence((*root).into(), KeyHash::with::<Sha256>(key))
            .map_err(|err| ProofError::NonMembership {
                key: hex::encode(key),
                root: root.to_string(),
                message: format!("{err:#}"),
            })
    }

    /// Borsh encoding of the proof.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail and a proof has at most 256
        // siblings, so this always succeeds; were it ever to fail, the
        // truncated bytes would be rejected by `from_bytes` rather than
        // panicking here.
        if BorshSerialize::serialize(self, &mut out).is_err() {
            out.clear();
        }
        out
    }

    /// Decodes a proof written by [`MerkleProof::to_bytes`]; trailing bytes
    /// are rejected.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        borsh::from_slice(bytes).map_err(|err| ProofError::Decode {
            message: err.to_string(),
        })
    }
}
