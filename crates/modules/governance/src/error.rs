use fructus_bank::BankError;
use fructus_component::ErrorCode;
use fructus_identity::IdentityError;
use fructus_staking::StakingError;
#[cfg(feature = "component")]
use fructus_storage::StorageError;

/// Errors of the governance module (codespace `gov`; bank, identity and
/// staking failures keep their module's codespace and code). New variants
/// go at the end: the numeric codes are a public contract.
#[derive(Debug, thiserror::Error)]
pub enum GovernanceError {
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
    /// No proposal has this id.
    #[error("proposal {id} does not exist: list proposals with `query gov proposals`")]
    ProposalNotFound {
        /// The id.
        id: u64,
    },
    /// Votes are accepted only during the voting period.
    #[error(
        "proposal {id} is {status}, not in its voting period: votes count only between the deposit reaching the minimum and the end of voting"
    )]
    NotInVotingPeriod {
        /// The proposal.
        id: u64,
        /// Its status.
        status: String,
    },
    /// Deposits are accepted only while the proposal is open.
    #[error(
        "proposal {id} is {status}: deposits are accepted only during its deposit or voting period"
    )]
    NotAcceptingDeposits {
        /// The proposal.
        id: u64,
        /// Its status.
        status: String,
    },
    /// Too many proposals are open at once.
    #[error("{max} proposals are already in their deposit or voting period: wait for one to end")]
    TooManyActiveProposals {
        /// The bound.
        max: usize,
    },
    /// A new depositor on a proposal that has as many as it takes.
    #[error(
        "proposal {id} already has {max} depositors: a new depositor is refused (its end-block refund is bounded); an existing depositor may add to its deposit"
    )]
    TooManyDepositors {
        /// The proposal.
        id: u64,
        /// The bound.
        max: u32,
    },
    /// A vote from an account whose vote would count for nothing.
    #[error(
        "{voter} has no voting power: only active validators' operators, accounts delegating to an active validator, and regulators may vote (delegate first)"
    )]
    NoVotingPower {
        /// The signer.
        voter: String,
    },
    /// A param change that its module refuses (unknown module, params that
    /// do not decode or fail the module's validation): refused at
    /// submission, so no one votes on what cannot execute.
    #[error(
        "the param change would fail: {codespace}#{code}: {message}; fix the params and submit again"
    )]
    ParamChangeRefused {
        /// The refusing codespace.
        codespace: String,
        /// Its code.
        code: u32,
        /// Its message.
        message: String,
    },
    /// A bank refusal (insufficient funds, the compliance gate).
    #[error(transparent)]
    Bank(BankError),
    /// A staking read failed.
    #[error(transparent)]
    Staking(StakingError),
    /// An identity read failed.
    #[error(transparent)]
    Identity(IdentityError),
    /// Governance params out of their bounds.
    #[error("invalid governance params: {reason}")]
    Params {
        /// Which field and why.
        reason: String,
    },
    /// Another module failed internally while governance executed a
    /// proposal; the node must stop.
    #[error("internal failure in {codespace}: {message}")]
    Internal {
        /// The failing codespace.
        codespace: String,
        /// What failed.
        message: String,
    },
    /// A checked sum or product left its range.
    #[error("arithmetic overflow in {what}")]
    Overflow {
        /// What was computed.
        what: &'static str,
    },
}

impl From<BankError> for GovernanceError {
    fn from(e: BankError) -> Self {
        GovernanceError::Bank(e)
    }
}

impl From<StakingError> for GovernanceError {
    fn from(e: StakingError) -> Self {
        GovernanceError::Staking(e)
    }
}

impl From<IdentityError> for GovernanceError {
    fn from(e: IdentityError) -> Self {
        GovernanceError::Identity(e)
    }
}

impl ErrorCode for GovernanceError {
    fn codespace(&self) -> &'static str {
        match self {
            GovernanceError::Bank(e) => e.codespace(),
            GovernanceError::Staking(e) => e.codespace(),
            GovernanceError::Identity(e) => e.codespace(),
            _ => "gov",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            GovernanceError::Storage(_) => 1,
            GovernanceError::InvalidField { .. } => 2,
            GovernanceError::ProposalNotFound { .. } => 3,
            GovernanceError::NotInVotingPeriod { .. } => 4,
            GovernanceError::NotAcceptingDeposits { .. } => 5,
            GovernanceError::TooManyActiveProposals { .. } => 6,
            GovernanceError::ParamChangeRefused { .. } => 7,
            GovernanceError::Bank(e) => e.code(),
            GovernanceError::Staking(e) => e.code(),
            GovernanceError::Identity(e) => e.code(),
            GovernanceError::Params { .. } => 8,
            GovernanceError::Internal { .. } => 9,
            GovernanceError::Overflow { .. } => 10,
            GovernanceError::TooManyDepositors { .. } => 11,
            GovernanceError::NoVotingPower { .. } => 12,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            GovernanceError::Storage(_) => true,
            GovernanceError::Bank(e) => e.is_internal(),
            GovernanceError::Staking(e) => e.is_internal(),
            GovernanceError::Identity(e) => e.is_internal(),
            GovernanceError::Internal { .. } | GovernanceError::Overflow { .. } => true,
            _ => false,
        }
    }
}
