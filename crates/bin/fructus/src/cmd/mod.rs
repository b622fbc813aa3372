//! The subcommands: one file per chain module (`bank`, `auth`, `identity`,
//! `asset`, `staking`, `metering`) holding that module's `tx` and `query`
//! subcommands, plus the chain-wide groups (`keys`, `node`, `query`,
//! `genesis`, `records`, `bench`, `simulate`, and `docs` for completions
//! and man pages).
//!
//! # Adding a module's commands
//!
//! 1. Write `cmd/<module>.rs` with a `#[derive(clap::Subcommand)]` enum of
//!    the module's transactions, `<Module>TxCmd`. Every variant's first
//!    positional field is `from: String` (the signing key's name) and its
//!    last field is `#[command(flatten)] opts: TxOpts`.
//! 2. Implement [`tx::ModuleTx`] for it: `signer` returns `(from, opts)`
//!    with one or-pattern arm over all variants; `messages` builds each
//!    variant's messages once, from the [`tx::Ctx`] (signer account, chain
//!    id, nonce, keyring keys, node, `resolve` for address-or-key-name
//!    arguments). Signing, fees, `--offline`, `--wait` and output are the
//!    dispatcher's job, never the module's.
//! 3. If the module has queries: a `<Module>Query` subcommand enum
//!    implementing [`query::ModuleQuery`] (`path` = the API path that
//!    answers it).
//! 4. Register it: a `pub(crate) mod <module>;` line here, a variant in
//!    [`tx::TxCmd`] with its arm in [`tx::run`]
//!    (`TxCmd::<Module>(cmd) => sign_and_emit(global, cmd)`), and, for
//!    queries, a variant in [`query::QueryCmd`] with its arm
//!    (`module_query(global, what, &node)`).

pub(crate) mod amm;
pub(crate) mod asset;
pub(crate) mod auth;
pub(crate) mod bank;
pub(crate) mod bench;
pub(crate) mod cert;
pub(crate) mod compute;
pub(crate) mod credit;
pub(crate) mod docs;
pub(crate) mod genesis;
pub(crate) mod gov;
pub(crate) mod identity;
pub(crate) mod keeper;
pub(crate) mod keys;
pub(crate) mod lend;
pub(crate) mod metering;
pub(crate) mod node;
pub(crate) mod oracle;
pub(crate) mod query;
pub(crate) mod records;
pub(crate) mod salt;
pub(crate) mod simulate;
pub(crate) mod snapshot;
pub(crate) mod staking;
pub(crate) mod trust;
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
        Command::Completions(args) => docs::run_completions(args),
        Command::Man(args) => docs::run_man(args, &cli.global),
        Command::Keeper(cmd) => keeper::run(cmd, &cli.global),
        Command::Snapshot(cmd) => snapshot::run(cmd, &cli.global),
    }
}
