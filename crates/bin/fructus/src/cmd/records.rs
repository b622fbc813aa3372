//! `fructus records …`: regulator-only records, client side. Decryption
//! happens here, with the regulator's keyring key; the node only ever serves
//! ciphertext (fetched with a Merkle proof against the state root).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::Subcommand;
use fructus_client::http::NodeClient;
use fructus_crypto::Address;
use fructus_identity::{Record, records, state_key};

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
    /// Decrypt a record as a regulator, with the records key registered by
    /// `fructus tx identity register-encryption-key` (default keyring name
    /// REGULATOR-records). A record opens only for the regulators, and the
    /// keys, registered when it was stored: a regulator added later cannot
    /// read older records, a removed one keeps what it could read, and after
    /// registering a new records key the old one is still needed for older
    /// records (`--records-key OLD`).
    /// The ciphertext is fetched with a Merkle proof and the plaintext is
    /// checked against the commitment on chain. Prints the record's salt
    /// (to standard error, or in JSON with `--output json` and `--out`):
    /// disclose it together with the plaintext so others can verify.
    Decrypt {
        /// The record id.
        id: u64,
        /// The regulator: key name in the keyring, or address.
        #[arg(long)]
        key: String,
        /// Keyring name of the records key (default: KEY-records).
        #[arg(long, value_name = "NAME")]
        records_key: Option<String>,
        /// Write the plaintext here (default: standard output).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[command(flatten)]
        passphrase: PassphraseArgs,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Check a disclosed plaintext and its salt against a record's
    /// commitment, SHA-256("fructus/records/v1/commitment" ‖ salt ‖
    /// plaintext). No key needed, but the salt is: the chain holds no
    /// unsalted hash, so a guessed plaintext cannot be confirmed without it.
    /// Exits non-zero on a mismatch.
    Verify {
        /// The record id.
        id: u64,
        /// The disclosed plaintext.
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
        /// The disclosed salt (64 hex characters, as `records decrypt` or
        /// `tx identity store-record` printed it).
        #[arg(long, value_name = "HEX", conflicts_with = "salt_file")]
        salt: Option<String>,
        /// A file holding the salt (as `tx identity store-record` writes
        /// it). Default, when neither this nor --salt is given: FILE's path
        /// with `.salt` appended.
        #[arg(long, value_name = "PATH")]
        salt_file: Option<PathBuf>,
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
            records_key,
            out,
            passphrase,
            node,
        } => {
            let record = fetch(&node.client()?, id)?;
            let me = crate::cmd::tx::resolve_account(global, &key)?;
            if !record.sealed.wrapped_keys.iter().any(|w| w.regulator == me) {
                return Err(records::RecordError::NotARecipient { address: me })
                    .with_context(|| format!("opening record {id} as {me}"));
            }
            let name = records_key.unwrap_or_else(|| format!("{key}-records"));
            let records_key = load_signing_key_with(global, &passphrase, &name)
                .with_context(|| format!("unlocking the records key {name:?}"))?;
            let secret = records::records_secret_from_seed(&records_key.secret_bytes());
            let opened = records::open(&record.sealed, &me, &secret)
                .with_context(|| format!("opening record {id} as {me}"))?;
            let salt = hex::encode(opened.salt);
            match &out {
                Some(path) => {
                    std::fs::write(path, opened.plaintext.as_slice())
                        .with_context(|| format!("writing {}", path.display()))?;
                    match global.output {
                        OutputFormat::Json => println!(
                            "{}",
                            serde_json::json!({"id": id, "out": path, "salt": salt})
                        ),
                        OutputFormat::Text => eprintln!(
                            "record {id} ({} about {}) decrypted to {}; it matches the commitment on chain\n\
                             salt (disclose it with the plaintext): {salt}",
                            record.sealed.kind,
                            record.sealed.subject,
                            path.display()
                        ),
                    }
                }
                None => {
                    use std::io::Write as _;
                    std::io::stdout().write_all(&opened.plaintext)?;
                    eprintln!("salt (disclose it with the plaintext): {salt}");
                }
            }
            Ok(())
        }
        RecordsCmd::Verify {
            id,
            file,
            salt,
            salt_file,
            node,
        } => {
            let salt = match salt {
                Some(hex) => crate::cmd::salt::parse_hex(&hex)
                    .context("--salt must be 64 hex characters (32 bytes)")?,
                None => crate::cmd::salt::read(&crate::cmd::salt::path_for(&file, salt_file))?,
            };
            let record = fetch(&node.client()?, id)?;
            let disclosed =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let matches = records::verify_integrity(&disclosed, &salt, &record.sealed);
            let computed = hex::encode(records::record_commitment(&salt, &disclosed));
            match global.output {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::json!({
                        "id": id,
                        "matches": matches,
                        "commitment": hex::encode(record.sealed.commitment),
                        "file_commitment": computed,
                    })
                ),
                OutputFormat::Text if matches => {
                    println!("{} matches record {id}", file.display())
                }
                OutputFormat::Text => {}
            }
            if !matches {
                bail!(
                    "{} with that salt does NOT match record {id}: it commits to {computed}, the record to {}",
                    file.display(),
                    hex::encode(record.sealed.commitment)
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

/// How long [`recipients`] waits for a certified state that holds the keys
/// the node lists: the list is read from the node's latest state, one
/// block ahead of the newest header's app hash, and blocks come at least
/// every few seconds.
const CERTIFIED_STATE_WAIT: Duration = Duration::from_secs(12);

/// The keys a record must be sealed to now, each verified.
///
/// The node's list of regulators says *whom* to seal to; it is not taken on
/// trust. For every listed regulator, the client proves with a Merkle proof
/// that the address is a regulator and that the key is the one it
/// registered, against the app hash of a header the client verified from
/// its commit certificate (signed by more than 2/3 of the validators it
/// trusts: genesis or a pinned checkpoint, see `trust.rs`). A node that
/// substitutes a key, or forges the header or certificate, is detected here,
/// before anything is encrypted or sent. A node that leaves a regulator out
/// exposes nothing: the chain refuses a record not sealed to every current
/// regulator.
pub(crate) fn recipients(
    client: &NodeClient,
    trust: &crate::cmd::trust::TrustArgs,
    home: &std::path::Path,
    chain_id: &str,
) -> anyhow::Result<Vec<(Address, [u8; 32])>> {
    let mut trusted = trust.trusted_state(home, client, chain_id)?;
    let started = Instant::now();
    loop {
        let header = client.verify_latest(&mut trusted)?;
        let listed = listed_recipients(client)?;
        let mut mismatch = None;
        for (regulator, key) in &listed {
            let proven = proven_key(client, &header, regulator)?;
            if proven != Some(*key) {
                mismatch = Some((*regulator, *key, proven));
                break;
            }
        }
        let Some((regulator, key, proven)) = mismatch else {
            return Ok(listed);
        };
        // A key registered in the newest block is certified by the next
        // header only: wait for it, a bounded time.
        if started.elapsed() < CERTIFIED_STATE_WAIT {
            std::thread::sleep(Duration::from_millis(500));
            continue;
        }
        bail!(
            "the node served records key {} for regulator {regulator}, but the verified state after height {} holds {}: \
             the node is lying; nothing was encrypted or sent",
            hex::encode(key),
            header.state_height(),
            proven.map_or_else(|| "none".to_owned(), hex::encode)
        );
    }
}

/// The (regulator, records key) pairs the node lists, unverified.
fn listed_recipients(client: &NodeClient) -> anyhow::Result<Vec<(Address, [u8; 32])>> {
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

/// The records key `regulator` holds in the state the verified `header`
/// certifies (proven with Merkle proofs against its app hash), or `None`
/// if it is not a regulator there or has no key.
fn proven_key(
    client: &NodeClient,
    header: &fructus_light::VerifiedHeader,
    regulator: &Address,
) -> anyhow::Result<Option<[u8; 32]>> {
    if client
        .verified_get_at(&state_key::regulator(regulator), header)?
        .is_none()
    {
        return Ok(None);
    }
    client
        .verified_get_at(&state_key::encryption_key(regulator), header)?
        .map(|bytes| borsh::from_slice::<[u8; 32]>(&bytes))
        .transpose()
        .with_context(|| format!("the records key of {regulator} on chain does not decode"))
}
