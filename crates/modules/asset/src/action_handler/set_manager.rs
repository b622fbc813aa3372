use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateWriteExt, event, msg::SetManager};

use super::require_creator;

impl ActionHandler for SetManager {
    type Error = AssetError;
    type Checked = ();
    const KIND: &'static str = "asset/set_manager";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        require_creator(state, self.class_id, &ctx.signer).map(|_| ())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        state.set_asset_manager(self.class_id, &self.manager, self.authorized)?;
        ctx.emit(event::set_manager(
            self.class_id,
            &self.manager,
            self.authorized,
        ));
        Ok(())
    }
}
