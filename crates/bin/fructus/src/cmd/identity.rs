//! `fructus tx identity …` (regulator and KYC-provider actions) and
//! `fructus query identity account …`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Subcommand;
use fructus_client::tx::msgs;

use crate::{
    cli::GlobalOpts,
    cmd::tx::{BuildMsgs, TxOpts, resolve_account},
};

/// `fructus tx identity` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum IdentityTxCmd {
    /// Attest an account's KYC (regulators and accredited providers). The
    /// KYC file stays off chain: only its SHA-256 is recorded.
    AttestKyc {
        /// Signing key name (a regulator or accredited provider).
        from: String,
        /// The account attested: address or key name.
        subject: String,
        /// KYC level: 1 basic, 2 enhanced, 3 enterprise.
        #[arg(long)]
        level: u32,
        /// The off-chain KYC file (hashed locally with SHA-256).
        #[arg(long, value_name = "PATH")]
        kyc_file: PathBuf,
        /// Last height the attestation counts (0 = no expiry by height).
        #[arg(long, default_value_t = 0)]
        expiry_height: u64,
        /// Block time (ms since the epoch) from which it stops counting (0 = none).
        #[arg(long, default_value_t = 0)]
        expiry_time_ms: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Revoke an attestation (a regulator, or the provider that issued it).
    RevokeAttestation {
        /// Signing key name.
        from: String,
        /// The attested account.
        subject: String,
        /// The provider that issued it.
        provider: String,
        /// Why (recorded in the event).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Accredit a KYC provider (regulators only).
    AccreditProvider {
        /// Signing key name (a regulator).
        from: String,
        /// The provider: address or key name.
        provider: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Freeze an account: it can neither sign nor receive KYC-only denoms
    /// (regulators only).
    Freeze {
        /// Signing key name (a regulator).
        from: String,
        /// The account: address or key name.
        account: String,
        /// Why (recorded in the event).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Publish this regulator's records encryption key (X25519, derived
    /// from the signing key, so the keyring key alone opens records later
    /// with `fructus records decrypt`). Regulators only.
    RegisterEncryptionKey {
        /// Signing key name (a regulator).
        from: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Store a regulator-only record: FILE is encrypted locally to every
    /// current regulator's registered key; only ciphertext and the
    /// plaintext's SHA-256 go on chain.
    StoreRecord {
        /// Signing key name (anyone may store a record).
        from: String,
        /// The account the record is about: address or key name.
        subject: String,
        /// Record kind: 1-32 of a-z 0-9 _, starting with a letter (e.g.
        /// kyc_file, credit_report, carbon_report).
        #[arg(long)]
        kind: String,
        /// The plaintext file (at most 32 KiB). It never leaves this machine
        /// unencrypted.
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Lift a freeze (regulators only).
    Unfreeze {
        /// Signing key name (a regulator).
        from: String,
        /// The account: address or key name.
        account: String,
        /// Why (recorded in the event).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        opts: TxOpts,
    },
}

/// Turns a subcommand into signer, options and message builder.
pub(crate) fn into_parts(cmd: IdentityTxCmd) -> anyhow::Result<(String, TxOpts, BuildMsgs)> {
    Ok(match cmd {
        IdentityTxCmd::AttestKyc {
            from,
            subject,
            level,
            kyc_file,
            expiry_height,
            expiry_time_ms,
            opts,
        } => {
            let bytes = std::fs::read(&kyc_file)
                .with_context(|| format!("reading {}", kyc_file.display()))?;
            let hash = fructus_crypto::sha256(&bytes);
            (
                from,
                opts,
                Box::new(move |c| {
                    Ok(vec![msgs::identity_attest_kyc(
                        &c.resolve(&subject)?,
                        level,
                        expiry_height,
                        expiry_time_ms,
                        hash,
                    )])
                }),
            )
        }
        IdentityTxCmd::RevokeAttestation {
            from,
            subject,
            provider,
            reason,
            opts,
        } => (
            from,
            opts,
            Box::new(move |c| {
                Ok(vec![msgs::identity_revoke_attestation(
                    &c.resolve(&subject)?,
                    &c.resolve(&provider)?,
                    &reason,
                )])
            }),
        ),
        IdentityTxCmd::AccreditProvider {
            from,
            provider,
            opts,
        } => (
            from,
            opts,
            Box::new(move |c| {
                Ok(vec![msgs::identity_accredit_provider(
                    &c.resolve(&provider)?,
                )])
            }),
        ),
        IdentityTxCmd::Freeze {
            from,
            account,
            reason,
            opts,
        } => (
            from,
            opts,
            Box::new(move |c| Ok(vec![msgs::identity_freeze(&c.resolve(&account)?, &reason)])),
        ),
        IdentityTxCmd::RegisterEncryptionKey { from, opts } => (
            from,
            opts,
            Box::new(move |c| {
                let secret = fructus_identity::records::derive_encryption_secret(
                    &c.signing_key().secret_bytes(),
                );
                Ok(vec![msgs::identity_register_encryption_key(
                    fructus_identity::records::encryption_public_key(&secret),
                )])
            }),
        ),
        IdentityTxCmd::StoreRecord {
            from,
            subject,
            kind,
            file,
            opts,
        } => {
            let plaintext =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            (
                from,
                opts,
                Box::new(move |c| {
                    let Some(node) = c.node() else {
                        anyhow::bail!(
                            "store-record needs a node: the record is sealed to the regulators' keys on chain (drop --offline)"
                        );
                    };
                    let recipients = crate::cmd::records::recipients(node)?;
                    let sealed = fructus_identity::records::seal(
                        &kind,
                        &c.resolve(&subject)?,
                        &plaintext,
                        &recipients,
                        &mut rand_core::OsRng,
                    )
                    .map_err(|e| anyhow::anyhow!("sealing the record: {e}"))?;
                    Ok(vec![msgs::identity_store_record(sealed.to_proto())])
                }),
            )
        }
        IdentityTxCmd::Unfreeze {
            from,
            account,
            reason,
            opts,
        } => (
            from,
            opts,
            Box::new(move |c| {
                Ok(vec![msgs::identity_unfreeze(
                    &c.resolve(&account)?,
                    &reason,
                )])
            }),
        ),
    })
}

/// `fructus query identity` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum IdentityQuery {
    /// An account's tier, attestations (with status) and freeze.
    Account {
        /// Address or key name.
        account: String,
    },
    /// The regulators and their records encryption keys.
    Regulators,
    /// One regulator-only record (ciphertext and hash; decrypt with
    /// `fructus records decrypt`).
    Record {
        /// The record id.
        id: u64,
    },
    /// The regulator-only records about an account.
    Records {
        /// Address or key name.
        account: String,
    },
}

/// The API path answering a query.
pub(crate) fn query_path(global: &GlobalOpts, q: IdentityQuery) -> anyhow::Result<String> {
    Ok(match q {
        IdentityQuery::Account { account } => {
            format!(
                "/v1/identity/accounts/{}",
                resolve_account(global, &account)?
            )
        }
        IdentityQuery::Regulators => "/v1/identity/regulators".to_owned(),
        IdentityQuery::Record { id } => format!("/v1/identity/records/{id}"),
        IdentityQuery::Records { account } => format!(
            "/v1/identity/accounts/{}/records",
            resolve_account(global, &account)?
        ),
    })
}
