//! Read-only queries under `GET /v1/certificates/…`: [`CertificateQuery`]
//! is parsed and validated from the URL before any state is read and
//! answered with typed responses ([`CertificateResponse`]); each route is
//! answered by one function below whose `#[utoipa::path]` is its entry in
//! `/openapi.json`. The CLI's `query cert …` asks the same paths. A
//! retirement's proof is asked from `/v1/proofs/{key}` with the key
//! [`crate::state_key::retirement`] (`key_hex` in [`RetirementView`]).

use fructus_bank::BankStateReadExt;
use fructus_component::{
    ErrorCode,
    query::{
        Page, Query, QueryAt, QueryError, QueryParams, address, id, limit, respond,
        start_after_address, start_after_id,
    },
};
use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{
    Authorization, Batch, CertificateClass, CertificateError, CertificateStateReadExt, Issuer,
    Retirement, msg::MAX_BENEFICIARY, state_key,
};

const MODULE: &str = "certificate";

/// A request to the certificate module, parsed from `/v1/certificates/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateQuery {
    /// `certificates/issuers?start_after=&limit=`.
    Issuers {
        /// Start after this address.
        start_after: Option<Address>,
        /// Page size.
        limit: usize,
    },
    /// `certificates/issuers/{address}`.
    Issuer {
        /// The issuer.
        address: Address,
    },
    /// `certificates/classes?start_after=&limit=`.
    Classes {
        /// Start after this id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `certificates/classes/{id}`.
    Class {
        /// The class.
        id: u64,
    },
    /// `certificates/batches?start_after=&limit=`.
    Batches {
        /// Start after this id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `certificates/batches/{id}`.
    Batch {
        /// The batch.
        id: u64,
    },
    /// `certificates/batches/{id}/retirements?start_after=&limit=`.
    RetirementsOfBatch {
        /// The batch.
        id: u64,
        /// Start after this retirement id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `certificates/retirements?beneficiary=&start_after=&limit=`.
    Retirements {
        /// Only those for this beneficiary.
        beneficiary: Option<String>,
        /// Start after this retirement id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `certificates/retirements/{id}`.
    Retirement {
        /// The retirement.
        id: u64,
    },
    /// `certificates/authorizations?start_after=&limit=`.
    Authorizations {
        /// Start after this asset id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `certificates/authorizations/{asset_id}`.
    Authorization {
        /// The asset.
        asset_id: u64,
    },
}

/// A batch with its circulating supply.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct BatchView {
    /// The stored record, flattened.
    #[serde(flatten)]
    pub batch: Batch,
    /// Its denom.
    pub denom: String,
    /// Units in circulation: the bank supply of the denom, which always
    /// equals `issued − retired − cancelled`.
    pub tradable: u64,
    /// Last serial of the range.
    pub serial_last: u64,
}

/// A retirement with the state key its proof is asked for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RetirementView {
    /// The stored record, flattened.
    #[serde(flatten)]
    pub retirement: Retirement,
    /// Hex of its state key: `GET /v1/proofs/{key_hex}` proves it.
    pub key_hex: String,
}

/// A page of issuers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct IssuersPage {
    /// The issuers.
    pub issuers: Vec<Issuer>,
}

/// A page of classes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ClassesPage {
    /// The classes.
    pub classes: Vec<CertificateClass>,
    /// Pass as `start_after` for the next page; `None` on the last.
    pub next: Option<u64>,
}

/// A page of batches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct BatchesPage {
    /// The batches.
    pub batches: Vec<BatchView>,
    /// Pass as `start_after` for the next page; `None` on the last.
    pub next: Option<u64>,
}

/// A page of retirements.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RetirementsPage {
    /// The retirements.
    pub retirements: Vec<RetirementView>,
    /// Pass as `start_after` for the next page; `None` on the last.
    pub next: Option<u64>,
}

/// A page of auto-issuance authorizations.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AuthorizationsPage {
    /// The authorizations.
    pub authorizations: Vec<Authorization>,
    /// Pass as `start_after` for the next page; `None` on the last.
    pub next: Option<u64>,
}

/// The answer to a [`CertificateQuery`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum CertificateResponse {
    /// To [`CertificateQuery::Issuers`].
    Issuers(IssuersPage),
    /// To [`CertificateQuery::Issuer`].
    Issuer(Issuer),
    /// To [`CertificateQuery::Classes`].
    Classes(ClassesPage),
    /// To [`CertificateQuery::Class`].
    Class(CertificateClass),
    /// To [`CertificateQuery::Batches`].
    Batches(BatchesPage),
    /// To [`CertificateQuery::Batch`].
    Batch(BatchView),
    /// To the retirement lists.
    Retirements(RetirementsPage),
    /// To [`CertificateQuery::Retirement`].
    Retirement(RetirementView),
    /// To [`CertificateQuery::Authorizations`].
    Authorizations(AuthorizationsPage),
    /// To [`CertificateQuery::Authorization`].
    Authorization(Authorization),
}

impl Query for CertificateQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["certificates"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        CertificateQuery::parse_request(path, params)
    }

    fn answer<S: StateRead + ?Sized>(
        self,
        state: &S,
        _at: QueryAt,
    ) -> Result<serde_json::Value, QueryError> {
        let response = self.answer_from(state).map_err(query_error)?;
        respond(MODULE, &response)
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        CertificateApi::openapi()
    }
}

/// The certificate module's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        issuers,
        issuer,
        classes,
        class,
        batches,
        batch,
        retirements_of_batch,
        retirements,
        retirement,
        authorizations,
        authorization
    ),
    components(schemas(
        IssuersPage,
        Issuer,
        ClassesPage,
        CertificateClass,
        crate::CertificateKind,
        BatchesPage,
        BatchView,
        Batch,
        RetirementsPage,
        RetirementView,
        Retirement,
        AuthorizationsPage,
        Authorization
    ))
)]
struct CertificateApi;

/// A [`CertificateError`] as a query's refusal: a storage fault stays
/// internal (500), an unknown object is 404, anything else 400.
fn query_error(e: CertificateError) -> QueryError {
    if e.is_internal() {
        return QueryError::state(MODULE, e);
    }
    match e {
        CertificateError::ClassNotFound { .. }
        | CertificateError::BatchNotFound { .. }
        | CertificateError::AuthorizationNotFound { .. }
        | CertificateError::RetirementNotFound { .. }
        | CertificateError::NotAccredited { .. } => QueryError::NotFound {
            what: e.to_string(),
        },
        other => QueryError::Refused {
            module: MODULE,
            code: other.code(),
            message: other.to_string(),
        },
    }
}

impl CertificateQuery {
    /// Parses and validates a request: `path` is the segments after `/v1/`
    /// (`certificates`, then the route), `params` the query string.
    /// Refuses an unknown route or a malformed parameter; reads no state.
    pub fn parse_request(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        Ok(match path {
            ["certificates", "issuers"] => CertificateQuery::Issuers {
                start_after: start_after_address(params)?,
                limit: limit(params)?,
            },
            ["certificates", "issuers", a] => CertificateQuery::Issuer {
                address: address(a, "issuer")?,
            },
            ["certificates", "classes"] => CertificateQuery::Classes {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["certificates", "classes", c] => CertificateQuery::Class {
                id: id(c, "class id")?,
            },
            ["certificates", "batches"] => CertificateQuery::Batches {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["certificates", "batches", b] => CertificateQuery::Batch {
                id: id(b, "batch id")?,
            },
            ["certificates", "batches", b, "retirements"] => CertificateQuery::RetirementsOfBatch {
                id: id(b, "batch id")?,
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["certificates", "retirements"] => CertificateQuery::Retirements {
                beneficiary: match params.get("beneficiary").map(String::as_str) {
                    None | Some("") => None,
                    Some(b) if b.len() <= MAX_BENEFICIARY => Some(b.to_owned()),
                    Some(b) => {
                        return Err(QueryError::BadParam {
                            what: "beneficiary",
                            got: b.chars().take(80).collect(),
                            expected: "at most 128 bytes",
                        });
                    }
                },
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["certificates", "retirements", r] => CertificateQuery::Retirement {
                id: id(r, "retirement id")?,
            },
            ["certificates", "authorizations"] => CertificateQuery::Authorizations {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["certificates", "authorizations", a] => CertificateQuery::Authorization {
                asset_id: id(a, "asset id")?,
            },
            _ => {
                return Err(QueryError::NoRoute {
                    module: MODULE,
                    path: path.join("/"),
                });
            }
        })
    }

    /// Answers from `state`.
    pub fn answer_from<S: StateRead + ?Sized>(
        &self,
        state: &S,
    ) -> Result<CertificateResponse, CertificateError> {
        Ok(match self {
            CertificateQuery::Issuers { start_after, limit } => {
                CertificateResponse::Issuers(issuers(state, start_after.as_ref(), *limit)?)
            }
            CertificateQuery::Issuer { address } => {
                CertificateResponse::Issuer(issuer(state, address)?)
            }
            CertificateQuery::Classes { start_after, limit } => {
                CertificateResponse::Classes(classes(state, *start_after, *limit)?)
            }
            CertificateQuery::Class { id } => CertificateResponse::Class(class(state, *id)?),
            CertificateQuery::Batches { start_after, limit } => {
                CertificateResponse::Batches(batches(state, *start_after, *limit)?)
            }
            CertificateQuery::Batch { id } => CertificateResponse::Batch(batch(state, *id)?),
            CertificateQuery::RetirementsOfBatch {
                id,
                start_after,
                limit,
            } => CertificateResponse::Retirements(retirements_of_batch(
                state,
                *id,
                *start_after,
                *limit,
            )?),
            CertificateQuery::Retirements {
                beneficiary,
                start_after,
                limit,
            } => CertificateResponse::Retirements(retirements(
                state,
                beneficiary.as_deref(),
                *start_after,
                *limit,
            )?),
            CertificateQuery::Retirement { id } => {
                CertificateResponse::Retirement(retirement(state, *id)?)
            }
            CertificateQuery::Authorizations { start_after, limit } => {
                CertificateResponse::Authorizations(authorizations(state, *start_after, *limit)?)
            }
            CertificateQuery::Authorization { asset_id } => {
                CertificateResponse::Authorization(authorization(state, *asset_id)?)
            }
        })
    }
}

fn next_of<T>(items: &[T], limit: usize, id: impl Fn(&T) -> u64) -> Option<u64> {
    (items.len() == limit)
        .then(|| items.last().map(id))
        .flatten()
}

/// Accredited and revoked issuers, in address order.
#[utoipa::path(get, path = "/v1/certificates/issuers", tag = "certificate",
    params(Page),
    responses((status = 200, description = "A page of issuers", body = IssuersPage)))]
pub fn issuers<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<&Address>,
    limit: usize,
) -> Result<IssuersPage, CertificateError> {
    Ok(IssuersPage {
        issuers: state.issuers(start_after, limit)?,
    })
}

/// One issuer.
#[utoipa::path(get, path = "/v1/certificates/issuers/{address}", tag = "certificate",
    params(("address" = String, Path, description = "The issuer, fx1…", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "The issuer", body = Issuer)))]
pub fn issuer<S: StateRead + ?Sized>(
    state: &S,
    address: &Address,
) -> Result<Issuer, CertificateError> {
    state
        .issuer(address)?
        .ok_or(CertificateError::NotAccredited { address: *address })
}

/// Classes in id order.
#[utoipa::path(get, path = "/v1/certificates/classes", tag = "certificate",
    params(Page),
    responses((status = 200, description = "A page of classes", body = ClassesPage)))]
pub fn classes<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<ClassesPage, CertificateError> {
    let classes = state.classes(start_after, limit)?;
    let next = next_of(&classes, limit, |c| c.id);
    Ok(ClassesPage { classes, next })
}

/// One class.
#[utoipa::path(get, path = "/v1/certificates/classes/{id}", tag = "certificate",
    params(("id" = u64, Path, description = "Class id")),
    responses((status = 200, description = "The class", body = CertificateClass)))]
pub fn class<S: StateRead + ?Sized>(
    state: &S,
    id: u64,
) -> Result<CertificateClass, CertificateError> {
    state.require_class(id)
}

fn batch_view<S: StateRead + ?Sized>(
    state: &S,
    batch: Batch,
) -> Result<BatchView, CertificateError> {
    let denom = batch.denom();
    let supply = state.supply(&denom)?;
    Ok(BatchView {
        denom: denom.to_string(),
        tradable: u64::try_from(supply.value()).map_err(|_| CertificateError::Corrupt {
            reason: format!("the supply of {denom} exceeds any batch"),
        })?,
        serial_last: batch.serial_last(),
        batch,
    })
}

/// Batches in id order.
#[utoipa::path(get, path = "/v1/certificates/batches", tag = "certificate",
    params(Page),
    responses((status = 200, description = "A page of batches", body = BatchesPage)))]
pub fn batches<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<BatchesPage, CertificateError> {
    let list = state.batches(start_after, limit)?;
    let next = next_of(&list, limit, |b| b.id);
    Ok(BatchesPage {
        batches: list
            .into_iter()
            .map(|b| batch_view(state, b))
            .collect::<Result<_, _>>()?,
        next,
    })
}

/// One batch, with its circulating supply.
#[utoipa::path(get, path = "/v1/certificates/batches/{id}", tag = "certificate",
    params(("id" = u64, Path, description = "Batch id")),
    responses((status = 200, description = "The batch", body = BatchView)))]
pub fn batch<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<BatchView, CertificateError> {
    batch_view(state, state.require_batch(id)?)
}

fn page(list: Vec<Retirement>, limit: usize) -> RetirementsPage {
    let next = next_of(&list, limit, |r| r.id);
    RetirementsPage {
        retirements: list.into_iter().map(view).collect(),
        next,
    }
}

fn view(retirement: Retirement) -> RetirementView {
    RetirementView {
        key_hex: hex::encode(state_key::retirement(retirement.id)),
        retirement,
    }
}

/// The retirements of one batch, in id order.
#[utoipa::path(get, path = "/v1/certificates/batches/{id}/retirements", tag = "certificate",
    params(("id" = u64, Path, description = "Batch id"), Page),
    responses((status = 200, description = "A page of retirements", body = RetirementsPage)))]
pub fn retirements_of_batch<S: StateRead + ?Sized>(
    state: &S,
    id: u64,
    start_after: Option<u64>,
    limit: usize,
) -> Result<RetirementsPage, CertificateError> {
    state.require_batch(id)?;
    let list = state.retirements_under(&state_key::retirements_of_batch(id), start_after, limit)?;
    Ok(page(list, limit))
}

/// Retirements in id order, all or those for one beneficiary.
#[utoipa::path(get, path = "/v1/certificates/retirements", tag = "certificate",
    params(
        ("beneficiary" = Option<String>, Query, description = "Only those for this beneficiary (exact)"),
        Page,
    ),
    responses((status = 200, description = "A page of retirements", body = RetirementsPage)))]
pub fn retirements<S: StateRead + ?Sized>(
    state: &S,
    beneficiary: Option<&str>,
    start_after: Option<u64>,
    limit: usize,
) -> Result<RetirementsPage, CertificateError> {
    let list = match beneficiary {
        Some(b) => state.retirements_under(
            &state_key::retirements_of_beneficiary(b),
            start_after,
            limit,
        )?,
        None => state.retirements(start_after, limit)?,
    };
    Ok(page(list, limit))
}

/// One retirement, with the key its proof is asked for.
#[utoipa::path(get, path = "/v1/certificates/retirements/{id}", tag = "certificate",
    params(("id" = u64, Path, description = "Retirement id")),
    responses((status = 200, description = "The retirement", body = RetirementView)))]
pub fn retirement<S: StateRead + ?Sized>(
    state: &S,
    id: u64,
) -> Result<RetirementView, CertificateError> {
    state
        .retirement(id)?
        .map(view)
        .ok_or(CertificateError::RetirementNotFound { id })
}

/// Auto-issuance authorizations in asset order.
#[utoipa::path(get, path = "/v1/certificates/authorizations", tag = "certificate",
    params(Page),
    responses((status = 200, description = "A page of authorizations", body = AuthorizationsPage)))]
pub fn authorizations<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<AuthorizationsPage, CertificateError> {
    let list = state.authorizations(start_after, limit)?;
    let next = next_of(&list, limit, |a| a.asset_id);
    Ok(AuthorizationsPage {
        authorizations: list,
        next,
    })
}

/// The auto-issuance authorization of one asset.
#[utoipa::path(get, path = "/v1/certificates/authorizations/{asset}", tag = "certificate",
    params(("asset" = u64, Path, description = "Asset id")),
    responses((status = 200, description = "The authorization", body = Authorization)))]
pub fn authorization<S: StateRead + ?Sized>(
    state: &S,
    asset_id: u64,
) -> Result<Authorization, CertificateError> {
    state
        .authorization(asset_id)?
        .ok_or(CertificateError::AuthorizationNotFound { asset_id })
}
