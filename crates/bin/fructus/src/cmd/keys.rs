//! `fructus keys`: manage the keyring under `--home`.
//!
//! Owns: the `keys` subcommands and how they print, and the passphrase policy
//! every command that unlocks a key follows ([`passphrase_for`],
//! [`load_signing_key`]): the `FRUCTUS_KEYRING_PASSPHRASE` environment
//! variable if set, else `--passphrase-file PATH` if given, else a prompt on
//! the terminal (twice when creating a key), else an error saying what to do.
//! The test backend needs no passphrase.
//!
//! Must never: print a secret the user did not ask for explicitly (raw
//! secrets need `--unarmored-hex --yes`), delete a key without `--yes`, or
//! store keys anywhere but through `fructus_keyring::Keyring`.

use std::{
    fs,
    io::{self, BufRead as _, IsTerminal as _, Read as _},
    path::{Path, PathBuf},
};

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_keyring::{KeyInfo, Keyring, KeyringBackend};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::cli::{GlobalOpts, KeyringBackendArg, OutputFormat};

/// Environment variable holding the file keyring's passphrase (for scripts).
pub(crate) const PASSPHRASE_ENV: &str = "FRUCTUS_KEYRING_PASSPHRASE";

/// Manage keys in the keyring under --home.
#[derive(Debug, Subcommand)]
pub(crate) enum KeysCmd {
    /// Create a key: ed25519 (from a new 24-word mnemonic, printed once) or
    /// p256 (random); with --recover, rebuild an ed25519 key from its mnemonic.
    Add(AddArgs),
    /// List the keys in the keyring (no passphrase needed).
    List,
    /// Show a key's name, address, algorithm and public key (no passphrase
    /// needed).
    Show(ShowArgs),
    /// Print a key encrypted with the keyring passphrase (JSON "armor" that
    /// `keys import` reads), or its raw secret with --unarmored-hex --yes.
    Export(ExportArgs),
    /// Add a key from an export file (`keys import NAME FILE`) or from a raw
    /// secret (`keys import NAME --secret-hex HEX --algo ALGO`).
    Import(ImportArgs),
    /// Remove a key from the keyring for good (requires --yes).
    Delete(DeleteArgs),
}

/// Where the file keyring's passphrase comes from, besides the
/// `FRUCTUS_KEYRING_PASSPHRASE` environment variable and the terminal.
/// Commands that unlock keys flatten this into their arguments.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct PassphraseArgs {
    /// Read the keyring passphrase from the first line of this file (file
    /// backend only). FRUCTUS_KEYRING_PASSPHRASE, if set, takes precedence;
    /// with neither, you are asked on the terminal.
    #[arg(long, value_name = "PATH")]
    pub(crate) passphrase_file: Option<PathBuf>,
}

/// Key algorithms as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AlgoArg {
    /// Ed25519: accounts and validators; backed by a BIP-39 mnemonic.
    Ed25519,
    /// ECDSA P-256 (secp256r1): devices, hardware tokens, passkeys; no mnemonic.
    P256,
}

impl From<AlgoArg> for KeyAlgo {
    fn from(algo: AlgoArg) -> Self {
        match algo {
            AlgoArg::Ed25519 => KeyAlgo::Ed25519,
            AlgoArg::P256 => KeyAlgo::P256,
        }
    }
}

/// Arguments of `keys add`.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// Name of the new key: 1 to 64 characters from A-Z a-z 0-9 _ . -
    pub(crate) name: String,
    /// Signature algorithm of the new key.
    #[arg(long, value_enum, default_value_t = AlgoArg::Ed25519)]
    pub(crate) algo: AlgoArg,
    /// Instead of generating a key, read a BIP-39 mnemonic (one line) from
    /// standard input and rebuild the ed25519 key it backs
    /// (path m/44'/7777'/0'/0'/0').
    #[arg(long)]
    pub(crate) recover: bool,
    /// Passphrase source for the file backend.
    #[command(flatten)]
    pub(crate) passphrase: PassphraseArgs,
}

/// Arguments of `keys show`.
#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// Name of the key.
    pub(crate) name: String,
    /// Print only the bech32 address (fx1…), for scripts.
    #[arg(long, conflicts_with = "pubkey")]
    pub(crate) address: bool,
    /// Print only the public key as ALGO:HEX (the form `--attestation-key`
    /// and `--device-pubkey` take), for scripts.
    #[arg(long)]
    pub(crate) pubkey: bool,
}

/// Arguments of `keys export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// Name of the key.
    pub(crate) name: String,
    /// DANGEROUS: print the raw, unencrypted secret key as hex instead of the
    /// encrypted armor. Anyone who sees it controls the account. Needs --yes.
    #[arg(long)]
    pub(crate) unarmored_hex: bool,
    /// Confirm that you want the unencrypted secret printed.
    #[arg(long, requires = "unarmored_hex")]
    pub(crate) yes: bool,
    /// Passphrase source: unlocks the key (file backend) and encrypts the
    /// armor (the armor's passphrase is the keyring passphrase; in the test
    /// backend it is asked for).
    #[command(flatten)]
    pub(crate) passphrase: PassphraseArgs,
}

/// Arguments of `keys import`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Name to store the key under: 1 to 64 characters from A-Z a-z 0-9 _ . -
    pub(crate) name: String,
    /// Armor file written by `fructus keys export` ("-" for standard input).
    /// It is decrypted with the keyring passphrase.
    #[arg(
        value_name = "FILE",
        required_unless_present = "secret_hex",
        conflicts_with = "secret_hex"
    )]
    pub(crate) file: Option<PathBuf>,
    /// Raw 32-byte secret key as 64 hex characters ("-" to read it from
    /// standard input, which keeps it out of shell history). Needs --algo.
    #[arg(long, value_name = "HEX", requires = "algo")]
    pub(crate) secret_hex: Option<String>,
    /// Algorithm of the --secret-hex key.
    #[arg(long, value_enum, requires = "secret_hex")]
    pub(crate) algo: Option<AlgoArg>,
    /// Passphrase source for the file backend (and to decrypt the armor).
    #[command(flatten)]
    pub(crate) passphrase: PassphraseArgs,
}

/// Arguments of `keys delete`.
#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    /// Name of the key.
    pub(crate) name: String,
    /// Confirm the deletion: the key is gone for good unless you have its
    /// mnemonic or an export.
    #[arg(long)]
    pub(crate) yes: bool,
}

/// Runs a `keys` subcommand.
pub(crate) fn run(cmd: KeysCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    let ring = open_keyring(global)?;
    match cmd {
        KeysCmd::Add(args) => add(&ring, global, args),
        KeysCmd::List => list(&ring, global),
        KeysCmd::Show(args) => show(&ring, global, &args),
        KeysCmd::Export(args) => export(&ring, global, &args),
        KeysCmd::Import(args) => import(&ring, global, args),
        KeysCmd::Delete(args) => delete(&ring, global, &args),
    }
}

/// The passphrase for the keyring selected by `global`: `None` for the test
/// backend (which needs none); for the file backend, from
/// `FRUCTUS_KEYRING_PASSPHRASE` if set, else from `--passphrase-file`, else
/// asked on the terminal as "Passphrase to {purpose}: " (twice if `confirm`,
/// which commands creating a key should set). Fails with advice when there
/// is no terminal to ask on, and refuses empty passphrases.
pub(crate) fn passphrase_for(
    global: &GlobalOpts,
    source: &PassphraseArgs,
    purpose: &str,
    confirm: bool,
) -> anyhow::Result<Option<Zeroizing<String>>> {
    match global.keyring_backend {
        KeyringBackendArg::Test => Ok(None),
        KeyringBackendArg::File => read_passphrase(source, purpose, confirm).map(Some),
    }
}

/// Unlocks key `name` for signing, asking for the passphrase as
/// [`passphrase_for`] does (environment variable, else terminal).
#[allow(dead_code, reason = "the tx command unlocks its signer with this")]
pub(crate) fn load_signing_key(global: &GlobalOpts, name: &str) -> anyhow::Result<SigningKey> {
    load_signing_key_with(global, &PassphraseArgs::default(), name)
}

/// Like [`load_signing_key`], also honouring `--passphrase-file`.
pub(crate) fn load_signing_key_with(
    global: &GlobalOpts,
    source: &PassphraseArgs,
    name: &str,
) -> anyhow::Result<SigningKey> {
    let ring = open_keyring(global)?;
    // Fails on a missing key before asking for a passphrase.
    ring.show(name)?;
    let passphrase = passphrase_for(global, source, &format!("unlock key {name:?}"), false)?;
    Ok(ring.signing_key(name, passphrase.as_ref().map(|p| p.as_str()))?)
}

/// The records key `name` (a random ed25519 key used only to open
/// regulator-only records): unlocked if the keyring has it, else created
/// (from the OS RNG, no mnemonic; back it up with `fructus keys export`).
pub(crate) fn load_or_create_records_key(
    global: &GlobalOpts,
    source: &PassphraseArgs,
    name: &str,
) -> anyhow::Result<SigningKey> {
    let ring = open_keyring(global)?;
    if ring.contains(name)? {
        return load_signing_key_with(global, source, name);
    }
    let passphrase = passphrase_for(
        global,
        source,
        &format!("encrypt records key {name:?}"),
        true,
    )?;
    let passphrase = passphrase.as_ref().map(|p| p.as_str());
    let fresh = SigningKey::generate(KeyAlgo::Ed25519);
    ring.import_secret(name, KeyAlgo::Ed25519, &fresh.secret_bytes(), passphrase)?;
    eprintln!(
        "created records key {name:?} in the keyring: records sealed to it open only with it; \
         back it up with `fructus keys export {name}`"
    );
    Ok(ring.signing_key(name, passphrase)?)
}

fn open_keyring(global: &GlobalOpts) -> anyhow::Result<Keyring> {
    let backend = match global.keyring_backend {
        KeyringBackendArg::File => KeyringBackend::File,
        KeyringBackendArg::Test => KeyringBackend::Test,
    };
    Ok(Keyring::open(&global.home, backend)?)
}

/// Reads a passphrase regardless of backend (exports of test keys are still
/// encrypted).
fn read_passphrase(
    source: &PassphraseArgs,
    purpose: &str,
    confirm: bool,
) -> anyhow::Result<Zeroizing<String>> {
    if let Some(value) = std::env::var_os(PASSPHRASE_ENV) {
        let value = Zeroizing::new(
            value
                .into_string()
                .map_err(|_| anyhow::anyhow!("{PASSPHRASE_ENV} is not valid UTF-8"))?,
        );
        if value.is_empty() {
            bail!(
                "{PASSPHRASE_ENV} is set but empty; set it to the keyring passphrase or unset it"
            );
        }
        return Ok(value);
    }
    if let Some(path) = &source.passphrase_file {
        return passphrase_from_file(path);
    }
    let no_tty = |e: io::Error| {
        anyhow::anyhow!(
            "cannot ask for the keyring passphrase: no terminal ({e}); set {PASSPHRASE_ENV}, \
             pass --passphrase-file PATH, or use --keyring-backend test for throwaway keys"
        )
    };
    let first = Zeroizing::new(
        rpassword::prompt_password(format!("Passphrase to {purpose}: ")).map_err(no_tty)?,
    );
    if first.is_empty() {
        bail!("the passphrase is empty; choose a non-empty passphrase");
    }
    if confirm {
        let again =
            Zeroizing::new(rpassword::prompt_password("Repeat the passphrase: ").map_err(no_tty)?);
        if again != first {
            bail!("the two passphrases differ; run the command again");
        }
    }
    Ok(first)
}

fn passphrase_from_file(path: &Path) -> anyhow::Result<Zeroizing<String>> {
    let text = Zeroizing::new(
        fs::read_to_string(path)
            .with_context(|| format!("could not read the passphrase file {}", path.display()))?,
    );
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        bail!(
            "the passphrase file {} is empty; put the passphrase on its first line",
            path.display()
        );
    }
    Ok(Zeroizing::new(line.to_owned()))
}

/// Reads one secret line: hidden prompt on a terminal, else one line of stdin.
fn read_secret_line(prompt: &str, what: &str) -> anyhow::Result<Zeroizing<String>> {
    let line = Zeroizing::new(if io::stdin().is_terminal() {
        rpassword::prompt_password(prompt)
            .with_context(|| format!("could not read the {what} from the terminal"))?
    } else {
        let mut line = String::new();
        io::stdin()
            .lock()
            .read_line(&mut line)
            .with_context(|| format!("could not read the {what} from standard input"))?;
        line
    });
    let line = Zeroizing::new(line.trim().to_owned());
    if line.is_empty() {
        bail!("no {what} on standard input; pipe it in on one line");
    }
    Ok(line)
}

fn warn_if_unencrypted(ring: &Keyring) {
    if ring.backend() == KeyringBackend::Test {
        eprintln!(
            "note: the test keyring stores keys UNENCRYPTED in {}; use it for devnets and scripts only",
            ring.dir().display()
        );
    }
}

fn add(ring: &Keyring, global: &GlobalOpts, args: AddArgs) -> anyhow::Result<()> {
    let algo = KeyAlgo::from(args.algo);
    if args.recover && algo != KeyAlgo::Ed25519 {
        bail!(
            "--recover rebuilds ed25519 keys from a mnemonic; {algo} keys have no mnemonic: \
             bring them in with `fructus keys import`"
        );
    }
    ring.check_new_name(&args.name)?;
    let mnemonic_in = if args.recover {
        Some(read_secret_line(
            "Enter the BIP-39 mnemonic (words separated by spaces): ",
            "mnemonic",
        )?)
    } else {
        None
    };
    let purpose = format!("encrypt key {:?}", args.name);
    let passphrase = passphrase_for(global, &args.passphrase, &purpose, true)?;
    let (info, mnemonic) = match mnemonic_in {
        Some(words) => (
            ring.recover(&args.name, &words, passphrase.as_ref().map(|p| p.as_str()))?,
            None,
        ),
        None => ring.add(&args.name, algo, passphrase.as_ref().map(|p| p.as_str()))?,
    };
    warn_if_unencrypted(ring);
    let mnemonic: Option<&str> = mnemonic.as_ref().map(|m| m.as_str());
    const MNEMONIC_WARNING: &str = "Write this mnemonic down and keep it somewhere safe and \
        offline. It is the only way to recover this key if the keyring is lost, and anyone who \
        has it controls the account.";
    match global.output {
        OutputFormat::Json => {
            #[derive(Serialize)]
            struct Added<'a> {
                #[serde(flatten)]
                info: &'a KeyInfo,
                #[serde(skip_serializing_if = "Option::is_none")]
                mnemonic: Option<&'a str>,
            }
            if mnemonic.is_some() {
                eprintln!("warning: {MNEMONIC_WARNING}");
            }
            print_json(&Added {
                info: &info,
                mnemonic,
            })
        }
        OutputFormat::Text => {
            print_info(&info);
            if let Some(words) = mnemonic {
                println!("\n**Important** {MNEMONIC_WARNING}\n\n{words}");
            }
            Ok(())
        }
    }
}

fn list(ring: &Keyring, global: &GlobalOpts) -> anyhow::Result<()> {
    let keys = ring.list()?;
    match global.output {
        OutputFormat::Json => print_json(&keys),
        OutputFormat::Text => {
            if keys.is_empty() {
                eprintln!(
                    "no keys in {}; create one with `fructus keys add NAME`",
                    ring.dir().display()
                );
                return Ok(());
            }
            let rows: Vec<[String; 4]> = keys
                .iter()
                .map(|k| {
                    [
                        k.name.clone(),
                        k.algo.to_string(),
                        k.address.to_string(),
                        k.pubkey.to_hex(),
                    ]
                })
                .collect();
            let header = ["NAME", "ALGO", "ADDRESS", "PUBKEY"].map(str::to_owned);
            let mut widths = [0usize; 4];
            for row in std::iter::once(&header).chain(&rows) {
                for (width, cell) in widths.iter_mut().zip(row) {
                    *width = (*width).max(cell.len());
                }
            }
            for row in std::iter::once(&header).chain(&rows) {
                let [name, algo, address, pubkey] = row;
                let [wn, wa, wd, _] = widths;
                println!("{name:<wn$}  {algo:<wa$}  {address:<wd$}  {pubkey}");
            }
            Ok(())
        }
    }
}

fn show(ring: &Keyring, global: &GlobalOpts, args: &ShowArgs) -> anyhow::Result<()> {
    let info = ring.show(&args.name)?;
    if args.address {
        println!("{}", info.address);
        return Ok(());
    }
    if args.pubkey {
        println!("{}:{}", info.algo.name(), info.pubkey.to_hex());
        return Ok(());
    }
    match global.output {
        OutputFormat::Json => print_json(&info),
        OutputFormat::Text => {
            print_info(&info);
            Ok(())
        }
    }
}

fn export(ring: &Keyring, global: &GlobalOpts, args: &ExportArgs) -> anyhow::Result<()> {
    let info = ring.show(&args.name)?;
    if args.unarmored_hex {
        if !args.yes {
            bail!(
                "refusing to print the unencrypted secret key of {:?}: anyone who sees it \
                 controls {}. Add --yes if you really mean it, or drop --unarmored-hex to get \
                 an encrypted export",
                args.name,
                info.address
            );
        }
        let key = load_signing_key_with(global, &args.passphrase, &args.name)?;
        let secret = key.secret_bytes();
        eprintln!(
            "warning: this is the UNENCRYPTED secret key of {:?} ({}); anyone who sees it \
             controls the account",
            args.name, info.address
        );
        return match global.output {
            OutputFormat::Text => {
                println!("{}", hex::encode(secret.as_ref()));
                Ok(())
            }
            OutputFormat::Json => print_json(&serde_json::json!({
                "name": info.name,
                "algo": info.algo,
                "address": info.address,
                "secret_hex": hex::encode(secret.as_ref()),
            })),
        };
    }
    let passphrase = match ring.backend() {
        KeyringBackend::File => read_passphrase(
            &args.passphrase,
            &format!("unlock key {:?}", args.name),
            false,
        )?,
        KeyringBackend::Test => read_passphrase(
            &args.passphrase,
            &format!("encrypt the export of key {:?}", args.name),
            true,
        )?,
    };
    print!("{}", ring.export_armor(&args.name, &passphrase)?);
    Ok(())
}

fn import(ring: &Keyring, global: &GlobalOpts, args: ImportArgs) -> anyhow::Result<()> {
    ring.check_new_name(&args.name)?;
    let info = match (&args.file, &args.secret_hex, args.algo) {
        (Some(path), None, None) => {
            let armor = if path.as_os_str() == "-" {
                let mut text = String::new();
                io::stdin()
                    .read_to_string(&mut text)
                    .context("could not read the export from standard input")?;
                text
            } else {
                fs::read_to_string(path)
                    .with_context(|| format!("could not read the export file {}", path.display()))?
            };
            let passphrase = read_passphrase(
                &args.passphrase,
                &format!("decrypt the export for key {:?}", args.name),
                false,
            )?;
            ring.import_armor(&args.name, &armor, &passphrase)?
        }
        (None, Some(hex), Some(algo)) => {
            let hex = if hex == "-" {
                read_secret_line("Enter the secret key hex: ", "secret key hex")?
            } else {
                Zeroizing::new(hex.clone())
            };
            let purpose = format!("encrypt key {:?}", args.name);
            let passphrase = passphrase_for(global, &args.passphrase, &purpose, true)?;
            ring.import_secret_hex(
                &args.name,
                algo.into(),
                &hex,
                passphrase.as_ref().map(|p| p.as_str()),
            )?
        }
        _ => bail!(
            "give either an export FILE, or --secret-hex HEX with --algo ALGO \
             (see `fructus keys import --help`)"
        ),
    };
    warn_if_unencrypted(ring);
    match global.output {
        OutputFormat::Json => print_json(&info),
        OutputFormat::Text => {
            print_info(&info);
            Ok(())
        }
    }
}

fn delete(ring: &Keyring, global: &GlobalOpts, args: &DeleteArgs) -> anyhow::Result<()> {
    let info = ring.show(&args.name)?;
    if !args.yes {
        bail!(
            "refusing to delete key {:?} ({}) without confirmation: it is gone for good unless \
             you have its mnemonic or an export. Add --yes to delete it",
            args.name,
            info.address
        );
    }
    let info = ring.delete(&args.name)?;
    match global.output {
        OutputFormat::Json => print_json(&info),
        OutputFormat::Text => {
            println!("deleted key {} ({})", info.name, info.address);
            Ok(())
        }
    }
}

fn print_info(info: &KeyInfo) {
    println!("name:    {}", info.name);
    println!("address: {}", info.address);
    println!("algo:    {}", info.algo);
    println!("pubkey:  {}", info.pubkey.to_hex());
}

fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).context("could not encode the JSON output")?
    );
    Ok(())
}
