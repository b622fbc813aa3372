//! `GET /v1/staking/…`: the staking module's queries, answered from a
//! state snapshot as JSON.

use fructus_rpc::ApiError;
use fructus_staking::query;
use fructus_storage::Snapshot;

use crate::query_args::{address, json};

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(500, "staking", 1, e.to_string())
}

/// Answers `path` (the segments after `/v1/staking/`).
pub(crate) fn query(snapshot: &Snapshot, path: &[String]) -> Result<serde_json::Value, ApiError> {
    let segments: Vec<&str> = path.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["validators"] => json(&query::validators(snapshot).map_err(internal)?),
        ["validators", who] => {
            let operator = address(who)?;
            let found = query::validator(snapshot, &operator).map_err(internal)?;
            json(&found.ok_or_else(|| ApiError::not_found(format!("no validator {operator}")))?)
        }
        ["delegations", who] => {
            json(&query::delegations(snapshot, &address(who)?).map_err(internal)?)
        }
        ["rewards", who] => {
            json(&query::pending_rewards(snapshot, &address(who)?).map_err(internal)?)
        }
        ["unbonding", who] => json(&query::unbonding(snapshot, &address(who)?).map_err(internal)?),
        ["params"] => json(&query::params(snapshot).map_err(internal)?),
        _ => Err(ApiError::not_found(format!(
            "no staking route /v1/staking/{}",
            segments.join("/")
        ))),
    }
}
