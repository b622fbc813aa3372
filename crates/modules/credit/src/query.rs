//! Read-only queries under `GET /v1/credit/…`: [`CreditQuery`] is parsed
//! and validated from the URL before any state is read and answered with
//! typed responses ([`CreditResponse`]); each route is answered by one
//! function below whose `#[utoipa::path]` is its entry in
//! `/openapi.json`. The CLI's `query credit …` and `keeper liquidate` ask
//! the same paths.

use fructus_bank::BankStateReadExt;
use fructus_component::{
    ErrorCode,
    query::{
        Page, Query, QueryAt, QueryError, QueryParams, address, id, limit, respond, start_after_id,
    },
};
use fructus_storage::StateRead;
use fructus_types::{Address, BlockTime, Denom};

use crate::{
    Agency, Books, CreditError, CreditStateReadExt, Grade, Rating, Vault,
    math::{self, BPS},
    surplus_account,
};

const MODULE: &str = "credit";

/// A request to the credit module, parsed from `/v1/credit/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditQuery {
    /// `credit/books`: rate, totals, bad debt, surplus, supply.
    Books,
    /// `credit/agencies`: accredited rating agencies.
    Agencies,
    /// `credit/ratings/{address}`: an enterprise's rating.
    Rating {
        /// The enterprise.
        enterprise: Address,
    },
    /// `credit/vaults?start_after=&limit=`: vaults in id order.
    Vaults {
        /// Start after this id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `credit/vaults/{id}`: one vault.
    Vault {
        /// The vault.
        id: u64,
    },
}

/// The system's books with the balances that go with them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct BooksView {
    /// The stored books (rate, normalized debt, auction debt, bad debt).
    #[serde(flatten)]
    pub books: Books,
    /// The credit denom.
    #[schema(value_type = String)]
    pub credit_denom: Denom,
    /// The quote denom.
    #[schema(value_type = String)]
    pub quote_denom: Denom,
    /// Σ vault debt now (normalized × rate, rounded up).
    pub vault_debt: String,
    /// The surplus buffer's balance of the credit denom.
    pub surplus: String,
    /// The credit denom's supply.
    pub supply: String,
}

/// An enterprise's rating and what it means now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RatingView {
    /// The stored rating, if any (whatever its status).
    pub rating: Option<Rating>,
    /// The grade that counts now (`None`: unrated).
    pub effective: Option<Grade>,
    /// The collateral ratio it requires to mint and withdraw, bps.
    pub required_ratio_bps: u32,
}

/// A vault with its standing now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct VaultView {
    /// The stored vault.
    #[serde(flatten)]
    pub vault: Vault,
    /// Its debt now.
    pub debt: String,
    /// The price a mint or liquidation would use now (×10^18), if fresh
    /// and within the TWAP bound; otherwise `null` and `price_error` says
    /// why.
    pub price: Option<String>,
    /// Why there is no usable price.
    pub price_error: Option<String>,
    /// Collateral value after the haircut at that price.
    pub value: Option<String>,
    /// Collateral ratio now, bps (`null` without debt or price).
    pub ratio_bps: Option<String>,
    /// The owner's required ratio, bps.
    pub required_ratio_bps: u32,
    /// True when a liquidation would be accepted now.
    pub liquidatable: bool,
    /// The running auction's current price (×10^18), if any.
    pub auction_price: Option<String>,
}

/// A page of vaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct VaultsPage {
    /// The vaults.
    pub vaults: Vec<VaultView>,
    /// Pass as `start_after` for the next page; `null` on the last.
    pub next: Option<u64>,
}

/// The answer to a [`CreditQuery`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum CreditResponse {
    /// To [`CreditQuery::Books`].
    Books(BooksView),
    /// To [`CreditQuery::Agencies`].
    Agencies(Vec<Agency>),
    /// To [`CreditQuery::Rating`].
    Rating(RatingView),
    /// To [`CreditQuery::Vaults`].
    Vaults(VaultsPage),
    /// To [`CreditQuery::Vault`].
    Vault(Box<VaultView>),
}

impl Query for CreditQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["credit"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        Ok(match path {
            ["credit", "books"] => CreditQuery::Books,
            ["credit", "agencies"] => CreditQuery::Agencies,
            ["credit", "ratings", who] => CreditQuery::Rating {
                enterprise: address(who, "enterprise")?,
            },
            ["credit", "vaults"] => CreditQuery::Vaults {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["credit", "vaults", v] => CreditQuery::Vault {
                id: id(v, "vault id")?,
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
        let response = self.answer_at(state, at.time).map_err(query_error)?;
        respond(MODULE, &response)
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        CreditApi::openapi()
    }
}

/// The credit module's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(books, agencies, rating, vaults, vault),
    components(schemas(
        BooksView,
        RatingView,
        VaultView,
        VaultsPage,
        Vault,
        Rating,
        Agency,
        Books,
        Grade,
        crate::Auction
    ))
)]
struct CreditApi;

fn query_error(e: CreditError) -> QueryError {
    if e.is_internal() {
        return QueryError::state(MODULE, e);
    }
    match e {
        CreditError::VaultNotFound { vault_id } => QueryError::NotFound {
            what: format!("vault {vault_id}: list vaults with GET /v1/credit/vaults"),
        },
        other => QueryError::Refused {
            module: MODULE,
            code: other.code(),
            message: other.to_string(),
        },
    }
}

impl CreditQuery {
    /// Answers from `state` at block time `now`.
    pub fn answer_at<S: StateRead + ?Sized>(
        &self,
        state: &S,
        now: BlockTime,
    ) -> Result<CreditResponse, CreditError> {
        Ok(match self {
            CreditQuery::Books => CreditResponse::Books(books(state)?),
            CreditQuery::Agencies => CreditResponse::Agencies(agencies(state)?),
            CreditQuery::Rating { enterprise } => {
                CreditResponse::Rating(rating(state, enterprise, now)?)
            }
            CreditQuery::Vaults { start_after, limit } => {
                CreditResponse::Vaults(vaults(state, *start_after, *limit, now)?)
            }
            CreditQuery::Vault { id } => CreditResponse::Vault(Box::new(vault(state, *id, now)?)),
        })
    }
}

/// The rate accumulator, debt totals, bad debt, surplus and supply.
#[utoipa::path(get, path = "/v1/credit/books", tag = "credit",
    responses((status = 200, description = "The books", body = BooksView)))]
pub fn books<S: StateRead + ?Sized>(state: &S) -> Result<BooksView, CreditError> {
    let books = state.books()?;
    let (credit, quote) = state.credit_denoms()?;
    let vault_debt = math::debt(books.normalized_debt, books.rate).unwrap_or(u128::MAX);
    Ok(BooksView {
        vault_debt: vault_debt.to_string(),
        surplus: state.balance(&surplus_account(), &credit)?.to_string(),
        supply: state.supply(&credit)?.to_string(),
        books,
        credit_denom: credit,
        quote_denom: quote,
    })
}

/// Accredited rating agencies.
#[utoipa::path(get, path = "/v1/credit/agencies", tag = "credit",
    responses((status = 200, description = "The agencies", body = Vec<Agency>)))]
pub fn agencies<S: StateRead + ?Sized>(state: &S) -> Result<Vec<Agency>, CreditError> {
    state.agencies()
}

/// An enterprise's rating, the grade that counts now and the ratio it
/// requires.
#[utoipa::path(get, path = "/v1/credit/ratings/{address}", tag = "credit",
    params(("address" = String, Path, description = "The enterprise (fx1…)", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "The rating", body = RatingView)))]
pub fn rating<S: StateRead + ?Sized>(
    state: &S,
    enterprise: &Address,
    now: BlockTime,
) -> Result<RatingView, CreditError> {
    let params = state.credit_params()?;
    let effective = state.effective_grade(enterprise, now)?;
    Ok(RatingView {
        rating: state.rating(enterprise)?,
        required_ratio_bps: params.required_ratio_bps.of(effective.as_ref()),
        effective,
    })
}

/// Vaults in id order, each with its debt, price, value, ratio and
/// whether it can be liquidated now.
#[utoipa::path(get, path = "/v1/credit/vaults", tag = "credit",
    params(Page),
    responses((status = 200, description = "A page of vaults", body = VaultsPage)))]
pub fn vaults<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
    now: BlockTime,
) -> Result<VaultsPage, CreditError> {
    let list = state.vaults(start_after, limit)?;
    let next = (list.len() == limit)
        .then(|| list.last().map(|v| v.id))
        .flatten();
    let mut out = Vec::with_capacity(list.len());
    for v in list {
        out.push(view(state, v, now)?);
    }
    Ok(VaultsPage { vaults: out, next })
}

/// One vault with its standing now.
#[utoipa::path(get, path = "/v1/credit/vaults/{id}", tag = "credit",
    params(("id" = u64, Path, description = "Vault id")),
    responses((status = 200, description = "The vault", body = VaultView)))]
pub fn vault<S: StateRead + ?Sized>(
    state: &S,
    id: u64,
    now: BlockTime,
) -> Result<VaultView, CreditError> {
    view(state, state.require_vault(id)?, now)
}

fn view<S: StateRead + ?Sized>(
    state: &S,
    vault: Vault,
    now: BlockTime,
) -> Result<VaultView, CreditError> {
    let params = state.credit_params()?;
    let books = state.books()?;
    let ctype = state.collateral_type(&params, &vault.denom)?;
    let (required, _) = state.required_ratio(&params, &vault.owner, now)?;
    let debt = math::debt(vault.normalized_debt, books.rate).unwrap_or(u128::MAX);
    let (price, price_error) = match state.checked_price(&params, &ctype, now) {
        Ok(p) => (Some(p), None),
        Err(e) if e.is_internal() => return Err(e),
        Err(e) => (None, Some(e.to_string())),
    };
    let value = price.and_then(|p| math::collateral_value(vault.collateral, p, ctype.haircut_bps));
    let ratio = value
        .filter(|_| debt > 0)
        .and_then(|v| math::mul_div_floor(v, BPS, debt));
    let liquidatable = vault.auction.is_none()
        && debt > 0
        && value.is_some_and(|v| !math::covers(v, debt, params.liquidation_ratio_bps));
    let auction_price = vault.auction.as_ref().map(|a| {
        math::auction_price(
            a.start_price,
            now.0.saturating_sub(a.started_ms),
            params.auction_decay_bps_per_minute,
            params.auction_floor_bps,
        )
        .max(1)
        .to_string()
    });
    Ok(VaultView {
        debt: debt.to_string(),
        price: price.map(|p| p.to_string()),
        price_error,
        value: value.map(|v| v.to_string()),
        ratio_bps: ratio.map(|r| r.to_string()),
        required_ratio_bps: required,
        liquidatable,
        auction_price,
        vault,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn malformed_credit_queries_are_refused_before_reading_state() {
        let p = QueryParams::new();
        assert_eq!(
            CreditQuery::parse(&["credit", "nope"], &p)
                .unwrap_err()
                .status(),
            404
        );
        assert_eq!(
            CreditQuery::parse(&["credit", "vaults", "x"], &p)
                .unwrap_err()
                .status(),
            400
        );
        assert_eq!(
            CreditQuery::parse(&["credit", "ratings", "fx1no"], &p)
                .unwrap_err()
                .status(),
            400
        );
        assert_eq!(
            CreditQuery::parse(&["credit", "vaults", "3"], &p).unwrap(),
            CreditQuery::Vault { id: 3 }
        );
    }

    #[test]
    fn every_credit_route_is_in_the_openapi_document() {
        let doc = <CreditQuery as Query>::openapi();
        for route in [
            "/v1/credit/books",
            "/v1/credit/agencies",
            "/v1/credit/ratings/{address}",
            "/v1/credit/vaults",
            "/v1/credit/vaults/{id}",
        ] {
            assert!(doc.paths.paths.contains_key(route), "{route} missing");
        }
    }
}
