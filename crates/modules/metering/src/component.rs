use fructus_component::{BlockContext, Component, Event};
use fructus_storage::StateWrite;

use crate::{BillingStateWriteExt, MeteringError, MeteringGenesis};

/// The metering module's life-cycle hooks: at end of block, the contract
/// periods that ended are processed (bounded per block; see
/// [`crate::billing::MAX_PERIODS_PER_BLOCK`]). Their outcome is recorded in
/// the contracts (`penalty_due`, `rebates_paid`, status), which queries
/// return, and reported as the block's events.
#[derive(Debug, Clone, Copy)]
pub struct Metering;

impl Component for Metering {
    type Genesis = MeteringGenesis;
    type Error = MeteringError;

    fn init_genesis<S: StateWrite>(
        _state: &mut S,
        genesis: &MeteringGenesis,
    ) -> Result<(), MeteringError> {
        genesis.validate()
    }

    fn end_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), MeteringError> {
        events.extend(state.process_due_periods(ctx.time.millis())?);
        Ok(())
    }
}
