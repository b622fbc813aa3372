use fructus_component::{BlockContext, Component, Event, init_params};
use fructus_storage::StateWrite;
use fructus_types::BlockTime;

use crate::{
    ComputeError, ComputeGenesis, ComputeStateWriteExt, Epoch, settle::SettleStateWriteExt,
};

/// The compute module's life-cycle hooks. `end_block` runs the two sweeps
/// (liveness, then settlement), each at most `max_sweep_per_block` entries
/// from its queue, so its work is O(what changed), never O(providers) or
/// O(orders); one order's refusal is isolated (docs/security.md rule 1).
#[derive(Debug, Clone, Copy)]
pub struct Compute;

/// What `init_genesis` needs: the section and the genesis time (window 0
/// starts there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeGenesisInput {
    /// The `compute` section.
    pub section: ComputeGenesis,
    /// Genesis time.
    pub time: BlockTime,
}

impl Component for Compute {
    type Genesis = ComputeGenesisInput;
    type Error = ComputeError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &ComputeGenesisInput,
    ) -> Result<(), ComputeError> {
        genesis.section.validate()?;
        init_params(state, &genesis.section.params)?;
        state.put_epoch(&Epoch {
            genesis_ms: genesis.time.0,
            window_ms: genesis.section.window_ms,
        })
    }

    fn end_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), ComputeError> {
        events.append(&mut state.sweep(ctx)?);
        Ok(())
    }
}
