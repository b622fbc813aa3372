//! Top-level command line: global options and the subcommand tree.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;

/// Fructus: a chain for tokenized equipment, pay-per-use and shared income.
#[derive(Debug, Parser)]
#[command(name = "fructus", bin_name = "fructus", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    /// Options every subcommand understands.
    #[command(flatten)]
    pub(crate) global: GlobalOpts,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options shared by all subcommands.
#[derive(Debug, Clone, Args)]
pub(crate) struct GlobalOpts {
    /// Home directory holding the keyring, config and data.
    #[arg(long, global = true, env = "FRUCTUS_HOME", default_value_os_t = default_home())]
    pub(crate) home: PathBuf,
    /// Where keys are stored: `file` (encrypted with a passphrase) or `test`
    /// (unencrypted; for devnets and scripts only).
    #[arg(long, global = true, env = "FRUCTUS_KEYRING_BACKEND", value_enum, default_value_t = KeyringBackendArg::File)]
    pub(crate) keyring_backend: KeyringBackendArg,
    /// Output format.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) output: OutputFormat,
}

/// Keyring storage backends selectable on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KeyringBackendArg {
    /// Keys encrypted at rest with a passphrase (argon2id + XChaCha20-Poly1305).
    File,
    /// Keys stored unencrypted: for local devnets and scripts only.
    Test,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Human-readable text.
    Text,
    /// One JSON document on stdout.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Manage keys in the keyring under --home.
    #[command(subcommand)]
    Keys(cmd::keys::KeysCmd),
    /// Build, sign and inspect transactions.
    #[command(subcommand)]
    Tx(Box<cmd::tx::TxCmd>),
    /// Create a node home: config, keys, and a genesis with this validator.
    Init(cmd::node::InitArgs),
    /// Create the homes of an N-validator local network on 127.0.0.1.
    Testnet(cmd::node::TestnetArgs),
    /// Run a validator or full node from --home.
    Node(cmd::node::NodeArgs),
    /// One command: a single-validator chain with funded demo accounts.
    Devnet(cmd::node::DevnetArgs),
    /// Read chain state from a node.
    #[command(subcommand)]
    Query(cmd::query::QueryCmd),
    /// Device tools: manufacturer attestations, a reading simulator.
    #[command(subcommand)]
    Device(cmd::metering::DeviceCmd),
    /// Measure throughput and latency (prints a table, optional JSON).
    #[command(subcommand)]
    Bench(cmd::bench::BenchCmd),
    /// Regulator-only records: decrypt with a regulator's key, verify a
    /// disclosed plaintext.
    #[command(subcommand)]
    Records(cmd::records::RecordsCmd),
    /// Inspect and check genesis files.
    #[command(subcommand)]
    Genesis(cmd::genesis::GenesisCmd),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions(cmd::docs::CompletionsArgs),
    /// Write man pages for every command, generated from this --help.
    Man(cmd::docs::ManArgs),
    /// Automated agents: a liquidation keeper for credit vaults.
    #[command(subcommand)]
    Keeper(cmd::keeper::KeeperCmd),
    /// State snapshots: export from a stopped node, restore into a new one
    /// (verified against a signed header).
    #[command(subcommand)]
    Snapshot(cmd::snapshot::SnapshotCmd),
}

fn default_home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
        .join(".fructus")
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn testnet_out_dir_does_not_clash_with_the_output_format() {
        use clap::Parser;
        let cli = super::Cli::try_parse_from([
            "fructus",
            "testnet",
            "--validators",
            "2",
            "--out-dir",
            "/tmp/x",
            "--output",
            "json",
        ])
        .unwrap();
        assert!(matches!(cli.command, super::Command::Testnet(_)));
        assert_eq!(cli.global.output, super::OutputFormat::Json);
        let cli =
            super::Cli::try_parse_from(["fructus", "keys", "list", "--output", "json"]).unwrap();
        assert_eq!(cli.global.output, super::OutputFormat::Json);
        assert!(
            super::Cli::try_parse_from(["fructus", "testnet", "--output", "/tmp/x"]).is_err(),
            "a directory is not an output format"
        );
    }
}
