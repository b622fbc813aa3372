use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateWriteExt, event, msg::SetAssetStatus};

use super::require_owner;

/// The owner of record sets the status. While fractionalized that is the
/// account that fractionalized the asset: it remains the operator of the
/// physical device (maintenance, retirement), while shareholders hold the
/// income rights.
impl ActionHandler for SetAssetStatus {
    type Error = AssetError;
    const KIND: &'static str = "asset/set_status";
    const BASE_GAS: u64 = 3_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), AssetError> {
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        require_owner(state, self.asset_id, &ctx.signer).map(|_| ())
    }

    fn execute<S: StateWrite>(
        &self,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let mut asset = require_owner(state, self.asset_id, &ctx.signer)?;
        asset.status = self.status;
        state.put_asset(&asset)?;
        ctx.emit(event::status(self.asset_id, self.status, &ctx.signer));
        Ok(())
    }
}
