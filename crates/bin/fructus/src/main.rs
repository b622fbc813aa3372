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

/// `fructus testnet --output DIR` names a directory, while everywhere else
/// `--output` is the global text|json switch; clap cannot have both, so for
/// `testnet` an `--output` whose value is not a format becomes `--output-dir`.
fn normalize_args(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if !args.iter().any(|a| a == "testnet") {
        return args;
    }
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.into_iter().peekable();
    while let Some(arg) = iter.next() {
        let is_format = |v: &std::ffi::OsString| v == "text" || v == "json";
        if arg == "--output" && iter.peek().is_some_and(|v| !is_format(v)) {
            out.push("--output-dir".into());
        } else if let Some(v) = arg.to_str().and_then(|a| a.strip_prefix("--output=")) {
            if v == "text" || v == "json" {
                out.push(arg);
            } else {
                out.push(format!("--output-dir={v}").into());
            }
        } else {
            out.push(arg);
        }
    }
    out
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse_from(normalize_args(std::env::args_os().collect()));
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
