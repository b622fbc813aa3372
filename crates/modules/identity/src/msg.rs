//! The messages identity accepts, parsed and validated from the wire
//! (`proto/fructus/identity/v1/msgs.proto`).

use fructus_types::{Address, BlockHeight, BlockTime};

use crate::{
    IdentityError, proto as pb,
    records::{NONCE_BYTES, SealedRecord, WRAPPED_KEY_BYTES, WrappedKey, hex_bytes},
};

/// Lowest KYC level.
pub const KYC_LEVEL_BASIC: u8 = 1;
/// Enhanced due diligence.
pub const KYC_LEVEL_ENHANCED: u8 = 2;
/// The level that makes an account an `enterprise` (and the highest).
pub const KYC_LEVEL_ENTERPRISE: u8 = 3;
/// Longest reason string (freeze, unfreeze, revocations).
pub const MAX_REASON_LEN: usize = 256;

/// A regulator accredits a KYC provider.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccreditProvider {
    /// The provider.
    pub provider: Address,
}

/// A regulator withdraws a provider's accreditation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeProvider {
    /// The provider.
    pub provider: Address,
    /// Why (goes into the event).
    pub reason: String,
    /// Also void every attestation it issued so far.
    pub void_attestations: bool,
}

/// A regulator or accredited provider attests an account's KYC.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttestKyc {
    /// The attested account.
    pub subject: Address,
    /// 1 ([`KYC_LEVEL_BASIC`]) to 3 ([`KYC_LEVEL_ENTERPRISE`]).
    pub level: u8,
    /// Last height at which it counts; `None` = no height limit.
    pub expiry_height: Option<BlockHeight>,
    /// It counts while the block time is before this; `None` = no limit.
    pub expiry_time: Option<BlockTime>,
    /// SHA-256 of the off-chain KYC file.
    #[serde(serialize_with = "hex_bytes")]
    pub kyc_file_sha256: [u8; 32],
}

/// Revoke one attestation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeAttestation {
    /// The attested account.
    pub subject: Address,
    /// Who issued the attestation.
    pub provider: Address,
    /// Why.
    pub reason: String,
}

/// A regulator freezes an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Freeze {
    /// The account.
    pub account: Address,
    /// Why.
    pub reason: String,
}

/// A regulator unfreezes an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unfreeze {
    /// The account.
    pub account: Address,
    /// Why.
    pub reason: String,
}

/// A regulator registers its records encryption key, proving it holds it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterEncryptionKey {
    /// X25519 public key: the Montgomery form of `records_key`.
    #[serde(serialize_with = "hex_bytes")]
    pub x25519_pubkey: [u8; 32],
    /// The records key's ed25519 public key.
    #[serde(serialize_with = "hex_bytes")]
    pub records_key: [u8; 32],
    /// The records key's signature over
    /// [`crate::records::possession_bytes`] (64 bytes).
    #[serde(serialize_with = "hex_bytes")]
    pub possession_proof: Vec<u8>,
}

/// Store a regulator-only record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoreRecord {
    /// The sealed record (see [`crate::records::seal`]).
    pub record: SealedRecord,
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, IdentityError> {
    Address::from_slice(bytes).map_err(|e| IdentityError::field(field, e))
}

fn fixed<const N: usize>(field: &'static str, bytes: &[u8]) -> Result<[u8; N], IdentityError> {
    bytes.try_into().map_err(|_| {
        IdentityError::field(field, format!("expected {N} bytes, got {}", bytes.len()))
    })
}

fn reason(field: &'static str, r: &str) -> Result<String, IdentityError> {
    if r.trim().is_empty() || r.len() > MAX_REASON_LEN {
        return Err(IdentityError::field(
            field,
            format!("a reason of 1 to {MAX_REASON_LEN} bytes is required"),
        ));
    }
    Ok(r.to_owned())
}

impl TryFrom<&pb::MsgAccreditProvider> for AccreditProvider {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgAccreditProvider) -> Result<Self, IdentityError> {
        Ok(AccreditProvider {
            provider: address("provider", &m.provider)?,
        })
    }
}

impl TryFrom<&pb::MsgRevokeProvider> for RevokeProvider {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgRevokeProvider) -> Result<Self, IdentityError> {
        Ok(RevokeProvider {
            provider: address("provider", &m.provider)?,
            reason: reason("reason", &m.reason)?,
            void_attestations: m.void_attestations,
        })
    }
}

impl TryFrom<&pb::MsgAttestKyc> for AttestKyc {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgAttestKyc) -> Result<Self, IdentityError> {
        let level = u8::try_from(m.level)
            .ok()
            .filter(|l| (KYC_LEVEL_BASIC..=KYC_LEVEL_ENTERPRISE).contains(l))
            .ok_or_else(|| {
                IdentityError::field(
                    "level",
                    format!(
                        "must be {KYC_LEVEL_BASIC} to {KYC_LEVEL_ENTERPRISE}, got {}",
                        m.level
                    ),
                )
            })?;
        Ok(AttestKyc {
            subject: address("subject", &m.subject)?,
            level,
            expiry_height: (m.expiry_height != 0).then_some(m.expiry_height),
            expiry_time: (m.expiry_time_ms != 0).then_some(BlockTime(m.expiry_time_ms)),
            kyc_file_sha256: fixed("kyc_file_sha256", &m.kyc_file_sha256)?,
        })
    }
}

impl TryFrom<&pb::MsgRevokeAttestation> for RevokeAttestation {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgRevokeAttestation) -> Result<Self, IdentityError> {
        Ok(RevokeAttestation {
            subject: address("subject", &m.subject)?,
            provider: address("provider", &m.provider)?,
            reason: reason("reason", &m.reason)?,
        })
    }
}

impl TryFrom<&pb::MsgFreeze> for Freeze {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgFreeze) -> Result<Self, IdentityError> {
        Ok(Freeze {
            account: address("account", &m.account)?,
            reason: reason("reason", &m.reason)?,
        })
    }
}

impl TryFrom<&pb::MsgUnfreeze> for Unfreeze {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgUnfreeze) -> Result<Self, IdentityError> {
        Ok(Unfreeze {
            account: address("account", &m.account)?,
            reason: reason("reason", &m.reason)?,
        })
    }
}

impl TryFrom<&pb::MsgRegisterEncryptionKey> for RegisterEncryptionKey {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgRegisterEncryptionKey) -> Result<Self, IdentityError> {
        let proof: [u8; 64] = fixed("possession_proof", &m.possession_proof)?;
        Ok(RegisterEncryptionKey {
            x25519_pubkey: fixed("x25519_pubkey", &m.x25519_pubkey)?,
            records_key: fixed("records_key", &m.records_key)?,
            possession_proof: proof.to_vec(),
        })
    }
}

impl TryFrom<&pb::WrappedKey> for WrappedKey {
    type Error = IdentityError;
    fn try_from(w: &pb::WrappedKey) -> Result<Self, IdentityError> {
        Ok(WrappedKey {
            regulator: address("wrapped_keys.regulator", &w.regulator)?,
            recipient_pubkey: fixed("wrapped_keys.recipient_pubkey", &w.recipient_pubkey)?,
            ephemeral_pubkey: fixed("wrapped_keys.ephemeral_pubkey", &w.ephemeral_pubkey)?,
            wrapped_content_key: fixed::<WRAPPED_KEY_BYTES>(
                "wrapped_keys.wrapped_content_key",
                &w.wrapped_content_key,
            )?,
            nonce: fixed::<NONCE_BYTES>("wrapped_keys.nonce", &w.nonce)?,
        })
    }
}

impl TryFrom<&pb::MsgStoreRecord> for StoreRecord {
    type Error = IdentityError;
    fn try_from(m: &pb::MsgStoreRecord) -> Result<Self, IdentityError> {
        // Bound the list before converting it (cheap refusal of junk).
        if m.wrapped_keys.len() > crate::MAX_REGULATORS {
            return Err(IdentityError::field(
                "wrapped_keys",
                format!(
                    "at most {} (one per regulator), got {}",
                    crate::MAX_REGULATORS,
                    m.wrapped_keys.len()
                ),
            ));
        }
        Ok(StoreRecord {
            record: SealedRecord {
                kind: m.kind.clone(),
                subject: address("subject", &m.subject)?,
                ciphertext: m.ciphertext.to_vec(),
                payload_nonce: fixed("payload_nonce", &m.payload_nonce)?,
                commitment: fixed("commitment", &m.commitment)?,
                wrapped_keys: m
                    .wrapped_keys
                    .iter()
                    .map(WrappedKey::try_from)
                    .collect::<Result<_, _>>()?,
            },
        })
    }
}

impl SealedRecord {
    /// The wire message that stores this record (what the CLI signs).
    pub fn to_proto(&self) -> pb::MsgStoreRecord {
        pb::MsgStoreRecord {
            kind: self.kind.clone(),
            subject: self.subject.as_bytes().to_vec().into(),
            ciphertext: self.ciphertext.clone().into(),
            payload_nonce: self.payload_nonce.to_vec().into(),
            commitment: self.commitment.to_vec().into(),
            wrapped_keys: self
                .wrapped_keys
                .iter()
                .map(|w| pb::WrappedKey {
                    regulator: w.regulator.as_bytes().to_vec().into(),
                    recipient_pubkey: w.recipient_pubkey.to_vec().into(),
                    ephemeral_pubkey: w.ephemeral_pubkey.to_vec().into(),
                    wrapped_content_key: w.wrapped_content_key.to_vec().into(),
                    nonce: w.nonce.to_vec().into(),
                })
                .collect(),
        }
    }
}
