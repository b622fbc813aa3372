use fructus_bank::BankStateWriteExt;
use fructus_component::{BlockContext, Component, Event, init_params};
use fructus_storage::StateWrite;

use crate::{AmmError, AmmGenesis, AmmStateWriteExt, event, protocol_account};

/// The AMM's life-cycle hooks. `end_block` prunes TWAP observations older
/// than the retention window, at most `max_prune_per_block` per block; it
/// reads only the module's own records (no user-chosen number enters its
/// arithmetic), so it fails only on a storage fault or state that
/// contradicts itself (docs/security.md rule 1).
#[derive(Debug, Clone, Copy)]
pub struct Amm;

impl Component for Amm {
    type Genesis = AmmGenesis;
    type Error = AmmError;

    fn init_genesis<S: StateWrite>(state: &mut S, genesis: &AmmGenesis) -> Result<(), AmmError> {
        genesis.validate()?;
        init_params(state, &genesis.params)?;
        Ok(state.register_module_account(&protocol_account())?)
    }

    fn end_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), AmmError> {
        let pruned = state.prune_observations(ctx.time)?;
        if pruned > 0 {
            events.push(event::observations_pruned(pruned));
        }
        Ok(())
    }
}
