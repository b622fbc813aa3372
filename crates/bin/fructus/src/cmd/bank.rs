//! `fructus tx bank …`: transfers, denoms, mint and burn (the bank
//! module). Balances and denoms are read with `fructus query account` and
//! `fructus query denom`.

use anyhow::Context as _;
use clap::Subcommand;
use fructus_client::tx::msgs;
use fructus_proto::tx::v1 as pb;
use fructus_types::{Coin, Coins, Denom};

use crate::cmd::tx::{Ctx, ModuleTx, TxOpts};

/// `fructus tx bank …`.
#[derive(Debug, Subcommand)]
pub(crate) enum BankTxCmd {
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

impl ModuleTx for BankTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::Send { from, opts, .. }
            | Self::MultiSend { from, opts, .. }
            | Self::CreateDenom { from, opts, .. }
            | Self::Mint { from, opts, .. }
            | Self::Burn { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::Send { to, amount, .. } => msgs::send(&c.resolve(&to)?, &amount),
            Self::MultiSend { outputs, .. } => {
                let outs = outputs
                    .iter()
                    .map(|o| {
                        let (who, coins) = o.split_once('=').with_context(|| {
                            format!("{o:?}: write each output as ACCOUNT=COINS")
                        })?;
                        Ok((c.resolve(who)?, coins.parse::<Coins>()?))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                msgs::multi_send(&outs)
            }
            Self::CreateDenom {
                denom,
                symbol,
                decimals,
                kyc_only,
                ..
            } => msgs::create_denom(&denom, &symbol, decimals, kyc_only),
            Self::Mint { amount, to, .. } => {
                msgs::mint(&amount, &c.resolve_or_signer(to.as_deref())?)
            }
            Self::Burn { amount, .. } => msgs::burn(&amount),
        }])
    }
}
