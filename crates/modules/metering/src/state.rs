//! The only way anything reads or writes metering state: the records
//! (devices, contracts, oracle sets and rounds) and the extension traits
//! over any state.

use fructus_asset::{AssetStateReadExt, AssetStatus};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, PublicKey};

use crate::{
    Contract, ContractStatus, Device, DeviceStatus, MeteringError, OracleRound, OracleSet,
    msg::SubmitReading,
    sign_bytes::{attestation_bytes, reattestation_bytes},
    state_key,
};

/// How far a device clock may run ahead of the block time.
pub const MAX_CLOCK_SKEW_MS: u64 = 300_000;

/// Accepts `signature` over `msg` by any of a class's attestation keys.
fn verify_by_class_key(
    asset_id: u64,
    class_id: u64,
    keys: &[PublicKey],
    msg: &[u8],
    signature: &[u8],
) -> Result<(), MeteringError> {
    if keys.iter().any(|k| k.verify(msg, signature).is_ok()) {
        Ok(())
    } else {
        Err(MeteringError::BadAttestation { asset_id, class_id })
    }
}

/// Refuses unless `device` is `signer` and active (not tamper-suspended,
/// not decommissioned): the check every device-signed message shares.
fn require_active_signer(device: Device, signer: &Address) -> Result<Device, MeteringError> {
    if device.address != *signer {
        return Err(MeteringError::NotDevice {
            device: device.address,
            signer: *signer,
        });
    }
    if device.status != DeviceStatus::Active {
        return Err(MeteringError::DeviceNotActive {
            device: device.address,
            status: device.status.to_string(),
        });
    }
    Ok(device)
}

/// The escrow module account of a prepaid contract.
pub fn contract_escrow(contract_id: u64) -> Address {
    Address::module(&format!("metering_escrow/{contract_id}"))
}

/// The efficiency-incentive pool of a contract.
pub fn incentive_pool(contract_id: u64) -> Address {
    Address::module(&format!("metering_incentive/{contract_id}"))
}

/// Where platform fees go: the chain's fee collector, the module account
/// transaction fees are paid into. Staking pays it out to validators and
/// delegators at the end of the same block, so the platform fee rewards
/// those who run the network (there is no community pool yet).
pub fn platform_account() -> Address {
    fructus_bank::fee_collector()
}

/// Metering reads and queries, available on any state.
pub trait MeteringStateReadExt: StateRead {
    /// The device, if registered.
    fn device(&self, address: &Address) -> Result<Option<Device>, MeteringError> {
        Ok(self.get(&state_key::device(address))?)
    }

    /// The device, or `DeviceNotFound`.
    fn require_device(&self, address: &Address) -> Result<Device, MeteringError> {
        self.device(address)?
            .ok_or(MeteringError::DeviceNotFound { device: *address })
    }

    /// The asset's live device, if any.
    fn device_of_asset(&self, asset_id: u64) -> Result<Option<Device>, MeteringError> {
        match self.get::<Address>(&state_key::asset_device(asset_id))? {
            Some(a) => self.device(&a),
            None => Ok(None),
        }
    }

    /// Every device the asset ever had, in address order, after
    /// `start_after`, at most `limit`.
    fn devices_of_asset(
        &self,
        asset_id: u64,
        start_after: Option<&Address>,
        limit: usize,
    ) -> Result<Vec<Device>, MeteringError> {
        let prefix = state_key::asset_devices_prefix(asset_id);
        let start = start_after.map(|a| state_key::asset_devices(asset_id, a));
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw(&prefix, start.as_deref(), limit)? {
            let Some(raw) = key.strip_prefix(prefix.as_slice()) else {
                continue;
            };
            if let Ok(address) = Address::from_slice(raw) {
                out.push(self.require_device(&address)?);
            }
        }
        Ok(out)
    }

    /// The device a key was ever bound to by this module.
    fn device_of_key(&self, key: &PublicKey) -> Result<Option<Address>, MeteringError> {
        Ok(self.get(&state_key::key(key))?)
    }

    /// Plausibility bound of a class in units per second (0 = none).
    fn plausibility_bound(&self, class_id: u64) -> Result<u64, MeteringError> {
        Ok(self.get(&state_key::bound(class_id))?.unwrap_or(0))
    }

    /// The checks on a reading that need one state read, run by the ante
    /// before any fee is charged (so a replayed or unauthorised reading
    /// costs its fee payer nothing): the device exists, `signer` is it, it
    /// is active and the sequence is above the last accepted one.
    fn check_reading_admissible<H>(
        &self,
        reading: &SubmitReading<H>,
        signer: &Address,
    ) -> Result<Device, MeteringError> {
        let device = require_active_signer(self.require_device(&reading.device)?, signer)?;
        if reading.sequence <= device.last_sequence {
            return Err(MeteringError::ReadingReplayed {
                device: device.address,
                last_sequence: device.last_sequence,
                got_sequence: reading.sequence,
            });
        }
        Ok(device)
    }

    /// The asset's live device, which must be `signer` and active: how
    /// another module authenticates a message the device key signs (a
    /// compute heartbeat) with the same registration, attestation and
    /// tamper rules as readings. The transaction's signature is the
    /// device's (the app verified it against the key the device's account
    /// is bound to).
    fn require_device_signer(
        &self,
        asset_id: u64,
        signer: &Address,
    ) -> Result<Device, MeteringError> {
        let device = self
            .device_of_asset(asset_id)?
            .ok_or(MeteringError::DeviceNotFound { device: *signer })?;
        require_active_signer(device, signer)
    }

    /// Whether `signer` operates the asset: its owner of record or a
    /// manager of its class. Returns the asset's class id.
    fn require_asset_operator(
        &self,
        asset_id: u64,
        signer: &Address,
    ) -> Result<u64, MeteringError> {
        let asset = self.require_asset(asset_id)?;
        if asset.owner != *signer && !self.is_asset_manager(asset.class_id, signer)? {
            return Err(MeteringError::NotAssetOperator {
                asset_id,
                signer: *signer,
            });
        }
        if asset.status == AssetStatus::Retired {
            return Err(MeteringError::field("asset_id", "the asset is retired"));
        }
        Ok(asset.class_id)
    }

    /// Verifies a manufacturer attestation of `key` for the asset: a
    /// signature by one of its class's attestation keys over
    /// [`attestation_bytes`] with the chain id and the asset's serial.
    fn verify_attestation(
        &self,
        chain_id: &str,
        asset_id: u64,
        key: &PublicKey,
        attestation: &[u8],
    ) -> Result<(), MeteringError> {
        let asset = self.require_asset(asset_id)?;
        let class = self.require_class(asset.class_id)?;
        let msg = attestation_bytes(chain_id, key, class.id, &asset.serial);
        verify_by_class_key(
            asset_id,
            class.id,
            &class.attestation_keys,
            &msg,
            attestation,
        )
    }

    /// Verifies a manufacturer re-attestation of the device's current key
    /// for its current suspension count (see [`reattestation_bytes`]).
    fn verify_reattestation(
        &self,
        chain_id: &str,
        device: &Device,
        attestation: &[u8],
    ) -> Result<(), MeteringError> {
        let class = self.require_class(device.class_id)?;
        let msg = reattestation_bytes(chain_id, &device.address, &device.key, device.suspensions);
        verify_by_class_key(
            device.asset_id,
            class.id,
            &class.attestation_keys,
            &msg,
            attestation,
        )
        .map_err(|_| MeteringError::BadReattestation {
            device: device.address,
            class_id: class.id,
            suspensions: device.suspensions,
        })
    }

    /// The contract, if it exists.
    fn contract(&self, id: u64) -> Result<Option<Contract>, MeteringError> {
        Ok(self.get(&state_key::contract(id))?)
    }

    /// The contract, or `ContractNotFound`.
    fn require_contract(&self, id: u64) -> Result<Contract, MeteringError> {
        self.contract(id)?
            .ok_or(MeteringError::ContractNotFound { contract_id: id })
    }

    /// The asset's live (not closed) contract, if any.
    fn live_contract(&self, asset_id: u64) -> Result<Option<Contract>, MeteringError> {
        match self.get::<u64>(&state_key::asset_contract(asset_id))? {
            Some(id) => self.contract(id),
            None => Ok(None),
        }
    }

    /// The asset's contract that bills at `now_ms`: accepted, started, not
    /// past its end or notice.
    fn running_contract(&self, asset_id: u64, now_ms: u64) -> Result<Contract, MeteringError> {
        let refuse = |reason: String| MeteringError::NoRunningContract { asset_id, reason };
        let c = self
            .live_contract(asset_id)?
            .ok_or_else(|| refuse("no contract is open".into()))?;
        if !matches!(c.status, ContractStatus::Active | ContractStatus::Suspended) {
            return Err(refuse(format!("contract {} is {}", c.id, c.status)));
        }
        if now_ms < c.terms.start_ms {
            return Err(refuse(format!(
                "contract {} starts at {} ms",
                c.id, c.terms.start_ms
            )));
        }
        if let Some(end) = c.terms.end_ms
            && now_ms > end
        {
            return Err(refuse(format!("contract {} ended at {end} ms", c.id)));
        }
        if let Some(at) = c.closes_at_ms
            && now_ms >= at
        {
            return Err(refuse(format!("contract {} closed at {at} ms", c.id)));
        }
        Ok(c)
    }

    /// Contracts of an asset in id order, after `start_after`, at most
    /// `limit`.
    fn contracts_of_asset(
        &self,
        asset_id: u64,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Contract>, MeteringError> {
        let prefix = state_key::by_asset_prefix(asset_id);
        let start = start_after.map(|id| state_key::by_asset(asset_id, id));
        self.contracts_from_index(&prefix, start.as_deref(), limit)
    }

    /// Contracts of a customer in id order, after `start_after`, at most
    /// `limit`.
    fn contracts_of_customer(
        &self,
        customer: &Address,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Contract>, MeteringError> {
        let prefix = state_key::by_customer_prefix(customer);
        let start = start_after.map(|id| state_key::by_customer(customer, id));
        self.contracts_from_index(&prefix, start.as_deref(), limit)
    }

    #[doc(hidden)]
    fn contracts_from_index(
        &self,
        prefix: &[u8],
        start: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<Contract>, MeteringError> {
        let mut out = Vec::new();
        for (key, _) in self.prefix_raw(prefix, start, limit)? {
            if let Some(id) = state_key::parse_trailing_id(prefix, &key) {
                out.push(self.require_contract(id)?);
            }
        }
        Ok(out)
    }

    /// The asset's oracle set, if named.
    fn oracle_set(&self, asset_id: u64) -> Result<Option<OracleSet>, MeteringError> {
        Ok(self.get(&state_key::oracles(asset_id))?)
    }

    /// An oracle round, if any oracle reported for it.
    fn oracle_round(
        &self,
        asset_id: u64,
        period: u64,
    ) -> Result<Option<OracleRound>, MeteringError> {
        Ok(self.get(&state_key::round(asset_id, period))?)
    }
}

impl<T: StateRead + ?Sized> MeteringStateReadExt for T {}

/// Metering record writes (index upkeep included). Money moves in
/// [`crate::BillingStateWriteExt`].
pub trait MeteringStateWriteExt: StateWrite {
    /// Stores a device.
    fn put_device(&mut self, device: &Device) -> Result<(), MeteringError> {
        Ok(self.put(state_key::device(&device.address), device)?)
    }

    /// Makes `device` the asset's live device (and lists it among the
    /// asset's devices for good).
    fn set_asset_device(&mut self, asset_id: u64, device: &Address) -> Result<(), MeteringError> {
        self.put(state_key::asset_devices(asset_id, device), &true)?;
        Ok(self.put(state_key::asset_device(asset_id), device)?)
    }

    /// Frees the asset's device slot.
    fn clear_asset_device(&mut self, asset_id: u64) {
        self.delete(state_key::asset_device(asset_id));
    }

    /// Records that `key` belongs to `device` forever.
    fn mark_key_used(&mut self, key: &PublicKey, device: &Address) -> Result<(), MeteringError> {
        Ok(self.put(state_key::key(key), device)?)
    }

    /// Sets a class's plausibility bound (0 removes it).
    fn put_plausibility_bound(&mut self, class_id: u64, bound: u64) -> Result<(), MeteringError> {
        if bound == 0 {
            self.delete(state_key::bound(class_id));
            Ok(())
        } else {
            Ok(self.put(state_key::bound(class_id), &bound)?)
        }
    }

    /// The next contract id.
    fn next_contract_id(&mut self) -> Result<u64, MeteringError> {
        let key = state_key::next_contract();
        let id = self.get::<u64>(&key)?.unwrap_or(1);
        let next = id.checked_add(1).ok_or(MeteringError::Overflow {
            what: "contract id",
        })?;
        self.put(key, &next)?;
        Ok(id)
    }

    /// Stores a new contract and its indexes, and makes it the asset's
    /// live contract.
    fn insert_contract(&mut self, contract: &Contract) -> Result<(), MeteringError> {
        self.put(state_key::asset_contract(contract.asset_id), &contract.id)?;
        self.put(state_key::by_asset(contract.asset_id, contract.id), &true)?;
        self.put(
            state_key::by_customer(&contract.customer, contract.id),
            &true,
        )?;
        self.put_contract(contract)
    }

    /// Stores a contract; a closed one frees the asset's contract slot and
    /// leaves the period queue.
    fn put_contract(&mut self, contract: &Contract) -> Result<(), MeteringError> {
        if contract.status == ContractStatus::Closed {
            self.delete(state_key::asset_contract(contract.asset_id));
        }
        Ok(self.put(state_key::contract(contract.id), contract)?)
    }

    /// Queues the contract's period ending at `end_ms`.
    fn queue_period(&mut self, contract: &mut Contract, end_ms: u64) -> Result<(), MeteringError> {
        self.put(state_key::period_queue(end_ms, contract.id), &true)?;
        contract.next_period_end_ms = Some(end_ms);
        Ok(())
    }

    /// Removes the contract's queued period, if any.
    fn unqueue_period(&mut self, contract: &mut Contract) {
        if let Some(end) = contract.next_period_end_ms.take() {
            self.delete(state_key::period_queue(end, contract.id));
        }
    }

    /// Stores an oracle set.
    fn put_oracle_set(&mut self, set: &OracleSet) -> Result<(), MeteringError> {
        Ok(self.put(state_key::oracles(set.asset_id), set)?)
    }

    /// Stores an oracle round.
    fn put_oracle_round(&mut self, round: &OracleRound) -> Result<(), MeteringError> {
        Ok(self.put(state_key::round(round.asset_id, round.period), round)?)
    }
}

impl<T: StateWrite + ?Sized> MeteringStateWriteExt for T {}
