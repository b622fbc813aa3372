//! `fructus genesis …`: check genesis files.

use std::path::PathBuf;

use clap::Subcommand;
use fructus_app::Genesis;

use crate::cli::{GlobalOpts, OutputFormat};

/// `fructus genesis` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum GenesisCmd {
    /// Parse and validate a genesis file; errors name the offending entry.
    Validate {
        /// The genesis JSON file.
        file: PathBuf,
    },
}

/// Runs a `genesis` subcommand.
pub(crate) fn run(cmd: GenesisCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        GenesisCmd::Validate { file } => {
            let genesis = Genesis::load(&file)?;
            let accounts = genesis.app_state.bank.balances.len();
            match global.output {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::json!({ "valid": true, "chain_id": genesis.chain_id, "genesis_time": genesis.genesis_time, "funded_accounts": accounts })
                ),
                OutputFormat::Text => println!(
                    "{}: valid genesis for chain {} ({} funded accounts)",
                    file.display(),
                    genesis.chain_id,
                    accounts
                ),
            }
            Ok(())
        }
    }
}
