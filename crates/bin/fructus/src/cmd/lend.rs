//! `fructus tx lend …` and `fructus query lend …`: deposits into pools for
//! `lend/<denom>` tokens, pledged collateral, borrowing, repayment,
//! liquidation, reserves, and peer-to-peer loans against asset NFTs.

use clap::Subcommand;
use fructus_client::tx::msgs;
use fructus_proto::tx::v1 as pb;
use fructus_types::{Coin, Denom};

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts},
    },
};

/// `fructus tx lend` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum LendTxCmd {
    /// Deposit into a pool; receive lend/<denom> tokens.
    Supply {
        /// Signing key name.
        from: String,
        /// Amount, e.g. 1000000uusd.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Burn lend/<denom> tokens for their value in <denom>.
    Redeem {
        /// Signing key name.
        from: String,
        /// The pool's denom, e.g. uusd.
        denom: Denom,
        /// Deposit tokens to burn (base units).
        tokens: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Pledge collateral to borrow against.
    Pledge {
        /// Signing key name.
        from: String,
        /// Amount, e.g. 1000000ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Take pledged collateral back (while the account stays healthy).
    Unpledge {
        /// Signing key name.
        from: String,
        /// Amount, e.g. 1000000ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Borrow from a pool within the borrow limit.
    Borrow {
        /// Signing key name.
        from: String,
        /// Amount, e.g. 500000uusd.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Repay a borrow (at most the debt is taken).
    Repay {
        /// Signing key name.
        from: String,
        /// Amount, e.g. 500000uusd.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Repay part of an unhealthy borrower's debt and seize its collateral.
    Liquidate {
        /// Signing key name (anyone but the borrower).
        from: String,
        /// The borrower (address or key name).
        borrower: String,
        /// At most this much of its debt, e.g. 100000uusd.
        repay: Coin,
        /// The collateral denom to seize.
        collateral: Denom,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Move a pool's accrued reserves to the reserve account (anyone).
    SweepReserves {
        /// Signing key name.
        from: String,
        /// The pool's denom.
        denom: Denom,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Offer a loan against a whole asset NFT (the amount is escrowed).
    OfferNftLoan {
        /// Signing key name (the lender).
        from: String,
        /// The asset id.
        asset: u64,
        /// Amount lent, e.g. 500000uusd.
        amount: Coin,
        /// Yearly simple interest, basis points.
        #[arg(long)]
        rate_bps: u32,
        /// Term from acceptance, ms.
        #[arg(long)]
        term_ms: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Cancel an offer nobody accepted (the lender).
    CancelNftOffer {
        /// Signing key name (the lender).
        from: String,
        /// Loan id.
        loan: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Accept an offer: the NFT goes into escrow, the amount to you.
    AcceptNftLoan {
        /// Signing key name (the asset's owner).
        from: String,
        /// Loan id.
        loan: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Repay an NFT loan by its maturity and get the NFT back.
    RepayNftLoan {
        /// Signing key name (the borrower).
        from: String,
        /// Loan id.
        loan: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Take the NFT of a loan unpaid at maturity (the lender).
    ClaimNft {
        /// Signing key name (the lender).
        from: String,
        /// Loan id.
        loan: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Collect the income the pledged asset earned (the borrower).
    ClaimNftLoanIncome {
        /// Signing key name (the borrower).
        from: String,
        /// Loan id.
        loan: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for LendTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::Supply { from, opts, .. }
            | Self::Redeem { from, opts, .. }
            | Self::Pledge { from, opts, .. }
            | Self::Unpledge { from, opts, .. }
            | Self::Borrow { from, opts, .. }
            | Self::Repay { from, opts, .. }
            | Self::Liquidate { from, opts, .. }
            | Self::SweepReserves { from, opts, .. }
            | Self::OfferNftLoan { from, opts, .. }
            | Self::CancelNftOffer { from, opts, .. }
            | Self::AcceptNftLoan { from, opts, .. }
            | Self::RepayNftLoan { from, opts, .. }
            | Self::ClaimNft { from, opts, .. }
            | Self::ClaimNftLoanIncome { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::Supply { amount, .. } => msgs::lend_supply(&amount),
            Self::Redeem { denom, tokens, .. } => msgs::lend_redeem(&denom, tokens),
            Self::Pledge { amount, .. } => msgs::lend_pledge(&amount),
            Self::Unpledge { amount, .. } => msgs::lend_unpledge(&amount),
            Self::Borrow { amount, .. } => msgs::lend_borrow(&amount),
            Self::Repay { amount, .. } => msgs::lend_repay(&amount),
            Self::Liquidate {
                borrower,
                repay,
                collateral,
                ..
            } => msgs::lend_liquidate(&c.resolve(&borrower)?, &repay, &collateral),
            Self::SweepReserves { denom, .. } => msgs::lend_sweep_reserves(&denom),
            Self::OfferNftLoan {
                asset,
                amount,
                rate_bps,
                term_ms,
                ..
            } => msgs::lend_offer_nft_loan(asset, &amount, rate_bps, term_ms),
            Self::CancelNftOffer { loan, .. } => msgs::lend_cancel_nft_offer(loan),
            Self::AcceptNftLoan { loan, .. } => msgs::lend_accept_nft_loan(loan),
            Self::RepayNftLoan { loan, .. } => msgs::lend_repay_nft_loan(loan),
            Self::ClaimNft { loan, .. } => msgs::lend_claim_nft(loan),
            Self::ClaimNftLoanIncome { loan, .. } => msgs::lend_claim_nft_loan_income(loan),
        }])
    }
}

/// `fructus query lend` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum LendQueryCmd {
    /// Parameters and the quote denom.
    Params,
    /// Every market with utilization, exchange rate and yearly rates.
    Markets,
    /// An account's borrows, pledges and health.
    Position {
        /// The account (address or key name).
        account: String,
    },
    /// NFT loans and offers.
    NftLoans {
        /// Start after this loan id.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One NFT loan.
    NftLoan {
        /// Loan id.
        id: u64,
    },
}

impl ModuleQuery for LendQueryCmd {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            Self::Params => "/v1/lending/params".to_owned(),
            Self::Markets => "/v1/lending/markets".to_owned(),
            Self::Position { account } => format!(
                "/v1/lending/positions/{}",
                crate::cmd::tx::resolve_account(global, &account)?
            ),
            Self::NftLoans { start_after, limit } => {
                let mut params = Vec::new();
                if let Some(s) = start_after {
                    params.push(format!("start_after={s}"));
                }
                if let Some(l) = limit {
                    params.push(format!("limit={l}"));
                }
                format!("/v1/lending/nft_loans?{}", params.join("&"))
            }
            Self::NftLoan { id } => format!("/v1/lending/nft_loans/{id}"),
        })
    }
}
