use fructus_bank::BankStateReadExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateReadExt, AssetStateWriteExt, event, msg::Redeem, share_denom};

impl ActionHandler for Redeem {
    type Error = AssetError;
    type Checked = ();
    const KIND: &'static str = "asset/redeem";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        let asset = state.require_asset(self.asset_id)?;
        if asset.fractionalized.is_none() {
            return Err(AssetError::NotFractionalized {
                asset_id: self.asset_id,
            });
        }
        let denom = share_denom(self.asset_id);
        let total = state.supply(&denom)?;
        let held = state.balance(&ctx.signer, &denom)?;
        if held < total {
            return Err(AssetError::NotAllShares {
                asset_id: self.asset_id,
                signer: ctx.signer,
                held,
                total,
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
        let (burned, paid) = state.redeem_asset(self.asset_id, &ctx.signer)?;
        if !paid.is_empty() {
            ctx.emit(event::income_claimed(self.asset_id, &ctx.signer, &paid));
        }
        ctx.emit(event::redeem(self.asset_id, &ctx.signer, &burned));
        Ok(())
    }
}
