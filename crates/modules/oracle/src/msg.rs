//! The messages the oracle accepts, parsed and validated from the wire
//! (`proto/fructus/oracle/v1/msgs.proto`). Every bound a user-chosen
//! number has is checked here, before state (docs/security.md rule 2):
//!
//! | field | bound | why |
//! |---|---|---|
//! | `price` | 1 … [`MAX_PRICE`] = 10^36 | a price times an amount of at most 2^128 stays within the 256-bit multiply-divide; zero is never a price |
//! | `base`, `quote` | valid, different denoms | a pair prices one denom in another |
//! | `reason` | 1 … [`MAX_REASON_LEN`] bytes | goes into an event |

use fructus_proto::oracle::v1 as pb;
use fructus_types::{Address, Denom};

use crate::{MAX_PRICE, OracleError, Pair};

/// Longest revocation reason.
pub const MAX_REASON_LEN: usize = 256;

/// A regulator accredits a feeder (effective after the delay).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccreditFeeder {
    /// The feeder.
    pub feeder: Address,
}

/// A regulator revokes a feeder (effective after the delay).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeFeeder {
    /// The feeder.
    pub feeder: Address,
    /// Why (into the event).
    pub reason: String,
}

/// A feeder posts a price for the current window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubmitPrice {
    /// The pair.
    pub pair: Pair,
    /// The price (×10^18, 1 … [`MAX_PRICE`]).
    pub price: u128,
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, OracleError> {
    Address::from_slice(bytes).map_err(|e| OracleError::field(field, e))
}

fn denom(field: &'static str, raw: &str) -> Result<Denom, OracleError> {
    raw.parse().map_err(|e| OracleError::field(field, e))
}

/// A price within its bound: 1 … [`MAX_PRICE`].
pub fn parse_price(raw: &str) -> Result<u128, OracleError> {
    let price: u128 = raw.parse().map_err(|_| {
        OracleError::field(
            "price",
            format!("{raw:?} is not a base-10 integer (the price × 10^18)"),
        )
    })?;
    if price == 0 || price > MAX_PRICE {
        return Err(OracleError::field(
            "price",
            "must be 1 to 10^36 (the price × 10^18)",
        ));
    }
    Ok(price)
}

/// A pair of two different denoms.
pub fn pair(base: Denom, quote: Denom) -> Result<Pair, OracleError> {
    if base == quote {
        return Err(OracleError::field(
            "quote",
            format!("{base} cannot be priced in itself"),
        ));
    }
    Ok(Pair { base, quote })
}

impl TryFrom<&pb::MsgAccreditFeeder> for AccreditFeeder {
    type Error = OracleError;
    fn try_from(m: &pb::MsgAccreditFeeder) -> Result<Self, OracleError> {
        Ok(AccreditFeeder {
            feeder: address("feeder", &m.feeder)?,
        })
    }
}

impl TryFrom<&pb::MsgRevokeFeeder> for RevokeFeeder {
    type Error = OracleError;
    fn try_from(m: &pb::MsgRevokeFeeder) -> Result<Self, OracleError> {
        if m.reason.is_empty() || m.reason.len() > MAX_REASON_LEN {
            return Err(OracleError::field(
                "reason",
                format!("1 to {MAX_REASON_LEN} bytes"),
            ));
        }
        Ok(RevokeFeeder {
            feeder: address("feeder", &m.feeder)?,
            reason: m.reason.clone(),
        })
    }
}

impl TryFrom<&pb::MsgSubmitPrice> for SubmitPrice {
    type Error = OracleError;
    fn try_from(m: &pb::MsgSubmitPrice) -> Result<Self, OracleError> {
        Ok(SubmitPrice {
            pair: pair(denom("base", &m.base)?, denom("quote", &m.quote)?)?,
            price: parse_price(&m.price)?,
        })
    }
}
