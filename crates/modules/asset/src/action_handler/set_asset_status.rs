use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{Asset, AssetError, AssetStateWriteExt, event, msg::SetAssetStatus};

use super::require_owner;

/// The owner of record sets the status. While fractionalized that is the
/// account that fractionalized the asset: it remains the operator of the
/// physical device (maintenance, retirement), while shareholders hold the
/// income rights.
impl ActionHandler for SetAssetStatus {
    type Error = AssetError;
    /// The asset, owned by the signer.
    type Checked = Asset;
    const KIND: &'static str = "asset/set_status";
    const BASE_GAS: u64 = 3_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Asset, AssetError> {
        require_owner(state, self.asset_id, &ctx.signer)
    }

    fn execute<S: StateWrite>(
        &self,
        mut asset: Asset,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        asset.status = self.status;
        state.put_asset(&asset)?;
        ctx.emit(event::status(self.asset_id, self.status, &ctx.signer));
        Ok(())
    }
}
