//! Sign bytes of the device domains: what a manufacturer, a device key or a
//! new key signs. Storage-free, so clients and the device SDK build them
//! without the module's state.

use fructus_types::{Address, PublicKey};

/// Domain tag of manufacturer attestations of a device key (registration
/// and owner-path rotation).
pub const ATTESTATION_DOMAIN: &[u8] = b"fructus/device-attestation/v2";
/// Domain tag of a device key's consent to its own registration.
pub const REGISTRATION_DOMAIN: &[u8] = b"fructus/device-register/v1";
/// Domain tag of a new key's consent to a device-signed rotation.
pub const ROTATION_DOMAIN: &[u8] = b"fructus/device-rotate/v2";
/// Domain tag of a manufacturer's re-attestation that lifts one tamper
/// suspension.
pub const REATTESTATION_DOMAIN: &[u8] = b"fructus/device-reattest/v1";

/// Sign bytes of the device domains. Every variable-length field is
/// preceded by its length in one byte (chain ids are at most 48 bytes,
/// keys 33, serials 64), so no two field lists give the same bytes; the
/// domain tags are prefix-free, so no signature serves two purposes.
struct SignBytes(Vec<u8>);

impl SignBytes {
    fn new(domain: &[u8], chain_id: &str) -> Self {
        let mut out = Vec::with_capacity(160);
        out.extend_from_slice(domain);
        let s = SignBytes(out);
        s.field(chain_id.as_bytes())
    }

    fn field(mut self, bytes: &[u8]) -> Self {
        let len = u8::try_from(bytes.len()).unwrap_or(u8::MAX);
        self.0.push(len);
        self.0
            .extend_from_slice(bytes.get(..usize::from(len)).unwrap_or(bytes));
        self
    }

    fn key(mut self, key: &PublicKey) -> Self {
        self.0.push(key.algo().tag());
        self.field(&key.to_bytes())
    }

    fn address(mut self, address: &Address) -> Self {
        self.0.extend_from_slice(address.as_bytes());
        self
    }

    fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
}

/// The bytes a manufacturer attestation key signs for a device key:
/// `ATTESTATION_DOMAIN ‖ lp(chain_id) ‖ key tag ‖ lp(key) ‖ class_id (u64
/// BE) ‖ lp(serial)`, where `lp(x)` = one length byte then `x`.
pub fn attestation_bytes(
    chain_id: &str,
    device_key: &PublicKey,
    class_id: u64,
    serial: &str,
) -> Vec<u8> {
    SignBytes::new(ATTESTATION_DOMAIN, chain_id)
        .key(device_key)
        .u64(class_id)
        .field(serial.as_bytes())
        .0
}

/// The bytes a device key signs to consent to its own registration:
/// `REGISTRATION_DOMAIN ‖ lp(chain_id) ‖ asset_id (u64 BE) ‖ operator (20
/// bytes) ‖ key tag ‖ lp(key)`. Only the key's holder can make it, so no
/// one registers a key they do not hold (an existing account's, say).
pub fn registration_bytes(
    chain_id: &str,
    asset_id: u64,
    operator: &Address,
    device_key: &PublicKey,
) -> Vec<u8> {
    SignBytes::new(REGISTRATION_DOMAIN, chain_id)
        .u64(asset_id)
        .address(operator)
        .key(device_key)
        .0
}

/// The bytes a new device key signs to consent to a device-signed
/// rotation: `ROTATION_DOMAIN ‖ lp(chain_id) ‖ device (20 bytes) ‖ key tag ‖
/// lp(new key)`.
pub fn rotation_bytes(chain_id: &str, device: &Address, new_key: &PublicKey) -> Vec<u8> {
    SignBytes::new(ROTATION_DOMAIN, chain_id)
        .address(device)
        .key(new_key)
        .0
}

/// The bytes a manufacturer attestation key signs to lift a tamper
/// suspension: `REATTESTATION_DOMAIN ‖ lp(chain_id) ‖ device (20 bytes) ‖
/// key tag ‖ lp(current key) ‖ suspensions (u64 BE)`. `suspensions` is the
/// device's count of suspensions so far, which every suspension raises: a
/// re-attestation lifts exactly one suspension and can never be replayed
/// for a later one, and nothing the chain already holds (the registration
/// attestation) verifies under this domain.
pub fn reattestation_bytes(
    chain_id: &str,
    device: &Address,
    key: &PublicKey,
    suspensions: u64,
) -> Vec<u8> {
    SignBytes::new(REATTESTATION_DOMAIN, chain_id)
        .address(device)
        .key(key)
        .u64(suspensions)
        .0
}
