//! The staking module's read-only queries, `GET /v1/staking/…`:
//! validators with their status and power, an account's delegations,
//! pending rewards and unbonding entries, and the parameters.
//!
//! [`StakingQuery`] is parsed and validated from the URL before any state
//! is read; each variant is answered by one function below, whose
//! `#[utoipa::path]` is the route's entry in `/openapi.json`.

use fructus_component::query::{Query, QueryAt, QueryError, QueryParams, address, found, respond};
use fructus_storage::StateRead;
use fructus_types::Address;

pub use crate::{DelegationView, RewardsView, ValidatorView};
use crate::{StakingError, StakingParams, StakingStateReadExt, UnbondingEntry, Validator, rewards};

const MODULE: &str = "staking";

/// A request to the staking module, parsed from `/v1/staking/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StakingQuery {
    /// `validators`: every validator.
    Validators,
    /// `validators/{address}`: one validator by operator.
    Validator {
        /// The operator.
        operator: Address,
    },
    /// `delegations/{address}`: an account's delegations.
    Delegations {
        /// The delegator.
        delegator: Address,
    },
    /// `rewards/{address}`: an account's pending rewards.
    Rewards {
        /// The account.
        account: Address,
    },
    /// `unbonding/{address}`: an account's unbonding entries.
    Unbonding {
        /// The delegator.
        delegator: Address,
    },
    /// `params`: the staking parameters.
    Params,
}

fn state_error(e: StakingError) -> QueryError {
    QueryError::state(MODULE, e)
}

impl Query for StakingQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["staking"];

    fn parse(path: &[&str], _params: &QueryParams) -> Result<Self, QueryError> {
        Ok(match path {
            ["staking", "validators"] => StakingQuery::Validators,
            ["staking", "validators", who] => StakingQuery::Validator {
                operator: address(who, "operator")?,
            },
            ["staking", "delegations", who] => StakingQuery::Delegations {
                delegator: address(who, "delegator")?,
            },
            ["staking", "rewards", who] => StakingQuery::Rewards {
                account: address(who, "account")?,
            },
            ["staking", "unbonding", who] => StakingQuery::Unbonding {
                delegator: address(who, "delegator")?,
            },
            ["staking", "params"] => StakingQuery::Params,
            _ => {
                return Err(QueryError::NoRoute {
                    module: MODULE,
                    path: path.join("/"),
                });
            }
        })
    }

    fn answer<S: StateRead + ?Sized>(
        self,
        state: &S,
        _at: QueryAt,
    ) -> Result<serde_json::Value, QueryError> {
        match self {
            StakingQuery::Validators => respond(MODULE, &validators(state).map_err(state_error)?),
            StakingQuery::Validator { operator } => respond(
                MODULE,
                &found(validator(state, &operator).map_err(state_error)?, || {
                    format!("validator {operator}")
                })?,
            ),
            StakingQuery::Delegations { delegator } => respond(
                MODULE,
                &delegations(state, &delegator).map_err(state_error)?,
            ),
            StakingQuery::Rewards { account } => respond(
                MODULE,
                &pending_rewards(state, &account).map_err(state_error)?,
            ),
            StakingQuery::Unbonding { delegator } => {
                respond(MODULE, &unbonding(state, &delegator).map_err(state_error)?)
            }
            StakingQuery::Params => respond(MODULE, &params(state).map_err(state_error)?),
        }
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        StakingApi::openapi()
    }
}

/// The staking module's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(validators, validator, delegations, pending_rewards, unbonding, params))]
struct StakingApi;

/// Most unbonding entries one query returns.
pub const MAX_UNBONDING_QUERY: usize = 256;

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
        status: status.to_owned(),
        power: member.map_or(0, |m| m.power),
        super_node: member.is_some_and(|m| m.regulator),
        validator: v,
    })
}

/// Every validator, in operator order.
#[utoipa::path(get, path = "/v1/staking/validators", tag = "staking",
    responses((status = 200, description = "Validators with status and power (`ValidatorView`)", body = Vec<ValidatorView>)))]
pub fn validators<S: StateRead + ?Sized>(state: &S) -> Result<Vec<ValidatorView>, StakingError> {
    state
        .validators()?
        .into_iter()
        .map(|v| view(state, v))
        .collect()
}

/// One validator.
#[utoipa::path(get, path = "/v1/staking/validators/{address}", tag = "staking",
    params(("address" = String, Path, description = "The operator, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "The validator (`ValidatorView`)", body = ValidatorView)))]
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
#[utoipa::path(get, path = "/v1/staking/delegations/{address}", tag = "staking",
    params(("address" = String, Path, description = "The delegator, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "Delegations (`DelegationView`)", body = Vec<DelegationView>)))]
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

/// Pending rewards of `account`.
#[utoipa::path(get, path = "/v1/staking/rewards/{address}", tag = "staking",
    params(("address" = String, Path, description = "The account, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "Pending rewards (`RewardsView`)", body = RewardsView)))]
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
#[utoipa::path(get, path = "/v1/staking/unbonding/{address}", tag = "staking",
    params(("address" = String, Path, description = "The delegator, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "Open unbonding entries (`UnbondingEntry`)", body = Vec<UnbondingEntry>)))]
pub fn unbonding<S: StateRead + ?Sized>(
    state: &S,
    delegator: &Address,
) -> Result<Vec<UnbondingEntry>, StakingError> {
    state.unbondings_of(delegator, MAX_UNBONDING_QUERY)
}

/// The parameters.
#[utoipa::path(get, path = "/v1/staking/params", tag = "staking",
    responses((status = 200, description = "The staking parameters (`StakingParams`)", body = StakingParams)))]
pub fn params<S: StateRead + ?Sized>(state: &S) -> Result<StakingParams, StakingError> {
    state.staking_params()
}
