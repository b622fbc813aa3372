use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    FeederChange, OracleError, OracleStateReadExt, OracleStateWriteExt, PendingChange, event,
    msg::AccreditFeeder, params::MAX_FEEDERS,
};

impl ActionHandler for AccreditFeeder {
    type Error = OracleError;
    /// The delay the change waits.
    type Checked = u64;
    const KIND: &'static str = "oracle/accredit_feeder";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<u64, OracleError> {
        require_regulator(state, &ctx.signer, "accredit price feeders")?;
        if state.feeder(&self.feeder)?.is_some() {
            return Err(OracleError::FeederBusy {
                feeder: self.feeder,
                state: "is active",
            });
        }
        if state.pending_change(&self.feeder)?.is_some() {
            return Err(OracleError::FeederBusy {
                feeder: self.feeder,
                state: "has a change pending",
            });
        }
        // Active feeders and pending accreditations (a pending revocation
        // is of an active feeder, already counted).
        let pending = state
            .pending_changes()?
            .into_iter()
            .filter(|c| c.change == FeederChange::Accredit)
            .count();
        let taken = state.feeders()?.len().saturating_add(pending);
        if taken >= MAX_FEEDERS {
            return Err(OracleError::TooManyFeeders { max: MAX_FEEDERS });
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
            change: FeederChange::Accredit,
            by: ctx.signer,
            effective_ms: ctx.block.time.0.saturating_add(delay_ms),
        };
        state.queue_change(&change)?;
        ctx.emit(event::change_queued(&change, None));
        Ok(())
    }
}
