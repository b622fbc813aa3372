use fructus_bank::BankStateWriteExt;
use fructus_component::{Component, init_params};
use fructus_storage::StateWrite;

use crate::{LendingError, LendingGenesis, pool_account, reserve_account, state_key};

/// The lending module's life-cycle hooks: genesis only. Interest accrues
/// lazily when a market is touched (O(1)) and NFT loan maturity only
/// changes who may act, so no block hook runs.
#[derive(Debug, Clone, Copy)]
pub struct Lending;

impl Component for Lending {
    type Genesis = LendingGenesis;
    type Error = LendingError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &LendingGenesis,
    ) -> Result<(), LendingError> {
        genesis.validate()?;
        init_params(state, &genesis.params)?;
        state.put(state_key::quote(), &genesis.quote_denom)?;
        state.register_module_account(&pool_account())?;
        state.register_module_account(&reserve_account())?;
        Ok(())
    }
}
