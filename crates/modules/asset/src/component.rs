use fructus_component::Component;
use fructus_storage::StateWrite;

use crate::{AssetError, AssetGenesis};

/// The asset module's life-cycle hooks (none do work yet: income is
/// credited by messages and other modules, never per block).
#[derive(Debug, Clone, Copy)]
pub struct AssetModule;

impl Component for AssetModule {
    type Genesis = AssetGenesis;
    type Error = AssetError;

    fn init_genesis<S: StateWrite>(
        _state: &mut S,
        genesis: &AssetGenesis,
    ) -> Result<(), AssetError> {
        genesis.validate()
    }
}
