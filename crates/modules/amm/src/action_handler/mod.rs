//! One file per AMM message. Each handler's stateful check reads and
//! validates everything the message needs and returns it as a `Checked`
//! value; `execute` consumes that value and only writes, so no record is
//! read or checked twice within the execution. The two swaps differ only
//! in how they plan; they share [`SwapChecked`] and [`execute_swap`].

mod add_liquidity;
mod create_pool;
mod remove_liquidity;
mod swap_exact_in;
mod swap_exact_out;

use fructus_component::TxContext;
use fructus_storage::StateWrite;

use crate::{AmmError, AmmParams, route::Plan};

/// Gas per route hop on top of a swap's base cost.
const GAS_PER_HOP: u64 = 6_000;

/// What a swap needs, loaded and checked: the params and the plan of every
/// hop.
pub struct SwapChecked {
    params: AmmParams,
    plan: Plan,
}

/// Charges the per-hop gas of a checked swap, then executes its plan.
fn execute_swap<S: StateWrite>(
    checked: SwapChecked,
    state: &mut S,
    ctx: &mut TxContext<'_>,
) -> Result<(), AmmError> {
    let SwapChecked { params, plan } = checked;
    let hops = u64::try_from(plan.hops.len()).unwrap_or(u64::MAX);
    ctx.consume_gas(GAS_PER_HOP.saturating_mul(hops))
        .map_err(|e| AmmError::field("route", e))?;
    let mut events = Vec::new();
    let (signer, height, time) = (ctx.signer, ctx.block.height, ctx.block.time);
    crate::route::execute(state, plan, &signer, &params, height, time, &mut events)?;
    for e in events {
        ctx.emit(e);
    }
    Ok(())
}
