//! `fructus tx …`: build and sign transactions with keys from the keyring,
//! and `fructus tx decode` to inspect any signed transaction.
//!
//! Offline (`--offline --chain-id … --nonce …`) nothing talks to a node: the
//! signed transaction is printed (base64) or written to `--out`.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use clap::{Args, Subcommand};
use fructus_client::tx::{DEFAULT_GAS_LIMIT, TxBuilder, msgs};
use fructus_crypto::{Address, SigningKey};
use fructus_keyring::{Keyring, KeyringBackend};
use fructus_proto::tx::v1 as pb;
use fructus_types::{Coin, Coins, Denom};

use crate::{
    cli::{GlobalOpts, KeyringBackendArg, OutputFormat},
    cmd::keys::{PassphraseArgs, load_signing_key_with},
};

/// `fructus tx` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum TxCmd {
    /// Bank: transfers, denoms, mint and burn.
    #[command(subcommand)]
    Bank(BankCmd),
    /// Auth: fee grants and key rotation.
    #[command(subcommand)]
    Auth(AuthCmd),
    /// Identity: KYC attestations, providers, freezes (regulators).
    #[command(subcommand)]
    Identity(crate::cmd::identity::IdentityTxCmd),
    /// Asset NFTs: classes, minting, fractional shares, income.
    #[command(subcommand)]
    Asset(crate::cmd::asset::AssetTxCmd),
    /// Staking: validators, delegation, rewards, unjail.
    #[command(subcommand)]
    Staking(crate::cmd::staking::StakingTxCmd),
    /// Metering devices: register, rotate keys, tamper, readings, oracles.
    #[command(subcommand)]
    Device(crate::cmd::metering::DeviceTxCmd),
    /// Pay-per-use service contracts: open, accept, pay, close.
    #[command(subcommand)]
    Contract(crate::cmd::metering::ContractTxCmd),
    /// AMM: pools, liquidity, swaps along routes.
    #[command(subcommand)]
    Amm(crate::cmd::amm::AmmTxCmd),
    /// Show any signed transaction as JSON (base64 argument, or --file).
    Decode(DecodeArgs),
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
    /// Gas limit.
    #[arg(long, default_value_t = DEFAULT_GAS_LIMIT)]
    gas: u64,
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

impl TxOpts {
    /// For transactions made only of device readings: they carry nonce 0
    /// and use no account nonce (the device sequence protects them).
    pub(crate) fn nonceless(mut self) -> Self {
        self.nonce = Some(0);
        self
    }
}

/// `fructus tx bank …`.
#[derive(Debug, Subcommand)]
pub(crate) enum BankCmd {
    /// Send coins from a key of the keyring to an account.
    Send {
        /// Signing key name.
        from: String,
        /// Recipient: an fx1… address or a key name.
        to: String,
        /// Coins, e.g. 100ufrx or 100ufrx,5uusd.
        amount: Coins,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Send coins to several recipients in one transaction.
    MultiSend {
        /// Signing key name.
        from: String,
        /// Recipients as ACCOUNT=COINS (e.g. fx1…=10ufrx bob=5ufrx,1uusd).
        #[arg(required = true, value_name = "ACCOUNT=COINS")]
        outputs: Vec<String>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Register a new denom with FROM as its issuer.
    CreateDenom {
        /// Signing key name (becomes the issuer).
        from: String,
        /// The denom (lower case, no '/'), e.g. uusd.
        denom: Denom,
        /// Display symbol, e.g. USD.
        #[arg(long)]
        symbol: String,
        /// Display decimals (0-18).
        #[arg(long, default_value_t = 6)]
        decimals: u32,
        /// Only KYC'd accounts may hold it (enforced by the identity module).
        #[arg(long)]
        kyc_only: bool,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Issuer only: create coins for an account.
    Mint {
        /// Signing key name (must be the denom's issuer).
        from: String,
        /// Amount, e.g. 1000uusd.
        amount: Coin,
        /// Recipient (address or key name); default: FROM.
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Issuer only: destroy coins from the issuer's own balance.
    Burn {
        /// Signing key name (must be the denom's issuer).
        from: String,
        /// Amount, e.g. 10uusd.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
}

/// `fructus tx auth …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AuthCmd {
    /// Pay GRANTEE's fees (e.g. a device's) up to a spend limit.
    GrantFee {
        /// Signing key name (the granter, who pays).
        from: String,
        /// Whose fees to pay: address or key name.
        grantee: String,
        /// Total the grant may spend, e.g. 1000000ufrx.
        #[arg(long)]
        spend_limit: Coins,
        /// Last height the grant may be used (0 = no expiry).
        #[arg(long, default_value_t = 0)]
        expiry_height: u64,
        /// Message kind the grant covers, e.g. bank/send (repeatable; none = all).
        #[arg(long = "allow", value_name = "KIND")]
        allowed: Vec<String>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Withdraw a fee grant.
    RevokeFee {
        /// Signing key name (the granter).
        from: String,
        /// The grantee: address or key name.
        grantee: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Replace FROM's account key with NEW_KEY (another keyring key); the
    /// address and funds stay. Both keys sign.
    RotateKey {
        /// Current signing key name.
        from: String,
        /// Key name of the new key.
        new_key: String,
        /// Address of the account, if it is no longer FROM's derived address
        /// (it was rotated before).
        #[arg(long)]
        account: Option<Address>,
        #[command(flatten)]
        opts: TxOpts,
    },
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
    let (from, opts, build): (String, TxOpts, BuildMsgs) = match cmd {
        TxCmd::Decode(args) => return decode(&args, global),
        TxCmd::Asset(cmd) => crate::cmd::asset::into_parts(cmd),
        TxCmd::Device(cmd) => crate::cmd::metering::device_parts(cmd),
        TxCmd::Contract(cmd) => crate::cmd::metering::contract_parts(cmd),
        TxCmd::Amm(cmd) => crate::cmd::amm::into_parts(cmd),
        TxCmd::Identity(cmd) => crate::cmd::identity::into_parts(cmd)?,
        TxCmd::Staking(cmd) => crate::cmd::staking::into_parts(cmd)?,
        TxCmd::Bank(BankCmd::Send {
            from,
            to,
            amount,
            opts,
        }) => (
            from,
            opts,
            Box::new(move |c| Ok(vec![msgs::send(&c.resolve(&to)?, &amount)])),
        ),
        TxCmd::Bank(BankCmd::MultiSend {
            from,
            outputs,
            opts,
        }) => (
            from,
            opts,
            Box::new(move |c| {
                let outs = outputs
                    .iter()
                    .map(|o| {
                        let (who, coins) = o.split_once('=').with_context(|| {
                            format!("{o:?}: write each output as ACCOUNT=COINS")
                        })?;
                        Ok((c.resolve(who)?, coins.parse::<Coins>()?))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                Ok(vec![msgs::multi_send(&outs)])
            }),
        ),
        TxCmd::Bank(BankCmd::CreateDenom {
            from,
            denom,
            symbol,
            decimals,
            kyc_only,
            opts,
        }) => (
            from,
            opts,
            Box::new(move |_| {
                Ok(vec![msgs::create_denom(
                    &denom, &symbol, decimals, kyc_only,
                )])
            }),
        ),
        TxCmd::Bank(BankCmd::Mint {
            from,
            amount,
            to,
            opts,
        }) => (
            from,
            opts,
            Box::new(move |c| {
                let to = match &to {
                    Some(t) => c.resolve(t)?,
                    None => c.account,
                };
                Ok(vec![msgs::mint(&amount, &to)])
            }),
        ),
        TxCmd::Bank(BankCmd::Burn { from, amount, opts }) => {
            (from, opts, Box::new(move |_| Ok(vec![msgs::burn(&amount)])))
        }
        TxCmd::Auth(AuthCmd::GrantFee {
            from,
            grantee,
            spend_limit,
            expiry_height,
            allowed,
            opts,
        }) => (
            from,
            opts,
            Box::new(move |c| {
                Ok(vec![msgs::grant_fee(
                    &c.resolve(&grantee)?,
                    &spend_limit,
                    expiry_height,
                    &allowed,
                )])
            }),
        ),
        TxCmd::Auth(AuthCmd::RevokeFee {
            from,
            grantee,
            opts,
        }) => (
            from,
            opts,
            Box::new(move |c| Ok(vec![msgs::revoke_fee(&c.resolve(&grantee)?)])),
        ),
        TxCmd::Auth(AuthCmd::RotateKey {
            from,
            new_key,
            account,
            opts,
        }) => {
            let passphrase = opts.passphrase.clone();
            (
                from,
                opts,
                Box::new(move |c| {
                    let new = load_signing_key_with(c.global, &passphrase, &new_key)?;
                    let account = account.unwrap_or(c.account);
                    Ok(vec![msgs::rotate_key(&new, c.chain_id, &account, c.nonce)])
                }),
            )
        }
    };
    sign_and_emit(global, &from, &opts, build)
}

/// Builds the messages once the signer and nonce are known.
pub(crate) type BuildMsgs = Box<dyn FnOnce(&Ctx<'_>) -> anyhow::Result<Vec<pb::Message>>>;

/// What message builders may use.
pub(crate) struct Ctx<'a> {
    pub(crate) global: &'a GlobalOpts,
    chain_id: &'a str,
    nonce: u64,
    pub(crate) account: Address,
    client: Option<&'a fructus_client::http::NodeClient>,
}

impl Ctx<'_> {
    /// The chain id the transaction is signed for (for messages that carry
    /// a proof bound to it, such as a records key's possession proof).
    pub(crate) fn chain_id(&self) -> &str {
        self.chain_id
    }

    /// The node, unless the transaction is built `--offline`.
    pub(crate) fn node(&self) -> Option<&fructus_client::http::NodeClient> {
        self.client
    }

    /// An `fx1…` address, or the address of a key in the keyring.
    pub(crate) fn resolve(&self, who: &str) -> anyhow::Result<Address> {
        resolve_account(self.global, who)
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
    let info = ring
        .show(who)
        .with_context(|| format!("{who:?} is neither an fx1… address nor a key in the keyring"))?;
    Ok(info.address)
}

fn sign_and_emit(
    global: &GlobalOpts,
    from: &str,
    opts: &TxOpts,
    build: BuildMsgs,
) -> anyhow::Result<()> {
    let key: SigningKey = load_signing_key_with(global, &opts.passphrase, from)?;
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
        chain_id,
        nonce,
        account: key.public_key().address(),
        client: client.as_ref(),
    };
    let mut builder = TxBuilder::new(chain_id)
        .nonce(nonce)
        .gas_limit(opts.gas)
        .timeout_height(opts.timeout_height)
        .memo(opts.memo.clone());
    if let Some(fee) = &opts.fee {
        builder = builder.fee(fee.clone());
    }
    if let Some(payer) = &opts.fee_payer {
        builder = builder.payer(resolve_account(global, payer)?);
    }
    for msg in build(&ctx)? {
        builder = builder.message(msg);
    }
    let signed = builder.sign(&key);
    if let Some(client) = &client {
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
                Some(r) if r.code == 0 => println!(
                    "committed at height {} (gas used {} of {})",
                    r.height, r.gas_used, r.gas_wanted
                ),
                Some(r) => println!(
                    "included at height {} but FAILED: {}#{}: {}",
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
            bail!("transaction failed: {}#{}: {}", r.codespace, r.code, r.log)
        }
        _ => Ok(()),
    }
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
