use fructus_bank::{BankStateReadExt, BankStateWriteExt, DenomMetadata};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, BlockTime, Coin};

use crate::{
    Capacity, ComputeError, ComputeStateReadExt, ComputeStateWriteExt, Provider, capacity_denom,
    event,
    msg::MintCapacity,
    settle::{require_online, require_operator},
};

/// What a mint needs: the provider, the window's record, whether its
/// denom exists yet.
pub struct Checked {
    provider: Provider,
    capacity: Capacity,
    denom_exists: bool,
}

impl ActionHandler for MintCapacity {
    type Error = ComputeError;
    type Checked = Checked;
    const KIND: &'static str = "compute/mint_capacity";
    const BASE_GAS: u64 = 15_000;

    /// The operator, while online, for a future window within
    /// `max_windows_ahead`, at most the window's free capacity (GPUs ×
    /// window hours, less what was minted or reserved).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, ComputeError> {
        let params = state.compute_params()?;
        let epoch = state.epoch()?;
        let p = state.require_provider(self.asset_id)?;
        require_operator(&p, &ctx.signer)?;
        let now = ctx.block.time.0;
        require_online(&p, now)?;
        let current = epoch.window_at(now);
        if self.window <= current {
            return Err(ComputeError::WindowRefused {
                window: self.window,
                reason: format!(
                    "capacity is minted for future windows only (now in window {current})"
                ),
            });
        }
        if self.window > current.saturating_add(params.max_windows_ahead) {
            return Err(ComputeError::WindowRefused {
                window: self.window,
                reason: format!(
                    "at most {} windows ahead of the current {current}",
                    params.max_windows_ahead
                ),
            });
        }
        let capacity = state.capacity_or_new(&epoch, self.asset_id, self.window, p.gpus)?;
        if self.hours > capacity.free() {
            return Err(ComputeError::CapacityExceeded {
                asset_id: self.asset_id,
                window: self.window,
                requested: self.hours,
                available: capacity.free(),
                capacity: capacity.capacity,
            });
        }
        let denom_exists = state
            .denom_metadata(&capacity_denom(self.asset_id, self.window))?
            .is_some();
        Ok(Checked {
            provider: p,
            capacity,
            denom_exists,
        })
    }

    /// The first mint of a window registers its denom (no issuer: only
    /// this module mints it) with bank, expiring at the window's end.
    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let Checked {
            provider,
            mut capacity,
            denom_exists,
        } = c;
        let denom = capacity_denom(self.asset_id, self.window);
        if !denom_exists {
            state.put_denom_metadata(&DenomMetadata {
                denom: denom.clone(),
                issuer: None,
                symbol: "GPUH".into(),
                decimals: 0,
                kyc_only: false,
            })?;
            state.set_denom_expiry(&denom, BlockTime(capacity.end_ms))?;
        }
        let minted = Coin {
            denom,
            amount: Amount::new(u128::from(self.hours)),
        };
        state.mint(&provider.operator, &minted)?;
        capacity.minted = capacity
            .minted
            .checked_add(self.hours)
            .ok_or(ComputeError::Overflow { what: "minted" })?;
        state.put_capacity(&capacity)?;
        ctx.emit(event::mint_capacity(
            self.asset_id,
            self.window,
            &minted,
            capacity.end_ms,
        ));
        Ok(())
    }
}
