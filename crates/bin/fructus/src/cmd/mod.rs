//! One module per subcommand group.

pub(crate) mod genesis;
pub(crate) mod keys;
pub(crate) mod tx;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Keys(cmd) => keys::run(cmd, &cli.global),
        Command::Tx(cmd) => tx::run(*cmd, &cli.global),
        Command::Genesis(cmd) => genesis::run(cmd, &cli.global),
    }
}
