use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Device, DeviceStatus, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::ReportTamper,
};

impl ActionHandler for ReportTamper {
    type Error = MeteringError;
    type Checked = Device;
    const KIND: &'static str = "metering/report_tamper";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Device, MeteringError> {
        let device = state.require_device(&self.device)?;
        if ctx.signer != device.address {
            state.require_asset_operator(device.asset_id, &ctx.signer)?;
        }
        if device.status != DeviceStatus::Active {
            return Err(MeteringError::DeviceNotActive {
                device: device.address,
                status: device.status.to_string(),
            });
        }
        Ok(device)
    }

    fn execute<S: StateWrite>(
        &self,
        mut device: Device,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        device.suspend(self.reason.clone());
        state.put_device(&device)?;
        ctx.emit(event::device_status(&device, &self.reason, &ctx.signer));
        Ok(())
    }
}
