use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Denom;

use super::{coin, existing_market, pay_out, sub};
use crate::{
    LendingError, LendingStateReadExt, LendingStateWriteExt, Market, event, lend_denom, msg::Redeem,
};

/// What a redemption needs, loaded and checked.
pub struct Checked {
    market: Market,
    value: u128,
    lend: Denom,
}

impl ActionHandler for Redeem {
    type Error = LendingError;
    type Checked = Checked;
    const KIND: &'static str = "lending/redeem";
    const BASE_GAS: u64 = 15_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, LendingError> {
        let params = state.lending_params()?;
        let mut market = existing_market(state, &params, &self.denom, ctx.block.time)?;
        if self.tokens > market.supply {
            return Err(LendingError::Exceeds {
                what: "deposit tokens outstanding",
                asked: self.tokens,
                available: market.supply,
            });
        }
        let value = market
            .value_of(self.tokens)
            .filter(|v| *v > 0)
            .ok_or_else(|| LendingError::field("tokens", "worth less than one base unit"))?;
        if value > market.cash {
            return Err(LendingError::InsufficientCash {
                denom: self.denom.to_string(),
                asked: value,
                cash: market.cash,
            });
        }
        market.cash = sub(market.cash, value, "pool cash")?;
        market.supply = sub(market.supply, self.tokens, "deposit token supply")?;
        let lend = lend_denom(&self.denom)
            .ok_or_else(|| LendingError::field("denom", "has no deposit token"))?;
        Ok(Checked {
            market,
            value,
            lend,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        state.burn(&ctx.signer, &coin(&c.lend, self.tokens))?;
        pay_out(state, &ctx.signer, &self.denom, c.value)?;
        state.put_market(&self.denom, &c.market)?;
        ctx.emit(
            event::pool("redeem", &ctx.signer, &self.denom, c.value, &c.market)
                .attr("burned", coin(&c.lend, self.tokens)),
        );
        Ok(())
    }
}
