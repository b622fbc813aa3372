//! One file per compute message. Each handler's stateful check reads and
//! validates everything the message needs and returns it as its `Checked`
//! value; `execute` consumes that value and only writes.

mod accept_order;
mod add_bond;
mod attest;
mod burn_expired;
mod cancel_order;
mod challenge;
mod confirm_order;
mod heartbeat;
mod mint_capacity;
mod post_order;
mod redeem_capacity;
mod register_provider;
mod submit_result;
mod top_up_order;

use fructus_component::{Event, TxContext};
use fructus_types::Address;

use crate::{ComputeError, Order, OrderStatus};

/// Emits events.
fn emit_all(ctx: &mut TxContext<'_>, events: Vec<Event>) {
    for e in events {
        ctx.emit(e);
    }
}

/// Refuses unless the order is in one of `allowed`.
fn require_status(
    o: &Order,
    allowed: &[OrderStatus],
    expected: &'static str,
) -> Result<(), ComputeError> {
    if allowed.contains(&o.status) {
        Ok(())
    } else {
        Err(ComputeError::WrongStatus {
            order_id: o.id,
            status: o.status.to_string(),
            expected,
        })
    }
}

/// Refuses unless `signer` is the order's buyer.
fn require_buyer(o: &Order, signer: &Address) -> Result<(), ComputeError> {
    if o.buyer == *signer {
        Ok(())
    } else {
        Err(ComputeError::Unauthorized {
            order_id: o.id,
            signer: *signer,
            who: format!("its buyer {}", o.buyer),
        })
    }
}
