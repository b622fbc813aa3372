//! A fifth node joins a running 4-validator network from a state snapshot
//! taken at height H (not by replaying from genesis): the snapshot is
//! verified against the signed header of H + 1, the node continues by
//! block sync and has the others' app hash at H + 10; a snapshot whose
//! content was altered (every file hash recomputed to match) is refused
//! because its root is not the one the signed header certifies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::{path::Path, process::Command, time::Duration};

use common::{Net, bin, wait_until};

const LONG: Duration = Duration::from_secs(180);

fn fx(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("--home")
        .arg(home)
        .args(args)
        .output()
        .unwrap()
}

/// A home that follows the network's chain (init --genesis), peering with
/// the four validators, on the ports of slot `slot`.
fn join_home(net: &Net, name: &str, slot: u16) -> std::path::PathBuf {
    let home = net.dir.path().join(name);
    let port = |k: u16| format!("127.0.0.1:{}", net.base + 10 * slot + k);
    let genesis = net.home(0).join("config/genesis.json");
    let mut args: Vec<String> = vec![
        "init".into(),
        "--moniker".into(),
        name.into(),
        "--genesis".into(),
        genesis.display().to_string(),
        "--p2p-listen".into(),
        port(0),
        "--gossip-listen".into(),
        port(1),
        "--api-listen".into(),
        port(2),
        "--target-block-time-ms".into(),
        "100".into(),
    ];
    for i in 0..4u16 {
        args.extend([
            "--p2p-peer".into(),
            format!("127.0.0.1:{}", net.base + 10 * i),
        ]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = fx(&home, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    home
}

#[test]
fn a_node_joins_from_a_verified_snapshot_and_refuses_an_altered_one() {
    let mut net = Net::create(4);
    net.start_all();
    for i in 0..4 {
        net.wait_height(i, 8, LONG);
    }

    // Snapshot of validator 3's state at its height H (the node stopped:
    // its database is locked while it runs); the other three go on.
    assert!(net.stop(3), "{}", net.log(3));
    let snap = net.dir.path().join("snap");
    let out = fx(
        net.home(3),
        &[
            "-o",
            "json",
            "snapshot",
            "export",
            "--out",
            snap.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let h = exported["height"].as_u64().unwrap();
    net.start(3);
    net.wait_height(0, h + 2, LONG);

    // An altered snapshot: one value changed, its chunk's hash updated in
    // the manifest so only the signed header can tell.
    let bad = net.dir.path().join("bad-snap");
    std::fs::create_dir_all(&bad).unwrap();
    for entry in std::fs::read_dir(&snap).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), bad.join(entry.file_name())).unwrap();
    }
    let chunk = bad.join("chunk-00000.bin");
    let mut bytes = std::fs::read(&chunk).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&chunk, &bytes).unwrap();
    let manifest = std::fs::read_to_string(bad.join("manifest.json")).unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    m["chunks"][0]["sha256"] = hex::encode(fructus_crypto::sha256(&bytes)).into();
    std::fs::write(bad.join("manifest.json"), m.to_string()).unwrap();
    let victim = join_home(&net, "victim", 5);
    let out = fx(
        &victim,
        &[
            "snapshot",
            "restore",
            bad.to_str().unwrap(),
            "--node",
            &net.api(0),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("does not match the app hash") && stderr.contains("signed header"),
        "{stderr}"
    );
    assert!(
        !victim.join("data/state").exists(),
        "a refused snapshot leaves no state"
    );

    // The fifth node restores the genuine snapshot and continues from H.
    let fifth = join_home(&net, "fifth", 4);
    let out = fx(
        &fifth,
        &[
            "snapshot",
            "restore",
            snap.to_str().unwrap(),
            "--node",
            &net.api(0),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    net.homes.push(fifth);
    net.procs.push(None);
    net.start(4);
    let fifth_api = format!("http://127.0.0.1:{}", net.base + 42);
    let client = fructus_client::http::NodeClient::new(&fifth_api).unwrap();
    wait_until("the fifth node to reach H + 10", LONG, || {
        client.status().is_ok_and(|s| s.latest_height >= h + 10)
    });
    // Validator 0 decides the same heights but may commit a moment after
    // the fifth node reports its own head.
    net.wait_height(0, h + 10, LONG);
    let theirs = net.client(0).block(Some(h + 10)).unwrap();
    let ours = client.block(Some(h + 10)).unwrap();
    assert_eq!(ours.app_hash_after, theirs.app_hash_after);
    assert_eq!(ours.hash, theirs.hash);
    // It never replayed the blocks before H.
    let (status, _) = {
        let r = reqwest::blocking::get(format!("{fifth_api}/v1/blocks/{}", h - 1)).unwrap();
        (r.status().as_u16(), ())
    };
    assert_eq!(status, 404);
}
