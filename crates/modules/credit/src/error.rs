use fructus_bank::BankError;
use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_oracle::PriceRefusal;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::Address;

/// Errors of the credit module (codespace `credit`; bank failures — the
/// compliance gate's `bank#10` among them — keep bank's codespace and
/// code). New variants go at the end: the numeric codes are a public
/// contract.
#[derive(Debug, thiserror::Error)]
pub enum CreditError {
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
    /// Only a regulator may do this.
    #[error("{signer} is not a regulator: only a regulator may {action}")]
    NotRegulator {
        /// Who signed.
        signer: Address,
        /// What was attempted.
        action: &'static str,
    },
    /// The signer is not an accredited rating agency.
    #[error("{signer} is not an accredited rating agency: a regulator must accredit it first")]
    NotAgency {
        /// Who signed.
        signer: Address,
    },
    /// The agency is already accredited.
    #[error("{agency} is already an accredited rating agency")]
    AgencyExists {
        /// The agency.
        agency: Address,
    },
    /// The rated account is not a KYC'd enterprise.
    #[error("{account} is not a KYC'd enterprise: only enterprises are rated")]
    NotEnterprise {
        /// The account.
        account: Address,
    },
    /// No rating to revoke, or the signer may not revoke it.
    #[error(
        "{enterprise} has no rating {signer} may revoke (the agency that gave it, or a regulator)"
    )]
    NoRating {
        /// The enterprise.
        enterprise: Address,
        /// Who signed.
        signer: Address,
    },
    /// The report record was refused by the identity module.
    #[error("the rating report was refused: {reason}")]
    Report {
        /// Identity's reason.
        reason: String,
    },
    /// The denom is not an accepted collateral.
    #[error("{denom} is not an accepted collateral: see `query credit params`")]
    NotCollateral {
        /// The denom.
        denom: String,
    },
    /// No vault has this id.
    #[error("vault {vault_id} does not exist")]
    VaultNotFound {
        /// The id.
        vault_id: u64,
    },
    /// Only the vault's owner may do this.
    #[error("vault {vault_id} belongs to {owner}, not to {signer}")]
    NotOwner {
        /// The vault.
        vault_id: u64,
        /// Its owner.
        owner: Address,
        /// Who signed.
        signer: Address,
    },
    /// The vault is being liquidated.
    #[error("vault {vault_id} is in auction: wait for the auction to end")]
    InAuction {
        /// The vault.
        vault_id: u64,
    },
    /// The vault has no running auction.
    #[error("vault {vault_id} has no running auction")]
    NoAuction {
        /// The vault.
        vault_id: u64,
    },
    /// The vault's collateral would not cover the ratio its owner's rating
    /// requires.
    #[error(
        "vault {vault_id} would be unsafe: collateral worth {value} would back a debt of {debt}, and the owner's {rating} rating requires {ratio_bps} bps; deposit more or mint less"
    )]
    Unsafe {
        /// The vault.
        vault_id: u64,
        /// Collateral value after the haircut, in quote units.
        value: u128,
        /// Debt after the operation.
        debt: u128,
        /// The owner's grade or `unrated`.
        rating: String,
        /// The required ratio.
        ratio_bps: u32,
    },
    /// The collateral type's debt ceiling would be passed.
    #[error("minting would take {denom}'s debt to {would_be}, above its ceiling {ceiling}")]
    DebtCeiling {
        /// The collateral.
        denom: String,
        /// Its debt after the mint.
        would_be: u128,
        /// Its ceiling.
        ceiling: u128,
    },
    /// The vault is safe: it may not be liquidated.
    #[error(
        "vault {vault_id} is safe (collateral worth {value} for a debt of {debt}, above the liquidation ratio {ratio_bps} bps): it may not be liquidated"
    )]
    Safe {
        /// The vault.
        vault_id: u64,
        /// Collateral value after the haircut.
        value: u128,
        /// Its debt.
        debt: u128,
        /// The liquidation ratio.
        ratio_bps: u32,
    },
    /// The collateral's price is stale or missing.
    #[error(
        "no fresh price for {denom}: feeders must post one before vaults can mint, withdraw or be liquidated"
    )]
    StalePrice {
        /// The collateral.
        denom: String,
    },
    /// The price moved too far from its TWAP.
    #[error(
        "the price of {denom} is {deviation_bps} bps from its TWAP, more than the {max_bps} bps allowed: wait for the TWAP to follow"
    )]
    PriceDeviates {
        /// The collateral.
        denom: String,
        /// The deviation.
        deviation_bps: u128,
        /// The bound.
        max_bps: u32,
    },
    /// The auction's price is above the bidder's maximum.
    #[error("the auction price is {price}, above your maximum {max}: wait or raise the maximum")]
    AbovePrice {
        /// The current price (×10^18).
        price: u128,
        /// The bidder's maximum.
        max: u128,
    },
    /// More than the vault holds, or more bad debt than recorded.
    #[error("{what}: asked {asked}, available {available}")]
    Exceeds {
        /// What.
        what: &'static str,
        /// Asked.
        asked: u128,
        /// Available.
        available: u128,
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
    #[error("invalid credit parameters: {reason}")]
    Params {
        /// Which field and why.
        reason: String,
    },
    /// State the module wrote contradicts itself (internal: the node stops).
    #[error("credit state is inconsistent: {reason}")]
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
        /// The collateral.
        denom: String,
        /// The share of the window covered, bps.
        coverage_bps: u32,
        /// The bound (`min_twap_coverage_bps`).
        min_bps: u32,
        /// How much longer the pair's price must hold to reach it, ms.
        wait_ms: u64,
    },
}

impl CreditError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        CreditError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }

    /// The error for a price the oracle's guard refused.
    #[cfg(feature = "component")]
    pub(crate) fn refused_price(denom: &fructus_types::Denom, refusal: PriceRefusal) -> Self {
        let denom = denom.to_string();
        match refusal {
            PriceRefusal::Stale => CreditError::StalePrice { denom },
            PriceRefusal::ThinTwap {
                coverage_bps,
                min_bps,
                wait_ms,
            } => CreditError::ThinTwap {
                denom,
                coverage_bps,
                min_bps,
                wait_ms,
            },
            PriceRefusal::Deviates {
                deviation_bps,
                max_bps,
            } => CreditError::PriceDeviates {
                denom,
                deviation_bps,
                max_bps,
            },
        }
    }
}

impl From<BankError> for CreditError {
    fn from(e: BankError) -> Self {
        CreditError::Bank(e)
    }
}

#[cfg(feature = "component")]
fn internal(module: &str, e: impl std::fmt::Display) -> CreditError {
    CreditError::Corrupt {
        reason: format!("{module}: {e}"),
    }
}

#[cfg(feature = "component")]
impl From<fructus_identity::IdentityError> for CreditError {
    fn from(e: fructus_identity::IdentityError) -> Self {
        if e.is_internal() {
            internal("identity", e)
        } else {
            CreditError::Report {
                reason: e.to_string(),
            }
        }
    }
}

#[cfg(feature = "component")]
impl From<fructus_oracle::OracleError> for CreditError {
    fn from(e: fructus_oracle::OracleError) -> Self {
        internal("oracle", e)
    }
}

#[cfg(feature = "component")]
impl From<fructus_asset::AssetError> for CreditError {
    fn from(e: fructus_asset::AssetError) -> Self {
        if e.is_internal() {
            internal("asset", e)
        } else {
            CreditError::field("vault_id", e)
        }
    }
}

impl ErrorCode for CreditError {
    fn codespace(&self) -> &'static str {
        match self {
            CreditError::Bank(e) => e.codespace(),
            _ => "credit",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            CreditError::Storage(_) => 1,
            CreditError::InvalidField { .. } => 2,
            CreditError::NotRegulator { .. } => 3,
            CreditError::NotAgency { .. } => 4,
            CreditError::AgencyExists { .. } => 5,
            CreditError::NotEnterprise { .. } => 6,
            CreditError::NoRating { .. } => 7,
            CreditError::Report { .. } => 8,
            CreditError::NotCollateral { .. } => 9,
            CreditError::VaultNotFound { .. } => 10,
            CreditError::NotOwner { .. } => 11,
            CreditError::InAuction { .. } => 12,
            CreditError::NoAuction { .. } => 13,
            CreditError::Unsafe { .. } => 14,
            CreditError::DebtCeiling { .. } => 15,
            CreditError::Safe { .. } => 16,
            CreditError::StalePrice { .. } => 17,
            CreditError::PriceDeviates { .. } => 18,
            CreditError::AbovePrice { .. } => 19,
            CreditError::Exceeds { .. } => 20,
            CreditError::Overflow { .. } => 21,
            CreditError::Bank(e) => e.code(),
            CreditError::Params { .. } => 22,
            CreditError::Corrupt { .. } => 23,
            CreditError::ThinTwap { .. } => 24,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            CreditError::Storage(_) => true,
            CreditError::Corrupt { .. } => true,
            CreditError::Bank(e) => e.is_internal(),
            _ => false,
        }
    }
}
