//! Read-only module queries (STYLE.md §2): the [`Query`] trait each module's
//! `query.rs` implements, the [`QueryError`] its parsing and answering
//! return, and the parsing every query shares (ids, addresses, pages).
//!
//! A module's request enum is parsed from the URL (path segments after
//! `/v1/` and the query string) and validated here, before any state is
//! read; it is then answered from a [`StateRead`] as the route's typed
//! response. The API layer only routes `/v1/<prefix>/…` to the module that
//! declares `<prefix>` and merges [`Query::openapi`] into `/openapi.json`,
//! so the document is generated from the code that serves each route.
//! Queries never write and never see anything but committed state.

use std::collections::BTreeMap;

use fructus_storage::StateRead;
use fructus_types::{Address, BlockHeight, BlockTime};

/// Page size when `limit` is absent.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest page; a larger `limit` is clamped to it.
pub const MAX_LIMIT: usize = 1000;

/// The query string, key → value.
pub type QueryParams = BTreeMap<String, String>;

/// The committed block a query reads the state of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryAt {
    /// Its height.
    pub height: BlockHeight,
    /// Its time.
    pub time: BlockTime,
}

/// Why a query was not answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A path segment or query parameter is malformed (400).
    #[error("bad {what} {got:?}: expected {expected}")]
    BadParam {
        /// Which parameter.
        what: &'static str,
        /// What was sent (truncated).
        got: String,
        /// What it must look like.
        expected: &'static str,
    },
    /// The module serves no such route (404).
    #[error("no {module} route /v1/{path}; see GET /openapi.json for the routes")]
    NoRoute {
        /// The module whose prefix matched.
        module: &'static str,
        /// The path after `/v1/`.
        path: String,
    },
    /// The route exists but the object does not (404).
    #[error("no {what}")]
    NotFound {
        /// What was looked for (`asset 7`).
        what: String,
    },
    /// Reading state failed: a fault of the node, not of the request (500).
    #[error("the {module} state could not be read: {message}")]
    State {
        /// The module.
        module: &'static str,
        /// The underlying error.
        message: String,
    },
    /// The request is well-formed but the state refuses it (a quote through
    /// a pool without the liquidity for the amount) (400).
    #[error("{module}#{code}: {message}")]
    Refused {
        /// The module.
        module: &'static str,
        /// The module's error code.
        code: u32,
        /// The module's error message: what to do.
        message: String,
    },
}

impl QueryError {
    /// The HTTP status it answers with.
    pub fn status(&self) -> u16 {
        match self {
            QueryError::BadParam { .. } | QueryError::Refused { .. } => 400,
            QueryError::NoRoute { .. } | QueryError::NotFound { .. } => 404,
            QueryError::State { .. } => 500,
        }
    }

    /// A state read error of `module`.
    pub fn state(module: &'static str, error: impl std::fmt::Display) -> Self {
        QueryError::State {
            module,
            message: error.to_string(),
        }
    }
}

/// A module's read-only queries: a request enum parsed from the URL and
/// answered from state. Registering the type in the API's module table is
/// all it takes to serve its routes and list them in `/openapi.json`.
pub trait Query: Sized {
    /// The module's name: the OpenAPI tag of its routes.
    const MODULE: &'static str;
    /// The first path segments after `/v1/` this module serves (e.g.
    /// `["devices", "contracts"]`); no two modules share one.
    const PREFIXES: &'static [&'static str];

    /// Parses and validates a request: `path` is the segments after `/v1/`
    /// (the first is one of [`Query::PREFIXES`]), `params` the query
    /// string. Reads no state.
    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError>;

    /// Answers from the committed `state` of block `at`, as the JSON of
    /// the route's typed response.
    fn answer<S: StateRead + ?Sized>(
        self,
        state: &S,
        at: QueryAt,
    ) -> Result<serde_json::Value, QueryError>;

    /// The module's routes, parameters and response schemas.
    fn openapi() -> utoipa::openapi::OpenApi;
}

/// The page parameters of list routes.
#[derive(Debug, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Start after this id or address (exclusive): the last item of the
    /// previous page.
    pub start_after: Option<String>,
    /// Page size (default 100, clamped to 1..=1000).
    pub limit: Option<u32>,
}

/// The first 80 characters of `s`, for echoing input in messages.
fn echo(s: &str) -> String {
    s.chars().take(80).collect()
}

/// A numeric id (decimal `u64`); `what` names it in the error.
pub fn id(raw: &str, what: &'static str) -> Result<u64, QueryError> {
    raw.parse().map_err(|_| QueryError::BadParam {
        what,
        got: echo(raw),
        expected: "a decimal number (u64)",
    })
}

/// A bech32 `fx1…` address; `what` names it in the error.
pub fn address(raw: &str, what: &'static str) -> Result<Address, QueryError> {
    raw.parse().map_err(|_| QueryError::BadParam {
        what,
        got: echo(raw),
        expected: "a bech32 address fx1…",
    })
}

/// `?limit=`, defaulted to [`DEFAULT_LIMIT`] and clamped to 1..=[`MAX_LIMIT`].
pub fn limit(params: &QueryParams) -> Result<usize, QueryError> {
    match params.get("limit").map(String::as_str) {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(raw) => raw
            .parse::<usize>()
            .map(|l| l.clamp(1, MAX_LIMIT))
            .map_err(|_| QueryError::BadParam {
                what: "limit",
                got: echo(raw),
                expected: "a number from 1 to 1000",
            }),
    }
}

/// `?start_after=` as an id, if given.
pub fn start_after_id(params: &QueryParams) -> Result<Option<u64>, QueryError> {
    params
        .get("start_after")
        .filter(|s| !s.is_empty())
        .map(|s| id(s, "start_after"))
        .transpose()
}

/// `?start_after=` as an address, if given.
pub fn start_after_address(params: &QueryParams) -> Result<Option<Address>, QueryError> {
    params
        .get("start_after")
        .filter(|s| !s.is_empty())
        .map(|s| address(s, "start_after"))
        .transpose()
}

/// `value`, or [`QueryError::NotFound`] naming `what`.
pub fn found<T>(value: Option<T>, what: impl FnOnce() -> String) -> Result<T, QueryError> {
    value.ok_or_else(|| QueryError::NotFound { what: what() })
}

/// A typed response as JSON.
pub fn respond<T: serde::Serialize>(
    module: &'static str,
    value: &T,
) -> Result<serde_json::Value, QueryError> {
    serde_json::to_value(value).map_err(|e| QueryError::state(module, e))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn malformed_query_input_is_a_bad_param_that_names_it() {
        let e = id("x7", "asset id").unwrap_err();
        assert_eq!(e.status(), 400);
        assert!(e.to_string().contains("asset id"), "{e}");
        assert_eq!(address("fx1nope", "device").unwrap_err().status(), 400);
        let mut p = QueryParams::new();
        assert_eq!(limit(&p).unwrap(), DEFAULT_LIMIT);
        p.insert("limit".to_owned(), "5000".to_owned());
        assert_eq!(limit(&p).unwrap(), MAX_LIMIT);
        p.insert("limit".to_owned(), "0".to_owned());
        assert_eq!(limit(&p).unwrap(), 1);
        p.insert("limit".to_owned(), "many".to_owned());
        assert_eq!(limit(&p).unwrap_err().status(), 400);
        p.insert("start_after".to_owned(), "12".to_owned());
        assert_eq!(start_after_id(&p).unwrap(), Some(12));
        assert_eq!(start_after_address(&p).unwrap_err().status(), 400);
    }
}
