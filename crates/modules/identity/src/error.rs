use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::{Address, BlockHeight};

#[cfg(feature = "component")]
use crate::Tier;

/// Errors of the identity module (codespace `identity`). Codes are stable:
/// never renumber one, only append.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
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
    /// A regulator-only action by someone who is not a regulator.
    #[error("{signer} is not a regulator; only regulators may {action}")]
    NotRegulator {
        /// Who tried.
        signer: Address,
        /// What was attempted.
        action: &'static str,
    },
    /// An attestation signed by neither a regulator nor an accredited provider.
    #[error(
        "{signer} is neither a regulator nor an accredited KYC provider, so it cannot attest KYC"
    )]
    NotAttester {
        /// Who tried.
        signer: Address,
    },
    /// `AddRegulator` for a current regulator.
    #[error("{address} is already a regulator")]
    AlreadyRegulator {
        /// The account.
        address: Address,
    },
    /// `RemoveRegulator` for an account that is not one.
    #[error("{address} is not a regulator")]
    UnknownRegulator {
        /// The account.
        address: Address,
    },
    /// Removing the last regulator would leave nobody to supervise.
    #[error("{address} is the last regulator and cannot be removed; add its successor first")]
    LastRegulator {
        /// The account.
        address: Address,
    },
    /// The regulator set is full.
    #[error("the regulator set already has the maximum of {max} members")]
    TooManyRegulators {
        /// The limit.
        max: usize,
    },
    /// `AccreditProvider` for a provider already accredited.
    #[error("{provider} is already an accredited KYC provider")]
    AlreadyAccredited {
        /// The provider.
        provider: Address,
    },
    /// `RevokeProvider` for an account that is not accredited.
    #[error("{provider} is not an accredited KYC provider")]
    NotAccredited {
        /// The account.
        provider: Address,
    },
    /// The provider list is full.
    #[error("there are already {max} accredited KYC providers, the maximum")]
    TooManyProviders {
        /// The limit.
        max: usize,
    },
    /// No attestation by `provider` of `subject`.
    #[error("{provider} has no attestation of {subject}")]
    AttestationNotFound {
        /// The attested account.
        subject: Address,
        /// The issuer.
        provider: Address,
    },
    /// The attestation was already revoked.
    #[error("{provider}'s attestation of {subject} was already revoked at height {height}")]
    AttestationAlreadyRevoked {
        /// The attested account.
        subject: Address,
        /// The issuer.
        provider: Address,
        /// When it was revoked.
        height: BlockHeight,
    },
    /// Someone other than a regulator or the issuer tried to revoke.
    #[error(
        "{signer} may not revoke {provider}'s attestation: only a regulator or the issuing provider may"
    )]
    NotAllowedToRevoke {
        /// Who tried.
        signer: Address,
        /// The issuer.
        provider: Address,
    },
    /// The attestation's expiry is already past.
    #[error("the attestation would already be expired: {reason}")]
    ExpiryInPast {
        /// Which expiry and the current block's.
        reason: String,
    },
    /// `Freeze` of a frozen account.
    #[error("{account} is already frozen")]
    AlreadyFrozen {
        /// The account.
        account: Address,
    },
    /// `Unfreeze` of an account that is not frozen.
    #[error("{account} is not frozen")]
    NotFrozen {
        /// The account.
        account: Address,
    },
    /// Regulators are removed through governance, not frozen.
    #[error("{account} is a regulator; regulators cannot be frozen (remove it through governance)")]
    CannotFreezeRegulator {
        /// The account.
        account: Address,
    },
    /// The account is frozen: it may not sign, nor receive kyc_only denoms.
    #[error("account {account} is frozen by a regulator")]
    AccountFrozen {
        /// The account.
        account: Address,
    },
    /// The account holds no valid KYC attestation.
    #[error(
        "account {account} is not KYC'd (no valid attestation by a regulator or an accredited provider)"
    )]
    NotKyc {
        /// The account.
        account: Address,
    },
    /// A current regulator with an encryption key has no wrapped key.
    #[error(
        "the record has no wrapped key for regulator {regulator}; encrypt to every current regulator key"
    )]
    MissingWrappedKey {
        /// The regulator left out.
        regulator: Address,
    },
    /// A wrapped key for someone who is not a current regulator with a key.
    #[error(
        "the record has a wrapped key for {recipient}, who is not a current regulator with an encryption key"
    )]
    UnexpectedWrappedKey {
        /// The extra recipient.
        recipient: Address,
    },
    /// A wrapped key made for an old encryption key of the regulator.
    #[error(
        "the wrapped key for {regulator} targets a key that is not its current encryption key; re-seal with the current keys"
    )]
    StaleRecipientKey {
        /// The regulator.
        regulator: Address,
    },
    /// No regulator has registered an encryption key: nobody could read it.
    #[error("no regulator has registered an encryption key, so no record can be stored yet")]
    NoRecordRecipients,
    #[cfg(feature = "component")]
    /// Only `device`, `oracle` and `individual` are assigned by modules.
    #[error("tier {tier} cannot be assigned directly; it follows from the regulator set or KYC")]
    TierNotSettable {
        /// The tier refused.
        tier: Tier,
    },
    /// The record counter would pass u64::MAX.
    #[error("record ids are exhausted")]
    RecordIdsExhausted,
    /// The genesis section is inconsistent.
    #[error("invalid identity genesis: {reason}")]
    Genesis {
        /// What is wrong, with its JSON path.
        reason: String,
    },
    /// An account attested itself.
    #[error("{signer} cannot attest itself")]
    SelfAttestation {
        /// Who tried.
        signer: Address,
    },
    /// The subject already carries the most attestations allowed.
    #[error(
        "{subject} already has {max} attestations, the maximum; revoke or renew an existing one"
    )]
    TooManyAttestations {
        /// The attested account.
        subject: Address,
        /// The limit.
        max: usize,
    },
    /// The gas limit does not cover the message.
    #[error("{0}")]
    OutOfGas(#[from] fructus_component::OutOfGas),
    /// The records key's possession proof does not verify.
    #[error(
        "the records key's possession proof does not verify for regulator {regulator}: sign \
         records::possession_bytes(chain id, regulator, x25519 key) with the records key \
         (`fructus tx identity register-encryption-key` does)"
    )]
    NoKeyPossession {
        /// The regulator registering.
        regulator: Address,
    },
}

impl IdentityError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        IdentityError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }
}

/// The stable code of each variant (codespace `identity`): what [`ErrorCode::code`]
/// returns, and what tests and clients compare a result's code with.
impl IdentityError {
    /// The code of [`IdentityError::Storage`].
    pub const STORAGE: u32 = 1;
    /// The code of [`IdentityError::InvalidField`].
    pub const INVALID_FIELD: u32 = 2;
    // Code 3 was `NotGovernance`, of the removed regulator-set messages;
    // it is not reused.
    /// The code of [`IdentityError::NotRegulator`].
    pub const NOT_REGULATOR: u32 = 4;
    /// The code of [`IdentityError::NotAttester`].
    pub const NOT_ATTESTER: u32 = 5;
    /// The code of [`IdentityError::AlreadyRegulator`].
    pub const ALREADY_REGULATOR: u32 = 6;
    /// The code of [`IdentityError::UnknownRegulator`].
    pub const UNKNOWN_REGULATOR: u32 = 7;
    /// The code of [`IdentityError::LastRegulator`].
    pub const LAST_REGULATOR: u32 = 8;
    /// The code of [`IdentityError::TooManyRegulators`].
    pub const TOO_MANY_REGULATORS: u32 = 9;
    /// The code of [`IdentityError::AlreadyAccredited`].
    pub const ALREADY_ACCREDITED: u32 = 10;
    /// The code of [`IdentityError::NotAccredited`].
    pub const NOT_ACCREDITED: u32 = 11;
    /// The code of [`IdentityError::TooManyProviders`].
    pub const TOO_MANY_PROVIDERS: u32 = 12;
    /// The code of [`IdentityError::AttestationNotFound`].
    pub const ATTESTATION_NOT_FOUND: u32 = 13;
    /// The code of [`IdentityError::AttestationAlreadyRevoked`].
    pub const ATTESTATION_ALREADY_REVOKED: u32 = 14;
    /// The code of [`IdentityError::NotAllowedToRevoke`].
    pub const NOT_ALLOWED_TO_REVOKE: u32 = 15;
    /// The code of [`IdentityError::ExpiryInPast`].
    pub const EXPIRY_IN_PAST: u32 = 16;
    /// The code of [`IdentityError::AlreadyFrozen`].
    pub const ALREADY_FROZEN: u32 = 17;
    /// The code of [`IdentityError::NotFrozen`].
    pub const NOT_FROZEN: u32 = 18;
    /// The code of [`IdentityError::CannotFreezeRegulator`].
    pub const CANNOT_FREEZE_REGULATOR: u32 = 19;
    /// The code of [`IdentityError::AccountFrozen`].
    pub const ACCOUNT_FROZEN: u32 = 20;
    /// The code of [`IdentityError::NotKyc`].
    pub const NOT_KYC: u32 = 21;
    /// The code of [`IdentityError::MissingWrappedKey`].
    pub const MISSING_WRAPPED_KEY: u32 = 22;
    /// The code of [`IdentityError::UnexpectedWrappedKey`].
    pub const UNEXPECTED_WRAPPED_KEY: u32 = 23;
    /// The code of [`IdentityError::StaleRecipientKey`].
    pub const STALE_RECIPIENT_KEY: u32 = 24;
    /// The code of [`IdentityError::NoRecordRecipients`].
    pub const NO_RECORD_RECIPIENTS: u32 = 25;
    /// The code of [`IdentityError::TierNotSettable`].
    pub const TIER_NOT_SETTABLE: u32 = 26;
    /// The code of [`IdentityError::RecordIdsExhausted`].
    pub const RECORD_IDS_EXHAUSTED: u32 = 27;
    /// The code of [`IdentityError::Genesis`].
    pub const GENESIS: u32 = 28;
    /// The code of [`IdentityError::SelfAttestation`].
    pub const SELF_ATTESTATION: u32 = 29;
    /// The code of [`IdentityError::OutOfGas`].
    pub const OUT_OF_GAS: u32 = 30;
    /// The code of [`IdentityError::TooManyAttestations`].
    pub const TOO_MANY_ATTESTATIONS: u32 = 31;
    /// The code of [`IdentityError::NoKeyPossession`].
    pub const NO_KEY_POSSESSION: u32 = 32;
}

impl ErrorCode for IdentityError {
    fn codespace(&self) -> &'static str {
        "identity"
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            IdentityError::Storage(_) => Self::STORAGE,
            IdentityError::InvalidField { .. } => Self::INVALID_FIELD,
            IdentityError::NotRegulator { .. } => Self::NOT_REGULATOR,
            IdentityError::NotAttester { .. } => Self::NOT_ATTESTER,
            IdentityError::AlreadyRegulator { .. } => Self::ALREADY_REGULATOR,
            IdentityError::UnknownRegulator { .. } => Self::UNKNOWN_REGULATOR,
            IdentityError::LastRegulator { .. } => Self::LAST_REGULATOR,
            IdentityError::TooManyRegulators { .. } => Self::TOO_MANY_REGULATORS,
            IdentityError::AlreadyAccredited { .. } => Self::ALREADY_ACCREDITED,
            IdentityError::NotAccredited { .. } => Self::NOT_ACCREDITED,
            IdentityError::TooManyProviders { .. } => Self::TOO_MANY_PROVIDERS,
            IdentityError::AttestationNotFound { .. } => Self::ATTESTATION_NOT_FOUND,
            IdentityError::AttestationAlreadyRevoked { .. } => Self::ATTESTATION_ALREADY_REVOKED,
            IdentityError::NotAllowedToRevoke { .. } => Self::NOT_ALLOWED_TO_REVOKE,
            IdentityError::ExpiryInPast { .. } => Self::EXPIRY_IN_PAST,
            IdentityError::AlreadyFrozen { .. } => Self::ALREADY_FROZEN,
            IdentityError::NotFrozen { .. } => Self::NOT_FROZEN,
            IdentityError::CannotFreezeRegulator { .. } => Self::CANNOT_FREEZE_REGULATOR,
            IdentityError::AccountFrozen { .. } => Self::ACCOUNT_FROZEN,
            IdentityError::NotKyc { .. } => Self::NOT_KYC,
            IdentityError::MissingWrappedKey { .. } => Self::MISSING_WRAPPED_KEY,
            IdentityError::UnexpectedWrappedKey { .. } => Self::UNEXPECTED_WRAPPED_KEY,
            IdentityError::StaleRecipientKey { .. } => Self::STALE_RECIPIENT_KEY,
            IdentityError::NoRecordRecipients => Self::NO_RECORD_RECIPIENTS,
            #[cfg(feature = "component")]
            IdentityError::TierNotSettable { .. } => Self::TIER_NOT_SETTABLE,
            IdentityError::RecordIdsExhausted => Self::RECORD_IDS_EXHAUSTED,
            IdentityError::Genesis { .. } => Self::GENESIS,
            IdentityError::SelfAttestation { .. } => Self::SELF_ATTESTATION,
            IdentityError::OutOfGas(_) => Self::OUT_OF_GAS,
            IdentityError::TooManyAttestations { .. } => Self::TOO_MANY_ATTESTATIONS,
            IdentityError::NoKeyPossession { .. } => Self::NO_KEY_POSSESSION,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            IdentityError::Storage(_) => true,
            _ => false,
        }
    }
}
