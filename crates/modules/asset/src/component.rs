//! The asset module's component: its block life-cycle hooks.

use fructus_component::Component;
use fructus_storage::StateWrite;

use crate::{AssetError, AssetGenesis};

/// The asset module's component (named like every module's: `Bank`,
/// `Auth`, `Identity`, `Staking`, `Metering`); reached as
/// `fructus_asset::component::Asset`, since the crate root's `Asset` is the
/// asset NFT record. Its life-cycle hooks (none do work yet: income is
/// credited by messages and other modules, never per block).
#[derive(Debug, Clone, Copy)]
pub struct Asset;

impl Component for Asset {
    type Genesis = AssetGenesis;
    type Error = AssetError;

    fn init_genesis<S: StateWrite>(
        _state: &mut S,
        genesis: &AssetGenesis,
    ) -> Result<(), AssetError> {
        genesis.validate()
    }
}
