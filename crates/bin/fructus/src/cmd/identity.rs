//! `fructus tx identity …` (regulator and KYC-provider actions) and
//! `fructus query identity account …`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Subcommand;
use fructus_client::tx::msgs;

use fructus_proto::tx::v1 as pb;

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts, resolve_account},
    },
};

/// `fructus tx identity` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum IdentityTxCmd {
    /// Attest an account's KYC (regulators and accredited providers). The
    /// KYC file stays off chain: only a salted commitment to it,
    /// SHA-256("fructus/kyc/v1/file-commitment" ‖ salt ‖ file), is recorded.
    /// The 32-byte salt is kept beside the file (`--salt-file`) and must be
    /// disclosed with it to prove the file; without it the commitment
    /// confirms nothing.
    AttestKyc {
        /// Signing key name (a regulator or accredited provider).
        from: String,
        /// The account attested: address or key name.
        subject: String,
        /// KYC level: 1 basic, 2 enhanced, 3 enterprise.
        #[arg(long)]
        level: u32,
        /// The off-chain KYC file (committed to locally).
        #[arg(long, value_name = "PATH")]
        kyc_file: PathBuf,
        /// The salt file (64 hex characters): read if it exists, else a
        /// fresh random salt is written there (mode 0600). Default: the KYC
        /// file's path with `.salt` appended.
        #[arg(long, value_name = "PATH")]
        salt_file: Option<PathBuf>,
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
    /// Publish this regulator's records encryption key. It belongs to a
    /// random *records key* kept in the keyring (`--records-key`, created
    /// if absent; never the account or consensus key), and is registered
    /// with that key's proof of possession. `fructus records decrypt` opens
    /// records with it; keep it (`fructus keys export`): records sealed to
    /// it cannot be opened without it, even after registering a new one.
    /// Regulators only.
    RegisterEncryptionKey {
        /// Signing key name (a regulator).
        from: String,
        /// Keyring name of the records key (default: FROM-records).
        #[arg(long, value_name = "NAME")]
        records_key: Option<String>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Store a regulator-only record: FILE is encrypted locally to every
    /// current regulator's registered key; only ciphertext and a salted
    /// commitment to the plaintext go on chain. The salt is kept beside the
    /// file (`--salt-file`, default FILE.salt) and printed: disclose it with
    /// the file to prove it (`fructus records verify`).
    ///
    /// Access over time: a record is readable by the regulators whose keys
    /// were registered when it was stored, with those keys. A regulator
    /// added later cannot read older records; a removed one keeps what it
    /// could already read; a regulator that registers a new key must keep
    /// its old key to read records sealed before.
    ///
    /// Trust: the regulators' keys are not taken from the node on its word.
    /// Each is checked with a Merkle proof against the app hash of the
    /// latest header, verified from its commit certificate signed by more
    /// than 2/3 of the validators this client trusts: those of the genesis
    /// file (--genesis, default <home>/config/genesis.json) or of a pinned
    /// checkpoint (--trust-checkpoint). A node that serves a forged key,
    /// header or certificate is detected and nothing is encrypted or sent.
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
        /// The salt file (64 hex characters): read if it exists, else a
        /// fresh random salt is written there (mode 0600). Default: FILE's
        /// path with `.salt` appended.
        #[arg(long, value_name = "PATH")]
        salt_file: Option<PathBuf>,
        #[command(flatten)]
        trust: crate::cmd::trust::TrustArgs,
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

impl ModuleTx for IdentityTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::AttestKyc { from, opts, .. }
            | Self::RevokeAttestation { from, opts, .. }
            | Self::AccreditProvider { from, opts, .. }
            | Self::Freeze { from, opts, .. }
            | Self::RegisterEncryptionKey { from, opts, .. }
            | Self::StoreRecord { from, opts, .. }
            | Self::Unfreeze { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::AttestKyc {
                subject,
                level,
                kyc_file,
                salt_file,
                expiry_height,
                expiry_time_ms,
                ..
            } => {
                let bytes = std::fs::read(&kyc_file)
                    .with_context(|| format!("reading {}", kyc_file.display()))?;
                let salt = crate::cmd::salt::load_or_create(
                    &crate::cmd::salt::path_for(&kyc_file, salt_file),
                    "KYC",
                )?;
                let hash = fructus_identity::records::kyc_file_commitment(&salt, &bytes);
                msgs::identity_attest_kyc(
                    &c.resolve(&subject)?,
                    level,
                    expiry_height,
                    expiry_time_ms,
                    hash,
                )
            }
            Self::RevokeAttestation {
                subject,
                provider,
                reason,
                ..
            } => msgs::identity_revoke_attestation(
                &c.resolve(&subject)?,
                &c.resolve(&provider)?,
                &reason,
            ),
            Self::AccreditProvider { provider, .. } => {
                msgs::identity_accredit_provider(&c.resolve(&provider)?)
            }
            Self::Freeze {
                account, reason, ..
            } => msgs::identity_freeze(&c.resolve(&account)?, &reason),
            Self::RegisterEncryptionKey {
                from, records_key, ..
            } => {
                use fructus_identity::records;
                let name = records_key.unwrap_or_else(|| format!("{from}-records"));
                let key = crate::cmd::keys::load_or_create_records_key(
                    c.global(),
                    c.passphrase(),
                    &name,
                )?;
                let x25519 = records::encryption_public_key(&records::records_secret_from_seed(
                    &key.secret_bytes(),
                ));
                let ed25519: [u8; 32] = key
                    .public_key()
                    .to_bytes()
                    .as_slice()
                    .try_into()
                    .context("the records key must be ed25519")?;
                let proof = key.sign(&records::possession_bytes(
                    c.chain_id(),
                    &c.account,
                    &x25519,
                ));
                msgs::identity_register_encryption_key(x25519, ed25519, &proof)
            }
            Self::StoreRecord {
                subject,
                kind,
                file,
                salt_file,
                trust,
                ..
            } => {
                let plaintext =
                    std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
                let Some(node) = c.node() else {
                    anyhow::bail!(
                        "store-record needs a node: the record is sealed to the regulators' keys on chain (drop --offline)"
                    );
                };
                let recipients =
                    crate::cmd::records::recipients(node, &trust, &c.global().home, c.chain_id())?;
                let salt = crate::cmd::salt::load_or_create(
                    &crate::cmd::salt::path_for(&file, salt_file),
                    "record",
                )?;
                let sealed = fructus_identity::records::seal_with_salt(
                    &kind,
                    &c.resolve(&subject)?,
                    &plaintext,
                    &salt,
                    &recipients,
                    &mut rand_core::OsRng,
                )
                .map_err(|e| anyhow::anyhow!("sealing the record: {e}"))?;
                eprintln!(
                    "record commitment {}; salt (keep it, disclose it with the file to prove it): {}",
                    hex::encode(sealed.commitment),
                    hex::encode(salt)
                );
                msgs::identity_store_record(sealed.to_proto())
            }
            Self::Unfreeze {
                account, reason, ..
            } => msgs::identity_unfreeze(&c.resolve(&account)?, &reason),
        }])
    }
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

impl ModuleQuery for IdentityQuery {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
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
}
