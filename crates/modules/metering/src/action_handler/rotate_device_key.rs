use fructus_auth::{AuthStateReadExt, AuthStateWriteExt};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Device, DeviceStatus, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::RotateDeviceKey, sign_bytes::rotation_bytes,
};

use super::{controlling_key, require_fresh_key};

impl ActionHandler for RotateDeviceKey {
    type Error = MeteringError;
    type Checked = Device;
    const KIND: &'static str = "metering/rotate_device_key";
    const BASE_GAS: u64 = 30_000;

    /// Device path: the device signs with its current key and the new key
    /// consents. Owner path: the asset's operator brings a fresh
    /// manufacturer attestation of the new key.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Device, MeteringError> {
        let device = state.require_device(&self.device)?;
        if device.status == DeviceStatus::Decommissioned
            || (ctx.signer == device.address && device.status != DeviceStatus::Active)
        {
            return Err(MeteringError::DeviceNotActive {
                device: device.address,
                status: device.status.to_string(),
            });
        }
        require_fresh_key(state, &self.new_key)?;
        if ctx.signer == device.address && !self.new_key_signature.is_empty() {
            self.new_key
                .verify(
                    &rotation_bytes(&ctx.block.chain_id, &device.address, &self.new_key),
                    &self.new_key_signature,
                )
                .map_err(|e| MeteringError::BadKeySignature {
                    reason: e.to_string(),
                })?;
        } else {
            state.require_asset_operator(device.asset_id, &ctx.signer)?;
            if self.attestation.is_empty() {
                return Err(MeteringError::field(
                    "attestation",
                    "the asset operator rotates a device key with a fresh attestation",
                ));
            }
            state.verify_attestation(
                &ctx.block.chain_id,
                device.asset_id,
                &self.new_key,
                &self.attestation,
            )?;
        }
        Ok(device)
    }

    fn execute<S: StateWrite>(
        &self,
        mut device: Device,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let old = controlling_key(state, &device)?;
        // The account keeps its address; only its key changes. Every key
        // that signed for it is unbound — the one metering recorded and the
        // one controlling the account (they differ after `auth/rotate_key`)
        // — and stays marked used, so it never signs or registers again.
        let mut account = state
            .account(&device.address)?
            .ok_or(MeteringError::DeviceNotFound {
                device: device.address,
            })?;
        account.public_key = Some(self.new_key.clone());
        state.put_account(&account)?;
        for stale in [&device.key, &old] {
            state.unbind_key(stale);
            state.mark_key_used(stale, &device.address)?;
        }
        state.bind_key(&self.new_key, &device.address)?;
        state.mark_key_used(&self.new_key, &device.address)?;
        device.key = self.new_key.clone();
        device.rotations = device.rotations.saturating_add(1);
        state.put_device(&device)?;
        ctx.emit(event::rotate_key(&device, &old, &ctx.signer));
        Ok(())
    }
}
