use fructus_bank::BankError;
use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_oracle::PriceRefusal;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::Address;

/// Errors of the lending module (codespace `lending`; bank failures — the
/// compliance gate's `bank#10` among them — keep bank's codespace and
/// code). New variants go at the end: the numeric codes are a public
/// contract.
#[derive(Debug, thiserror::Error)]
pub enum LendingError {
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
    /// The denom has no listed pool.
    #[error("{denom} has no listed lending pool: see `query lend params`")]
    NotListed {
        /// The denom.
        denom: String,
    },
    /// The denom is not an accepted collateral.
    #[error("{denom} is not an accepted collateral: see `query lend params`")]
    NotCollateral {
        /// The denom.
        denom: String,
    },
    /// The pool's cash cannot pay this out now.
    #[error(
        "the {denom} pool holds {cash} in cash, less than the {asked} asked: wait for repayments or ask less"
    )]
    InsufficientCash {
        /// The pool.
        denom: String,
        /// Asked.
        asked: u128,
        /// Cash.
        cash: u128,
    },
    /// More than the account has there.
    #[error("{what}: asked {asked}, available {available}")]
    Exceeds {
        /// What.
        what: &'static str,
        /// Asked.
        asked: u128,
        /// Available.
        available: u128,
    },
    /// The account's borrows would exceed its collateral's borrowing power.
    #[error(
        "{account} would owe {borrowed} (quote value) against a borrow limit of {limit}: pledge more collateral or borrow less"
    )]
    Unhealthy {
        /// The account.
        account: Address,
        /// Its debt value after the operation.
        borrowed: u128,
        /// Its borrow limit after the operation.
        limit: u128,
    },
    /// The account is healthy: it may not be liquidated.
    #[error(
        "{account} is healthy (owes {borrowed} against a limit of {limit}): it may not be liquidated"
    )]
    Healthy {
        /// The account.
        account: Address,
        /// Its debt value.
        borrowed: u128,
        /// Its borrow limit.
        limit: u128,
    },
    /// A price is stale or missing.
    #[error("no fresh price for {denom}: feeders must post one first")]
    StalePrice {
        /// The denom.
        denom: String,
    },
    /// A price moved too far from its TWAP.
    #[error(
        "the price of {denom} is {deviation_bps} bps from its TWAP, more than the {max_bps} bps allowed: wait for the TWAP to follow"
    )]
    PriceDeviates {
        /// The denom.
        denom: String,
        /// The deviation.
        deviation_bps: u128,
        /// The bound.
        max_bps: u32,
    },
    /// A liquidator may not liquidate itself.
    #[error("an account may not liquidate itself")]
    SelfLiquidation,
    /// No NFT loan or offer has this id.
    #[error("NFT loan {loan_id} does not exist (repaid, claimed, cancelled, or never offered)")]
    LoanNotFound {
        /// The id.
        loan_id: u64,
    },
    /// Only a named party of the loan may do this.
    #[error("NFT loan {loan_id}: only {party} may {action}, not {signer}")]
    NotParty {
        /// The loan.
        loan_id: u64,
        /// Who may.
        party: Address,
        /// What was attempted.
        action: &'static str,
        /// Who signed.
        signer: Address,
    },
    /// The loan is in the wrong state for this (offered vs. running).
    #[error("NFT loan {loan_id} is {state}: {action} is not possible now")]
    LoanState {
        /// The loan.
        loan_id: u64,
        /// Its state.
        state: &'static str,
        /// What was attempted.
        action: &'static str,
    },
    /// Repaying after maturity, or claiming before.
    #[error(
        "NFT loan {loan_id} matures at {maturity_ms} ms and the block time is {now_ms} ms: {what}"
    )]
    Maturity {
        /// The loan.
        loan_id: u64,
        /// Its maturity.
        maturity_ms: u64,
        /// The block time.
        now_ms: u64,
        /// Why that refuses it.
        what: &'static str,
    },
    /// The asset cannot be pledged (missing, fractionalized, not owned).
    #[error("asset {asset_id} cannot back this loan: {reason}")]
    Asset {
        /// The asset.
        asset_id: u64,
        /// Why.
        reason: String,
    },
    /// A result would pass its documented bound.
    #[error("overflow: {what} would exceed its bound")]
    Overflow {
        /// What.
        what: &'static str,
    },
    /// A bank operation failed (insufficient funds, the compliance gate).
    #[error(transparent)]
    Bank(BankError),
    /// The genesis section or the parameters are inconsistent.
    #[error("invalid lending parameters: {reason}")]
    Params {
        /// Which field and why.
        reason: String,
    },
    /// State the module wrote contradicts itself (internal: the node stops).
    #[error("lending state is inconsistent: {reason}")]
    Corrupt {
        /// What is wrong.
        reason: String,
    },
    /// A price's TWAP covers too little of its window to guard it (the
    /// pair has too little price history yet).
    #[error(
        "the TWAP of {denom} covers {coverage_bps} bps of its window, less than the {min_bps} bps required: the pair has too little price history; retry in about {wait_ms} ms"
    )]
    ThinTwap {
        /// The denom.
        denom: String,
        /// The share of the window covered, bps.
        coverage_bps: u32,
        /// The bound (`min_twap_coverage_bps`).
        min_bps: u32,
        /// How much longer the pair's price must hold to reach it, ms.
        wait_ms: u64,
    },
}

impl LendingError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        LendingError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }

    /// The error for a price the oracle's guard refused.
    #[cfg(feature = "component")]
    pub(crate) fn refused_price(denom: &fructus_types::Denom, refusal: PriceRefusal) -> Self {
        let denom = denom.to_string();
        match refusal {
            PriceRefusal::Stale => LendingError::StalePrice { denom },
            PriceRefusal::ThinTwap {
                coverage_bps,
                min_bps,
                wait_ms,
            } => LendingError::ThinTwap {
                denom,
                coverage_bps,
                min_bps,
                wait_ms,
            },
            PriceRefusal::Deviates {
                deviation_bps,
                max_bps,
            } => LendingError::PriceDeviates {
                denom,
                deviation_bps,
                max_bps,
            },
        }
    }
}

impl From<BankError> for LendingError {
    fn from(e: BankError) -> Self {
        LendingError::Bank(e)
    }
}

#[cfg(feature = "component")]
fn internal(module: &str, e: impl std::fmt::Display) -> LendingError {
    LendingError::Corrupt {
        reason: format!("{module}: {e}"),
    }
}

#[cfg(feature = "component")]
impl From<fructus_oracle::OracleError> for LendingError {
    fn from(e: fructus_oracle::OracleError) -> Self {
        internal("oracle", e)
    }
}

#[cfg(feature = "component")]
impl From<fructus_asset::AssetError> for LendingError {
    fn from(e: fructus_asset::AssetError) -> Self {
        internal("asset", e)
    }
}

impl ErrorCode for LendingError {
    fn codespace(&self) -> &'static str {
        match self {
            LendingError::Bank(e) => e.codespace(),
            _ => "lending",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            LendingError::Storage(_) => 1,
            LendingError::InvalidField { .. } => 2,
            LendingError::NotListed { .. } => 3,
            LendingError::NotCollateral { .. } => 4,
            LendingError::InsufficientCash { .. } => 5,
            LendingError::Exceeds { .. } => 6,
            LendingError::Unhealthy { .. } => 7,
            LendingError::Healthy { .. } => 8,
            LendingError::StalePrice { .. } => 9,
            LendingError::PriceDeviates { .. } => 10,
            LendingError::SelfLiquidation => 11,
            LendingError::LoanNotFound { .. } => 12,
            LendingError::NotParty { .. } => 13,
            LendingError::LoanState { .. } => 14,
            LendingError::Maturity { .. } => 15,
            LendingError::Asset { .. } => 16,
            LendingError::Overflow { .. } => 17,
            LendingError::Bank(e) => e.code(),
            LendingError::Params { .. } => 18,
            LendingError::Corrupt { .. } => 19,
            LendingError::ThinTwap { .. } => 20,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            LendingError::Storage(_) => true,
            LendingError::Corrupt { .. } => true,
            LendingError::Bank(e) => e.is_internal(),
            _ => false,
        }
    }
}
