use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::{
    accepts_stake, add_stake, delegation_or_new, remove_stake, shares_for, shares_to_take,
};
use crate::{
    Delegation, MAX_REDELEGATION_ENTRIES, StakingError, StakingStateReadExt, StakingStateWriteExt,
    Validator, event, msg::Redelegate, rewards,
};

/// Redelegation moves tokens inside the bonded pool at once (no bank
/// transfer, no waiting period). The moved stake answers for the
/// destination's infractions from then on, and — through the
/// [`crate::RedelegationEntry`] kept until the unbonding period passes —
/// still for the source's infractions committed before the move. Stake that
/// arrived by an immature redelegation may not be redelegated again (it
/// would escape that record).
impl ActionHandler for Redelegate {
    type Error = StakingError;
    /// The source validator, the signer's delegation to it, and the
    /// destination validator (accepting stake).
    type Checked = (Validator, Delegation, Validator);
    const KIND: &'static str = "staking/redelegate";
    const BASE_GAS: u64 = 12_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), StakingError> {
        if self.src_validator == self.dst_validator {
            return Err(StakingError::SameValidator);
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(Validator, Delegation, Validator), StakingError> {
        let src = state.require_validator(&self.src_validator)?;
        let dst = state.require_validator(&self.dst_validator)?;
        accepts_stake(&dst)?;
        let until = state.redelegated_into_until(&ctx.signer, &src.operator)?;
        if until > ctx.block.height {
            return Err(StakingError::RedelegationNotMatured {
                validator: src.operator,
                until,
            });
        }
        if state.redelegation_count(&ctx.signer, &src.operator)? >= MAX_REDELEGATION_ENTRIES {
            return Err(StakingError::TooManyRedelegations {
                max: MAX_REDELEGATION_ENTRIES,
            });
        }
        let d =
            state
                .delegation(&ctx.signer, &src.operator)?
                .ok_or(StakingError::NoDelegation {
                    delegator: ctx.signer,
                    validator: src.operator,
                })?;
        shares_to_take(&src, &d, self.amount.value())?;
        shares_for(&dst, self.amount.value())?;
        Ok((src, d, dst))
    }

    fn execute<S: StateWrite>(
        &self,
        (mut src, mut from, mut dst): (Validator, Delegation, Validator),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), StakingError> {
        let amount = self.amount.value();
        rewards::settle_and_pay(state, &mut from, &src)?;
        let taken = shares_to_take(&src, &from, amount)?;
        remove_stake(&mut src, &mut from, amount, taken)?;
        state.put_validator(&src)?;
        state.put_delegation(&from)?;

        let mut to = delegation_or_new(state, &ctx.signer, &dst)?;
        rewards::settle_and_pay(state, &mut to, &dst)?;
        let given = shares_for(&dst, amount)?;
        add_stake(&mut dst, &mut to, amount, given)?;
        state.put_validator(&dst)?;
        state.put_delegation(&to)?;
        let height = ctx.block.height;
        let unbonding = state.staking_params()?.unbonding_blocks;
        state.add_redelegation(
            ctx.signer,
            src.operator,
            dst.operator,
            height,
            height.saturating_add(unbonding),
            amount,
        )?;
        ctx.emit(event::redelegate(
            &ctx.signer,
            &src.operator,
            &dst.operator,
            amount,
        ));
        Ok(())
    }
}
