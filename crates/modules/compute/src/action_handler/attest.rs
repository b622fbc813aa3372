use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    ComputeError, ComputeStateReadExt, Fault, Order, OrderStatus, Verification,
    msg::Attest,
    settle::{Outcome, SettleStateWriteExt},
};

use super::{emit_all, require_status};

impl ActionHandler for Attest {
    type Error = ComputeError;
    type Checked = Order;
    const KIND: &'static str = "compute/attest";
    const BASE_GAS: u64 = 20_000;

    /// Only the order's named verifier, on the submitted result hash: a
    /// verifier-mode order once submitted, a challenge-window order once
    /// challenged.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Order, ComputeError> {
        let o = state.require_order(self.order_id)?;
        let unauthorized = || ComputeError::Unauthorized {
            order_id: o.id,
            signer: ctx.signer,
            who: match o.verification.verifier() {
                Some(v) => format!("its verifier {v}"),
                None => "nobody (the buyer confirms it)".into(),
            },
        };
        match &o.verification {
            Verification::BuyerConfirm => return Err(unauthorized()),
            Verification::Verifier(v) => {
                if *v != ctx.signer {
                    return Err(unauthorized());
                }
                require_status(&o, &[OrderStatus::Submitted], "submitted")?;
            }
            Verification::ChallengeWindow(v) => {
                if *v != ctx.signer {
                    return Err(unauthorized());
                }
                require_status(&o, &[OrderStatus::Challenged], "challenged by its buyer")?;
            }
        }
        if o.result_hash.as_deref() != Some(self.result_hash.as_str()) {
            return Err(ComputeError::ResultMismatch { order_id: o.id });
        }
        Ok(o)
    }

    /// Approval pays out; rejection is a task failure: the buyer is
    /// refunded and the provider's bond slashed.
    fn execute<S: StateWrite>(
        &self,
        o: Order,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let outcome = if self.approve {
            Outcome::Complete
        } else {
            Outcome::Fail(Fault::TaskRejected)
        };
        let block = ctx.block.clone();
        let events = state.settle_with_events(o, outcome, &block)?;
        emit_all(ctx, events);
        Ok(())
    }
}
