use fructus_auth::{Account, AuthStateReadExt, AuthStateWriteExt};
use fructus_component::{ActionHandler, TxContext};
use fructus_identity::{IdentityStateWriteExt, Tier, set_tier_event};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Device, DeviceStatus, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::RegisterDevice, registration_bytes,
};

use super::require_fresh_device_key;

impl ActionHandler for RegisterDevice {
    type Error = MeteringError;
    type Checked = u64;
    const KIND: &'static str = "metering/register_device";
    const BASE_GAS: u64 = 30_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<u64, MeteringError> {
        let class_id = state.require_asset_operator(self.asset_id, &ctx.signer)?;
        let asset = fructus_asset::AssetStateReadExt::require_asset(state, self.asset_id)?;
        if asset.serial != self.serial {
            return Err(MeteringError::SerialMismatch {
                asset_id: self.asset_id,
                expected: asset.serial,
                got: self.serial.clone(),
            });
        }
        if let Some(d) = state.device_of_asset(self.asset_id)? {
            return Err(MeteringError::AssetHasDevice {
                asset_id: self.asset_id,
                device: d.address,
            });
        }
        require_fresh_device_key(state, &self.device_key, ctx.block)?;
        let consent = registration_bytes(
            &ctx.block.chain_id,
            self.asset_id,
            &ctx.signer,
            &self.device_key,
        );
        self.device_key
            .verify(&consent, &self.device_signature)
            .map_err(|e| MeteringError::BadDeviceConsent {
                reason: e.to_string(),
            })?;
        state.verify_attestation(
            &ctx.block.chain_id,
            self.asset_id,
            &self.device_key,
            &self.attestation,
        )?;
        Ok(class_id)
    }

    fn execute<S: StateWrite>(
        &self,
        class_id: u64,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let address = self.device_key.address();
        // The device's own account: bound to its key now, so its first
        // reading needs no key-binding step and the key can never sign for
        // anything else.
        let mut account = state.account(&address)?.unwrap_or(Account {
            address,
            public_key: None,
            nonce: 0,
        });
        account.public_key = Some(self.device_key.clone());
        state.put_account(&account)?;
        state.bind_key(&self.device_key, &address)?;
        state.set_tier(&address, Tier::Device)?;
        ctx.emit(set_tier_event(&address, Tier::Device, "metering"));
        state.mark_key_used(&self.device_key, &address)?;
        let device = Device {
            address,
            asset_id: self.asset_id,
            class_id,
            serial: self.serial.clone(),
            key: self.device_key.clone(),
            status: DeviceStatus::Active,
            tamper_reason: None,
            last_sequence: 0,
            counter: self.counter,
            last_reading_ms: ctx.block.time.millis(),
            readings: 0,
            rotations: 0,
            suspensions: 0,
        };
        state.put_device(&device)?;
        state.set_asset_device(self.asset_id, &address)?;
        ctx.emit(event::register_device(&device, &ctx.signer));
        Ok(())
    }
}
