//! Every storage key of the identity module is built here and nowhere else.

use fructus_types::Address;

const REGULATOR: &[u8] = b"identity/regulator/";
const PROVIDER: &[u8] = b"identity/provider/";
const VOIDED: &[u8] = b"identity/voided/";
const ATTESTATION: &[u8] = b"identity/att/";
const TIER: &[u8] = b"identity/tier/";
const FROZEN: &[u8] = b"identity/frozen/";
const ENCRYPTION_KEY: &[u8] = b"identity/enckey/";
const RECORD: &[u8] = b"identity/record/";
const RECORD_BY_SUBJECT: &[u8] = b"identity/record_subject/";

/// `identity/regulator/<address>` → `RegulatorRecord`.
pub fn regulator(address: &Address) -> Vec<u8> {
    [REGULATOR, address.as_bytes()].concat()
}

/// Prefix of every regulator.
pub fn all_regulators() -> Vec<u8> {
    REGULATOR.to_vec()
}

/// `identity/provider/<address>` → `ProviderRecord` (accredited providers).
pub fn provider(address: &Address) -> Vec<u8> {
    [PROVIDER, address.as_bytes()].concat()
}

/// Prefix of every accredited provider.
pub fn all_providers() -> Vec<u8> {
    PROVIDER.to_vec()
}

/// `identity/voided/<provider>` → `BlockHeight`: attestations that provider
/// issued at or before that height no longer count.
pub fn voided(provider: &Address) -> Vec<u8> {
    [VOIDED, provider.as_bytes()].concat()
}

/// `identity/att/<subject><provider>` → `Attestation`.
pub fn attestation(subject: &Address, provider: &Address) -> Vec<u8> {
    [ATTESTATION, subject.as_bytes(), provider.as_bytes()].concat()
}

/// Prefix of every attestation of `subject`.
pub fn attestations_of(subject: &Address) -> Vec<u8> {
    [ATTESTATION, subject.as_bytes()].concat()
}

/// `identity/tier/<address>` → `Tier` assigned by a module (device, oracle).
pub fn tier(address: &Address) -> Vec<u8> {
    [TIER, address.as_bytes()].concat()
}

/// `identity/frozen/<address>` → `FreezeRecord`.
pub fn frozen(address: &Address) -> Vec<u8> {
    [FROZEN, address.as_bytes()].concat()
}

/// `identity/enckey/<regulator>` → `[u8; 32]` X25519 public key.
pub fn encryption_key(regulator: &Address) -> Vec<u8> {
    [ENCRYPTION_KEY, regulator.as_bytes()].concat()
}

/// `identity/record_next` → `u64`: the id the next record gets.
pub fn next_record_id() -> Vec<u8> {
    b"identity/record_next".to_vec()
}

/// `identity/record/<id big-endian>` → `Record`.
pub fn record(id: u64) -> Vec<u8> {
    [RECORD, &id.to_be_bytes()].concat()
}

/// `identity/record_subject/<subject><id big-endian>` → `u64` id.
pub fn record_by_subject(subject: &Address, id: u64) -> Vec<u8> {
    [RECORD_BY_SUBJECT, subject.as_bytes(), &id.to_be_bytes()].concat()
}

/// Prefix of the record index of `subject`.
pub fn records_of(subject: &Address) -> Vec<u8> {
    [RECORD_BY_SUBJECT, subject.as_bytes()].concat()
}
