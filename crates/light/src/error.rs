use thiserror::Error;

/// Why a state proof was refused. Each variant names what was expected and
/// what the proof held, in hex.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The proof bytes end before a field is complete.
    #[error(
        "truncated proof: {field} needs {needed} bytes at offset {offset}, only {available} left; ask the node again"
    )]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Its offset in the proof bytes.
        offset: usize,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left.
        available: usize,
    },
    /// A tag byte is not one the format defines.
    #[error("malformed proof: {field} tag {tag} at offset {offset} is not defined")]
    BadTag {
        /// The field whose tag is wrong.
        field: &'static str,
        /// Its offset in the proof bytes.
        offset: usize,
        /// The tag read.
        tag: u8,
    },
    /// Bytes follow a complete proof.
    #[error("malformed proof: {extra} bytes follow the end of the proof")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
    /// More siblings than a 256-bit key path has levels.
    #[error("malformed proof: {got} siblings, at most {max} fit a 256-bit key path")]
    TooManySiblings {
        /// Siblings in the proof.
        got: usize,
        /// The bound.
        max: usize,
    },
    /// A value was expected but the proof shows an empty subtree.
    #[error("the proof shows key {key} absent, but a value was expected")]
    NotAMembershipProof {
        /// The key hash (hex).
        key: String,
    },
    /// The proof's leaf is for another key.
    #[error("the proof is for key hash {in_proof}, not the asked key hash {expected}")]
    KeyMismatch {
        /// The asked key's hash (hex).
        expected: String,
        /// The key hash in the proof's leaf (hex).
        in_proof: String,
    },
    /// The proof's leaf holds another value.
    #[error("the proof holds value hash {in_proof}, not the hash {expected} of the given value")]
    ValueMismatch {
        /// The given value's hash (hex).
        expected: String,
        /// The value hash in the proof's leaf (hex).
        in_proof: String,
    },
    /// Absence was expected but the proof's leaf is the key itself.
    #[error("the proof shows key hash {key} present, but its absence was expected")]
    KeyPresent {
        /// The key hash (hex).
        key: String,
    },
    /// The leaf shown for an absence does not sit on the asked key's path.
    #[error(
        "absence proof leaf shares {common_bits} leading bits with the key, fewer than its depth {depth}: it does not cover the key's path"
    )]
    LeafOffPath {
        /// Leading bits the leaf's key hash shares with the asked key's hash.
        common_bits: usize,
        /// The leaf's depth (number of siblings).
        depth: usize,
    },
    /// Hashing up the path gives another root.
    #[error("the proof hashes to root {computed}, not the trusted root {expected}")]
    RootMismatch {
        /// The trusted root (hex).
        expected: String,
        /// The root the proof hashes to (hex).
        computed: String,
    },
}
