use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin};

use crate::{
    Capacity, ComputeError, ComputeParams, ComputeStateReadExt, ComputeStateWriteExt, Order,
    OrderStatus, Provider, capacity_denom, event, msg::RedeemCapacity, order_escrow, params::BPS,
};

/// What a redemption needs, loaded and checked.
pub struct Checked {
    params: ComputeParams,
    provider: Provider,
    capacity: Capacity,
}

impl ActionHandler for RedeemCapacity {
    type Error = ComputeError;
    type Checked = Checked;
    const KIND: &'static str = "compute/redeem_capacity";
    const BASE_GAS: u64 = 20_000;

    /// The window has not ended (an expired token redeems nothing), the
    /// deadline is at or after the window's end and within
    /// `max_order_duration_ms`, and the provider has room for another open
    /// order. Whether the signer holds the tokens is bank's burn's check.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, ComputeError> {
        let params = state.compute_params()?;
        let epoch = state.epoch()?;
        let now = ctx.block.time.0;
        let provider = state.require_provider(self.asset_id)?;
        let capacity = state.capacity(self.asset_id, self.window)?.ok_or_else(|| {
            ComputeError::WindowRefused {
                window: self.window,
                reason: format!("asset {} minted no capacity for it", self.asset_id),
            }
        })?;
        if now >= capacity.end_ms {
            return Err(ComputeError::WindowRefused {
                window: self.window,
                reason: format!("it ended at {} ms: its tokens expired", capacity.end_ms),
            });
        }
        if self.deadline_ms < epoch.end(self.window)?
            || self.deadline_ms.saturating_sub(now) > params.max_order_duration_ms
        {
            return Err(ComputeError::field(
                "deadline_ms",
                format!(
                    "from the window's end {} ms to {} ms after the block",
                    capacity.end_ms, params.max_order_duration_ms
                ),
            ));
        }
        let max_open = usize::try_from(params.max_open_orders).unwrap_or(usize::MAX);
        if provider.open_orders.len() >= max_open {
            return Err(ComputeError::TooManyOrders {
                asset_id: provider.asset_id,
                max: max_open,
            });
        }
        Ok(Checked {
            params,
            provider,
            capacity,
        })
    }

    /// Burns the tokens and opens an accepted order on the provider for
    /// that window, paid for already (no escrow): its completion pays
    /// nothing more, and its failure by the provider's fault slashes the
    /// bond to the holder.
    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let Checked {
            params,
            mut provider,
            mut capacity,
        } = c;
        let denom = capacity_denom(self.asset_id, self.window);
        state.burn(
            &ctx.signer,
            &Coin {
                denom: denom.clone(),
                amount: Amount::new(u128::from(self.hours)),
            },
        )?;
        capacity.redeemed = capacity
            .redeemed
            .checked_add(self.hours)
            .ok_or(ComputeError::Overflow { what: "redeemed" })?;
        state.put_capacity(&capacity)?;
        let id = state.next_order_id()?;
        state.register_module_account(&order_escrow(id))?;
        let mut o = Order {
            id,
            buyer: ctx.signer,
            spec_hash: self.spec_hash.clone(),
            gpu_model: provider.gpu_model.clone(),
            hours: self.hours,
            max_price_per_hour: Amount::ZERO,
            denom,
            deadline_ms: self.deadline_ms,
            verification: self.verification.clone(),
            green: false,
            escrow: Amount::ZERO,
            status: OrderStatus::Accepted,
            paused_until_ms: None,
            asset_id: Some(provider.asset_id),
            window: Some(self.window),
            price_per_hour: Amount::ZERO,
            redeemed: true,
            result_hash: None,
            challenge_until_ms: None,
            platform_bps: params
                .platform_bps
                .min(BPS.saturating_sub(provider.maintainer_bps)),
            maintainer_bps: provider.maintainer_bps,
            maintainer: provider.maintainer,
            slash_bps: params.slash_bps,
            challenge_window_ms: params.challenge_window_ms,
            due_ms: None,
            green_batch: None,
            certificates: 0,
            created_height: ctx.block.height,
        };
        state.set_due(&mut o, Some(self.deadline_ms))?;
        state.insert_order(&o)?;
        provider.open_orders.push(id);
        state.put_provider(&provider)?;
        ctx.emit(event::order_created(&o));
        Ok(())
    }
}
