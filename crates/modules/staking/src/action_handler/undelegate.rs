use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Coin, Denom};

use super::{remove_stake, shares_to_take};
use crate::{
    Delegation, MAX_UNBONDING_ENTRIES, StakingError, StakingStateReadExt, StakingStateWriteExt,
    Validator, bonded_pool, event, msg::Undelegate, rewards, unbonding_pool,
};

impl ActionHandler for Undelegate {
    type Error = StakingError;
    /// The validator and the signer's delegation to it.
    type Checked = (Validator, Delegation);
    const KIND: &'static str = "staking/undelegate";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(Validator, Delegation), StakingError> {
        let v = state.require_validator(&self.validator)?;
        let d = state
            .delegation(&ctx.signer, &v.operator)?
            .ok_or(StakingError::NoDelegation {
                delegator: ctx.signer,
                validator: v.operator,
            })?;
        shares_to_take(&v, &d, self.amount.value())?;
        if state.unbonding_count(&ctx.signer, &v.operator)? >= MAX_UNBONDING_ENTRIES {
            return Err(StakingError::TooManyUnbondingEntries {
                max: MAX_UNBONDING_ENTRIES,
            });
        }
        Ok((v, d))
    }

    fn execute<S: StateWrite>(
        &self,
        (mut v, mut d): (Validator, Delegation),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), StakingError> {
        let amount = self.amount.value();
        rewards::settle_and_pay(state, &mut d, &v)?;
        let shares = shares_to_take(&v, &d, amount)?;
        remove_stake(&mut v, &mut d, amount, shares)?;
        state.put_validator(&v)?;
        state.put_delegation(&d)?;
        state.transfer(
            &bonded_pool(),
            &unbonding_pool(),
            &Coin::new(Denom::native(), amount),
        )?;
        let params = state.staking_params()?;
        let height = ctx.block.height;
        let completion = height
            .checked_add(params.unbonding_blocks)
            .ok_or(StakingError::overflow("completion height"))?;
        let entry = state.add_unbonding(ctx.signer, v.operator, height, completion, amount)?;
        ctx.emit(event::undelegate(
            &ctx.signer,
            &v.operator,
            amount,
            entry.id,
            completion,
        ));
        Ok(())
    }
}
