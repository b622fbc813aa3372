//! Read-only queries under `GET /v1/amm/…`: [`AmmQuery`] is parsed and
//! validated from the URL before any state is read and answered with typed
//! responses ([`AmmResponse`]); each route is answered by one function below
//! whose `#[utoipa::path]` is its entry in `/openapi.json`. The API serves
//! them through [`AmmQueries`], the [`Query`] implementation that names the
//! app's expiry source; the CLI's `query amm …` asks the same paths. Quotes
//! run the swap handlers' own planning on the same state, so a quote equals
//! the execution in the next block if no other trade touches the route
//! first.

use std::marker::PhantomData;

use fructus_component::{
    ErrorCode,
    query::{Page, Query, QueryAt, QueryError, QueryParams, id, limit, respond, start_after_id},
};
use fructus_storage::StateRead;
use fructus_types::{Address, Amount, BlockTime, Coin, Denom};

use crate::{
    AmmError, AmmStateReadExt, DenomExpiry, Pool,
    math::{PRICE_FRACTION_BITS, price_q64},
    route::{Plan, plan_exact_in, plan_exact_out},
};

const MODULE: &str = "amm";

/// A request to the AMM, parsed from `/v1/amm/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmmQuery {
    /// `amm/pools?start_after=&limit=`: pools in id order.
    Pools {
        /// Start after this pool id.
        start_after: Option<u64>,
        /// Page size (1 … 1000).
        limit: usize,
    },
    /// `amm/pools/{id}`: one pool.
    Pool {
        /// The pool.
        id: u64,
    },
    /// `amm/quote?in=&route=`: what an exact-in swap would pay.
    Quote {
        /// What is sold.
        amount_in: Coin,
        /// Pools in order.
        route: Vec<u64>,
    },
    /// `amm/quote-out?out=&route=`: what an exact-out swap would cost.
    QuoteOut {
        /// What is bought.
        amount_out: Coin,
        /// Pools in order (from the input denom).
        route: Vec<u64>,
    },
    /// `amm/pools/{id}/twap?window_ms=`: time-weighted average prices.
    Twap {
        /// The pool.
        id: u64,
        /// The window ending at the last block (1 ms … the retention).
        window_ms: u64,
    },
}

/// A pool with what a reader needs besides the record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PoolView {
    /// The stored record (`fructus_amm::Pool`: id, denoms, reserves,
    /// liquidity, fee, creator, accumulators), flattened.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub pool: Pool,
    /// Its LP denom.
    #[schema(value_type = String)]
    pub lp_denom: Denom,
    /// The module account holding its reserves.
    #[schema(value_type = String)]
    pub account: Address,
    /// Spot price of one `denom_a` in `denom_b` (18 decimals).
    pub price_a_in_b: String,
    /// Spot price of one `denom_b` in `denom_a` (18 decimals).
    pub price_b_in_a: String,
}

/// A page of pools.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PoolsPage {
    /// The pools.
    pub pools: Vec<PoolView>,
    /// Pass as `start_after` for the next page; `None` on the last.
    pub next: Option<u64>,
}

/// A TWAP over the window actually covered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TwapView {
    /// The pool.
    pub pool_id: u64,
    /// The pool's lesser denom.
    #[schema(value_type = String)]
    pub denom_a: Denom,
    /// Its greater denom.
    #[schema(value_type = String)]
    pub denom_b: Denom,
    /// The window asked for, ms.
    pub requested_window_ms: u64,
    /// Start of the window covered (block time, ms): the observation used,
    /// which may be before the requested start (observations are spaced by
    /// `observation_interval_ms`) or after it (the pool is younger, or its
    /// older observations were pruned).
    pub from_ms: u64,
    /// End of the window covered: the last block's time.
    pub to_ms: u64,
    /// `to_ms − from_ms`.
    pub covered_ms: u64,
    /// Average price of one `denom_a` in `denom_b` (18 decimals).
    pub price_a_in_b: String,
    /// Average price of one `denom_b` in `denom_a` (18 decimals).
    pub price_b_in_a: String,
    /// The same, as Q64.64 fixed point (decimal string of the raw value).
    pub price_a_in_b_q64: String,
    /// The same, as Q64.64 fixed point.
    pub price_b_in_a_q64: String,
}

/// The answer to an [`AmmQuery`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum AmmResponse {
    /// To [`AmmQuery::Pools`].
    Pools(PoolsPage),
    /// To [`AmmQuery::Pool`].
    Pool(PoolView),
    /// To [`AmmQuery::Quote`] and [`AmmQuery::QuoteOut`].
    Quote(Plan),
    /// To [`AmmQuery::Twap`].
    Twap(TwapView),
}

/// The AMM's queries as the API serves them: [`AmmQuery`] answered with
/// the app's expiry source `X` (the app's `AmmExpiry`; the API's module
/// table names the same type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmmQueries<X> {
    /// The request.
    pub query: AmmQuery,
    expiry: PhantomData<fn() -> X>,
}

impl<X: DenomExpiry> Query for AmmQueries<X> {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["amm"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        Ok(AmmQueries {
            query: AmmQuery::parse(path, params)?,
            expiry: PhantomData,
        })
    }

    fn answer<S: StateRead + ?Sized>(
        self,
        state: &S,
        _at: QueryAt,
    ) -> Result<serde_json::Value, QueryError> {
        let response = self.query.answer::<X, S>(state).map_err(query_error)?;
        respond(MODULE, &response)
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        AmmApi::openapi()
    }
}

/// The AMM's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(pools, pool, quote, quote_out, twap),
    components(schemas(PoolsPage, PoolView, TwapView, Plan, crate::route::Hop))
)]
struct AmmApi;

/// An [`AmmError`] as a query's refusal: a storage fault stays internal
/// (500), an unknown pool is 404, anything else — a route that does not
/// connect, too little liquidity for the amount, an expired denom, an
/// out-of-range window — is the request's fault (400, with the module's
/// code).
fn query_error(e: AmmError) -> QueryError {
    if e.is_internal() {
        return QueryError::state(MODULE, e);
    }
    match e {
        AmmError::PoolNotFound { pool_id } => QueryError::NotFound {
            what: format!("pool {pool_id}: list pools with GET /v1/amm/pools"),
        },
        other => QueryError::Refused {
            module: MODULE,
            code: other.code(),
            message: other.to_string(),
        },
    }
}

fn param<'a>(params: &'a QueryParams, name: &'static str) -> Result<&'a str, QueryError> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| QueryError::BadParam {
            what: name,
            got: String::new(),
            expected: "a value (the parameter is required)",
        })
}

fn coin(params: &QueryParams, name: &'static str) -> Result<Coin, QueryError> {
    let raw = param(params, name)?;
    raw.parse().map_err(|_| QueryError::BadParam {
        what: name,
        got: raw.chars().take(80).collect(),
        expected: "an amount and a denom, e.g. 10000uusd",
    })
}

fn route(params: &QueryParams) -> Result<Vec<u64>, QueryError> {
    let route = param(params, "route")?
        .split(',')
        .map(|pool| id(pool.trim(), "route"))
        .collect::<Result<Vec<u64>, _>>()?;
    crate::msg::check_route(&route).map_err(query_error)?;
    Ok(route)
}

impl AmmQuery {
    /// Parses and validates a request: `path` is the segments after `/v1/`
    /// (`amm`, then the route), `params` the query string (`route` is
    /// comma-separated pool ids, coins are `10000uusd`). Refuses an unknown
    /// route, a malformed or out-of-bounds parameter; reads no state.
    pub fn parse(path: &[&str], params: &QueryParams) -> Result<AmmQuery, QueryError> {
        let query = match path {
            ["amm", "pools"] => AmmQuery::Pools {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["amm", "pools", pool] => AmmQuery::Pool {
                id: id(pool, "pool id")?,
            },
            ["amm", "pools", pool, "twap"] => AmmQuery::Twap {
                id: id(pool, "pool id")?,
                window_ms: id(param(params, "window_ms")?, "window_ms")?,
            },
            ["amm", "quote"] => AmmQuery::Quote {
                amount_in: coin(params, "in")?,
                route: route(params)?,
            },
            ["amm", "quote-out"] => AmmQuery::QuoteOut {
                amount_out: coin(params, "out")?,
                route: route(params)?,
            },
            _ => {
                return Err(QueryError::NoRoute {
                    module: MODULE,
                    path: path.join("/"),
                });
            }
        };
        match &query {
            AmmQuery::Quote { amount_in: c, .. } => {
                crate::msg::bounded_amount("in", c.amount).map_err(query_error)?;
            }
            AmmQuery::QuoteOut { amount_out: c, .. } => {
                crate::msg::bounded_amount("out", c.amount).map_err(query_error)?;
            }
            _ => {}
        }
        Ok(query)
    }

    /// Answers from `state` (committed state: "now" is the last block's
    /// time). `X` is the app's expiry source, as for the messages.
    pub fn answer<X: DenomExpiry, S: StateRead + ?Sized>(
        &self,
        state: &S,
    ) -> Result<AmmResponse, AmmError> {
        let (_, now) = state.amm_clock()?;
        Ok(match self {
            AmmQuery::Pools { start_after, limit } => {
                AmmResponse::Pools(pools(state, *start_after, *limit)?)
            }
            AmmQuery::Pool { id } => AmmResponse::Pool(pool(state, *id)?),
            AmmQuery::Quote { amount_in, route } => {
                AmmResponse::Quote(quote::<X, S>(state, amount_in, route, now)?)
            }
            AmmQuery::QuoteOut { amount_out, route } => {
                AmmResponse::Quote(quote_out::<X, S>(state, amount_out, route, now)?)
            }
            AmmQuery::Twap { id, window_ms } => {
                AmmResponse::Twap(twap(state, *id, *window_ms, now)?)
            }
        })
    }
}

/// A Q64.64 price as a decimal with 18 places.
pub fn decimal(q64: u128) -> String {
    let int = q64 >> PRICE_FRACTION_BITS;
    let frac = q64 & (u128::from(u64::MAX));
    let digits = Amount::new(frac)
        .mul_div_floor(1_000_000_000_000_000_000, 1u128 << PRICE_FRACTION_BITS)
        .map_or(0, Amount::value);
    format!("{int}.{digits:018}")
}

fn view(pool: Pool) -> PoolView {
    let (a, b) = (pool.reserve_a.value(), pool.reserve_b.value());
    PoolView {
        lp_denom: pool.lp_denom(),
        account: pool.account(),
        price_a_in_b: decimal(price_q64(a, b)),
        price_b_in_a: decimal(price_q64(b, a)),
        pool,
    }
}

/// The denom a route starting (or, `backward`, ending) in `denom` reaches.
fn walk<S: StateRead + ?Sized>(
    state: &S,
    route: &[u64],
    denom: &Denom,
    backward: bool,
) -> Result<Denom, AmmError> {
    let mut current = denom.clone();
    let order: Vec<(usize, &u64)> = if backward {
        route.iter().enumerate().rev().collect()
    } else {
        route.iter().enumerate().collect()
    };
    for (hop, &id) in order {
        let pool = state.require_pool(id)?;
        current = pool
            .side(&current)
            .map(|(_, _, other)| other.clone())
            .ok_or_else(|| AmmError::RouteDisconnected {
                hop,
                pool_id: id,
                reason: format!(
                    "the pool holds {} and {}, not {current}",
                    pool.denom_a, pool.denom_b
                ),
            })?;
    }
    Ok(current)
}

/// Pools in id order.
#[utoipa::path(get, path = "/v1/amm/pools", tag = "amm",
    params(Page),
    responses((status = 200, description = "A page of pools", body = PoolsPage)))]
pub fn pools<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<PoolsPage, AmmError> {
    let pools = state.pools(start_after, limit)?;
    let next = (pools.len() == limit)
        .then(|| pools.last().map(|p| p.id))
        .flatten();
    Ok(PoolsPage {
        pools: pools.into_iter().map(view).collect(),
        next,
    })
}

/// One pool, with its LP denom, account and spot prices.
#[utoipa::path(get, path = "/v1/amm/pools/{id}", tag = "amm",
    params(("id" = u64, Path, description = "Pool id")),
    responses((status = 200, description = "The pool", body = PoolView)))]
pub fn pool<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<PoolView, AmmError> {
    Ok(view(state.require_pool(id)?))
}

/// What an exact-in swap of `in` along `route` would pay now, hop by hop.
#[utoipa::path(get, path = "/v1/amm/quote", tag = "amm",
    params(
        ("in" = String, Query, description = "What is sold, e.g. 10000uusd"),
        ("route" = String, Query, description = "Pool ids in order, comma-separated (1 to 4)"),
    ),
    responses((status = 200, description = "The planned swap", body = Plan)))]
pub fn quote<X: DenomExpiry, S: StateRead + ?Sized>(
    state: &S,
    amount_in: &Coin,
    route: &[u64],
    now: BlockTime,
) -> Result<Plan, AmmError> {
    let params = state.amm_params()?;
    let out = walk(state, route, &amount_in.denom, false)?;
    plan_exact_in::<X, S>(state, &params, route, amount_in, &out, now)
}

/// What an exact-out swap buying `out` along `route` would cost now.
#[utoipa::path(get, path = "/v1/amm/quote-out", tag = "amm",
    params(
        ("out" = String, Query, description = "What is bought, e.g. 10000uusd"),
        ("route" = String, Query, description = "Pool ids in order from the input denom, comma-separated (1 to 4)"),
    ),
    responses((status = 200, description = "The planned swap", body = Plan)))]
pub fn quote_out<X: DenomExpiry, S: StateRead + ?Sized>(
    state: &S,
    amount_out: &Coin,
    route: &[u64],
    now: BlockTime,
) -> Result<Plan, AmmError> {
    let params = state.amm_params()?;
    let input = walk(state, route, &amount_out.denom, true)?;
    plan_exact_out::<X, S>(state, &params, route, amount_out, &input, now)
}

/// The TWAP of pool `id` over the `window_ms` ending at `now`.
#[utoipa::path(get, path = "/v1/amm/pools/{id}/twap", tag = "amm",
    params(
        ("id" = u64, Path, description = "Pool id"),
        ("window_ms" = u64, Query, description = "The window ending at the last block, ms (1 to the retention)"),
    ),
    responses((status = 200, description = "Average prices over the window actually covered", body = TwapView)))]
pub fn twap<S: StateRead + ?Sized>(
    state: &S,
    id: u64,
    window_ms: u64,
    now: BlockTime,
) -> Result<TwapView, AmmError> {
    let params = state.amm_params()?;
    if window_ms == 0 || window_ms > params.twap_retention_ms {
        return Err(AmmError::field(
            "window_ms",
            format!("1 to {} ms (the retention)", params.twap_retention_ms),
        ));
    }
    let pool = state.require_pool(id)?;
    let start = now.0.saturating_sub(window_ms);
    let spot = (
        price_q64(pool.reserve_a.value(), pool.reserve_b.value()),
        price_q64(pool.reserve_b.value(), pool.reserve_a.value()),
    );
    // Untouched since before the window: the price was constant over it.
    let (from_ms, (pa, pb)) = if pool.twap.updated_ms <= start {
        (start, spot)
    } else {
        match state.observation_at_or_before(&pool, start)? {
            Some(obs) if obs.time_ms < now.0 => {
                let (cum_a, cum_b) = pool.cumulative_at(now.0);
                let dt = now.0.saturating_sub(obs.time_ms);
                (
                    obs.time_ms,
                    (
                        cum_a.since(obs.cumulative_a).average(dt).unwrap_or(spot.0),
                        cum_b.since(obs.cumulative_b).average(dt).unwrap_or(spot.1),
                    ),
                )
            }
            _ => (now.0, spot),
        }
    };
    Ok(TwapView {
        pool_id: pool.id,
        denom_a: pool.denom_a.clone(),
        denom_b: pool.denom_b.clone(),
        requested_window_ms: window_ms,
        from_ms,
        to_ms: now.0,
        covered_ms: now.0.saturating_sub(from_ms),
        price_a_in_b: decimal(pa),
        price_b_in_a: decimal(pb),
        price_a_in_b_q64: pa.to_string(),
        price_b_in_a_q64: pb.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn params(pairs: &[(&str, &str)]) -> QueryParams {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn rest_paths_parse_into_typed_queries() {
        let p = params(&[("in", "10000ua"), ("route", "1,2"), ("window_ms", "60000")]);
        assert_eq!(
            AmmQuery::parse(&["amm", "quote"], &p).unwrap(),
            AmmQuery::Quote {
                amount_in: "10000ua".parse().unwrap(),
                route: vec![1, 2]
            }
        );
        assert_eq!(
            AmmQuery::parse(&["amm", "pools", "3", "twap"], &p).unwrap(),
            AmmQuery::Twap {
                id: 3,
                window_ms: 60_000
            }
        );
        assert_eq!(
            AmmQuery::parse(&["amm", "pools"], &params(&[("limit", "5")])).unwrap(),
            AmmQuery::Pools {
                start_after: None,
                limit: 5
            }
        );
        assert_eq!(decimal(3 << 63), "1.500000000000000000");
    }

    #[test]
    fn malformed_amm_queries_are_refused_before_reading_state() {
        let p = params(&[("in", "10000ua"), ("route", "1,2")]);
        // `out` missing, an unknown route, a bad id, a route too long, a
        // zero amount: 400 or 404, all before any state is read.
        assert_eq!(
            AmmQuery::parse(&["amm", "quote-out"], &p)
                .unwrap_err()
                .status(),
            400
        );
        assert_eq!(
            AmmQuery::parse(&["amm", "nope"], &p).unwrap_err().status(),
            404
        );
        assert_eq!(
            AmmQuery::parse(&["amm", "pools", "x"], &p)
                .unwrap_err()
                .status(),
            400
        );
        let long = params(&[("in", "1ua"), ("route", "1,2,3,4,5")]);
        assert_eq!(
            AmmQuery::parse(&["amm", "quote"], &long)
                .unwrap_err()
                .status(),
            400
        );
        let zero = params(&[("in", "0ua"), ("route", "1")]);
        assert_eq!(
            AmmQuery::parse(&["amm", "quote"], &zero)
                .unwrap_err()
                .status(),
            400
        );
    }

    #[test]
    fn every_amm_route_is_in_the_openapi_document() {
        let doc = <AmmQueries<crate::NoExpiry> as Query>::openapi();
        for route in [
            "/v1/amm/pools",
            "/v1/amm/pools/{id}",
            "/v1/amm/pools/{id}/twap",
            "/v1/amm/quote",
            "/v1/amm/quote-out",
        ] {
            assert!(doc.paths.paths.contains_key(route), "{route} missing");
        }
    }
}
