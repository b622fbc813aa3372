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
            StakingError::Storage(_) => 1,
            StakingError::InvalidField { .. } => 2,
            #[cfg(feature = "component")]
            StakingError::Bank(e) => e.code(),
            #[cfg(feature = "component")]
            StakingError::Identity(e) => e.code(),
            StakingError::OutOfGas(_) => 3,
            #[cfg(feature = "component")]
            StakingError::NotEligible { .. } => 4,
            StakingError::ValidatorExists { .. } => 5,
            StakingError::ConsensusKeyInUse { .. } => 6,
            StakingError::UnknownValidator { .. } => 7,
            StakingError::TooManyValidators { .. } => 8,
            StakingError::CommissionAboveMax { .. } => 9,
            StakingError::CommissionChangeTooLarge { .. } => 10,
            StakingError::CommissionChangeTooSoon { .. } => 11,
            StakingError::NoDelegation { .. } => 12,
            StakingError::InsufficientDelegation { .. } => 13,
            StakingError::TooManyUnbondingEntries { .. } => 14,
            StakingError::Tombstoned { .. } => 15,
            StakingError::NotJailed { .. } => 16,
            StakingError::StillJailed { .. } => 17,
            StakingError::SelfBondTooLow { .. } => 18,
            StakingError::NoTokens { .. } => 19,
            StakingError::SameValidator => 20,
            StakingError::Overflow { .. } => 21,
            StakingError::Genesis { .. } => 22,
            StakingError::BadConsensusKeyProof { .. } => 25,
            StakingError::TooManyRedelegations { .. } => 23,
            StakingError::RedelegationNotMatured { .. } => 24,
            StakingError::InvalidParams { .. } => 26,
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
