//! Every storage key of the certificate module is built here and nowhere
//! else. Ids are 8-byte big-endian so prefix scans return them in numeric
//! order; variable-length parts carry a one-byte length prefix (all are at
//! most 128 bytes) so no two key tuples share an encoding.

use fructus_types::Address;

const PARAMS: &[u8] = b"cert/params";
const ISSUER: &[u8] = b"cert/issuer/";
const NEXT_CLASS: &[u8] = b"cert/next_class";
const CLASS: &[u8] = b"cert/class/";
const NEXT_BATCH: &[u8] = b"cert/next_batch";
const BATCH: &[u8] = b"cert/batch/";
const SERIAL: &[u8] = b"cert/serial/";
const NEXT_RETIREMENT: &[u8] = b"cert/next_retirement";
const RETIREMENT: &[u8] = b"cert/retirement/";
const RETIREMENT_BY_BATCH: &[u8] = b"cert/ret_batch/";
const RETIREMENT_BY_BENEFICIARY: &[u8] = b"cert/ret_beneficiary/";
const AUTHORIZATION: &[u8] = b"cert/auth/";
const BRIDGED: &[u8] = b"cert/bridged/";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn len_prefixed(s: &str) -> Vec<u8> {
    let len = u8::try_from(s.len()).unwrap_or(u8::MAX);
    join(&[&[len], s.as_bytes()])
}

/// `cert/params` → `CertificateParams`.
pub fn params() -> Vec<u8> {
    PARAMS.to_vec()
}

/// `cert/issuer/<address>` → `Issuer`.
pub fn issuer(address: &Address) -> Vec<u8> {
    join(&[ISSUER, address.as_bytes()])
}

/// Prefix of every issuer.
pub fn all_issuers() -> Vec<u8> {
    ISSUER.to_vec()
}

/// `cert/next_class` → `u64`.
pub fn next_class() -> Vec<u8> {
    NEXT_CLASS.to_vec()
}

/// `cert/class/<id>` → `CertificateClass`.
pub fn class(id: u64) -> Vec<u8> {
    join(&[CLASS, &id.to_be_bytes()])
}

/// Prefix of every class.
pub fn all_classes() -> Vec<u8> {
    CLASS.to_vec()
}

/// `cert/next_batch` → `u64`.
pub fn next_batch() -> Vec<u8> {
    NEXT_BATCH.to_vec()
}

/// `cert/batch/<id>` → `Batch`.
pub fn batch(id: u64) -> Vec<u8> {
    join(&[BATCH, &id.to_be_bytes()])
}

/// Prefix of every batch.
pub fn all_batches() -> Vec<u8> {
    BATCH.to_vec()
}

/// Prefix of the serial ranges of one class in one registry.
pub fn serials(class_id: u64, registry: &str) -> Vec<u8> {
    join(&[SERIAL, &class_id.to_be_bytes(), &len_prefixed(registry)])
}

/// `cert/serial/<class><registry><last serial>` → `(first serial, batch
/// id)`: the ranges of a class and registry ordered by their last serial
/// (disjoint ranges are ordered the same by first and by last serial).
pub fn serial_range(class_id: u64, registry: &str, last: u64) -> Vec<u8> {
    join(&[&serials(class_id, registry), &last.to_be_bytes()])
}

/// `cert/next_retirement` → `u64`.
pub fn next_retirement() -> Vec<u8> {
    NEXT_RETIREMENT.to_vec()
}

/// `cert/retirement/<id>` → `Retirement` (the key a proof of a retirement
/// is asked for).
pub fn retirement(id: u64) -> Vec<u8> {
    join(&[RETIREMENT, &id.to_be_bytes()])
}

/// Prefix of every retirement.
pub fn all_retirements() -> Vec<u8> {
    RETIREMENT.to_vec()
}

/// Prefix of the retirements of one batch.
pub fn retirements_of_batch(batch_id: u64) -> Vec<u8> {
    join(&[RETIREMENT_BY_BATCH, &batch_id.to_be_bytes()])
}

/// `cert/ret_batch/<batch><id>` → `()`.
pub fn retirement_by_batch(batch_id: u64, id: u64) -> Vec<u8> {
    join(&[&retirements_of_batch(batch_id), &id.to_be_bytes()])
}

/// Prefix of the retirements for one beneficiary.
pub fn retirements_of_beneficiary(beneficiary: &str) -> Vec<u8> {
    join(&[RETIREMENT_BY_BENEFICIARY, &len_prefixed(beneficiary)])
}

/// `cert/ret_beneficiary/<beneficiary><id>` → `()`.
pub fn retirement_by_beneficiary(beneficiary: &str, id: u64) -> Vec<u8> {
    join(&[&retirements_of_beneficiary(beneficiary), &id.to_be_bytes()])
}

/// The retirement id at the end of an index key (either index).
pub fn parse_index_id(key: &[u8]) -> Option<u64> {
    let tail = key.len().checked_sub(8).and_then(|at| key.get(at..))?;
    Some(u64::from_be_bytes(tail.try_into().ok()?))
}

/// `cert/auth/<asset id>` → `Authorization`.
pub fn authorization(asset_id: u64) -> Vec<u8> {
    join(&[AUTHORIZATION, &asset_id.to_be_bytes()])
}

/// Prefix of every authorization.
pub fn all_authorizations() -> Vec<u8> {
    AUTHORIZATION.to_vec()
}

/// `cert/bridged/<registry><source tx id>` → batch id: the source
/// transactions already bridged in.
pub fn bridged(registry: &str, tx_id: &str) -> Vec<u8> {
    join(&[BRIDGED, &len_prefixed(registry), &len_prefixed(tx_id)])
}
