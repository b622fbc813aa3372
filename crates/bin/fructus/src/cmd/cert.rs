//! `fructus tx cert …` and `fructus query cert …`: certificate issuers,
//! classes, batches, retirements and auto-issuance from metered energy.

use clap::{Subcommand, ValueEnum};
use fructus_client::tx::msgs;
use fructus_proto::certificate::v1 as cpb;
use fructus_proto::tx::v1 as pb;

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::{ModuleQuery, NodeOpt},
        tx::{Ctx, ModuleTx, TxOpts, resolve_account},
    },
};

/// What one unit of a class stands for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    /// Renewable-energy certificate (1 unit = 1 MWh).
    Rec,
    /// Carbon removal credit (1 unit = 1 tCO2e).
    CarbonRemoval,
    /// Carbon avoidance credit (1 unit = 1 tCO2e).
    CarbonAvoidance,
}

impl KindArg {
    fn proto(self) -> i32 {
        match self {
            KindArg::Rec => cpb::CertificateKind::Rec as i32,
            KindArg::CarbonRemoval => cpb::CertificateKind::CarbonRemoval as i32,
            KindArg::CarbonAvoidance => cpb::CertificateKind::CarbonAvoidance as i32,
        }
    }
}

/// What a batch is (issued or bridged in).
#[derive(Debug, clap::Args)]
pub(crate) struct BatchArgs {
    /// Class id.
    class: u64,
    /// Registry project id (1-64 bytes).
    #[arg(long)]
    project: String,
    /// Geohash of the project (1-12 characters).
    #[arg(long)]
    location: String,
    /// Vintage start, ms since the epoch.
    #[arg(long)]
    vintage_start_ms: u64,
    /// Vintage end, ms since the epoch.
    #[arg(long)]
    vintage_end_ms: u64,
    /// First serial of the batch's range.
    #[arg(long)]
    serial_start: u64,
    /// Serials in the range (the most ever issued).
    #[arg(long)]
    quantity: u64,
    /// Who receives the units: a key name or fx1… address (default: you).
    #[arg(long)]
    to: Option<String>,
    /// Documentation URI (1-256 bytes).
    #[arg(long)]
    metadata_uri: String,
    /// SHA-256 of the documentation, hex.
    #[arg(long)]
    metadata_sha256: String,
}

impl BatchArgs {
    /// The wire batch, minting `mint_now` (default: all).
    fn proto(self, ctx: &Ctx<'_>, mint_now: Option<u64>) -> anyhow::Result<cpb::MsgIssueBatch> {
        let sha = hex::decode(self.metadata_sha256.trim())
            .map_err(|e| anyhow::anyhow!("--metadata-sha256 is not hex: {e}"))?;
        let recipient = match self.to {
            Some(who) => ctx.resolve(&who)?.as_bytes().to_vec(),
            None => Vec::new(),
        };
        Ok(cpb::MsgIssueBatch {
            class_id: self.class,
            project_id: self.project,
            location: self.location,
            vintage_start_ms: self.vintage_start_ms,
            vintage_end_ms: self.vintage_end_ms,
            serial_start: self.serial_start,
            quantity: self.quantity,
            mint_now: mint_now.unwrap_or(self.quantity),
            recipient: recipient.into(),
            metadata_uri: self.metadata_uri,
            metadata_sha256: sha.into(),
        })
    }
}

/// `fructus tx cert` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum CertTxCmd {
    /// Accredit a certificate issuer (regulators only).
    AccreditIssuer {
        /// Signing key name (a regulator).
        from: String,
        /// The issuer: a key name or fx1… address.
        issuer: String,
        /// Display name (1-64 bytes).
        #[arg(long)]
        name: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Revoke an issuer's accreditation (regulators only).
    RevokeIssuer {
        /// Signing key name (a regulator).
        from: String,
        /// The issuer: a key name or fx1… address.
        issuer: String,
        /// Why (1-256 bytes).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Create a certificate class (accredited issuers).
    CreateClass {
        /// Signing key name (an accredited issuer).
        from: String,
        /// What a unit stands for.
        #[arg(value_enum)]
        kind: KindArg,
        /// Display name (1-64 bytes).
        #[arg(long)]
        name: String,
        /// Methodology or standard, e.g. "I-REC v1.5" (1-64 bytes).
        #[arg(long)]
        methodology: String,
        /// Holders of its batches must be KYC'd.
        #[arg(long)]
        kyc_only: bool,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Issue a batch of a class you created; it is the denom cert/<batch id>.
    IssueBatch {
        /// Signing key name (the class's issuer).
        from: String,
        #[command(flatten)]
        batch: BatchArgs,
        /// Units minted now (default: the whole quantity; 0 leaves the range
        /// to auto-issuance from metering).
        #[arg(long)]
        mint_now: Option<u64>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Bridge in a batch from an external registry (the class's issuer);
    /// the same source transaction again changes nothing.
    BridgeIn {
        /// Signing key name (the class's issuer).
        from: String,
        #[command(flatten)]
        batch: BatchArgs,
        /// The source registry, e.g. verra (lower-case, not "fructus").
        #[arg(long)]
        source_registry: String,
        /// The registry's transaction that moved the units here.
        #[arg(long)]
        source_tx_id: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Retire units you hold: burned for good, a permanent record is written.
    Retire {
        /// Signing key name (the holder).
        from: String,
        /// Batch id.
        batch: u64,
        /// Units.
        amount: u64,
        /// On whose behalf (1-128 bytes).
        #[arg(long)]
        beneficiary: String,
        /// Why (1-256 bytes).
        #[arg(long)]
        reason: String,
        /// Where the claim is made, e.g. DE (1-64 bytes).
        #[arg(long)]
        jurisdiction: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Cancel units you issued and hold (the batch's issuer only).
    Cancel {
        /// Signing key name (the batch's issuer).
        from: String,
        /// Batch id.
        batch: u64,
        /// Units.
        amount: u64,
        /// Why (1-256 bytes).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Let an asset's metered kWh mint RECs of your batch into its income.
    GrantAutoIssuance {
        /// Signing key name (the batch's issuer).
        from: String,
        /// The green-energy asset.
        asset: u64,
        /// Your REC batch the units are minted from.
        batch: u64,
        /// Most units per period.
        #[arg(long)]
        max_per_period: u64,
        /// Period length, ms (60000 or more).
        #[arg(long)]
        period_ms: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// End an asset's auto-issuance (its issuer or a regulator).
    RevokeAutoIssuance {
        /// Signing key name.
        from: String,
        /// The asset.
        asset: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for CertTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::AccreditIssuer { from, opts, .. }
            | Self::RevokeIssuer { from, opts, .. }
            | Self::CreateClass { from, opts, .. }
            | Self::IssueBatch { from, opts, .. }
            | Self::BridgeIn { from, opts, .. }
            | Self::Retire { from, opts, .. }
            | Self::Cancel { from, opts, .. }
            | Self::GrantAutoIssuance { from, opts, .. }
            | Self::RevokeAutoIssuance { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, ctx: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::AccreditIssuer { issuer, name, .. } => {
                msgs::cert_accredit_issuer(&ctx.resolve(&issuer)?, &name)
            }
            Self::RevokeIssuer { issuer, reason, .. } => {
                msgs::cert_revoke_issuer(&ctx.resolve(&issuer)?, &reason)
            }
            Self::CreateClass {
                kind,
                name,
                methodology,
                kyc_only,
                ..
            } => msgs::cert_create_class(kind.proto(), &name, &methodology, kyc_only),
            Self::IssueBatch {
                batch, mint_now, ..
            } => msgs::cert_issue_batch(batch.proto(ctx, mint_now)?),
            Self::BridgeIn {
                batch,
                source_registry,
                source_tx_id,
                ..
            } => msgs::cert_bridge_in(batch.proto(ctx, None)?, &source_registry, &source_tx_id),
            Self::Retire {
                batch,
                amount,
                beneficiary,
                reason,
                jurisdiction,
                ..
            } => msgs::cert_retire(batch, amount, &beneficiary, &reason, &jurisdiction),
            Self::Cancel {
                batch,
                amount,
                reason,
                ..
            } => msgs::cert_cancel(batch, amount, &reason),
            Self::GrantAutoIssuance {
                asset,
                batch,
                max_per_period,
                period_ms,
                ..
            } => msgs::cert_grant_auto_issuance(asset, batch, max_per_period, period_ms),
            Self::RevokeAutoIssuance { asset, .. } => msgs::cert_revoke_auto_issuance(asset),
        }])
    }
}

/// `fructus query cert` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum CertQueryCmd {
    /// Accredited (and revoked) issuers.
    Issuers,
    /// One issuer.
    Issuer {
        /// A key name or fx1… address.
        who: String,
    },
    /// Certificate classes.
    Classes,
    /// One class.
    Class {
        /// Class id.
        id: u64,
    },
    /// Batches, with their circulating supply.
    Batches,
    /// One batch: serial range, issued, retired, cancelled, tradable.
    Batch {
        /// Batch id.
        id: u64,
    },
    /// Retirements, all or for one beneficiary.
    Retirements {
        /// Only those for this beneficiary.
        #[arg(long)]
        beneficiary: Option<String>,
        /// Only those of this batch.
        #[arg(long, conflicts_with = "beneficiary")]
        batch: Option<u64>,
    },
    /// One retirement record (with the key its proof is asked for).
    Retirement {
        /// Retirement id.
        id: u64,
    },
    /// Auto-issuance authorizations.
    Authorizations,
    /// One asset's auto-issuance authorization (kWh metered, carried,
    /// RECs issued).
    Authorization {
        /// Asset id.
        asset: u64,
    },
    /// A retirement record proven with a Merkle proof against the state
    /// root (the app hash the node returns with it; exits non-zero if the
    /// proof fails or the record does not exist).
    VerifyRetirement {
        /// Retirement id.
        id: u64,
    },
}

impl ModuleQuery for CertQueryCmd {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        const BASE: &str = "/v1/certificates";
        Ok(match self {
            Self::Issuers => format!("{BASE}/issuers"),
            Self::Issuer { who } => format!("{BASE}/issuers/{}", resolve_account(global, &who)?),
            Self::Classes => format!("{BASE}/classes"),
            Self::Class { id } => format!("{BASE}/classes/{id}"),
            Self::Batches => format!("{BASE}/batches"),
            Self::Batch { id } => format!("{BASE}/batches/{id}"),
            Self::Retirements {
                beneficiary: Some(b),
                ..
            } => format!("{BASE}/retirements?beneficiary={}", encode(&b)),
            Self::Retirements {
                batch: Some(id), ..
            } => format!("{BASE}/batches/{id}/retirements"),
            Self::Retirements { .. } => format!("{BASE}/retirements"),
            Self::Retirement { id } => format!("{BASE}/retirements/{id}"),
            Self::Authorizations => format!("{BASE}/authorizations"),
            Self::Authorization { asset } => format!("{BASE}/authorizations/{asset}"),
            Self::VerifyRetirement { id } => format!(
                "/v1/proofs/{}",
                hex::encode(fructus_certificate::state_key::retirement(id))
            ),
        })
    }
}

/// `query cert verify-retirement ID`: the record at
/// `cert/retirement/<id>`, fetched with its Merkle proof and checked
/// against the app hash the node returns (as `records verify` does; for an
/// app hash not taken from the node, verify a header with `fructus trust`).
pub(crate) fn verify_retirement(id: u64, node: &NodeOpt) -> anyhow::Result<()> {
    let key = fructus_certificate::state_key::retirement(id);
    let view = node.client()?.proof(&key)?;
    let Some(bytes) = fructus_client::http::verify_proof(&key, &view)? else {
        anyhow::bail!(
            "no retirement {id} at height {} (its absence is proven); list them with `fructus query cert retirements`",
            view.height
        );
    };
    let retirement: fructus_certificate::Retirement = borsh::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("retirement {id} does not decode: {e}"))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "verified": true,
            "height": view.height,
            "app_hash": view.app_hash,
            "key": view.key,
            "retirement": retirement,
        }))?
    );
    Ok(())
}

/// Percent-encodes a query-string value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn beneficiaries_are_percent_encoded_in_the_query_path() {
        assert_eq!(encode("ACME GmbH & Co"), "ACME%20GmbH%20%26%20Co");
    }
}
