//! Read-only queries under `GET /v1/oracle/…`: [`OracleQuery`] is parsed
//! and validated from the URL before any state is read and answered with
//! typed responses ([`OracleResponse`]); each route is answered by one
//! function below whose `#[utoipa::path]` is its entry in
//! `/openapi.json`. The CLI's `query oracle …` asks the same paths.

use fructus_component::{
    ErrorCode,
    query::{Query, QueryAt, QueryError, QueryParams, respond},
};
use fructus_storage::StateRead;
use fructus_types::{BlockTime, Denom};

use crate::{
    FeederRecord, OracleError, OracleStateReadExt, PairState, PendingChange, PriceView,
    params::MAX_PAIRS,
};

const MODULE: &str = "oracle";

/// A request to the oracle, parsed from `/v1/oracle/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OracleQuery {
    /// `oracle/feeders`: active feeders and pending changes.
    Feeders,
    /// `oracle/pairs`: every pair's aggregate.
    Pairs,
    /// `oracle/price?base=&quote=`: the price a consumer would use now.
    Price {
        /// What is priced.
        base: Denom,
        /// What it is priced in.
        quote: Denom,
    },
}

/// The feeder set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FeedersView {
    /// Active feeders, in address order.
    pub active: Vec<FeederRecord>,
    /// Changes waiting for their delay.
    pub pending: Vec<PendingChange>,
}

/// Every pair.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PairsView {
    /// The pairs, in key order (at most 256).
    pub pairs: Vec<PairState>,
}

/// The answer to an [`OracleQuery`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum OracleResponse {
    /// To [`OracleQuery::Feeders`].
    Feeders(FeedersView),
    /// To [`OracleQuery::Pairs`].
    Pairs(PairsView),
    /// To [`OracleQuery::Price`].
    Price(PriceView),
}

impl Query for OracleQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["oracle"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        OracleQuery::parse_request(path, params)
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
        OracleApi::openapi()
    }
}

/// The oracle's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(feeders, pairs, price),
    components(schemas(
        FeedersView,
        PairsView,
        PriceView,
        PairState,
        FeederRecord,
        PendingChange
    ))
)]
struct OracleApi;

fn query_error(e: OracleError) -> QueryError {
    if e.is_internal() {
        return QueryError::state(MODULE, e);
    }
    QueryError::Refused {
        module: MODULE,
        code: e.code(),
        message: e.to_string(),
    }
}

fn denom(params: &QueryParams, name: &'static str) -> Result<Denom, QueryError> {
    let raw = params.get(name).map(String::as_str).unwrap_or("");
    raw.parse().map_err(|_| QueryError::BadParam {
        what: name,
        got: raw.chars().take(80).collect(),
        expected: "a denom, e.g. ufrx or share/1",
    })
}

impl OracleQuery {
    /// Parses and validates a request (`path` after `/v1/`); reads no
    /// state.
    pub fn parse_request(path: &[&str], params: &QueryParams) -> Result<OracleQuery, QueryError> {
        Ok(match path {
            ["oracle", "feeders"] => OracleQuery::Feeders,
            ["oracle", "pairs"] => OracleQuery::Pairs,
            ["oracle", "price"] => {
                let base = denom(params, "base")?;
                let quote = denom(params, "quote")?;
                OracleQuery::Price { base, quote }
            }
            _ => {
                return Err(QueryError::NoRoute {
                    module: MODULE,
                    path: path.join("/"),
                });
            }
        })
    }

    /// Answers from `state` at block time `now`.
    pub fn answer_at<S: StateRead + ?Sized>(
        &self,
        state: &S,
        now: BlockTime,
    ) -> Result<OracleResponse, OracleError> {
        Ok(match self {
            OracleQuery::Feeders => OracleResponse::Feeders(feeders(state)?),
            OracleQuery::Pairs => OracleResponse::Pairs(pairs(state)?),
            OracleQuery::Price { base, quote } => {
                OracleResponse::Price(price(state, base, quote, now)?)
            }
        })
    }
}

/// Active feeders and pending feeder-set changes.
#[utoipa::path(get, path = "/v1/oracle/feeders", tag = "oracle",
    responses((status = 200, description = "The feeder set", body = FeedersView)))]
pub fn feeders<S: StateRead + ?Sized>(state: &S) -> Result<FeedersView, OracleError> {
    Ok(FeedersView {
        active: state.feeders()?,
        pending: state.pending_changes()?,
    })
}

/// Every pair's median, its time and its TWAP points.
#[utoipa::path(get, path = "/v1/oracle/pairs", tag = "oracle",
    responses((status = 200, description = "Every pair", body = PairsView)))]
pub fn pairs<S: StateRead + ?Sized>(state: &S) -> Result<PairsView, OracleError> {
    let limit = usize::try_from(MAX_PAIRS).unwrap_or(usize::MAX);
    Ok(PairsView {
        pairs: state.pairs(None, limit)?,
    })
}

/// The price of `base` in `quote` a consumer would use now (×10^18), its
/// TWAP, source and stale flag.
#[utoipa::path(get, path = "/v1/oracle/price", tag = "oracle",
    params(
        ("base" = String, Query, description = "The priced denom"),
        ("quote" = String, Query, description = "The denom it is priced in"),
    ),
    responses((status = 200, description = "The price", body = PriceView)))]
pub fn price<S: StateRead + ?Sized>(
    state: &S,
    base: &Denom,
    quote: &Denom,
    now: BlockTime,
) -> Result<PriceView, OracleError> {
    state.price_view(base, quote, now)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn malformed_oracle_queries_are_refused_before_reading_state() {
        let mut p = QueryParams::new();
        assert_eq!(
            OracleQuery::parse(&["oracle", "nope"], &p)
                .unwrap_err()
                .status(),
            404
        );
        assert_eq!(
            OracleQuery::parse(&["oracle", "price"], &p)
                .unwrap_err()
                .status(),
            400
        );
        p.insert("base".into(), "share/1".into());
        p.insert("quote".into(), "uusd".into());
        assert_eq!(
            OracleQuery::parse(&["oracle", "price"], &p).unwrap(),
            OracleQuery::Price {
                base: "share/1".parse().unwrap(),
                quote: "uusd".parse().unwrap()
            }
        );
    }

    #[test]
    fn every_oracle_route_is_in_the_openapi_document() {
        let doc = <OracleQuery as Query>::openapi();
        for route in ["/v1/oracle/feeders", "/v1/oracle/pairs", "/v1/oracle/price"] {
            assert!(doc.paths.paths.contains_key(route), "{route} missing");
        }
    }
}
