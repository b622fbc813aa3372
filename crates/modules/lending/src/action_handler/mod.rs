//! One file per lending message: a stateful check that loads and
//! validates what the message needs once (accruing the market's interest
//! to the block time in memory) and hands it to `execute`, which only
//! writes.

mod accept_nft_loan;
mod borrow;
mod cancel_nft_offer;
mod claim_nft;
mod claim_nft_loan_income;
mod liquidate;
mod nft_loan;
mod offer_nft_loan;
mod pledge;
mod redeem;
mod repay;
mod repay_nft_loan;
mod supply;
mod sweep_reserves;

use fructus_bank::BankStateWriteExt;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockTime, Coin, Denom};

use crate::{
    LendingError, LendingParams, LendingStateReadExt, Market, MarketParams, math::MAX_POOL,
    pool_account,
};

/// The listed market of `denom`, or [`LendingError::NotListed`].
fn listed<'a>(params: &'a LendingParams, denom: &Denom) -> Result<&'a MarketParams, LendingError> {
    params.market(denom).ok_or_else(|| LendingError::NotListed {
        denom: denom.to_string(),
    })
}

/// The stored market of `denom` accrued to `now`, or
/// [`LendingError::NotListed`] when it never had one.
fn existing_market<S: StateRead>(
    state: &S,
    params: &LendingParams,
    denom: &Denom,
    now: BlockTime,
) -> Result<Market, LendingError> {
    if state.stored_market(denom)?.is_none() {
        return Err(LendingError::NotListed {
            denom: denom.to_string(),
        });
    }
    state.market_at(params, denom, now)
}

/// `a + b` within [`MAX_POOL`].
fn add(a: u128, b: u128, what: &'static str) -> Result<u128, LendingError> {
    a.checked_add(b)
        .filter(|v| *v <= MAX_POOL)
        .ok_or(LendingError::Overflow { what })
}

/// `a − b`, which the checks guarantee; otherwise the books contradict
/// themselves.
fn sub(a: u128, b: u128, what: &'static str) -> Result<u128, LendingError> {
    a.checked_sub(b).ok_or_else(|| LendingError::Corrupt {
        reason: format!("{what} would go below zero"),
    })
}

fn coin(denom: &Denom, amount: u128) -> Coin {
    Coin {
        denom: denom.clone(),
        amount: Amount::new(amount),
    }
}

/// Pays `amount` of `denom` out of the pool account (through the gate).
fn pay_out<S: StateWrite>(
    state: &mut S,
    to: &Address,
    denom: &Denom,
    amount: u128,
) -> Result<(), LendingError> {
    Ok(state.transfer(&pool_account(), to, &coin(denom, amount))?)
}

/// Takes `amount` of `denom` from `from` into the pool account.
fn pay_in<S: StateWrite>(
    state: &mut S,
    from: &Address,
    denom: &Denom,
    amount: u128,
) -> Result<(), LendingError> {
    Ok(state.transfer(from, &pool_account(), &coin(denom, amount))?)
}
