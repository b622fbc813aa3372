use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateWriteExt, ClassSpec, can_create_class, event, msg::CreateClass};

impl ActionHandler for CreateClass {
    type Error = AssetError;
    type Checked = ();
    const KIND: &'static str = "asset/create_class";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        can_create_class(state, &ctx.signer, ctx.block.height, ctx.block.time)
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let spec = ClassSpec {
            name: self.name.clone(),
            manufacturer: self.manufacturer.clone(),
            model: self.model.clone(),
            unit: self.unit.clone(),
            metadata_uri: self.metadata_uri.clone(),
            metadata_sha256: self.metadata_sha256,
            attestation_keys: self.attestation_keys.clone(),
        };
        let id = state.create_class(&ctx.signer, spec, ctx.block.height)?;
        ctx.emit(event::create_class(id, &ctx.signer, &self.name, &self.unit));
        Ok(())
    }
}
