//! Read-only views for the RPC and `fructus query staking ...`.

use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{StakingError, StakingParams, StakingStateReadExt, UnbondingEntry, Validator, rewards};

/// Most unbonding entries one query returns.
pub const MAX_UNBONDING_QUERY: usize = 256;

/// A validator with its place in the active set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValidatorView {
    /// The stored record.
    #[serde(flatten)]
    pub validator: Validator,
    /// Its consensus address.
    pub consensus_address: Address,
    /// `active`, `inactive`, `jailed` or `tombstoned`.
    pub status: &'static str,
    /// Voting power in the set of the next height (0 when not in it).
    pub power: u64,
    /// True when in the set as a regulator's validator.
    pub super_node: bool,
}

/// A delegation with its token value and pending rewards.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DelegationView {
    /// The validator's operator.
    pub validator: Address,
    /// Shares held.
    pub shares: u128,
    /// What they are worth now (ufrx, rounded down).
    pub tokens: u128,
    /// Rewards earned and not yet paid (ufrx).
    pub pending_rewards: u128,
}

fn view<S: StateRead + ?Sized>(state: &S, v: Validator) -> Result<ValidatorView, StakingError> {
    let active = state.active_set()?;
    let member = active.iter().find(|a| a.operator == v.operator);
    let status = if v.tombstoned {
        "tombstoned"
    } else if v.jailed_until.is_some() {
        "jailed"
    } else if member.is_some() {
        "active"
    } else {
        "inactive"
    };
    Ok(ValidatorView {
        consensus_address: v.consensus_address(),
        status,
        power: member.map_or(0, |m| m.power),
        super_node: member.is_some_and(|m| m.regulator),
        validator: v,
    })
}

/// Every validator, in operator order.
pub fn validators<S: StateRead + ?Sized>(state: &S) -> Result<Vec<ValidatorView>, StakingError> {
    state
        .validators()?
        .into_iter()
        .map(|v| view(state, v))
        .collect()
}

/// One validator.
pub fn validator<S: StateRead + ?Sized>(
    state: &S,
    operator: &Address,
) -> Result<Option<ValidatorView>, StakingError> {
    state
        .validator(operator)?
        .map(|v| view(state, v))
        .transpose()
}

/// `delegator`'s delegations.
pub fn delegations<S: StateRead + ?Sized>(
    state: &S,
    delegator: &Address,
) -> Result<Vec<DelegationView>, StakingError> {
    let mut out = Vec::new();
    for d in state.delegations_of(delegator)? {
        let v = state.require_validator(&d.validator)?;
        out.push(DelegationView {
            validator: d.validator,
            shares: d.shares,
            tokens: v.tokens_of(d.shares)?,
            pending_rewards: rewards::pending(state, delegator, &d.validator)?,
        });
    }
    Ok(out)
}

/// Pending rewards of `account`: per delegation, and the commission owed
/// if it operates a validator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RewardsView {
    /// (validator, pending ufrx) per delegation.
    pub delegations: Vec<(Address, u128)>,
    /// Sum of the above.
    pub total: u128,
    /// Commission owed to it as an operator.
    pub commission: u128,
}

/// Pending rewards of `account`.
pub fn pending_rewards<S: StateRead + ?Sized>(
    state: &S,
    account: &Address,
) -> Result<RewardsView, StakingError> {
    let mut delegations = Vec::new();
    let mut total: u128 = 0;
    for d in state.delegations_of(account)? {
        let p = rewards::pending(state, account, &d.validator)?;
        total = total.saturating_add(p);
        delegations.push((d.validator, p));
    }
    let commission = state.validator(account)?.map_or(0, |v| v.commission_owed);
    Ok(RewardsView {
        delegations,
        total,
        commission,
    })
}

/// `delegator`'s open unbonding entries.
pub fn unbonding<S: StateRead + ?Sized>(
    state: &S,
    delegator: &Address,
) -> Result<Vec<UnbondingEntry>, StakingError> {
    state.unbondings_of(delegator, MAX_UNBONDING_QUERY)
}

/// The parameters.
pub fn params<S: StateRead + ?Sized>(state: &S) -> Result<StakingParams, StakingError> {
    state.staking_params()
}
