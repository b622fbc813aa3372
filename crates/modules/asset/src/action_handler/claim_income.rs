use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateReadExt, AssetStateWriteExt, event, msg::ClaimIncome};

/// Gas per asset claimed on top of the base cost.
const GAS_PER_ASSET: u64 = 3_000;

impl ActionHandler for ClaimIncome {
    type Error = AssetError;
    const KIND: &'static str = "asset/claim_income";
    const BASE_GAS: u64 = 5_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), AssetError> {
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        for &asset_id in &self.asset_ids {
            state.require_asset(asset_id)?;
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let n = u64::try_from(self.asset_ids.len()).unwrap_or(u64::MAX);
        ctx.consume_gas(GAS_PER_ASSET.saturating_mul(n))
            .map_err(|e| AssetError::field("asset_ids", e))?;
        for &asset_id in &self.asset_ids {
            let paid = state.claim_income(asset_id, &ctx.signer)?;
            if !paid.is_empty() {
                ctx.emit(event::income_claimed(asset_id, &ctx.signer, &paid));
            }
        }
        Ok(())
    }
}
