//! `fructus keeper liquidate`: a liquidation keeper. It reads every vault
//! through the REST API (`GET /v1/credit/vaults`, whose `liquidatable`
//! flag is the chain's own check at the latest block: a fresh price within
//! the TWAP bound, below the liquidation ratio), starts the auction of each
//! unsafe vault and, with `--bid`, buys running auctions' collateral at
//! their current price — all with the key named, one committed
//! transaction at a time, each reported as a JSON line.

use std::time::Duration;

use clap::{Args, Subcommand};
use fructus_client::{
    http::NodeClient,
    tx::{DEFAULT_GAS_LIMIT, TxBuilder, msgs},
};
use fructus_crypto::SigningKey;
use fructus_proto::tx::v1::Message;

use crate::cli::GlobalOpts;

/// `fructus keeper` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum KeeperCmd {
    /// Find vaults below the liquidation ratio and liquidate them.
    Liquidate(LiquidateArgs),
}

/// Arguments of `keeper liquidate`.
#[derive(Debug, Args)]
pub(crate) struct LiquidateArgs {
    /// Signing key name (pays fees; with --bid, pays bids in credit).
    from: String,
    /// Also bid on running auctions at their current price.
    #[arg(long)]
    bid: bool,
    /// Passes over the vaults (0 = until stopped).
    #[arg(long, default_value_t = 1)]
    rounds: u64,
    /// Pause between passes, ms.
    #[arg(long, default_value_t = 2_000)]
    interval_ms: u64,
    #[command(flatten)]
    node: crate::cmd::query::NodeOpt,
    #[command(flatten)]
    passphrase: crate::cmd::keys::PassphraseArgs,
}

/// Runs a `keeper` subcommand.
pub(crate) fn run(cmd: KeeperCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        KeeperCmd::Liquidate(args) => liquidate(&args, global),
    }
}

fn liquidate(args: &LiquidateArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    let key = crate::cmd::keys::load_signing_key_with(global, &args.passphrase, &args.from)?;
    let client = args.node.client()?;
    let chain_id = client.status()?.chain_id;
    let mut round = 0u64;
    loop {
        round = round.saturating_add(1);
        pass(&client, &key, &chain_id, args.bid)?;
        if args.rounds != 0 && round >= args.rounds {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(args.interval_ms));
    }
}

/// One pass over every vault, page by page.
fn pass(client: &NodeClient, key: &SigningKey, chain_id: &str, bid: bool) -> anyhow::Result<()> {
    let mut start_after: Option<u64> = None;
    // Bounded: each page advances `start_after`, and vault ids are finite.
    loop {
        let path = match start_after {
            Some(s) => format!("/v1/credit/vaults?limit=100&start_after={s}"),
            None => "/v1/credit/vaults?limit=100".to_owned(),
        };
        let page = client.get_json(&path)?;
        let vaults = page["vaults"].as_array().cloned().unwrap_or_default();
        for v in &vaults {
            let Some(id) = v["id"].as_u64() else { continue };
            if v["liquidatable"].as_bool() == Some(true) {
                send(
                    client,
                    key,
                    chain_id,
                    "liquidate",
                    id,
                    msgs::credit_liquidate(id),
                )?;
            }
            if bid && !v["auction"].is_null() {
                let collateral = number(&v["auction"]["collateral"]);
                let price = number(&v["auction_price"]);
                if let (Some(c), Some(p)) = (collateral, price) {
                    send(client, key, chain_id, "bid", id, msgs::credit_bid(id, c, p))?;
                }
            }
        }
        match page["next"].as_u64() {
            Some(next) if Some(next) != start_after => start_after = Some(next),
            _ => return Ok(()),
        }
    }
}

fn number(v: &serde_json::Value) -> Option<u128> {
    v.as_str().and_then(|s| s.parse().ok())
}

/// Signs `msg` with the signer's next nonce, waits for its block and
/// prints the outcome as a JSON line. A refusal (another keeper was first,
/// the price moved) is reported, not fatal.
fn send(
    client: &NodeClient,
    key: &SigningKey,
    chain_id: &str,
    action: &str,
    vault: u64,
    msg: Message,
) -> anyhow::Result<()> {
    let nonce = client.account(&key.public_key().address())?.nonce;
    let tx = TxBuilder::new(chain_id)
        .nonce(nonce)
        .gas_limit(DEFAULT_GAS_LIMIT)
        .message(msg)
        .sign(key);
    let outcome = match client.submit(&tx, true) {
        Ok(view) => match view.result {
            Some(r) if r.code == 0 => {
                serde_json::json!({"action": action, "vault": vault, "ok": true, "hash": r.hash, "height": r.height})
            }
            Some(r) => {
                serde_json::json!({"action": action, "vault": vault, "ok": false, "error": format!("{}#{} {}", r.codespace, r.code, r.log)})
            }
            None => {
                serde_json::json!({"action": action, "vault": vault, "ok": false, "error": "not committed"})
            }
        },
        Err(e) => {
            serde_json::json!({"action": action, "vault": vault, "ok": false, "error": e.to_string()})
        }
    };
    println!("{outcome}");
    Ok(())
}
