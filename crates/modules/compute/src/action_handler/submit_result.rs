use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    ComputeError, ComputeStateReadExt, ComputeStateWriteExt, Order, OrderStatus, Verification,
    event, msg::SubmitResult, settle::require_operator,
};

use super::require_status;

impl ActionHandler for SubmitResult {
    type Error = ComputeError;
    type Checked = Order;
    const KIND: &'static str = "compute/submit_result";
    const BASE_GAS: u64 = 8_000;

    /// The order is accepted, before its deadline, and the signer operates
    /// its provider.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Order, ComputeError> {
        let o = state.require_order(self.order_id)?;
        require_status(&o, &[OrderStatus::Accepted], "accepted")?;
        let asset = o.asset_id.ok_or_else(|| ComputeError::Corrupt {
            reason: format!("accepted order {} has no provider", o.id),
        })?;
        require_operator(&state.require_provider(asset)?, &ctx.signer)?;
        let now = ctx.block.time.0;
        if now >= o.deadline_ms {
            return Err(ComputeError::DeadlinePassed {
                order_id: o.id,
                deadline_ms: o.deadline_ms,
                block_ms: now,
            });
        }
        Ok(o)
    }

    /// A challenge-window order now waits for the window to lapse (then
    /// completes); the others wait for the buyer or the verifier until
    /// the deadline.
    fn execute<S: StateWrite>(
        &self,
        mut o: Order,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let was = o.status;
        o.status = OrderStatus::Submitted;
        o.result_hash = Some(self.result_hash.clone());
        if matches!(o.verification, Verification::ChallengeWindow(_)) {
            let until = ctx.block.time.0.saturating_add(o.challenge_window_ms);
            o.challenge_until_ms = Some(until);
            state.set_due(&mut o, Some(until))?;
        }
        state.put_order(&o, was)?;
        ctx.emit(event::order(&o, "submitted"));
        Ok(())
    }
}
