//! The modules whose queries the API serves: ONE line per module in
//! [`table`].
//!
//! A module's query type ([`Query`]) declares the first path segments it
//! serves; the router sends `GET /v1/<prefix>/…` to it (parse, then answer
//! from the latest committed state) and the OpenAPI document lists its
//! routes. Nothing else in the API layer knows any module.

use fructus_component::query::{Query, QueryAt, QueryError, QueryParams};
use fructus_rpc_types::{API_CODESPACE, ApiError, codes};
use fructus_storage::Snapshot;

/// Parses and answers one request of a module.
type Answer =
    fn(&Snapshot, QueryAt, &[&str], &QueryParams) -> Result<serde_json::Value, QueryError>;

/// One module's queries, as the router and the OpenAPI document use them.
#[derive(Clone, Copy)]
pub(crate) struct ModuleQueries {
    /// The module's name.
    pub(crate) module: &'static str,
    /// The first path segments after `/v1/` it serves.
    pub(crate) prefixes: &'static [&'static str],
    /// Parses and answers a request.
    pub(crate) answer: Answer,
    /// Its routes and schemas.
    pub(crate) openapi: fn() -> utoipa::openapi::OpenApi,
}

fn answer<Q: Query>(
    state: &Snapshot,
    at: QueryAt,
    path: &[&str],
    params: &QueryParams,
) -> Result<serde_json::Value, QueryError> {
    Q::parse(path, params)?.answer(state, at)
}

fn module<Q: Query>() -> ModuleQueries {
    ModuleQueries {
        module: Q::MODULE,
        prefixes: Q::PREFIXES,
        answer: answer::<Q>,
        openapi: Q::openapi,
    }
}

/// Every module the API serves queries of.
pub(crate) fn table() -> Vec<ModuleQueries> {
    vec![
        module::<fructus_asset::query::AssetQuery>(),
        module::<fructus_metering::query::MeteringQuery>(),
        module::<fructus_identity::query::IdentityQuery>(),
        module::<fructus_staking::query::StakingQuery>(),
        module::<fructus_amm::query::AmmQueries<fructus_compute::ComputeExpiry>>(),
        module::<fructus_certificate::query::CertificateQuery>(),
        module::<fructus_compute::query::ComputeQuery>(),
        module::<fructus_oracle::query::OracleQuery>(),
        module::<fructus_credit::query::CreditQuery>(),
        module::<fructus_governance::query::GovernanceQuery>(),
        module::<fructus_lending::query::LendingQuery>(),
    ]
}

/// A module query's refusal as an API error: malformed input is `api#1`
/// (400), a missing route or object `api#2` (404), a state fault `api#11`
/// (500).
pub(crate) fn api_error(error: QueryError) -> ApiError {
    let code = match error.status() {
        400 => codes::BAD_REQUEST,
        404 => codes::NOT_FOUND,
        _ => codes::INTERNAL,
    };
    ApiError::new(error.status(), API_CODESPACE, code, error.to_string())
}
