use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Device, DeviceStatus, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::ReattestDevice,
};

use super::controlling_key;

impl ActionHandler for ReattestDevice {
    type Error = MeteringError;
    type Checked = Device;
    const KIND: &'static str = "metering/reattest_device";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Device, MeteringError> {
        let device = state.require_device(&self.device)?;
        state.require_asset_operator(device.asset_id, &ctx.signer)?;
        if device.status != DeviceStatus::Suspended {
            return Err(MeteringError::field(
                "device",
                format!(
                    "device is {}; only a suspended device is re-attested",
                    device.status
                ),
            ));
        }
        // The re-attestation names the key in control now (which differs
        // from the recorded one after `auth/rotate_key`).
        let mut device = device;
        device.key = controlling_key(state, &device)?;
        state.verify_reattestation(&ctx.block.chain_id, &device, &self.attestation)?;
        Ok(device)
    }

    fn execute<S: StateWrite>(
        &self,
        mut device: Device,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        state.mark_key_used(&device.key, &device.address)?;
        device.status = DeviceStatus::Active;
        device.tamper_reason = None;
        state.put_device(&device)?;
        ctx.emit(event::device_status(&device, "re-attested", &ctx.signer));
        Ok(())
    }
}
