//! Light-client checks: what a client that holds no state needs to trust an
//! answer from a node it does not trust.
//!
//! Owns: [`StateProof`], a decoder and verifier for the Merkle proofs
//! `/v1/proofs/{key}` serves (membership or non-membership of a key under an
//! app hash), written from the proof format of the node's tree (a
//! jellyfish Merkle tree over SHA-256, proof encoded with borsh) without
//! linking that tree, its database or the node.
//!
//! Also owns: [`TrustedState`], which verifies a block header and its
//! commit certificate (every precommit signature, over the exact sign bytes
//! consensus uses) against a validator set it trusts (from genesis, or a
//! checkpoint pinned in the client's config), and follows validator-set
//! changes; a verified header's `app_hash` is the root proofs are checked
//! against. The rule, and why header `H` certifies the state after `H - 1`,
//! are in the `header` module's documentation.
//!
//! Invariants: a proof verifies only if hashing the leaf up through every
//! sibling along the key's path gives exactly the expected root; a header
//! verifies only with valid precommits of more than 2/3 of its own set's
//! power and, when that set is new, of the trusted set's; every decoding or
//! verification failure is a distinct [`ProofError`] or [`LightError`];
//! nothing here panics on untrusted bytes.
//!
//! Must never: depend on storage, consensus or server crates, or accept a
//! proof it cannot check completely.

mod error;
mod header;
mod proof;
mod validators;

pub use error::{LightError, ProofError};
pub use header::{Commit, MAX_SIGNATURES, TrustedState, VerifiedHeader};
pub use proof::{MAX_SIBLINGS, RootHash, StateProof};
pub use validators::{MAX_VALIDATORS, Validator, ValidatorSet, precommit_sign_bytes};
