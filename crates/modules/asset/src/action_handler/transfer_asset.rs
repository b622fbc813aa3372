use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateWriteExt, event, msg::TransferAsset};

use super::require_owner;

impl ActionHandler for TransferAsset {
    type Error = AssetError;
    const KIND: &'static str = "asset/transfer";
    const BASE_GAS: u64 = 5_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), AssetError> {
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        let asset = require_owner(state, self.asset_id, &ctx.signer)?;
        if asset.fractionalized.is_some() {
            return Err(AssetError::Locked {
                asset_id: self.asset_id,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let mut asset = require_owner(state, self.asset_id, &ctx.signer)?;
        asset.owner = self.to;
        state.put_asset(&asset)?;
        ctx.emit(event::transfer(self.asset_id, &ctx.signer, &self.to));
        Ok(())
    }
}
