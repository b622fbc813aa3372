//! `fructus tx …`: what every transaction shares — the signing and
//! broadcast options ([`TxOpts`]), the [`ModuleTx`] trait each module's
//! subcommands implement, the dispatcher that signs and submits (or prints,
//! `--offline`) — and `fructus tx decode` to inspect any signed
//! transaction. The subcommands of each module live in `cmd/<module>.rs`.
//!
//! Offline (`--offline --chain-id … --nonce …`) nothing talks to a node: the
//! signed transaction is printed (base64) or written to `--out`.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use clap::{Args, Subcommand};
use fructus_client::tx::{DEFAULT_GAS_LIMIT, TxBuilder};
use fructus_crypto::{Address, SigningKey};
use fructus_keyring::{Keyring, KeyringBackend};
use fructus_proto::tx::v1 as pb;
use fructus_types::Coin;

use crate::{
    cli::{GlobalOpts, KeyringBackendArg, OutputFormat},
    cmd::keys::{PassphraseArgs, load_signing_key_with},
};

/// `fructus tx` subcommands: one per module (registered here and in
/// [`run`]), and `decode`.
#[derive(Debug, Subcommand)]
pub(crate) enum TxCmd {
    /// Bank: transfers, denoms, mint and burn.
    #[command(subcommand)]
    Bank(crate::cmd::bank::BankTxCmd),
    /// Auth: fee grants and key rotation.
    #[command(subcommand)]
    Auth(crate::cmd::auth::AuthTxCmd),
    /// Identity: KYC attestations, providers, freezes (regulators).
    #[command(subcommand)]
    Identity(crate::cmd::identity::IdentityTxCmd),
    /// Asset NFTs: classes, minting, fractional shares, income.
    #[command(subcommand)]
    Asset(crate::cmd::asset::AssetTxCmd),
    /// Staking: validators, delegation, rewards, unjail.
    #[command(subcommand)]
    Staking(crate::cmd::staking::StakingTxCmd),
    /// Metering module, devices: register, rotate keys, tamper, readings,
    /// oracles.
    #[command(subcommand)]
    Device(crate::cmd::metering::DeviceTxCmd),
    /// Metering module, pay-per-use service contracts: open, accept, pay,
    /// close.
    #[command(subcommand)]
    Contract(crate::cmd::metering::ContractTxCmd),
    /// AMM: pools, liquidity, swaps along routes.
    #[command(subcommand)]
    Amm(crate::cmd::amm::AmmTxCmd),
    /// Compute: GPU providers, capacity tokens, demand orders.
    #[command(subcommand)]
    Compute(crate::cmd::compute::ComputeTxCmd),
    /// Show any signed transaction as JSON (base64 argument, or --file).
    Decode(DecodeArgs),
    /// Certificates: issuers, classes, batches, retirement, auto-issuance.
    #[command(subcommand)]
    Cert(crate::cmd::cert::CertTxCmd),
    /// Oracle: price feeders and price posts.
    #[command(subcommand)]
    Oracle(crate::cmd::oracle::OracleTxCmd),
    /// Credit: ratings, vaults, the credit stablecoin, liquidation.
    #[command(subcommand)]
    Credit(crate::cmd::credit::CreditTxCmd),
    /// Governance: proposals, deposits, votes.
    #[command(subcommand)]
    Gov(crate::cmd::gov::GovTxCmd),
    /// Lending: pools, deposit tokens, collateral, borrowing, liquidation,
    /// loans against asset NFTs.
    #[command(subcommand)]
    Lend(crate::cmd::lend::LendTxCmd),
}

/// A module's `fructus tx <module> …` subcommand enum.
///
/// Every variant is one kind of transaction: its first positional argument
/// is `from: String` (the signing key's name) and its last field is
/// `#[command(flatten)] opts: TxOpts`. The dispatcher loads the signing key,
/// learns the chain id and the signer's nonce (from the node, or
/// `--chain-id`/`--nonce` offline) and only then calls
/// [`ModuleTx::messages`], so a message may use the signer's account, the
/// chain id (proofs bound to it), the nonce, other keyring keys and the node.
pub(crate) trait ModuleTx {
    /// The signing key's name and the transaction options
    /// (`Self::A { from, opts, .. } | Self::B { from, opts, .. } => (from, opts)`).
    fn signer(&self) -> (&str, &TxOpts);

    /// Whether this transaction uses no account nonce (device readings:
    /// their device sequence protects them, and they carry nonce 0).
    fn nonceless(&self) -> bool {
        false
    }

    /// The transaction's messages, in order.
    fn messages(self, ctx: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>>;
}

/// Options every signing command shares.
#[derive(Debug, Clone, Args)]
pub(crate) struct TxOpts {
    /// Chain id the transaction is for (it is signed into the transaction).
    #[arg(long, env = "FRUCTUS_CHAIN_ID")]
    chain_id: Option<String>,
    /// The signer account's next nonce (required with --offline).
    #[arg(long)]
    nonce: Option<u64>,
    /// Build and sign without contacting a node; print the signed transaction.
    #[arg(long)]
    offline: bool,
    /// Wait until the transaction is in a committed block and print its
    /// result (exit status 1 if it failed).
    #[arg(long, conflicts_with = "offline")]
    wait: bool,
    #[command(flatten)]
    node: crate::cmd::query::NodeOpt,
    /// Fee, e.g. 2000ufrx. Default: gas limit × 10 ufrx per 1,000 gas (the
    /// default minimum price), rounded up.
    #[arg(long, value_name = "COIN")]
    fee: Option<Coin>,
    /// Gas limit, or `auto`: the gas a simulation on the node's latest
    /// state uses, plus a third, rounded up (the default fee follows the
    /// limit).
    #[arg(long, default_value_t = Gas::Limit(DEFAULT_GAS_LIMIT), value_parser = parse_gas)]
    gas: Gas,
    /// Broadcast without first running the transaction on the node's latest
    /// state. By default a transaction that would fail is refused before it
    /// is sent, so it costs nothing (an included failure pays its fee).
    #[arg(long, conflicts_with = "offline")]
    no_simulate: bool,
    /// Account (address or key name) that pays the fee through a fee grant
    /// it gave the signer.
    #[arg(long, value_name = "ACCOUNT")]
    fee_payer: Option<String>,
    /// Refuse the transaction in blocks above this height (0 = never).
    #[arg(long, default_value_t = 0)]
    timeout_height: u64,
    /// Free text carried with the transaction (at most 256 bytes by default).
    #[arg(long, default_value = "")]
    memo: String,
    /// Write the base64 signed transaction to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Keyring passphrase source.
    #[command(flatten)]
    pub(crate) passphrase: PassphraseArgs,
}

/// `--gas`: a limit, or measured by simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gas {
    /// This many gas units.
    Limit(u64),
    /// The simulated gas use plus [`GAS_AUTO_MARGIN_PERCENT`].
    Auto,
}

/// How much `--gas auto` adds to the simulated gas use, in percent.
const GAS_AUTO_MARGIN_PERCENT: u64 = 33;

impl std::fmt::Display for Gas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Gas::Limit(n) => write!(f, "{n}"),
            Gas::Auto => f.write_str("auto"),
        }
    }
}

fn parse_gas(s: &str) -> Result<Gas, String> {
    if s == "auto" {
        return Ok(Gas::Auto);
    }
    s.parse()
        .map(Gas::Limit)
        .map_err(|_| format!("{s:?}: give a whole number of gas units, or `auto`"))
}

/// Arguments of `tx decode`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The signed transaction in base64.
    #[arg(required_unless_present = "file")]
    tx: Option<String>,
    /// Read the base64 (or raw bytes) from this file.
    #[arg(long, conflicts_with = "tx")]
    file: Option<PathBuf>,
}

/// Runs a `tx` subcommand.
pub(crate) fn run(cmd: TxCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        TxCmd::Decode(args) => decode(&args, global),
        TxCmd::Bank(cmd) => sign_and_emit(global, cmd),
        TxCmd::Auth(cmd) => sign_and_emit(global, cmd),
        TxCmd::Identity(cmd) => sign_and_emit(global, cmd),
        TxCmd::Asset(cmd) => sign_and_emit(global, cmd),
        TxCmd::Staking(cmd) => sign_and_emit(global, cmd),
        TxCmd::Device(cmd) => sign_and_emit(global, cmd),
        TxCmd::Contract(cmd) => sign_and_emit(global, cmd),
        TxCmd::Amm(cmd) => sign_and_emit(global, cmd),
        TxCmd::Cert(cmd) => sign_and_emit(global, cmd),
        TxCmd::Compute(cmd) => sign_and_emit(global, cmd),
        TxCmd::Oracle(cmd) => sign_and_emit(global, cmd),
        TxCmd::Credit(cmd) => sign_and_emit(global, cmd),
        TxCmd::Gov(cmd) => sign_and_emit(global, cmd),
        TxCmd::Lend(cmd) => sign_and_emit(global, cmd),
    }
}

/// What [`ModuleTx::messages`] may use.
pub(crate) struct Ctx<'a> {
    global: &'a GlobalOpts,
    passphrase: &'a PassphraseArgs,
    chain_id: &'a str,
    nonce: u64,
    /// The signer's account (the address of the signing key).
    pub(crate) account: Address,
    client: Option<&'a fructus_client::http::NodeClient>,
}

impl Ctx<'_> {
    /// The global options (home, keyring backend, output format).
    pub(crate) fn global(&self) -> &GlobalOpts {
        self.global
    }

    /// The chain id the transaction is signed for (for messages that carry
    /// a proof bound to it, such as a records key's possession proof).
    pub(crate) fn chain_id(&self) -> &str {
        self.chain_id
    }

    /// The signer's nonce this transaction carries.
    pub(crate) fn nonce(&self) -> u64 {
        self.nonce
    }

    /// The keyring passphrase source of this command.
    pub(crate) fn passphrase(&self) -> &PassphraseArgs {
        self.passphrase
    }

    /// Another key of the keyring (a new key that signs its consent, a
    /// device key), unlocked with this command's passphrase source.
    pub(crate) fn load_key(&self, name: &str) -> anyhow::Result<SigningKey> {
        load_signing_key_with(self.global, self.passphrase, name)
    }

    /// The node, unless the transaction is built `--offline`.
    pub(crate) fn node(&self) -> Option<&fructus_client::http::NodeClient> {
        self.client
    }

    /// An `fx1…` address, or the address of a key in the keyring.
    pub(crate) fn resolve(&self, who: &str) -> anyhow::Result<Address> {
        resolve_account(self.global, who)
    }

    /// [`Ctx::resolve`] if given, else the signer's account.
    pub(crate) fn resolve_or_signer(&self, who: Option<&str>) -> anyhow::Result<Address> {
        who.map_or(Ok(self.account), |w| self.resolve(w))
    }
}

/// Parses an address, or looks a key name up in the keyring.
pub(crate) fn resolve_account(global: &GlobalOpts, who: &str) -> anyhow::Result<Address> {
    if who.starts_with("fx1") {
        return Ok(who.parse()?);
    }
    let backend = match global.keyring_backend {
        KeyringBackendArg::File => KeyringBackend::File,
        KeyringBackendArg::Test => KeyringBackend::Test,
    };
    let ring = Keyring::open(&global.home, backend)?;
    match ring.show(who) {
        Ok(info) => Ok(info.address),
        Err(missing) => match who.parse::<Address>() {
            // A valid bech32 string of another chain (`cosmos1…`): say so,
            // rather than that no key has that name.
            Err(bad) if bad.to_string().contains("prefix must be") => {
                Err(anyhow::anyhow!("{bad}: Fructus addresses start with fx1"))
            }
            _ => Err(anyhow::Error::new(missing).context(format!(
                "{who:?} is neither an fx1… address nor a key in the keyring"
            ))),
        },
    }
}

/// Signs the transaction of one module subcommand, then submits it (or, with
/// `--offline`, prints it).
fn sign_and_emit<C: ModuleTx>(global: &GlobalOpts, cmd: C) -> anyhow::Result<()> {
    let (from, opts) = cmd.signer();
    let (from, mut opts) = (from.to_owned(), opts.clone());
    if cmd.nonceless() {
        opts.nonce = Some(0);
    }
    let opts = &opts;
    let key: SigningKey = load_signing_key_with(global, &opts.passphrase, &from)?;
    let client = if opts.offline {
        None
    } else {
        Some(opts.node.client()?)
    };
    let chain_id = match (&opts.chain_id, &client) {
        (Some(id), _) => id.clone(),
        (None, Some(c)) => c.status()?.chain_id,
        (None, None) => bail!("--chain-id is required with --offline (or set FRUCTUS_CHAIN_ID)"),
    };
    let chain_id = chain_id.as_str();
    fructus_types::tx::validate_chain_id(chain_id)?;
    let nonce = match (opts.nonce, &client) {
        (Some(n), _) => n,
        (None, Some(c)) => c.account(&key.public_key().address())?.nonce,
        (None, None) => bail!(
            "--nonce is required with --offline: the signer account's next nonce (0 for a new account)"
        ),
    };
    let ctx = Ctx {
        global,
        passphrase: &opts.passphrase,
        chain_id,
        nonce,
        account: key.public_key().address(),
        client: client.as_ref(),
    };
    let mut builder = TxBuilder::new(chain_id)
        .nonce(nonce)
        .timeout_height(opts.timeout_height)
        .memo(opts.memo.clone());
    if let Some(fee) = &opts.fee {
        builder = builder.fee(fee.clone());
    }
    if let Some(payer) = &opts.fee_payer {
        builder = builder.payer(resolve_account(global, payer)?);
    }
    for msg in cmd.messages(&ctx)? {
        builder = builder.message(msg);
    }
    let gas = match (opts.gas, &client) {
        (Gas::Limit(n), _) => n,
        (Gas::Auto, None) => {
            bail!("--gas auto needs a node to simulate on; give a number with --offline")
        }
        (Gas::Auto, Some(c)) => {
            let probe = builder.clone().gas_limit(DEFAULT_GAS_LIMIT).sign(&key);
            let sim = simulated(c, &probe)?;
            sim.gas_used
                .saturating_mul(100 + GAS_AUTO_MARGIN_PERCENT)
                .div_ceil(100)
        }
    };
    let signed = builder.gas_limit(gas).sign(&key);
    if let Some(client) = &client {
        if !opts.no_simulate {
            simulated(client, &signed)?;
        }
        return submit(global, client, &signed, opts.wait);
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(&signed);
    let hash = fructus_types::tx::TxHash::of(&signed);
    if let Some(path) = &opts.out {
        std::fs::write(path, format!("{b64}\n"))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    match global.output {
        OutputFormat::Json => {
            let json = serde_json::json!({ "hash": hash.to_string(), "tx": b64, "decoded": describe(&signed)? });
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        OutputFormat::Text if opts.out.is_some() => {
            eprintln!(
                "signed transaction {hash} written to {}",
                opts.out
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
        }
        OutputFormat::Text => {
            eprintln!(
                "signed transaction {hash} (base64 below; inspect it with `fructus tx decode`)"
            );
            println!("{b64}");
        }
    }
    Ok(())
}

/// Runs `signed` on the node's latest state; refuses (before anything is
/// sent, so nothing is charged) if it would fail.
fn simulated(
    client: &fructus_client::http::NodeClient,
    signed: &[u8],
) -> anyhow::Result<fructus_rpc_types::SimulateView> {
    let sim = client.simulate(signed)?;
    if sim.code != 0 {
        bail!(
            "not sent: on the node's latest state this transaction would fail with {}#{}: {} \
             (nothing was broadcast or charged; --no-simulate sends it anyway, and an included \
             failure pays its fee)",
            sim.codespace,
            sim.code,
            sim.log
        );
    }
    Ok(sim)
}

fn submit(
    global: &GlobalOpts,
    client: &fructus_client::http::NodeClient,
    signed: &[u8],
    wait: bool,
) -> anyhow::Result<()> {
    let view = client.submit(signed, wait)?;
    match global.output {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        OutputFormat::Text => {
            println!("transaction {} admitted", view.hash);
            match &view.result {
                Some(r) if r.code == 0 => {
                    println!(
                        "committed at height {} (gas used {} of {})",
                        r.height, r.gas_used, r.gas_wanted
                    );
                    for line in created(&r.events).into_iter().chain(claimed(&r.events)) {
                        println!("{line}");
                    }
                }
                Some(r) => println!(
                    "included at height {} but FAILED (its fee was charged and its nonce used): {}#{}: {}",
                    r.height, r.codespace, r.code, r.log
                ),
                None => println!(
                    "not waiting for the block: `fructus query tx {}` shows the result",
                    view.hash
                ),
            }
        }
    }
    match view.result {
        Some(r) if r.code != 0 => {
            bail!(
                "transaction failed (included, so its fee was charged): {}#{}: {}",
                r.codespace,
                r.code,
                r.log
            )
        }
        _ => Ok(()),
    }
}

/// Events that create something a user refers to next, as (event kind,
/// what it is, the attribute holding its id, a prefix of the id as users
/// write it).
const CREATED: &[(&str, &str, &str, &str)] = &[
    ("bank.create_denom", "denom", "denom", ""),
    ("asset.create_class", "class", "class_id", ""),
    ("asset.mint", "asset", "asset_id", ""),
    ("asset.fractionalize", "share denom", "asset_id", "share/"),
    ("metering.register_device", "device", "device", ""),
    ("metering.open_contract", "contract", "contract_id", ""),
    ("identity.store_record", "record", "id", ""),
    ("staking.create_validator", "validator", "operator", ""),
    ("amm.create_pool", "pool", "pool_id", ""),
    (
        "compute.register_provider",
        "compute provider",
        "asset_id",
        "",
    ),
    ("compute.post_order", "order", "order_id", ""),
    ("compute.redeem_capacity", "order", "order_id", ""),
    (
        "certificate.class_created",
        "certificate class",
        "class_id",
        "",
    ),
    ("certificate.batch_issued", "batch", "batch_id", ""),
    ("certificate.retired", "retirement", "retirement_id", ""),
    ("gov.submit_proposal", "proposal", "proposal_id", ""),
    ("lending.nft_loan_offered", "NFT loan offer", "loan_id", ""),
];

/// One line per thing the transaction created (`class 1 created`), in
/// event order, for text output; JSON output carries the events whole.
pub(crate) fn created(events: &[fructus_component::Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| {
            let (_, what, key, prefix) = CREATED.iter().find(|c| c.0 == e.kind)?;
            let id = e.attributes.iter().find(|a| a.key == *key)?;
            Some(format!("{what} {prefix}{} created", id.value))
        })
        .collect()
}

/// One line per income claim the transaction paid out (`claimed 264ufrx
/// of asset 1's income`), so a claim says what it brought.
pub(crate) fn claimed(events: &[fructus_component::Event]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.kind == "asset.income_claimed")
        .filter_map(|e| {
            let attr = |k: &str| e.attributes.iter().find(|a| a.key == k);
            Some(format!(
                "claimed {} of asset {}'s income",
                attr("amount")?.value,
                attr("asset_id")?.value
            ))
        })
        .collect()
}

fn decode(args: &DecodeArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    let bytes = match (&args.tx, &args.file) {
        (Some(text), _) => base64_decode(text)?,
        (None, Some(path)) => {
            let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            match std::str::from_utf8(&raw)
                .ok()
                .map(str::trim)
                .map(base64_decode)
            {
                Some(Ok(decoded)) => decoded,
                _ => raw,
            }
        }
        (None, None) => bail!("give the transaction in base64, or --file FILE"),
    };
    let json = describe(&bytes)?;
    match global.output {
        OutputFormat::Json | OutputFormat::Text => {
            println!("{}", serde_json::to_string_pretty(&json)?)
        }
    }
    Ok(())
}

fn base64_decode(text: &str) -> anyhow::Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .context(
            "not valid base64: pass the signed transaction as printed by `fructus tx … --offline`",
        )
}

/// A JSON view of a signed transaction, with the result of its stateless
/// checks (signature included) under the default parameters.
fn describe(bytes: &[u8]) -> anyhow::Result<serde_json::Value> {
    use fructus_types::tx::DecodedTx;
    let tx = DecodedTx::decode(bytes, usize::MAX).context("cannot decode the transaction")?;
    let msgs = tx
        .body
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| match fructus_app::Msg::from_proto(m, i) {
            Ok(msg) => serde_json::to_value(msg).unwrap_or_default(),
            Err(e) => serde_json::json!({ "invalid": e.to_string() }),
        })
        .collect::<Vec<_>>();
    let params = fructus_auth::AuthParams::default();
    let check = fructus_app::pipeline::stateless::check(bytes, &tx.body.chain_id, &params)
        .and_then(|p| {
            fructus_app::pipeline::stateless::verify_signatures(vec![Ok(p)], &tx.body.chain_id)
                .pop()
                .unwrap_or_else(|| Err(fructus_component_error("no verdict")))
        });
    Ok(serde_json::json!({
        "hash": tx.hash.to_string(),
        "size": tx.size,
        "chain_id": tx.body.chain_id,
        "signer": {
            "algo": tx.signer.algo(),
            "pubkey": tx.signer.to_hex(),
            "address": tx.signer.address(),
        },
        "nonce": tx.body.nonce,
        "fee": { "amount": tx.fee.to_string(), "gas_limit": tx.gas_limit, "payer": tx.payer },
        "timeout_height": tx.body.timeout_height,
        "memo": tx.body.memo,
        "messages": msgs,
        "signature": hex::encode(&tx.signature),
        "stateless_check": match check {
            Ok(_) => serde_json::json!("ok"),
            Err(e) => serde_json::to_value(e).unwrap_or_default(),
        },
    }))
}

fn fructus_component_error(message: &str) -> fructus_component::TxError {
    fructus_component::TxError {
        codespace: "cli".into(),
        code: 1,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use fructus_component::Event;

    use super::{claimed, created};

    #[test]
    fn text_output_names_each_created_thing_and_nothing_else() {
        let events = [
            Event::new("bank.transfer").attr("amount", "5ufrx"),
            Event::new("asset.create_class")
                .attr("class_id", 7)
                .attr("creator", "fx1a"),
            Event::new("asset.fractionalize").attr("asset_id", 3),
            Event::new("amm.create_pool").attr("pool_id", 2),
            Event::new("asset.mint").attr("class_id", 7),
        ];
        assert_eq!(
            created(&events),
            [
                "class 7 created",
                "share denom share/3 created",
                "pool 2 created"
            ],
            "a creation event without its id attribute prints nothing"
        );
    }

    #[test]
    fn text_output_says_what_a_claim_paid() {
        let events = [
            Event::new("bank.transfer").attr("amount", "264ufrx"),
            Event::new("asset.income_claimed")
                .attr("asset_id", 1)
                .attr("holder", "fx1b")
                .attr("amount", "264ufrx"),
        ];
        assert_eq!(claimed(&events), ["claimed 264ufrx of asset 1's income"]);
        assert!(claimed(&events[..1]).is_empty());
    }
}
