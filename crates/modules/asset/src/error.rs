#[cfg(feature = "component")]
use fructus_bank::BankError;
use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_identity::IdentityError;
#[cfg(feature = "component")]
use fructus_income::IncomeError;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::{Address, Amount};

/// Errors of the asset module (codespace `asset`; bank and income failures
/// keep their own codespace and code).
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[cfg(feature = "component")]
    /// The state store failed; the node must stop rather than guess.
    #[error("state store failure: {0}")]
    Storage(#[from] StorageError),
    /// A message field is malformed.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// No class has this id.
    #[error("asset class {class_id} does not exist")]
    ClassNotFound {
        /// The id.
        class_id: u64,
    },
    /// No asset has this id.
    #[error("asset {asset_id} does not exist")]
    AssetNotFound {
        /// The id.
        asset_id: u64,
    },
    /// Only the class creator may do this.
    #[error("{signer} is not the creator of asset class {class_id} ({creator} is)")]
    NotClassCreator {
        /// The class.
        class_id: u64,
        /// Who tried.
        signer: Address,
        /// The creator.
        creator: Address,
    },
    /// Only the class creator or an authorized manager mints.
    #[error(
        "{signer} may not mint assets of class {class_id}: only its creator or a manager it \
         authorized may"
    )]
    NotMinter {
        /// The class.
        class_id: u64,
        /// Who tried.
        signer: Address,
    },
    /// The serial number is already used in the class.
    #[error("serial {serial:?} already exists in class {class_id} (asset {asset_id})")]
    DuplicateSerial {
        /// The class.
        class_id: u64,
        /// The serial.
        serial: String,
        /// The asset that has it.
        asset_id: u64,
    },
    /// Only the asset's owner may do this.
    #[error("{signer} is not the owner of asset {asset_id} ({owner} is)")]
    NotOwner {
        /// The asset.
        asset_id: u64,
        /// Who tried.
        signer: Address,
        /// The owner.
        owner: Address,
    },
    /// The NFT is locked by fractionalization.
    #[error("asset {asset_id} is fractionalized and locked; redeem all shares first")]
    Locked {
        /// The asset.
        asset_id: u64,
    },
    /// Fractionalize on an asset already fractionalized.
    #[error("asset {asset_id} is already fractionalized into {shares} shares")]
    AlreadyFractionalized {
        /// The asset.
        asset_id: u64,
        /// Its share count.
        shares: Amount,
    },
    /// Redeem on an asset that is not fractionalized.
    #[error("asset {asset_id} is not fractionalized")]
    NotFractionalized {
        /// The asset.
        asset_id: u64,
    },
    /// Redeem needs every share.
    #[error("redeeming asset {asset_id} needs all {total} shares; {signer} holds {held}")]
    NotAllShares {
        /// The asset.
        asset_id: u64,
        /// Who tried.
        signer: Address,
        /// Shares it holds.
        held: Amount,
        /// Shares outstanding.
        total: Amount,
    },
    /// The class would have too many attestation keys.
    #[error("asset class {class_id} would have {got} attestation keys; at most {max}")]
    TooManyAttestationKeys {
        /// The class.
        class_id: u64,
        /// Resulting count.
        got: usize,
        /// The bound.
        max: usize,
    },
    /// An attestation key to add is already registered.
    #[error("asset class {class_id} already has attestation key {key}")]
    AttestationKeyExists {
        /// The class.
        class_id: u64,
        /// The key (hex).
        key: String,
    },
    /// An attestation key to remove is not registered.
    #[error("asset class {class_id} has no attestation key {key}")]
    AttestationKeyNotFound {
        /// The class.
        class_id: u64,
        /// The key (hex).
        key: String,
    },
    /// The account may not create asset classes.
    #[error("{address} may not create asset classes: {reason}")]
    ClassCreationNotPermitted {
        /// The account.
        address: Address,
        /// Why.
        reason: String,
    },
    /// A sequential id or counter would overflow.
    #[error("{what} overflows")]
    Overflow {
        /// What overflowed.
        what: &'static str,
    },
    /// The genesis section is inconsistent.
    #[error("invalid asset genesis: {reason}")]
    Genesis {
        /// What is wrong.
        reason: String,
    },
    #[cfg(feature = "component")]
    /// A bank operation failed (codespace `bank`).
    #[error(transparent)]
    Bank(#[from] BankError),
    #[cfg(feature = "component")]
    /// Income accounting refused (codespace `income`).
    #[error(transparent)]
    Income(#[from] IncomeError),
    #[cfg(feature = "component")]
    /// Identity state could not be read (codespace `identity`; a storage
    /// fault is internal and stops the node).
    #[error(transparent)]
    Identity(#[from] IdentityError),
    /// Every unit of income the holder could claim is in denoms the
    /// compliance gate refuses it (a `kyc_only` denom, and the holder is not
    /// KYC'd or is frozen). The income stays accrued to the holder.
    #[error(
        "income of asset {asset_id} to {holder} is withheld ({withheld}): {reason}; it stays accrued to you — claim again once KYC'd and not frozen"
    )]
    IncomeWithheld {
        /// The asset.
        asset_id: u64,
        /// The holder.
        holder: Address,
        /// What stays accrued.
        withheld: String,
        /// Why the gate refused.
        reason: String,
    },
}

impl AssetError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        AssetError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }
}

/// The stable code of each variant (codespace `asset`): what [`ErrorCode::code`]
/// returns, and what tests and clients compare a result's code with.
impl AssetError {
    /// The code of [`AssetError::Storage`].
    pub const STORAGE: u32 = 1;
    /// The code of [`AssetError::InvalidField`].
    pub const INVALID_FIELD: u32 = 2;
    /// The code of [`AssetError::ClassNotFound`].
    pub const CLASS_NOT_FOUND: u32 = 3;
    /// The code of [`AssetError::AssetNotFound`].
    pub const ASSET_NOT_FOUND: u32 = 4;
    /// The code of [`AssetError::NotClassCreator`].
    pub const NOT_CLASS_CREATOR: u32 = 5;
    /// The code of [`AssetError::NotMinter`].
    pub const NOT_MINTER: u32 = 6;
    /// The code of [`AssetError::DuplicateSerial`].
    pub const DUPLICATE_SERIAL: u32 = 7;
    /// The code of [`AssetError::NotOwner`].
    pub const NOT_OWNER: u32 = 8;
    /// The code of [`AssetError::Locked`].
    pub const LOCKED: u32 = 9;
    /// The code of [`AssetError::AlreadyFractionalized`].
    pub const ALREADY_FRACTIONALIZED: u32 = 10;
    /// The code of [`AssetError::NotFractionalized`].
    pub const NOT_FRACTIONALIZED: u32 = 11;
    /// The code of [`AssetError::NotAllShares`].
    pub const NOT_ALL_SHARES: u32 = 12;
    /// The code of [`AssetError::TooManyAttestationKeys`].
    pub const TOO_MANY_ATTESTATION_KEYS: u32 = 13;
    /// The code of [`AssetError::AttestationKeyExists`].
    pub const ATTESTATION_KEY_EXISTS: u32 = 14;
    /// The code of [`AssetError::AttestationKeyNotFound`].
    pub const ATTESTATION_KEY_NOT_FOUND: u32 = 15;
    /// The code of [`AssetError::ClassCreationNotPermitted`].
    pub const CLASS_CREATION_NOT_PERMITTED: u32 = 16;
    /// The code of [`AssetError::Overflow`].
    pub const OVERFLOW: u32 = 17;
    /// The code of [`AssetError::Genesis`].
    pub const GENESIS: u32 = 18;
    /// The code of [`AssetError::IncomeWithheld`].
    pub const INCOME_WITHHELD: u32 = 19;
}

impl ErrorCode for AssetError {
    fn codespace(&self) -> &'static str {
        match self {
            #[cfg(feature = "component")]
            AssetError::Bank(e) => e.codespace(),
            #[cfg(feature = "component")]
            AssetError::Income(e) => e.codespace(),
            #[cfg(feature = "component")]
            AssetError::Identity(e) => e.codespace(),
            _ => "asset",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            AssetError::Storage(_) => Self::STORAGE,
            AssetError::InvalidField { .. } => Self::INVALID_FIELD,
            AssetError::ClassNotFound { .. } => Self::CLASS_NOT_FOUND,
            AssetError::AssetNotFound { .. } => Self::ASSET_NOT_FOUND,
            AssetError::NotClassCreator { .. } => Self::NOT_CLASS_CREATOR,
            AssetError::NotMinter { .. } => Self::NOT_MINTER,
            AssetError::DuplicateSerial { .. } => Self::DUPLICATE_SERIAL,
            AssetError::NotOwner { .. } => Self::NOT_OWNER,
            AssetError::Locked { .. } => Self::LOCKED,
            AssetError::AlreadyFractionalized { .. } => Self::ALREADY_FRACTIONALIZED,
            AssetError::NotFractionalized { .. } => Self::NOT_FRACTIONALIZED,
            AssetError::NotAllShares { .. } => Self::NOT_ALL_SHARES,
            AssetError::TooManyAttestationKeys { .. } => Self::TOO_MANY_ATTESTATION_KEYS,
            AssetError::AttestationKeyExists { .. } => Self::ATTESTATION_KEY_EXISTS,
            AssetError::AttestationKeyNotFound { .. } => Self::ATTESTATION_KEY_NOT_FOUND,
            AssetError::ClassCreationNotPermitted { .. } => Self::CLASS_CREATION_NOT_PERMITTED,
            AssetError::Overflow { .. } => Self::OVERFLOW,
            AssetError::Genesis { .. } => Self::GENESIS,
            #[cfg(feature = "component")]
            AssetError::Bank(e) => e.code(),
            #[cfg(feature = "component")]
            AssetError::Income(e) => e.code(),
            #[cfg(feature = "component")]
            AssetError::Identity(e) => e.code(),
            AssetError::IncomeWithheld { .. } => Self::INCOME_WITHHELD,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            AssetError::Storage(_) => true,
            #[cfg(feature = "component")]
            AssetError::Bank(e) => e.is_internal(),
            #[cfg(feature = "component")]
            AssetError::Income(e) => e.is_internal(),
            #[cfg(feature = "component")]
            AssetError::Identity(e) => e.is_internal(),
            _ => false,
        }
    }
}
