use fructus_component::{ActionHandler, TxContext};
use fructus_metering::{MAX_CLOCK_SKEW_MS, MeteringStateReadExt};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    ComputeError, ComputeParams, ComputeStateReadExt, ComputeStateWriteExt, Provider, event,
    msg::Heartbeat,
};

impl ActionHandler for Heartbeat {
    type Error = ComputeError;
    type Checked = (Provider, ComputeParams);
    const KIND: &'static str = "compute/heartbeat";
    const BASE_GAS: u64 = 4_000;

    /// Signed by the asset's live, active device (metering's check: the
    /// same registration, attestation and tamper rules as readings), with
    /// a sequence above the last and a device time within the interval
    /// before the block (a late-delivered heartbeat proves nothing) and at
    /// most the clock skew after it.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(Provider, ComputeParams), ComputeError> {
        let refuse = |reason: String| ComputeError::HeartbeatRefused {
            asset_id: self.asset_id,
            reason,
        };
        let params = state.compute_params()?;
        let p = state.require_provider(self.asset_id)?;
        state
            .require_device_signer(self.asset_id, &ctx.signer)
            .map_err(|e| refuse(e.to_string()))?;
        if self.sequence <= p.heartbeat_sequence {
            return Err(refuse(format!(
                "sequence {} is not above the last, {}",
                self.sequence, p.heartbeat_sequence
            )));
        }
        let now = ctx.block.time.0;
        let (min, max) = (
            now.saturating_sub(params.heartbeat_interval_ms),
            now.saturating_add(MAX_CLOCK_SKEW_MS),
        );
        if self.time_ms < min || self.time_ms > max {
            return Err(refuse(format!(
                "device time {} ms is outside {min} … {max} ms",
                self.time_ms
            )));
        }
        if self.gpus_online > p.gpus {
            return Err(refuse(format!(
                "{} GPUs online but {} registered",
                self.gpus_online, p.gpus
            )));
        }
        Ok((p, params))
    }

    /// Online until the interval runs out; a heartbeat reporting no GPU
    /// takes the provider offline now (the end-of-block sweep fails its
    /// running orders, as for a missed heartbeat).
    fn execute<S: StateWrite>(
        &self,
        (mut p, params): (Provider, ComputeParams),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let now = ctx.block.time.0;
        p.heartbeat_sequence = self.sequence;
        p.last_heartbeat_ms = now;
        p.gpus_online = self.gpus_online;
        p.online = true;
        let until = if self.gpus_online == 0 {
            now
        } else {
            now.saturating_add(params.heartbeat_interval_ms)
        };
        state.set_liveness(&mut p, Some(until))?;
        p.online = crate::state::is_online(&p, now);
        state.put_provider(&p)?;
        ctx.emit(event::heartbeat(&p));
        Ok(())
    }
}
