use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{Asset, AssetError, AssetStateWriteExt, event, msg::TransferAsset};

use super::require_owner;

impl ActionHandler for TransferAsset {
    type Error = AssetError;
    /// The asset, owned by the signer and not fractionalized.
    type Checked = Asset;
    const KIND: &'static str = "asset/transfer";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Asset, AssetError> {
        let asset = require_owner(state, self.asset_id, &ctx.signer)?;
        if asset.fractionalized.is_some() {
            return Err(AssetError::Locked {
                asset_id: self.asset_id,
            });
        }
        Ok(asset)
    }

    fn execute<S: StateWrite>(
        &self,
        mut asset: Asset,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        asset.owner = self.to;
        state.put_asset(&asset)?;
        ctx.emit(event::transfer(self.asset_id, &ctx.signer, &self.to));
        Ok(())
    }
}
