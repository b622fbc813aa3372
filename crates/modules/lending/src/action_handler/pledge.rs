use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::{add, pay_in, pay_out};
use crate::{
    LendingError, LendingStateReadExt, LendingStateWriteExt, event,
    msg::{Pledge, Unpledge},
    state::Change,
};

impl ActionHandler for Pledge {
    type Error = LendingError;
    /// The pledge after this one.
    type Checked = u128;
    const KIND: &'static str = "lending/pledge";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<u128, LendingError> {
        let params = state.lending_params()?;
        let denom = &self.amount.denom;
        if params.factor(denom) == 0 {
            return Err(LendingError::NotCollateral {
                denom: denom.to_string(),
            });
        }
        add(
            state.pledged(&ctx.signer, denom)?,
            self.amount.amount.value(),
            "pledge",
        )
    }

    fn execute<S: StateWrite>(
        &self,
        pledged: u128,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let denom = &self.amount.denom;
        pay_in(state, &ctx.signer, denom, self.amount.amount.value())?;
        state.put_pledge(&ctx.signer, denom, pledged)?;
        ctx.emit(event::pledge("pledge", &ctx.signer, &self.amount, pledged));
        Ok(())
    }
}

impl ActionHandler for Unpledge {
    type Error = LendingError;
    /// The pledge left.
    type Checked = u128;
    const KIND: &'static str = "lending/unpledge";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<u128, LendingError> {
        let denom = &self.amount.denom;
        let amount = self.amount.amount.value();
        let pledged = state.pledged(&ctx.signer, denom)?;
        if amount > pledged {
            return Err(LendingError::Exceeds {
                what: "pledged collateral",
                asked: amount,
                available: pledged,
            });
        }
        // Without debt no price is needed: nothing can become unhealthy.
        if !state.borrows_of(&ctx.signer)?.is_empty() {
            let params = state.lending_params()?;
            let health = state.health(
                &params,
                &ctx.signer,
                ctx.block.time,
                Change::Unpledge(denom, amount),
            )?;
            if !health.is_healthy() {
                return Err(LendingError::Unhealthy {
                    account: ctx.signer,
                    borrowed: health.borrowed,
                    limit: health.limit,
                });
            }
        }
        Ok(pledged.saturating_sub(amount))
    }

    fn execute<S: StateWrite>(
        &self,
        left: u128,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let denom = &self.amount.denom;
        state.put_pledge(&ctx.signer, denom, left)?;
        pay_out(state, &ctx.signer, denom, self.amount.amount.value())?;
        ctx.emit(event::pledge("unpledge", &ctx.signer, &self.amount, left));
        Ok(())
    }
}
