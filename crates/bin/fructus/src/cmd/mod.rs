//! One module per subcommand group.

pub(crate) mod amm;
pub(crate) mod asset;
pub(crate) mod bench;
pub(crate) mod genesis;
pub(crate) mod identity;
pub(crate) mod keys;
pub(crate) mod metering;
pub(crate) mod node;
pub(crate) mod query;
pub(crate) mod records;
pub(crate) mod simulate;
pub(crate) mod staking;
pub(crate) mod tx;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Keys(cmd) => keys::run(cmd, &cli.global),
        Command::Tx(cmd) => tx::run(*cmd, &cli.global),
        Command::Genesis(cmd) => genesis::run(cmd, &cli.global),
        Command::Init(args) => node::run_init(args, &cli.global),
        Command::Testnet(args) => node::run_testnet(args, &cli.global),
        Command::Node(args) => node::run_node(args, &cli.global),
        Command::Devnet(args) => node::run_devnet(args, &cli.global),
        Command::Query(cmd) => query::run(cmd, &cli.global),
        Command::Device(cmd) => metering::run_device(cmd, &cli.global),
        Command::Bench(cmd) => bench::run(cmd, &cli.global),
        Command::Records(cmd) => records::run(cmd, &cli.global),
    }
}
