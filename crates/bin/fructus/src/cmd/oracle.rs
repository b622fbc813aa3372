//! `fructus tx oracle …` and `fructus query oracle …`: price feeders (a
//! regulator accredits and revokes them, effective after the feeder
//! delay), price posts, and the prices consumers read.

use clap::Subcommand;
use fructus_client::tx::msgs;
use fructus_proto::tx::v1 as pb;
use fructus_types::Denom;

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts},
    },
};

/// A decimal price (`1.25`: one base unit of BASE is worth 1.25 base units
/// of QUOTE), sent as the integer × 10^18.
fn price_arg(raw: &str) -> Result<u128, String> {
    fructus_oracle::price::parse_decimal(raw).ok_or_else(|| {
        format!("{raw:?}: give a decimal price such as 1.25 (at most 18 decimals, at most 10^18)")
    })
}

/// `fructus tx oracle` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum OracleTxCmd {
    /// Accredit a price feeder (regulators; counts after the feeder delay).
    AccreditFeeder {
        /// Signing key name (a regulator).
        from: String,
        /// The feeder (address or key name).
        feeder: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Revoke a price feeder (regulators; counts after the feeder delay).
    RevokeFeeder {
        /// Signing key name (a regulator).
        from: String,
        /// The feeder (address or key name).
        feeder: String,
        /// Why (1-256 bytes).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Post the price of BASE in QUOTE for the current window (feeders).
    SubmitPrice {
        /// Signing key name (an active feeder).
        from: String,
        /// The priced denom, e.g. share/1.
        base: Denom,
        /// The denom it is priced in, e.g. uusd.
        quote: Denom,
        /// Base units of QUOTE one base unit of BASE is worth, e.g. 1.25.
        #[arg(value_parser = price_arg)]
        price: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for OracleTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::AccreditFeeder { from, opts, .. }
            | Self::RevokeFeeder { from, opts, .. }
            | Self::SubmitPrice { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, ctx: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::AccreditFeeder { feeder, .. } => {
                msgs::oracle_accredit_feeder(&ctx.resolve(&feeder)?)
            }
            Self::RevokeFeeder { feeder, reason, .. } => {
                msgs::oracle_revoke_feeder(&ctx.resolve(&feeder)?, &reason)
            }
            Self::SubmitPrice {
                base, quote, price, ..
            } => msgs::oracle_submit_price(&base, &quote, price),
        }])
    }
}

/// `fructus query oracle` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum OracleQueryCmd {
    /// Active feeders and pending feeder-set changes.
    Feeders,
    /// Every pair's median, update time and TWAP points.
    Pairs,
    /// The price of BASE in QUOTE a consumer uses now (×10^18), its TWAP
    /// and the share of the TWAP window it covers, source and stale flag.
    Price {
        /// The priced denom.
        base: Denom,
        /// The denom it is priced in.
        quote: Denom,
    },
}

impl ModuleQuery for OracleQueryCmd {
    fn path(self, _: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            Self::Feeders => "/v1/oracle/feeders".to_owned(),
            Self::Pairs => "/v1/oracle/pairs".to_owned(),
            Self::Price { base, quote } => format!("/v1/oracle/price?base={base}&quote={quote}"),
        })
    }
}
