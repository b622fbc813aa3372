use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    StakingError, StakingStateReadExt, StakingStateWriteExt, Validator, event,
    msg::WithdrawRewards, rewards,
};

impl ActionHandler for WithdrawRewards {
    type Error = StakingError;
    /// The validator (the signer operates it or delegates to it).
    type Checked = Validator;
    const KIND: &'static str = "staking/withdraw_rewards";
    const BASE_GAS: u64 = 6_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Validator, StakingError> {
        let v = state.require_validator(&self.validator)?;
        if v.operator != ctx.signer && state.delegation(&ctx.signer, &v.operator)?.is_none() {
            return Err(StakingError::NoDelegation {
                delegator: ctx.signer,
                validator: v.operator,
            });
        }
        Ok(v)
    }

    fn execute<S: StateWrite>(
        &self,
        mut v: Validator,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), StakingError> {
        let mut paid = 0;
        if let Some(mut d) = state.delegation(&ctx.signer, &v.operator)? {
            paid = rewards::settle_and_pay(state, &mut d, &v)?;
            state.put_delegation(&d)?;
        }
        let mut commission = 0;
        if v.operator == ctx.signer {
            commission = rewards::pay_commission(state, &mut v)?;
            state.put_validator(&v)?;
        }
        ctx.emit(event::withdraw_rewards(
            &ctx.signer,
            &v.operator,
            paid,
            commission,
        ));
        Ok(())
    }
}
