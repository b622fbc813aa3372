//! The only way anything reads or writes compute state.

use fructus_component::ParamsRead;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockTime};

use crate::{
    Capacity, ComputeError, ComputeParams, Order, OrderStatus, Provider, Receipt, state_key,
};

/// The clock windows are counted in: fixed at genesis.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    utoipa::ToSchema,
)]
pub struct Epoch {
    /// Genesis time, ms: window 0 starts here.
    pub genesis_ms: u64,
    /// Window length, ms (whole hours).
    pub window_ms: u64,
}

impl Epoch {
    /// The window `time_ms` falls in (window 0 before genesis).
    pub fn window_at(&self, time_ms: u64) -> u64 {
        time_ms
            .saturating_sub(self.genesis_ms)
            .checked_div(self.window_ms)
            .unwrap_or(0)
    }

    /// Block time window `w` starts at.
    pub fn start(&self, w: u64) -> Result<u64, ComputeError> {
        w.checked_mul(self.window_ms)
            .and_then(|d| d.checked_add(self.genesis_ms))
            .ok_or(ComputeError::Overflow {
                what: "window start",
            })
    }

    /// Block time window `w` ends at (its tokens' expiry).
    pub fn end(&self, w: u64) -> Result<u64, ComputeError> {
        self.start(w)?
            .checked_add(self.window_ms)
            .ok_or(ComputeError::Overflow { what: "window end" })
    }

    /// Whole hours in a window.
    pub fn hours(&self) -> u64 {
        self.window_ms / crate::HOUR_MS
    }
}

/// Whether the provider is online at `now_ms`: its last heartbeat reported
/// GPUs up and its interval has not run out (the liveness sweep at the end
/// of the block only records what this already says).
pub fn is_online(p: &Provider, now_ms: u64) -> bool {
    p.online && p.offline_at_ms.is_some_and(|at| now_ms < at)
}

/// Compute reads, available on any state.
pub trait ComputeStateReadExt: StateRead {
    /// The parameters (defaults until genesis writes them).
    fn compute_params(&self) -> Result<ComputeParams, ComputeError> {
        self.params::<ComputeParams>()
    }

    /// The window clock.
    fn epoch(&self) -> Result<Epoch, ComputeError> {
        self.get(&state_key::epoch())?
            .ok_or_else(|| ComputeError::Corrupt {
                reason: "the compute epoch was not written at genesis".into(),
            })
    }

    /// A provider, if registered.
    fn provider(&self, asset_id: u64) -> Result<Option<Provider>, ComputeError> {
        Ok(self.get(&state_key::provider(asset_id))?)
    }

    /// A provider, or [`ComputeError::ProviderNotFound`].
    fn require_provider(&self, asset_id: u64) -> Result<Provider, ComputeError> {
        self.provider(asset_id)?
            .ok_or(ComputeError::ProviderNotFound { asset_id })
    }

    /// Providers in asset order after `start_after`, at most `limit`.
    fn providers(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Provider>, ComputeError> {
        let start = start_after.map(state_key::provider);
        Ok(self
            .prefix::<Provider>(&state_key::all_providers(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    /// A window's capacity record, if minted from or reserved.
    fn capacity(&self, asset_id: u64, window: u64) -> Result<Option<Capacity>, ComputeError> {
        Ok(self.get(&state_key::capacity(asset_id, window))?)
    }

    /// A window's capacity record, or a fresh one for a provider with
    /// `gpus` GPUs.
    fn capacity_or_new(
        &self,
        epoch: &Epoch,
        asset_id: u64,
        window: u64,
        gpus: u32,
    ) -> Result<Capacity, ComputeError> {
        if let Some(c) = self.capacity(asset_id, window)? {
            return Ok(c);
        }
        Ok(Capacity {
            asset_id,
            window,
            start_ms: epoch.start(window)?,
            end_ms: epoch.end(window)?,
            capacity: u64::from(gpus)
                .checked_mul(epoch.hours())
                .ok_or(ComputeError::Overflow { what: "capacity" })?,
            ..Capacity::default()
        })
    }

    /// One provider's windows in order after `start_after`, at most
    /// `limit`.
    fn capacities(
        &self,
        asset_id: u64,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Capacity>, ComputeError> {
        let start = start_after.map(|w| state_key::capacity(asset_id, w));
        Ok(self
            .prefix::<Capacity>(&state_key::capacity_of(asset_id), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// An order, if it exists.
    fn order(&self, id: u64) -> Result<Option<Order>, ComputeError> {
        Ok(self.get(&state_key::order(id))?)
    }

    /// An order, or [`ComputeError::OrderNotFound`].
    fn require_order(&self, id: u64) -> Result<Order, ComputeError> {
        self.order(id)?
            .ok_or(ComputeError::OrderNotFound { order_id: id })
    }

    /// Orders in id order after `start_after`, at most `limit`.
    fn orders(&self, start_after: Option<u64>, limit: usize) -> Result<Vec<Order>, ComputeError> {
        let start = start_after.map(state_key::order);
        Ok(self
            .prefix::<Order>(&state_key::all_orders(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, o)| o)
            .collect())
    }

    /// Orders of an index (`by_buyer`, `by_provider`, `by_status` prefix)
    /// in id order after `start_after`, at most `limit`.
    #[doc(hidden)]
    fn orders_in_index(
        &self,
        prefix: &[u8],
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Order>, ComputeError> {
        let start = start_after.map(|id| [prefix, &id.to_be_bytes()].concat());
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw(prefix, start.as_deref(), limit)? {
            if let Some(id) = state_key::parse_trailing_id(prefix, &key) {
                out.push(self.require_order(id)?);
            }
        }
        Ok(out)
    }

    /// A buyer's orders.
    fn orders_of_buyer(
        &self,
        buyer: &Address,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Order>, ComputeError> {
        self.orders_in_index(&state_key::by_buyer_prefix(buyer), start_after, limit)
    }

    /// A provider's orders.
    fn orders_of_provider(
        &self,
        asset_id: u64,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Order>, ComputeError> {
        self.orders_in_index(&state_key::by_provider_prefix(asset_id), start_after, limit)
    }

    /// Orders of a status.
    fn orders_with_status(
        &self,
        status: OrderStatus,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Order>, ComputeError> {
        self.orders_in_index(
            &state_key::by_status_prefix(status.code()),
            start_after,
            limit,
        )
    }

    /// An order's receipt, once settled.
    fn receipt(&self, order_id: u64) -> Result<Option<Receipt>, ComputeError> {
        Ok(self.get(&state_key::receipt(order_id))?)
    }

    /// Receipts in order id order after `start_after`, at most `limit`.
    fn receipts(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Receipt>, ComputeError> {
        let start = start_after.map(state_key::receipt);
        Ok(self
            .prefix::<Receipt>(&state_key::all_receipts(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, r)| r)
            .collect())
    }

    /// Height and time of the block being executed (or the last one, in a
    /// snapshot), from bank's clock.
    fn compute_clock(&self) -> Result<BlockTime, ComputeError> {
        use fructus_bank::BankStateReadExt;
        Ok(self.block_clock()?.1)
    }
}

impl<T: StateRead + ?Sized> ComputeStateReadExt for T {}

/// Compute record writes, index and queue upkeep included.
pub trait ComputeStateWriteExt: StateWrite {
    /// Writes the window clock (genesis).
    fn put_epoch(&mut self, epoch: &Epoch) -> Result<(), ComputeError> {
        Ok(self.put(state_key::epoch(), epoch)?)
    }

    /// Stores a provider.
    fn put_provider(&mut self, p: &Provider) -> Result<(), ComputeError> {
        Ok(self.put(state_key::provider(p.asset_id), p)?)
    }

    /// Moves the provider's entry in the liveness queue to `offline_at_ms`
    /// (`None` takes it out). The caller stores the provider.
    fn set_liveness(
        &mut self,
        p: &mut Provider,
        offline_at_ms: Option<u64>,
    ) -> Result<(), ComputeError> {
        if let Some(old) = p.offline_at_ms.take() {
            self.delete(state_key::liveness(old, p.asset_id));
        }
        if let Some(at) = offline_at_ms {
            self.put(state_key::liveness(at, p.asset_id), &())?;
        }
        p.offline_at_ms = offline_at_ms;
        Ok(())
    }

    /// Stores a window's capacity.
    fn put_capacity(&mut self, c: &Capacity) -> Result<(), ComputeError> {
        Ok(self.put(state_key::capacity(c.asset_id, c.window), c)?)
    }

    /// Takes the next order id.
    fn next_order_id(&mut self) -> Result<u64, ComputeError> {
        let id: u64 = self.get(&state_key::next_order())?.unwrap_or(1);
        let next = id
            .checked_add(1)
            .ok_or(ComputeError::Overflow { what: "order id" })?;
        self.put(state_key::next_order(), &next)?;
        Ok(id)
    }

    /// Stores a new order with its buyer and status indexes.
    fn insert_order(&mut self, o: &Order) -> Result<(), ComputeError> {
        self.put(state_key::by_buyer(&o.buyer, o.id), &())?;
        self.put(state_key::by_status(o.status.code(), o.id), &())?;
        if let Some(asset) = o.asset_id {
            self.put(state_key::by_provider(asset, o.id), &())?;
        }
        Ok(self.put(state_key::order(o.id), o)?)
    }

    /// Stores an order whose status was `was` (indexes follow).
    fn put_order(&mut self, o: &Order, was: OrderStatus) -> Result<(), ComputeError> {
        if was != o.status {
            self.delete(state_key::by_status(was.code(), o.id));
            self.put(state_key::by_status(o.status.code(), o.id), &())?;
        }
        Ok(self.put(state_key::order(o.id), o)?)
    }

    /// Lists the order under its provider (at acceptance).
    fn index_order_provider(&mut self, asset_id: u64, order_id: u64) -> Result<(), ComputeError> {
        Ok(self.put(state_key::by_provider(asset_id, order_id), &())?)
    }

    /// Moves the order's entry in the settlement queue to `due_ms` (`None`
    /// takes it out). The caller stores the order.
    fn set_due(&mut self, o: &mut Order, due_ms: Option<u64>) -> Result<(), ComputeError> {
        if let Some(old) = o.due_ms.take() {
            self.delete(state_key::due(old, o.id));
        }
        if let Some(at) = due_ms {
            self.put(state_key::due(at, o.id), &())?;
        }
        o.due_ms = due_ms;
        Ok(())
    }

    /// Stores a receipt.
    fn put_receipt(&mut self, r: &Receipt) -> Result<(), ComputeError> {
        Ok(self.put(state_key::receipt(r.order_id), r)?)
    }
}

impl<T: StateWrite + ?Sized> ComputeStateWriteExt for T {}
