//! The identity records and the views its queries answer with. Plain
//! data, available without the `component` feature, so a client reads
//! query answers with these types without linking storage.

use std::fmt;

use fructus_types::{Address, BlockHeight, BlockTime};

use crate::{
    IdentityError,
    records::{SealedRecord, hex_array, hex_bytes},
};

/// An account's tier.
///
/// Resolution order (see `IdentityStateReadExt::tier`): a member of the
/// regulator set is a `regulator`; else a tier a module assigned (`device`,
/// `oracle`); else an account holding a valid attestation of level ≥
/// [`KYC_LEVEL_ENTERPRISE`](crate::msg::KYC_LEVEL_ENTERPRISE) is an
/// `enterprise`; else `individual`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Tier 1: supervises, freezes, reads regulator-only records.
    Regulator,
    /// Tier 2: a KYC'd enterprise.
    Enterprise,
    /// Tier 3: everyone else (the default).
    Individual,
    /// A device account (assigned by the metering module).
    Device,
    /// An oracle operator (assigned by the oracle/metering module).
    Oracle,
}

impl Tier {
    /// The lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Tier::Regulator => "regulator",
            Tier::Enterprise => "enterprise",
            Tier::Individual => "individual",
            Tier::Device => "device",
            Tier::Oracle => "oracle",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Tier {
    type Err = IdentityError;
    fn from_str(s: &str) -> Result<Self, IdentityError> {
        Ok(match s {
            "regulator" => Tier::Regulator,
            "enterprise" => Tier::Enterprise,
            "individual" => Tier::Individual,
            "device" => Tier::Device,
            "oracle" => Tier::Oracle,
            _ => {
                return Err(IdentityError::field(
                    "tier",
                    format!("{s:?}: expected regulator, enterprise, individual, device or oracle"),
                ));
            }
        })
    }
}

/// A member of the regulator set.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct RegulatorRecord {
    /// The regulator.
    #[schema(value_type = String)]
    pub address: Address,
    /// Height it joined (0 = genesis).
    #[schema(value_type = u64)]
    pub since_height: BlockHeight,
}

/// An accredited KYC provider.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct ProviderRecord {
    /// The provider.
    #[schema(value_type = String)]
    pub provider: Address,
    /// The regulator that accredited it; `None` for genesis providers.
    #[schema(value_type = Option<String>)]
    pub accredited_by: Option<Address>,
    /// Height of accreditation (0 = genesis).
    #[schema(value_type = u64)]
    pub since_height: BlockHeight,
}

/// Why an attestation was revoked.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Revocation {
    /// Who revoked it.
    #[schema(value_type = String)]
    pub by: Address,
    /// When.
    #[schema(value_type = u64)]
    pub height: BlockHeight,
    /// Why.
    pub reason: String,
}

/// A KYC attestation of `subject` by `provider` (a regulator or an
/// accredited provider at the time it was issued).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Attestation {
    /// The attested account.
    #[schema(value_type = String)]
    pub subject: Address,
    /// The issuer.
    #[schema(value_type = String)]
    pub provider: Address,
    /// KYC level (1 basic, 2 enhanced, 3 enterprise).
    pub level: u8,
    /// Height it was issued (0 = genesis).
    #[schema(value_type = u64)]
    pub issued_height: BlockHeight,
    /// Block time it was issued.
    #[schema(value_type = u64)]
    pub issued_time: BlockTime,
    /// Last height at which it counts; `None` = no height limit.
    #[schema(value_type = Option<u64>)]
    pub expiry_height: Option<BlockHeight>,
    /// It counts while block time < this; `None` = no time limit.
    #[schema(value_type = Option<u64>)]
    pub expiry_time: Option<BlockTime>,
    /// The salted commitment to the off-chain KYC file,
    /// [`crate::records::kyc_file_commitment`] (the salt stays beside the
    /// file and is disclosed with it; the name is kept for wire stability).
    #[serde(serialize_with = "hex_bytes", deserialize_with = "hex_array")]
    #[schema(value_type = String)]
    pub kyc_file_sha256: [u8; 32],
    /// Set once revoked.
    pub revoked: Option<Revocation>,
}

impl Attestation {
    /// True when past its height or time expiry at (`height`, `time`).
    pub fn is_expired(&self, height: BlockHeight, time: BlockTime) -> bool {
        self.expiry_height.is_some_and(|e| height > e)
            || self.expiry_time.is_some_and(|e| time >= e)
    }
}

/// Whether an attestation counts at a given height and time.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AttestationStatus {
    /// It counts.
    Valid,
    /// Past its expiry.
    Expired,
    /// Revoked by a regulator or its issuer.
    Revoked,
    /// Its issuer's accreditation was revoked with `void_attestations`.
    Voided,
}

/// A regulator's freeze of an account.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct FreezeRecord {
    /// The frozen account.
    #[schema(value_type = String)]
    pub account: Address,
    /// The regulator.
    #[schema(value_type = String)]
    pub by: Address,
    /// Why.
    pub reason: String,
    /// When.
    #[schema(value_type = u64)]
    pub height: BlockHeight,
}

/// A stored regulator-only record: ciphertext and metadata, never plaintext.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Record {
    /// Sequential id (from 0).
    pub id: u64,
    /// Who stored it.
    #[schema(value_type = String)]
    pub submitter: Address,
    /// Height it was stored.
    #[schema(value_type = u64)]
    pub height: BlockHeight,
    /// Block time it was stored.
    #[schema(value_type = u64)]
    pub time: BlockTime,
    /// The sealed content (open with [`crate::records::open`]).
    pub sealed: SealedRecord,
}

/// A stored record as served: the sealed content (ciphertext and wrapped
/// keys in hex) plus where it came from. `fructus records decrypt` fetches
/// the raw bytes with a Merkle proof instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RecordView {
    /// Record id.
    pub id: u64,
    /// Who stored it.
    #[schema(value_type = String)]
    pub submitter: Address,
    /// Height it was stored at.
    pub height: u64,
    /// Block time it was stored at (ms).
    pub time_ms: u64,
    /// The sealed content.
    #[serde(flatten)]
    pub sealed: SealedRecord,
}

impl From<Record> for RecordView {
    fn from(r: Record) -> Self {
        RecordView {
            id: r.id,
            submitter: r.submitter,
            height: r.height,
            time_ms: r.time.0,
            sealed: r.sealed,
        }
    }
}

/// A regulator and the X25519 key records are sealed to (null until
/// registered).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RegulatorView {
    /// The regulator.
    #[schema(value_type = String)]
    pub address: Address,
    /// Its records key (hex), if registered.
    pub encryption_key: Option<String>,
}

/// An attestation and whether it counts at the queried height and time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AttestationView {
    /// The stored attestation.
    #[serde(flatten)]
    pub attestation: Attestation,
    /// Its status at the queried block.
    pub status: AttestationStatus,
}

/// Everything identity knows about one account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AccountIdentity {
    /// The account.
    #[schema(value_type = String)]
    pub address: Address,
    /// Its tier at the queried block.
    pub tier: Tier,
    /// Highest valid KYC level, if any.
    pub kyc_level: Option<u8>,
    /// Its freeze, if frozen.
    pub frozen: Option<FreezeRecord>,
    /// True if an accredited KYC provider.
    pub kyc_provider: bool,
    /// Its records encryption key, if a regulator registered one.
    #[serde(serialize_with = "opt_hex", deserialize_with = "opt_hex_array")]
    #[schema(value_type = Option<String>)]
    pub encryption_key: Option<[u8; 32]>,
    /// Every attestation of it, with status.
    pub attestations: Vec<AttestationView>,
}

fn opt_hex<S: serde::Serializer>(v: &Option<[u8; 32]>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(k) => hex_bytes(k, s),
        None => s.serialize_none(),
    }
}

fn opt_hex_array<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<[u8; 32]>, D::Error> {
    let Some(s) = <Option<String> as serde::Deserialize>::deserialize(d)? else {
        return Ok(None);
    };
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).map_err(serde::de::Error::custom)?;
    Ok(Some(out))
}
