use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use fructus_asset::AssetStateReadExt;

use crate::{
    BillingStateWriteExt, Contract, MeteredUnits, MeteringError, MeteringStateReadExt,
    MeteringStateWriteExt, OracleRound, OracleSet, event,
    msg::{BPS, OracleTerms, SubmitOracleReading},
    state::contract_escrow,
};

use super::{emit_all, emit_split};

/// The lower median of a non-empty sorted list.
fn median(sorted: &[u64]) -> Option<u64> {
    sorted
        .get(sorted.len().saturating_sub(1).checked_div(2).unwrap_or(0))
        .copied()
}

/// Whether `x` is within `tolerance_bps` of `center`.
fn within(x: u64, center: u64, tolerance_bps: u32) -> bool {
    let diff = u128::from(x.abs_diff(center));
    diff.saturating_mul(u128::from(BPS))
        <= u128::from(center).saturating_mul(u128::from(tolerance_bps))
}

/// The agreed counter and the outliers, once `threshold` submissions lie
/// within tolerance of the median of all submissions: the accepted value is
/// the median of those that agree.
pub(crate) fn agree(
    round: &OracleRound,
    set: &OracleTerms,
) -> Option<(u64, Vec<(crate::Address, u64)>)> {
    let mut all: Vec<u64> = round.submissions.iter().map(|(_, c)| *c).collect();
    all.sort_unstable();
    let center = median(&all)?;
    let mut agreeing: Vec<u64> = all
        .iter()
        .copied()
        .filter(|c| within(*c, center, set.tolerance_bps))
        .collect();
    if agreeing.len() < usize::try_from(set.threshold).unwrap_or(usize::MAX) {
        return None;
    }
    agreeing.sort_unstable();
    let accepted = median(&agreeing)?;
    let outliers = round
        .submissions
        .iter()
        .filter(|(_, c)| !within(*c, center, set.tolerance_bps))
        .copied()
        .collect();
    Some((accepted, outliers))
}

/// What a submission is checked against: the asset's oracle record (last
/// accepted period and counter), the round so far, the running contract
/// and the quorum its terms name.
pub struct CheckedOracleReading {
    set: OracleSet,
    round: OracleRound,
    contract: Contract,
    quorum: OracleTerms,
}

impl<H: MeteredUnits> SubmitOracleReading<H> {
    /// Units to bill for an agreed counter: nothing for the contract's
    /// first accepted round (its baseline); otherwise the rise since the
    /// last accepted round, within the class's plausibility bound over the
    /// block time since then (the same bound device readings obey).
    fn billable<S: StateRead>(
        &self,
        state: &S,
        set: &OracleSet,
        contract: &Contract,
        accepted: u64,
        now_ms: u64,
    ) -> Result<u64, MeteringError> {
        let units =
            accepted
                .checked_sub(set.counter)
                .ok_or(MeteringError::OracleCounterRegressed {
                    asset_id: self.asset_id,
                    last: set.counter,
                    got: accepted,
                })?;
        if !contract.baselined {
            return Ok(0);
        }
        let class_id = state.require_asset(self.asset_id)?.class_id;
        let bound = state.plausibility_bound(class_id)?;
        let elapsed_ms = now_ms.saturating_sub(set.accepted_ms);
        let allowed = u128::from(bound)
            .saturating_mul(u128::from(elapsed_ms))
            .checked_div(1_000)
            .unwrap_or(0);
        if bound != 0 && u128::from(units) > allowed {
            return Err(MeteringError::OracleImplausible {
                asset_id: self.asset_id,
                units,
                elapsed_ms,
                max_per_second: bound,
            });
        }
        Ok(units)
    }
}

impl<H: MeteredUnits> ActionHandler for SubmitOracleReading<H> {
    type Error = MeteringError;
    type Checked = CheckedOracleReading;
    const KIND: &'static str = "metering/submit_oracle_reading";
    const BASE_GAS: u64 = 10_000;

    /// The signer must be in the quorum named by the running contract's
    /// terms (not the asset's current set, which only new contracts take).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<CheckedOracleReading, MeteringError> {
        let contract = state.running_contract(self.asset_id, ctx.block.time.millis())?;
        let quorum = contract
            .terms
            .oracles
            .clone()
            .ok_or(MeteringError::WrongMeterSource {
                asset_id: self.asset_id,
                contract_id: contract.id,
                metered_by: "its device",
                got: "oracles",
            })?;
        if !quorum.oracles.contains(&ctx.signer) {
            return Err(MeteringError::NotOracle {
                asset_id: self.asset_id,
                signer: ctx.signer,
            });
        }
        let set = state
            .oracle_set(self.asset_id)?
            .ok_or(MeteringError::OraclesNotSet {
                asset_id: self.asset_id,
            })?;
        if self.period <= set.last_period {
            return Err(MeteringError::OraclePeriodStale {
                asset_id: self.asset_id,
                period: self.period,
                last: set.last_period,
            });
        }
        let round = state
            .oracle_round(self.asset_id, self.period)?
            .unwrap_or(OracleRound {
                asset_id: self.asset_id,
                period: self.period,
                submissions: Vec::new(),
                accepted: None,
                outliers: Vec::new(),
            });
        if round.submissions.iter().any(|(o, _)| *o == ctx.signer) {
            return Err(MeteringError::OracleDuplicate {
                asset_id: self.asset_id,
                period: self.period,
                oracle: ctx.signer,
            });
        }
        Ok(CheckedOracleReading {
            set,
            round,
            contract,
            quorum,
        })
    }

    /// Records the submission; when `threshold` oracles of the contract's
    /// quorum agree the round is accepted, `Δcounter` since the last
    /// accepted round is billed like a device reading (nothing for the
    /// contract's first round, its baseline; refused above the class's
    /// plausibility bound), and the outliers are recorded in the round and
    /// evented.
    fn execute<S: StateWrite>(
        &self,
        CheckedOracleReading {
            mut set,
            mut round,
            mut contract,
            quorum,
        }: CheckedOracleReading,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        round.submissions.push((ctx.signer, self.counter));
        ctx.emit(event::oracle_report(
            self.asset_id,
            self.period,
            &ctx.signer,
            self.counter,
        ));
        if let Some((accepted, outliers)) = agree(&round, &quorum) {
            let now_ms = ctx.block.time.millis();
            let units = self.billable(state, &set, &contract, accepted, now_ms)?;
            contract.baselined = true;
            let mut events = Vec::new();
            let bill = state.bill_units(&mut contract, units, now_ms, &mut events)?;
            state.put_contract(&contract)?;
            set.last_period = self.period;
            set.counter = accepted;
            set.accepted_ms = now_ms;
            state.put_oracle_set(&set)?;
            round.accepted = Some(accepted);
            round.outliers = outliers.iter().map(|(o, _)| *o).collect();
            ctx.emit(event::reading(
                None,
                self.asset_id,
                self.period,
                accepted,
                &contract,
                &bill,
                0,
            ));
            for (oracle, counter) in &outliers {
                ctx.emit(event::oracle_outlier(
                    self.asset_id,
                    self.period,
                    oracle,
                    *counter,
                ));
            }
            emit_split(ctx, &contract, &contract_escrow(contract.id), &bill.split);
            emit_all(ctx, events);
            if units > 0 {
                H::units_metered(state, self.asset_id, units, ctx)?;
            }
        }
        state.put_oracle_round(&round)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fructus_types::Address;

    fn round(counters: &[u64]) -> OracleRound {
        OracleRound {
            asset_id: 1,
            period: 1,
            submissions: counters
                .iter()
                .enumerate()
                .map(|(i, c)| (Address::from_bytes([u8::try_from(i).unwrap_or(0); 20]), *c))
                .collect(),
            accepted: None,
            outliers: Vec::new(),
        }
    }

    fn set(threshold: u32) -> OracleTerms {
        OracleTerms {
            oracles: Vec::new(),
            threshold,
            tolerance_bps: 100,
        }
    }

    #[test]
    fn two_of_three_agree_and_the_outlier_is_named() {
        let (accepted, outliers) = agree(&round(&[1000, 2000, 1005]), &set(2)).unwrap_or_default();
        assert_eq!(accepted, 1000);
        assert_eq!(outliers.len(), 1);
        assert_eq!(outliers.first().map(|o| o.1), Some(2000));
    }

    #[test]
    fn no_quorum_without_enough_agreement() {
        assert!(agree(&round(&[1000, 2000]), &set(2)).is_none());
        assert!(agree(&round(&[1000]), &set(2)).is_none());
    }
}
