//! `fructus bench app`: pre-signed transactions executed through the real
//! app ([`fructus_app::App`]) on real storage (a temporary directory), in
//! blocks of a realistic size, commit included — no network, no mempool.
//!
//! Timed, for every block: the stateless checks and batch signature
//! verification of its transactions (what a node does at mempool
//! admission), then begin block → deliver (signatures already verified are
//! remembered, see `fructus_app::pipeline::verified`) → end block →
//! commit, synced to disk as a node syncs its state. By default the next
//! block's checks run beside the block executing, as a node admits the
//! next block's transactions meanwhile (`--pipeline`). Not timed: key
//! generation, genesis and pre-signing. The report splits the time between
//! signature checks, execution and commit.

use std::time::Instant;

use fructus_app::{App, AppState, BlockInfo, Genesis, pipeline::stateless};
use fructus_auth::AuthParams;
use fructus_bank::{BankGenesis, GenesisBalance};
use fructus_client::tx::{TxBuilder, msgs};
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_storage::Storage;
use fructus_types::{BlockTime, Coin, Coins, Denom};
use rayon::prelude::*;
use serde_json::json;

use super::{AppArgs, AppLoad, Report, ceiling::device_key, progress, report::rate};

/// Chain id of the benchmark chain.
pub(crate) const CHAIN_ID: &str = "fructus-bench";
/// Genesis time (2026-01-01T00:00:00Z) in ms.
pub(crate) const GENESIS_MS: u64 = 1_767_225_600_000;
/// Each device account's starting balance.
const DEVICE_UFRX: u128 = 1_000_000_000_000_000;

/// `count` transfers of 1 ufrx: transaction `i` is sent by device
/// `i % D` with nonce `first_nonce + i / D` to the next device.
pub(crate) fn transfers(
    keys: &[SigningKey],
    addresses: &[Address],
    count: usize,
    first_nonce: u64,
) -> anyhow::Result<Vec<Vec<u8>>> {
    let devices = keys.len();
    if devices == 0 || addresses.len() != devices {
        anyhow::bail!("no device keys");
    }
    let one = Coins::new(vec![Coin::new(Denom::native(), 1u128)])?;
    Ok((0..count)
        .into_par_iter()
        .filter_map(|i| {
            let d = i % devices;
            let to = addresses.get((d + 1) % devices)?;
            let key = keys.get(d)?;
            let nonce = first_nonce + (i / devices) as u64;
            Some(
                TxBuilder::new(CHAIN_ID)
                    .nonce(nonce)
                    .message(msgs::send(to, &one))
                    .sign(key),
            )
        })
        .collect())
}

/// The benchmark genesis: every device account funded, no validators.
fn genesis(addresses: &[Address]) -> anyhow::Result<Genesis> {
    let balances = addresses
        .iter()
        .map(|a| {
            Ok(GenesisBalance {
                address: *a,
                coins: Coins::new(vec![Coin::new(Denom::native(), DEVICE_UFRX)])?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Genesis {
        chain_id: CHAIN_ID.into(),
        genesis_time: "2026-01-01T00:00:00Z".into(),
        // Only bank is set: the other modules' sections keep their defaults.
        app_state: AppState {
            bank: BankGenesis {
                denoms: Vec::new(),
                balances,
            },
            ..AppState::default()
        },
    })
}

/// Reserves of each side of the swaps workload's pool.
const POOL_RESERVE: u128 = 1_000_000_000_000_000_000;
/// What each device account holds of each pool denom.
const DEVICE_POOL_DENOM: u128 = 1_000_000_000_000;

fn bench_denom(name: &str) -> anyhow::Result<Denom> {
    Ok(name.parse()?)
}

/// `count` exact-in swaps of 1000 units through pool 1: transaction `i`
/// is signed by device `i % D` with nonce `i / D`, selling `ua` for `ub`
/// and back in turn (no minimum output: the workload measures execution).
fn swaps(keys: &[SigningKey], count: usize) -> anyhow::Result<Vec<Vec<u8>>> {
    let devices = keys.len();
    if devices == 0 {
        anyhow::bail!("no device keys");
    }
    let (ua, ub) = (bench_denom("ua")?, bench_denom("ub")?);
    Ok((0..count)
        .into_par_iter()
        .filter_map(|i| {
            let key = keys.get(i % devices)?;
            let nonce = (i / devices) as u64;
            let (sell, buy) = if (i / devices).is_multiple_of(2) {
                (&ua, &ub)
            } else {
                (&ub, &ua)
            };
            Some(
                TxBuilder::new(CHAIN_ID)
                    .nonce(nonce)
                    .message(msgs::amm_swap_exact_in(
                        &Coin::new(sell.clone(), 1_000u128),
                        &[1],
                        &Coin::new(buy.clone(), 0u128),
                        0,
                    ))
                    .sign(key),
            )
        })
        .collect())
}

/// The swaps genesis: `ua` and `ub` registered, every device account and
/// the pool maker funded with both and with fees.
fn swaps_genesis(addresses: &[Address], maker: &Address) -> anyhow::Result<Genesis> {
    let mut genesis = genesis(addresses)?;
    let (ua, ub) = (bench_denom("ua")?, bench_denom("ub")?);
    for d in [&ua, &ub] {
        genesis
            .app_state
            .bank
            .denoms
            .push(fructus_bank::DenomMetadata {
                denom: d.clone(),
                issuer: None,
                symbol: d.as_str().to_uppercase(),
                decimals: 6,
                kyc_only: false,
            });
    }
    for b in &mut genesis.app_state.bank.balances {
        b.coins = Coins::new(vec![
            Coin::new(Denom::native(), DEVICE_UFRX),
            Coin::new(ua.clone(), DEVICE_POOL_DENOM),
            Coin::new(ub.clone(), DEVICE_POOL_DENOM),
        ])?;
    }
    genesis.app_state.bank.balances.push(GenesisBalance {
        address: *maker,
        coins: Coins::new(vec![
            Coin::new(Denom::native(), DEVICE_UFRX),
            Coin::new(ua, POOL_RESERVE),
            Coin::new(ub, POOL_RESERVE),
        ])?,
    });
    Ok(genesis)
}

/// Runs the workload and adds its rows to `report`.
pub(crate) fn run(
    args: &AppArgs,
    count: usize,
    devices: usize,
    report: &mut Report,
) -> anyhow::Result<()> {
    let start = Instant::now();
    let label = match args.load {
        AppLoad::Transfers => "transfers",
        AppLoad::Readings => "readings",
        AppLoad::Swaps => "swaps",
    };
    progress(start, &format!("app: {devices} device keys and genesis"));
    let keys: Vec<SigningKey> = (0..devices)
        .into_par_iter()
        .map(|i| device_key(args.algo.key_algo(), i))
        .collect::<anyhow::Result<_>>()?;
    let addresses: Vec<Address> = keys.iter().map(|k| k.public_key().address()).collect();
    let dir = tempfile::tempdir()?;
    let storage = Storage::open(dir.path())?;
    storage.set_pruning(args.pruning);
    // Synced to disk as a node's `[storage] sync_every_blocks` says (the
    // node's block store, synced every block, is not part of this bench).
    storage.set_sync_every(args.sync_every);
    storage.set_sync_in_background(args.sync_in_background);
    let mut app = App::new(storage.clone())?;
    // The pre-signed transactions, in execution order, and the height of
    // the first timed block.
    let (txs, first_height) = match args.load {
        AppLoad::Transfers => {
            app.init_genesis(&genesis(&addresses)?)?;
            progress(
                start,
                &format!("app: pre-signing {count} {label} (not timed)"),
            );
            (transfers(&keys, &addresses, count, 0)?, 1)
        }
        AppLoad::Readings => {
            let roles = super::readings::Roles::generated()?;
            app.init_genesis(&super::readings::genesis(&roles)?)?;
            progress(
                start,
                &format!(
                    "app: set-up blocks: class, {devices} assets, devices, contracts (not timed)"
                ),
            );
            let per_device = count.div_ceil(devices) as u64;
            // Four set-up blocks (heights 1-4), then the timed ones.
            super::readings::setup(
                &mut super::readings::app_rounds(&mut app),
                &roles,
                &keys,
                per_device,
            )?;
            progress(
                start,
                &format!("app: pre-signing {count} {label} (not timed)"),
            );
            let (first, block_size) = (5u64, args.block_size);
            let time = |i: usize| GENESIS_MS + (first + (i / block_size) as u64) * 1_000;
            (
                super::readings::readings(&roles, &keys, count, time)?,
                first,
            )
        }
        AppLoad::Swaps => {
            let maker = device_key(KeyAlgo::Ed25519, devices)?;
            app.init_genesis(&swaps_genesis(&addresses, &maker.public_key().address())?)?;
            progress(start, "app: set-up block: the ua/ub pool (not timed)");
            let create = TxBuilder::new(CHAIN_ID)
                .message(msgs::amm_create_pool(
                    &Coin::new(bench_denom("ua")?, POOL_RESERVE),
                    &Coin::new(bench_denom("ub")?, POOL_RESERVE),
                    0,
                ))
                .sign(&maker);
            let outcome =
                app.execute_block(BlockInfo::new(1, BlockTime(GENESIS_MS + 1_000)), &[create])?;
            if let Some(r) = outcome.results.iter().find(|r| !r.is_ok()) {
                anyhow::bail!(
                    "creating the pool failed: {}#{} {}",
                    r.codespace,
                    r.code,
                    r.log
                );
            }
            progress(
                start,
                &format!("app: pre-signing {count} {label} (not timed)"),
            );
            (swaps(&keys, count)?, 2)
        }
    };
    let tx_bytes: usize = txs.iter().map(Vec::len).sum();
    let blocks: Vec<&[Vec<u8>]> = txs.chunks(args.block_size).collect();

    let params = AuthParams::default();
    app.set_execution(args.execution.app());
    let stats_before = app.parallel_stats();
    let size_before = super::dir_size(dir.path())?;
    let allocated_before = storage.stats()?.allocated_bytes;
    progress(
        start,
        &format!(
            "app: executing {} block(s) of up to {}",
            blocks.len(),
            args.block_size
        ),
    );
    let (mut check_secs, mut deliver_secs, mut commit_secs, mut other_secs) =
        (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut ok, mut failed) = (0usize, 0usize);
    let mut first_failure: Option<String> = None;
    let mut last_progress = Instant::now();
    let run_start = Instant::now();
    // The stateless share (decoding, checks, batch signature verification)
    // of a block, timed on its own. A node admits a block's transactions
    // into its mempool shortly before the block that carries them, while
    // it still executes and commits the block before (`--pipeline true`,
    // the default): the checks of block i + 1 then run beside block i.
    // Checking every block up front instead would make a long run verify
    // its first blocks twice (the memory of verified signatures is
    // bounded).
    let check = |block: &[Vec<u8>]| -> anyhow::Result<f64> {
        let checking = Instant::now();
        let checked = stateless::check_batch(block, CHAIN_ID, &params);
        let bad = checked.iter().filter(|c| c.is_err()).count();
        if bad > 0 {
            anyhow::bail!("{bad} pre-signed transactions fail the stateless checks");
        }
        drop(checked);
        Ok(checking.elapsed().as_secs_f64())
    };
    if args.pipeline
        && let Some(first) = blocks.first()
    {
        check_secs += check(first)?;
    }
    for (i, block) in blocks.iter().enumerate() {
        let height = first_height + i as u64;
        let info = BlockInfo::new(height, BlockTime(GENESIS_MS + height * 1_000));
        if !args.pipeline {
            check_secs += check(block)?;
        }
        let next = blocks.get(i + 1).filter(|_| args.pipeline);
        let (next_checked, executed) = rayon::join(
            || next.map(|b| check(b)).transpose(),
            || execute(&mut app, info, block),
        );
        check_secs += next_checked?.unwrap_or(0.0);
        let (results, times) = executed?;
        deliver_secs += times.deliver;
        commit_secs += times.commit;
        other_secs += times.begin_end;
        for r in &results {
            if r.is_ok() {
                ok += 1;
            } else {
                failed += 1;
                if first_failure.is_none() {
                    first_failure = Some(format!("{}#{} {}", r.codespace, r.code, r.log));
                }
            }
        }
        if last_progress.elapsed().as_secs_f64() >= 1.0 {
            last_progress = Instant::now();
            progress(
                start,
                &format!("app: block {}/{} ({ok} ok)", i + 1, blocks.len()),
            );
        }
    }
    // The last block's state on disk too (a background sync of it may
    // still run): the run ends when everything it wrote is durable.
    let syncing = Instant::now();
    storage.sync()?;
    commit_secs += syncing.elapsed().as_secs_f64();
    let total_secs = run_start.elapsed().as_secs_f64();
    let app_hash = app.app_hash()?;
    // The timed blocks' passes (the set-up blocks' are subtracted).
    let parallel = app.parallel_stats().since(stats_before);
    let size_after = super::dir_size(dir.path())?;
    let written = size_after.saturating_sub(size_before);
    let per_tx = if count > 0 {
        written as f64 / count as f64
    } else {
        0.0
    };
    let rss = super::peak_rss_bytes();
    let stats = storage.stats()?;
    let pruning = match args.pruning {
        fructus_storage::Pruning::Archive => "archive".to_owned(),
        fructus_storage::Pruning::KeepRecent(n) => format!("keep {n}"),
    };
    let live_per_device = stats.live_bytes as f64 / devices.max(1) as f64;
    let allocated = stats.allocated_bytes.saturating_sub(allocated_before);
    let allocated_per_tx = if count > 0 {
        allocated as f64 / count as f64
    } else {
        0.0
    };
    progress(start, &format!("app: done, {ok} ok, {failed} failed"));
    if let Some(f) = &first_failure {
        anyhow::bail!("{failed} of {count} {label} failed; first: {f}");
    }

    // Every signature is verified exactly once, as on a node (at mempool
    // admission; `pipeline::verified` remembers it for block execution): the
    // stateless pass above verified them, so deliver_txs does not again.
    // The headline therefore counts both passes.
    let execute_secs = deliver_secs;
    report.add_rate(
        &format!("app {label}"),
        ok,
        total_secs,
        format!(
            "{} blocks of {}, signatures (once) + execution + commit; {:.0} B state written/tx; peak RSS {}",
            blocks.len(),
            args.block_size,
            per_tx,
            rss.map_or_else(
                || "unknown".to_owned(),
                |b| format!("{:.0} MiB", b as f64 / 1048576.0)
            ),
        ),
    );
    report.add_rate(
        "  stateless + signatures",
        count,
        check_secs,
        if args.pipeline {
            format!(
                "check_batch, each block's beside the block before it ({:.0}% of the run; \
                 the phases overlap)",
                pct(check_secs, total_secs)
            )
        } else {
            format!(
                "check_batch alone ({:.0}% of the run)",
                pct(check_secs, total_secs)
            )
        },
    );
    let execution = args.execution.label();
    report.add_rate(
        &format!("  {execution} execution"),
        count,
        execute_secs,
        format!(
            "deliver_txs: decode again, signatures remembered, execute ({:.0}% of the run)",
            pct(execute_secs, total_secs)
        ),
    );
    report.add_rate(
        "  commit",
        count,
        commit_secs,
        format!(
            "Storage::commit: JMT + redb, synced every {} block(s){} ({:.0}% of the run)",
            storage.sync_every(),
            if storage.sync_in_background() {
                " in the background"
            } else {
                ""
            },
            pct(commit_secs, total_secs)
        ),
    );
    if args.pipeline {
        report.notes.push(
            "pipelined: each block's stateless checks and signatures ran beside the block \
             before it (its execution and commit), as a node admits the next block's \
             transactions while it executes; the run's time counts every phase once, and \
             `--pipeline false` runs them one after another"
                .to_owned(),
        );
    }
    if args.execution == super::BenchExecution::Parallel {
        report.notes.push(format!(
            "parallel message passes: {} blocks in parallel, {} fell back to block order; \
             {} groups run ({} transactions, {} of them again after a conflict merged their \
             group)",
            parallel.parallel,
            parallel.fell_back,
            parallel.groups_run,
            parallel.txs_run,
            parallel.txs_rerun
        ));
    }
    report.notes.push(format!(
        "state written per tx = growth of the storage directory (redb file: JMT nodes, \
         values, key index) over the run / {count}: {written} bytes in total; the pages \
         redb allocated grew by {allocated} bytes ({allocated_per_tx:.0} B/tx: the file grows \
         in steps, see fructus_storage::StoreStats::allocated_bytes)"
    ));
    report.notes.push(format!(
        "store after the run ({pruning}): {size_after} bytes on disk, {} versions kept, \
         {} tree nodes, {} tree values; live state {} keys, {} bytes ({live_per_device:.0} B \
         per device)",
        stats.versions_kept, stats.tree_nodes, stats.tree_values, stats.live_keys, stats.live_bytes
    ));
    report.notes.push(format!(
        "pages per table after the run, B/tx of {count} (stored keys and values / page \
         headers and branch keys / free space in pages): {}",
        stats
            .tables
            .iter()
            .map(|t| format!(
                "{} {:.0}/{:.0}/{:.0}",
                t.name,
                t.stored as f64 / count.max(1) as f64,
                t.metadata as f64 / count.max(1) as f64,
                t.fragmented as f64 / count.max(1) as f64
            ))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    report.detail(
        "app",
        json!({
            "load": label,
            "blocks": blocks.len(),
            "block_size": args.block_size,
            "execution": execution,
            "pipeline": args.pipeline,
            "app_hash": hex::encode(app_hash.0),
            "sync_every": storage.sync_every(),
            "sync_in_background": storage.sync_in_background(),
            "parallel_blocks": parallel.parallel,
            "parallel_fell_back": parallel.fell_back,
            "parallel_groups_run": parallel.groups_run,
            "parallel_txs_run": parallel.txs_run,
            "parallel_txs_rerun": parallel.txs_rerun,
            "txs_ok": ok,
            "txs_failed": failed,
            "tx_bytes_avg": if count > 0 { tx_bytes as f64 / count as f64 } else { 0.0 },
            "total_secs": total_secs,
            "txs_per_sec": rate(ok, total_secs),
            "ratio_to_ceiling": report.ratio(rate(ok, total_secs)),
            "deliver_secs": deliver_secs,
            "stateless_check_secs": check_secs,
            "execute_secs": execute_secs,
            "commit_secs": commit_secs,
            "begin_end_block_secs": other_secs,
            "state_bytes_written": written,
            "state_bytes_written_per_tx": per_tx,
            "state_bytes_method": "storage directory size growth",
            "state_bytes_allocated": allocated,
            "state_bytes_allocated_per_tx": allocated_per_tx,
            "peak_rss_bytes": rss,
            "pruning": pruning,
            "store_bytes_after": size_after,
            "versions_kept": stats.versions_kept,
            "tree_nodes": stats.tree_nodes,
            "tree_values": stats.tree_values,
            "live_state_keys": stats.live_keys,
            "live_state_bytes": stats.live_bytes,
            "live_state_bytes_per_device": live_per_device,
        }),
    );
    Ok(())
}

/// Seconds one block spent in each step of [`execute`].
struct BlockTimes {
    deliver: f64,
    commit: f64,
    begin_end: f64,
}

/// One block through the app: begin, deliver, end, commit.
fn execute(
    app: &mut App,
    info: BlockInfo,
    block: &[Vec<u8>],
) -> anyhow::Result<(Vec<fructus_app::TxResult>, BlockTimes)> {
    let t0 = Instant::now();
    app.begin_block(info)?;
    let t1 = Instant::now();
    let results = app.deliver_txs(block)?;
    let t2 = Instant::now();
    app.end_block()?;
    let t3 = Instant::now();
    app.commit()?;
    let t4 = Instant::now();
    let times = BlockTimes {
        deliver: (t2 - t1).as_secs_f64(),
        commit: (t4 - t3).as_secs_f64(),
        begin_end: (t1 - t0).as_secs_f64() + (t3 - t2).as_secs_f64(),
    };
    Ok((results, times))
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        0.0
    }
}
