//! The parsing every module query shares: ids, addresses, page sizes and
//! cursors from the URL, and JSON rendering, each with a typed `api` error
//! that says what was wrong.

use std::collections::BTreeMap;

use fructus_crypto::Address;
use fructus_rpc::ApiError;

/// Page size when `limit` is absent.
pub(crate) const DEFAULT_LIMIT: usize = 100;
/// Largest page (a larger `limit` is clamped to it).
pub(crate) const MAX_LIMIT: usize = 1000;

/// A numeric id from a path segment; `what` names it in the error.
pub(crate) fn id(raw: &str, what: &str) -> Result<u64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::bad_request(format!("{what} must be a number, got {raw:?}")))
}

/// A bech32 address from a path segment.
pub(crate) fn address(raw: &str) -> Result<Address, ApiError> {
    raw.parse()
        .map_err(|e: fructus_crypto::CryptoError| ApiError::bad_request(e.to_string()))
}

/// `?limit=`, defaulted and clamped to 1..=[`MAX_LIMIT`].
pub(crate) fn limit(params: &BTreeMap<String, String>) -> Result<usize, ApiError> {
    match params.get("limit").map(String::as_str) {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(raw) => raw
            .parse::<usize>()
            .map(|l| l.clamp(1, MAX_LIMIT))
            .map_err(|_| ApiError::bad_request(format!("bad limit {raw:?}"))),
    }
}

/// `?start_after=` as an id, if given.
pub(crate) fn start_id(params: &BTreeMap<String, String>) -> Result<Option<u64>, ApiError> {
    params
        .get("start_after")
        .filter(|s| !s.is_empty())
        .map(|s| id(s, "start_after"))
        .transpose()
}

/// `value` as JSON.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::new(500, "node", 1, e.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn bad_input_is_a_400_that_names_it() {
        let e = id("x7", "asset id").unwrap_err();
        assert_eq!((e.status, e.code), (400, 1));
        assert!(e.message.contains("asset id"), "{e}");
        assert_eq!(address("fx1nope").unwrap_err().status, 400);
        let mut p = BTreeMap::new();
        assert_eq!(limit(&p).unwrap(), DEFAULT_LIMIT);
        p.insert("limit".to_owned(), "5000".to_owned());
        assert_eq!(limit(&p).unwrap(), MAX_LIMIT);
        p.insert("limit".to_owned(), "0".to_owned());
        assert_eq!(limit(&p).unwrap(), 1);
        p.insert("limit".to_owned(), "many".to_owned());
        assert_eq!(limit(&p).unwrap_err().status, 400);
        p.insert("start_after".to_owned(), "12".to_owned());
        assert_eq!(start_id(&p).unwrap(), Some(12));
    }
}
