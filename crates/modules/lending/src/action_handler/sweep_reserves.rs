use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::{coin, existing_market};
use crate::{
    LendingError, LendingStateReadExt, LendingStateWriteExt, Market, event, msg::SweepReserves,
    pool_account, reserve_account,
};

impl ActionHandler for SweepReserves {
    type Error = LendingError;
    /// The market after the sweep and what moves.
    type Checked = (Market, u128);
    const KIND: &'static str = "lending/sweep_reserves";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(Market, u128), LendingError> {
        let params = state.lending_params()?;
        let mut market = existing_market(state, &params, &self.denom, ctx.block.time)?;
        let take = market.reserves.min(market.cash);
        if take == 0 {
            return Err(LendingError::Exceeds {
                what: "reserves in cash to sweep",
                asked: 1,
                available: 0,
            });
        }
        // Both fall by `take`: what depositors' tokens claim is unchanged.
        market.cash = market.cash.saturating_sub(take);
        market.reserves = market.reserves.saturating_sub(take);
        Ok((market, take))
    }

    fn execute<S: StateWrite>(
        &self,
        (market, take): (Market, u128),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        state.transfer(
            &pool_account(),
            &reserve_account(),
            &coin(&self.denom, take),
        )?;
        state.put_market(&self.denom, &market)?;
        ctx.emit(event::pool(
            "sweep_reserves",
            &ctx.signer,
            &self.denom,
            take,
            &market,
        ));
        Ok(())
    }
}
