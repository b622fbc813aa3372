use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_storage::StorageError;

/// Errors of income accounting (codespace `income`).
#[derive(Debug, thiserror::Error)]
pub enum IncomeError {
    #[cfg(feature = "component")]
    /// The state store failed; the node must stop rather than guess.
    #[error("state store failure: {0}")]
    Storage(#[from] StorageError),
    /// Fixed-point arithmetic would pass 2^128−1; the payment is refused.
    #[error(
        "income of {income_denom} to {share_denom} overflows the fixed-point accumulator \
         ({what}); pay a smaller amount"
    )]
    Overflow {
        /// The income-bearing denom (`share/7`).
        share_denom: String,
        /// The income denom.
        income_denom: String,
        /// Which quantity overflowed.
        what: &'static str,
    },
    /// Income paid to a denom with no shares outstanding.
    #[error("no {share_denom} shares are outstanding; income cannot be split")]
    NoShares {
        /// The income-bearing denom.
        share_denom: String,
    },
    /// The asset already receives income in the maximum number of denoms.
    #[error(
        "{share_denom} already receives income in {max} denoms; {income_denom} cannot be added"
    )]
    TooManyIncomeDenoms {
        /// The income-bearing denom.
        share_denom: String,
        /// The refused income denom.
        income_denom: String,
        /// The bound.
        max: usize,
    },
    /// Income to a denom that does not bear income.
    #[error("{denom} does not bear income (only share/… denoms do)")]
    NotIncomeBearing {
        /// The denom.
        denom: String,
    },
    /// Stored income state contradicts itself (a checkpoint above the
    /// accumulator): a bug, never the transaction's fault.
    #[error("corrupt income state for {share_denom}/{income_denom}: {reason}")]
    Corrupt {
        /// The income-bearing denom.
        share_denom: String,
        /// The income denom.
        income_denom: String,
        /// What is inconsistent.
        reason: &'static str,
    },
}

/// The stable code of each variant (codespace `income`): what [`ErrorCode::code`]
/// returns, and what tests and clients compare a result's code with.
impl IncomeError {
    /// The code of [`IncomeError::Storage`].
    pub const STORAGE: u32 = 1;
    /// The code of [`IncomeError::Overflow`].
    pub const OVERFLOW: u32 = 2;
    /// The code of [`IncomeError::NoShares`].
    pub const NO_SHARES: u32 = 3;
    /// The code of [`IncomeError::TooManyIncomeDenoms`].
    pub const TOO_MANY_INCOME_DENOMS: u32 = 4;
    /// The code of [`IncomeError::NotIncomeBearing`].
    pub const NOT_INCOME_BEARING: u32 = 5;
    /// The code of [`IncomeError::Corrupt`].
    pub const CORRUPT: u32 = 6;
}

impl ErrorCode for IncomeError {
    fn codespace(&self) -> &'static str {
        "income"
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            IncomeError::Storage(_) => Self::STORAGE,
            IncomeError::Overflow { .. } => Self::OVERFLOW,
            IncomeError::NoShares { .. } => Self::NO_SHARES,
            IncomeError::TooManyIncomeDenoms { .. } => Self::TOO_MANY_INCOME_DENOMS,
            IncomeError::NotIncomeBearing { .. } => Self::NOT_INCOME_BEARING,
            IncomeError::Corrupt { .. } => Self::CORRUPT,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            IncomeError::Storage(_) => true,
            IncomeError::Corrupt { .. } => true,
            _ => false,
        }
    }
}
