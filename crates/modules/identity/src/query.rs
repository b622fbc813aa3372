//! The identity module's read-only queries, `GET /v1/identity/…`: an
//! account's tier and attestations, the regulators records are sealed to,
//! and stored regulator-only records (never their plaintext).
//!
//! [`IdentityQuery`] is parsed and validated from the URL before any state
//! is read; each variant is answered by one function below, whose
//! `#[utoipa::path]` is the route's entry in `/openapi.json`.

use fructus_component::query::{
    Page, Query, QueryAt, QueryError, QueryParams, address, found, id, limit, respond,
    start_after_id,
};
use fructus_storage::StateRead;
use fructus_types::{Address, BlockHeight, BlockTime};

pub use crate::{AccountIdentity, AttestationView, RecordView, RegulatorView};
use crate::{IdentityError, IdentityStateReadExt};

const MODULE: &str = "identity";

/// A request to the identity module, parsed from `/v1/identity/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityQuery {
    /// `accounts/{address}`: an account's tier, attestations and freeze.
    Account {
        /// The account.
        account: Address,
    },
    /// `accounts/{address}/records`: the records about an account.
    RecordsOf {
        /// The account.
        account: Address,
        /// Start after this record id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `regulators`: the regulators and their records keys.
    Regulators,
    /// `records/{id}`: one record.
    Record {
        /// Record id.
        id: u64,
    },
}

fn state_error(e: IdentityError) -> QueryError {
    QueryError::state(MODULE, e)
}

impl Query for IdentityQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["identity"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        Ok(match path {
            ["identity", "accounts", who] => IdentityQuery::Account {
                account: address(who, "account")?,
            },
            ["identity", "accounts", who, "records"] => IdentityQuery::RecordsOf {
                account: address(who, "account")?,
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["identity", "regulators"] => IdentityQuery::Regulators,
            ["identity", "records", r] => IdentityQuery::Record {
                id: id(r, "record id")?,
            },
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
        at: QueryAt,
    ) -> Result<serde_json::Value, QueryError> {
        match self {
            IdentityQuery::Account { account: a } => respond(MODULE, &account(state, &a, at)?),
            IdentityQuery::RecordsOf {
                account,
                start_after,
                limit,
            } => respond(MODULE, &records_of(state, &account, start_after, limit)?),
            IdentityQuery::Regulators => respond(MODULE, &regulators(state)?),
            IdentityQuery::Record { id } => respond(MODULE, &record(state, id)?),
        }
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        IdentityApi::openapi()
    }
}

/// The identity module's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(account, records_of, regulators, record))]
struct IdentityApi;

/// An account's tier, KYC attestations (with their status) and freeze at
/// the latest block.
#[utoipa::path(get, path = "/v1/identity/accounts/{address}", tag = "identity",
    params(("address" = String, Path, description = "The account, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "`fructus_identity::query::AccountIdentity`", body = AccountIdentity)))]
pub fn account<S: StateRead + ?Sized>(
    state: &S,
    account: &Address,
    at: QueryAt,
) -> Result<AccountIdentity, QueryError> {
    account_identity(state, account, at.height, at.time).map_err(state_error)
}

/// The records about an account, in id order.
#[utoipa::path(get, path = "/v1/identity/accounts/{address}/records", tag = "identity",
    params(("address" = String, Path, description = "The account, bech32 fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$"), Page),
    responses((status = 200, description = "Records (`RecordView`: ciphertext, wrapped keys, plaintext hash)", body = Vec<RecordView>)))]
pub fn records_of<S: StateRead + ?Sized>(
    state: &S,
    account: &Address,
    start_after: Option<u64>,
    limit: usize,
) -> Result<Vec<RecordView>, QueryError> {
    Ok(state
        .records_of(account, start_after, limit)
        .map_err(state_error)?
        .into_iter()
        .map(RecordView::from)
        .collect())
}

/// The regulators, each with the X25519 key regulator-only records are
/// sealed to.
#[utoipa::path(get, path = "/v1/identity/regulators", tag = "identity",
    responses((status = 200, description = "The regulators", body = Vec<RegulatorView>)))]
pub fn regulators<S: StateRead + ?Sized>(state: &S) -> Result<Vec<RegulatorView>, QueryError> {
    let mut out = Vec::new();
    for regulator in state.regulators().map_err(state_error)? {
        out.push(RegulatorView {
            address: regulator,
            encryption_key: state
                .encryption_key(&regulator)
                .map_err(state_error)?
                .map(hex::encode),
        });
    }
    Ok(out)
}

/// One regulator-only record (ciphertext, wrapped keys, plaintext hash;
/// never the plaintext).
#[utoipa::path(get, path = "/v1/identity/records/{id}", tag = "identity",
    params(("id" = u64, Path, description = "Record id")),
    responses((status = 200, description = "The record (`RecordView`)", body = RecordView)))]
pub fn record<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<RecordView, QueryError> {
    found(state.record(id).map_err(state_error)?, || {
        format!("record {id}")
    })
    .map(RecordView::from)
}

/// The identity view of `address` at (`height`, `time`).
pub fn account_identity<S: StateRead + ?Sized>(
    state: &S,
    address: &Address,
    height: BlockHeight,
    time: BlockTime,
) -> Result<AccountIdentity, IdentityError> {
    let mut attestations = Vec::new();
    for attestation in state.attestations(address)? {
        let status = state.attestation_status(&attestation, height, time)?;
        attestations.push(AttestationView {
            attestation,
            status,
        });
    }
    Ok(AccountIdentity {
        address: *address,
        tier: state.tier(address, height, time)?,
        kyc_level: state.kyc_level(address, height, time)?,
        frozen: state.freeze_record(address)?,
        kyc_provider: state.is_provider(address)?,
        encryption_key: if state.is_regulator(address)? {
            state.encryption_key(address)?
        } else {
            None
        },
        attestations,
    })
}
