use fructus_asset::AssetError;
use fructus_bank::BankError;
use fructus_component::ErrorCode;
use fructus_identity::IdentityError;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::Address;

/// Errors of the certificate module (codespace `certificate`; bank,
/// identity and asset failures — the compliance gate's `bank#10` among
/// them — keep their own codespace and code). New variants go at the end:
/// the numeric codes are a public contract.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
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
    /// The account is not (or no longer) an accredited issuer.
    #[error(
        "{address} is not an accredited certificate issuer: a regulator accredits issuers with `tx cert accredit-issuer`"
    )]
    NotAccredited {
        /// The account.
        address: Address,
    },
    /// The account is already an accredited issuer.
    #[error("{address} is already an accredited issuer")]
    AlreadyAccredited {
        /// The account.
        address: Address,
    },
    /// No class has this id.
    #[error("certificate class {class_id} does not exist: list classes with `query cert classes`")]
    ClassNotFound {
        /// The id.
        class_id: u64,
    },
    /// Only the class's issuer issues its batches.
    #[error("class {class_id} belongs to issuer {issuer}, not to {signer}")]
    NotClassIssuer {
        /// The class.
        class_id: u64,
        /// Its issuer.
        issuer: Address,
        /// Who signed.
        signer: Address,
    },
    /// No batch has this id.
    #[error("certificate batch {batch_id} does not exist: list batches with `query cert batches`")]
    BatchNotFound {
        /// The id.
        batch_id: u64,
    },
    /// The serial range overlaps a batch of the same class and registry.
    #[error(
        "serials {first}..={last} of class {class_id} (registry {registry}) overlap batch {batch_id} ({other_first}..={other_last}): pick a range no batch covers"
    )]
    SerialOverlap {
        /// The class.
        class_id: u64,
        /// The registry.
        registry: String,
        /// First serial asked for.
        first: u64,
        /// Last serial asked for.
        last: u64,
        /// The batch already covering part of it.
        batch_id: u64,
        /// Its first serial.
        other_first: u64,
        /// Its last serial.
        other_last: u64,
    },
    /// A mint would pass the batch's serial range.
    #[error(
        "batch {batch_id} has {left} unissued serials of {quantity}; {requested} more cannot be minted: issue a new batch"
    )]
    QuantityExceeded {
        /// The batch.
        batch_id: u64,
        /// Its serial range size.
        quantity: u64,
        /// Serials not yet issued.
        left: u64,
        /// What was asked for.
        requested: u64,
    },
    /// The holder has fewer units of the batch than it would retire or
    /// cancel.
    #[error(
        "{holder} holds {held} units of batch {batch_id}, fewer than the {requested} it would retire or cancel"
    )]
    InsufficientCertificates {
        /// The holder.
        holder: Address,
        /// The batch.
        batch_id: u64,
        /// What it holds.
        held: u128,
        /// What was asked for.
        requested: u64,
    },
    /// Only the batch's issuer cancels its units.
    #[error(
        "batch {batch_id} was issued by {issuer}; {signer} may retire its units but not cancel them"
    )]
    NotBatchIssuer {
        /// The batch.
        batch_id: u64,
        /// Its issuer.
        issuer: Address,
        /// Who signed.
        signer: Address,
    },
    /// Auto-issuance from metering is for REC batches only.
    #[error(
        "batch {batch_id} is of kind {kind}; auto-issuance from metered energy mints RECs only"
    )]
    NotRec {
        /// The batch.
        batch_id: u64,
        /// Its kind.
        kind: String,
    },
    /// The asset's energy is already certified by another issuer.
    #[error(
        "asset {asset_id} already has an auto-issuance authorization from {issuer}: it revokes it first"
    )]
    AuthorizationExists {
        /// The asset.
        asset_id: u64,
        /// The authorizing issuer.
        issuer: Address,
    },
    /// The asset has no auto-issuance authorization.
    #[error("asset {asset_id} has no auto-issuance authorization")]
    AuthorizationNotFound {
        /// The asset.
        asset_id: u64,
    },
    /// Only the authorizing issuer or a regulator revokes an authorization.
    #[error(
        "the auto-issuance of asset {asset_id} was granted by {issuer}; {signer} may not revoke it"
    )]
    NotAuthorizer {
        /// The asset.
        asset_id: u64,
        /// The authorizing issuer.
        issuer: Address,
        /// Who signed.
        signer: Address,
    },
    /// A counter would pass its bound.
    #[error("overflow: {what}")]
    Overflow {
        /// What would overflow.
        what: &'static str,
    },
    /// A bank operation failed (the compliance gate among them).
    #[error(transparent)]
    Bank(BankError),
    /// An identity check failed (a frozen account).
    #[error(transparent)]
    Identity(Box<IdentityError>),
    /// An asset operation failed (an unknown asset, income crediting).
    #[error(transparent)]
    Asset(Box<AssetError>),
    /// The genesis section or the parameters are inconsistent.
    #[error("invalid certificate parameters: {reason}")]
    Params {
        /// Which field and why.
        reason: String,
    },
    /// State the module wrote contradicts itself (internal: the node stops).
    #[error("certificate state is inconsistent: {reason}")]
    Corrupt {
        /// What is wrong.
        reason: String,
    },
    /// No retirement has this id.
    #[error("retirement {id} does not exist: list retirements with `query cert retirements`")]
    RetirementNotFound {
        /// The id.
        id: u64,
    },
    /// The source transaction was already bridged in, with other serials.
    #[error(
        "{registry} transaction {tx_id} was already bridged in as batch {batch_id} with other serials: a source transaction is bridged once"
    )]
    BridgeTxConflict {
        /// The source registry.
        registry: String,
        /// Its transaction id.
        tx_id: String,
        /// The batch it became.
        batch_id: u64,
    },
}

impl CertificateError {
    /// A [`CertificateError::InvalidField`].
    pub fn field(field: &'static str, reason: impl ToString) -> Self {
        CertificateError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }
}

impl From<BankError> for CertificateError {
    fn from(e: BankError) -> Self {
        CertificateError::Bank(e)
    }
}

impl From<IdentityError> for CertificateError {
    fn from(e: IdentityError) -> Self {
        CertificateError::Identity(Box::new(e))
    }
}

impl From<AssetError> for CertificateError {
    fn from(e: AssetError) -> Self {
        CertificateError::Asset(Box::new(e))
    }
}

impl ErrorCode for CertificateError {
    fn codespace(&self) -> &'static str {
        match self {
            CertificateError::Bank(e) => e.codespace(),
            CertificateError::Identity(e) => e.codespace(),
            CertificateError::Asset(e) => e.codespace(),
            _ => "certificate",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            CertificateError::Storage(_) => 1,
            CertificateError::InvalidField { .. } => 2,
            CertificateError::NotRegulator { .. } => 3,
            CertificateError::NotAccredited { .. } => 4,
            CertificateError::AlreadyAccredited { .. } => 5,
            CertificateError::ClassNotFound { .. } => 6,
            CertificateError::NotClassIssuer { .. } => 7,
            CertificateError::BatchNotFound { .. } => 8,
            CertificateError::SerialOverlap { .. } => 9,
            CertificateError::QuantityExceeded { .. } => 10,
            CertificateError::InsufficientCertificates { .. } => 11,
            CertificateError::NotBatchIssuer { .. } => 12,
            CertificateError::NotRec { .. } => 13,
            CertificateError::AuthorizationExists { .. } => 14,
            CertificateError::AuthorizationNotFound { .. } => 15,
            CertificateError::NotAuthorizer { .. } => 16,
            CertificateError::Overflow { .. } => 17,
            CertificateError::Bank(e) => e.code(),
            CertificateError::Identity(e) => e.code(),
            CertificateError::Asset(e) => e.code(),
            CertificateError::Params { .. } => 18,
            CertificateError::Corrupt { .. } => 19,
            CertificateError::RetirementNotFound { .. } => 20,
            CertificateError::BridgeTxConflict { .. } => 21,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            CertificateError::Storage(_) => true,
            CertificateError::Corrupt { .. } => true,
            CertificateError::Bank(e) => e.is_internal(),
            CertificateError::Identity(e) => e.is_internal(),
            CertificateError::Asset(e) => e.is_internal(),
            _ => false,
        }
    }
}
