//! Every storage key of the metering module is built here and nowhere else.
//! Ids and times are 8-byte big-endian so prefix scans return them in
//! numeric order.

use fructus_types::{Address, PublicKey};

const DEVICE: &[u8] = b"metering/device/";
const ASSET_DEVICE: &[u8] = b"metering/asset_device/";
const ASSET_DEVICES: &[u8] = b"metering/asset_devices/";
const KEY: &[u8] = b"metering/key/";
const BOUND: &[u8] = b"metering/bound/";
const NEXT_CONTRACT: &[u8] = b"metering/next_contract";
const CONTRACT: &[u8] = b"metering/contract/";
const ASSET_CONTRACT: &[u8] = b"metering/asset_contract/";
const BY_ASSET: &[u8] = b"metering/by_asset/";
const BY_CUSTOMER: &[u8] = b"metering/by_customer/";
const PERIOD_QUEUE: &[u8] = b"metering/period_queue/";
const ORACLES: &[u8] = b"metering/oracles/";
const ROUND: &[u8] = b"metering/round/";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `metering/device/<address>` → `Device`.
pub fn device(address: &Address) -> Vec<u8> {
    join(&[DEVICE, address.as_bytes()])
}

/// `metering/asset_device/<asset id>` → the address of the asset's live
/// (not decommissioned) device.
pub fn asset_device(asset_id: u64) -> Vec<u8> {
    join(&[ASSET_DEVICE, &asset_id.to_be_bytes()])
}

/// `metering/asset_devices/<asset id><address>` → `true`: every device the
/// asset ever had (decommissioned ones included).
pub fn asset_devices(asset_id: u64, device: &Address) -> Vec<u8> {
    join(&[ASSET_DEVICES, &asset_id.to_be_bytes(), device.as_bytes()])
}

/// Prefix of the devices of an asset.
pub fn asset_devices_prefix(asset_id: u64) -> Vec<u8> {
    join(&[ASSET_DEVICES, &asset_id.to_be_bytes()])
}

/// `metering/key/<algo byte><key bytes>` → the device address a key was
/// ever registered or rotated to (a key is never reused).
pub fn key(key: &PublicKey) -> Vec<u8> {
    let algo = match key.algo() {
        fructus_types::KeyAlgo::Ed25519 => 1u8,
        fructus_types::KeyAlgo::P256 => 2u8,
    };
    join(&[KEY, &[algo], &key.to_bytes()])
}

/// `metering/bound/<class id>` → `u64`, the plausibility bound in units per
/// second for devices of the class.
pub fn bound(class_id: u64) -> Vec<u8> {
    join(&[BOUND, &class_id.to_be_bytes()])
}

/// `metering/next_contract` → `u64`, the next contract id.
pub fn next_contract() -> Vec<u8> {
    NEXT_CONTRACT.to_vec()
}

/// `metering/contract/<id>` → `Contract`.
pub fn contract(id: u64) -> Vec<u8> {
    join(&[CONTRACT, &id.to_be_bytes()])
}

/// `metering/asset_contract/<asset id>` → the id of the asset's one live
/// (not closed) contract.
pub fn asset_contract(asset_id: u64) -> Vec<u8> {
    join(&[ASSET_CONTRACT, &asset_id.to_be_bytes()])
}

/// `metering/by_asset/<asset id><contract id>` → `true`.
pub fn by_asset(asset_id: u64, contract_id: u64) -> Vec<u8> {
    join(&[
        BY_ASSET,
        &asset_id.to_be_bytes(),
        &contract_id.to_be_bytes(),
    ])
}

/// Prefix of the contracts of an asset.
pub fn by_asset_prefix(asset_id: u64) -> Vec<u8> {
    join(&[BY_ASSET, &asset_id.to_be_bytes()])
}

/// `metering/by_customer/<address><contract id>` → `true`.
pub fn by_customer(customer: &Address, contract_id: u64) -> Vec<u8> {
    join(&[BY_CUSTOMER, customer.as_bytes(), &contract_id.to_be_bytes()])
}

/// Prefix of the contracts of a customer.
pub fn by_customer_prefix(customer: &Address) -> Vec<u8> {
    join(&[BY_CUSTOMER, customer.as_bytes()])
}

/// `metering/period_queue/<period end ms><contract id>` → `true`: a
/// contract period waiting for end-of-period processing.
pub fn period_queue(end_ms: u64, contract_id: u64) -> Vec<u8> {
    join(&[
        PERIOD_QUEUE,
        &end_ms.to_be_bytes(),
        &contract_id.to_be_bytes(),
    ])
}

/// Prefix of the period queue.
pub fn period_queue_prefix() -> Vec<u8> {
    PERIOD_QUEUE.to_vec()
}

/// The (period end, contract id) of a period-queue key.
pub fn parse_period_queue(key: &[u8]) -> Option<(u64, u64)> {
    let rest = key.strip_prefix(PERIOD_QUEUE)?;
    let end: [u8; 8] = rest.get(..8)?.try_into().ok()?;
    let id: [u8; 8] = rest.get(8..)?.try_into().ok()?;
    Some((u64::from_be_bytes(end), u64::from_be_bytes(id)))
}

/// `metering/oracles/<asset id>` → `OracleSet`.
pub fn oracles(asset_id: u64) -> Vec<u8> {
    join(&[ORACLES, &asset_id.to_be_bytes()])
}

/// `metering/round/<asset id><period>` → `OracleRound`.
pub fn round(asset_id: u64, period: u64) -> Vec<u8> {
    join(&[ROUND, &asset_id.to_be_bytes(), &period.to_be_bytes()])
}

/// The trailing 8-byte id of an index key under `prefix`.
pub fn parse_trailing_id(prefix: &[u8], key: &[u8]) -> Option<u64> {
    let rest = key.strip_prefix(prefix)?;
    let bytes: [u8; 8] = rest.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}
