//! The messages the AMM accepts, parsed and validated from the wire.
//! Every bound a user-chosen number has is checked here, before state
//! (docs/security.md rule 2):
//!
//! | field | bound | why |
//! |---|---|---|
//! | every amount | 1 … [`MAX_AMOUNT`] = 2^112−1 | keeps every product of the pool math within 256 bits and every sum within u128 (see [`crate::math`]) |
//! | `fee_bps` | 0 (the default) or [`MIN_FEE_BPS`] … [`MAX_FEE_BPS`] | `10000 − fee` stays positive; 10 % is already far above any real pool |
//! | `route` | 1 … [`MAX_ROUTE`] distinct nonzero pool ids | bounds a swap's work; a pool visited twice would make the quote differ from the execution |
//! | `min_out` of a withdrawal | at most 2 coins, one per denom | a pool has two denoms |
//! | `deadline_ms` | any (0 = none) | only compared with the block time |
//!
//! Messages are generic over the [`DenomExpiry`] the app chose (see
//! [`crate::expiry`]); it carries no data.

use std::marker::PhantomData;

use fructus_proto::amm::v1 as pb;
use fructus_types::{Amount, Coin, Coins};

use crate::{AmmError, DenomExpiry, NoExpiry, lp_denom, math::MAX_AMOUNT};

/// Most pools one swap route visits.
pub const MAX_ROUTE: usize = 4;
/// Lowest explicit pool fee, basis points.
pub const MIN_FEE_BPS: u16 = 1;
/// Highest pool fee, basis points (10 %).
pub const MAX_FEE_BPS: u16 = 1_000;

/// The one pool of an unordered denom pair, with its first deposit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreatePool<X = NoExpiry> {
    /// First deposit of one denom.
    pub amount_a: Coin,
    /// First deposit of the other.
    pub amount_b: Coin,
    /// The pool's fee; `None` takes the parameter `default_fee_bps`.
    pub fee_bps: Option<u16>,
    #[serde(skip)]
    expiry: PhantomData<X>,
}

/// A later deposit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AddLiquidity<X = NoExpiry> {
    /// The pool.
    pub pool_id: u64,
    /// At most this much of one of its denoms.
    pub max_a: Coin,
    /// At most this much of the other.
    pub max_b: Coin,
    /// Refused if fewer LP units would be minted.
    pub min_lp: Amount,
    #[serde(skip)]
    expiry: PhantomData<X>,
}

/// A withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemoveLiquidity<X = NoExpiry> {
    /// The pool.
    pub pool_id: u64,
    /// LP units to burn (denom `lp/<pool_id>`).
    pub lp: Amount,
    /// Refused if a denom would pay less than its entry here.
    pub min_out: Coins,
    #[serde(skip)]
    expiry: PhantomData<X>,
}

/// A swap of an exact input along a route.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SwapExactIn<X = NoExpiry> {
    /// What is sold.
    pub amount_in: Coin,
    /// Pools visited in order.
    pub route: Vec<u64>,
    /// Least acceptable output (may be zero); its denom is the output
    /// denom.
    pub min_out: Coin,
    /// Refused in a block later than this (ms).
    pub deadline_ms: Option<u64>,
    #[serde(skip)]
    expiry: PhantomData<X>,
}

/// A swap for an exact output along a route.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SwapExactOut<X = NoExpiry> {
    /// What is bought.
    pub amount_out: Coin,
    /// Pools visited in order (from the input denom).
    pub route: Vec<u64>,
    /// Most acceptable input; its denom is the input denom.
    pub max_in: Coin,
    /// Refused in a block later than this (ms).
    pub deadline_ms: Option<u64>,
    #[serde(skip)]
    expiry: PhantomData<X>,
}

impl<X: DenomExpiry> CreatePool<X> {
    /// A create-pool message (for the query layer and tests).
    pub fn new(amount_a: Coin, amount_b: Coin, fee_bps: Option<u16>) -> Result<Self, AmmError> {
        if amount_a.denom == amount_b.denom {
            return Err(AmmError::SameDenom {
                denom: amount_a.denom.to_string(),
            });
        }
        let fee_bps = fee_bps.map(check_fee).transpose()?;
        Ok(CreatePool {
            amount_a: bounded_coin("amount_a", amount_a)?,
            amount_b: bounded_coin("amount_b", amount_b)?,
            fee_bps,
            expiry: PhantomData,
        })
    }
}

fn check_fee(fee: u16) -> Result<u16, AmmError> {
    if (MIN_FEE_BPS..=MAX_FEE_BPS).contains(&fee) {
        Ok(fee)
    } else {
        Err(AmmError::FeeOutOfRange {
            fee_bps: u32::from(fee),
            min: u32::from(MIN_FEE_BPS),
            max: u32::from(MAX_FEE_BPS),
        })
    }
}

/// A positive amount within [`MAX_AMOUNT`].
pub(crate) fn bounded_amount(field: &'static str, amount: Amount) -> Result<Amount, AmmError> {
    if amount.is_zero() {
        return Err(AmmError::ZeroAmount { field });
    }
    if amount.value() > MAX_AMOUNT {
        return Err(AmmError::Overflow { what: field });
    }
    Ok(amount)
}

fn bounded_coin(field: &'static str, coin: Coin) -> Result<Coin, AmmError> {
    bounded_amount(field, coin.amount)?;
    Ok(coin)
}

fn coin(field: &'static str, c: Option<&fructus_proto::base::v1::Coin>) -> Result<Coin, AmmError> {
    bounded_coin(field, any_coin(field, c)?)
}

/// A coin that may be zero (a minimum), still within [`MAX_AMOUNT`].
fn any_coin(
    field: &'static str,
    c: Option<&fructus_proto::base::v1::Coin>,
) -> Result<Coin, AmmError> {
    let c = c.ok_or_else(|| AmmError::field(field, "missing"))?;
    let coin = Coin::try_from(c).map_err(|e| AmmError::field(field, e))?;
    if coin.amount.value() > MAX_AMOUNT {
        return Err(AmmError::Overflow { what: field });
    }
    Ok(coin)
}

/// A route: 1 to [`MAX_ROUTE`] distinct nonzero pool ids.
pub(crate) fn check_route(route: &[u64]) -> Result<Vec<u64>, AmmError> {
    if route.is_empty() {
        return Err(AmmError::field("route", "at least one pool"));
    }
    if route.len() > MAX_ROUTE {
        return Err(AmmError::RouteTooLong {
            len: route.len(),
            max: MAX_ROUTE,
        });
    }
    for (i, id) in route.iter().enumerate() {
        if *id == 0 {
            return Err(AmmError::field("route", "pool ids start at 1"));
        }
        if route.iter().take(i).any(|earlier| earlier == id) {
            return Err(AmmError::field(
                "route",
                format!("pool {id} appears twice; a route visits each pool once"),
            ));
        }
    }
    Ok(route.to_vec())
}

fn deadline(ms: u64) -> Option<u64> {
    (ms != 0).then_some(ms)
}

impl<X: DenomExpiry> TryFrom<&pb::MsgCreatePool> for CreatePool<X> {
    type Error = AmmError;
    fn try_from(m: &pb::MsgCreatePool) -> Result<Self, AmmError> {
        let fee = match m.fee_bps {
            0 => None,
            f => Some(u16::try_from(f).map_err(|_| AmmError::FeeOutOfRange {
                fee_bps: f,
                min: u32::from(MIN_FEE_BPS),
                max: u32::from(MAX_FEE_BPS),
            })?),
        };
        CreatePool::new(
            coin("amount_a", m.amount_a.as_ref())?,
            coin("amount_b", m.amount_b.as_ref())?,
            fee,
        )
    }
}

impl<X: DenomExpiry> TryFrom<&pb::MsgAddLiquidity> for AddLiquidity<X> {
    type Error = AmmError;
    fn try_from(m: &pb::MsgAddLiquidity) -> Result<Self, AmmError> {
        let max_a = coin("max_a", m.max_a.as_ref())?;
        let max_b = coin("max_b", m.max_b.as_ref())?;
        if max_a.denom == max_b.denom {
            return Err(AmmError::SameDenom {
                denom: max_a.denom.to_string(),
            });
        }
        let min_lp = if m.min_lp.is_empty() {
            Amount::ZERO
        } else {
            m.min_lp.parse().map_err(|e| AmmError::field("min_lp", e))?
        };
        if min_lp.value() > MAX_AMOUNT {
            return Err(AmmError::Overflow { what: "min_lp" });
        }
        Ok(AddLiquidity {
            pool_id: pool_id(m.pool_id)?,
            max_a,
            max_b,
            min_lp,
            expiry: PhantomData,
        })
    }
}

fn pool_id(id: u64) -> Result<u64, AmmError> {
    if id == 0 {
        return Err(AmmError::field("pool_id", "pool ids start at 1"));
    }
    Ok(id)
}

impl<X: DenomExpiry> TryFrom<&pb::MsgRemoveLiquidity> for RemoveLiquidity<X> {
    type Error = AmmError;
    fn try_from(m: &pb::MsgRemoveLiquidity) -> Result<Self, AmmError> {
        let pool_id = pool_id(m.pool_id)?;
        let lp = coin("lp", m.lp.as_ref())?;
        if lp.denom != lp_denom(pool_id) {
            return Err(AmmError::field(
                "lp",
                format!("pool {pool_id}'s LP denom is {}", lp_denom(pool_id)),
            ));
        }
        let min_out = Coins::from_proto(&m.min_out).map_err(|e| AmmError::field("min_out", e))?;
        if min_out.len() > 2 {
            return Err(AmmError::field(
                "min_out",
                "at most one coin per pool denom",
            ));
        }
        if let Some(c) = min_out.iter().find(|c| c.amount.value() > MAX_AMOUNT) {
            return Err(AmmError::field(
                "min_out",
                format!("{c} is above the pool bound 2^112-1"),
            ));
        }
        Ok(RemoveLiquidity {
            pool_id,
            lp: lp.amount,
            min_out,
            expiry: PhantomData,
        })
    }
}

impl<X: DenomExpiry> TryFrom<&pb::MsgSwapExactIn> for SwapExactIn<X> {
    type Error = AmmError;
    fn try_from(m: &pb::MsgSwapExactIn) -> Result<Self, AmmError> {
        Ok(SwapExactIn {
            amount_in: coin("amount_in", m.amount_in.as_ref())?,
            route: check_route(&m.route)?,
            min_out: any_coin("min_out", m.min_out.as_ref())?,
            deadline_ms: deadline(m.deadline_ms),
            expiry: PhantomData,
        })
    }
}

impl<X: DenomExpiry> TryFrom<&pb::MsgSwapExactOut> for SwapExactOut<X> {
    type Error = AmmError;
    fn try_from(m: &pb::MsgSwapExactOut) -> Result<Self, AmmError> {
        Ok(SwapExactOut {
            amount_out: coin("amount_out", m.amount_out.as_ref())?,
            route: check_route(&m.route)?,
            max_in: coin("max_in", m.max_in.as_ref())?,
            deadline_ms: deadline(m.deadline_ms),
            expiry: PhantomData,
        })
    }
}
