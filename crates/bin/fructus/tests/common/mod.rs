//! Helpers for tests that run `fructus node` processes on 127.0.0.1.
#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command},
    time::{Duration, Instant},
};

use fructus_client::http::NodeClient;

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_fructus")
}

/// A range of loopback ports reserved for one test: `n` slots of ten ports
/// from `base` (node `i` uses `base + 10 i + {0, 1, 2}`: p2p, gossip, API).
/// The reservation lasts as long as the value.
///
/// Why a lock and not port 0: the nodes are separate processes whose peers
/// must know each other's addresses before any of them starts (they are
/// written into every home's config by `fructus testnet`), so the ports are
/// chosen up front. Checking that a port is free and binding it later is a
/// race between parallel tests (within one test binary and across test
/// binaries), so each ten-port slot is claimed with an exclusive,
/// non-blocking `flock` on `$TMPDIR/fructus-test-ports/<port>.lock`, held
/// by this value for the test's life: a second reservation, from any
/// process, skips a claimed slot. The kernel drops the lock when the file
/// is closed or the process dies, so a crashed test leaves nothing stale.
/// Only then is each port checked by binding it, which catches a port some
/// other program (not a test) listens on. Ranges lie in 20000–32759, below
/// Linux's default ephemeral range (32768–60999), so no outbound connection
/// (of a node or the test) is given a port a node binds later, e.g. after
/// a restart.
pub struct Ports {
    /// The first port of the range.
    pub base: u16,
    _locks: Vec<std::fs::File>,
}

/// Reserves `n` slots of ten ports (see [`Ports`]).
pub fn reserve_ports(n: usize) -> Ports {
    reserve_ports_in(&std::env::temp_dir().join("fructus-test-ports"), n)
}

/// [`reserve_ports`] with its lock files in `dir` (a test of the locking
/// itself uses a directory no other reservation touches).
pub fn reserve_ports_in(dir: &Path, n: usize) -> Ports {
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    const FIRST: u64 = 20_000;
    std::fs::create_dir_all(dir).unwrap();
    // Start at a spread-out slot so parallel processes rarely contend.
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    let slots = (32_760 - FIRST) / 10 - n as u64;
    let start = (std::process::id() as u64 * 7919 + nanos / 1000 + call * 397) % slots;
    for attempt in 0..slots {
        let base = (FIRST + ((start + attempt * 7) % slots) * 10) as u16;
        let mut locks = Vec::with_capacity(n);
        for i in 0..n as u16 {
            let port = base + 10 * i;
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(dir.join(format!("{port}.lock")))
                .unwrap();
            if rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive)
                .is_err()
            {
                break;
            }
            locks.push(file);
        }
        if locks.len() < n {
            continue;
        }
        let free = (0..n as u16)
            .all(|i| (0..3).all(|k| TcpListener::bind(("127.0.0.1", base + 10 * i + k)).is_ok()));
        if free {
            return Ports {
                base,
                _locks: locks,
            };
        }
    }
    panic!("no free port range found in 20000-32759");
}

/// Polls `f` every 100 ms until it returns true or `timeout` passes.
pub fn wait_until(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out after {timeout:?} waiting for {what}");
}

/// A local network of `fructus node` processes made by `fructus testnet`.
pub struct Net {
    pub dir: tempfile::TempDir,
    pub base: u16,
    /// Keeps the ports reserved while the network lives.
    pub ports: Ports,
    pub procs: Vec<Option<Child>>,
    pub homes: Vec<PathBuf>,
}

impl Net {
    /// `fructus testnet` with `n` validators and fast blocks.
    pub fn create(n: usize) -> Net {
        let dir = tempfile::tempdir().unwrap();
        // One range more than the validators need: a test may add a node
        // there later (network.rs's late full node uses `base + 10 n`).
        let ports = reserve_ports(n + 1);
        let base = ports.base;
        let out = Command::new(bin())
            .args(["testnet", "--validators", &n.to_string(), "--out-dir"])
            .arg(dir.path())
            .args([
                "--base-port",
                &base.to_string(),
                "--chain-id",
                "fructus-it",
                "--target-block-time-ms",
                "100",
                "--max-idle-interval-ms",
                "150",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "testnet failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let homes = (0..n)
            .map(|i| dir.path().join(format!("node{i}")))
            .collect();
        Net {
            dir,
            base,
            ports,
            procs: (0..n).map(|_| None).collect(),
            homes,
        }
    }

    /// Starts node `i` (a separate process).
    pub fn start(&mut self, i: usize) {
        self.start_with(i, &[]);
    }

    /// Starts node `i` with extra `fructus node` arguments.
    pub fn start_with(&mut self, i: usize, extra: &[&str]) {
        let log = std::fs::File::create(self.dir.path().join(format!("node{i}.log"))).unwrap();
        let child = Command::new(bin())
            .arg("--home")
            .arg(&self.homes[i])
            .arg("node")
            .args(extra)
            .env("FRUCTUS_LOG", "warn")
            // The node logs to stdout; errors before logging starts go to stderr.
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.procs[i] = Some(child);
    }

    /// Starts every node.
    pub fn start_all(&mut self) {
        for i in 0..self.procs.len() {
            self.start(i);
        }
    }

    /// kill -9.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut c) = self.procs[i].take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM and wait (bounded) for a clean exit; returns its success.
    pub fn stop(&mut self, i: usize) -> bool {
        let Some(mut c) = self.procs[i].take() else {
            return true;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(c.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(status)) = c.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = c.kill();
        let _ = c.wait();
        false
    }

    /// API URL of node `i`.
    pub fn api(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.base + 10 * i as u16 + 2)
    }

    /// A client of node `i`.
    pub fn client(&self, i: usize) -> NodeClient {
        NodeClient::new(&self.api(i))
            .unwrap()
            .with_timeout(Duration::from_secs(10))
    }

    /// Node `i`'s height, if it answers.
    pub fn height(&self, i: usize) -> Option<u64> {
        self.client(i).status().ok().map(|s| s.latest_height)
    }

    /// Waits until node `i` reaches `h`.
    pub fn wait_height(&self, i: usize, h: u64, timeout: Duration) {
        wait_until(&format!("node{i} to reach height {h}"), timeout, || {
            self.height(i).is_some_and(|x| x >= h)
        });
    }

    /// The node's log and stderr (for failure messages and log checks).
    pub fn log(&self, i: usize) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("node{i}.log"))).unwrap_or_default()
    }

    /// Home of node `i`.
    pub fn home(&self, i: usize) -> &Path {
        &self.homes[i]
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        for i in 0..self.procs.len() {
            self.kill(i);
        }
    }
}

/// Runs the CLI with `args` against `home`'s test keyring.
pub fn cli(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("--home")
        .arg(home)
        .args(["--keyring-backend", "test"])
        .args(args)
        .output()
        .unwrap()
}

/// Runs the CLI against node 0: a `tx` waits for its block and answers JSON
/// (`--wait -o json`); anything else only gets `--node`. Panics, with the
/// CLI's stderr, unless it exits 0.
pub fn run(net: &Net, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    let api = net.api(0);
    if args.first() == Some(&"tx") {
        all.extend(["--node", &api, "--wait", "-o", "json"]);
    } else {
        all.extend(["--node", &api]);
    }
    let out = cli(net.home(0), &all);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The value of `key` in the first `kind` event of a `tx … -o json` result.
pub fn event_attr(result: &serde_json::Value, kind: &str, key: &str) -> String {
    let events = result["result"]["events"].as_array().unwrap();
    let event = events
        .iter()
        .find(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {result}"));
    event["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
        .unwrap_or_else(|| panic!("no {kind}.{key} in {result}"))["value"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `GET path` on node 0's API, as JSON.
pub fn get(net: &Net, path: &str) -> serde_json::Value {
    reqwest::blocking::Client::new()
        .get(format!("{}{path}", net.api(0)))
        .timeout(Duration::from_secs(10))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

/// The address of key `name` in node 0's keyring.
pub fn address(net: &Net, name: &str) -> String {
    String::from_utf8(cli(net.home(0), &["keys", "show", name, "--address"]).stdout)
        .unwrap()
        .trim()
        .to_owned()
}

/// The hex public key of key `name` in node 0's keyring.
pub fn pubkey(net: &Net, name: &str) -> String {
    let out = cli(net.home(0), &["keys", "show", name, "-o", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["pubkey"].as_str().unwrap().to_owned()
}

/// The validator named `moniker` in a `staking validators` list.
pub fn by_moniker<'a>(list: &'a [serde_json::Value], moniker: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|v| v["moniker"] == moniker)
        .unwrap_or_else(|| panic!("no validator {moniker} in {list:?}"))
}

/// Regulators' and enterprises' total power among the active validators.
pub fn class_power(list: &[serde_json::Value]) -> (u64, u64) {
    let sum = |super_node: bool| {
        list.iter()
            .filter(|v| v["super_node"] == super_node && v["status"] == "active")
            .map(|v| v["power"].as_u64().unwrap())
            .sum()
    };
    (sum(true), sum(false))
}

/// Rewrites every node's genesis of a `Net::create(n)` testnet: sets
/// `staking.params` entries from `params`, and makes the validators named
/// in `enterprises` (monikers `node<i>`) KYC'd enterprises attested by the
/// demo regulator instead of regulators.
pub fn edit_staking_genesis(net: &Net, params: &[(&str, u64)], enterprises: &[&str]) {
    let path = net.home(0).join("config/genesis.json");
    let mut g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for (key, value) in params {
        g["app_state"]["staking"]["params"][*key] = (*value).into();
    }
    let validators = g["app_state"]["staking"]["validators"]
        .as_array()
        .unwrap()
        .clone();
    let operator = |moniker: &str| -> String {
        validators
            .iter()
            .find(|v| v["moniker"] == moniker)
            .unwrap_or_else(|| panic!("no validator {moniker}"))["operator"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let operators: Vec<String> = validators
        .iter()
        .map(|v| v["operator"].as_str().unwrap().to_owned())
        .collect();
    let enterprises: Vec<String> = enterprises.iter().map(|m| operator(m)).collect();
    let identity = &mut g["app_state"]["identity"];
    let regulators = identity["regulators"].as_array_mut().unwrap();
    let demo_regulator = regulators
        .iter()
        .find(|r| !operators.iter().any(|o| r.as_str() == Some(o)))
        .unwrap()
        .clone();
    regulators.retain(|r| !enterprises.iter().any(|e| r.as_str() == Some(e)));
    for e in enterprises {
        identity["attestations"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "subject": e,
                "provider": demo_regulator,
                "level": 3,
                "kyc_file_sha256": "33".repeat(32),
            }));
    }
    let text = serde_json::to_string_pretty(&g).unwrap();
    for home in &net.homes {
        write_genesis(home, &text);
    }
}

/// Replaces the line `from` with `to` in `home`'s `config/config.toml`
/// (panics if `from` is not there, so a renamed key is noticed).
pub fn edit_config(home: &Path, from: &str, to: &str) {
    let config = home.join("config/config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains(&format!("{from}\n")), "{text}");
    std::fs::write(
        &config,
        text.replace(&format!("{from}\n"), &format!("{to}\n")),
    )
    .unwrap();
}

/// Replaces a home's genesis.json and pins the new file's hash in its
/// config.toml (the node refuses a genesis other than the pinned one).
pub fn write_genesis(home: &Path, text: &str) {
    std::fs::write(home.join("config/genesis.json"), text).unwrap();
    let config_file = home.join("config/config.toml");
    let mut config = fructus_node::NodeConfig::load(&config_file).unwrap();
    config.genesis_sha256 = fructus_node::ceremony::genesis_sha256(text.as_bytes());
    std::fs::write(&config_file, config.to_toml()).unwrap();
}

/// alice (a KYC'd enterprise at genesis) creates a "Chiller" class whose
/// attestation key is her own key, then mints its asset `SN-0001`: the
/// starting point of every metering test. Returns `(class_id, asset_id)`.
pub fn attested_chiller(net: &Net) -> (String, String) {
    let mfr = format!("ed25519:{}", pubkey(net, "alice"));
    let r = run(
        net,
        &[
            "tx",
            "asset",
            "create-class",
            "alice",
            "--name",
            "Chiller",
            "--manufacturer",
            "Acme",
            "--model",
            "C1",
            "--unit",
            "cooling-kWh",
            "--metadata-uri",
            "https://acme.example/c1.json",
            "--metadata-sha256",
            "5f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "--attestation-key",
            &mfr,
        ],
    );
    let class_id = event_attr(&r, "asset.create_class", "class_id");
    let r = run(net, &["tx", "asset", "mint", "alice", &class_id, "SN-0001"]);
    let asset_id = event_attr(&r, "asset.mint", "asset_id");
    (class_id, asset_id)
}
