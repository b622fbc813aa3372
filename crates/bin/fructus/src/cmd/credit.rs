//! `fructus tx credit …` and `fructus query credit …`: rating agencies and
//! ratings (the report sealed to the regulators' keys, as `tx identity
//! store-record` does), vaults, minting and repaying the credit
//! stablecoin, liquidation bids and the bad-debt backstop.

use std::path::PathBuf;

use anyhow::Context as _;
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

/// A grade as AAA … C.
fn grade_arg(raw: &str) -> Result<u32, String> {
    const GRADES: [&str; 8] = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "C"];
    GRADES
        .iter()
        .position(|g| g.eq_ignore_ascii_case(raw))
        .and_then(|i| u32::try_from(i).ok())
        .map(|i| i.saturating_add(1))
        .ok_or_else(|| format!("{raw:?}: one of {}", GRADES.join(", ")))
}

/// A decimal price, as for oracle posts.
fn price_arg(raw: &str) -> Result<u128, String> {
    fructus_oracle::price::parse_decimal(raw)
        .ok_or_else(|| format!("{raw:?}: give a decimal price such as 0.45"))
}

/// `fructus tx credit` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum CreditTxCmd {
    /// Accredit a rating agency (regulators).
    AccreditAgency {
        /// Signing key name (a regulator).
        from: String,
        /// The agency (address or key name).
        agency: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Withdraw an agency's accreditation; its ratings stop counting
    /// (regulators).
    RevokeAgency {
        /// Signing key name (a regulator).
        from: String,
        /// The agency (address or key name).
        agency: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Rate a KYC'd enterprise (agencies). The report file is sealed to
    /// the regulators' records keys, proven against headers this client
    /// verified, and stored as a regulator-only record.
    Rate {
        /// Signing key name (an accredited agency).
        from: String,
        /// The enterprise (address or key name).
        enterprise: String,
        /// AAA, AA, A, BBB, BB, B, CCC or C.
        #[arg(value_parser = grade_arg)]
        grade: u32,
        /// The rating lapses at this block time (ms since the epoch).
        #[arg(long)]
        expiry_ms: u64,
        /// The report (at most 32 KiB); it never leaves this machine
        /// unencrypted.
        #[arg(long, value_name = "PATH")]
        report: PathBuf,
        #[command(flatten)]
        trust: crate::cmd::trust::TrustArgs,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Revoke an enterprise's rating (its agency, or a regulator).
    RevokeRating {
        /// Signing key name.
        from: String,
        /// The enterprise (address or key name).
        enterprise: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Open a vault for a collateral denom.
    OpenVault {
        /// Signing key name (the owner).
        from: String,
        /// The collateral denom, e.g. ufrx or share/1.
        denom: Denom,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Deposit collateral.
    Deposit {
        /// Signing key name (the owner).
        from: String,
        /// Vault id.
        vault: u64,
        /// Amount, e.g. 1000000ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Withdraw collateral (while the vault stays safe).
    Withdraw {
        /// Signing key name (the owner).
        from: String,
        /// Vault id.
        vault: u64,
        /// Amount, e.g. 1000000ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Mint the credit stablecoin against a vault.
    Mint {
        /// Signing key name (the owner).
        from: String,
        /// Vault id.
        vault: u64,
        /// Credit base units.
        amount: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Repay a vault's debt (at most the debt is taken).
    Repay {
        /// Signing key name.
        from: String,
        /// Vault id.
        vault: u64,
        /// Credit base units.
        amount: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Start the Dutch auction of a vault below the liquidation ratio.
    Liquidate {
        /// Signing key name (anyone).
        from: String,
        /// Vault id.
        vault: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Buy auctioned collateral at the current price, paying credit.
    Bid {
        /// Signing key name (anyone holding credit).
        from: String,
        /// Vault id.
        vault: u64,
        /// At most this much collateral (base units).
        max_collateral: u128,
        /// Refuse above this price (decimal, quote units per collateral unit).
        #[arg(long, value_parser = price_arg)]
        max_price: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Take the income the vault's asset shares earned.
    ClaimIncome {
        /// Signing key name (the owner).
        from: String,
        /// Vault id.
        vault: u64,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Burn credit against recorded bad debt (the backstop).
    CoverBadDebt {
        /// Signing key name.
        from: String,
        /// Credit base units.
        amount: u128,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for CreditTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::AccreditAgency { from, opts, .. }
            | Self::RevokeAgency { from, opts, .. }
            | Self::Rate { from, opts, .. }
            | Self::RevokeRating { from, opts, .. }
            | Self::OpenVault { from, opts, .. }
            | Self::Deposit { from, opts, .. }
            | Self::Withdraw { from, opts, .. }
            | Self::Mint { from, opts, .. }
            | Self::Repay { from, opts, .. }
            | Self::Liquidate { from, opts, .. }
            | Self::Bid { from, opts, .. }
            | Self::ClaimIncome { from, opts, .. }
            | Self::CoverBadDebt { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::AccreditAgency { agency, .. } => {
                msgs::credit_accredit_agency(&c.resolve(&agency)?)
            }
            Self::RevokeAgency { agency, .. } => msgs::credit_revoke_agency(&c.resolve(&agency)?),
            Self::Rate {
                enterprise,
                grade,
                expiry_ms,
                report,
                trust,
                ..
            } => {
                let plaintext = std::fs::read(&report)
                    .with_context(|| format!("reading {}", report.display()))?;
                let Some(node) = c.node() else {
                    anyhow::bail!(
                        "rate needs a node: the report is sealed to the regulators' keys on chain (drop --offline)"
                    );
                };
                let recipients =
                    crate::cmd::records::recipients(node, &trust, &c.global().home, c.chain_id())?;
                let enterprise = c.resolve(&enterprise)?;
                let sealed = fructus_identity::records::seal(
                    fructus_credit::msg::REPORT_KIND,
                    &enterprise,
                    &plaintext,
                    &recipients,
                    &mut rand_core::OsRng,
                )
                .map_err(|e| anyhow::anyhow!("sealing the report: {e}"))?;
                let report = sealed.to_proto();
                msgs::credit_rate(&enterprise, grade, expiry_ms, report)
            }
            Self::RevokeRating { enterprise, .. } => {
                msgs::credit_revoke_rating(&c.resolve(&enterprise)?)
            }
            Self::OpenVault { denom, .. } => msgs::credit_open_vault(&denom),
            Self::Deposit { vault, amount, .. } => msgs::credit_deposit(vault, &amount),
            Self::Withdraw { vault, amount, .. } => msgs::credit_withdraw(vault, &amount),
            Self::Mint { vault, amount, .. } => msgs::credit_mint(vault, amount),
            Self::Repay { vault, amount, .. } => msgs::credit_repay(vault, amount),
            Self::Liquidate { vault, .. } => msgs::credit_liquidate(vault),
            Self::Bid {
                vault,
                max_collateral,
                max_price,
                ..
            } => msgs::credit_bid(vault, max_collateral, max_price),
            Self::ClaimIncome { vault, .. } => msgs::credit_claim_income(vault),
            Self::CoverBadDebt { amount, .. } => msgs::credit_cover_bad_debt(amount),
        }])
    }
}

/// `fructus query credit` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum CreditQueryCmd {
    /// Rate accumulator, debt totals, bad debt, surplus and supply.
    Books,
    /// Accredited rating agencies.
    Agencies,
    /// An enterprise's rating and the ratio it requires.
    Rating {
        /// The enterprise (address or key name).
        enterprise: String,
    },
    /// Vaults with their debt, price, value and whether they can be
    /// liquidated now.
    Vaults {
        /// Start after this vault id.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One vault.
    Vault {
        /// Vault id.
        id: u64,
    },
}

impl ModuleQuery for CreditQueryCmd {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            Self::Books => "/v1/credit/books".to_owned(),
            Self::Agencies => "/v1/credit/agencies".to_owned(),
            Self::Rating { enterprise } => format!(
                "/v1/credit/ratings/{}",
                crate::cmd::tx::resolve_account(global, &enterprise)?
            ),
            Self::Vaults { start_after, limit } => {
                let mut params = Vec::new();
                if let Some(s) = start_after {
                    params.push(format!("start_after={s}"));
                }
                if let Some(l) = limit {
                    params.push(format!("limit={l}"));
                }
                format!("/v1/credit/vaults?{}", params.join("&"))
            }
            Self::Vault { id } => format!("/v1/credit/vaults/{id}"),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn grades_and_prices_parse_as_typed() {
        assert_eq!(grade_arg("aaa").unwrap(), 1);
        assert_eq!(grade_arg("C").unwrap(), 8);
        assert!(grade_arg("D").is_err());
        assert_eq!(price_arg("0.5").unwrap(), 500_000_000_000_000_000);
    }
}
