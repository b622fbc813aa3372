//! Every storage key of the asset module is built here and nowhere else.
//! Ids are 8-byte big-endian so prefix scans return them in numeric order.

use fructus_types::{Address, Denom};

const NEXT_CLASS: &[u8] = b"asset/next_class";
const NEXT_ASSET: &[u8] = b"asset/next_asset";
const CLASS: &[u8] = b"asset/class/";
const MANAGER: &[u8] = b"asset/manager/";
const SERIAL: &[u8] = b"asset/serial/";
const ASSET: &[u8] = b"asset/asset/";
const BY_OWNER: &[u8] = b"asset/by_owner/";
const BY_CLASS: &[u8] = b"asset/by_class/";
const DIRECT: &[u8] = b"asset/direct/";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `asset/next_class` → `u64`, the next class id to assign.
pub fn next_class() -> Vec<u8> {
    NEXT_CLASS.to_vec()
}

/// `asset/next_asset` → `u64`, the next asset id to assign.
pub fn next_asset() -> Vec<u8> {
    NEXT_ASSET.to_vec()
}

/// `asset/class/<id>` → `AssetClass`.
pub fn class(id: u64) -> Vec<u8> {
    join(&[CLASS, &id.to_be_bytes()])
}

/// Prefix of all classes.
pub fn all_classes() -> Vec<u8> {
    CLASS.to_vec()
}

/// `asset/manager/<class><address>` → `true` while authorized.
pub fn manager(class_id: u64, manager: &Address) -> Vec<u8> {
    join(&[MANAGER, &class_id.to_be_bytes(), manager.as_bytes()])
}

/// `asset/serial/<class><serial>` → asset id.
pub fn serial(class_id: u64, serial: &str) -> Vec<u8> {
    join(&[SERIAL, &class_id.to_be_bytes(), serial.as_bytes()])
}

/// `asset/asset/<id>` → `Asset`.
pub fn asset(id: u64) -> Vec<u8> {
    join(&[ASSET, &id.to_be_bytes()])
}

/// `asset/by_owner/<address><asset id>` → `true`.
pub fn by_owner(owner: &Address, asset_id: u64) -> Vec<u8> {
    join(&[BY_OWNER, owner.as_bytes(), &asset_id.to_be_bytes()])
}

/// Prefix of the assets of `owner`.
pub fn by_owner_prefix(owner: &Address) -> Vec<u8> {
    join(&[BY_OWNER, owner.as_bytes()])
}

/// `asset/by_class/<class><asset id>` → `true`.
pub fn by_class(class_id: u64, asset_id: u64) -> Vec<u8> {
    join(&[BY_CLASS, &class_id.to_be_bytes(), &asset_id.to_be_bytes()])
}

/// Prefix of the assets of a class.
pub fn by_class_prefix(class_id: u64) -> Vec<u8> {
    join(&[BY_CLASS, &class_id.to_be_bytes()])
}

/// `asset/direct/<asset id><denom>` → `Amount`: lifetime income paid
/// straight to the owner of the un-fractionalized asset.
pub fn direct(asset_id: u64, denom: &Denom) -> Vec<u8> {
    join(&[DIRECT, &asset_id.to_be_bytes(), denom.as_str().as_bytes()])
}

/// Prefix of the direct-income totals of an asset.
pub fn direct_prefix(asset_id: u64) -> Vec<u8> {
    join(&[DIRECT, &asset_id.to_be_bytes()])
}

/// The trailing 8-byte id of an index key under `prefix`.
pub fn parse_trailing_id(prefix: &[u8], key: &[u8]) -> Option<u64> {
    let rest = key.strip_prefix(prefix)?;
    let bytes: [u8; 8] = rest.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// The denom at the end of a direct-income key under `prefix`.
pub fn parse_trailing_denom(prefix: &[u8], key: &[u8]) -> Option<Denom> {
    let rest = key.strip_prefix(prefix)?;
    std::str::from_utf8(rest).ok()?.parse().ok()
}
