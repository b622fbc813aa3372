//! The messages the lending module accepts, parsed and validated from the
//! wire (`proto/fructus/lending/v1/msgs.proto`). Every bound a user-chosen
//! number has is checked here, before state (docs/security.md rule 2):
//!
//! | field | bound | why |
//! |---|---|---|
//! | every amount and token count | 1 … [`MAX_AMOUNT`] = 2^100 | keeps every product of the pool math within 256 bits and every sum within u128 |
//! | `rate_bps` | 0 … [`MAX_NFT_RATE_BPS`] (1000 % a year) | the interest due fits |
//! | `term_ms` | [`MIN_NFT_TERM_MS`] … [`MAX_NFT_TERM_MS`] (and the params' `max_nft_term_ms`, with state) | a loan matures |
//! | ids | ≥ 1 | ids start at 1 |

use fructus_proto::lending::v1 as pb;
use fructus_types::{Address, Coin, Denom};

use crate::{
    LendingError,
    math::{self, MAX_AMOUNT},
    params::{MAX_NFT_RATE_BPS, MAX_NFT_TERM_MS, MIN_NFT_TERM_MS},
};

/// Deposits into a pool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Supply {
    /// How much of which denom.
    pub amount: Coin,
}

/// Redeems deposit tokens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Redeem {
    /// The pool's (underlying) denom.
    pub denom: Denom,
    /// `lend/<denom>` tokens to burn.
    pub tokens: u128,
}

/// Pledges collateral.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pledge {
    /// How much of which collateral.
    pub amount: Coin,
}

/// Takes pledged collateral back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unpledge {
    /// How much of which collateral.
    pub amount: Coin,
}

/// Borrows from a pool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Borrow {
    /// How much of which denom.
    pub amount: Coin,
}

/// Repays a borrow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repay {
    /// At most this much (at most the debt is taken).
    pub amount: Coin,
}

/// Liquidates an unhealthy borrower.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Liquidate {
    /// The borrower.
    pub borrower: Address,
    /// At most this much of the borrower's debt in its denom.
    pub repay: Coin,
    /// The collateral seized.
    pub collateral_denom: Denom,
}

/// Sweeps a pool's reserves to the reserve account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SweepReserves {
    /// The pool.
    pub denom: Denom,
}

/// Offers a loan against an asset NFT.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OfferNftLoan {
    /// The asset.
    pub asset_id: u64,
    /// What the borrower would receive (escrowed now).
    pub amount: Coin,
    /// Yearly simple interest, bps.
    pub rate_bps: u32,
    /// Term from acceptance, ms.
    pub term_ms: u64,
    /// The amount due at maturity (`amount` + interest), computed here.
    pub due: u128,
}

/// Cancels an unaccepted offer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CancelNftOffer {
    /// The offer.
    pub loan_id: u64,
}

/// Accepts an offer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AcceptNftLoan {
    /// The offer.
    pub loan_id: u64,
}

/// Repays a running NFT loan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepayNftLoan {
    /// The loan.
    pub loan_id: u64,
}

/// The lender claims the NFT of an unpaid, matured loan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimNft {
    /// The loan.
    pub loan_id: u64,
}

/// The borrower collects the income its pledged asset earned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimNftLoanIncome {
    /// The loan.
    pub loan_id: u64,
}

fn bounded(field: &'static str, v: u128) -> Result<u128, LendingError> {
    if v == 0 || v > MAX_AMOUNT {
        return Err(LendingError::field(field, "must be 1 to 2^100 base units"));
    }
    Ok(v)
}

fn coin(
    field: &'static str,
    c: Option<&fructus_proto::base::v1::Coin>,
) -> Result<Coin, LendingError> {
    let c = c.ok_or_else(|| LendingError::field(field, "missing"))?;
    let coin = Coin::try_from(c).map_err(|e| LendingError::field(field, e))?;
    bounded(field, coin.amount.value())?;
    Ok(coin)
}

fn denom(field: &'static str, raw: &str) -> Result<Denom, LendingError> {
    raw.parse().map_err(|e| LendingError::field(field, e))
}

fn id(field: &'static str, id: u64) -> Result<u64, LendingError> {
    if id == 0 {
        return Err(LendingError::field(field, "ids start at 1"));
    }
    Ok(id)
}

impl TryFrom<&pb::MsgSupply> for Supply {
    type Error = LendingError;
    fn try_from(m: &pb::MsgSupply) -> Result<Self, LendingError> {
        Ok(Supply {
            amount: coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgRedeem> for Redeem {
    type Error = LendingError;
    fn try_from(m: &pb::MsgRedeem) -> Result<Self, LendingError> {
        let tokens: u128 = m.tokens.parse().map_err(|_| {
            LendingError::field("tokens", format!("{:?} is not a base-10 amount", m.tokens))
        })?;
        Ok(Redeem {
            denom: denom("denom", &m.denom)?,
            tokens: bounded("tokens", tokens)?,
        })
    }
}

impl TryFrom<&pb::MsgPledge> for Pledge {
    type Error = LendingError;
    fn try_from(m: &pb::MsgPledge) -> Result<Self, LendingError> {
        Ok(Pledge {
            amount: coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgUnpledge> for Unpledge {
    type Error = LendingError;
    fn try_from(m: &pb::MsgUnpledge) -> Result<Self, LendingError> {
        Ok(Unpledge {
            amount: coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgBorrow> for Borrow {
    type Error = LendingError;
    fn try_from(m: &pb::MsgBorrow) -> Result<Self, LendingError> {
        Ok(Borrow {
            amount: coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgRepay> for Repay {
    type Error = LendingError;
    fn try_from(m: &pb::MsgRepay) -> Result<Self, LendingError> {
        Ok(Repay {
            amount: coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgLiquidate> for Liquidate {
    type Error = LendingError;
    fn try_from(m: &pb::MsgLiquidate) -> Result<Self, LendingError> {
        Ok(Liquidate {
            borrower: Address::from_slice(&m.borrower)
                .map_err(|e| LendingError::field("borrower", e))?,
            repay: coin("repay", m.repay.as_ref())?,
            collateral_denom: denom("collateral_denom", &m.collateral_denom)?,
        })
    }
}

impl TryFrom<&pb::MsgSweepReserves> for SweepReserves {
    type Error = LendingError;
    fn try_from(m: &pb::MsgSweepReserves) -> Result<Self, LendingError> {
        Ok(SweepReserves {
            denom: denom("denom", &m.denom)?,
        })
    }
}

impl TryFrom<&pb::MsgOfferNftLoan> for OfferNftLoan {
    type Error = LendingError;
    fn try_from(m: &pb::MsgOfferNftLoan) -> Result<Self, LendingError> {
        let amount = coin("amount", m.amount.as_ref())?;
        if m.rate_bps > MAX_NFT_RATE_BPS {
            return Err(LendingError::field(
                "rate_bps",
                format!("must be at most {MAX_NFT_RATE_BPS}"),
            ));
        }
        if !(MIN_NFT_TERM_MS..=MAX_NFT_TERM_MS).contains(&m.term_ms) {
            return Err(LendingError::field(
                "term_ms",
                format!("must be {MIN_NFT_TERM_MS} to {MAX_NFT_TERM_MS}"),
            ));
        }
        // Within the bounds above the interest is at most 100 × the amount,
        // so the due fits in u128 (and the check below never fires).
        let due = math::nft_loan_due(amount.amount.value(), m.rate_bps, m.term_ms)
            .ok_or(LendingError::Overflow { what: "amount due" })?;
        Ok(OfferNftLoan {
            asset_id: id("asset_id", m.asset_id)?,
            amount,
            rate_bps: m.rate_bps,
            term_ms: m.term_ms,
            due,
        })
    }
}

impl TryFrom<&pb::MsgCancelNftOffer> for CancelNftOffer {
    type Error = LendingError;
    fn try_from(m: &pb::MsgCancelNftOffer) -> Result<Self, LendingError> {
        Ok(CancelNftOffer {
            loan_id: id("loan_id", m.loan_id)?,
        })
    }
}

impl TryFrom<&pb::MsgAcceptNftLoan> for AcceptNftLoan {
    type Error = LendingError;
    fn try_from(m: &pb::MsgAcceptNftLoan) -> Result<Self, LendingError> {
        Ok(AcceptNftLoan {
            loan_id: id("loan_id", m.loan_id)?,
        })
    }
}

impl TryFrom<&pb::MsgRepayNftLoan> for RepayNftLoan {
    type Error = LendingError;
    fn try_from(m: &pb::MsgRepayNftLoan) -> Result<Self, LendingError> {
        Ok(RepayNftLoan {
            loan_id: id("loan_id", m.loan_id)?,
        })
    }
}

impl TryFrom<&pb::MsgClaimNft> for ClaimNft {
    type Error = LendingError;
    fn try_from(m: &pb::MsgClaimNft) -> Result<Self, LendingError> {
        Ok(ClaimNft {
            loan_id: id("loan_id", m.loan_id)?,
        })
    }
}

impl TryFrom<&pb::MsgClaimNftLoanIncome> for ClaimNftLoanIncome {
    type Error = LendingError;
    fn try_from(m: &pb::MsgClaimNftLoanIncome) -> Result<Self, LendingError> {
        Ok(ClaimNftLoanIncome {
            loan_id: id("loan_id", m.loan_id)?,
        })
    }
}
