use fructus_component::{ErrorCode, OutOfGas};
use fructus_storage::StorageError;
use fructus_types::{Amount, BlockHeight, BlockTime, tx::TxDecodeError};

use crate::GenesisError;

/// Why a transaction is refused by the envelope checks (codespace `tx`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxCheckError {
    /// Bytes are not a well-formed transaction.
    #[error(transparent)]
    Decode(#[from] TxDecodeError),
    /// Signed for another chain.
    #[error("wrong chain id: this chain is {expected:?}, the transaction says {got:?}")]
    ChainIdMismatch {
        /// This chain.
        expected: String,
        /// The transaction's.
        got: String,
    },
    /// The memo is too long.
    #[error("memo is {len} bytes; the limit is {max}")]
    MemoTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: u32,
    },
    /// Too many messages.
    #[error("transaction has {count} messages; the limit is {max}")]
    TooManyMessages {
        /// Messages carried.
        count: usize,
        /// The limit.
        max: u32,
    },
    /// A message with no content.
    #[error("message {index} is empty (unknown or missing message type)")]
    EmptyMessage {
        /// Position in the transaction.
        index: usize,
    },
    /// The signature does not verify.
    #[error("signature does not verify for the signer key over the body and chain id: {reason}")]
    BadSignature {
        /// What the verifier said.
        reason: String,
    },
    /// Nonce already used (a replay or a duplicate).
    #[error("nonce {got} was already used; the account's next nonce is {expected}")]
    NonceTooLow {
        /// The account's next nonce.
        expected: u64,
        /// The transaction's.
        got: u64,
    },
    /// Nonce ahead of the account (a skipped nonce).
    #[error(
        "nonce {got} is ahead; the account's next nonce is {expected} (send the missing ones first)"
    )]
    NonceTooHigh {
        /// The account's next nonce.
        expected: u64,
        /// The transaction's.
        got: u64,
    },
    /// Too late.
    #[error("timeout height {timeout_height} has passed (block {height})")]
    TimeoutHeightPassed {
        /// The transaction's limit.
        timeout_height: BlockHeight,
        /// Current block.
        height: BlockHeight,
    },
    /// The fee denom is not accepted.
    #[error("fees in {denom} are not accepted; pay in one of: {accepted}")]
    FeeDenomNotAccepted {
        /// The fee denom.
        denom: String,
        /// Accepted denoms.
        accepted: String,
    },
    /// The fee is below gas limit × minimum gas price.
    #[error("fee {got}{denom} is below the minimum {required}{denom} for gas limit {gas_limit}")]
    FeeTooLow {
        /// Fee denom.
        denom: String,
        /// Required minimum.
        required: Amount,
        /// Offered.
        got: Amount,
        /// The gas limit.
        gas_limit: u64,
    },
    /// The gas limit does not cover the work.
    #[error(transparent)]
    OutOfGas(#[from] OutOfGas),
    /// The payer cannot pay the fee.
    #[error("fee payer {payer} cannot pay the fee {fee}: {reason}")]
    InsufficientFee {
        /// Who had to pay.
        payer: String,
        /// The fee.
        fee: String,
        /// Why not.
        reason: String,
    },
    /// These exact bytes were already included (and charged) recently.
    #[error(
        "transaction {hash} was already included at height {height}; identical bytes are charged once: query GET /v1/txs/{hash}"
    )]
    AlreadyIncluded {
        /// The transaction hash.
        hash: String,
        /// Where it was included.
        height: BlockHeight,
    },
}

/// The stable code of each check failure (codespace `tx`): what
/// [`ErrorCode::code`] returns, and what tests and clients compare a
/// result's code with.
impl TxCheckError {
    /// The code of a transaction larger than the size limit ([`TxDecodeError::TooLarge`]).
    pub const TOO_LARGE: u32 = 2;
    /// The code of an envelope or body that does not decode ([`TxDecodeError::Envelope`], [`TxDecodeError::Body`]).
    pub const UNDECODABLE: u32 = 3;
    /// The code of [`TxDecodeError::InvalidChainId`].
    pub const INVALID_CHAIN_ID: u32 = 4;
    /// The code of a missing or invalid signer ([`TxDecodeError::MissingSigner`], [`TxDecodeError::InvalidSigner`]).
    pub const INVALID_SIGNER: u32 = 5;
    /// The code of a missing or invalid fee ([`TxDecodeError::MissingFee`], [`TxDecodeError::InvalidFee`]).
    pub const INVALID_FEE: u32 = 6;
    /// The code of [`TxDecodeError::InvalidPayer`].
    pub const INVALID_PAYER: u32 = 7;
    /// The code of [`TxDecodeError::NoMessages`].
    pub const NO_MESSAGES: u32 = 8;
    /// The code of [`TxCheckError::ChainIdMismatch`].
    pub const CHAIN_ID_MISMATCH: u32 = 9;
    /// The code of [`TxCheckError::MemoTooLong`].
    pub const MEMO_TOO_LONG: u32 = 10;
    /// The code of [`TxCheckError::TooManyMessages`].
    pub const TOO_MANY_MESSAGES: u32 = 11;
    /// The code of [`TxCheckError::EmptyMessage`].
    pub const EMPTY_MESSAGE: u32 = 12;
    /// The code of [`TxCheckError::BadSignature`].
    pub const BAD_SIGNATURE: u32 = 13;
    /// The code of [`TxCheckError::NonceTooLow`].
    pub const NONCE_TOO_LOW: u32 = 14;
    /// The code of [`TxCheckError::NonceTooHigh`].
    pub const NONCE_TOO_HIGH: u32 = 15;
    /// The code of [`TxCheckError::TimeoutHeightPassed`].
    pub const TIMEOUT_HEIGHT_PASSED: u32 = 16;
    /// The code of [`TxCheckError::FeeDenomNotAccepted`].
    pub const FEE_DENOM_NOT_ACCEPTED: u32 = 17;
    /// The code of [`TxCheckError::FeeTooLow`].
    pub const FEE_TOO_LOW: u32 = 18;
    /// The code of [`TxCheckError::OutOfGas`].
    pub const OUT_OF_GAS: u32 = 19;
    /// The code of [`TxCheckError::InsufficientFee`].
    pub const INSUFFICIENT_FEE: u32 = 20;
    /// The code of [`TxDecodeError::NonCanonical`].
    pub const NON_CANONICAL: u32 = 21;
    /// The code of [`TxCheckError::AlreadyIncluded`].
    pub const ALREADY_INCLUDED: u32 = 22;
}

impl ErrorCode for TxCheckError {
    fn codespace(&self) -> &'static str {
        "tx"
    }

    fn code(&self) -> u32 {
        match self {
            TxCheckError::Decode(d) => match d {
                TxDecodeError::TooLarge { .. } => Self::TOO_LARGE,
                TxDecodeError::Envelope { .. } | TxDecodeError::Body { .. } => Self::UNDECODABLE,
                TxDecodeError::InvalidChainId { .. } => Self::INVALID_CHAIN_ID,
                TxDecodeError::MissingSigner | TxDecodeError::InvalidSigner(_) => {
                    Self::INVALID_SIGNER
                }
                TxDecodeError::MissingFee | TxDecodeError::InvalidFee(_) => Self::INVALID_FEE,
                TxDecodeError::InvalidPayer(_) => Self::INVALID_PAYER,
                TxDecodeError::NoMessages => Self::NO_MESSAGES,
                TxDecodeError::NonCanonical { .. } => Self::NON_CANONICAL,
            },
            TxCheckError::ChainIdMismatch { .. } => Self::CHAIN_ID_MISMATCH,
            TxCheckError::MemoTooLong { .. } => Self::MEMO_TOO_LONG,
            TxCheckError::TooManyMessages { .. } => Self::TOO_MANY_MESSAGES,
            TxCheckError::EmptyMessage { .. } => Self::EMPTY_MESSAGE,
            TxCheckError::BadSignature { .. } => Self::BAD_SIGNATURE,
            TxCheckError::NonceTooLow { .. } => Self::NONCE_TOO_LOW,
            TxCheckError::NonceTooHigh { .. } => Self::NONCE_TOO_HIGH,
            TxCheckError::TimeoutHeightPassed { .. } => Self::TIMEOUT_HEIGHT_PASSED,
            TxCheckError::FeeDenomNotAccepted { .. } => Self::FEE_DENOM_NOT_ACCEPTED,
            TxCheckError::FeeTooLow { .. } => Self::FEE_TOO_LOW,
            TxCheckError::OutOfGas(_) => Self::OUT_OF_GAS,
            TxCheckError::InsufficientFee { .. } => Self::INSUFFICIENT_FEE,
            TxCheckError::AlreadyIncluded { .. } => Self::ALREADY_INCLUDED,
        }
    }
}

/// Failures of the node's state machine itself (not of a transaction): the
/// node must stop rather than continue on a state it cannot vouch for.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The state store failed.
    #[error("state store: {0}")]
    Storage(#[from] StorageError),
    /// A module reported an internal failure.
    #[error("internal failure in {codespace}: {message}")]
    Internal {
        /// The module.
        codespace: String,
        /// Its message.
        message: String,
    },
    /// Genesis was refused.
    #[error(transparent)]
    Genesis(#[from] GenesisError),
    /// Genesis already ran on this store.
    #[error("state already initialized (at version {version}); use a fresh --home or reset it")]
    AlreadyInitialized {
        /// Latest committed version.
        version: u64,
    },
    /// No genesis has run yet.
    #[error("state is not initialized: run genesis first")]
    NotInitialized,
    /// Blocks must come in order.
    #[error("expected block {expected}, got {got}")]
    UnexpectedHeight {
        /// Next height.
        expected: BlockHeight,
        /// Offered.
        got: BlockHeight,
    },
    /// Block time went backwards.
    #[error("block time {got:?} is before the previous block's {previous:?}")]
    TimeRegressed {
        /// Previous block time.
        previous: BlockTime,
        /// Offered.
        got: BlockTime,
    },
    /// `begin_block` twice, or a transaction outside a block.
    #[error("block life cycle misuse: {0}")]
    Lifecycle(&'static str),
    /// The store holds a record this binary cannot decode: written by a
    /// release with another layout, and nothing migrated it.
    #[error(
        "this binary cannot read the stored {what} ({reason}): the home was written by another release; run that release, or start from a fresh genesis (a devnet: --reset)"
    )]
    IncompatibleState {
        /// What could not be read.
        what: String,
        /// The decoder's message.
        reason: String,
    },
}
