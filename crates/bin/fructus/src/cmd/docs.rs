//! `fructus completions SHELL` and `fructus man`: shell completions and man
//! pages generated from the command-line definition itself, so they list
//! exactly the commands and flags this binary accepts.

use std::{
    fs,
    io::{self, Write as _},
    path::{Path, PathBuf},
};

use anyhow::Context as _;
use clap::{Args, CommandFactory as _};
use clap_complete::Shell;

use crate::cli::{Cli, GlobalOpts, OutputFormat};

/// `fructus completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell. Install for bash
    /// with `fructus completions bash > ~/.local/share/bash-completion/completions/fructus`,
    /// for zsh into a directory on `$fpath` as `_fructus`, for fish into
    /// `~/.config/fish/completions/fructus.fish`.
    shell: Shell,
}

/// `fructus man`.
#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write one page per command (`fructus.1`, `fructus-tx.1`,
    /// `fructus-tx-bank-send.1`, …) into this directory, created if absent;
    /// read them with `man -l DIR/fructus.1` or add DIR's parent to
    /// `MANPATH`. Without it, the top page goes to stdout.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

/// Prints completions for `args.shell` on stdout.
pub(crate) fn run_completions(args: CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "fructus", &mut script);
    write_stdout(&script)
}

/// Writes `bytes` to stdout; a reader that went away (`| head`) is not an
/// error.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes the man pages.
pub(crate) fn run_man(args: ManArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    // Building resolves every subcommand's display name (`fructus-tx-bank-send`).
    let mut cmd = Cli::command();
    cmd.build();
    let Some(dir) = args.out_dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut page)?;
        return write_stdout(&page);
    };
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Vec::new();
    write_pages(cmd, &dir, &mut written)?;
    match global.output {
        OutputFormat::Json => println!("{}", serde_json::json!({ "pages": written })),
        OutputFormat::Text => println!("{} man pages written to {}", written.len(), dir.display()),
    }
    Ok(())
}

/// Writes the page of `cmd` and, recursively, of each of its subcommands.
fn write_pages(cmd: clap::Command, dir: &Path, written: &mut Vec<String>) -> anyhow::Result<()> {
    let name = format!("{}.1", cmd.get_display_name().unwrap_or(cmd.get_name()));
    let path = dir.join(&name);
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    fs::write(&path, buf).with_context(|| format!("writing {}", path.display()))?;
    written.push(name);
    // `help` subcommands only repeat the pages of their siblings.
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        write_pages(sub.clone(), dir, written)?;
    }
    Ok(())
}
