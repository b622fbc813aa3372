//! `fructus tx gov …` and `fructus query gov …`: proposals of every kind,
//! deposits and votes; proposals, votes, live tallies, the community pool
//! and the upgrade plan.

use clap::{Args, Subcommand};
use fructus_client::tx::msgs;
use fructus_governance::{Content, VoteOption};
use fructus_proto::tx::v1 as pb;
use fructus_types::{BlockHeight, Coin};

use crate::{
    cli::GlobalOpts,
    cmd::{
        query::ModuleQuery,
        tx::{Ctx, ModuleTx, TxOpts},
    },
};

/// What every proposal states besides its content.
#[derive(Debug, Args)]
pub(crate) struct ProposalOpts {
    /// Title (1-140 bytes).
    #[arg(long)]
    title: String,
    /// Description (at most 10000 bytes).
    #[arg(long, default_value = "")]
    description: String,
    /// First deposit in ufrx, e.g. 10000000ufrx (voting opens once the
    /// deposit reaches the chain's minimum).
    #[arg(long, default_value = "0ufrx")]
    deposit: Coin,
    /// Short voting period and higher threshold (needs the expedited
    /// minimum deposit; falls back to a regular proposal if it misses).
    #[arg(long)]
    expedited: bool,
}

/// `fructus tx gov` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum GovTxCmd {
    /// Propose a text (no on-chain effect).
    ProposeText {
        /// Signing key name.
        from: String,
        #[command(flatten)]
        proposal: ProposalOpts,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Propose new params for a module, e.g. `amm '{"default_fee_bps":45}'`
    /// (every field stated: a field left out takes its default). Refused at
    /// once if the module would refuse the params.
    ProposeParams {
        /// Signing key name.
        from: String,
        /// The module (auth, staking, amm, governance, …).
        module: String,
        /// Its params as JSON.
        params_json: String,
        #[command(flatten)]
        proposal: ProposalOpts,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Propose a payment from the community pool.
    ProposeSpend {
        /// Signing key name.
        from: String,
        /// Recipient: fx1… address or key name.
        recipient: String,
        /// Amount, e.g. 1000000ufrx.
        amount: Coin,
        #[command(flatten)]
        proposal: ProposalOpts,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Propose adding and/or removing tier-1 regulators (regulatory: the
    /// regulators must also approve).
    ProposeRegulators {
        /// Signing key name.
        from: String,
        /// A regulator to add (repeatable): fx1… address or key name.
        #[arg(long)]
        add: Vec<String>,
        /// A regulator to remove (repeatable).
        #[arg(long)]
        remove: Vec<String>,
        #[command(flatten)]
        proposal: ProposalOpts,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Propose a software upgrade: every node stops before executing
    /// HEIGHT and refuses to go on with the current binary.
    ProposeUpgrade {
        /// Signing key name.
        from: String,
        /// The upgrade's name.
        name: String,
        /// The first height the current binary must not execute.
        height: BlockHeight,
        /// Where to get the new binary, notes.
        #[arg(long, default_value = "")]
        info: String,
        #[command(flatten)]
        proposal: ProposalOpts,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Add to a proposal's deposit (ufrx).
    Deposit {
        /// Signing key name.
        from: String,
        /// Proposal id.
        id: u64,
        /// Amount, e.g. 1000000ufrx.
        amount: Coin,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Vote on a proposal in its voting period (a second vote replaces the
    /// first).
    Vote {
        /// Signing key name.
        from: String,
        /// Proposal id.
        id: u64,
        /// yes, no, abstain or no_with_veto.
        option: VoteOption,
        #[command(flatten)]
        opts: TxOpts,
    },
}

fn submit(p: ProposalOpts, content: &Content) -> pb::Message {
    msgs::gov_submit_proposal(&p.title, &p.description, content, &p.deposit, p.expedited)
}

impl ModuleTx for GovTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::ProposeText { from, opts, .. }
            | Self::ProposeParams { from, opts, .. }
            | Self::ProposeSpend { from, opts, .. }
            | Self::ProposeRegulators { from, opts, .. }
            | Self::ProposeUpgrade { from, opts, .. }
            | Self::Deposit { from, opts, .. }
            | Self::Vote { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, ctx: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::ProposeText { proposal, .. } => submit(proposal, &Content::Text),
            Self::ProposeParams {
                module,
                params_json,
                proposal,
                ..
            } => submit(
                proposal,
                &Content::ParamChange {
                    module,
                    params_json,
                },
            ),
            Self::ProposeSpend {
                recipient,
                amount,
                proposal,
                ..
            } => submit(
                proposal,
                &Content::TreasurySpend {
                    recipient: ctx.resolve(&recipient)?,
                    amount,
                },
            ),
            Self::ProposeRegulators {
                add,
                remove,
                proposal,
                ..
            } => {
                let resolve = |names: &[String]| {
                    names
                        .iter()
                        .map(|n| ctx.resolve(n))
                        .collect::<anyhow::Result<Vec<_>>>()
                };
                submit(
                    proposal,
                    &Content::RegulatorChange {
                        add: resolve(&add)?,
                        remove: resolve(&remove)?,
                    },
                )
            }
            Self::ProposeUpgrade {
                name,
                height,
                info,
                proposal,
                ..
            } => submit(proposal, &Content::SoftwareUpgrade { name, height, info }),
            Self::Deposit { id, amount, .. } => msgs::gov_deposit(id, &amount),
            Self::Vote { id, option, .. } => msgs::gov_vote(id, option),
        }])
    }
}

/// `fructus query gov` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum GovQueryCmd {
    /// Governance params (deposits, periods, thresholds).
    Params,
    /// Proposals in id order.
    Proposals {
        /// Start after this id.
        #[arg(long)]
        start_after: Option<u64>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One proposal: status, dry run, tally, execution result and events.
    Proposal {
        /// Proposal id.
        id: u64,
    },
    /// A proposal's votes.
    Votes {
        /// Proposal id.
        id: u64,
    },
    /// A proposal's votes counted on the current state.
    Tally {
        /// Proposal id.
        id: u64,
    },
    /// The community pool's account and balances.
    CommunityPool,
    /// The planned upgrade halt, if any.
    UpgradePlan,
}

impl ModuleQuery for GovQueryCmd {
    fn path(self, _: &GlobalOpts) -> anyhow::Result<String> {
        Ok(match self {
            GovQueryCmd::Params => "/v1/gov/params".to_owned(),
            GovQueryCmd::Proposals { start_after, limit } => {
                let mut params = Vec::new();
                if let Some(s) = start_after {
                    params.push(format!("start_after={s}"));
                }
                if let Some(l) = limit {
                    params.push(format!("limit={l}"));
                }
                if params.is_empty() {
                    "/v1/gov/proposals".to_owned()
                } else {
                    format!("/v1/gov/proposals?{}", params.join("&"))
                }
            }
            GovQueryCmd::Proposal { id } => format!("/v1/gov/proposals/{id}"),
            GovQueryCmd::Votes { id } => format!("/v1/gov/proposals/{id}/votes"),
            GovQueryCmd::Tally { id } => format!("/v1/gov/proposals/{id}/tally"),
            GovQueryCmd::CommunityPool => "/v1/gov/community-pool".to_owned(),
            GovQueryCmd::UpgradePlan => "/v1/gov/upgrade-plan".to_owned(),
        })
    }
}
