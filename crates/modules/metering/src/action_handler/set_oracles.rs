use fructus_component::{ActionHandler, TxContext};
use fructus_identity::{IdentityStateReadExt, Tier};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    MeteringError, MeteringStateReadExt, MeteringStateWriteExt, OracleSet, event, msg::SetOracles,
};

impl ActionHandler for SetOracles {
    type Error = MeteringError;
    /// What carries over from the asset's current set: the last accepted
    /// period, counter and acceptance time (zeros without a set).
    type Checked = (u64, u64, u64);
    const KIND: &'static str = "metering/set_oracles";
    const BASE_GAS: u64 = 20_000;

    /// Oracles must be identified operators: tier `oracle` (assigned by a
    /// module), `enterprise` (KYC'd) or `regulator`.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(u64, u64, u64), MeteringError> {
        state.require_asset_operator(self.asset_id, &ctx.signer)?;
        for oracle in &self.oracles {
            let tier = state.tier(oracle, ctx.block.height, ctx.block.time)?;
            if !matches!(tier, Tier::Oracle | Tier::Enterprise | Tier::Regulator) {
                return Err(MeteringError::OracleTier {
                    oracle: *oracle,
                    tier: tier.to_string(),
                });
            }
        }
        Ok(state
            .oracle_set(self.asset_id)?
            .map_or((0, 0, 0), |s| (s.last_period, s.counter, s.accepted_ms)))
    }

    /// Replaces the asset's set for contracts opened from now on (a
    /// contract's quorum is part of the terms its customer accepted, so a
    /// running contract keeps the one it was proposed with); the last
    /// accepted period and counter carry over.
    fn execute<S: StateWrite>(
        &self,
        (last_period, counter, accepted_ms): (u64, u64, u64),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        state.put_oracle_set(&OracleSet {
            asset_id: self.asset_id,
            oracles: self.oracles.clone(),
            threshold: self.threshold,
            tolerance_bps: self.tolerance_bps,
            last_period,
            counter,
            accepted_ms,
        })?;
        ctx.emit(event::set_oracles(
            self.asset_id,
            &self.oracles,
            self.threshold,
        ));
        Ok(())
    }
}
