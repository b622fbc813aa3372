//! Builds and signs a Fructus meter-reading transaction on a device:
//! `#![no_std]` with `alloc`, no dependencies, so it fits firmware next to
//! a secure element.
//!
//! Owns: the protobuf encoding of two transaction shapes — a `TxBody`
//! with nonce 0 whose only message is `metering/submit_reading` (field 136
//! of `fructus.tx.v1.Message`), and a `TxBody` with the device account's
//! nonce whose only message is `compute/heartbeat` (field 211: a GPU
//! server tells the chain it is alive, [`signed_heartbeat`]), each wrapped
//! in a `SignedTx` — and
//! the signed bytes `"fructus/tx/v1" || u8 len(chain_id) || chain_id ||
//! body`. Reading transactions carry nonce 0: the chain uses the device's
//! strictly increasing sequence as their replay protection, so a device
//! never needs to ask a node for its account nonce.
//!
//! Signing is behind [`Signer`], so the private key can stay in a secure
//! element: the SDK hands it the exact bytes to sign (ed25519 signs them
//! as is; P-256 signs their SHA-256 with ECDSA and returns `r || s`).
//! The chain accepts only low-S P-256 signatures (`s <= n/2`, so nobody can
//! re-sign a transaction into a second hash); secure elements emit either
//! form, so [`signed_reading`] replaces a high `s` by `n - s` — the same
//! signature in its canonical form.
//!
//! It also builds the two consents only the device key can give (the
//! same bytes the chain verifies, see `docs/security.md` §3):
//! [`registration_consent`] — the device key agrees to be registered to one
//! asset by one operator on one chain — and [`rotation_consent`] — a new key
//! agrees to take over the device's account. Both bind the chain id, so a
//! consent given on a test network is worthless on another chain.
//!
//! Must never: allocate more than the transaction being built, panic on
//! any input, or hold a private key.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

/// Domain tag of transaction signatures.
pub const SIGN_DOMAIN: &[u8] = b"fructus/tx/v1";
/// Domain tag of a device key's consent to its own registration.
pub const REGISTRATION_DOMAIN: &[u8] = b"fructus/device-register/v1";
/// Domain tag of a new key's consent to a device-signed key rotation.
pub const ROTATION_DOMAIN: &[u8] = b"fructus/device-rotate/v2";
/// Field of `MsgSubmitReading` in `fructus.tx.v1.Message`.
pub const SUBMIT_READING_FIELD: u32 = 136;
/// Field of `compute/heartbeat` in `fructus.tx.v1.Message`.
pub const HEARTBEAT_FIELD: u32 = 211;
/// Reading flag: tampering detected.
pub const FLAG_TAMPER: u32 = 1;
/// Reading flag: a fault (the reading still counts).
pub const FLAG_FAULT: u32 = 2;

/// A device key's algorithm (the wire's `fructus.crypto.v1.KeyType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// Ed25519: 32-byte keys.
    Ed25519 = 1,
    /// ECDSA P-256 with SHA-256: 33-byte compressed keys.
    P256 = 2,
}

/// Why a transaction could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The signer failed (secure element error, …).
    Signer,
    /// The signature is not 64 bytes.
    SignatureLength(usize),
    /// The chain id is empty or longer than 48 bytes.
    ChainId,
    /// The public key does not have its algorithm's length.
    KeyLength(usize),
    /// Sequences start at 1.
    ZeroSequence,
}

/// The key that signs readings: software or a secure element.
pub trait Signer {
    /// The key's algorithm.
    fn key_type(&self) -> KeyType;
    /// The canonical public key bytes (32 for ed25519, 33 compressed for
    /// P-256).
    fn public_key(&self) -> Vec<u8>;
    /// Signs `message` (ed25519: the message; P-256: ECDSA over its
    /// SHA-256), returning the 64-byte signature.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error>;
}

/// What stays the same between readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceConfig<'a> {
    /// The chain id.
    pub chain_id: &'a str,
    /// The device's address (20 bytes) as registered on chain.
    pub device: [u8; 20],
    /// Fee denom (`ufrx`).
    pub fee_denom: &'a str,
    /// Fee amount in base units.
    pub fee_amount: u128,
    /// Gas limit.
    pub gas_limit: u64,
    /// The account paying fees through a fee grant (the owner), if any.
    pub fee_payer: Option<[u8; 20]>,
}

/// One reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Strictly increasing sequence (from 1).
    pub sequence: u64,
    /// Cumulative counter.
    pub counter: u64,
    /// Device clock, ms since the epoch.
    pub time_ms: u64,
    /// [`FLAG_TAMPER`] | [`FLAG_FAULT`].
    pub flags: u32,
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(((v & 0x7f) as u8) | 0x80);
        v = v.wrapping_shr(7);
    }
    out.push(v as u8);
}

fn tag(out: &mut Vec<u8>, field: u32, wire: u8) {
    varint(out, u64::from(field).wrapping_shl(3) | u64::from(wire));
}

fn uint(out: &mut Vec<u8>, field: u32, v: u64) {
    if v != 0 {
        tag(out, field, 0);
        varint(out, v);
    }
}

fn bytes(out: &mut Vec<u8>, field: u32, b: &[u8]) {
    if !b.is_empty() {
        tag(out, field, 2);
        varint(out, b.len() as u64);
        out.extend_from_slice(b);
    }
}

/// Writes an embedded message even when empty (proto3 omits only empty
/// scalars; an absent sub-message means "missing").
fn message(out: &mut Vec<u8>, field: u32, b: &[u8]) {
    tag(out, field, 2);
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn decimal(mut v: u128) -> Vec<u8> {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0'.wrapping_add(v.checked_rem(10).unwrap_or(0) as u8));
        v = v.checked_div(10).unwrap_or(0);
        if v == 0 {
            break;
        }
    }
    digits.reverse();
    digits
}

/// The encoded `MsgSubmitReading`.
/// One heartbeat of a compute provider's device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heartbeat {
    /// The GPU asset.
    pub asset_id: u64,
    /// Strictly increasing heartbeat sequence (from 1).
    pub sequence: u64,
    /// Device clock, ms since the epoch.
    pub time_ms: u64,
    /// GPUs up (0 = going offline).
    pub gpus_online: u32,
    /// The device account's nonce (heartbeats are ordinary transactions:
    /// ask the node for it, `GET /v1/accounts/<device>`).
    pub nonce: u64,
}

/// The encoded `MsgHeartbeat`.
fn heartbeat_msg(h: &Heartbeat) -> Vec<u8> {
    let mut m = Vec::with_capacity(32);
    uint(&mut m, 1, h.asset_id);
    uint(&mut m, 2, h.sequence);
    uint(&mut m, 3, h.time_ms);
    uint(&mut m, 4, u64::from(h.gpus_online));
    m
}

fn reading_msg(device: &[u8; 20], r: &Reading) -> Vec<u8> {
    let mut m = Vec::with_capacity(64);
    bytes(&mut m, 1, device);
    uint(&mut m, 2, r.sequence);
    uint(&mut m, 3, r.counter);
    uint(&mut m, 4, r.time_ms);
    uint(&mut m, 5, u64::from(r.flags));
    m
}

fn check_chain_id(chain_id: &str) -> Result<(), Error> {
    if chain_id.is_empty() || chain_id.len() > 48 {
        return Err(Error::ChainId);
    }
    Ok(())
}

fn check_key(key_type: KeyType, public_key: &[u8]) -> Result<(), Error> {
    let expected = match key_type {
        KeyType::Ed25519 => 32,
        KeyType::P256 => 33,
    };
    if public_key.len() != expected {
        return Err(Error::KeyLength(public_key.len()));
    }
    Ok(())
}

/// `domain ‖ u8 len(chain_id) ‖ chain_id`: the start of every consent.
fn consent_start(domain: &[u8], chain_id: &str) -> Result<Vec<u8>, Error> {
    check_chain_id(chain_id)?;
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(domain);
    out.push(chain_id.len() as u8);
    out.extend_from_slice(chain_id.as_bytes());
    Ok(out)
}

/// `key type ‖ u8 len(key) ‖ key`.
fn consent_key(out: &mut Vec<u8>, key_type: KeyType, public_key: &[u8]) -> Result<(), Error> {
    check_key(key_type, public_key)?;
    out.push(key_type as u8);
    out.push(public_key.len() as u8);
    out.extend_from_slice(public_key);
    Ok(())
}

/// The bytes a device key signs to consent to its registration to
/// `asset_id` by `operator` (the registering transaction's signer):
/// `REGISTRATION_DOMAIN ‖ u8 len ‖ chain_id ‖ asset_id (u64 BE) ‖
/// operator ‖ key type ‖ u8 len ‖ key`.
pub fn registration_bytes(
    chain_id: &str,
    asset_id: u64,
    operator: &[u8; 20],
    key_type: KeyType,
    public_key: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut out = consent_start(REGISTRATION_DOMAIN, chain_id)?;
    out.extend_from_slice(&asset_id.to_be_bytes());
    out.extend_from_slice(operator);
    consent_key(&mut out, key_type, public_key)?;
    Ok(out)
}

/// The device key's signature over [`registration_bytes`]: the
/// `device_signature` of `MsgRegisterDevice`.
pub fn registration_consent<S: Signer>(
    chain_id: &str,
    asset_id: u64,
    operator: &[u8; 20],
    signer: &S,
) -> Result<Vec<u8>, Error> {
    let msg = registration_bytes(
        chain_id,
        asset_id,
        operator,
        signer.key_type(),
        &signer.public_key(),
    )?;
    signature(signer.sign(&msg)?)
}

/// The bytes a new key signs to take over `device`'s account in a
/// device-signed rotation: `ROTATION_DOMAIN ‖ u8 len ‖ chain_id ‖ device ‖
/// key type ‖ u8 len ‖ new key`.
pub fn rotation_bytes(
    chain_id: &str,
    device: &[u8; 20],
    key_type: KeyType,
    new_public_key: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut out = consent_start(ROTATION_DOMAIN, chain_id)?;
    out.extend_from_slice(device);
    consent_key(&mut out, key_type, new_public_key)?;
    Ok(out)
}

/// The new key's signature over [`rotation_bytes`]: the
/// `new_key_signature` of `MsgRotateDeviceKey`.
pub fn rotation_consent<S: Signer>(
    chain_id: &str,
    device: &[u8; 20],
    new_signer: &S,
) -> Result<Vec<u8>, Error> {
    let msg = rotation_bytes(
        chain_id,
        device,
        new_signer.key_type(),
        &new_signer.public_key(),
    )?;
    signature(new_signer.sign(&msg)?)
}

fn signature(sig: Vec<u8>) -> Result<Vec<u8>, Error> {
    if sig.len() != 64 {
        return Err(Error::SignatureLength(sig.len()));
    }
    Ok(sig)
}

/// The encoded `TxBody` of a reading transaction (nonce 0).
pub fn body(
    config: &DeviceConfig<'_>,
    key_type: KeyType,
    public_key: &[u8],
    r: &Reading,
) -> Result<Vec<u8>, Error> {
    if r.sequence == 0 {
        return Err(Error::ZeroSequence);
    }
    envelope(
        config,
        key_type,
        public_key,
        0,
        SUBMIT_READING_FIELD,
        &reading_msg(&config.device, r),
    )
}

/// The encoded `TxBody` of a heartbeat transaction (the device account's
/// nonce).
pub fn heartbeat_body(
    config: &DeviceConfig<'_>,
    key_type: KeyType,
    public_key: &[u8],
    h: &Heartbeat,
) -> Result<Vec<u8>, Error> {
    if h.sequence == 0 {
        return Err(Error::ZeroSequence);
    }
    envelope(
        config,
        key_type,
        public_key,
        h.nonce,
        HEARTBEAT_FIELD,
        &heartbeat_msg(h),
    )
}

/// A `TxBody` carrying one message (`field` of `fructus.tx.v1.Message`).
fn envelope(
    config: &DeviceConfig<'_>,
    key_type: KeyType,
    public_key: &[u8],
    nonce: u64,
    field: u32,
    inner: &[u8],
) -> Result<Vec<u8>, Error> {
    check_chain_id(config.chain_id)?;
    check_key(key_type, public_key)?;
    let mut signer = Vec::with_capacity(40);
    uint(&mut signer, 1, key_type as u64);
    bytes(&mut signer, 2, public_key);

    let mut coin = Vec::with_capacity(32);
    bytes(&mut coin, 1, config.fee_denom.as_bytes());
    bytes(&mut coin, 2, &decimal(config.fee_amount));
    let mut fee = Vec::with_capacity(64);
    message(&mut fee, 1, &coin);
    uint(&mut fee, 2, config.gas_limit);
    if let Some(payer) = &config.fee_payer {
        bytes(&mut fee, 3, payer);
    }

    let mut msg = Vec::with_capacity(72);
    message(&mut msg, field, inner);

    let mut out = Vec::with_capacity(160);
    bytes(&mut out, 1, config.chain_id.as_bytes());
    message(&mut out, 2, &signer);
    uint(&mut out, 3, nonce);
    message(&mut out, 4, &fee);
    message(&mut out, 7, &msg);
    Ok(out)
}

/// The bytes the device key signs for `body` on `chain_id`.
pub fn sign_bytes(chain_id: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        SIGN_DOMAIN
            .len()
            .saturating_add(1)
            .saturating_add(chain_id.len())
            .saturating_add(body.len()),
    );
    out.extend_from_slice(SIGN_DOMAIN);
    out.push(chain_id.len().min(255) as u8);
    out.extend_from_slice(chain_id.as_bytes());
    out.extend_from_slice(body);
    out
}

/// The order `n` of the P-256 group, big-endian.
const P256_ORDER: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];
/// `floor(n / 2)`: the largest low `s`.
const P256_HALF_ORDER: [u8; 32] = [
    0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
];

/// Rewrites a P-256 `r || s` with `s > n/2` to `r || n - s` (big-endian
/// byte arithmetic: `n - s` with `s < n` cannot underflow).
fn normalize_p256_s(signature: &mut [u8]) {
    let Some(s) = signature.get_mut(32..64) else {
        return;
    };
    if *s <= P256_HALF_ORDER[..] {
        return;
    }
    let mut borrow = 0u16;
    for (byte, n) in s.iter_mut().zip(P256_ORDER.iter()).rev() {
        let diff = u16::from(*n)
            .wrapping_sub(u16::from(*byte))
            .wrapping_sub(borrow);
        borrow = diff.wrapping_shr(15);
        *byte = diff as u8;
    }
}

/// Builds and signs one reading transaction: the bytes to send to a node
/// (`POST /v1/txs`).
pub fn signed_reading<S: Signer>(
    config: &DeviceConfig<'_>,
    signer: &S,
    reading: &Reading,
) -> Result<Vec<u8>, Error> {
    let body = body(config, signer.key_type(), &signer.public_key(), reading)?;
    sign_body(config, signer, &body)
}

/// Builds and signs one heartbeat transaction (`config.device` is unused:
/// the asset names the provider, the signature its device).
pub fn signed_heartbeat<S: Signer>(
    config: &DeviceConfig<'_>,
    signer: &S,
    heartbeat: &Heartbeat,
) -> Result<Vec<u8>, Error> {
    let body = heartbeat_body(config, signer.key_type(), &signer.public_key(), heartbeat)?;
    sign_body(config, signer, &body)
}

/// `SignedTx { body, signature }`, the signature in its low-S form.
fn sign_body<S: Signer>(
    config: &DeviceConfig<'_>,
    signer: &S,
    body: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut signature = signer.sign(&sign_bytes(config.chain_id, body))?;
    if signature.len() != 64 {
        return Err(Error::SignatureLength(signature.len()));
    }
    if signer.key_type() == KeyType::P256 {
        normalize_p256_s(&mut signature);
    }
    let mut out = Vec::with_capacity(body.len().saturating_add(72));
    bytes(&mut out, 1, body);
    bytes(&mut out, 2, &signature);
    Ok(out)
}
