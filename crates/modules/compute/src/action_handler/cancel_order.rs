use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    ComputeError, ComputeStateReadExt, Fault, Order, OrderStatus,
    msg::CancelOrder,
    settle::{Outcome, SettleStateWriteExt},
};

use super::{emit_all, require_buyer, require_status};

impl ActionHandler for CancelOrder {
    type Error = ComputeError;
    type Checked = Order;
    const KIND: &'static str = "compute/cancel_order";
    const BASE_GAS: u64 = 15_000;

    /// The buyer, while no provider has accepted (an accepted order's
    /// terms bind both sides).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Order, ComputeError> {
        let o = state.require_order(self.order_id)?;
        require_buyer(&o, &ctx.signer)?;
        require_status(
            &o,
            &[OrderStatus::Paused, OrderStatus::Open],
            "paused or open (not accepted)",
        )?;
        Ok(o)
    }

    fn execute<S: StateWrite>(
        &self,
        o: Order,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let block = ctx.block.clone();
        let events = state.settle_with_events(o, Outcome::Cancel(Fault::None), &block)?;
        emit_all(ctx, events);
        Ok(())
    }
}
