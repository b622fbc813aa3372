//! `fructus`: the one binary — key management, offline transaction building
//! and signing, and (later) the node, devnet and testnet.
//!
//! Owns: argument parsing, user-facing output (text or `--output json`) and
//! error messages that say what to do. Must never: hold chain logic (that is
//! the app and module crates) or print secrets unless the user asked for them
//! explicitly.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
