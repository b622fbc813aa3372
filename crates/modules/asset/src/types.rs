//! Plain data the asset module's messages, state and queries share: no
//! storage, so a client reads query answers with these types without
//! linking storage.

use fructus_component::schema::PublicKeySchema;
use fructus_types::{Address, Amount, BlockHeight, Denom, PublicKey};

/// Shares minted when `Fractionalize` asks for 0.
pub const DEFAULT_SHARES: u64 = 10_000;

/// A 32-byte hash in JSON: 64 hex characters.
mod hex32 {
    pub(crate) fn serialize<S: serde::Serializer>(b: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(b))
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<[u8; 32], D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(&s, &mut out).map_err(serde::de::Error::custom)?;
        Ok(out)
    }
}

/// Life-cycle status of an asset.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[borsh(use_discriminant = true)]
pub enum AssetStatus {
    /// In service.
    Active = 1,
    /// Temporarily out of service.
    Maintenance = 2,
    /// Permanently out of service.
    Retired = 3,
}

impl std::fmt::Display for AssetStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AssetStatus::Active => "active",
            AssetStatus::Maintenance => "maintenance",
            AssetStatus::Retired => "retired",
        })
    }
}

/// A document of an asset, by hash.
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
pub struct Document {
    /// What it is (`datasheet`, `installation-report`).
    pub name: String,
    /// SHA-256 of the file.
    #[serde(with = "hex32")]
    #[schema(value_type = String)]
    pub sha256: [u8; 32],
    /// Where to fetch it.
    pub uri: String,
}

/// An asset class: a product model.
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
pub struct AssetClass {
    /// Sequential id (from 1).
    pub id: u64,
    /// The account that created it (the manufacturer).
    #[schema(value_type = String)]
    pub creator: Address,
    /// Display name.
    pub name: String,
    /// Manufacturer name.
    pub manufacturer: String,
    /// Model designation.
    pub model: String,
    /// Unit of measure (`kWh`, `GPU-hour`, …).
    pub unit: String,
    /// Off-chain metadata.
    pub metadata_uri: String,
    /// SHA-256 of the metadata document.
    #[serde(with = "hex32")]
    #[schema(value_type = String)]
    pub metadata_sha256: [u8; 32],
    /// Device-attestation keys, sorted.
    #[schema(value_type = Vec<PublicKeySchema>)]
    pub attestation_keys: Vec<PublicKey>,
    /// Height it was created at.
    #[schema(value_type = u64)]
    pub created_height: BlockHeight,
}

/// The lock of a fractionalized asset.
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
pub struct Fractionalization {
    /// Who fractionalized it (it stays the asset's owner of record and
    /// operator while locked).
    #[schema(value_type = String)]
    pub by: Address,
    /// Shares minted (`share/<asset id>`).
    #[schema(value_type = String)]
    pub shares: Amount,
    /// Height it was fractionalized at.
    #[schema(value_type = u64)]
    pub height: BlockHeight,
}

/// An asset NFT.
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
pub struct Asset {
    /// Sequential id (from 1).
    pub id: u64,
    /// Its class.
    pub class_id: u64,
    /// Serial number, unique in the class.
    pub serial: String,
    /// Geohash of its location.
    pub location: Option<String>,
    /// Documents by hash.
    pub documents: Vec<Document>,
    /// Status.
    pub status: AssetStatus,
    /// Owner of record: the holder of the NFT, or while fractionalized the
    /// account that fractionalized it (the operator).
    #[schema(value_type = String)]
    pub owner: Address,
    /// Set while the NFT is locked into shares.
    pub fractionalized: Option<Fractionalization>,
    /// Height it was minted at.
    #[schema(value_type = u64)]
    pub minted_height: BlockHeight,
}

/// One shareholder of an asset.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ShareHolder {
    /// The holder.
    #[schema(value_type = String)]
    pub address: Address,
    /// Shares held.
    #[schema(value_type = String)]
    pub shares: Amount,
}

/// Lifetime income of an asset in one denom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct IncomeTotal {
    /// The income denom.
    #[schema(value_type = String)]
    pub denom: Denom,
    /// Credited to shareholders (through the accumulator).
    #[schema(value_type = String)]
    pub credited_to_shares: Amount,
    /// Claimed by shareholders.
    #[schema(value_type = String)]
    pub claimed: Amount,
    /// Paid straight to the owner while not fractionalized.
    #[schema(value_type = String)]
    pub paid_to_owner: Amount,
}
