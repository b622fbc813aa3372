use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateWriteExt, event, msg::Fractionalize};

use super::require_owner;

impl ActionHandler for Fractionalize {
    type Error = AssetError;
    type Checked = ();
    const KIND: &'static str = "asset/fractionalize";
    const BASE_GAS: u64 = 20_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), AssetError> {
        if self.shares.is_zero() {
            return Err(AssetError::field("shares", "at least 1 share"));
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        let asset = require_owner(state, self.asset_id, &ctx.signer)?;
        if let Some(f) = asset.fractionalized {
            return Err(AssetError::AlreadyFractionalized {
                asset_id: self.asset_id,
                shares: f.shares,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let shares = state.fractionalize_asset(self.asset_id, self.shares, ctx.block.height)?;
        ctx.emit(event::fractionalize(self.asset_id, &ctx.signer, &shares));
        Ok(())
    }
}
