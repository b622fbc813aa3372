use fructus_bank::BankError;
use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_storage::StorageError;

/// Errors of the AMM module (codespace `amm`; bank failures — the
/// compliance gate's `bank#10` among them — keep bank's codespace and code).
/// New variants go at the end: the numeric codes are a public contract.
#[derive(Debug, thiserror::Error)]
pub enum AmmError {
    /// The state store failed; the node must stop rather than guess.
    #[cfg(feature = "component")]
    #[error("state store failure: {0}")]
    Storage(#[from] StorageError),
    /// A message field is malformed or out of its documented bound.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// An amount is zero where a positive one is required.
    #[error("{field} must be positive")]
    ZeroAmount {
        /// The field.
        field: &'static str,
    },
    /// A pool needs two different denoms.
    #[error("a pool needs two different denoms, got {denom} twice")]
    SameDenom {
        /// The denom given twice.
        denom: String,
    },
    /// No pool has this id.
    #[error("pool {pool_id} does not exist: list pools with `query amm pools`")]
    PoolNotFound {
        /// The id.
        pool_id: u64,
    },
    /// The pair already has its one pool.
    #[error(
        "a pool of {denom_a} and {denom_b} already exists (pool {pool_id}): add liquidity to it"
    )]
    PoolExists {
        /// One denom.
        denom_a: String,
        /// The other.
        denom_b: String,
        /// The existing pool.
        pool_id: u64,
    },
    /// An exact-in swap (or a withdrawal) would pay less than the signer's
    /// minimum.
    #[error(
        "slippage: the output would be {got}{denom}, below the minimum {min}{denom}; quote again or lower the minimum"
    )]
    BelowMinOut {
        /// The denom paid out.
        denom: String,
        /// What it would pay.
        got: u128,
        /// The signer's minimum.
        min: u128,
    },
    /// An exact-out swap would cost more than the signer's maximum.
    #[error(
        "slippage: the input would be {need}{denom}, above the maximum {max}{denom}; quote again or raise the maximum"
    )]
    AboveMaxIn {
        /// The denom paid in.
        denom: String,
        /// What it would cost.
        need: u128,
        /// The signer's maximum.
        max: u128,
    },
    /// The message's deadline is before the block time.
    #[error(
        "deadline passed: the block time {block_ms} ms is after the deadline {deadline_ms} ms; sign again with a later deadline"
    )]
    DeadlinePassed {
        /// The deadline.
        deadline_ms: u64,
        /// The block time.
        block_ms: u64,
    },
    /// The pool cannot pay this much (or the trade rounds to nothing).
    #[error("insufficient liquidity in pool {pool_id}: {reason}")]
    InsufficientLiquidity {
        /// The pool (0 for a pool being created).
        pool_id: u64,
        /// What is short.
        reason: String,
    },
    /// A fee outside the documented range.
    #[error(
        "fee {fee_bps} bps is out of range: use {min} to {max} basis points (or 0 for the default)"
    )]
    FeeOutOfRange {
        /// What was given.
        fee_bps: u32,
        /// Lowest allowed.
        min: u32,
        /// Highest allowed.
        max: u32,
    },
    /// A result would pass the bound that keeps every product in range
    /// (pool reserves and liquidity stay at most `MAX_AMOUNT`).
    #[error("overflow: {what} would exceed the pool bound of 2^112-1 base units")]
    Overflow {
        /// What would overflow.
        what: &'static str,
    },
    /// More hops than allowed.
    #[error("route of {len} pools is too long: at most {max}")]
    RouteTooLong {
        /// What was given.
        len: usize,
        /// The bound.
        max: usize,
    },
    /// A hop's pool does not hold the denom the previous hop pays, or the
    /// route does not end in the denom asked for.
    #[error("route does not connect at hop {hop} (pool {pool_id}): {reason}")]
    RouteDisconnected {
        /// Index of the hop (0 = first).
        hop: usize,
        /// Its pool.
        pool_id: u64,
        /// Why.
        reason: String,
    },
    /// A denom of the pool has expired: swaps and deposits are closed,
    /// withdrawals stay open.
    #[error("{denom} expired at {expiry_ms} ms: pool {pool_id} accepts only withdrawals now")]
    DenomExpired {
        /// The pool (0 for a pool being created).
        pool_id: u64,
        /// The expired denom.
        denom: String,
        /// When it expired (block time, ms).
        expiry_ms: u64,
    },
    /// A denom of a new pool is not registered in bank.
    #[error("denom {denom} does not exist: create it first with `tx bank create-denom`")]
    DenomNotFound {
        /// The denom.
        denom: String,
    },
    /// A deposit would mint fewer LP tokens than the signer's minimum.
    #[error("slippage: the deposit would mint {got} {denom}, below the minimum {min}")]
    BelowMinLp {
        /// The LP denom.
        denom: String,
        /// What it would mint.
        got: u128,
        /// The minimum.
        min: u128,
    },
    /// A bank operation failed (insufficient funds, the compliance gate).
    #[error(transparent)]
    Bank(BankError),
    /// The genesis section or the parameters are inconsistent.
    #[error("invalid amm parameters: {reason}")]
    Params {
        /// Which field and why.
        reason: String,
    },
    /// State the module wrote contradicts itself (internal: the node stops).
    #[error("amm state is inconsistent: {reason}")]
    Corrupt {
        /// What is wrong.
        reason: String,
    },
}

impl AmmError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        AmmError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }
}

impl From<BankError> for AmmError {
    fn from(e: BankError) -> Self {
        AmmError::Bank(e)
    }
}

impl ErrorCode for AmmError {
    fn codespace(&self) -> &'static str {
        match self {
            AmmError::Bank(e) => e.codespace(),
            _ => "amm",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            AmmError::Storage(_) => 1,
            AmmError::InvalidField { .. } => 2,
            AmmError::ZeroAmount { .. } => 3,
            AmmError::SameDenom { .. } => 4,
            AmmError::PoolNotFound { .. } => 5,
            AmmError::PoolExists { .. } => 6,
            AmmError::BelowMinOut { .. } => 7,
            AmmError::AboveMaxIn { .. } => 8,
            AmmError::DeadlinePassed { .. } => 9,
            AmmError::InsufficientLiquidity { .. } => 10,
            AmmError::FeeOutOfRange { .. } => 11,
            AmmError::Overflow { .. } => 12,
            AmmError::RouteTooLong { .. } => 13,
            AmmError::RouteDisconnected { .. } => 14,
            AmmError::DenomExpired { .. } => 15,
            AmmError::DenomNotFound { .. } => 16,
            AmmError::BelowMinLp { .. } => 17,
            AmmError::Bank(e) => e.code(),
            AmmError::Params { .. } => 18,
            AmmError::Corrupt { .. } => 19,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            AmmError::Storage(_) => true,
            AmmError::Corrupt { .. } => true,
            AmmError::Bank(e) => e.is_internal(),
            _ => false,
        }
    }
}
