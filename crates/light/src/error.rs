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

/// Why a header, certificate or validator set was refused. Each variant
/// says what was expected and what the node served.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LightError {
    /// A validator set with no validators.
    #[error("the validator set is empty")]
    EmptyValidatorSet,
    /// More validators than a set may hold.
    #[error("the validator set has {got} validators, at most {max} are accepted")]
    TooManyValidators {
        /// Validators served.
        got: usize,
        /// The bound.
        max: usize,
    },
    /// A validator entry that cannot be in a set.
    #[error("validator {address}: {reason}")]
    BadValidator {
        /// Its address.
        address: String,
        /// What is wrong.
        reason: String,
    },
    /// The set's total power does not fit in `u64`.
    #[error("the validator set's total voting power overflows u64")]
    VotingPowerOverflow,
    /// A checkpoint's set does not hash to the pinned hash.
    #[error(
        "the validator set served for checkpoint height {height} hashes to {served}, not the pinned {pinned}: the node is lying or the checkpoint is wrong"
    )]
    CheckpointMismatch {
        /// The checkpoint height.
        height: u64,
        /// The pinned hash (hex).
        pinned: String,
        /// The served set's hash (hex).
        served: String,
    },
    /// The header bytes do not decode.
    #[error("malformed header: {reason}")]
    MalformedHeader {
        /// The decoder's message.
        reason: String,
    },
    /// The header is of another chain.
    #[error("the header is of chain {got:?}, not the trusted chain {expected:?}")]
    WrongChain {
        /// The trusted chain id.
        expected: String,
        /// The header's.
        got: String,
    },
    /// The header is older than what the client trusts.
    #[error("header height {height} is below the trusted height {trusted}; ask for a later height")]
    HeightBelowTrusted {
        /// The header's height.
        height: u64,
        /// The trusted height.
        trusted: u64,
    },
    /// The served validator set is not the one the header commits to.
    #[error("header {height} commits to validator set {in_header}, the node served set {served}")]
    ValidatorSetHashMismatch {
        /// The header's height.
        height: u64,
        /// `validator_set_hash` in the header (hex).
        in_header: String,
        /// The served set's hash (hex).
        served: String,
    },
    /// The certificate decides another height or block.
    #[error(
        "the certificate is for height {commit_height} block {commit_block_hash}, not height {height} block {block_hash}"
    )]
    CommitForOtherBlock {
        /// The header's height.
        height: u64,
        /// The header's hash (hex).
        block_hash: String,
        /// The certificate's height.
        commit_height: u64,
        /// The certificate's block hash (hex).
        commit_block_hash: String,
    },
    /// More signatures than a set may hold validators.
    #[error("the certificate has {got} signatures, at most {max} are accepted")]
    TooManySignatures {
        /// Signatures served.
        got: usize,
        /// The bound.
        max: usize,
    },
    /// A validator signed twice.
    #[error("validator {address} appears twice in the certificate")]
    DuplicateSigner {
        /// Its address.
        address: String,
    },
    /// A signer outside the set that signed the height.
    #[error("{address} signed the certificate but is not a validator of height {height}")]
    UnknownSigner {
        /// Its address.
        address: String,
        /// The height.
        height: u64,
    },
    /// A precommit signature that does not verify.
    #[error("the precommit signature of {address} does not verify: {reason}")]
    BadSignature {
        /// The signer's address.
        address: String,
        /// The verifier's message.
        reason: String,
    },
    /// The signers hold too little power.
    #[error("the signers hold {signed} of {total} voting power of {of}, not more than two thirds")]
    NoQuorum {
        /// Which set.
        of: &'static str,
        /// Power that signed.
        signed: u128,
        /// The set's total power.
        total: u64,
    },
    /// The validator set changed and the trusted set did not vouch for it.
    #[error(
        "header {height} is signed by a new validator set, and the set trusted at height {trusted_height} signed only {signed} of its {total} power (more than two thirds needed): verify an intermediate height first, or pin a newer checkpoint"
    )]
    UntrustedValidatorSetChange {
        /// The header's height.
        height: u64,
        /// The trusted height.
        trusted_height: u64,
        /// Trusted power that signed.
        signed: u128,
        /// The trusted set's total power.
        total: u64,
    },
}
