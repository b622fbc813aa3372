//! Compute end to end on a running node, every step through the CLI and
//! visible over REST: a GPU asset (class unit `gpu-hour`) with an attested
//! device, registered as a provider with a bond; its device's heartbeats
//! sent by `fructus device heartbeat` (the device SDK) keep it online;
//! next window's capacity tokens minted; a buyer's stablecoin order
//! accepted for the current window; then the heartbeats stop, the node's
//! end-of-block sweep marks the provider offline, the order is refunded
//! and the bond slashed to the buyer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use common::{Net, address, bin, event_attr, get, pubkey, run, wait_until};

const BOND: u128 = 200_000_000;

/// Heartbeats the device sends, one a second.
const HEARTBEATS: u64 = 12;

#[test]
fn a_provider_whose_heartbeats_stop_goes_offline_and_its_order_is_refunded_with_the_bond_slashed() {
    let mut net = Net::create(1);
    // Heartbeats every second at most 3 s apart keep a provider online.
    let path = net.home(0).join("config/genesis.json");
    let mut g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    g["app_state"]["compute"]["params"]["heartbeat_interval_ms"] = 3_000.into();
    common::write_genesis(net.home(0), &serde_json::to_string_pretty(&g).unwrap());
    net.start(0);
    net.wait_height(0, 1, Duration::from_secs(60));

    // alice is the manufacturer (her key attests the class's devices) and
    // the GPU server's owner; carol buys 30 % of it.
    let mfr = format!("ed25519:{}", pubkey(&net, "alice"));
    let r = run(
        &net,
        &[
            "tx",
            "asset",
            "create-class",
            "alice",
            "--name",
            "GPU server",
            "--manufacturer",
            "Acme",
            "--model",
            "G8",
            "--unit",
            "gpu-hour",
            "--metadata-uri",
            "https://acme.example/g8.json",
            "--metadata-sha256",
            &"5f".repeat(32),
            "--attestation-key",
            &mfr,
        ],
    );
    let class_id = event_attr(&r, "asset.create_class", "class_id");
    let r = run(
        &net,
        &["tx", "asset", "mint", "alice", &class_id, "GPU-0001"],
    );
    let asset = event_attr(&r, "asset.mint", "asset_id");
    run(
        &net,
        &[
            "tx",
            "asset",
            "fractionalize",
            "alice",
            &asset,
            "--shares",
            "10000",
        ],
    );
    run(
        &net,
        &[
            "tx",
            "bank",
            "send",
            "alice",
            "carol",
            &format!("3000share/{asset}"),
        ],
    );
    let device_key = format!("p256:{}", pubkey(&net, "meter"));
    let attested = run(
        &net,
        &[
            "device",
            "attest",
            "--manufacturer-key",
            "alice",
            "--device-pubkey",
            &device_key,
            "--class",
            &class_id,
            "--serial",
            "GPU-0001",
            "-o",
            "json",
        ],
    );
    let attestation = attested["attestation"].as_str().unwrap().to_owned();
    run(
        &net,
        &[
            "tx",
            "device",
            "register",
            "alice",
            &asset,
            "--device-key",
            "meter",
            "--serial",
            "GPU-0001",
            "--attestation",
            &attestation,
        ],
    );
    run(
        &net,
        &[
            "tx",
            "compute",
            "register-provider",
            "alice",
            &asset,
            "H100",
            "8",
            "--bond",
            &BOND.to_string(),
            "--green-batch",
            "rec-2026-07",
        ],
    );
    // bob is the buyer, paying in a stablecoin he issues.
    run(
        &net,
        &[
            "tx",
            "bank",
            "create-denom",
            "bob",
            "uusd",
            "--symbol",
            "USD",
        ],
    );
    run(&net, &["tx", "bank", "mint", "bob", "1000000uusd"]);

    // The device's heartbeats (the SDK's transactions, signed by its key)
    // run in the background, long enough for the three transactions below
    // on a loaded machine.
    let api = net.api(0);
    let heartbeats = Command::new(bin())
        .arg("--home")
        .arg(net.home(0))
        .args(["--keyring-backend", "test", "-o", "json"])
        .args([
            "device",
            "heartbeat",
            "--device-key",
            "meter",
            "--asset",
            &asset,
            "--gpus",
            "8",
            "--count",
            &HEARTBEATS.to_string(),
            "--every-ms",
            "1000",
            "--node",
            &api,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let provider_path = format!("/v1/compute/providers/{asset}");
    wait_until("the provider is online", Duration::from_secs(30), || {
        get(&net, &provider_path)["online_now"] == true
    });

    // Next window's capacity, and an order for this window.
    let epoch = get(&net, "/v1/compute/epoch");
    let window = epoch["current_window"].as_u64().unwrap();
    let r = run(
        &net,
        &[
            "tx",
            "compute",
            "mint-capacity",
            "alice",
            &asset,
            &(window + 1).to_string(),
            "8",
        ],
    );
    assert_eq!(
        event_attr(&r, "compute.mint_capacity", "minted"),
        format!("8gpuh/{asset}/{}", window + 1)
    );
    let window_end = get(&net, "/v1/compute/epoch")["current_window_end_ms"]
        .as_u64()
        .unwrap();
    let deadline = (window_end + 3 * 3_600_000).to_string();
    let r = run(
        &net,
        &[
            "tx",
            "compute",
            "post-order",
            "bob",
            &"ab".repeat(32),
            "H100",
            "2",
            "500uusd",
            "--deadline-ms",
            &deadline,
        ],
    );
    let order = event_attr(&r, "compute.post_order", "order_id");
    run(
        &net,
        &[
            "tx",
            "compute",
            "accept-order",
            "alice",
            &order,
            &asset,
            &window.to_string(),
            "400",
        ],
    );
    let bob = address(&net, "bob");
    let bob_usd = |net: &Net| -> u128 {
        get(net, &format!("/v1/accounts/{bob}"))["balances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["denom"] == "uusd")
            .map_or(0, |c| c["amount"].as_str().unwrap().parse().unwrap())
    };
    assert_eq!(bob_usd(&net), 1_000_000 - 800);

    // The heartbeats stop; within the interval the provider is offline and
    // its accepted order fails at its fault.
    let out = heartbeats.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["accepted"], HEARTBEATS, "{summary}");
    let order_path = format!("/v1/compute/orders/{order}");
    wait_until("the order is refunded", Duration::from_secs(30), || {
        get(&net, &order_path)["status"] == "failed"
    });
    let provider = get(&net, &provider_path);
    assert_eq!(provider["online"], false);
    assert_eq!(provider["online_now"], false);
    let receipt = get(&net, &format!("/v1/compute/receipts/{order}"));
    assert_eq!(receipt["fault"], "provider_offline", "{receipt}");
    assert_eq!(receipt["refunded"], "800");
    assert_eq!(receipt["slashed"], (BOND / 10).to_string());
    assert_eq!(provider["bond"], (BOND - BOND / 10).to_string());
    assert_eq!(bob_usd(&net), 1_000_000);
    let failed = run(&net, &["query", "compute", "orders", "--status", "failed"]);
    assert_eq!(failed["orders"][0]["id"].to_string(), order);
    // Offline, it can neither mint nor accept.
    let out = common::cli(
        net.home(0),
        &[
            "tx",
            "compute",
            "mint-capacity",
            "alice",
            &asset,
            &(window + 2).to_string(),
            "1",
            "--node",
            &api,
            "--wait",
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("compute#9"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
