use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    AmmError, AmmStateReadExt, DenomExpiry,
    msg::SwapExactIn,
    route::{check_deadline, plan_exact_in},
};

use super::{SwapChecked, execute_swap};

impl<X: DenomExpiry> ActionHandler for SwapExactIn<X> {
    type Error = AmmError;
    type Checked = SwapChecked;
    const KIND: &'static str = "amm/swap_exact_in";
    const BASE_GAS: u64 = 8_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<SwapChecked, AmmError> {
        check_deadline(self.deadline_ms, ctx.block.time)?;
        let params = state.amm_params()?;
        let plan = plan_exact_in::<X, S>(
            state,
            &params,
            &self.route,
            &self.amount_in,
            &self.min_out.denom,
            ctx.block.time,
        )?;
        if plan.amount_out.amount < self.min_out.amount {
            return Err(AmmError::BelowMinOut {
                denom: self.min_out.denom.to_string(),
                got: plan.amount_out.amount.value(),
                min: self.min_out.amount.value(),
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
