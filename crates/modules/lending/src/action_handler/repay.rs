use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockTime, Denom};

use super::{add, existing_market, pay_in};
use crate::{
    Borrow, LendingError, LendingParams, LendingStateReadExt, LendingStateWriteExt, Market, event,
    math, msg::Repay,
};

/// What a repayment needs, loaded and checked.
pub struct Checked {
    market: Market,
    borrow: Borrow,
    paid: u128,
}

/// `borrower`'s debt in `denom` repaid by up to `amount` at `now`, and by
/// at most `close_bps` of the debt (rounded down, at least one unit): the
/// market and the borrow after it, and what is paid. Shared by repay (all
/// of the debt may go) and liquidate (the close factor).
pub(super) fn repayment<S: StateRead>(
    state: &S,
    params: &LendingParams,
    borrower: &Address,
    denom: &Denom,
    amount: u128,
    close_bps: u32,
    now: BlockTime,
) -> Result<Checked, LendingError> {
    let no_debt = || LendingError::Exceeds {
        what: "debt to repay",
        asked: amount,
        available: 0,
    };
    let borrow = state.borrow(borrower, denom)?.ok_or_else(no_debt)?;
    let mut market = existing_market(state, params, denom, now)?;
    let debt = borrow
        .debt(market.index)
        .ok_or(LendingError::Overflow { what: "debt" })?;
    let close = math::mul_div_floor(debt, u128::from(close_bps), math::BPS)
        .unwrap_or(debt)
        .max(1)
        .min(debt);
    let paid = amount.min(close);
    market.cash = add(market.cash, paid, "pool cash")?;
    // Debts round up, so one borrower's may exceed the pool's total by the
    // rounding; the pool keeps the difference.
    market.borrows = market.borrows.saturating_sub(paid);
    Ok(Checked {
        borrow: Borrow {
            principal: debt.saturating_sub(paid),
            index: market.index,
        },
        market,
        paid,
    })
}

impl Checked {
    /// What is paid.
    pub(super) fn paid(&self) -> u128 {
        self.paid
    }

    /// The debt left.
    pub(super) fn left(&self) -> u128 {
        self.borrow.principal
    }

    /// Takes the payment from `payer` and writes `borrower`'s borrow and
    /// the market.
    pub(super) fn apply<S: StateWrite>(
        &self,
        state: &mut S,
        payer: &Address,
        borrower: &Address,
        denom: &Denom,
    ) -> Result<&Market, LendingError> {
        pay_in(state, payer, denom, self.paid)?;
        state.put_borrow(borrower, denom, &self.borrow)?;
        state.put_market(denom, &self.market)?;
        Ok(&self.market)
    }
}

impl ActionHandler for Repay {
    type Error = LendingError;
    type Checked = Checked;
    const KIND: &'static str = "lending/repay";
    const BASE_GAS: u64 = 15_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, LendingError> {
        let params = state.lending_params()?;
        repayment(
            state,
            &params,
            &ctx.signer,
            &self.amount.denom,
            self.amount.amount.value(),
            10_000,
            ctx.block.time,
        )
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let denom = &self.amount.denom;
        let market = c.apply(state, &ctx.signer, &ctx.signer, denom)?;
        ctx.emit(event::pool("repay", &ctx.signer, denom, c.paid, market).attr("debt", c.left()));
        Ok(())
    }
}
