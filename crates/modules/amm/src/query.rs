//! Read-only queries: a typed request ([`AmmQuery`]) answered from any
//! [`StateRead`] with typed, serializable responses ([`AmmResponse`]). The
//! API layer routes `/v1/amm/…` here; the CLI's `query amm …` asks the
//! same. Quotes run the swap handlers' own planning on the same state, so a
//! quote equals the execution in the next block if no other trade touches
//! the route first.

use fructus_storage::StateRead;
use fructus_types::{Address, Amount, BlockTime, Coin, Denom};

use crate::{
    AmmError, AmmStateReadExt, DenomExpiry, Pool,
    math::{PRICE_FRACTION_BITS, price_q64},
    route::{Plan, plan_exact_in, plan_exact_out},
};

/// Pools one page returns when no limit is given.
pub const DEFAULT_PAGE: u32 = 50;
/// Most pools one page returns.
pub const MAX_PAGE: u32 = 200;

/// An AMM query.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "query")]
pub enum AmmQuery {
    /// Pools in id order: `GET /v1/amm/pools?start_after=&limit=`.
    Pools {
        /// Start after this pool id.
        start_after: Option<u64>,
        /// At most this many (default [`DEFAULT_PAGE`], at most
        /// [`MAX_PAGE`]).
        limit: Option<u32>,
    },
    /// One pool: `GET /v1/amm/pools/{id}`.
    Pool {
        /// The pool.
        id: u64,
    },
    /// What an exact-in swap would pay: `GET /v1/amm/quote?in=&route=`.
    Quote {
        /// What is sold.
        amount_in: Coin,
        /// Pools in order.
        route: Vec<u64>,
    },
    /// What an exact-out swap would cost: `GET /v1/amm/quote-out?out=&route=`.
    QuoteOut {
        /// What is bought.
        amount_out: Coin,
        /// Pools in order (from the input denom).
        route: Vec<u64>,
    },
    /// Time-weighted average prices: `GET /v1/amm/pools/{id}/twap?window_ms=`.
    Twap {
        /// The pool.
        id: u64,
        /// The window ending at the last block (1 ms … the retention).
        window_ms: u64,
    },
}

/// A pool with what a reader needs besides the record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PoolView {
    /// The stored record.
    #[serde(flatten)]
    pub pool: Pool,
    /// Its LP denom.
    pub lp_denom: Denom,
    /// The module account holding its reserves.
    pub account: Address,
    /// Spot price of one `denom_a` in `denom_b` (18 decimals).
    pub price_a_in_b: String,
    /// Spot price of one `denom_b` in `denom_a` (18 decimals).
    pub price_b_in_a: String,
}

/// A page of pools.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PoolsPage {
    /// The pools.
    pub pools: Vec<PoolView>,
    /// Pass as `start_after` for the next page; `None` on the last.
    pub next: Option<u64>,
}

/// A TWAP over the window actually covered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TwapView {
    /// The pool.
    pub pool_id: u64,
    /// The pool's lesser denom.
    pub denom_a: Denom,
    /// Its greater denom.
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

fn param<'a>(
    params: &'a std::collections::BTreeMap<String, String>,
    name: &'static str,
) -> Result<&'a str, AmmError> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| AmmError::field(name, "missing query parameter"))
}

fn number<T: std::str::FromStr>(field: &'static str, s: &str) -> Result<T, AmmError> {
    s.parse()
        .map_err(|_| AmmError::field(field, format!("{s:?} is not a number")))
}

fn route_param(s: &str) -> Result<Vec<u64>, AmmError> {
    s.split(',').map(|id| number("route", id.trim())).collect()
}

impl AmmQuery {
    /// Parses a REST request: the path segments after `/v1/amm/` and the
    /// query parameters (`route` is comma-separated pool ids, coins are
    /// `10000ua`). Refuses an unknown route or a malformed parameter.
    pub fn from_path(
        segments: &[&str],
        params: &std::collections::BTreeMap<String, String>,
    ) -> Result<AmmQuery, AmmError> {
        let coin = |name: &'static str| -> Result<Coin, AmmError> {
            param(params, name)?
                .parse()
                .map_err(|e| AmmError::field(name, e))
        };
        Ok(match segments {
            ["pools"] => AmmQuery::Pools {
                start_after: params
                    .get("start_after")
                    .map(|s| number("start_after", s))
                    .transpose()?,
                limit: params
                    .get("limit")
                    .map(|s| number("limit", s))
                    .transpose()?,
            },
            ["pools", id] => AmmQuery::Pool {
                id: number("id", id)?,
            },
            ["pools", id, "twap"] => AmmQuery::Twap {
                id: number("id", id)?,
                window_ms: number("window_ms", param(params, "window_ms")?)?,
            },
            ["quote"] => AmmQuery::Quote {
                amount_in: coin("in")?,
                route: route_param(param(params, "route")?)?,
            },
            ["quote-out"] => AmmQuery::QuoteOut {
                amount_out: coin("out")?,
                route: route_param(param(params, "route")?)?,
            },
            _ => {
                return Err(AmmError::field(
                    "path",
                    format!(
                        "no route /v1/amm/{}: use pools, pools/ID, pools/ID/twap, quote or quote-out",
                        segments.join("/")
                    ),
                ));
            }
        })
    }

    /// Answers from `state` (committed state: "now" is the last block's
    /// time). `X` is the app's expiry source, as for the messages.
    pub fn answer<X: DenomExpiry, S: StateRead + ?Sized>(
        &self,
        state: &S,
    ) -> Result<AmmResponse, AmmError> {
        let (_, now) = state.amm_clock()?;
        match self {
            AmmQuery::Pools { start_after, limit } => {
                let limit = limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
                let n = usize::try_from(limit).unwrap_or(usize::MAX);
                let pools = state.pools(*start_after, n)?;
                let next = (pools.len() == n)
                    .then(|| pools.last().map(|p| p.id))
                    .flatten();
                Ok(AmmResponse::Pools(PoolsPage {
                    pools: pools.into_iter().map(view).collect(),
                    next,
                }))
            }
            AmmQuery::Pool { id } => Ok(AmmResponse::Pool(view(state.require_pool(*id)?))),
            AmmQuery::Quote { amount_in, route } => {
                crate::msg::check_route(route)?;
                crate::msg::bounded_amount("amount_in", amount_in.amount)?;
                let params = state.amm_params()?;
                let out = walk(state, route, &amount_in.denom, false)?;
                Ok(AmmResponse::Quote(plan_exact_in::<X, S>(
                    state, &params, route, amount_in, &out, now,
                )?))
            }
            AmmQuery::QuoteOut { amount_out, route } => {
                crate::msg::check_route(route)?;
                crate::msg::bounded_amount("amount_out", amount_out.amount)?;
                let params = state.amm_params()?;
                let input = walk(state, route, &amount_out.denom, true)?;
                Ok(AmmResponse::Quote(plan_exact_out::<X, S>(
                    state, &params, route, amount_out, &input, now,
                )?))
            }
            AmmQuery::Twap { id, window_ms } => {
                Ok(AmmResponse::Twap(twap(state, *id, *window_ms, now)?))
            }
        }
    }
}

/// The TWAP of pool `id` over the `window_ms` ending at `now`.
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

    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn rest_paths_parse_into_typed_queries() {
        let params: BTreeMap<String, String> = [
            ("in".to_owned(), "10000ua".to_owned()),
            ("route".to_owned(), "1,2".to_owned()),
            ("window_ms".to_owned(), "60000".to_owned()),
        ]
        .into();
        assert_eq!(
            AmmQuery::from_path(&["quote"], &params).unwrap(),
            AmmQuery::Quote {
                amount_in: "10000ua".parse().unwrap(),
                route: vec![1, 2]
            }
        );
        assert_eq!(
            AmmQuery::from_path(&["pools", "3", "twap"], &params).unwrap(),
            AmmQuery::Twap {
                id: 3,
                window_ms: 60_000
            }
        );
        assert!(AmmQuery::from_path(&["quote-out"], &params).is_err());
        assert!(AmmQuery::from_path(&["nope"], &params).is_err());
        assert_eq!(decimal(3 << 63), "1.500000000000000000");
    }
}
