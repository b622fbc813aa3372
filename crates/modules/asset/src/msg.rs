//! The messages the asset module accepts, parsed and validated from the
//! wire. Everything that can be checked without state is checked here.

use std::collections::BTreeSet;

use fructus_proto::asset::v1 as pb;
use fructus_types::{Address, Amount, Coin, PublicKey, tx::public_key_from_proto};

use crate::{AssetError, AssetStatus, DEFAULT_SHARES, Document};

/// Most attestation keys of a class.
pub const MAX_ATTESTATION_KEYS: usize = 16;
/// Most documents of an asset.
pub const MAX_DOCUMENTS: usize = 16;
/// Most assets one claim covers.
pub const MAX_CLAIM_ASSETS: usize = 64;
/// Longest name, manufacturer, model or document name.
pub const MAX_NAME_LEN: usize = 64;
/// Longest unit of measure.
pub const MAX_UNIT_LEN: usize = 24;
/// Longest URI.
pub const MAX_URI_LEN: usize = 256;
/// Longest serial number.
pub const MAX_SERIAL_LEN: usize = 64;
/// Longest geohash (12 characters ≈ 3.7 cm × 1.9 cm).
pub const MAX_GEOHASH_LEN: usize = 12;
/// The geohash alphabet (base32 without a, i, l, o).
pub const GEOHASH_ALPHABET: &str = "0123456789bcdefghjkmnpqrstuvwxyz";

/// Create an asset class with the signer as creator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreateClass {
    /// Display name.
    pub name: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Unit of measure (`kWh`, `cooling-kWh`, `GPU-hour`, …).
    pub unit: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Metadata SHA-256 (hex in JSON).
    #[serde(serialize_with = "hex_bytes")]
    pub metadata_sha256: [u8; 32],
    /// Device-attestation keys (sorted, unique, at most 16).
    pub attestation_keys: Vec<PublicKey>,
}

/// Add and remove attestation keys of a class.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UpdateAttestationKeys {
    /// The class.
    pub class_id: u64,
    /// Keys to add.
    pub add: Vec<PublicKey>,
    /// Keys to remove (applied first).
    pub remove: Vec<PublicKey>,
}

/// Authorize or revoke an asset manager.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SetManager {
    /// The class.
    pub class_id: u64,
    /// The manager.
    pub manager: Address,
    /// True to authorize, false to revoke.
    pub authorized: bool,
}

/// Mint an asset NFT.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MintAsset {
    /// The class.
    pub class_id: u64,
    /// Serial number, unique per class.
    pub serial: String,
    /// Geohash, if given.
    pub location: Option<String>,
    /// Documents.
    pub documents: Vec<Document>,
    /// Owner; `None` = the signer.
    pub owner: Option<Address>,
}

/// Transfer a whole NFT.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TransferAsset {
    /// The asset.
    pub asset_id: u64,
    /// New owner.
    pub to: Address,
}

/// Set an asset's status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SetAssetStatus {
    /// The asset.
    pub asset_id: u64,
    /// New status.
    pub status: AssetStatus,
}

/// Lock the NFT into shares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fractionalize {
    /// The asset.
    pub asset_id: u64,
    /// Shares to mint (the wire's 0 became [`DEFAULT_SHARES`]).
    pub shares: Amount,
}

/// Redeem the NFT with every share.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Redeem {
    /// The asset.
    pub asset_id: u64,
}

/// Claim pending income on several assets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimIncome {
    /// The assets (1 to [`MAX_CLAIM_ASSETS`], unique).
    pub asset_ids: Vec<u64>,
}

/// Pay income into an asset from the signer's balance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DepositIncome {
    /// The asset.
    pub asset_id: u64,
    /// The payment (positive).
    pub amount: Coin,
}

fn hex_bytes<S: serde::Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, AssetError> {
    Address::from_slice(bytes).map_err(|e| AssetError::field(field, e))
}

fn text(field: &'static str, s: &str, max: usize) -> Result<String, AssetError> {
    let chars = s.chars().count();
    if chars == 0 || chars > max {
        return Err(AssetError::field(
            field,
            format!("1 to {max} characters, got {chars}"),
        ));
    }
    if s.chars().any(char::is_control) || s.trim() != s {
        return Err(AssetError::field(
            field,
            "no control characters and no leading or trailing spaces",
        ));
    }
    Ok(s.to_owned())
}

fn token(field: &'static str, s: &str, max: usize, extra: &[u8]) -> Result<String, AssetError> {
    if s.is_empty()
        || s.len() > max
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    {
        let allowed: String = extra.iter().map(|&b| char::from(b)).collect();
        return Err(AssetError::field(
            field,
            format!("1 to {max} characters of A-Z a-z 0-9 {allowed}"),
        ));
    }
    Ok(s.to_owned())
}

fn uri(field: &'static str, s: &str) -> Result<String, AssetError> {
    if s.is_empty() || s.len() > MAX_URI_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AssetError::field(
            field,
            format!("1 to {MAX_URI_LEN} printable ASCII characters without spaces"),
        ));
    }
    Ok(s.to_owned())
}

fn sha256(field: &'static str, b: &[u8]) -> Result<[u8; 32], AssetError> {
    b.try_into()
        .map_err(|_| AssetError::field(field, format!("32 bytes, got {}", b.len())))
}

fn keys(
    field: &'static str,
    list: &[fructus_proto::crypto::v1::PublicKey],
) -> Result<Vec<PublicKey>, AssetError> {
    if list.len() > MAX_ATTESTATION_KEYS {
        return Err(AssetError::field(
            field,
            format!("at most {MAX_ATTESTATION_KEYS} keys, got {}", list.len()),
        ));
    }
    let mut out = BTreeSet::new();
    for k in list {
        let key = public_key_from_proto(k).map_err(|e| AssetError::field(field, e))?;
        if !out.insert(key) {
            return Err(AssetError::field(field, "the same key is listed twice"));
        }
    }
    Ok(out.into_iter().collect())
}

fn geohash(s: &str) -> Result<Option<String>, AssetError> {
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > MAX_GEOHASH_LEN || !s.chars().all(|c| GEOHASH_ALPHABET.contains(c)) {
        return Err(AssetError::field(
            "location",
            format!("a geohash: 1 to {MAX_GEOHASH_LEN} characters of {GEOHASH_ALPHABET}"),
        ));
    }
    Ok(Some(s.to_owned()))
}

impl TryFrom<&pb::MsgCreateClass> for CreateClass {
    type Error = AssetError;
    fn try_from(m: &pb::MsgCreateClass) -> Result<Self, AssetError> {
        Ok(CreateClass {
            name: text("name", &m.name, MAX_NAME_LEN)?,
            manufacturer: text("manufacturer", &m.manufacturer, MAX_NAME_LEN)?,
            model: text("model", &m.model, MAX_NAME_LEN)?,
            unit: token("unit", &m.unit, MAX_UNIT_LEN, b"-_./")?,
            metadata_uri: uri("metadata_uri", &m.metadata_uri)?,
            metadata_sha256: sha256("metadata_sha256", &m.metadata_sha256)?,
            attestation_keys: keys("attestation_keys", &m.attestation_keys)?,
        })
    }
}

impl TryFrom<&pb::MsgUpdateAttestationKeys> for UpdateAttestationKeys {
    type Error = AssetError;
    fn try_from(m: &pb::MsgUpdateAttestationKeys) -> Result<Self, AssetError> {
        let add = keys("add", &m.add)?;
        let remove = keys("remove", &m.remove)?;
        if add.is_empty() && remove.is_empty() {
            return Err(AssetError::field("add", "nothing to add or remove"));
        }
        if add.iter().any(|k| remove.contains(k)) {
            return Err(AssetError::field("add", "a key is both added and removed"));
        }
        Ok(UpdateAttestationKeys {
            class_id: m.class_id,
            add,
            remove,
        })
    }
}

impl TryFrom<&pb::MsgSetManager> for SetManager {
    type Error = AssetError;
    fn try_from(m: &pb::MsgSetManager) -> Result<Self, AssetError> {
        Ok(SetManager {
            class_id: m.class_id,
            manager: address("manager", &m.manager)?,
            authorized: m.authorized,
        })
    }
}

impl TryFrom<&pb::MsgMintAsset> for MintAsset {
    type Error = AssetError;
    fn try_from(m: &pb::MsgMintAsset) -> Result<Self, AssetError> {
        if m.documents.len() > MAX_DOCUMENTS {
            return Err(AssetError::field(
                "documents",
                format!("at most {MAX_DOCUMENTS}, got {}", m.documents.len()),
            ));
        }
        let documents = m
            .documents
            .iter()
            .map(|d| {
                Ok(Document {
                    name: text("documents.name", &d.name, MAX_NAME_LEN)?,
                    sha256: sha256("documents.sha256", &d.sha256)?,
                    uri: uri("documents.uri", &d.uri)?,
                })
            })
            .collect::<Result<Vec<_>, AssetError>>()?;
        Ok(MintAsset {
            class_id: m.class_id,
            serial: token("serial", &m.serial, MAX_SERIAL_LEN, b"-_./:")?,
            location: geohash(&m.location)?,
            documents,
            owner: if m.owner.is_empty() {
                None
            } else {
                Some(address("owner", &m.owner)?)
            },
        })
    }
}

impl TryFrom<&pb::MsgTransferAsset> for TransferAsset {
    type Error = AssetError;
    fn try_from(m: &pb::MsgTransferAsset) -> Result<Self, AssetError> {
        Ok(TransferAsset {
            asset_id: m.asset_id,
            to: address("to", &m.to)?,
        })
    }
}

impl TryFrom<&pb::MsgSetAssetStatus> for SetAssetStatus {
    type Error = AssetError;
    fn try_from(m: &pb::MsgSetAssetStatus) -> Result<Self, AssetError> {
        let status = match pb::AssetStatus::try_from(m.status) {
            Ok(pb::AssetStatus::Active) => AssetStatus::Active,
            Ok(pb::AssetStatus::Maintenance) => AssetStatus::Maintenance,
            Ok(pb::AssetStatus::Retired) => AssetStatus::Retired,
            _ => {
                return Err(AssetError::field(
                    "status",
                    "one of active, maintenance, retired",
                ));
            }
        };
        Ok(SetAssetStatus {
            asset_id: m.asset_id,
            status,
        })
    }
}

impl TryFrom<&pb::MsgFractionalize> for Fractionalize {
    type Error = AssetError;
    fn try_from(m: &pb::MsgFractionalize) -> Result<Self, AssetError> {
        let shares = if m.shares == 0 {
            DEFAULT_SHARES
        } else {
            m.shares
        };
        Ok(Fractionalize {
            asset_id: m.asset_id,
            shares: Amount::new(u128::from(shares)),
        })
    }
}

impl TryFrom<&pb::MsgRedeem> for Redeem {
    type Error = AssetError;
    fn try_from(m: &pb::MsgRedeem) -> Result<Self, AssetError> {
        Ok(Redeem {
            asset_id: m.asset_id,
        })
    }
}

impl TryFrom<&pb::MsgClaimIncome> for ClaimIncome {
    type Error = AssetError;
    fn try_from(m: &pb::MsgClaimIncome) -> Result<Self, AssetError> {
        if m.asset_ids.is_empty() || m.asset_ids.len() > MAX_CLAIM_ASSETS {
            return Err(AssetError::field(
                "asset_ids",
                format!("1 to {MAX_CLAIM_ASSETS} assets, got {}", m.asset_ids.len()),
            ));
        }
        let unique: BTreeSet<u64> = m.asset_ids.iter().copied().collect();
        if unique.len() != m.asset_ids.len() {
            return Err(AssetError::field("asset_ids", "an asset is listed twice"));
        }
        Ok(ClaimIncome {
            asset_ids: m.asset_ids.clone(),
        })
    }
}

impl TryFrom<&pb::MsgDepositIncome> for DepositIncome {
    type Error = AssetError;
    fn try_from(m: &pb::MsgDepositIncome) -> Result<Self, AssetError> {
        let c = m
            .amount
            .as_ref()
            .ok_or_else(|| AssetError::field("amount", "missing"))?;
        let amount = Coin::try_from(c).map_err(|e| AssetError::field("amount", e))?;
        if amount.amount.is_zero() {
            return Err(AssetError::field("amount", "must be positive"));
        }
        if fructus_income::is_income_bearing(&amount.denom) {
            return Err(AssetError::field(
                "amount",
                format!(
                    "{} bears income itself and cannot be paid as income",
                    amount.denom
                ),
            ));
        }
        Ok(DepositIncome {
            asset_id: m.asset_id,
            amount,
        })
    }
}
