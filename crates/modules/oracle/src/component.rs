use fructus_component::{BlockContext, Component, Event, init_params};
use fructus_storage::StateWrite;

use crate::{FeederRecord, OracleError, OracleGenesis, OracleStateWriteExt, event};

/// The oracle's life-cycle hooks. `end_block` applies the feeder-set
/// changes whose delay has passed (at most `MAX_FEEDERS`, the most the
/// queue holds); it reads only the module's own records, so it fails only
/// on a storage fault or state that contradicts itself (docs/security.md
/// rule 1).
#[derive(Debug, Clone, Copy)]
pub struct Oracle;

impl Component for Oracle {
    type Genesis = OracleGenesis;
    type Error = OracleError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &OracleGenesis,
    ) -> Result<(), OracleError> {
        genesis.validate()?;
        init_params(state, &genesis.params)?;
        for feeder in &genesis.feeders {
            state.put_feeder(&FeederRecord {
                feeder: *feeder,
                accredited_by: None,
                active_since_ms: 0,
            })?;
        }
        Ok(())
    }

    fn end_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), OracleError> {
        for change in state.apply_due_changes(ctx.time)? {
            events.push(event::change_applied(&change));
        }
        Ok(())
    }
}
