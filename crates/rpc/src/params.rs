//! `GET /v1/params/{module}`: the params a module runs with now, in the
//! JSON form a governance param-change proposal takes (a proposal states
//! every field, so a user starts from these). ONE line per module with
//! params in [`table`]; it lists the same modules as
//! `fructus_app::params::MODULES_WITH_PARAMS` (a test keeps them equal).

use axum::{
    Json,
    extract::{Path, State, rejection::PathRejection},
};
use fructus_component::{ModuleParams, ParamsRead};
use fructus_rpc_types::ApiError;
use fructus_storage::{Snapshot, StorageError};

use crate::{error::HttpError, handlers::path_param, server::AppState};

/// Reads one module's params as JSON.
type Read = fn(&Snapshot) -> Result<serde_json::Value, ApiError>;

fn read<P: ModuleParams>(state: &Snapshot) -> Result<serde_json::Value, ApiError>
where
    P::Error: From<StorageError>,
{
    let params: P = state
        .params::<P>()
        .map_err(|e| ApiError::internal(format!("reading the {} params: {e}", P::MODULE)))?;
    serde_json::to_value(params)
        .map_err(|e| ApiError::internal(format!("encoding the {} params: {e}", P::MODULE)))
}

/// Every module with params, by name.
pub(crate) fn table() -> Vec<(&'static str, Read)> {
    vec![
        (
            fructus_auth::AuthParams::MODULE,
            read::<fructus_auth::AuthParams>,
        ),
        (
            fructus_staking::StakingParams::MODULE,
            read::<fructus_staking::StakingParams>,
        ),
        (
            fructus_amm::AmmParams::MODULE,
            read::<fructus_amm::AmmParams>,
        ),
        (
            fructus_certificate::CertificateParams::MODULE,
            read::<fructus_certificate::CertificateParams>,
        ),
        (
            fructus_compute::ComputeParams::MODULE,
            read::<fructus_compute::ComputeParams>,
        ),
        (
            fructus_oracle::OracleParams::MODULE,
            read::<fructus_oracle::OracleParams>,
        ),
        (
            fructus_credit::CreditParams::MODULE,
            read::<fructus_credit::CreditParams>,
        ),
        (
            fructus_governance::GovernanceParams::MODULE,
            read::<fructus_governance::GovernanceParams>,
        ),
        (
            fructus_lending::LendingParams::MODULE,
            read::<fructus_lending::LendingParams>,
        ),
    ]
}

/// The names [`table`] serves, in its order.
pub fn modules() -> Vec<&'static str> {
    table().into_iter().map(|(name, _)| name).collect()
}

/// `GET /v1/params/{module}`.
#[utoipa::path(get, path = "/v1/params/{module}", tag = "node",
    params(("module" = String, Path, description = "A module with params: auth, staking, amm, certificate, compute, oracle, credit, governance, lending", pattern = r"^(auth|staking|amm|certificate|compute|oracle|credit|governance|lending)$")),
    responses(
        (status = 200, description = "The module's current params (its genesis / proposal JSON form)", body = Object),
        (status = 404, description = "No module of that name has params", body = ApiError),
    ))]
pub(crate) async fn params(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let module = path_param(path)?;
    let Some((_, read)) = table().into_iter().find(|(name, _)| *name == module) else {
        return Err(ApiError::not_found(format!(
            "no module named {module:?} has params; modules with params: {}",
            modules().join(", ")
        ))
        .into());
    };
    let (snapshot, _) = state.node.query_state()?;
    Ok(Json(read(&snapshot)?))
}
