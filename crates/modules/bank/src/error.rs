use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_identity::IdentityError;
#[cfg(feature = "component")]
use fructus_income::IncomeError;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::{Address, Amount, TypesError};

/// Errors of the bank module (codespace `bank`).
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[cfg(feature = "component")]
    /// The state store failed; the node must stop rather than guess.
    #[error("state store failure: {0}")]
    Storage(#[from] StorageError),
    /// The sender does not hold enough.
    #[error("insufficient funds: {address} has {available}{denom}, needs {required}{denom}")]
    InsufficientFunds {
        /// The account short of funds.
        address: Address,
        /// The denom.
        denom: String,
        /// What it holds.
        available: Amount,
        /// What was needed.
        required: Amount,
    },
    /// `CreateDenom` for a name already registered.
    #[error("denom {denom} already exists")]
    DenomExists {
        /// The denom.
        denom: String,
    },
    /// The denom is not registered.
    #[error("denom {denom} does not exist: create it first with `tx bank create-denom`")]
    DenomNotFound {
        /// The denom.
        denom: String,
    },
    /// Only the issuer mints or burns.
    #[error("{signer} is not the issuer of {denom}; only its issuer may mint or burn it")]
    NotIssuer {
        /// The denom.
        denom: String,
        /// Who tried.
        signer: Address,
    },
    /// The name is reserved for the native token or for module namespaces.
    #[error("denom {denom} is reserved: {reason}")]
    ReservedDenom {
        /// The denom.
        denom: String,
        /// Why.
        reason: &'static str,
    },
    /// A message field is malformed.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// Supply or a balance would pass 2^128-1.
    #[error("amount overflow for {denom}: {source}")]
    Overflow {
        /// The denom.
        denom: String,
        /// The arithmetic error.
        source: TypesError,
    },
    /// The recipient may not hold a `kyc_only` denom (not KYC'd, or
    /// frozen); refused for a user's send and a module's payout alike.
    #[error(
        "{address} may not hold {denom} (a KYC-only denom): {reason}; it must be KYC'd by a regulator or accredited provider and not frozen"
    )]
    RecipientNotAllowed {
        /// The recipient.
        address: Address,
        /// The denom.
        denom: String,
        /// Why (not KYC'd, or frozen).
        reason: String,
    },
    /// The genesis section is inconsistent.
    #[error("invalid bank genesis: {reason}")]
    Genesis {
        /// What is wrong, with its JSON path.
        reason: String,
    },
    #[cfg(feature = "component")]
    /// Reading identity state for the compliance gate failed (a storage
    /// fault: internal, the node stops).
    #[error("identity state unreadable: {0}")]
    Identity(IdentityError),
    #[cfg(feature = "component")]
    /// Income state is inconsistent (internal, the node stops).
    #[error("income state unusable: {0}")]
    Income(IncomeError),
    /// The denom expired (a perishable token, e.g. compute capacity for
    /// a window that has ended): it no longer moves; its holder may only
    /// burn it.
    #[error("{denom} expired at {expiry_ms} ms and can no longer be transferred; burn it instead")]
    DenomExpired {
        /// The denom.
        denom: String,
        /// When it expired (block time, ms).
        expiry_ms: u64,
    },
    /// A transfer of a denom nobody holds: no such token exists.
    #[error(
        "no {denom} exists on this chain (its supply is 0): check the denom's spelling; `fructus query account ADDR` lists what an account holds"
    )]
    UnknownDenom {
        /// The denom as given.
        denom: String,
    },
}

impl BankError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        BankError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }
}

/// The stable code of each variant (codespace `bank`): what [`ErrorCode::code`]
/// returns, and what tests and clients compare a result's code with.
impl BankError {
    /// The code of [`BankError::Storage`].
    pub const STORAGE: u32 = 1;
    /// The code of [`BankError::InsufficientFunds`].
    pub const INSUFFICIENT_FUNDS: u32 = 2;
    /// The code of [`BankError::DenomExists`].
    pub const DENOM_EXISTS: u32 = 3;
    /// The code of [`BankError::DenomNotFound`].
    pub const DENOM_NOT_FOUND: u32 = 4;
    /// The code of [`BankError::NotIssuer`].
    pub const NOT_ISSUER: u32 = 5;
    /// The code of [`BankError::ReservedDenom`].
    pub const RESERVED_DENOM: u32 = 6;
    /// The code of [`BankError::InvalidField`].
    pub const INVALID_FIELD: u32 = 7;
    /// The code of [`BankError::Overflow`].
    pub const OVERFLOW: u32 = 8;
    /// The code of [`BankError::Genesis`].
    pub const GENESIS: u32 = 9;
    /// The code of [`BankError::RecipientNotAllowed`].
    pub const RECIPIENT_NOT_ALLOWED: u32 = 10;
    /// The code of [`BankError::Identity`].
    pub const IDENTITY: u32 = 11;
    /// The code of [`BankError::Income`].
    pub const INCOME: u32 = 12;
    /// The code of [`BankError::DenomExpired`].
    pub const DENOM_EXPIRED: u32 = 13;
    /// The code of [`BankError::UnknownDenom`].
    pub const UNKNOWN_DENOM: u32 = 14;
}

impl ErrorCode for BankError {
    fn codespace(&self) -> &'static str {
        "bank"
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            BankError::Storage(_) => Self::STORAGE,
            BankError::InsufficientFunds { .. } => Self::INSUFFICIENT_FUNDS,
            BankError::DenomExists { .. } => Self::DENOM_EXISTS,
            BankError::DenomNotFound { .. } => Self::DENOM_NOT_FOUND,
            BankError::NotIssuer { .. } => Self::NOT_ISSUER,
            BankError::ReservedDenom { .. } => Self::RESERVED_DENOM,
            BankError::InvalidField { .. } => Self::INVALID_FIELD,
            BankError::Overflow { .. } => Self::OVERFLOW,
            BankError::Genesis { .. } => Self::GENESIS,
            BankError::RecipientNotAllowed { .. } => Self::RECIPIENT_NOT_ALLOWED,
            #[cfg(feature = "component")]
            BankError::Identity(_) => Self::IDENTITY,
            #[cfg(feature = "component")]
            BankError::Income(_) => Self::INCOME,
            BankError::DenomExpired { .. } => Self::DENOM_EXPIRED,
            BankError::UnknownDenom { .. } => Self::UNKNOWN_DENOM,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            BankError::Storage(_) => true,
            #[cfg(feature = "component")]
            BankError::Identity(e) => e.is_internal(),
            #[cfg(feature = "component")]
            BankError::Income(e) => e.is_internal(),
            _ => false,
        }
    }
}
