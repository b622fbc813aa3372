use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::Address;

/// Errors of the oracle module (codespace `oracle`). New variants go at
/// the end: the numeric codes are a public contract.
#[derive(Debug, thiserror::Error)]
pub enum OracleError {
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
    /// Only a regulator may change the feeder set.
    #[error("{signer} is not a regulator: only a regulator may {action}")]
    NotRegulator {
        /// Who signed.
        signer: Address,
        /// What was attempted.
        action: &'static str,
    },
    /// The signer is not an active feeder.
    #[error(
        "{signer} is not an active price feeder: a regulator must accredit it, and the accreditation counts only after the feeder delay"
    )]
    NotFeeder {
        /// Who signed.
        signer: Address,
    },
    /// The feeder is already active or has a change pending.
    #[error(
        "feeder {feeder} already {state}: wait for the pending change or query `oracle feeders`"
    )]
    FeederBusy {
        /// The feeder.
        feeder: Address,
        /// Active, or which change is pending.
        state: &'static str,
    },
    /// The feeder to revoke is not active.
    #[error("{feeder} is not an active feeder: nothing to revoke")]
    FeederNotFound {
        /// The address.
        feeder: Address,
    },
    /// The feeder set is full.
    #[error("the feeder set is full ({max} feeders, active and pending): revoke one first")]
    TooManyFeeders {
        /// The bound.
        max: usize,
    },
    /// No more pairs can be created.
    #[error("the oracle tracks at most {max} pairs: post prices for an existing pair")]
    TooManyPairs {
        /// The bound.
        max: u64,
    },
    /// No price for a pair: never posted, or stale with no usable fallback.
    #[error("no fresh price for {pair}: {reason}")]
    NoPrice {
        /// The pair (`base:quote`).
        pair: String,
        /// Why.
        reason: String,
    },
    /// The genesis section or the parameters are inconsistent.
    #[error("invalid oracle parameters: {reason}")]
    Params {
        /// Which field and why.
        reason: String,
    },
    /// State the module wrote contradicts itself (internal: the node stops).
    #[error("oracle state is inconsistent: {reason}")]
    Corrupt {
        /// What is wrong.
        reason: String,
    },
}

impl OracleError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        OracleError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }
}

#[cfg(feature = "component")]
impl From<fructus_identity::IdentityError> for OracleError {
    fn from(e: fructus_identity::IdentityError) -> Self {
        OracleError::Corrupt {
            reason: format!("identity: {e}"),
        }
    }
}

#[cfg(feature = "component")]
impl From<fructus_bank::BankError> for OracleError {
    fn from(e: fructus_bank::BankError) -> Self {
        OracleError::Corrupt {
            reason: format!("bank: {e}"),
        }
    }
}

#[cfg(feature = "component")]
impl From<fructus_amm::AmmError> for OracleError {
    fn from(e: fructus_amm::AmmError) -> Self {
        OracleError::Corrupt {
            reason: format!("amm: {e}"),
        }
    }
}

impl ErrorCode for OracleError {
    fn codespace(&self) -> &'static str {
        "oracle"
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            OracleError::Storage(_) => 1,
            OracleError::InvalidField { .. } => 2,
            OracleError::NotRegulator { .. } => 3,
            OracleError::NotFeeder { .. } => 4,
            OracleError::FeederBusy { .. } => 5,
            OracleError::FeederNotFound { .. } => 6,
            OracleError::TooManyFeeders { .. } => 7,
            OracleError::TooManyPairs { .. } => 8,
            OracleError::NoPrice { .. } => 9,
            OracleError::Params { .. } => 10,
            OracleError::Corrupt { .. } => 11,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            OracleError::Storage(_) => true,
            OracleError::Corrupt { .. } => true,
            _ => false,
        }
    }
}
