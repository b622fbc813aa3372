//! `fructus bench …`: throughput and latency measurements that anyone can
//! run the same way on any machine (SPEC.md §6, issue 7).
//!
//! Every workload first measures the signature-verification ceiling of this
//! machine ([`ceiling`]) and then reports each figure also as a ratio to it,
//! so results stay comparable on a noisy or different machine. Workloads:
//!
//! - `ceiling`: ed25519 batch verification and P-256 verification on all
//!   cores, of reading-sized (100-byte) signed messages.
//! - `app`: pre-signed transfers executed through the real app on real
//!   storage in realistic blocks, commit included ([`app`]).
//! - `node` / `network`: a 1- or V-validator network of separate `fructus
//!   node` processes on 127.0.0.1 loaded over the public API ([`load`]).
//!
//! Figures are printed, never asserted: tests only check that the harness
//! runs and that its JSON has the expected shape.
//!
//! Must never: bind anything but 127.0.0.1, wait without a bound, or leave
//! a node process behind (processes are owned by a guard that kills them on
//! drop).

// Statistics and bookkeeping (rates, percentiles, counters, byte sizes) are
// plain arithmetic on measured values far from any overflow; checking every
// operation would bury the measurements in noise.
#![allow(clippy::arithmetic_side_effects)]

mod app;
mod ceiling;
mod load;
mod readings;
mod report;

use std::{path::PathBuf, time::Instant};

use clap::{Args, Subcommand};

use crate::cli::{GlobalOpts, OutputFormat};

pub(crate) use report::{Report, Row};

/// `fructus bench` workloads.
#[derive(Debug, Subcommand)]
pub(crate) enum BenchCmd {
    /// Signature-verification ceiling: ed25519 (batch) and P-256, all cores.
    Ceiling(CommonArgs),
    /// Pre-signed transactions through the real app on real storage, in
    /// blocks, commit included.
    App(AppArgs),
    /// A single-validator node (separate process) loaded over the public API.
    Node(LoadArgs),
    /// A V-validator local network (separate processes) loaded round-robin.
    Network(NetworkArgs),
}

/// Options every workload takes.
#[derive(Debug, Clone, Args)]
pub(crate) struct CommonArgs {
    /// Number of signatures / transactions (default per workload: ceiling
    /// 20000, app 50000, node and network 2000).
    #[arg(long)]
    pub(crate) count: Option<usize>,
    /// Number of distinct signing keys (devices or senders).
    #[arg(long, default_value_t = 100)]
    pub(crate) devices: usize,
    /// Also write the figures as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
}

/// What the `app` workload executes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AppLoad {
    /// `bank/send` transfers between the devices' accounts.
    Transfers,
    /// Meter readings from registered, attested devices under prepaid
    /// contracts: billed, split and credited to shareholders (see
    /// `readings.rs`).
    Readings,
    /// AMM swaps (`amm/swap_exact_in`, alternating directions) against one
    /// pool, every swap touching the same reserves (`bench app` only).
    Swaps,
}

/// The devices' (signers') key algorithm of `app` and `node` workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DeviceAlgo {
    /// Ed25519 keys; figures are ratios to the ed25519 (batch) ceiling.
    Ed25519,
    /// ECDSA P-256 keys (secure elements, TPMs); figures are ratios to the
    /// P-256 ceiling of the same run.
    P256,
}

impl DeviceAlgo {
    /// The chain's key algorithm.
    pub(crate) fn key_algo(self) -> fructus_crypto::KeyAlgo {
        match self {
            DeviceAlgo::Ed25519 => fructus_crypto::KeyAlgo::Ed25519,
            DeviceAlgo::P256 => fructus_crypto::KeyAlgo::P256,
        }
    }
}

/// `fructus bench app`.
#[derive(Debug, Clone, Args)]
pub(crate) struct AppArgs {
    /// Shared options.
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Transactions per block.
    #[arg(long, default_value_t = 2000)]
    pub(crate) block_size: usize,
    /// What the transactions do.
    #[arg(long, value_enum, default_value_t = AppLoad::Transfers)]
    pub(crate) load: AppLoad,
    /// State versions kept: `archive` (every one) or a number N (the
    /// latest N, as a node's `[pruning] keep_versions`).
    #[arg(long, value_name = "archive|N", default_value = "archive", value_parser = state_pruning)]
    pub(crate) pruning: fructus_storage::Pruning,
    /// Sync the state to disk every N blocks, as a node's `[storage]
    /// sync_every_blocks` (1: every block, the node's default).
    #[arg(long, value_name = "N", default_value_t = fructus_node::config::StorageSection::default().sync_every_blocks,
          value_parser = clap::value_parser!(u64).range(1..=fructus_node::config::MAX_SYNC_EVERY_BLOCKS))]
    pub(crate) sync_every: u64,
    /// Make those syncs on a background thread while the next block
    /// executes (`true`, the node's default `[storage] sync_in_background`)
    /// or before each commit returns (`false`).
    #[arg(long, value_name = "BOOL", default_value_t = fructus_node::config::StorageSection::default().sync_in_background,
          action = clap::ArgAction::Set)]
    pub(crate) sync_in_background: bool,
    /// The devices' key algorithm (and so which ceiling the ratios use).
    #[arg(long, value_enum, default_value_t = DeviceAlgo::Ed25519)]
    pub(crate) algo: DeviceAlgo,
    /// Check block i + 1's transactions (decoding, stateless checks,
    /// signatures) while block i executes and commits, as a node admits
    /// the next block's transactions into its mempool meanwhile (`true`),
    /// or each block's just before it executes, one phase at a time
    /// (`false`: the phases' times then add up to the run's).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub(crate) pipeline: bool,
    /// How blocks execute: `parallel` (a node's default: transactions whose
    /// state is disjoint on all cores) or `sequential` (the reference, in
    /// block order). Both give the same state and app hash.
    #[arg(long, value_enum, default_value_t = BenchExecution::Parallel)]
    pub(crate) execution: BenchExecution,
}

/// `--execution` of `bench app`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BenchExecution {
    /// Disjoint transactions on all cores.
    Parallel,
    /// One after another, in block order.
    Sequential,
}

impl BenchExecution {
    /// The app's setting.
    pub(crate) fn app(self) -> fructus_app::Execution {
        match self {
            BenchExecution::Parallel => fructus_app::Execution::Parallel,
            BenchExecution::Sequential => fructus_app::Execution::Sequential,
        }
    }

    /// Its name in the report.
    pub(crate) fn label(self) -> &'static str {
        match self {
            BenchExecution::Parallel => "parallel",
            BenchExecution::Sequential => "sequential",
        }
    }
}

fn state_pruning(s: &str) -> Result<fructus_storage::Pruning, String> {
    match s {
        "archive" => Ok(fructus_storage::Pruning::Archive),
        n => match n.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(fructus_storage::Pruning::KeepRecent(n)),
            _ => Err(format!(
                "{s:?}: write `archive` or a number of versions (at least 1)"
            )),
        },
    }
}

/// `fructus bench node`.
#[derive(Debug, Clone, Args)]
pub(crate) struct LoadArgs {
    /// Shared options.
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// What is submitted: transfers, or meter readings of registered
    /// devices under contract (set up first, not timed).
    #[arg(long, value_enum, default_value_t = AppLoad::Transfers)]
    pub(crate) load: AppLoad,
    /// Most HTTP submissions in flight at once (one thread each).
    #[arg(long, default_value_t = 8)]
    pub(crate) concurrency: usize,
    /// Transactions per HTTP request: above 1, each submitter sends up to
    /// this many at once with `POST /v1/txs/batch` (checked in parallel on
    /// the node); 1 sends them one by one with `POST /v1/txs`.
    #[arg(long, default_value_t = 1, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=2000))]
    pub(crate) batch: usize,
    /// Offered load in transactions per second (0 = as fast as the
    /// concurrency allows).
    #[arg(long, default_value_t = 0.0)]
    pub(crate) rate: f64,
    /// Longest wait, in seconds, for the last transactions to commit after
    /// the last submission.
    #[arg(long, default_value_t = 60)]
    pub(crate) drain_timeout_secs: u64,
    /// The devices' key algorithm (and so which ceiling the ratios use).
    #[arg(long, value_enum, default_value_t = DeviceAlgo::Ed25519)]
    pub(crate) algo: DeviceAlgo,
}

/// `fructus bench network`.
#[derive(Debug, Clone, Args)]
pub(crate) struct NetworkArgs {
    /// Load options.
    #[command(flatten)]
    pub(crate) load: LoadArgs,
    /// Number of validators.
    #[arg(long, default_value_t = 4)]
    pub(crate) validators: usize,
}

/// Default count of each workload.
const CEILING_COUNT: usize = 20_000;
const APP_COUNT: usize = 50_000;
const LOAD_COUNT: usize = 2_000;
/// Most signatures the ceiling of a non-`ceiling` workload is measured on.
const CEILING_SAMPLE_MAX: usize = 20_000;

/// Runs a workload.
pub(crate) fn run(cmd: BenchCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    let started = Instant::now();
    let (report, json) = match cmd {
        BenchCmd::Ceiling(c) => {
            let count = positive(c.count.unwrap_or(CEILING_COUNT), "--count")?;
            let devices = positive(c.devices, "--devices")?;
            let mut report = Report::new("ceiling", count, devices);
            report.with_ceiling(ceiling::measure(count, devices, true)?);
            (report, c.json)
        }
        BenchCmd::App(a) => {
            let c = &a.common;
            let count = positive(c.count.unwrap_or(APP_COUNT), "--count")?;
            let devices = positive(c.devices, "--devices")?;
            positive(a.block_size, "--block-size")?;
            let mut report = Report::new("app", count, devices);
            report.against = a.algo.key_algo();
            report.with_ceiling(ceiling::measure(
                count.min(CEILING_SAMPLE_MAX),
                devices,
                false,
            )?);
            app::run(&a, count, devices, &mut report)?;
            (report, a.common.json)
        }
        BenchCmd::Node(l) => {
            let report = run_load("node", &l, 1)?;
            (report, l.common.json)
        }
        BenchCmd::Network(n) => {
            let validators = positive(n.validators, "--validators")?;
            let report = run_load("network", &n.load, validators)?;
            (report, n.load.common.json)
        }
    };
    let mut report = report;
    report.total_secs = started.elapsed().as_secs_f64();
    let doc = report.to_json();
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&doc)?;
        std::fs::write(&path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    match global.output {
        OutputFormat::Text => print!("{}", report.table()),
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&doc)?),
    }
    Ok(())
}

fn run_load(name: &'static str, l: &LoadArgs, validators: usize) -> anyhow::Result<Report> {
    let c = &l.common;
    let count = positive(c.count.unwrap_or(LOAD_COUNT), "--count")?;
    let devices = positive(c.devices, "--devices")?;
    positive(l.concurrency, "--concurrency")?;
    if !l.rate.is_finite() || l.rate < 0.0 {
        anyhow::bail!("--rate must be a non-negative number of transactions per second");
    }
    let mut report = Report::new(name, count, devices);
    report.validators = Some(validators);
    report.against = l.algo.key_algo();
    report.with_ceiling(ceiling::measure(
        count.min(CEILING_SAMPLE_MAX),
        devices,
        false,
    )?);
    load::run(name, l, count, devices, validators, &mut report)?;
    Ok(report)
}

fn positive(v: usize, flag: &str) -> anyhow::Result<usize> {
    if v == 0 {
        anyhow::bail!("{flag} must be at least 1");
    }
    Ok(v)
}

/// Prints a progress line on stderr with the time since `since`.
pub(crate) fn progress(since: Instant, what: &str) {
    eprintln!("[{:>7.2}s] {what}", since.elapsed().as_secs_f64());
}

/// Peak resident set size of this process in bytes (`VmHWM`), if known.
pub(crate) fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

/// Total size in bytes of the regular files under `dir`.
pub(crate) fn dir_size(dir: &std::path::Path) -> std::io::Result<u64> {
    let mut total = 0u64;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            total = total.saturating_add(dir_size(&entry.path())?);
        } else {
            total = total.saturating_add(meta.len());
        }
    }
    Ok(total)
}

/// The nearest-rank `q` quantile (0..=1) of sorted values.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    let idx = rank.clamp(1, sorted.len()) - 1;
    sorted.get(idx).copied()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::quantile;

    #[test]
    fn quantiles_use_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), Some(50.0));
        assert_eq!(quantile(&v, 0.99), Some(99.0));
        assert_eq!(quantile(&v, 1.0), Some(100.0));
        assert_eq!(quantile(&[7.0], 0.99), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
