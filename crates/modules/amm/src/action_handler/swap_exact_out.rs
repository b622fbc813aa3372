use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    AmmError, AmmStateReadExt, DenomExpiry,
    msg::SwapExactOut,
    route::{check_deadline, plan_exact_out},
};

use super::{SwapChecked, execute_swap};

impl<X: DenomExpiry> ActionHandler for SwapExactOut<X> {
    type Error = AmmError;
    type Checked = SwapChecked;
    const KIND: &'static str = "amm/swap_exact_out";
    const BASE_GAS: u64 = 8_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<SwapChecked, AmmError> {
        check_deadline(self.deadline_ms, ctx.block.time)?;
        let params = state.amm_params()?;
        let plan = plan_exact_out::<X, S>(
            state,
            &params,
            &self.route,
            &self.amount_out,
            &self.max_in.denom,
            ctx.block.time,
        )?;
        if plan.amount_in.amount > self.max_in.amount {
            return Err(AmmError::AboveMaxIn {
                denom: self.max_in.denom.to_string(),
                need: plan.amount_in.amount.value(),
                max: self.max_in.amount.value(),
            });
        }
        Ok(SwapChecked { params, plan })
    }

    fn execute<S: StateWrite>(
        &self,
        checked: SwapChecked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AmmError> {
        execute_swap(checked, state, ctx)
    }
}
