use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Amount;

use crate::{
    ComputeError, ComputeParams, ComputeStateReadExt, ComputeStateWriteExt, Order, OrderStatus,
    event, msg::PostOrder, order_escrow,
};

impl ActionHandler for PostOrder {
    type Error = ComputeError;
    type Checked = (ComputeParams, Amount);
    const KIND: &'static str = "compute/post_order";
    const BASE_GAS: u64 = 20_000;

    /// The deadline is after the block and within
    /// `max_order_duration_ms`; the price's denom is a stablecoin — a
    /// denom with a licensed issuer (not `ufrx`, LP shares, asset shares
    /// or capacity tokens, which have none).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(ComputeParams, Amount), ComputeError> {
        let params = state.compute_params()?;
        let now = ctx.block.time.0;
        if self.deadline_ms <= now {
            return Err(ComputeError::DeadlinePassed {
                order_id: 0,
                deadline_ms: self.deadline_ms,
                block_ms: now,
            });
        }
        if self.deadline_ms.saturating_sub(now) > params.max_order_duration_ms {
            return Err(ComputeError::field(
                "deadline_ms",
                format!(
                    "at most {} ms after the block",
                    params.max_order_duration_ms
                ),
            ));
        }
        let denom = &self.max_price_per_hour.denom;
        let stablecoin = state
            .denom_metadata(denom)?
            .is_some_and(|m| m.issuer.is_some());
        if !stablecoin {
            return Err(ComputeError::field(
                "max_price_per_hour",
                format!("{denom} is not a stablecoin (a registered denom with an issuer)"),
            ));
        }
        let full = self
            .max_price_per_hour
            .amount
            .mul_div_floor(u128::from(self.hours), 1)
            .map_err(|_| ComputeError::Overflow {
                what: "hours × price",
            })?;
        Ok((params, full))
    }

    /// A fully funded order is open until its deadline; an under-funded
    /// one is paused: it cannot be accepted, and is closed and refunded
    /// when the grace period (or the deadline, if sooner) passes without a
    /// top-up.
    fn execute<S: StateWrite>(
        &self,
        (params, full): (ComputeParams, Amount),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let now = ctx.block.time.0;
        let id = state.next_order_id()?;
        let escrow = order_escrow(id);
        state.register_module_account(&escrow)?;
        state.transfer(&ctx.signer, &escrow, &self.escrow)?;
        let funded = self.escrow.amount >= full;
        let grace_end = now.saturating_add(params.grace_ms).min(self.deadline_ms);
        let mut o = Order {
            id,
            buyer: ctx.signer,
            spec_hash: self.spec_hash.clone(),
            gpu_model: self.gpu_model.clone(),
            hours: self.hours,
            max_price_per_hour: self.max_price_per_hour.amount,
            denom: self.max_price_per_hour.denom.clone(),
            deadline_ms: self.deadline_ms,
            verification: self.verification.clone(),
            green: self.green,
            escrow: self.escrow.amount,
            status: if funded {
                OrderStatus::Open
            } else {
                OrderStatus::Paused
            },
            paused_until_ms: (!funded).then_some(grace_end),
            asset_id: None,
            window: None,
            price_per_hour: Amount::ZERO,
            redeemed: false,
            result_hash: None,
            challenge_until_ms: None,
            platform_bps: 0,
            maintainer_bps: 0,
            maintainer: None,
            slash_bps: 0,
            challenge_window_ms: 0,
            due_ms: None,
            green_batch: None,
            certificates: 0,
            created_height: ctx.block.height,
        };
        let due = if funded { self.deadline_ms } else { grace_end };
        state.set_due(&mut o, Some(due))?;
        state.insert_order(&o)?;
        ctx.emit(event::order_created(&o));
        Ok(())
    }
}
