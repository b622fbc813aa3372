use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    ComputeError, ComputeStateReadExt, ComputeStateWriteExt, Order, OrderStatus, Verification,
    event, msg::Challenge,
};

use super::{require_buyer, require_status};

impl ActionHandler for Challenge {
    type Error = ComputeError;
    type Checked = Order;
    const KIND: &'static str = "compute/challenge";
    const BASE_GAS: u64 = 8_000;

    /// The buyer, on a submitted challenge-window order, before the window
    /// closes.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Order, ComputeError> {
        let o = state.require_order(self.order_id)?;
        require_buyer(&o, &ctx.signer)?;
        if !matches!(o.verification, Verification::ChallengeWindow(_)) {
            return Err(ComputeError::TermsMismatch {
                order_id: o.id,
                reason: "it has no challenge window".into(),
            });
        }
        require_status(&o, &[OrderStatus::Submitted], "submitted")?;
        let closed_ms = o.challenge_until_ms.unwrap_or(0);
        if ctx.block.time.0 >= closed_ms {
            return Err(ComputeError::ChallengeClosed {
                order_id: o.id,
                closed_ms,
            });
        }
        Ok(o)
    }

    /// The verifier has one challenge window to decide; left undecided,
    /// the buyer is refunded with nobody at fault.
    fn execute<S: StateWrite>(
        &self,
        mut o: Order,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let was = o.status;
        o.status = OrderStatus::Challenged;
        let until = ctx.block.time.0.saturating_add(o.challenge_window_ms);
        state.set_due(&mut o, Some(until))?;
        state.put_order(&o, was)?;
        ctx.emit(event::order(&o, "challenged"));
        Ok(())
    }
}
