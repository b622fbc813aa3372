//! `fructus`: the one binary — the node, devnet and testnet, key
//! management, transaction building, signing and submission, queries,
//! device tools, regulator records and benchmarks.
//!
//! Owns: argument parsing, user-facing output (text or `--output json`) and
//! error messages that say what to do. Must never: hold chain logic (that is
//! the app and module crates) or print secrets unless the user asked for them
//! explicitly.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc (thread-local free lists) instead of the system allocator: a
/// block's parallel execution allocates and frees many small records and
/// events on every core. Built without its transparent-huge-page advice
/// (`no_thp`): a node frees and re-faults its block-sized buffers, and
/// zeroing a 2 MiB page per fault cost more than the allocator saved; see
/// docs/benchmarks.md ("The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Whether a panic message is the standard library's report of a write to
/// a closed stdout/stderr (`fructus query … | head` once `head` has left).
fn is_closed_pipe(message: &str) -> bool {
    message.starts_with("failed printing to std") && message.contains("Broken pipe")
}

/// Whether `err` comes from writing to a closed pipe.
fn is_closed_pipe_error(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A reader that closes the pipe early (`| head`) is not an error: the
/// output it did not read is simply dropped. Rust ignores SIGPIPE, so
/// `println!` panics on such a pipe; this hook ends the process quietly
/// with success instead, and leaves every other panic to the default hook.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if is_closed_pipe(message) {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_closed_pipe_error(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_closed_pipe_reports_count_as_a_closed_pipe() {
        assert!(is_closed_pipe(
            "failed printing to stdout: Broken pipe (os error 32)"
        ));
        assert!(!is_closed_pipe(
            "failed printing to stdout: No space left on device"
        ));
        assert!(!is_closed_pipe("index out of bounds"));
        let err = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the plaintext");
        assert!(is_closed_pipe_error(&err));
        assert!(!is_closed_pipe_error(&anyhow::anyhow!("no such key")));
    }
}
