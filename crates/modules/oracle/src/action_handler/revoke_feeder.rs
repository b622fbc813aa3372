use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    FeederChange, OracleError, OracleStateReadExt, OracleStateWriteExt, PendingChange, event,
    msg::RevokeFeeder,
};

impl ActionHandler for RevokeFeeder {
    type Error = OracleError;
    /// The delay the change waits.
    type Checked = u64;
    const KIND: &'static str = "oracle/revoke_feeder";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<u64, OracleError> {
        require_regulator(state, &ctx.signer, "revoke price feeders")?;
        if state.feeder(&self.feeder)?.is_none() {
            return Err(OracleError::FeederNotFound {
                feeder: self.feeder,
            });
        }
        if state.pending_change(&self.feeder)?.is_some() {
            return Err(OracleError::FeederBusy {
                feeder: self.feeder,
                state: "has a change pending",
            });
        }
        Ok(state.oracle_params()?.feeder_delay_ms)
    }

    fn execute<S: StateWrite>(
        &self,
        delay_ms: u64,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), OracleError> {
        let change = PendingChange {
            feeder: self.feeder,
            change: FeederChange::Revoke,
            by: ctx.signer,
            effective_ms: ctx.block.time.0.saturating_add(delay_ms),
        };
        state.queue_change(&change)?;
        ctx.emit(event::change_queued(&change, Some(&self.reason)));
        Ok(())
    }
}
