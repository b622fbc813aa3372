//! The staking records and the views its queries answer with. Plain
//! data, available without the `component` feature, so a client reads
//! query answers with these types without linking storage.

use fructus_component::schema::PublicKeySchema;
use fructus_types::{Address, Amount, BlockHeight, BlockTime, PublicKey};

use crate::StakingError;

/// A validator's commission settings (basis points).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Commission {
    /// Current rate.
    pub rate_bps: u16,
    /// Highest rate it may ever set.
    pub max_rate_bps: u16,
    /// Largest change per day.
    pub max_change_bps: u16,
    /// Block time of the last change (creation counts as one).
    #[schema(value_type = u64)]
    pub last_change: BlockTime,
}

/// A validator.
///
/// Invariant: `tokens` is this validator's part of the bonded pool's
/// balance; delegators own it in proportion to their `shares` (summing to
/// `shares`). A slash lowers `tokens` only.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Validator {
    /// The operator account (the validator's id).
    #[schema(value_type = String)]
    pub operator: Address,
    /// ed25519 consensus key.
    #[schema(value_type = PublicKeySchema)]
    pub consensus_key: PublicKey,
    /// Display name.
    pub moniker: String,
    /// Commission.
    pub commission: Commission,
    /// Below this own bond the validator is not eligible for the set.
    pub min_self_bond: u128,
    /// Bonded tokens (ufrx).
    pub tokens: u128,
    /// Delegation shares issued.
    pub shares: u128,
    /// Jailed: may not be in the set before this height (and not until
    /// `MsgUnjail`).
    #[schema(value_type = Option<u64>)]
    pub jailed_until: Option<BlockHeight>,
    /// Tombstoned for double signing: never back.
    pub tombstoned: bool,
    /// Rewards per share, scaled by `fructus_income::SCALE`.
    pub reward_acc: u128,
    /// Scaled remainder of the accumulator (`< shares`).
    pub reward_carry: u128,
    /// Commission earned and not yet withdrawn (ufrx).
    pub commission_owed: u128,
    /// Height created (0 = genesis).
    #[schema(value_type = u64)]
    pub created_height: BlockHeight,
}

impl Validator {
    /// The consensus address (what commits and evidence name).
    pub fn consensus_address(&self) -> Address {
        self.consensus_key.address()
    }

    /// Tokens `shares` are worth, rounded down.
    pub fn tokens_of(&self, shares: u128) -> Result<u128, StakingError> {
        if self.shares == 0 {
            return Ok(0);
        }
        Ok(Amount::new(shares)
            .mul_div_floor(self.tokens, self.shares)
            .map_err(|_| StakingError::overflow("share value"))?
            .value())
    }
}

/// A delegation of `delegator` to a validator.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Delegation {
    /// The delegator.
    #[schema(value_type = String)]
    pub delegator: Address,
    /// The validator's operator.
    #[schema(value_type = String)]
    pub validator: Address,
    /// Shares held.
    pub shares: u128,
    /// The validator's `reward_acc` when last settled.
    pub checkpoint: u128,
    /// Scaled reward fraction carried from earlier settlements (`< SCALE`).
    pub frac: u128,
}

/// Tokens on their way back to a delegator.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct UnbondingEntry {
    /// Sequential id.
    pub id: u64,
    /// Who gets the tokens.
    #[schema(value_type = String)]
    pub delegator: Address,
    /// The validator they left.
    #[schema(value_type = String)]
    pub validator: Address,
    /// Height of the undelegation.
    #[schema(value_type = u64)]
    pub creation_height: BlockHeight,
    /// Height in whose `end_block` the tokens return.
    #[schema(value_type = u64)]
    pub completion_height: BlockHeight,
    /// Amount at creation.
    pub initial: u128,
    /// Amount left (after slashes).
    pub balance: u128,
}

/// Stake moved from `src` to `dst`, tracked until the unbonding period
/// passes: a double sign of `src` at or before `creation_height`
/// discovered later slashes it at `dst` (see `slashing.rs`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct RedelegationEntry {
    /// Sequential id.
    pub id: u64,
    /// Whose stake moved.
    #[schema(value_type = String)]
    pub delegator: Address,
    /// The validator it left.
    #[schema(value_type = String)]
    pub src: Address,
    /// The validator it joined.
    #[schema(value_type = String)]
    pub dst: Address,
    /// Height of the redelegation.
    #[schema(value_type = u64)]
    pub creation_height: BlockHeight,
    /// Height in whose `end_block` the entry is forgotten.
    #[schema(value_type = u64)]
    pub completion_height: BlockHeight,
    /// Tokens moved.
    pub initial: u128,
}

/// A member of the consensus set.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct ActiveValidator {
    /// The operator.
    #[schema(value_type = String)]
    pub operator: Address,
    /// Consensus key.
    #[schema(value_type = PublicKeySchema)]
    pub consensus_key: PublicKey,
    /// Display name.
    pub moniker: String,
    /// Voting power (> 0).
    pub power: u64,
    /// True when the operator is a regulator (a super node).
    pub regulator: bool,
}

/// Downtime tracking of one validator.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct SigningInfo {
    /// Blocks recorded since tracking (re)started; slot = counter mod window.
    pub counter: u64,
    /// Missed blocks among the last `min(counter, window)`.
    pub missed: u64,
}

/// A validator with its place in the active set.
///
/// Its schema is `StakingValidatorView`: the node's own `ValidatorView`
/// (the consensus set, `GET /v1/validators`) holds the plain name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = StakingValidatorView)]
pub struct ValidatorView {
    /// The stored record.
    #[serde(flatten)]
    pub validator: Validator,
    /// Its consensus address.
    #[schema(value_type = String)]
    pub consensus_address: Address,
    /// `active`, `inactive`, `jailed` or `tombstoned`.
    pub status: String,
    /// Voting power in the set of the next height (0 when not in it).
    pub power: u64,
    /// True when in the set as a regulator's validator.
    pub super_node: bool,
}

/// A delegation with its token value and pending rewards.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DelegationView {
    /// The validator's operator.
    #[schema(value_type = String)]
    pub validator: Address,
    /// Shares held.
    pub shares: u128,
    /// What they are worth now (ufrx, rounded down).
    pub tokens: u128,
    /// Rewards earned and not yet paid (ufrx).
    pub pending_rewards: u128,
}

/// Pending rewards of `account`: per delegation, and the commission owed
/// if it operates a validator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RewardsView {
    /// (validator, pending ufrx) per delegation.
    #[schema(value_type = Vec<(String, u128)>)]
    pub delegations: Vec<(Address, u128)>,
    /// Sum of the above.
    pub total: u128,
    /// Commission owed to it as an operator.
    pub commission: u128,
}
