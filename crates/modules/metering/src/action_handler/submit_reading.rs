use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    BillingStateWriteExt, Contract, Device, MeteredUnits, MeteringError, MeteringStateReadExt,
    MeteringStateWriteExt, event, msg::SubmitReading, state::MAX_CLOCK_SKEW_MS,
};

use super::{emit_all, emit_split};

/// What the stateful check of a reading found.
#[derive(Debug)]
pub struct CheckedReading {
    /// The device (admissible, reading time in range).
    device: Device,
    /// `None` when the reading reports tampering (its sequence is used up,
    /// the device is suspended, nothing is billed); otherwise the units
    /// since the device's last counter (within the plausibility bound) and
    /// the asset's running contract, metered by its device.
    billable: Option<(u64, Contract)>,
}

impl<H: MeteredUnits> ActionHandler for SubmitReading<H> {
    type Error = MeteringError;
    type Checked = CheckedReading;
    const KIND: &'static str = "metering/submit_reading";
    const BASE_GAS: u64 = 5_000;

    /// Order of checks: admissible (device, signer, status, sequence), then
    /// time, then — unless the reading reports tampering — counter,
    /// plausibility and a running contract metered by its device.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<CheckedReading, MeteringError> {
        let device = state.check_reading_admissible(self, &ctx.signer)?;
        let now_ms = ctx.block.time.millis();
        let max_ms = now_ms.saturating_add(MAX_CLOCK_SKEW_MS);
        if self.time_ms < device.last_reading_ms || self.time_ms > max_ms {
            return Err(MeteringError::ReadingTimeInvalid {
                device: device.address,
                min_ms: device.last_reading_ms,
                max_ms,
                got_ms: self.time_ms,
            });
        }
        if self.tamper() {
            return Ok(CheckedReading {
                device,
                billable: None,
            });
        }
        let units =
            self.counter
                .checked_sub(device.counter)
                .ok_or(MeteringError::CounterRegressed {
                    device: device.address,
                    last_counter: device.counter,
                    got_counter: self.counter,
                })?;
        let bound = state.plausibility_bound(device.class_id)?;
        let elapsed_ms = self.time_ms.saturating_sub(device.last_reading_ms);
        if bound != 0 {
            let allowed = u128::from(bound)
                .saturating_mul(u128::from(elapsed_ms))
                .checked_div(1_000)
                .unwrap_or(0);
            if u128::from(units) > allowed {
                return Err(MeteringError::Implausible {
                    device: device.address,
                    units,
                    elapsed_ms,
                    max_per_second: bound,
                });
            }
        }
        let contract = state.running_contract(device.asset_id, now_ms)?;
        if contract.terms.oracles.is_some() {
            return Err(MeteringError::WrongMeterSource {
                asset_id: device.asset_id,
                contract_id: contract.id,
                metered_by: "its oracles",
                got: "its device",
            });
        }
        Ok(CheckedReading {
            device,
            billable: Some((units, contract)),
        })
    }

    /// A tamper reading is accepted (so its sequence is used up) but bills
    /// nothing: the device is suspended and its counter kept at the last
    /// trusted value. The contract's first reading is its baseline and
    /// bills nothing (only usage after acceptance is billed).
    fn execute<S: StateWrite>(
        &self,
        CheckedReading {
            mut device,
            billable,
        }: CheckedReading,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let Some((units, mut contract)) = billable else {
            device.last_sequence = self.sequence;
            device.suspend("tamper flag in reading".into());
            state.put_device(&device)?;
            ctx.emit(event::device_status(
                &device,
                "tamper flag in reading",
                &ctx.signer,
            ));
            return Ok(());
        };
        let now_ms = ctx.block.time.millis();
        let billed = if contract.baselined { units } else { 0 };
        contract.baselined = true;
        let mut events = Vec::new();
        let bill = state.bill_units(&mut contract, billed, now_ms, &mut events)?;
        state.put_contract(&contract)?;
        device.last_sequence = self.sequence;
        device.counter = self.counter;
        device.last_reading_ms = self.time_ms;
        device.readings = device.readings.saturating_add(1);
        state.put_device(&device)?;
        ctx.emit(event::reading(
            Some(&device.address),
            device.asset_id,
            self.sequence,
            self.counter,
            &contract,
            &bill,
            self.flags,
        ));
        emit_split(
            ctx,
            &contract,
            &crate::state::contract_escrow(contract.id),
            &bill.split,
        );
        emit_all(ctx, events);
        if billed > 0 {
            H::units_metered(state, device.asset_id, billed, ctx)?;
        }
        Ok(())
    }
}
