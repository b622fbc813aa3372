use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Device, DeviceStatus, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::DecommissionDevice,
};

impl ActionHandler for DecommissionDevice {
    type Error = MeteringError;
    type Checked = Device;
    const KIND: &'static str = "metering/decommission_device";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Device, MeteringError> {
        let device = state.require_device(&self.device)?;
        state.require_asset_operator(device.asset_id, &ctx.signer)?;
        if device.status == DeviceStatus::Decommissioned {
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
        device.status = DeviceStatus::Decommissioned;
        state.put_device(&device)?;
        state.clear_asset_device(device.asset_id);
        ctx.emit(event::device_status(&device, "decommissioned", &ctx.signer));
        Ok(())
    }
}
