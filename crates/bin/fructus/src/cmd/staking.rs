//! `fructus tx staking …` (validators, delegation, rewards, unjail) and
//! `fructus query staking …`.

use anyhow::Context as _;
use clap::Subcommand;
use fructus_client::tx::msgs::{self, CommissionBps};
use fructus_crypto::{KeyAlgo, PublicKey};
use fructus_types::{Coin, Denom};

use fructus_proto::tx::v1 as pb;

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts, resolve_account},
    },
};

/// `fructus tx staking` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum StakingTxCmd {
    /// Create a validator operated by the signer (a regulator, or an
    /// enterprise with a valid KYC attestation) and bond its own stake.
    CreateValidator {
        /// Signing key name: the operator.
        from: String,
        /// The node's consensus key file (HOME/config/validator_key.json):
        /// its public key is registered and it signs the proof of
        /// possession.
        #[arg(
            long,
            value_name = "PATH",
            conflicts_with_all = ["consensus_key", "consensus_key_proof"],
            required_unless_present = "consensus_key"
        )]
        consensus_key_file: Option<std::path::PathBuf>,
        /// For a consensus key held elsewhere: its ed25519 public key, hex
        /// (`fructus init` prints it as `validator_public_key`), with
        /// --consensus-key-proof.
        #[arg(long, requires = "consensus_key_proof")]
        consensus_key: Option<String>,
        /// The consensus key's signature, hex, over
        /// "fructus/consensus/key-possession/v1" ‖ u8 len ‖ chain id ‖
        /// operator address ‖ consensus key.
        #[arg(long, requires = "consensus_key")]
        consensus_key_proof: Option<String>,
        /// Display name.
        #[arg(long)]
        moniker: String,
        /// Own bond, e.g. `1000000ufrx`.
        #[arg(long)]
        self_bond: Coin,
        /// The validator leaves the set while its own bond is below this.
        #[arg(long, default_value = "1ufrx")]
        min_self_bond: Coin,
        /// Commission, basis points.
        #[arg(long, default_value_t = 1_000)]
        commission_rate_bps: u32,
        /// Highest commission ever allowed, basis points.
        #[arg(long, default_value_t = 2_000)]
        commission_max_rate_bps: u32,
        /// Largest commission change per day, basis points.
        #[arg(long, default_value_t = 100)]
        commission_max_change_bps: u32,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Change the signer's validator's moniker and/or commission.
    EditValidator {
        /// Signing key name: the operator.
        from: String,
        /// New display name.
        #[arg(long)]
        moniker: Option<String>,
        /// New commission, basis points (once per day, within the limits).
        #[arg(long)]
        commission_rate_bps: Option<u32>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Bond ufrx to a validator.
    Delegate {
        /// Signing key name.
        from: String,
        /// The validator's operator: address or key name.
        validator: String,
        /// Amount, e.g. `500000ufrx`.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Move bonded ufrx from one validator to another at once.
    Redelegate {
        /// Signing key name.
        from: String,
        /// Source validator's operator.
        src_validator: String,
        /// Destination validator's operator.
        dst_validator: String,
        /// Amount, e.g. `500000ufrx`.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Unbond ufrx from a validator (returned after the unbonding period).
    Undelegate {
        /// Signing key name.
        from: String,
        /// The validator's operator.
        validator: String,
        /// Amount, e.g. `500000ufrx`.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Withdraw delegation rewards (and commission, for the operator).
    WithdrawRewards {
        /// Signing key name.
        from: String,
        /// The validator's operator.
        validator: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Bring the signer's jailed validator back after the jail period.
    Unjail {
        /// Signing key name: the operator.
        from: String,
        #[command(flatten)]
        opts: TxOpts,
    },
}

fn ufrx(coin: &Coin) -> anyhow::Result<u128> {
    anyhow::ensure!(
        coin.denom == Denom::native(),
        "staking uses ufrx, not {}",
        coin.denom
    );
    Ok(coin.amount.value())
}

impl ModuleTx for StakingTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::CreateValidator { from, opts, .. }
            | Self::EditValidator { from, opts, .. }
            | Self::Delegate { from, opts, .. }
            | Self::Redelegate { from, opts, .. }
            | Self::Undelegate { from, opts, .. }
            | Self::WithdrawRewards { from, opts, .. }
            | Self::Unjail { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::CreateValidator {
                consensus_key_file,
                consensus_key,
                consensus_key_proof,
                moniker,
                self_bond,
                min_self_bond,
                commission_rate_bps,
                commission_max_rate_bps,
                commission_max_change_bps,
                ..
            } => {
                let (key, proof) = match (consensus_key_file, consensus_key, consensus_key_proof) {
                    (Some(path), None, None) => {
                        let sk =
                            fructus_node::home::read_validator_key(&path).with_context(|| {
                                format!("reading the consensus key {}", path.display())
                            })?;
                        let proof = msgs::consensus_key_proof(&sk, c.chain_id(), &c.account);
                        (sk.public_key(), proof)
                    }
                    (None, Some(key), Some(proof)) => {
                        let bytes = hex::decode(key.trim())
                            .context("--consensus-key must be the hex of an ed25519 public key")?;
                        let key = PublicKey::from_bytes(KeyAlgo::Ed25519, &bytes)
                            .context("--consensus-key is not a usable ed25519 public key")?;
                        let proof = hex::decode(proof.trim())
                            .context("--consensus-key-proof must be hex")?;
                        (key, proof)
                    }
                    _ => anyhow::bail!(
                        "give --consensus-key-file PATH, or --consensus-key with --consensus-key-proof"
                    ),
                };
                let commission = CommissionBps {
                    rate: commission_rate_bps,
                    max_rate: commission_max_rate_bps,
                    max_change: commission_max_change_bps,
                };
                msgs::staking_create_validator(
                    &key,
                    &proof,
                    &moniker,
                    commission,
                    ufrx(&min_self_bond)?,
                    ufrx(&self_bond)?,
                )
            }
            Self::EditValidator {
                moniker,
                commission_rate_bps,
                ..
            } => msgs::staking_edit_validator(moniker.as_deref(), commission_rate_bps),
            Self::Delegate {
                validator, amount, ..
            } => msgs::staking_delegate(&c.resolve(&validator)?, ufrx(&amount)?),
            Self::Redelegate {
                src_validator,
                dst_validator,
                amount,
                ..
            } => msgs::staking_redelegate(
                &c.resolve(&src_validator)?,
                &c.resolve(&dst_validator)?,
                ufrx(&amount)?,
            ),
            Self::Undelegate {
                validator, amount, ..
            } => msgs::staking_undelegate(&c.resolve(&validator)?, ufrx(&amount)?),
            Self::WithdrawRewards { validator, .. } => {
                msgs::staking_withdraw_rewards(&c.resolve(&validator)?)
            }
            Self::Unjail { .. } => msgs::staking_unjail(),
        }])
    }
}

/// `fructus query staking` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum StakingQuery {
    /// Every validator: status, tokens, commission, power.
    Validators,
    /// One validator.
    Validator {
        /// The operator: address or key name.
        validator: String,
    },
    /// An account's delegations with their value and pending rewards.
    Delegations {
        /// Address or key name.
        delegator: String,
    },
    /// An account's pending rewards (and commission, for an operator).
    Rewards {
        /// Address or key name.
        account: String,
    },
    /// An account's unbonding entries.
    Unbonding {
        /// Address or key name.
        delegator: String,
    },
    /// The staking parameters.
    Params,
}

impl ModuleQuery for StakingQuery {
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String> {
        let who = |s: &str| resolve_account(global, s);
        Ok(match self {
            StakingQuery::Validators => "/v1/staking/validators".to_owned(),
            StakingQuery::Validator { validator } => {
                format!("/v1/staking/validators/{}", who(&validator)?)
            }
            StakingQuery::Delegations { delegator } => {
                format!("/v1/staking/delegations/{}", who(&delegator)?)
            }
            StakingQuery::Rewards { account } => format!("/v1/staking/rewards/{}", who(&account)?),
            StakingQuery::Unbonding { delegator } => {
                format!("/v1/staking/unbonding/{}", who(&delegator)?)
            }
            StakingQuery::Params => "/v1/staking/params".to_owned(),
        })
    }
}
