//! `fructus tx asset …` and `fructus query asset …`: asset classes, asset
//! NFTs, fractional shares and their income.

use anyhow::Context as _;
use clap::Subcommand;
use fructus_client::tx::msgs;
use fructus_types::Coin;

use fructus_proto::tx::v1 as pb;

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts, resolve_account},
    },
};

fn sha256_arg(s: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(s).map_err(|e| format!("not hex: {e}"))?;
    bytes
        .try_into()
        .map_err(|_| "a SHA-256 is 64 hex characters".to_owned())
}

/// `ed25519:HEX` or `p256:HEX` (a manufacturer's device-attestation key).
pub(crate) fn key_arg(s: &str) -> Result<fructus_crypto::PublicKey, String> {
    let (algo, hex_key) = s
        .split_once(':')
        .ok_or_else(|| "write keys as ALGO:HEX, e.g. p256:02ab…".to_owned())?;
    let algo: fructus_crypto::KeyAlgo = algo.parse().map_err(|e| format!("{e}"))?;
    let bytes = hex::decode(hex_key).map_err(|e| format!("not hex: {e}"))?;
    fructus_crypto::PublicKey::from_bytes(algo, &bytes).map_err(|e| e.to_string())
}

fn document_arg(s: &str) -> Result<(String, [u8; 32], String), String> {
    let mut parts = s.splitn(3, ',');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(name), Some(hash), Some(uri)) => {
            Ok((name.to_owned(), sha256_arg(hash)?, uri.to_owned()))
        }
        _ => Err("write documents as NAME,SHA256HEX,URI".to_owned()),
    }
}

/// `fructus tx asset` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum AssetTxCmd {
    /// Create an asset class (a product model); KYC'd enterprises only.
    CreateClass {
        /// Signing key name (the manufacturer).
        from: String,
        /// Product name.
        #[arg(long)]
        name: String,
        /// Manufacturer.
        #[arg(long)]
        manufacturer: String,
        /// Model.
        #[arg(long)]
        model: String,
        /// Unit the devices meter (kWh, cooling-kWh, GPU-hour, lumen-hour, km…).
        #[arg(long)]
        unit: String,
        /// URI of the model's metadata document (datasheet, certifications).
        #[arg(long)]
        metadata_uri: String,
        /// SHA-256 of that document (64 hex characters), so anyone can check it.
        #[arg(long, value_parser = sha256_arg)]
        metadata_sha256: [u8; 32],
        /// Manufacturer device-attestation key as ALGO:HEX (repeatable).
        #[arg(long = "attestation-key", value_parser = key_arg)]
        attestation_keys: Vec<fructus_crypto::PublicKey>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Add or remove a class's device-attestation keys (class creator only).
    UpdateKeys {
        /// Signing key name (the class creator).
        from: String,
        /// Class id.
        class_id: u64,
        /// Key to add, ALGO:HEX (repeatable).
        #[arg(long = "add", value_parser = key_arg)]
        add: Vec<fructus_crypto::PublicKey>,
        /// Key to remove, ALGO:HEX (repeatable).
        #[arg(long = "remove", value_parser = key_arg)]
        remove: Vec<fructus_crypto::PublicKey>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Authorize (or with --revoke, de-authorize) an asset manager who may mint.
    SetManager {
        /// Signing key name (the class creator).
        from: String,
        /// Class id.
        class_id: u64,
        /// The manager: address or key name.
        manager: String,
        /// Revoke instead of authorize.
        #[arg(long)]
        revoke: bool,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Mint an asset NFT of a class.
    Mint {
        /// Signing key name (class creator or authorized manager).
        from: String,
        /// Class id.
        class_id: u64,
        /// Serial number (unique within the class).
        serial: String,
        /// Location as a geohash.
        #[arg(long, default_value = "")]
        location: String,
        /// Document as NAME,SHA256HEX,URI (repeatable).
        #[arg(long = "document", value_parser = document_arg)]
        documents: Vec<(String, [u8; 32], String)>,
        /// Owner (address or key name); default: the signer.
        #[arg(long)]
        owner: Option<String>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Transfer a whole (not fractionalized) asset NFT.
    Transfer {
        /// Signing key name (the owner).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// Recipient: address or key name.
        to: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Set an asset's status: active, maintenance or retired.
    SetStatus {
        /// Signing key name (the owner).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// New status.
        status: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Lock the NFT and receive SHARES fungible shares (denom share/<id>).
    Fractionalize {
        /// Signing key name (the owner).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// Number of shares.
        #[arg(long, default_value_t = 10_000)]
        shares: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Burn all shares of an asset and take the NFT.
    Redeem {
        /// Signing key name (must hold every share).
        from: String,
        /// Asset id.
        asset_id: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Claim the income accrued to your shares of one or more assets.
    Claim {
        /// Signing key name (the holder).
        from: String,
        /// Asset ids.
        #[arg(required = true)]
        asset_ids: Vec<u64>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Pay an amount into an asset's income (split among its shareholders).
    DepositIncome {
        /// Signing key name (the payer).
        from: String,
        /// Asset id.
        asset_id: u64,
        /// Amount, e.g. 1000000ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for AssetTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::CreateClass { from, opts, .. }
            | Self::UpdateKeys { from, opts, .. }
            | Self::SetManager { from, opts, .. }
            | Self::Mint { from, opts, .. }
            | Self::Transfer { from, opts, .. }
            | Self::SetStatus { from, opts, .. }
            | Self::Fractionalize { from, opts, .. }
            | Self::Redeem { from, opts, .. }
            | Self::Claim { from, opts, .. }
            | Self::DepositIncome { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::CreateClass {
                name,
                manufacturer,
                model,
                unit,
                metadata_uri,
                metadata_sha256,
                attestation_keys,
                ..
            } => msgs::asset_create_class(
                &name,
                &manufacturer,
                &model,
                &unit,
                &metadata_uri,
                metadata_sha256,
                &attestation_keys,
            ),
            Self::UpdateKeys {
                class_id,
                add,
                remove,
                ..
            } => msgs::asset_update_attestation_keys(class_id, &add, &remove),
            Self::SetManager {
                class_id,
                manager,
                revoke,
                ..
            } => msgs::asset_set_manager(class_id, &c.resolve(&manager)?, !revoke),
            Self::Mint {
                class_id,
                serial,
                location,
                documents,
                owner,
                ..
            } => {
                let owner = owner.as_deref().map(|o| c.resolve(o)).transpose()?;
                let docs = documents
                    .iter()
                    .map(|(n, h, u)| msgs::asset_document(n, *h, u))
                    .collect();
                msgs::asset_mint(class_id, &serial, &location, docs, owner.as_ref())
            }
            Self::Transfer { asset_id, to, .. } => msgs::asset_transfer(asset_id, &c.resolve(&to)?),
            Self::SetStatus {
                asset_id, status, ..
            } => msgs::asset_set_status(asset_id, &status),
            Self::Fractionalize {
                asset_id, shares, ..
            } => msgs::asset_fractionalize(asset_id, shares),
            Self::Redeem { asset_id, .. } => msgs::asset_redeem(asset_id),
            Self::Claim { asset_ids, .. } => msgs::asset_claim_income(&asset_ids),
            Self::DepositIncome {
                asset_id, amount, ..
            } => msgs::asset_deposit_income(asset_id, &amount),
        }])
    }
}

/// `fructus query asset` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum AssetQuery {
    /// An asset class.
    Class {
        /// Class id.
        class_id: u64,
    },
    /// The assets of a class.
    ClassAssets {
        /// Class id.
        class_id: u64,
    },
    /// An asset NFT.
    Asset {
        /// Asset id.
        asset_id: u64,
    },
    /// Assets owned by an account.
    Owned {
        /// Address or key name.
        owner: String,
    },
    /// Share holders of an asset and their balances.
    Holders {
        /// Asset id.
        asset_id: u64,
    },
    /// Income credited to an asset so far, per denom.
    Income {
        /// Asset id.
        asset_id: u64,
    },
    /// Income a holder can claim from an asset.
    Pending {
        /// Asset id.
        asset_id: u64,
        /// Address or key name.
        holder: String,
    },
}

impl ModuleQuery for AssetQuery {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            AssetQuery::Class { class_id } => format!("/v1/assets/classes/{class_id}"),
            AssetQuery::ClassAssets { class_id } => format!("/v1/assets/classes/{class_id}/assets"),
            AssetQuery::Asset { asset_id } => format!("/v1/assets/{asset_id}"),
            AssetQuery::Owned { owner } => format!(
                "/v1/assets/owner/{}",
                resolve_account(global, &owner).context("owner")?
            ),
            AssetQuery::Holders { asset_id } => format!("/v1/assets/{asset_id}/holders"),
            AssetQuery::Income { asset_id } => format!("/v1/assets/{asset_id}/income"),
            AssetQuery::Pending { asset_id, holder } => {
                format!(
                    "/v1/assets/{asset_id}/pending/{}",
                    resolve_account(global, &holder)?
                )
            }
        })
    }
}
