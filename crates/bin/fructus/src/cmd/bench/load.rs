//! `fructus bench node` and `fructus bench network`: a local network of
//! separate `fructus node` processes on 127.0.0.1 (made with
//! [`fructus_node::home::testnet`], fast block settings), loaded over the
//! public REST API.
//!
//! The load generator:
//! 1. `--load transfers` (default): funds `D` device accounts from the demo
//!    key `alice` with multi-sends and waits for them to commit, then
//!    pre-signs `N` transfers (device `i % D`, consecutive nonces);
//!    `--load readings`: alice (a KYC'd enterprise on testnets) registers
//!    `D` attested devices on `D` assets and opens a prepaid contract for
//!    each that bob accepts (see `readings.rs`), then `N` nonceless readings
//!    are pre-signed (device `i % D`, increasing sequences). Not timed;
//! 2. submits them with `--concurrency` threads, each owning a fixed set of
//!    devices (so each device's transactions arrive in order) and each device
//!    pinned to one node (node `device % V`), without waiting for commit:
//!    at most `--concurrency` HTTP requests are in flight, each carrying one
//!    transaction (`POST /v1/txs`) or up to `--batch` (`POST
//!    /v1/txs/batch`). A refusal for
//!    back-pressure (mempool full, sender or device full) is counted and retried after
//!    20 ms; any other refusal is counted and dropped;
//! 3. a watcher polls node 0 every 10 ms and fetches each new block, noting
//!    when every transaction hash was first seen committed.
//!
//! Committed/s counts only transactions whose result (`GET /v1/txs/{hash}`,
//! checked after the run) is a success, over the time from the first
//! submission to the last commit seen. Latency is from the start of the
//! accepted `POST /v1/txs` to the watcher seeing the block (resolution
//! ~10 ms plus one block fetch).

use std::{
    collections::{BTreeMap, HashMap},
    net::{SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use fructus_client::{
    http::{ClientError, NodeClient},
    tx::{TxBuilder, msgs},
};
use fructus_crypto::{Address, SigningKey};
use fructus_keyring::{Keyring, KeyringBackend};
use fructus_node::{config::ConsensusSection, mempool::MempoolError, shared::BlockPhase};
use fructus_types::{Coin, Coins, Denom};
use serde_json::json;

use super::{AppLoad, LoadArgs, Report, app, ceiling::device_key, progress, quantile, readings};

/// Target block time of the benchmark network, ms.
const BLOCK_TIME_MS: u64 = 100;
/// Longest wait for an empty block, ms.
const IDLE_MS: u64 = 200;
/// Per-request timeout.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for the nodes to start producing blocks.
const START_TIMEOUT: Duration = Duration::from_secs(90);
/// Watcher poll interval.
const POLL: Duration = Duration::from_millis(10);
/// Back-pressure retries of one transaction (× 20 ms).
const MAX_RETRIES: usize = 500;
/// Outputs per funding multi-send.
const FUND_CHUNK: usize = 200;

/// Node processes owned by the benchmark: killed and reaped on drop, also
/// when the run fails.
struct Net {
    procs: Vec<Child>,
    logs: Vec<PathBuf>,
    // Declared last: the homes are removed after the processes are gone.
    _dir: tempfile::TempDir,
}

impl Net {
    fn log_tail(&self, i: usize) -> String {
        let text = self
            .logs
            .get(i)
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// An error if a node process has exited.
    fn check_alive(&mut self) -> anyhow::Result<()> {
        for i in 0..self.procs.len() {
            let exited = match self.procs.get_mut(i) {
                Some(c) => c.try_wait()?,
                None => None,
            };
            if let Some(status) = exited {
                anyhow::bail!(
                    "node{i} exited ({status}); last log lines:\n{}",
                    self.log_tail(i)
                );
            }
        }
        Ok(())
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        for c in &mut self.procs {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A base port such that `base + 10 i + {0, 1, 2}` are free for `n` nodes.
fn free_base_port(n: usize) -> anyhow::Result<u16> {
    let seed = u64::from(std::process::id())
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()));
    for attempt in 0..200u64 {
        let offset = (seed.wrapping_add(attempt.wrapping_mul(6_113)) % 3_000) * 10;
        let Ok(base) = u16::try_from(20_000 + offset) else {
            continue;
        };
        let free = (0..n).all(|i| {
            (0..3u16).all(|k| {
                let port = u16::try_from(i * 10)
                    .ok()
                    .and_then(|o| base.checked_add(o))
                    .and_then(|p| p.checked_add(k));
                port.is_some_and(|p| {
                    TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], p))).is_ok()
                })
            })
        });
        if free {
            return Ok(base);
        }
    }
    anyhow::bail!("no free range of ports found on 127.0.0.1")
}

fn client(api: SocketAddr) -> anyhow::Result<NodeClient> {
    Ok(NodeClient::new(&format!("http://{api}"))?.with_timeout(REQUEST_TIMEOUT))
}

/// Polls until `f` is true, the node processes stay alive, or `timeout`.
fn wait_until(
    net: &mut Net,
    what: &str,
    timeout: Duration,
    mut f: impl FnMut() -> bool,
) -> anyhow::Result<()> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return Ok(());
        }
        net.check_alive()?;
        std::thread::sleep(Duration::from_millis(100));
    }
    anyhow::bail!(
        "timed out after {timeout:?} waiting for {what}; node0 log:\n{}",
        net.log_tail(0)
    )
}

/// Creates the homes and starts the processes.
fn start_net(validators: usize, start: Instant) -> anyhow::Result<(Net, Vec<SocketAddr>, PathBuf)> {
    let dir = tempfile::tempdir()?;
    let base = free_base_port(validators)?;
    let consensus = ConsensusSection {
        target_block_time_ms: BLOCK_TIME_MS,
        max_idle_interval_ms: IDLE_MS,
        ..ConsensusSection::default()
    };
    let nodes =
        fructus_node::home::testnet(dir.path(), validators, base, app::CHAIN_ID, consensus)?;
    let exe = std::env::current_exe()?;
    let mut net = Net {
        procs: Vec::new(),
        logs: Vec::new(),
        _dir: dir,
    };
    for node in &nodes {
        let log_path = node.home.with_extension("log");
        let log = std::fs::File::create(&log_path)?;
        let child = Command::new(&exe)
            .arg("--home")
            .arg(&node.home)
            .arg("node")
            .env("FRUCTUS_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        net.procs.push(child);
        net.logs.push(log_path);
    }
    progress(
        start,
        &format!("{validators} node process(es) started on 127.0.0.1 from port {base}"),
    );
    let apis: Vec<SocketAddr> = nodes.iter().map(|n| n.api).collect();
    let home0 = nodes
        .first()
        .map(|n| n.home.clone())
        .ok_or_else(|| anyhow::anyhow!("testnet made no node"))?;
    let clients = apis
        .iter()
        .map(|a| client(*a))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let target = if validators > 1 { 2 } else { 1 };
    wait_until(
        &mut net,
        "every node to serve /v1/status and commit blocks",
        START_TIMEOUT,
        || {
            clients
                .iter()
                .all(|c| c.status().is_ok_and(|s| s.latest_height >= target))
        },
    )?;
    Ok((net, apis, home0))
}

/// Most set-up transactions sent before waiting for them to commit (below
/// the mempool's per-sender limit).
const SETUP_CHUNK: usize = 200;

/// Submits `txs` in order (in chunks, each committed before the next) and
/// returns each one's events; any refusal or failure is an error.
fn commit_all(net: &mut Net, node0: &NodeClient, txs: &[Vec<u8>]) -> readings::RoundEvents {
    let mut events = Vec::with_capacity(txs.len());
    for chunk in txs.chunks(SETUP_CHUNK) {
        let batch = node0.submit_batch(chunk)?;
        if let Some(refused) = batch.results.iter().find(|r| !r.admitted) {
            anyhow::bail!("a set-up transaction was refused: {:?}", refused.error);
        }
        let mut views = Vec::with_capacity(chunk.len());
        for item in &batch.results {
            let mut found = None;
            wait_until(
                net,
                "the set-up transactions to commit",
                START_TIMEOUT,
                || {
                    found = node0.tx(&item.hash).ok();
                    found.is_some()
                },
            )?;
            views.extend(found);
        }
        for view in views {
            if view.code != 0 {
                anyhow::bail!(
                    "set-up transaction {} failed: {}#{} {}",
                    view.hash,
                    view.codespace,
                    view.code,
                    view.log
                );
            }
            events.push(view.events);
        }
    }
    Ok(events)
}

/// Funds the device accounts from `alice`; returns the height it committed at.
fn fund(
    net: &mut Net,
    home0: &Path,
    node0: &NodeClient,
    addresses: &[Address],
    per_device: u128,
) -> anyhow::Result<u64> {
    let alice = Keyring::open(home0, KeyringBackend::Test)?.signing_key("alice", None)?;
    let alice_addr = alice.public_key().address();
    let first_nonce = node0.account(&alice_addr)?.nonce;
    let coins = Coins::new(vec![Coin::new(Denom::native(), per_device)])?;
    let mut height = 0;
    for (nonce, chunk) in (first_nonce..).zip(addresses.chunks(FUND_CHUNK)) {
        let outputs: Vec<(Address, Coins)> = chunk.iter().map(|a| (*a, coins.clone())).collect();
        let tx = TxBuilder::new(app::CHAIN_ID)
            .nonce(nonce)
            .gas_limit(10_000_000)
            .message(msgs::multi_send(&outputs))
            .sign(&alice);
        let view = node0.submit(&tx, true)?;
        let result = view
            .result
            .ok_or_else(|| anyhow::anyhow!("funding transaction {} did not commit", view.hash))?;
        if result.code != 0 {
            anyhow::bail!(
                "funding transaction failed: {}#{} {}",
                result.codespace,
                result.code,
                result.log
            );
        }
        height = height.max(result.height);
        net.check_alive()?;
    }
    Ok(height)
}

#[derive(Default)]
struct Shared {
    /// (hash, accepted submission start) of every admitted transaction.
    admitted: Mutex<Vec<(String, Instant)>>,
    admitted_count: AtomicUsize,
    /// Refusals by `codespace#code`.
    rejections: Mutex<BTreeMap<String, usize>>,
    /// Transport failures (no answer, timeout, undecodable).
    transport_errors: AtomicUsize,
    /// Transactions given up on.
    dropped: AtomicUsize,
    submitters_done: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One submitter: its transactions in order, each to its node; in batches
/// of `batch` per request when `batch` > 1.
fn submit_all(
    shared: &Shared,
    work: Vec<(usize, Vec<u8>)>,
    clients: &[NodeClient],
    interval: Option<Duration>,
    t0: Instant,
    batch: usize,
) {
    if batch > 1 {
        return submit_batches(shared, work, clients, interval, t0, batch);
    }
    for (k, (node, tx)) in work.into_iter().enumerate() {
        if let Some(iv) = interval {
            let due = t0 + iv.mul_f64(k as f64);
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
        }
        let Some(c) = clients.get(node) else {
            shared.dropped.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        let mut attempts = 0;
        loop {
            let at = Instant::now();
            match c.submit(&tx, false) {
                Ok(view) => {
                    lock(&shared.admitted).push((view.hash.to_ascii_uppercase(), at));
                    shared.admitted_count.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Err(ClientError::Api(e)) => {
                    *lock(&shared.rejections)
                        .entry(format!("{}#{}", e.codespace, e.code))
                        .or_default() += 1;
                    let backpressure = e.codespace == "mempool"
                        && matches!(
                            e.code,
                            MempoolError::FULL
                                | MempoolError::SENDER_FULL
                                | MempoolError::DEVICE_FULL
                        );
                    attempts += 1;
                    if backpressure && attempts < MAX_RETRIES {
                        std::thread::sleep(Duration::from_millis(20));
                        continue;
                    }
                    shared.dropped.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Err(_) => {
                    shared.transport_errors.fetch_add(1, Ordering::Relaxed);
                    shared.dropped.fetch_add(1, Ordering::Relaxed);
                    break;
                }
            }
        }
    }
}

/// [`submit_all`] with `POST /v1/txs/batch`: per node, up to `batch`
/// transactions per request, in order. Back-pressure refusals (and the
/// nonce gaps they cause later in the same batch) are sent again, in order,
/// after 20 ms; other refusals are dropped.
fn submit_batches(
    shared: &Shared,
    work: Vec<(usize, Vec<u8>)>,
    clients: &[NodeClient],
    interval: Option<Duration>,
    t0: Instant,
    batch: usize,
) {
    let mut queues: BTreeMap<usize, std::collections::VecDeque<Vec<u8>>> = BTreeMap::new();
    for (node, tx) in work {
        queues.entry(node).or_default().push_back(tx);
    }
    let mut dispatched = 0usize;
    let mut stalled = 0usize;
    while queues.values().any(|q| !q.is_empty()) {
        let mut progressed = false;
        let mut requeued = false;
        for (node, queue) in queues.iter_mut() {
            if queue.is_empty() {
                continue;
            }
            let take = batch.min(queue.len());
            let items: Vec<Vec<u8>> = queue.drain(..take).collect();
            if let Some(iv) = interval {
                let due = t0 + iv.mul_f64(dispatched as f64);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
            }
            let Some(c) = clients.get(*node) else {
                shared.dropped.fetch_add(items.len(), Ordering::Relaxed);
                continue;
            };
            let at = Instant::now();
            let view = match c.submit_batch(&items) {
                Ok(view) => view,
                Err(_) => {
                    shared.transport_errors.fetch_add(1, Ordering::Relaxed);
                    shared.dropped.fetch_add(items.len(), Ordering::Relaxed);
                    continue;
                }
            };
            let mut again = Vec::new();
            let mut held_back = false;
            for (tx, r) in items.into_iter().zip(view.results) {
                match r.error {
                    None => {
                        lock(&shared.admitted).push((r.hash.to_ascii_uppercase(), at));
                        shared.admitted_count.fetch_add(1, Ordering::Relaxed);
                        dispatched += 1;
                        progressed = true;
                    }
                    Some(e) => {
                        *lock(&shared.rejections)
                            .entry(format!("{}#{}", e.codespace, e.code))
                            .or_default() += 1;
                        let backpressure = e.codespace == "mempool"
                            && matches!(
                                e.code,
                                MempoolError::FULL
                                    | MempoolError::SENDER_FULL
                                    | MempoolError::DEVICE_FULL
                            );
                        let gap = e.codespace == "tx"
                            && e.code == fructus_app::TxCheckError::NONCE_TOO_HIGH
                            && held_back;
                        if backpressure || gap {
                            held_back = true;
                            again.push(tx);
                        } else {
                            shared.dropped.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
            if !again.is_empty() {
                requeued = true;
                for tx in again.into_iter().rev() {
                    queue.push_front(tx);
                }
            }
        }
        if requeued {
            stalled = if progressed { 0 } else { stalled + 1 };
            if stalled >= MAX_RETRIES {
                let left: usize = queues.values().map(|q| q.len()).sum();
                shared.dropped.fetch_add(left, Ordering::Relaxed);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[derive(Default)]
struct Seen {
    /// Hash → (height, when first seen committed).
    txs: HashMap<String, (u64, Instant)>,
    /// Transactions per block seen.
    block_sizes: Vec<usize>,
    max_mempool: usize,
}

/// Polls node 0 for new blocks until every admitted transaction is seen,
/// or `drain` after the submitters are done.
fn watch(shared: &Shared, node0: &NodeClient, from_height: u64, drain: Duration) -> Seen {
    let mut seen = Seen::default();
    let mut next = from_height + 1;
    let mut done_at: Option<Instant> = None;
    loop {
        if let Ok(status) = node0.status() {
            seen.max_mempool = seen.max_mempool.max(status.mempool_size);
            while next <= status.latest_height {
                let Ok(block) = node0.block(Some(next)) else {
                    break;
                };
                let now = Instant::now();
                seen.block_sizes.push(block.tx_hashes.len());
                for h in block.tx_hashes {
                    seen.txs
                        .entry(h.to_ascii_uppercase())
                        .or_insert((next, now));
                }
                next += 1;
            }
        }
        if shared.submitters_done.load(Ordering::Acquire) {
            let done = *done_at.get_or_insert_with(Instant::now);
            let admitted = shared.admitted_count.load(Ordering::Acquire);
            let all_seen = {
                let list = lock(&shared.admitted);
                list.len() == admitted && list.iter().all(|(h, _)| seen.txs.contains_key(h))
            };
            if all_seen || done.elapsed() > drain {
                return seen;
            }
        }
        std::thread::sleep(POLL);
    }
}

/// Runs the `node` (V = 1) or `network` workload.
pub(crate) fn run(
    name: &'static str,
    args: &LoadArgs,
    count: usize,
    devices: usize,
    validators: usize,
    report: &mut Report,
) -> anyhow::Result<()> {
    let start = Instant::now();
    progress(
        start,
        &format!("{name}: creating a {validators}-validator testnet"),
    );
    let (mut net, apis, home0) = start_net(validators, start)?;
    let clients = apis
        .iter()
        .map(|a| client(*a))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let node0 = clients
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no node"))?;
    progress(
        start,
        &format!("{name}: nodes are producing blocks; funding {devices} devices"),
    );

    let keys: Vec<SigningKey> = (0..devices)
        .map(|i| device_key(args.algo.key_algo(), i))
        .collect::<anyhow::Result<_>>()?;
    let load_label = match args.load {
        AppLoad::Transfers => "transfers",
        AppLoad::Readings => "readings",
        AppLoad::Swaps => anyhow::bail!("--load swaps runs with `fructus bench app` only"),
    };
    let txs = match args.load {
        AppLoad::Transfers => {
            let addresses: Vec<Address> = keys.iter().map(|k| k.public_key().address()).collect();
            let per_device_txs = count.div_ceil(devices) as u128;
            let fee = fructus_client::tx::default_fee(fructus_client::tx::DEFAULT_GAS_LIMIT)
                .amount
                .value();
            let per_device = (per_device_txs + 2) * (fee + 1) + 1_000_000;
            let funded_at = fund(&mut net, &home0, &node0, &addresses, per_device)?;
            wait_until(
                &mut net,
                "every node to commit the funding",
                START_TIMEOUT,
                || {
                    clients
                        .iter()
                        .all(|c| c.status().is_ok_and(|s| s.latest_height >= funded_at))
                },
            )?;
            progress(
                start,
                &format!("{name}: pre-signing {count} {load_label} (not timed)"),
            );
            app::transfers(&keys, &addresses, count, 0)?
        }
        AppLoad::Readings => {
            let ring = Keyring::open(&home0, KeyringBackend::Test)?;
            let (alice, bob) = (
                ring.signing_key("alice", None)?,
                ring.signing_key("bob", None)?,
            );
            let alice_nonce = node0.account(&alice.public_key().address())?.nonce;
            let bob_nonce = node0.account(&bob.public_key().address())?.nonce;
            let roles = readings::Roles::with(alice, alice_nonce, bob, bob_nonce)?;
            let per_device = count.div_ceil(devices) as u64;
            readings::setup(
                &mut |txs: &[Vec<u8>]| commit_all(&mut net, &node0, txs),
                &roles,
                &keys,
                per_device,
            )?;
            let committed_at = node0.status()?.latest_height;
            wait_until(
                &mut net,
                "every node to commit the set-up",
                START_TIMEOUT,
                || {
                    clients
                        .iter()
                        .all(|c| c.status().is_ok_and(|s| s.latest_height >= committed_at))
                },
            )?;
            progress(
                start,
                &format!("{name}: pre-signing {count} {load_label} (not timed)"),
            );
            // Timed now: every later block is later, and a device's readings
            // may share a time.
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))?;
            readings::readings(&roles, &keys, count, |_| now)?
        }
        AppLoad::Swaps => anyhow::bail!("--load swaps runs with `fructus bench app` only"),
    };
    let threads = args.concurrency.min(devices).max(1);
    let mut work: Vec<Vec<(usize, Vec<u8>)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, tx) in txs.into_iter().enumerate() {
        let device = i % devices;
        if let Some(w) = work.get_mut(device % threads) {
            w.push((device % validators, tx));
        }
    }
    let interval = (args.rate > 0.0).then(|| Duration::from_secs_f64(threads as f64 / args.rate));
    let from_height = node0.status()?.latest_height;

    progress(
        start,
        &format!(
            "{name}: submitting {count} {load_label}, {threads} in flight{}, to {validators} node(s)",
            if args.rate > 0.0 {
                format!(", offered {:.0} tx/s", args.rate)
            } else {
                String::new()
            }
        ),
    );
    let shared = Arc::new(Shared::default());
    let drain = Duration::from_secs(args.drain_timeout_secs);
    let phases_before = block_phases(&node0);
    let node0_pid = net.procs.first().map(Child::id);
    let cpu_before = node0_pid.and_then(process_cpu_secs);
    let t0 = Instant::now();
    let (seen, submit_secs) = std::thread::scope(|s| {
        let watcher = {
            let shared = &shared;
            let node0 = node0.clone();
            s.spawn(move || watch(shared, &node0, from_height, drain))
        };
        let handles: Vec<_> = work
            .into_iter()
            .map(|w| {
                let shared = &shared;
                let clients = clients.clone();
                s.spawn(move || submit_all(shared, w, &clients, interval, t0, args.batch))
            })
            .collect();
        let mut last = Instant::now();
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(Duration::from_millis(50));
            if last.elapsed() >= Duration::from_secs(1) {
                last = Instant::now();
                progress(
                    start,
                    &format!(
                        "{name}: {} admitted",
                        shared.admitted_count.load(Ordering::Relaxed)
                    ),
                );
            }
        }
        for h in handles {
            let _ = h.join();
        }
        let submit_secs = t0.elapsed().as_secs_f64();
        shared.submitters_done.store(true, Ordering::Release);
        progress(
            start,
            &format!("{name}: all submitted; waiting for commits"),
        );
        let seen = watcher.join().unwrap_or_default();
        (seen, submit_secs)
    });
    net.check_alive()?;

    let admitted: Vec<(String, Instant)> = std::mem::take(&mut *lock(&shared.admitted));
    let committed: Vec<(String, f64, Instant)> = admitted
        .iter()
        .filter_map(|(h, at)| {
            seen.txs.get(h).map(|(_, when)| {
                (
                    h.clone(),
                    when.saturating_duration_since(*at).as_secs_f64(),
                    *when,
                )
            })
        })
        .collect();

    progress(
        start,
        &format!(
            "{name}: checking the results of {} committed transactions",
            committed.len()
        ),
    );
    let heights: Vec<u64> = committed
        .iter()
        .map(|(h, _, _)| seen.txs.get(h).map_or(0, |(height, _)| *height))
        .collect();
    let phases_after = block_phases(&node0);
    let cpu_after = node0_pid.and_then(process_cpu_secs);
    let codes = check_results(&clients, &committed, &heights);
    let mut latencies_ms = Vec::new();
    let mut last_commit = t0;
    let mut failed: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown = 0usize;
    for ((_, lat, when), code) in committed.iter().zip(&codes) {
        match code {
            Some(c) if c.is_empty() => {
                latencies_ms.push(lat * 1_000.0);
                last_commit = last_commit.max(*when);
            }
            Some(c) => *failed.entry(c.clone()).or_default() += 1,
            None => unknown += 1,
        }
    }
    latencies_ms.sort_by(f64::total_cmp);
    let ok = latencies_ms.len();
    let elapsed = last_commit.saturating_duration_since(t0).as_secs_f64();
    let p50 = quantile(&latencies_ms, 0.50);
    let p90 = quantile(&latencies_ms, 0.90);
    let p99 = quantile(&latencies_ms, 0.99);
    let max = latencies_ms.last().copied();
    let mean = if ok > 0 {
        latencies_ms.iter().sum::<f64>() / ok as f64
    } else {
        0.0
    };
    let rejections = lock(&shared.rejections).clone();
    let rejected_total: usize = rejections.values().sum();
    let ms = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.0} ms"));
    let label = if validators > 1 {
        "finality"
    } else {
        "latency"
    };
    report.add_rate(
        &format!("{name} committed {load_label}"),
        ok,
        elapsed,
        format!(
            "{label} p50 {} p99 {}; {rejected_total} mempool refusals; {threads} in flight{}",
            ms(p50),
            ms(p99),
            if args.rate > 0.0 {
                format!(", offered {:.0}/s", args.rate)
            } else {
                String::new()
            }
        ),
    );
    report.add_rate(
        "  admitted over the API",
        admitted.len(),
        submit_secs,
        if args.batch > 1 {
            format!(
                "POST /v1/txs/batch, up to {} per request (stateless + signatures + ante checks)",
                args.batch
            )
        } else {
            "POST /v1/txs answered 2xx (stateless + signature + ante checks)".to_owned()
        },
    );
    let nonempty: Vec<usize> = seen
        .block_sizes
        .iter()
        .copied()
        .filter(|n| *n > 0)
        .collect();
    report.notes.push(format!(
        "{validators} validator(s), target block time {BLOCK_TIME_MS} ms; {} blocks carried \
         the load (mean {:.0}, max {} txs/block); mempool peaked at {} txs (as polled)",
        nonempty.len(),
        if nonempty.is_empty() {
            0.0
        } else {
            nonempty.iter().sum::<usize>() as f64 / nonempty.len() as f64
        },
        nonempty.iter().max().copied().unwrap_or(0),
        seen.max_mempool,
    ));
    let phases: Vec<(&str, f64)> = BlockPhase::ALL
        .iter()
        .map(|p| {
            let label = p.label();
            let secs = phases_after.get(label).copied().unwrap_or(0.0)
                - phases_before.get(label).copied().unwrap_or(0.0);
            (label, secs.max(0.0))
        })
        .collect();
    report.notes.push(format!(
        "node 0's block phases during the run (seconds of wall time; admission runs beside \
         them): {}",
        phases
            .iter()
            .map(|(label, secs)| format!("{label} {secs:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    // How much work the node did per transaction, apart from how long it
    // waited: with the rate, it tells a change that saves work from one
    // that shortens the serial path (compare both in interleaved runs).
    let node0_cpu_secs = cpu_before
        .zip(cpu_after)
        .map(|(before, after)| (after - before).max(0.0));
    let cpu_us_per_tx = node0_cpu_secs
        .filter(|_| ok > 0)
        .map(|secs| secs * 1e6 / ok as f64);
    if let (Some(secs), Some(per_tx)) = (node0_cpu_secs, cpu_us_per_tx) {
        report.notes.push(format!(
            "node 0's process used {secs:.2} s of CPU from the first submission until all were \
             seen committed ({:.2} of the {} cores on average; {per_tx:.1} µs per committed \
             transaction, including admission)",
            if elapsed > 0.0 { secs / elapsed } else { 0.0 },
            std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get),
        ));
    }
    let not_committed = admitted.len().saturating_sub(committed.len());
    if not_committed > 0 || !failed.is_empty() || unknown > 0 {
        report.notes.push(format!(
            "{not_committed} admitted transactions not seen committed within the drain timeout, \
             {} failed in execution, {unknown} results unreadable",
            failed.values().sum::<usize>()
        ));
    }
    report.detail(
        name,
        json!({
            "validators": validators,
            "load": load_label,
            "concurrency": threads,
            "batch": args.batch,
            "offered_rate_per_sec": if args.rate > 0.0 { Some(args.rate) } else { None },
            "target_block_time_ms": BLOCK_TIME_MS,
            "max_idle_interval_ms": IDLE_MS,
            "submitted": count,
            "admitted": admitted.len(),
            "rejections": rejections,
            "rejections_total": rejected_total,
            "transport_errors": shared.transport_errors.load(Ordering::Relaxed),
            "dropped": shared.dropped.load(Ordering::Relaxed),
            "committed": committed.len(),
            "succeeded": ok,
            "failed": failed,
            "results_unreadable": unknown,
            "submit_secs": submit_secs,
            "elapsed_secs": elapsed,
            "committed_per_sec": super::report::rate(ok, elapsed),
            "ratio_to_ceiling": report.ratio(super::report::rate(ok, elapsed)),
            "latency_ms": { "p50": p50, "p90": p90, "p99": p99, "max": max, "mean": mean },
            "blocks_with_txs": nonempty.len(),
            "max_txs_per_block": nonempty.iter().max().copied().unwrap_or(0),
            "max_mempool_size": seen.max_mempool,
            "block_phases_secs": phases.iter().map(|(l, s)| ((*l).to_owned(), json!(s))).collect::<serde_json::Map<_, _>>(),
            "node0_cpu_secs": node0_cpu_secs,
            "node0_cpu_us_per_tx": cpu_us_per_tx,
        }),
    );
    progress(start, &format!("{name}: stopping the node process(es)"));
    drop(net);
    Ok(())
}

/// CPU seconds (user + system, every thread, live or ended) process `pid`
/// has used so far, from `/proc/<pid>/stat`; `None` where there is no
/// such file (not Linux) or it does not parse.
fn process_cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces;
    // the fields after it start with the state (field 3). utime and stime
    // are fields 14 and 15, in clock ticks of USER_HZ (100 on Linux).
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Seconds node `node` has spent in each block phase so far, by the
/// `phase` label of `fructus_block_phase_seconds_total` (empty if its
/// metrics cannot be read).
fn block_phases(node: &NodeClient) -> BTreeMap<String, f64> {
    let Ok(text) = node.metrics() else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("fructus_block_phase_seconds_total{phase=\"")?;
            let (phase, value) = rest.split_once("\"} ")?;
            Some((phase.to_owned(), value.trim().parse::<f64>().ok()?))
        })
        .collect()
}

/// The result of each committed transaction (committed at `heights`, in
/// the same order): `Some("")` on success, `Some("codespace#code")` on
/// failure, `None` if it cannot be read. Read block by block, all threads
/// on the same block at once: the node keeps the block it decoded last, so
/// each block is decoded about once per thread, not once per transaction.
fn check_results(
    clients: &[NodeClient],
    committed: &[(String, f64, Instant)],
    heights: &[u64],
) -> Vec<Option<String>> {
    let mut codes = vec![None; committed.len()];
    let Some(node0) = clients.first() else {
        return codes;
    };
    let mut by_height: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, height) in heights.iter().enumerate() {
        by_height.entry(*height).or_default().push(i);
    }
    let threads = 8usize;
    for indices in by_height.values() {
        let chunk = indices.len().div_ceil(threads).max(1);
        let read: Vec<(usize, Option<String>)> = std::thread::scope(|s| {
            let handles: Vec<_> = indices
                .chunks(chunk)
                .map(|part| {
                    let c = node0.clone();
                    s.spawn(move || {
                        part.iter()
                            .map(|&i| {
                                let code =
                                    committed
                                        .get(i)
                                        .and_then(|(h, _, _)| c.tx(h).ok())
                                        .map(|v| {
                                            if v.code == 0 {
                                                String::new()
                                            } else {
                                                format!("{}#{}", v.codespace, v.code)
                                            }
                                        });
                                (i, code)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for (i, code) in read {
            if let Some(slot) = codes.get_mut(i) {
                *slot = code;
            }
        }
    }
    codes
}
