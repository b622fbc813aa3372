use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Coin, Denom};

use super::{accepts_stake, add_stake, delegation_or_new, shares_for};
use crate::{
    StakingError, StakingStateReadExt, StakingStateWriteExt, Validator, bonded_pool, event,
    msg::Delegate, rewards,
};

impl ActionHandler for Delegate {
    type Error = StakingError;
    /// The validator, accepting stake.
    type Checked = Validator;
    const KIND: &'static str = "staking/delegate";
    const BASE_GAS: u64 = 8_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<Validator, StakingError> {
        let v = state.require_validator(&self.validator)?;
        accepts_stake(&v)?;
        shares_for(&v, self.amount.value())?;
        Ok(v)
    }

    fn execute<S: StateWrite>(
        &self,
        mut v: Validator,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), StakingError> {
        let amount = self.amount.value();
        let mut d = delegation_or_new(state, &ctx.signer, &v)?;
        rewards::settle_and_pay(state, &mut d, &v)?;
        let shares = shares_for(&v, amount)?;
        state.transfer(
            &ctx.signer,
            &bonded_pool(),
            &Coin::new(Denom::native(), amount),
        )?;
        add_stake(&mut v, &mut d, amount, shares)?;
        state.put_validator(&v)?;
        state.put_delegation(&d)?;
        ctx.emit(event::delegate(&ctx.signer, &v.operator, amount, shares));
        Ok(())
    }
}
