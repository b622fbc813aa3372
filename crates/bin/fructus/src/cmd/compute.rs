//! `fructus tx compute …` and `fructus query compute …`: GPU providers,
//! capacity tokens and demand orders. Heartbeats are the device's: see
//! `fructus device heartbeat`.

use clap::{Subcommand, ValueEnum};
use fructus_client::tx::msgs;
use fructus_proto::{compute::v1::VerificationMode, tx::v1 as pb};
use fructus_types::Coin;

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts, resolve_account},
    },
};

/// How an order's completion is verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Mode {
    /// The buyer confirms.
    BuyerConfirm,
    /// The --verifier attests the result hash.
    Verifier,
    /// Completes when the challenge window lapses unchallenged; a
    /// challenge goes to the --verifier.
    ChallengeWindow,
}

impl From<Mode> for VerificationMode {
    fn from(m: Mode) -> Self {
        match m {
            Mode::BuyerConfirm => VerificationMode::BuyerConfirm,
            Mode::Verifier => VerificationMode::Verifier,
            Mode::ChallengeWindow => VerificationMode::ChallengeWindow,
        }
    }
}

/// A 32-byte hash as 64 hex digits.
fn hash_arg(s: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(s.trim()).map_err(|_| format!("{s:?} is not hex"))?;
    bytes
        .try_into()
        .map_err(|_| "a hash is 32 bytes (64 hex digits)".to_owned())
}

/// `fructus tx compute` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ComputeTxCmd {
    /// Register a GPU asset (class unit `gpu-hour`, with a registered
    /// device) as a compute provider, posting a bond in ufrx.
    RegisterProvider {
        /// Signing key name (the asset's owner or a class manager).
        from: String,
        /// The asset id.
        asset: u64,
        /// GPU model, e.g. H100.
        gpu_model: String,
        /// Number of GPUs.
        gpus: u32,
        /// Bond in ufrx (at least the chain's min_bond).
        #[arg(long)]
        bond: u128,
        /// Energy asset powering it (green link).
        #[arg(long, default_value_t = 0)]
        green_asset: u64,
        /// Certificate batch covering its energy (green link).
        #[arg(long, default_value = "")]
        green_batch: String,
        /// Maintainer paid --maintainer-bps of every payout.
        #[arg(long)]
        maintainer: Option<String>,
        /// The maintainer's share, basis points.
        #[arg(long, default_value_t = 0)]
        maintainer_bps: u32,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Mint HOURS capacity tokens gpuh/<asset>/<window> for a future window
    /// (the provider must be online).
    MintCapacity {
        /// Signing key name (the operator).
        from: String,
        /// The asset id.
        asset: u64,
        /// The window (see `query compute epoch`).
        window: u64,
        /// GPU-hours.
        hours: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Burn capacity tokens of an ended window from your balance.
    BurnExpired {
        /// Signing key name.
        from: String,
        /// E.g. 3gpuh/1/42.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Post a demand order with escrow in a stablecoin.
    PostOrder {
        /// Signing key name (the buyer).
        from: String,
        /// SHA-256 of the task spec (64 hex digits).
        #[arg(value_parser = hash_arg)]
        spec_hash: [u8; 32],
        /// GPU model wanted.
        gpu_model: String,
        /// GPU-hours.
        hours: u64,
        /// Highest price per GPU-hour, e.g. 2000000uusd.
        max_price_per_hour: Coin,
        /// Done by this block time (ms since the epoch).
        #[arg(long)]
        deadline_ms: u64,
        /// Verification mode.
        #[arg(long, value_enum, default_value_t = Mode::BuyerConfirm)]
        mode: Mode,
        /// The verifier (verifier and challenge-window modes).
        #[arg(long)]
        verifier: Option<String>,
        /// Escrow now (default: hours × max price; less pauses the order).
        #[arg(long)]
        escrow: Option<Coin>,
        /// Require green compute.
        #[arg(long)]
        green: bool,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Accept an open order for a window at a price per GPU-hour.
    AcceptOrder {
        /// Signing key name (the operator).
        from: String,
        /// The order id.
        order: u64,
        /// The provider's asset id.
        asset: u64,
        /// The window to reserve (current or later, ending by the deadline).
        window: u64,
        /// Price per GPU-hour (at most the order's maximum).
        price_per_hour: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Submit the result hash of an accepted order.
    SubmitResult {
        /// Signing key name (the operator).
        from: String,
        /// The order id.
        order: u64,
        /// SHA-256 of the result (64 hex digits).
        #[arg(value_parser = hash_arg)]
        result_hash: [u8; 32],
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Confirm a submitted result (the buyer): the escrow is paid out.
    Confirm {
        /// Signing key name (the buyer).
        from: String,
        /// The order id.
        order: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Approve or reject a submitted result (the order's verifier).
    Attest {
        /// Signing key name (the verifier).
        from: String,
        /// The order id.
        order: u64,
        /// The submitted result hash (64 hex digits).
        #[arg(value_parser = hash_arg)]
        result_hash: [u8; 32],
        /// Reject (refund the buyer, slash the provider) instead of approve.
        #[arg(long)]
        reject: bool,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Challenge a result within the challenge window (the buyer).
    Challenge {
        /// Signing key name (the buyer).
        from: String,
        /// The order id.
        order: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Add escrow to a paused (under-funded) order.
    TopUp {
        /// Signing key name (the buyer).
        from: String,
        /// The order id.
        order: u64,
        /// E.g. 1000000uusd.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Cancel an order no provider accepted; the escrow is refunded.
    Cancel {
        /// Signing key name (the buyer).
        from: String,
        /// The order id.
        order: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Burn held capacity tokens for an order served in their window.
    Redeem {
        /// Signing key name (the holder).
        from: String,
        /// The provider's asset id.
        asset: u64,
        /// The window.
        window: u64,
        /// GPU-hours (tokens burned).
        hours: u64,
        /// SHA-256 of the task spec (64 hex digits).
        #[arg(value_parser = hash_arg)]
        spec_hash: [u8; 32],
        /// Done by this block time (at or after the window's end).
        #[arg(long)]
        deadline_ms: u64,
        /// Verification mode.
        #[arg(long, value_enum, default_value_t = Mode::BuyerConfirm)]
        mode: Mode,
        /// The verifier (verifier and challenge-window modes).
        #[arg(long)]
        verifier: Option<String>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Add ufrx to a provider's bond.
    AddBond {
        /// Signing key name (the operator).
        from: String,
        /// The asset id.
        asset: u64,
        /// ufrx to add.
        amount: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for ComputeTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::RegisterProvider { from, opts, .. }
            | Self::MintCapacity { from, opts, .. }
            | Self::BurnExpired { from, opts, .. }
            | Self::PostOrder { from, opts, .. }
            | Self::AcceptOrder { from, opts, .. }
            | Self::SubmitResult { from, opts, .. }
            | Self::Confirm { from, opts, .. }
            | Self::Attest { from, opts, .. }
            | Self::Challenge { from, opts, .. }
            | Self::TopUp { from, opts, .. }
            | Self::Cancel { from, opts, .. }
            | Self::Redeem { from, opts, .. }
            | Self::AddBond { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, ctx: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        let resolve = |who: Option<String>| who.map(|w| ctx.resolve(&w)).transpose();
        Ok(vec![match self {
            Self::RegisterProvider {
                asset,
                gpu_model,
                gpus,
                bond,
                green_asset,
                green_batch,
                maintainer,
                maintainer_bps,
                ..
            } => msgs::compute_register_provider(
                asset,
                &gpu_model,
                gpus,
                green_asset,
                &green_batch,
                bond,
                resolve(maintainer)?.as_ref(),
                maintainer_bps,
            ),
            Self::MintCapacity {
                asset,
                window,
                hours,
                ..
            } => msgs::compute_mint_capacity(asset, window, hours),
            Self::BurnExpired { amount, .. } => msgs::compute_burn_expired(&amount),
            Self::PostOrder {
                spec_hash,
                gpu_model,
                hours,
                max_price_per_hour,
                deadline_ms,
                mode,
                verifier,
                escrow,
                green,
                ..
            } => {
                let escrow = match escrow {
                    Some(e) => e,
                    None => Coin {
                        denom: max_price_per_hour.denom.clone(),
                        amount: max_price_per_hour
                            .amount
                            .mul_div_floor(u128::from(hours), 1)
                            .map_err(|_| anyhow::anyhow!("hours × max price overflows"))?,
                    },
                };
                msgs::compute_post_order(
                    spec_hash,
                    &gpu_model,
                    hours,
                    &max_price_per_hour,
                    deadline_ms,
                    mode.into(),
                    resolve(verifier)?.as_ref(),
                    &escrow,
                    green,
                )
            }
            Self::AcceptOrder {
                order,
                asset,
                window,
                price_per_hour,
                ..
            } => msgs::compute_accept_order(order, asset, window, price_per_hour),
            Self::SubmitResult {
                order, result_hash, ..
            } => msgs::compute_submit_result(order, result_hash),
            Self::Confirm { order, .. } => msgs::compute_confirm_order(order),
            Self::Attest {
                order,
                result_hash,
                reject,
                ..
            } => msgs::compute_attest(order, result_hash, !reject),
            Self::Challenge { order, .. } => msgs::compute_challenge(order),
            Self::TopUp { order, amount, .. } => msgs::compute_top_up_order(order, &amount),
            Self::Cancel { order, .. } => msgs::compute_cancel_order(order),
            Self::Redeem {
                asset,
                window,
                hours,
                spec_hash,
                deadline_ms,
                mode,
                verifier,
                ..
            } => msgs::compute_redeem_capacity(
                asset,
                window,
                hours,
                spec_hash,
                mode.into(),
                resolve(verifier)?.as_ref(),
                deadline_ms,
            ),
            Self::AddBond { asset, amount, .. } => msgs::compute_add_bond(asset, amount),
        }])
    }
}

/// `fructus query compute` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ComputeQueryCmd {
    /// The window clock: genesis time, window length, the current window.
    Epoch,
    /// Providers with their liveness.
    Providers {
        /// Start after this asset id.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One provider.
    Provider {
        /// The asset id.
        asset: u64,
    },
    /// A provider's capacity by window.
    Capacity {
        /// The asset id.
        asset: u64,
        /// Start after this window.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Orders, by buyer, provider or status.
    Orders {
        /// Only this buyer's (key name or address).
        #[arg(long)]
        buyer: Option<String>,
        /// Only this provider's (asset id).
        #[arg(long)]
        provider: Option<u64>,
        /// Only this status (open, accepted, completed, …).
        #[arg(long)]
        status: Option<String>,
        /// Start after this order id.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One order.
    Order {
        /// The order id.
        id: u64,
    },
    /// Receipts of settled orders.
    Receipts {
        /// Start after this order id.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One order's receipt.
    Receipt {
        /// The order id.
        id: u64,
    },
}

fn with_params(path: &str, params: Vec<String>) -> String {
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

fn page(start_after: Option<u64>, limit: Option<u32>) -> Vec<String> {
    let mut p = Vec::new();
    if let Some(s) = start_after {
        p.push(format!("start_after={s}"));
    }
    if let Some(l) = limit {
        p.push(format!("limit={l}"));
    }
    p
}

impl ModuleQuery for ComputeQueryCmd {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            Self::Epoch => "/v1/compute/epoch".to_owned(),
            Self::Providers { start_after, limit } => {
                with_params("/v1/compute/providers", page(start_after, limit))
            }
            Self::Provider { asset } => format!("/v1/compute/providers/{asset}"),
            Self::Capacity {
                asset,
                start_after,
                limit,
            } => with_params(
                &format!("/v1/compute/providers/{asset}/capacity"),
                page(start_after, limit),
            ),
            Self::Orders {
                buyer,
                provider,
                status,
                start_after,
                limit,
            } => {
                let mut p = page(start_after, limit);
                if let Some(b) = buyer {
                    p.push(format!("buyer={}", resolve_account(global, &b)?));
                }
                if let Some(a) = provider {
                    p.push(format!("provider={a}"));
                }
                if let Some(s) = status {
                    p.push(format!("status={s}"));
                }
                with_params("/v1/compute/orders", p)
            }
            Self::Order { id } => format!("/v1/compute/orders/{id}"),
            Self::Receipts { start_after, limit } => {
                with_params("/v1/compute/receipts", page(start_after, limit))
            }
            Self::Receipt { id } => format!("/v1/compute/receipts/{id}"),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn hashes_parse_and_queries_map_to_the_compute_rest_paths() {
        assert_eq!(hash_arg(&"ab".repeat(32)).unwrap(), [0xab; 32]);
        assert!(hash_arg("ab").is_err());
        assert!(hash_arg("zz").is_err());
        let global = GlobalOpts {
            home: std::env::temp_dir(),
            keyring_backend: crate::cli::KeyringBackendArg::Test,
            output: crate::cli::OutputFormat::Json,
        };
        let path = |q: ComputeQueryCmd| q.path(&global).unwrap();
        assert_eq!(path(ComputeQueryCmd::Epoch), "/v1/compute/epoch");
        assert_eq!(
            path(ComputeQueryCmd::Capacity {
                asset: 3,
                start_after: None,
                limit: Some(5)
            }),
            "/v1/compute/providers/3/capacity?limit=5"
        );
        assert_eq!(
            path(ComputeQueryCmd::Orders {
                buyer: None,
                provider: Some(2),
                status: Some("open".into()),
                start_after: None,
                limit: None
            }),
            "/v1/compute/orders?provider=2&status=open"
        );
    }
}
