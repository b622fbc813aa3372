use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    ComputeError, ComputeStateReadExt, Order, OrderStatus,
    msg::ConfirmOrder,
    settle::{Outcome, SettleStateWriteExt},
};

use super::{emit_all, require_buyer, require_status};

impl ActionHandler for ConfirmOrder {
    type Error = ComputeError;
    type Checked = Order;
    const KIND: &'static str = "compute/confirm_order";
    const BASE_GAS: u64 = 20_000;

    /// The buyer confirms a submitted (or challenged: the buyer withdraws
    /// its challenge) result, in any verification mode: the buyer is the
    /// party a verifier protects. A settled order is refused, so an order
    /// completes once.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Order, ComputeError> {
        let o = state.require_order(self.order_id)?;
        require_status(
            &o,
            &[OrderStatus::Submitted, OrderStatus::Challenged],
            "submitted (a result to confirm)",
        )?;
        require_buyer(&o, &ctx.signer)?;
        Ok(o)
    }

    fn execute<S: StateWrite>(
        &self,
        o: Order,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let block = ctx.block.clone();
        let events = state.settle_with_events(o, Outcome::Complete, &block)?;
        emit_all(ctx, events);
        Ok(())
    }
}
