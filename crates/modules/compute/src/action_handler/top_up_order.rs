use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Amount;

use crate::{
    ComputeError, ComputeStateReadExt, ComputeStateWriteExt, Order, OrderStatus, event,
    msg::TopUpOrder, order_escrow,
};

use super::{require_buyer, require_status};

impl ActionHandler for TopUpOrder {
    type Error = ComputeError;
    type Checked = (Order, Amount);
    const KIND: &'static str = "compute/top_up_order";
    const BASE_GAS: u64 = 8_000;

    /// The buyer, on its paused order, in its denom, up to full funding.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(Order, Amount), ComputeError> {
        let o = state.require_order(self.order_id)?;
        require_buyer(&o, &ctx.signer)?;
        require_status(&o, &[OrderStatus::Paused], "paused (under-funded)")?;
        if self.amount.denom != o.denom {
            return Err(ComputeError::WrongDenom {
                expected: o.denom.to_string(),
                got: self.amount.denom.to_string(),
            });
        }
        let full = o
            .max_price_per_hour
            .mul_div_floor(u128::from(o.hours), 1)
            .map_err(|_| ComputeError::Overflow {
                what: "hours × price",
            })?;
        let escrow = o
            .escrow
            .checked_add(self.amount.amount)
            .map_err(|_| ComputeError::Overflow { what: "escrow" })?;
        if escrow > full {
            return Err(ComputeError::field(
                "amount",
                format!(
                    "at most {} more funds the order",
                    full.value().saturating_sub(o.escrow.value())
                ),
            ));
        }
        Ok((o, full))
    }

    /// Fully funded, the order opens until its deadline.
    fn execute<S: StateWrite>(
        &self,
        (mut o, full): (Order, Amount),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        state.transfer(&ctx.signer, &order_escrow(o.id), &self.amount)?;
        let was = o.status;
        o.escrow = o
            .escrow
            .checked_add(self.amount.amount)
            .map_err(|_| ComputeError::Overflow { what: "escrow" })?;
        if o.escrow >= full {
            o.status = OrderStatus::Open;
            o.paused_until_ms = None;
            let deadline = o.deadline_ms;
            state.set_due(&mut o, Some(deadline))?;
        }
        state.put_order(&o, was)?;
        ctx.emit(event::order(&o, "topped_up"));
        Ok(())
    }
}
