//! The whole genesis ceremony with the CLI, as four operators on four
//! machines would run it: four homes that never read each other's key
//! files (only gentx files and the genesis pass between them), a
//! coordinator that builds the base genesis and collects the gentxs, then
//! four separate `fructus node` processes on 127.0.0.1 that finalize
//! blocks. A node whose genesis differs from the pinned hash refuses to
//! start, and a configured peer that is down is named in the log.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use common::{Net, bin, reserve_ports};

const CHAIN: &str = "fx-ceremony";
const LONG: Duration = Duration::from_secs(120);

/// Runs `fructus --home HOME --keyring-backend test ARGS -o json`; panics
/// with stderr unless it succeeds.
fn fx(home: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(bin())
        .arg("--home")
        .arg(home)
        .args(["--keyring-backend", "test", "-o", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

#[test]
fn four_operators_run_the_ceremony_on_their_own_homes_and_the_chain_finalizes() {
    let n = 4usize;
    let ports = reserve_ports(n + 1);
    let base = ports.base;
    let dir = tempfile::tempdir().unwrap();
    let addr = |i: usize, k: u16| format!("127.0.0.1:{}", base + 10 * i as u16 + k);
    let homes: Vec<PathBuf> = (0..n).map(|i| dir.path().join(format!("op{i}"))).collect();
    let coordinator = dir.path().join("coordinator");
    let inbox = dir.path().join("gentxs");
    std::fs::create_dir_all(&inbox).unwrap();

    // 1. Each operator: `init` (consensus key + p2p identity) and an
    //    operator key in its own keyring.
    let mut operators = Vec::new();
    let mut consensus_keys = Vec::new();
    for (i, home) in homes.iter().enumerate() {
        let moniker = format!("op{i}");
        let mut args: Vec<String> = vec![
            "init".into(),
            "--moniker".into(),
            moniker,
            "--p2p-listen".into(),
            addr(i, 0),
            "--gossip-listen".into(),
            addr(i, 1),
            "--api-listen".into(),
            addr(i, 2),
            "--target-block-time-ms".into(),
            "100".into(),
            "--max-idle-interval-ms".into(),
            "150".into(),
        ];
        for j in (0..n).filter(|j| *j != i) {
            args.extend(["--p2p-peer".into(), addr(j, 0)]);
            args.extend(["--gossip-peer".into(), addr(j, 1)]);
        }
        if i == 0 {
            // A peer that never comes up: its absence is logged by name.
            args.extend(["--p2p-peer".into(), addr(n, 0)]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let init = fx(home, &args);
        consensus_keys.push(init["validator_public_key"].as_str().unwrap().to_owned());
        assert!(!home.join("config/genesis.json").exists());
        let key = fx(home, &["keys", "add", "operator"]);
        operators.push(key["address"].as_str().unwrap().to_owned());
    }

    // 2. The coordinator: base genesis, operators funded and regulators,
    //    one parameter changed.
    fx(&coordinator, &["genesis", "new", "--chain-id", CHAIN]);
    for op in &operators {
        fx(
            &coordinator,
            &["genesis", "add-account", op, "20000000000ufrx"],
        );
        fx(&coordinator, &["genesis", "add-regulator", op]);
    }
    fx(
        &coordinator,
        &[
            "genesis",
            "set-param",
            "staking",
            "params.max_validators",
            "7",
        ],
    );

    // 3. Each operator signs its gentx on its own home; only that file
    //    travels to the coordinator.
    for (i, home) in homes.iter().enumerate() {
        let out = inbox.join(format!("op{i}.json"));
        fx(
            home,
            &[
                "genesis",
                "gentx",
                "operator",
                "--chain-id",
                CHAIN,
                "--self-bond",
                "10000000000ufrx",
                "--p2p-address",
                &addr(i, 0),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            !text.contains("secret"),
            "a gentx carries no secret: {text}"
        );
    }

    // 4. Collect: every gentx verified, final genesis and its hash.
    let collected = fx(
        &coordinator,
        &[
            "genesis",
            "collect-gentxs",
            "--gentx-dir",
            inbox.to_str().unwrap(),
        ],
    );
    let sha256 = collected["sha256"].as_str().unwrap().to_owned();
    assert_eq!(collected["validators"], 4);
    let final_genesis = coordinator.join("config/genesis.json");
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&final_genesis).unwrap()).unwrap();
    assert_eq!(g["app_state"]["staking"]["params"]["max_validators"], 7);
    let validators = g["app_state"]["staking"]["validators"].as_array().unwrap();
    for (i, v) in validators.iter().enumerate() {
        assert_eq!(v["operator"].as_str().unwrap(), operators[i]);
        assert!(
            v["consensus_key"].to_string().contains(&consensus_keys[i]),
            "{v} does not hold op{i}'s consensus key"
        );
    }
    // The coordinator never had a key file of any operator.
    assert!(!coordinator.join("config/validator_key.json").exists());

    // 5. A wrong hash is refused at install; the right one is pinned.
    let bad = Command::new(bin())
        .arg("--home")
        .arg(&homes[0])
        .args(["genesis", "install"])
        .arg(&final_genesis)
        .args(["--sha256", &"0".repeat(64)])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("SHA-256"));
    for home in &homes {
        fx(
            home,
            &[
                "genesis",
                "install",
                final_genesis.to_str().unwrap(),
                "--sha256",
                &sha256,
            ],
        );
    }

    // A node joining later with `init --genesis` pins the hash of the file
    // it was given, byte for byte (here a compact copy of the same genesis).
    let compact = dir.path().join("compact-genesis.json");
    std::fs::write(&compact, g.to_string()).unwrap();
    let compact_sha = fructus_node::ceremony::genesis_sha256(&std::fs::read(&compact).unwrap());
    let late = dir.path().join("late");
    fx(&late, &["init", "--genesis", compact.to_str().unwrap()]);
    let pinned = fructus_node::NodeConfig::load(&late.join("config/config.toml")).unwrap();
    assert_eq!(pinned.genesis_sha256, compact_sha);
    assert_eq!(
        std::fs::read(late.join("config/genesis.json")).unwrap(),
        std::fs::read(&compact).unwrap()
    );

    // A genesis edited after the ceremony: the node refuses to start.
    let tampered = dir.path().join("tampered");
    copy_dir(&homes[3], &tampered);
    let text = std::fs::read_to_string(tampered.join("config/genesis.json")).unwrap();
    std::fs::write(
        tampered.join("config/genesis.json"),
        text.replacen("\"max_validators\": 7", "\"max_validators\": 8", 1),
    )
    .unwrap();
    let refused = Command::new(bin())
        .arg("--home")
        .arg(&tampered)
        .arg("node")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("pins genesis_sha256") && stderr.contains(&sha256),
        "{stderr}"
    );

    // 6. Four separate processes finalize blocks.
    let mut net = Net {
        dir,
        base,
        ports,
        procs: (0..n).map(|_| None).collect(),
        homes,
    };
    net.start_all();
    for i in 0..n {
        net.wait_height(i, 5, LONG);
    }
    let h = (0..n).map(|i| net.height(i).unwrap()).min().unwrap();
    let first = net.client(0).block(Some(h)).unwrap();
    for i in 1..n {
        let block = net.client(i).block(Some(h)).unwrap();
        assert_eq!(block.hash, first.hash, "node{i} differs at height {h}");
    }
    assert!(first.certificate.as_ref().unwrap().signers.len() >= 3);
    assert_eq!(net.client(0).status().unwrap().validator_count, 4);
    let unreachable = addr(n, 0);
    let logged = |net: &Net| {
        net.log(0)
            .lines()
            .any(|l| l.contains("configured p2p peer is unreachable") && l.contains(&unreachable))
    };
    let start = std::time::Instant::now();
    while !logged(&net) && start.elapsed() < LONG {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        logged(&net),
        "{unreachable} is not named as unreachable:\n{}",
        net.log(0)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
