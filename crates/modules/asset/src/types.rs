//! Plain data the asset module's messages share with its state: no storage.

/// Shares minted when `Fractionalize` asks for 0.
pub const DEFAULT_SHARES: u64 = 10_000;

/// Serializes a 32-byte hash as hex.
pub(crate) mod hex32 {
    pub(crate) fn serialize<S: serde::Serializer>(b: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(b))
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
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct Document {
    /// What it is (`datasheet`, `installation-report`).
    pub name: String,
    /// SHA-256 of the file.
    #[serde(serialize_with = "hex32::serialize")]
    pub sha256: [u8; 32],
    /// Where to fetch it.
    pub uri: String,
}
