#[cfg(feature = "component")]
use fructus_bank::BankError;
use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_identity::{IdentityError, Tier};
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::{Address, BlockHeight};

/// Errors of the staking module (codespace `staking`). Codes are stable:
/// never renumber one, only append.
#[derive(Debug, thiserror::Error)]
pub enum StakingError {
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
    #[cfg(feature = "component")]
    /// Bank refused a transfer (codespace `bank`).
    #[error(transparent)]
    Bank(#[from] BankError),
    #[cfg(feature = "component")]
    /// Identity refused (codespace `identity`).
    #[error(transparent)]
    Identity(#[from] IdentityError),
    /// The gas limit does not cover the message.
    #[error("{0}")]
    OutOfGas(#[from] fructus_component::OutOfGas),
    /// The operator is neither a regulator nor a KYC'd enterprise.
    #[error(
        "{operator} is a {tier} account; only regulators and enterprises with a valid KYC attestation may run a validator"
    )]
    #[cfg(feature = "component")]
    NotEligible {
        /// The would-be operator.
        operator: Address,
        /// Its tier now.
        tier: Tier,
    },
    /// The operator already runs a validator.
    #[error("{operator} already operates a validator")]
    ValidatorExists {
        /// The operator.
        operator: Address,
    },
    /// Another validator uses this consensus key.
    #[error("consensus key of address {consensus_address} is already used by validator {operator}")]
    ConsensusKeyInUse {
        /// The key's address.
        consensus_address: Address,
        /// Who uses it.
        operator: Address,
    },
    /// No validator with this operator.
    #[error("{validator} does not operate a validator")]
    UnknownValidator {
        /// The address given.
        validator: Address,
    },
    /// The validator table is full.
    #[error("there are already {max} validators, the maximum")]
    TooManyValidators {
        /// The limit.
        max: usize,
    },
    /// Commission above the validator's maximum.
    #[error("commission {rate_bps} bps is above the validator's maximum of {max_rate_bps} bps")]
    CommissionAboveMax {
        /// Requested.
        rate_bps: u16,
        /// Maximum.
        max_rate_bps: u16,
    },
    /// Commission changed by more than allowed per day.
    #[error(
        "commission may change by at most {max_change_bps} bps per day; {from_bps} → {to_bps} bps is too much"
    )]
    CommissionChangeTooLarge {
        /// Current.
        from_bps: u16,
        /// Requested.
        to_bps: u16,
        /// Allowed step.
        max_change_bps: u16,
    },
    /// Commission changed less than a day ago (block time).
    #[error("commission was changed at {last_ms} ms; the next change is allowed from {next_ms} ms")]
    CommissionChangeTooSoon {
        /// Block time of the last change.
        last_ms: u64,
        /// First block time a change is allowed.
        next_ms: u64,
    },
    /// The delegator has no delegation to this validator.
    #[error("{delegator} has no delegation to {validator}")]
    NoDelegation {
        /// The delegator.
        delegator: Address,
        /// The validator.
        validator: Address,
    },
    /// More than the delegation is worth.
    #[error("the delegation is worth {have} ufrx; cannot take {want} ufrx")]
    InsufficientDelegation {
        /// Its value.
        have: u128,
        /// Requested.
        want: u128,
    },
    /// Too many open unbonding entries for this pair.
    #[error("at most {max} unbonding entries per delegator and validator may be open")]
    TooManyUnbondingEntries {
        /// The limit.
        max: u32,
    },
    /// The validator was tombstoned for double signing.
    #[error("validator {validator} is tombstoned (double signing) and accepts no stake")]
    Tombstoned {
        /// The validator.
        validator: Address,
    },
    /// `MsgUnjail` for a validator that is not jailed.
    #[error("validator {validator} is not jailed")]
    NotJailed {
        /// The validator.
        validator: Address,
    },
    /// `MsgUnjail` before the jail period is over.
    #[error("validator {validator} is jailed until height {until}; the current height is {height}")]
    StillJailed {
        /// The validator.
        validator: Address,
        /// First height it may unjail.
        until: BlockHeight,
        /// The current height.
        height: BlockHeight,
    },
    /// The operator's own bond is below the validator's minimum.
    #[error("the operator's own bond is {have} ufrx, below the minimum self-bond of {min} ufrx")]
    SelfBondTooLow {
        /// Its own bond.
        have: u128,
        /// The minimum.
        min: u128,
    },
    /// Every token of the validator was slashed: its shares are worthless.
    #[error("validator {validator} has shares but no tokens left; it accepts no new stake")]
    NoTokens {
        /// The validator.
        validator: Address,
    },
    /// Redelegation to the same validator.
    #[error("source and destination validators are the same")]
    SameValidator,
    /// A quantity would overflow.
    #[error("arithmetic overflow in {what}")]
    Overflow {
        /// Which quantity.
        what: &'static str,
    },
    /// The genesis section is inconsistent.
    #[error("genesis: {reason}")]
    Genesis {
        /// What is wrong (starts with the field path).
        reason: String,
    },
    /// The consensus key's proof of possession does not verify.
    #[error(
        "the consensus key's proof of possession does not verify for operator {operator} on this \
         chain: sign it with the node's consensus key (`fructus tx staking create-validator \
         --consensus-key-file HOME/config/validator_key.json`)"
    )]
    BadConsensusKeyProof {
        /// The operator the proof must name.
        operator: Address,
    },
    /// Too many open redelegations for this delegator and source.
    #[error(
        "at most {max} redelegations per delegator and source validator may be open; wait until one matures (unbonding period)"
    )]
    TooManyRedelegations {
        /// The limit.
        max: u32,
    },
    /// The stake arrived by a redelegation that has not matured: it still
    /// answers for its source's infractions and may not move on.
    #[error(
        "your stake with {validator} arrived by redelegation and may not be redelegated again before height {until} (the unbonding period)"
    )]
    RedelegationNotMatured {
        /// The validator the stake was redelegated to.
        validator: Address,
        /// Height from which it may move again.
        until: BlockHeight,
    },
    /// Params refused by `StakingParams::validate` (at genesis or in a
    /// governance change).
    #[error("invalid staking params: {reason}")]
    InvalidParams {
        /// What is wrong (starts with the field path).
        reason: String,
    },
}

impl StakingError {
    /// An [`StakingError::InvalidField`].
    pub fn field(field: &'static str, reason: impl ToString) -> Self {
        StakingError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }

    /// An [`StakingError::Overflow`].
    pub fn overflow(what: &'static str) -> Self {
        StakingError::Overflow { what }
    }
}

/// The stable code of each variant (codespace `staking`): what [`ErrorCode::code`]
/// returns, and what tests and clients compare a result's code with.
impl StakingError {
    /// The code of [`StakingError::Storage`].
    pub const STORAGE: u32 = 1;
    /// The code of [`StakingError::InvalidField`].
    pub const INVALID_FIELD: u32 = 2;
    /// The code of [`StakingError::OutOfGas`].
    pub const OUT_OF_GAS: u32 = 3;
    /// The code of [`StakingError::NotEligible`].
    pub const NOT_ELIGIBLE: u32 = 4;
    /// The code of [`StakingError::ValidatorExists`].
    pub const VALIDATOR_EXISTS: u32 = 5;
    /// The code of [`StakingError::ConsensusKeyInUse`].
    pub const CONSENSUS_KEY_IN_USE: u32 = 6;
    /// The code of [`StakingError::UnknownValidator`].
    pub const UNKNOWN_VALIDATOR: u32 = 7;
    /// The code of [`StakingError::TooManyValidators`].
    pub const TOO_MANY_VALIDATORS: u32 = 8;
    /// The code of [`StakingError::CommissionAboveMax`].
    pub const COMMISSION_ABOVE_MAX: u32 = 9;
    /// The code of [`StakingError::CommissionChangeTooLarge`].
    pub const COMMISSION_CHANGE_TOO_LARGE: u32 = 10;
    /// The code of [`StakingError::CommissionChangeTooSoon`].
    pub const COMMISSION_CHANGE_TOO_SOON: u32 = 11;
    /// The code of [`StakingError::NoDelegation`].
    pub const NO_DELEGATION: u32 = 12;
    /// The code of [`StakingError::InsufficientDelegation`].
    pub const INSUFFICIENT_DELEGATION: u32 = 13;
    /// The code of [`StakingError::TooManyUnbondingEntries`].
    pub const TOO_MANY_UNBONDING_ENTRIES: u32 = 14;
    /// The code of [`StakingError::Tombstoned`].
    pub const TOMBSTONED: u32 = 15;
    /// The code of [`StakingError::NotJailed`].
    pub const NOT_JAILED: u32 = 16;
    /// The code of [`StakingError::StillJailed`].
    pub const STILL_JAILED: u32 = 17;
    /// The code of [`StakingError::SelfBondTooLow`].
    pub const SELF_BOND_TOO_LOW: u32 = 18;
    /// The code of [`StakingError::NoTokens`].
    pub const NO_TOKENS: u32 = 19;
    /// The code of [`StakingError::SameValidator`].
    pub const SAME_VALIDATOR: u32 = 20;
    /// The code of [`StakingError::Overflow`].
    pub const OVERFLOW: u32 = 21;
    /// The code of [`StakingError::Genesis`].
    pub const GENESIS: u32 = 22;
    /// The code of [`StakingError::TooManyRedelegations`].
    pub const TOO_MANY_REDELEGATIONS: u32 = 23;
    /// The code of [`StakingError::RedelegationNotMatured`].
    pub const REDELEGATION_NOT_MATURED: u32 = 24;
    /// The code of [`StakingError::BadConsensusKeyProof`].
    pub const BAD_CONSENSUS_KEY_PROOF: u32 = 25;
    /// The code of [`StakingError::InvalidParams`].
    pub const INVALID_PARAMS: u32 = 26;
}

impl ErrorCode for StakingError {
    fn codespace(&self) -> &'static str {
        match self {
            #[cfg(feature = "component")]
            StakingError::Bank(e) => e.codespace(),
            #[cfg(feature = "component")]
            StakingError::Identity(e) => e.codespace(),
            _ => "staking",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            StakingError::Storage(_) => Self::STORAGE,
            StakingError::InvalidField { .. } => Self::INVALID_FIELD,
            #[cfg(feature = "component")]
            StakingError::Bank(e) => e.code(),
            #[cfg(feature = "component")]
            StakingError::Identity(e) => e.code(),
            StakingError::OutOfGas(_) => Self::OUT_OF_GAS,
            #[cfg(feature = "component")]
            StakingError::NotEligible { .. } => Self::NOT_ELIGIBLE,
            StakingError::ValidatorExists { .. } => Self::VALIDATOR_EXISTS,
            StakingError::ConsensusKeyInUse { .. } => Self::CONSENSUS_KEY_IN_USE,
            StakingError::UnknownValidator { .. } => Self::UNKNOWN_VALIDATOR,
            StakingError::TooManyValidators { .. } => Self::TOO_MANY_VALIDATORS,
            StakingError::CommissionAboveMax { .. } => Self::COMMISSION_ABOVE_MAX,
            StakingError::CommissionChangeTooLarge { .. } => Self::COMMISSION_CHANGE_TOO_LARGE,
            StakingError::CommissionChangeTooSoon { .. } => Self::COMMISSION_CHANGE_TOO_SOON,
            StakingError::NoDelegation { .. } => Self::NO_DELEGATION,
            StakingError::InsufficientDelegation { .. } => Self::INSUFFICIENT_DELEGATION,
            StakingError::TooManyUnbondingEntries { .. } => Self::TOO_MANY_UNBONDING_ENTRIES,
            StakingError::Tombstoned { .. } => Self::TOMBSTONED,
            StakingError::NotJailed { .. } => Self::NOT_JAILED,
            StakingError::StillJailed { .. } => Self::STILL_JAILED,
            StakingError::SelfBondTooLow { .. } => Self::SELF_BOND_TOO_LOW,
            StakingError::NoTokens { .. } => Self::NO_TOKENS,
            StakingError::SameValidator => Self::SAME_VALIDATOR,
            StakingError::Overflow { .. } => Self::OVERFLOW,
            StakingError::Genesis { .. } => Self::GENESIS,
            StakingError::BadConsensusKeyProof { .. } => Self::BAD_CONSENSUS_KEY_PROOF,
            StakingError::TooManyRedelegations { .. } => Self::TOO_MANY_REDELEGATIONS,
            StakingError::RedelegationNotMatured { .. } => Self::REDELEGATION_NOT_MATURED,
            StakingError::InvalidParams { .. } => Self::INVALID_PARAMS,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            StakingError::Storage(_) => true,
            #[cfg(feature = "component")]
            StakingError::Bank(e) => e.is_internal(),
            #[cfg(feature = "component")]
            StakingError::Identity(e) => e.is_internal(),
            _ => false,
        }
    }
}
