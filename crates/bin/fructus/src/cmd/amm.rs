//! `fructus tx amm …` and `fructus query amm …`: constant-product pools,
//! liquidity, swaps along routes, quotes and the TWAP.

use clap::Subcommand;
use fructus_client::tx::msgs;
use fructus_types::Coin;

use fructus_proto::tx::v1 as pb;

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts},
    },
};

/// One pool id of a route (`--route 1,2`: clap splits at the commas).
fn route_arg(id: &str) -> Result<u64, String> {
    id.trim()
        .parse::<u64>()
        .map_err(|_| format!("{id:?} is not a pool id; write routes as 1,2,3"))
}

fn route_string(route: &[u64]) -> String {
    route
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `fructus tx amm` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum AmmTxCmd {
    /// Create the one pool of two denoms with its first deposit (you receive
    /// floor(sqrt(a·b)) − 1000 LP tokens lp/<pool id>).
    CreatePool {
        /// Signing key name (the first liquidity provider).
        from: String,
        /// First deposit of one denom, e.g. 1000000uA.
        amount_a: Coin,
        /// First deposit of the other, e.g. 2000000uB.
        amount_b: Coin,
        /// Swap fee in basis points (1-1000); default: the chain's (30).
        #[arg(long, default_value_t = 0)]
        fee_bps: u32,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Deposit at most these amounts in the pool's ratio for LP tokens.
    AddLiquidity {
        /// Signing key name.
        from: String,
        /// Pool id.
        pool: u64,
        /// At most this much of one denom.
        max_a: Coin,
        /// At most this much of the other.
        max_b: Coin,
        /// Refuse if fewer LP units would be minted.
        #[arg(long, default_value_t = 0)]
        min_lp: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Burn LP tokens (e.g. 500lp/1) for a pro-rata share of the reserves.
    RemoveLiquidity {
        /// Signing key name.
        from: String,
        /// Pool id.
        pool: u64,
        /// LP tokens to burn, e.g. 500lp/1.
        lp: Coin,
        /// Refuse if a denom would pay less (repeatable, e.g. --min-out 100uA).
        #[arg(long)]
        min_out: Vec<Coin>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Swap exactly AMOUNT_IN along --route for at least --min-out.
    Swap {
        /// Signing key name.
        from: String,
        /// What to sell, e.g. 10000uA.
        amount_in: Coin,
        /// Pool ids in order, e.g. 1 or 1,2 (at most 4).
        #[arg(long, value_parser = route_arg, value_delimiter = ',', required = true)]
        route: Vec<u64>,
        /// Least acceptable output; its denom names the output, e.g. 19000uB.
        #[arg(long)]
        min_out: Coin,
        /// Refuse in any block later than this time (ms since the epoch).
        #[arg(long, default_value_t = 0)]
        deadline_ms: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Swap along --route for exactly AMOUNT_OUT, paying at most --max-in.
    SwapExactOut {
        /// Signing key name.
        from: String,
        /// What to buy, e.g. 10000uB.
        amount_out: Coin,
        /// Pool ids in order from the input denom (at most 4).
        #[arg(long, value_parser = route_arg, value_delimiter = ',', required = true)]
        route: Vec<u64>,
        /// Most acceptable input; its denom names the input, e.g. 6000uA.
        #[arg(long)]
        max_in: Coin,
        /// Refuse in any block later than this time (ms since the epoch).
        #[arg(long, default_value_t = 0)]
        deadline_ms: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for AmmTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::CreatePool { from, opts, .. }
            | Self::AddLiquidity { from, opts, .. }
            | Self::RemoveLiquidity { from, opts, .. }
            | Self::Swap { from, opts, .. }
            | Self::SwapExactOut { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, _: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::CreatePool {
                amount_a,
                amount_b,
                fee_bps,
                ..
            } => msgs::amm_create_pool(&amount_a, &amount_b, fee_bps),
            Self::AddLiquidity {
                pool,
                max_a,
                max_b,
                min_lp,
                ..
            } => msgs::amm_add_liquidity(pool, &max_a, &max_b, min_lp),
            Self::RemoveLiquidity {
                pool, lp, min_out, ..
            } => msgs::amm_remove_liquidity(pool, &lp, &min_out),
            Self::Swap {
                amount_in,
                route,
                min_out,
                deadline_ms,
                ..
            } => msgs::amm_swap_exact_in(&amount_in, &route, &min_out, deadline_ms),
            Self::SwapExactOut {
                amount_out,
                route,
                max_in,
                deadline_ms,
                ..
            } => msgs::amm_swap_exact_out(&amount_out, &route, &max_in, deadline_ms),
        }])
    }
}

/// `fructus query amm` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum AmmQueryCmd {
    /// Pools in id order.
    Pools {
        /// Start after this pool id.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many (default 50, at most 200).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One pool: denoms, reserves, liquidity, fee, spot prices.
    Pool {
        /// Pool id.
        id: u64,
    },
    /// What an exact-in swap would pay now.
    Quote {
        /// What to sell, e.g. 10000uA.
        #[arg(long = "in")]
        amount_in: Coin,
        /// Pool ids in order.
        #[arg(long, value_parser = route_arg, value_delimiter = ',', required = true)]
        route: Vec<u64>,
    },
    /// What an exact-out swap would cost now.
    QuoteOut {
        /// What to buy, e.g. 10000uB.
        #[arg(long = "out")]
        amount_out: Coin,
        /// Pool ids in order from the input denom.
        #[arg(long, value_parser = route_arg, value_delimiter = ',', required = true)]
        route: Vec<u64>,
    },
    /// Time-weighted average prices over a window ending at the last block
    /// (the answer states the window it actually covers).
    Twap {
        /// Pool id.
        id: u64,
        /// The window, ms.
        #[arg(long)]
        window_ms: u64,
    },
}

impl ModuleQuery for AmmQueryCmd {
    fn path(self, _: &GlobalOpts) -> anyhow::Result<String> {
        Ok(query_path(self))
    }
}

/// The API path answering a query (no account names to resolve).
fn query_path(q: AmmQueryCmd) -> String {
    match q {
        AmmQueryCmd::Pools { start_after, limit } => {
            let mut params = Vec::new();
            if let Some(s) = start_after {
                params.push(format!("start_after={s}"));
            }
            if let Some(l) = limit {
                params.push(format!("limit={l}"));
            }
            if params.is_empty() {
                "/v1/amm/pools".to_owned()
            } else {
                format!("/v1/amm/pools?{}", params.join("&"))
            }
        }
        AmmQueryCmd::Pool { id } => format!("/v1/amm/pools/{id}"),
        AmmQueryCmd::Quote { amount_in, route } => format!(
            "/v1/amm/quote?in={amount_in}&route={}",
            route_string(&route)
        ),
        AmmQueryCmd::QuoteOut { amount_out, route } => format!(
            "/v1/amm/quote-out?out={amount_out}&route={}",
            route_string(&route)
        ),
        AmmQueryCmd::Twap { id, window_ms } => {
            format!("/v1/amm/pools/{id}/twap?window_ms={window_ms}")
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn routes_parse_and_queries_map_to_the_amm_rest_paths() {
        assert_eq!(route_arg(" 2").unwrap(), 2);
        assert!(route_arg("x").is_err());
        assert_eq!(
            query_path(AmmQueryCmd::Quote {
                amount_in: "10000ua".parse().unwrap(),
                route: vec![1, 2],
            }),
            "/v1/amm/quote?in=10000ua&route=1,2"
        );
        assert_eq!(
            query_path(AmmQueryCmd::Twap {
                id: 1,
                window_ms: 60_000
            }),
            "/v1/amm/pools/1/twap?window_ms=60000"
        );
        assert_eq!(
            query_path(AmmQueryCmd::Pools {
                start_after: None,
                limit: Some(5)
            }),
            "/v1/amm/pools?limit=5"
        );
    }

    /// The README tour's lines parse (a `Vec` field with a parser that
    /// returned a whole `Vec` made clap panic at run time).
    #[test]
    fn the_readme_amm_commands_parse_with_their_routes() {
        use clap::Parser as _;
        let parse = |line: &str| {
            crate::cli::Cli::try_parse_from(line.split_whitespace()).map(|cli| format!("{cli:?}"))
        };
        for line in [
            "fructus query amm quote --in 100share/1 --route 1,2",
            "fructus query amm quote-out --out 1000uusd --route 1,2",
            "fructus tx amm swap alice 100share/1 --route 1,2 --min-out 18000uusd",
            "fructus tx amm swap-exact-out alice 10000uusd --route 1,2 --max-in 60share/1",
        ] {
            let parsed = parse(line).unwrap();
            assert!(parsed.contains("route: [1, 2]"), "{line}: {parsed}");
        }
        assert!(parse("fructus query amm quote --in 1uusd --route 1,x").is_err());
        assert!(parse("fructus query amm quote --in 1uusd").is_err());
    }
}
