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

impl ErrorCode for TxCheckError {
    fn codespace(&self) -> &'static str {
        "tx"
    }

    fn code(&self) -> u32 {
        match self {
            TxCheckError::Decode(d) => match d {
                TxDecodeError::TooLarge { .. } => 2,
                TxDecodeError::Envelope { .. } | TxDecodeError::Body { .. } => 3,
                TxDecodeError::InvalidChainId { .. } => 4,
                TxDecodeError::MissingSigner | TxDecodeError::InvalidSigner(_) => 5,
                TxDecodeError::MissingFee | TxDecodeError::InvalidFee(_) => 6,
                TxDecodeError::InvalidPayer(_) => 7,
                TxDecodeError::NoMessages => 8,
                TxDecodeError::NonCanonical { .. } => 21,
            },
            TxCheckError::ChainIdMismatch { .. } => 9,
            TxCheckError::MemoTooLong { .. } => 10,
            TxCheckError::TooManyMessages { .. } => 11,
            TxCheckError::EmptyMessage { .. } => 12,
            TxCheckError::BadSignature { .. } => 13,
            TxCheckError::NonceTooLow { .. } => 14,
            TxCheckError::NonceTooHigh { .. } => 15,
            TxCheckError::TimeoutHeightPassed { .. } => 16,
            TxCheckError::FeeDenomNotAccepted { .. } => 17,
            TxCheckError::FeeTooLow { .. } => 18,
            TxCheckError::OutOfGas(_) => 19,
            TxCheckError::InsufficientFee { .. } => 20,
            TxCheckError::AlreadyIncluded { .. } => 22,
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
}
