//! `fructus query …`: read chain state from a node's API.

use clap::{Args, Subcommand};
use fructus_client::http::NodeClient;

use crate::cli::GlobalOpts;

/// Where the node's API is.
#[derive(Debug, Clone, Args)]
pub(crate) struct NodeOpt {
    /// The node's API URL.
    #[arg(
        long,
        global = true,
        env = "FRUCTUS_NODE",
        default_value = "http://127.0.0.1:1317"
    )]
    pub(crate) node: String,
}

impl NodeOpt {
    /// A client of that node.
    pub(crate) fn client(&self) -> anyhow::Result<NodeClient> {
        Ok(NodeClient::new(&self.node)?)
    }
}

/// A module's `fructus query <module> …` subcommand enum: each variant is
/// answered by one GET of the node's API, printed as JSON.
pub(crate) trait ModuleQuery {
    /// The API path (with query string, if any) that answers this query.
    fn path(self, global: &GlobalOpts) -> anyhow::Result<String>;
}

/// Runs a module query against `node` and prints the answer.
fn module_query(global: &GlobalOpts, what: impl ModuleQuery, node: &NodeOpt) -> anyhow::Result<()> {
    let path = what.path(global)?;
    show(global, &node.client()?.get_json(&path)?)
}

/// `fructus query` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum QueryCmd {
    /// Chain and node status.
    Status {
        #[command(flatten)]
        node: NodeOpt,
    },
    /// A block by height (default: the latest).
    Block {
        /// Height, or `latest`.
        #[arg(default_value = "latest")]
        height: String,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// A committed transaction by hash.
    Tx {
        /// The transaction hash (64 hex characters).
        hash: String,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// An account's nonce, key and balances.
    Account {
        /// fx1… address or a key name from the keyring.
        account: String,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Registered denoms and their supply (or one denom).
    Denom {
        /// A denom; omit to list all.
        denom: Option<String>,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Asset classes, assets, share holders and income.
    Asset {
        #[command(subcommand)]
        what: crate::cmd::asset::AssetQuery,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// An account's identity: tier, KYC attestations, freeze.
    Identity {
        #[command(subcommand)]
        what: crate::cmd::identity::IdentityQuery,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Validators, delegations, rewards, unbonding, parameters.
    Staking {
        #[command(subcommand)]
        what: crate::cmd::staking::StakingQuery,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Metering module, devices: one device, an asset's devices, oracles
    /// and oracle rounds.
    Device {
        #[command(subcommand)]
        what: crate::cmd::metering::DeviceQuery,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Metering module, pay-per-use contracts by id, asset or customer.
    Contract {
        #[command(subcommand)]
        what: crate::cmd::metering::ContractQuery,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// AMM pools, quotes and the TWAP.
    Amm {
        #[command(subcommand)]
        what: crate::cmd::amm::AmmQueryCmd,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Compute providers, capacity by window, orders and receipts.
    Compute {
        #[command(subcommand)]
        what: crate::cmd::compute::ComputeQueryCmd,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// The current validator set.
    Validators {
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Certificates: issuers, classes, batches, retirements, auto-issuance.
    Cert {
        #[command(subcommand)]
        what: crate::cmd::cert::CertQueryCmd,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Oracle feeders, pairs and prices.
    Oracle {
        #[command(subcommand)]
        what: crate::cmd::oracle::OracleQueryCmd,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Credit books, agencies, ratings and vaults.
    Credit {
        #[command(subcommand)]
        what: crate::cmd::credit::CreditQueryCmd,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Governance: proposals, votes, tallies, the community pool, the
    /// upgrade plan.
    Gov {
        #[command(subcommand)]
        what: crate::cmd::gov::GovQueryCmd,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// A module's current params, in the JSON form a param-change proposal
    /// takes (`fructus tx gov propose-params` needs every field).
    Params {
        /// The module: auth, staking, amm, certificate, compute, oracle,
        /// credit, governance or lending.
        module: String,
        #[command(flatten)]
        node: NodeOpt,
    },
    /// Lending markets with utilization and rates, positions and health,
    /// NFT loans.
    Lend {
        #[command(subcommand)]
        what: crate::cmd::lend::LendQueryCmd,
        #[command(flatten)]
        node: NodeOpt,
    },
}

/// Query results are JSON in both output formats (pretty-printed, every
/// field labelled), so scripts and people read the same thing.
fn show<T: serde::Serialize>(_global: &GlobalOpts, value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Runs a `query` subcommand.
pub(crate) fn run(cmd: QueryCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        QueryCmd::Status { node } => show(global, &node.client()?.status()?),
        QueryCmd::Block { height, node } => {
            let h = if height == "latest" {
                None
            } else {
                Some(
                    height
                        .parse::<u64>()
                        .map_err(|_| anyhow::anyhow!("height must be a number or `latest`"))?,
                )
            };
            show(global, &node.client()?.block(h)?)
        }
        QueryCmd::Tx { hash, node } => show(global, &node.client()?.tx(&hash)?),
        QueryCmd::Account { account, node } => {
            let address = crate::cmd::tx::resolve_account(global, &account)?;
            show(global, &node.client()?.account(&address)?)
        }
        QueryCmd::Denom {
            denom: Some(d),
            node,
        } => show(global, &node.client()?.denom(&d)?),
        QueryCmd::Denom { denom: None, node } => show(global, &node.client()?.denoms()?),
        QueryCmd::Asset { what, node } => module_query(global, what, &node),
        QueryCmd::Identity { what, node } => module_query(global, what, &node),
        QueryCmd::Staking { what, node } => module_query(global, what, &node),
        QueryCmd::Device { what, node } => module_query(global, what, &node),
        QueryCmd::Contract { what, node } => module_query(global, what, &node),
        QueryCmd::Amm { what, node } => module_query(global, what, &node),
        QueryCmd::Compute { what, node } => module_query(global, what, &node),
        QueryCmd::Gov { what, node } => module_query(global, what, &node),
        QueryCmd::Validators { node } => show(global, &node.client()?.validators()?),
        QueryCmd::Cert {
            what: crate::cmd::cert::CertQueryCmd::VerifyRetirement { id },
            node,
        } => crate::cmd::cert::verify_retirement(id, &node),
        QueryCmd::Cert { what, node } => module_query(global, what, &node),
        QueryCmd::Oracle { what, node } => module_query(global, what, &node),
        QueryCmd::Credit { what, node } => module_query(global, what, &node),
        QueryCmd::Params { module, node } => show(
            global,
            &node.client()?.get_json(&format!("/v1/params/{module}"))?,
        ),
        QueryCmd::Lend { what, node } => module_query(global, what, &node),
    }
}
