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
    /// A regulator-set change not sent by the governance module account.
    #[error(
        "{signer} is not the governance module account {governance}; the regulator set changes only through governance"
    )]
    NotGovernance {
        /// Who tried.
        signer: Address,
        /// The only allowed sender.
        governance: Address,
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

impl ErrorCode for IdentityError {
    fn codespace(&self) -> &'static str {
        "identity"
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            IdentityError::Storage(_) => 1,
            IdentityError::InvalidField { .. } => 2,
            IdentityError::NotGovernance { .. } => 3,
            IdentityError::NotRegulator { .. } => 4,
            IdentityError::NotAttester { .. } => 5,
            IdentityError::AlreadyRegulator { .. } => 6,
            IdentityError::UnknownRegulator { .. } => 7,
            IdentityError::LastRegulator { .. } => 8,
            IdentityError::TooManyRegulators { .. } => 9,
            IdentityError::AlreadyAccredited { .. } => 10,
            IdentityError::NotAccredited { .. } => 11,
            IdentityError::TooManyProviders { .. } => 12,
            IdentityError::AttestationNotFound { .. } => 13,
            IdentityError::AttestationAlreadyRevoked { .. } => 14,
            IdentityError::NotAllowedToRevoke { .. } => 15,
            IdentityError::ExpiryInPast { .. } => 16,
            IdentityError::AlreadyFrozen { .. } => 17,
            IdentityError::NotFrozen { .. } => 18,
            IdentityError::CannotFreezeRegulator { .. } => 19,
            IdentityError::AccountFrozen { .. } => 20,
            IdentityError::NotKyc { .. } => 21,
            IdentityError::MissingWrappedKey { .. } => 22,
            IdentityError::UnexpectedWrappedKey { .. } => 23,
            IdentityError::StaleRecipientKey { .. } => 24,
            IdentityError::NoRecordRecipients => 25,
            #[cfg(feature = "component")]
            IdentityError::TierNotSettable { .. } => 26,
            IdentityError::RecordIdsExhausted => 27,
            IdentityError::Genesis { .. } => 28,
            IdentityError::SelfAttestation { .. } => 29,
            IdentityError::OutOfGas(_) => 30,
            IdentityError::TooManyAttestations { .. } => 31,
            IdentityError::NoKeyPossession { .. } => 32,
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
