use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    AmmError, AmmParams, AmmStateReadExt, DenomExpiry,
    msg::SwapExactIn,
    route::{self, Plan, check_deadline, plan_exact_in},
};

use super::GAS_PER_HOP;

/// What `SwapExactIn` needs, loaded and checked: the plan of every hop.
pub struct Checked {
    params: AmmParams,
    plan: Plan,
}

impl<X: DenomExpiry> SwapExactIn<X> {
    fn load<S: StateRead>(&self, state: &S, ctx: &TxContext<'_>) -> Result<Checked, AmmError> {
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
        Ok(Checked { params, plan })
    }
}

impl<X: DenomExpiry> ActionHandler for SwapExactIn<X> {
    type Error = AmmError;
    type Checked = Checked;
    const KIND: &'static str = "amm/swap_exact_in";
    const BASE_GAS: u64 = 8_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, AmmError> {
        self.load(state, ctx)
    }

    fn execute<S: StateWrite>(
        &self,
        checked: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AmmError> {
        let hops = u64::try_from(self.route.len()).unwrap_or(u64::MAX);
        ctx.consume_gas(GAS_PER_HOP.saturating_mul(hops))
            .map_err(|e| AmmError::field("route", e))?;
        let Checked { params, plan } = checked;
        let mut events = Vec::new();
        let (signer, height, time) = (ctx.signer, ctx.block.height, ctx.block.time);
        route::execute(state, plan, &signer, &params, height, time, &mut events)?;
        for e in events {
            ctx.emit(e);
        }
        Ok(())
    }
}
