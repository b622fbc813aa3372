use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateReadExt, AssetStateWriteExt, event, msg::MintAsset};

impl ActionHandler for MintAsset {
    type Error = AssetError;
    type Checked = ();
    const KIND: &'static str = "asset/mint";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        let class = state.require_class(self.class_id)?;
        if !state.may_mint(&class, &ctx.signer)? {
            return Err(AssetError::NotMinter {
                class_id: self.class_id,
                signer: ctx.signer,
            });
        }
        if let Some(asset_id) = state.asset_by_serial(self.class_id, &self.serial)? {
            return Err(AssetError::DuplicateSerial {
                class_id: self.class_id,
                serial: self.serial.clone(),
                asset_id,
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
        let owner = self.owner.unwrap_or(ctx.signer);
        let id = state.mint_asset(
            self.class_id,
            &self.serial,
            self.location.clone(),
            self.documents.clone(),
            &owner,
            ctx.block.height,
        )?;
        ctx.emit(event::mint(
            id,
            self.class_id,
            &self.serial,
            &owner,
            &ctx.signer,
        ));
        Ok(())
    }
}
