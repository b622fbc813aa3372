use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::{add, listed, pay_out, sub};
use crate::{
    Borrow, LendingError, LendingStateReadExt, LendingStateWriteExt, Market, event, msg,
    state::Change,
};

/// What a borrow needs, loaded and checked.
pub struct Checked {
    market: Market,
    borrow: Borrow,
}

impl ActionHandler for msg::Borrow {
    type Error = LendingError;
    type Checked = Checked;
    const KIND: &'static str = "lending/borrow";
    const BASE_GAS: u64 = 25_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, LendingError> {
        let denom = &self.amount.denom;
        let amount = self.amount.amount.value();
        let params = state.lending_params()?;
        listed(&params, denom)?;
        let mut market = state.market_at(&params, denom, ctx.block.time)?;
        if amount > market.cash {
            return Err(LendingError::InsufficientCash {
                denom: denom.to_string(),
                asked: amount,
                cash: market.cash,
            });
        }
        let health = state.health(
            &params,
            &ctx.signer,
            ctx.block.time,
            Change::Borrow(denom, amount),
        )?;
        if !health.is_healthy() {
            return Err(LendingError::Unhealthy {
                account: ctx.signer,
                borrowed: health.borrowed,
                limit: health.limit,
            });
        }
        let owed = match state.borrow(&ctx.signer, denom)? {
            Some(b) => b
                .debt(market.index)
                .ok_or(LendingError::Overflow { what: "debt" })?,
            None => 0,
        };
        market.cash = sub(market.cash, amount, "pool cash")?;
        market.borrows = add(market.borrows, amount, "pool borrows")?;
        Ok(Checked {
            borrow: Borrow {
                principal: add(owed, amount, "debt")?,
                index: market.index,
            },
            market,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let denom = &self.amount.denom;
        state.put_borrow(&ctx.signer, denom, &c.borrow)?;
        state.put_market(denom, &c.market)?;
        pay_out(state, &ctx.signer, denom, self.amount.amount.value())?;
        ctx.emit(
            event::pool(
                "borrow",
                &ctx.signer,
                denom,
                self.amount.amount.value(),
                &c.market,
            )
            .attr("debt", c.borrow.principal),
        );
        Ok(())
    }
}
