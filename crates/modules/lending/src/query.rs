//! Read-only queries under `GET /v1/lending/…`: [`LendingQuery`] is parsed
//! and validated from the URL before any state is read and answered with
//! typed responses ([`LendingResponse`]); each route is answered by one
//! function below whose `#[utoipa::path]` is its entry in
//! `/openapi.json`. Markets and debts are shown accrued to the last
//! block's time. The CLI's `query lend …` asks the same paths.

use fructus_component::{
    ErrorCode,
    query::{
        Page, Query, QueryAt, QueryError, QueryParams, address, id, limit, respond, start_after_id,
    },
};
use fructus_storage::StateRead;
use fructus_types::{Address, BlockTime, Denom};

use crate::{
    LendingError, LendingParams, LendingStateReadExt, LoanStatus, Market, NftLoan, lend_denom,
    math, state::Change,
};

const MODULE: &str = "lending";

/// A request to the lending module, parsed from `/v1/lending/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LendingQuery {
    /// `lending/params`: the parameters and the quote denom.
    Params,
    /// `lending/markets`: every market with utilization and rates.
    Markets,
    /// `lending/positions/{address}`: an account's borrows, pledges and
    /// health.
    Position {
        /// The account.
        account: Address,
    },
    /// `lending/nft_loans?start_after=&limit=`: NFT loans in id order.
    NftLoans {
        /// Start after this id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `lending/nft_loans/{id}`: one NFT loan.
    NftLoan {
        /// The loan.
        id: u64,
    },
}

/// The parameters with the quote denom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ParamsView {
    /// The parameters.
    pub params: LendingParams,
    /// What values are expressed in.
    #[schema(value_type = String)]
    pub quote_denom: Denom,
}

/// One market accrued to now. Rates are yearly, ×10^18.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MarketView {
    /// The pool's denom.
    #[schema(value_type = String)]
    pub denom: Denom,
    /// Its deposit token.
    pub lend_denom: String,
    /// Whether it is listed (a delisted market only repays and redeems).
    pub listed: bool,
    /// Cash in the pool.
    pub cash: String,
    /// Debt of all borrowers.
    pub borrows: String,
    /// Owed to the reserve account.
    pub reserves: String,
    /// Deposit tokens outstanding.
    pub supply: String,
    /// Borrow index (×10^18).
    pub index: String,
    /// Underlying per deposit token (×10^18).
    pub exchange_rate: String,
    /// Borrows / (cash + borrows − reserves) (×10^18).
    pub utilization: String,
    /// Yearly borrow rate (×10^18).
    pub borrow_rate: String,
    /// Yearly supply rate (×10^18).
    pub supply_rate: String,
}

/// One borrow, accrued to now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DebtView {
    /// The market.
    #[schema(value_type = String)]
    pub denom: Denom,
    /// What is owed now.
    pub debt: String,
}

/// One pledge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PledgeView {
    /// The collateral.
    #[schema(value_type = String)]
    pub denom: Denom,
    /// Pledged.
    pub amount: String,
    /// Its collateral factor now, bps (0 if delisted).
    pub factor_bps: u32,
}

/// An account's positions and health.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PositionView {
    /// Its borrows.
    pub borrows: Vec<DebtView>,
    /// Its pledges.
    pub pledges: Vec<PledgeView>,
    /// Σ debt × price, in the quote denom (`null` without usable prices).
    pub borrowed_value: Option<String>,
    /// Σ pledge × price × factor (`null` without usable prices).
    pub borrow_limit: Option<String>,
    /// Whether a liquidation would be refused now (`null` without usable
    /// prices).
    pub healthy: Option<bool>,
    /// Why there is no health (a stale or deviating price).
    pub price_error: Option<String>,
}

/// A page of NFT loans.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct NftLoansPage {
    /// The loans and offers.
    pub loans: Vec<NftLoan>,
    /// Pass as `start_after` for the next page; `null` on the last.
    pub next: Option<u64>,
}

/// The answer to a [`LendingQuery`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum LendingResponse {
    /// To [`LendingQuery::Params`].
    Params(Box<ParamsView>),
    /// To [`LendingQuery::Markets`].
    Markets(Vec<MarketView>),
    /// To [`LendingQuery::Position`].
    Position(PositionView),
    /// To [`LendingQuery::NftLoans`].
    NftLoans(NftLoansPage),
    /// To [`LendingQuery::NftLoan`].
    NftLoan(NftLoan),
}

impl Query for LendingQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["lending"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        Ok(match path {
            ["lending", "params"] => LendingQuery::Params,
            ["lending", "markets"] => LendingQuery::Markets,
            ["lending", "positions", who] => LendingQuery::Position {
                account: address(who, "account")?,
            },
            ["lending", "nft_loans"] => LendingQuery::NftLoans {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["lending", "nft_loans", l] => LendingQuery::NftLoan {
                id: id(l, "loan id")?,
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
        LendingApi::openapi()
    }
}

/// The lending module's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        lending_params,
        lending_markets,
        lending_position,
        lending_nft_loans,
        lending_nft_loan
    ),
    components(schemas(
        ParamsView,
        MarketView,
        DebtView,
        PledgeView,
        PositionView,
        NftLoansPage,
        NftLoan,
        LoanStatus,
        LendingParams,
        crate::MarketParams,
        crate::CollateralParams
    ))
)]
struct LendingApi;

fn query_error(e: LendingError) -> QueryError {
    if e.is_internal() {
        return QueryError::state(MODULE, e);
    }
    match e {
        LendingError::LoanNotFound { loan_id } => QueryError::NotFound {
            what: format!("NFT loan {loan_id}: list them with GET /v1/lending/nft_loans"),
        },
        other => QueryError::Refused {
            module: MODULE,
            code: other.code(),
            message: other.to_string(),
        },
    }
}

impl LendingQuery {
    /// Answers from `state` at block time `now`.
    pub fn answer_at<S: StateRead + ?Sized>(
        &self,
        state: &S,
        now: BlockTime,
    ) -> Result<LendingResponse, LendingError> {
        Ok(match self {
            LendingQuery::Params => LendingResponse::Params(Box::new(lending_params(state)?)),
            LendingQuery::Markets => LendingResponse::Markets(lending_markets(state, now)?),
            LendingQuery::Position { account } => {
                LendingResponse::Position(lending_position(state, account, now)?)
            }
            LendingQuery::NftLoans { start_after, limit } => {
                LendingResponse::NftLoans(lending_nft_loans(state, *start_after, *limit)?)
            }
            LendingQuery::NftLoan { id } => LendingResponse::NftLoan(lending_nft_loan(state, *id)?),
        })
    }
}

/// The parameters and the quote denom.
#[utoipa::path(get, path = "/v1/lending/params", tag = "lending",
    responses((status = 200, description = "The parameters", body = ParamsView)))]
pub fn lending_params<S: StateRead + ?Sized>(state: &S) -> Result<ParamsView, LendingError> {
    Ok(ParamsView {
        params: state.lending_params()?,
        quote_denom: state.lending_quote()?,
    })
}

/// Every listed market (and every delisted one with a record), accrued to
/// now, with utilization, exchange rate and yearly rates.
#[utoipa::path(get, path = "/v1/lending/markets", tag = "lending",
    responses((status = 200, description = "The markets", body = Vec<MarketView>)))]
pub fn lending_markets<S: StateRead + ?Sized>(
    state: &S,
    now: BlockTime,
) -> Result<Vec<MarketView>, LendingError> {
    let params = state.lending_params()?;
    let mut denoms: Vec<Denom> = params.markets.iter().map(|m| m.denom.clone()).collect();
    for d in state.market_denoms()? {
        if !denoms.contains(&d) {
            denoms.push(d);
        }
    }
    denoms
        .into_iter()
        .map(|denom| {
            let m = state.market_at(&params, &denom, now)?;
            Ok(market_view(&params, denom, &m))
        })
        .collect()
}

fn market_view(params: &LendingParams, denom: Denom, m: &Market) -> MarketView {
    let listed = params.market(&denom);
    let u = m.utilization();
    let (borrow_rate, rf) = listed.map_or((0, 0), |p| {
        (math::borrow_rate(&p.curve(), u), p.reserve_factor_bps)
    });
    MarketView {
        lend_denom: lend_denom(&denom).map_or_else(String::new, |d| d.to_string()),
        listed: listed.is_some(),
        cash: m.cash.to_string(),
        borrows: m.borrows.to_string(),
        reserves: m.reserves.to_string(),
        supply: m.supply.to_string(),
        index: m.index.to_string(),
        exchange_rate: m.exchange_rate().to_string(),
        utilization: u.to_string(),
        borrow_rate: borrow_rate.to_string(),
        supply_rate: math::supply_rate(borrow_rate, u, rf).to_string(),
        denom,
    }
}

/// An account's borrows (accrued to now), pledges and health.
#[utoipa::path(get, path = "/v1/lending/positions/{address}", tag = "lending",
    params(("address" = String, Path, description = "The account (fx1…)", pattern = r"^fx1[02-9ac-hj-np-z]{38}$")),
    responses((status = 200, description = "The positions", body = PositionView)))]
pub fn lending_position<S: StateRead + ?Sized>(
    state: &S,
    account: &Address,
    now: BlockTime,
) -> Result<PositionView, LendingError> {
    let params = state.lending_params()?;
    let mut borrows = Vec::new();
    for (denom, b) in state.borrows_of(account)? {
        let m = state.market_at(&params, &denom, now)?;
        let debt = b.debt(m.index).unwrap_or(u128::MAX);
        borrows.push(DebtView {
            denom,
            debt: debt.to_string(),
        });
    }
    let pledges = state
        .pledges_of(account)?
        .into_iter()
        .map(|(denom, amount)| PledgeView {
            factor_bps: params.factor(&denom),
            denom,
            amount: amount.to_string(),
        })
        .collect();
    let (health, price_error) = match state.health(&params, account, now, Change::None) {
        Ok(h) => (Some(h), None),
        Err(e) if e.is_internal() => return Err(e),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(PositionView {
        borrows,
        pledges,
        borrowed_value: health.map(|h| h.borrowed.to_string()),
        borrow_limit: health.map(|h| h.limit.to_string()),
        healthy: health.map(|h| h.is_healthy()),
        price_error,
    })
}

/// NFT loans and offers in id order.
#[utoipa::path(get, path = "/v1/lending/nft_loans", tag = "lending",
    params(Page),
    responses((status = 200, description = "A page of NFT loans", body = NftLoansPage)))]
pub fn lending_nft_loans<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<NftLoansPage, LendingError> {
    let loans = state.nft_loans(start_after, limit)?;
    let next = (loans.len() == limit)
        .then(|| loans.last().map(|l| l.id))
        .flatten();
    Ok(NftLoansPage { loans, next })
}

/// One NFT loan or offer.
#[utoipa::path(get, path = "/v1/lending/nft_loans/{id}", tag = "lending",
    params(("id" = u64, Path, description = "Loan id")),
    responses((status = 200, description = "The loan", body = NftLoan)))]
pub fn lending_nft_loan<S: StateRead + ?Sized>(
    state: &S,
    id: u64,
) -> Result<NftLoan, LendingError> {
    state.require_nft_loan(id)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn malformed_lending_queries_are_refused_before_reading_state() {
        let p = QueryParams::new();
        assert_eq!(
            LendingQuery::parse(&["lending", "nope"], &p)
                .unwrap_err()
                .status(),
            404
        );
        assert_eq!(
            LendingQuery::parse(&["lending", "nft_loans", "x"], &p)
                .unwrap_err()
                .status(),
            400
        );
        assert_eq!(
            LendingQuery::parse(&["lending", "positions", "fx1no"], &p)
                .unwrap_err()
                .status(),
            400
        );
        assert_eq!(
            LendingQuery::parse(&["lending", "nft_loans", "3"], &p).unwrap(),
            LendingQuery::NftLoan { id: 3 }
        );
    }

    #[test]
    fn every_lending_route_is_in_the_openapi_document() {
        let doc = <LendingQuery as Query>::openapi();
        for route in [
            "/v1/lending/params",
            "/v1/lending/markets",
            "/v1/lending/positions/{address}",
            "/v1/lending/nft_loans",
            "/v1/lending/nft_loans/{id}",
        ] {
            assert!(doc.paths.paths.contains_key(route), "{route} missing");
        }
    }
}
