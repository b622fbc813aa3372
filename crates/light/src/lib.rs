//! Light-client checks: what a client that holds no state needs to trust an
//! answer from a node it does not trust.
//!
//! Owns: [`StateProof`], a decoder and verifier for the Merkle proofs
//! `/v1/proofs/{key}` serves (membership or non-membership of a key under an
//! app hash), written from the proof format of the node's tree (a
//! jellyfish Merkle tree over SHA-256, proof encoded with borsh) without
//! linking that tree, its database or the node.
//!
//! Invariants: a proof verifies only if hashing the leaf up through every
//! sibling along the key's path gives exactly the expected root; every
//! decoding or verification failure is a distinct [`ProofError`]; nothing
//! here panics on untrusted bytes.
//!
//! Not yet: the app hash itself is taken from the caller. Verifying it from
//! a commit certificate signed by more than 2/3 of a trusted validator set,
//! and following validator-set changes (issue 22, item 2), belongs in this
//! crate next to the proof check.
//!
//! Must never: depend on storage, consensus or server crates, or accept a
//! proof it cannot check completely.

mod error;
mod proof;

pub use error::ProofError;
pub use proof::{MAX_SIBLINGS, RootHash, StateProof};
