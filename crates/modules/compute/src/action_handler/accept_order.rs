use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_certificate::{CertificateKind, CertificateStateReadExt};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin};

use crate::{
    Capacity, ComputeError, ComputeParams, ComputeStateReadExt, ComputeStateWriteExt, GreenLink,
    Order, OrderStatus, Provider, event,
    msg::AcceptOrder,
    order_escrow,
    params::BPS,
    settle::{require_online, require_operator},
};

use super::require_status;

/// What an acceptance needs, loaded and checked.
pub struct Checked {
    params: ComputeParams,
    order: Order,
    provider: Provider,
    capacity: Capacity,
    /// Escrow above `hours × price`, refunded to the buyer now.
    excess: Amount,
    /// Green orders: the batch and the RECs its completion retires.
    green: Option<(u64, u64)>,
}

impl ActionHandler for AcceptOrder {
    type Error = ComputeError;
    type Checked = Checked;
    const KIND: &'static str = "compute/accept_order";
    const BASE_GAS: u64 = 20_000;

    /// The order is open (fully funded) and before its deadline; the
    /// signer operates the provider, which is online, has the GPU model
    /// asked for, a bond of at least `min_bond`, room for another open
    /// order, a green link if the order wants green compute, and enough
    /// unreserved capacity in the window — the current or a later one,
    /// ending by the deadline; the price is at most the order's maximum.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, ComputeError> {
        let params = state.compute_params()?;
        let epoch = state.epoch()?;
        let now = ctx.block.time.0;
        let order = state.require_order(self.order_id)?;
        require_status(
            &order,
            &[OrderStatus::Open],
            "open (funded, not yet accepted)",
        )?;
        if order.deadline_ms <= now {
            return Err(ComputeError::DeadlinePassed {
                order_id: order.id,
                deadline_ms: order.deadline_ms,
                block_ms: now,
            });
        }
        let provider = state.require_provider(self.asset_id)?;
        require_operator(&provider, &ctx.signer)?;
        require_online(&provider, now)?;
        let mismatch = |reason: String| ComputeError::TermsMismatch {
            order_id: order.id,
            reason,
        };
        if provider.gpu_model != order.gpu_model {
            return Err(mismatch(format!(
                "it asks for {} GPUs, the provider has {}",
                order.gpu_model, provider.gpu_model
            )));
        }
        if self.price_per_hour > order.max_price_per_hour {
            return Err(mismatch(format!(
                "price {} per hour is above its maximum {}",
                self.price_per_hour, order.max_price_per_hour
            )));
        }
        let green = if order.green {
            Some(green_cover(state, &params, &provider, &order)?)
        } else {
            None
        };
        if provider.bond < params.min_bond {
            return Err(ComputeError::BondTooSmall {
                got: provider.bond.value(),
                min: params.min_bond.value(),
            });
        }
        let max_open = usize::try_from(params.max_open_orders).unwrap_or(usize::MAX);
        if provider.open_orders.len() >= max_open {
            return Err(ComputeError::TooManyOrders {
                asset_id: provider.asset_id,
                max: max_open,
            });
        }
        let current = epoch.window_at(now);
        let refuse = |reason: String| ComputeError::WindowRefused {
            window: self.window,
            reason,
        };
        if self.window < current {
            return Err(refuse(format!("it has ended (now in window {current})")));
        }
        if self.window > current.saturating_add(params.max_windows_ahead) {
            return Err(refuse(format!(
                "at most {} windows ahead of the current {current}",
                params.max_windows_ahead
            )));
        }
        if epoch.end(self.window)? > order.deadline_ms {
            return Err(refuse(format!(
                "it ends after the order's deadline {} ms",
                order.deadline_ms
            )));
        }
        let capacity =
            state.capacity_or_new(&epoch, provider.asset_id, self.window, provider.gpus)?;
        if order.hours > capacity.free() {
            return Err(ComputeError::CapacityExceeded {
                asset_id: provider.asset_id,
                window: self.window,
                requested: order.hours,
                available: capacity.free(),
                capacity: capacity.capacity,
            });
        }
        let total = self
            .price_per_hour
            .mul_div_floor(u128::from(order.hours), 1)
            .map_err(|_| ComputeError::Overflow {
                what: "hours × price",
            })?;
        let excess = order
            .escrow
            .checked_sub(total)
            .map_err(|_| ComputeError::Overflow { what: "escrow" })?;
        if !excess.is_zero() {
            state.check_can_receive(&order.buyer, &order.denom)?;
        }
        Ok(Checked {
            params,
            order,
            provider,
            capacity,
            excess,
            green,
        })
    }

    /// Reserves the hours, refunds the escrow above the agreed price and
    /// fixes the terms (shares, slash fraction, challenge window) for the
    /// life of the order.
    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let Checked {
            params,
            mut order,
            mut provider,
            mut capacity,
            excess,
            green,
        } = c;
        state.transfer(
            &order_escrow(order.id),
            &order.buyer,
            &Coin {
                denom: order.denom.clone(),
                amount: excess,
            },
        )?;
        capacity.reserved = capacity
            .reserved
            .checked_add(order.hours)
            .ok_or(ComputeError::Overflow { what: "reserved" })?;
        state.put_capacity(&capacity)?;
        let was = order.status;
        order.escrow = order
            .escrow
            .checked_sub(excess)
            .map_err(|_| ComputeError::Overflow { what: "escrow" })?;
        order.status = OrderStatus::Accepted;
        order.asset_id = Some(provider.asset_id);
        order.window = Some(self.window);
        order.price_per_hour = self.price_per_hour;
        order.maintainer = provider.maintainer;
        order.maintainer_bps = provider.maintainer_bps;
        order.platform_bps = params
            .platform_bps
            .min(BPS.saturating_sub(provider.maintainer_bps));
        order.slash_bps = params.slash_bps;
        order.challenge_window_ms = params.challenge_window_ms;
        if let Some((batch, recs)) = green {
            order.green_batch = Some(batch);
            order.certificates = recs;
            provider.certificates_committed = provider
                .certificates_committed
                .checked_add(recs)
                .ok_or(ComputeError::Overflow {
                    what: "certificates",
                })?;
        }
        state.put_order(&order, was)?;
        state.index_order_provider(provider.asset_id, order.id)?;
        provider.open_orders.push(order.id);
        state.put_provider(&provider)?;
        ctx.emit(event::order(&order, "accepted"));
        Ok(())
    }
}

/// A green order's cover: the provider's green link is a REC batch, and its
/// operator holds enough of it for this order's energy
/// (`ComputeParams::recs_for`) on top of what its open green orders
/// already committed. Returns `(batch id, RECs)`.
fn green_cover<S: StateRead>(
    state: &S,
    params: &ComputeParams,
    provider: &Provider,
    order: &Order,
) -> Result<(u64, u64), ComputeError> {
    let mismatch = |reason: String| ComputeError::TermsMismatch {
        order_id: order.id,
        reason,
    };
    let batch_id = match &provider.green {
        GreenLink::CertificateBatch(b) => b.parse::<u64>().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        mismatch("it requires green compute and the provider names no certificate batch".into())
    })?;
    let batch = state
        .batch(batch_id)
        .map_err(ComputeError::from_dependency)?
        .filter(|b| b.kind == CertificateKind::Rec)
        .ok_or_else(|| {
            mismatch(format!(
                "the provider's batch {batch_id} is not a REC batch"
            ))
        })?;
    let recs = params.recs_for(order.hours);
    let needed =
        provider
            .certificates_committed
            .checked_add(recs)
            .ok_or(ComputeError::Overflow {
                what: "certificates",
            })?;
    let held = state.balance(&provider.operator, &batch.denom())?;
    if held.value() < u128::from(needed) {
        return Err(mismatch(format!(
            "green compute needs {recs} RECs of batch {batch_id} ({needed} with the provider's open green orders); its operator holds {held}"
        )));
    }
    Ok((batch_id, recs))
}
