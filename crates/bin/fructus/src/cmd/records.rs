//! `fructus records …`: regulator-only records, client side. Decryption
//! happens here, with the regulator's keyring key; the node only ever serves
//! ciphertext (fetched with a Merkle proof against the state root).

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Subcommand;
use fructus_client::http::NodeClient;
use fructus_crypto::Address;
use fructus_identity::{Record, records, state_key};
use zeroize::Zeroizing;

use crate::{
    cli::{GlobalOpts, OutputFormat},
    cmd::{
        keys::{PassphraseArgs, load_signing_key_with},
        query::NodeOpt,
    },
};

/// `fructus records` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum RecordsCmd {
    /// Decrypt a record with a regulator's key (the one whose encryption key
    /// was registered with `fructus tx identity register-encryption-key`).
    /// The ciphertext is fetched with a Merkle proof and the plaintext is
    /// checked against the hash on chain.
    Decrypt {
        /// The record id.
        id: u64,
        /// The regulator's key name in the keyring.
        #[arg(long)]
        key: String,
        /// Write the plaintext here (default: standard output).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[command(flatten)]
        passphrase: PassphraseArgs,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Check a disclosed plaintext against a record's SHA-256 (no key
    /// needed; exits non-zero on a mismatch).
    Verify {
        /// The record id.
        id: u64,
        /// The disclosed plaintext.
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
        #[command(flatten)]
        node: NodeOpt,
    },
}

/// Runs a `records` subcommand.
pub(crate) fn run(cmd: RecordsCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        RecordsCmd::Decrypt {
            id,
            key,
            out,
            passphrase,
            node,
        } => {
            let record = fetch(&node.client()?, id)?;
            let signing = load_signing_key_with(global, &passphrase, &key)?;
            let me = signing.public_key().address();
            let secret = records::derive_encryption_secret(&signing.secret_bytes());
            let plaintext = Zeroizing::new(
                records::open(&record.sealed, &me, &secret)
                    .with_context(|| format!("opening record {id} as {me}"))?,
            );
            match &out {
                Some(path) => {
                    std::fs::write(path, plaintext.as_slice())
                        .with_context(|| format!("writing {}", path.display()))?;
                    eprintln!(
                        "record {id} ({} about {}) decrypted to {}; plaintext matches the SHA-256 on chain",
                        record.sealed.kind,
                        record.sealed.subject,
                        path.display()
                    );
                }
                None => {
                    use std::io::Write as _;
                    std::io::stdout().write_all(&plaintext)?;
                }
            }
            Ok(())
        }
        RecordsCmd::Verify { id, file, node } => {
            let record = fetch(&node.client()?, id)?;
            let disclosed =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let matches = records::verify_integrity(&disclosed, &record.sealed);
            match global.output {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::json!({
                        "id": id,
                        "matches": matches,
                        "plaintext_sha256": hex::encode(record.sealed.plaintext_sha256),
                        "file_sha256": hex::encode(records::sha256(&disclosed)),
                    })
                ),
                OutputFormat::Text if matches => {
                    println!("{} matches record {id}", file.display())
                }
                OutputFormat::Text => {}
            }
            if !matches {
                bail!(
                    "{} does NOT match record {id}: its SHA-256 is {}, the record's is {}",
                    file.display(),
                    hex::encode(records::sha256(&disclosed)),
                    hex::encode(record.sealed.plaintext_sha256)
                );
            }
            Ok(())
        }
    }
}

/// Record `id` read with a Merkle proof against the node's state root.
fn fetch(client: &NodeClient, id: u64) -> anyhow::Result<Record> {
    let Some(bytes) = client.verified_get(&state_key::record(id))? else {
        bail!(
            "no record {id} on chain (list an account's with `fructus query identity records ADDR`)"
        );
    };
    borsh::from_slice(&bytes).with_context(|| format!("record {id} does not decode"))
}

/// The keys a record must be sealed to now, from the node. A node that
/// lies here cannot redirect a record: the chain refuses a record whose
/// recipients differ from the regulators' registered keys.
pub(crate) fn recipients(client: &NodeClient) -> anyhow::Result<Vec<(Address, [u8; 32])>> {
    let list = client.get_json("/v1/identity/regulators")?;
    let mut out = Vec::new();
    for entry in list.as_array().into_iter().flatten() {
        let (Some(address), Some(key)) = (
            entry.get("address").and_then(|a| a.as_str()),
            entry.get("encryption_key").and_then(|k| k.as_str()),
        ) else {
            continue;
        };
        let key: [u8; 32] = hex::decode(key)
            .ok()
            .and_then(|k| k.try_into().ok())
            .with_context(|| format!("the node served a malformed encryption key for {address}"))?;
        out.push((address.parse()?, key));
    }
    if out.is_empty() {
        bail!(
            "no regulator has registered a records encryption key yet, so nobody could read the record \
             (a regulator runs `fructus tx identity register-encryption-key`)"
        );
    }
    Ok(out)
}
