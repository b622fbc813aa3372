//! Metering end to end on a running node, every step through the CLI and
//! visible over REST: attested device registration, a contract opened and
//! accepted with a deposit, its baseline reading, a device-signed
//! nonceless reading charged and
//! split, its replay refused, the device and contract queried, then a
//! 100-reading simulation after which both shareholders claim exactly what
//! accrued to them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, address, attested_chiller, cli, event_attr, get, pubkey, run};

#[test]
fn register_contract_read_and_query_over_cli_and_rest() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, Duration::from_secs(60));

    // alice (a KYC'd enterprise at genesis) is the manufacturer: her key is
    // the class's attestation key.
    let (class_id, asset_id) = attested_chiller(&net);
    // Owned in fractions: carol holds 30 % of the shares.
    run(
        &net,
        &[
            "tx",
            "asset",
            "fractionalize",
            "alice",
            &asset_id,
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
            &format!("3000share/{asset_id}"),
        ],
    );

    // The factory step (for this chain: the node says which), then
    // registration with the attestation and the device key's own consent.
    let meter = format!("p256:{}", pubkey(&net, "meter"));
    let attested = run(
        &net,
        &[
            "device",
            "attest",
            "--manufacturer-key",
            "alice",
            "--device-pubkey",
            &meter,
            "--class",
            &class_id,
            "--serial",
            "SN-0001",
            "-o",
            "json",
        ],
    );
    let attestation = attested["attestation"].as_str().unwrap().to_owned();
    // A forged attestation (bob's key is not the class's) is refused.
    let forged = String::from_utf8(
        cli(
            net.home(0),
            &[
                "device",
                "attest",
                "--manufacturer-key",
                "bob",
                "--device-pubkey",
                &meter,
                "--class",
                &class_id,
                "--serial",
                "SN-0001",
                "--node",
                &net.api(0),
            ],
        )
        .stdout,
    )
    .unwrap();
    let refused = cli(
        net.home(0),
        &[
            "tx",
            "device",
            "register",
            "alice",
            &asset_id,
            "--device-key",
            "meter",
            "--serial",
            "SN-0001",
            "--attestation",
            forged.trim(),
            "--node",
            &net.api(0),
            "--wait",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("metering#6"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    run(
        &net,
        &[
            "tx",
            "device",
            "register",
            "alice",
            &asset_id,
            "--device-key",
            "meter",
            "--serial",
            "SN-0001",
            "--attestation",
            &attestation,
        ],
    );

    // bob rents it: 3 ufrx per 2 units, carol maintains (10 %), 2 % platform.
    let r = run(
        &net,
        &[
            "tx",
            "contract",
            "open",
            "alice",
            &asset_id,
            "bob",
            "--price",
            "3ufrx",
            "--per-units",
            "2",
            "--maintainer",
            "carol",
            "--maintainer-bps",
            "1000",
            "--platform-bps",
            "200",
        ],
    );
    let contract_id = event_attr(&r, "metering.open_contract", "contract_id");
    run(
        &net,
        &[
            "tx",
            "contract",
            "accept",
            "bob",
            &contract_id,
            "--deposit",
            "1000ufrx",
        ],
    );

    // The contract's first reading is its baseline: nothing is billed for
    // usage before acceptance.
    let r = run(
        &net,
        &[
            "tx",
            "device",
            "reading",
            "meter",
            "--sequence",
            "1",
            "--counter",
            "0",
        ],
    );
    assert_eq!(event_attr(&r, "metering.reading", "charged"), "0");
    // One reading, signed by the device key, nonce 0.
    let reading = [
        "tx",
        "device",
        "reading",
        "meter",
        "--sequence",
        "2",
        "--counter",
        "10",
    ];
    let r = run(&net, &reading);
    assert_eq!(event_attr(&r, "metering.reading", "charged"), "15");
    assert_eq!(event_attr(&r, "metering.payment_split", "maintainer"), "1");
    // The same sequence again is a replay.
    let mut again = reading.to_vec();
    let api = net.api(0);
    again.extend(["--node", &api, "--wait"]);
    let replay = cli(net.home(0), &again);
    assert!(!replay.status.success());
    assert!(
        String::from_utf8_lossy(&replay.stderr).contains("metering#12"),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );

    // Tampering suspends the device; the registration attestation does not
    // lift it, the manufacturer's re-attestation for this suspension does.
    run(
        &net,
        &[
            "tx",
            "device",
            "report-tamper",
            "alice",
            "meter",
            "--reason",
            "enclosure opened",
        ],
    );
    let replayed = cli(
        net.home(0),
        &[
            "tx",
            "device",
            "reattest",
            "alice",
            "meter",
            "--attestation",
            &attestation,
            "--node",
            &api,
            "--wait",
        ],
    );
    assert!(!replayed.status.success());
    assert!(
        String::from_utf8_lossy(&replayed.stderr).contains("metering#39"),
        "{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    let reattested = run(
        &net,
        &[
            "device",
            "reattest",
            "meter",
            "--manufacturer-key",
            "alice",
            "-o",
            "json",
        ],
    );
    assert_eq!(reattested["suspensions"], 1, "{reattested}");
    run(
        &net,
        &[
            "tx",
            "device",
            "reattest",
            "alice",
            "meter",
            "--attestation",
            reattested["attestation"].as_str().unwrap(),
        ],
    );

    // Queries through the CLI and REST.
    let device = run(&net, &["query", "device", "show", "meter"]);
    assert_eq!(device["counter"], 10, "{device}");
    assert_eq!(device["last_sequence"], 2, "{device}");
    let contract = run(&net, &["query", "contract", "show", &contract_id]);
    assert_eq!(contract["charged"], "15", "{contract}");
    assert_eq!(contract["status"], "active", "{contract}");
    let bob = address(&net, "bob");
    let mine = run(&net, &["query", "contract", "customer", &bob]);
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    let devices = run(&net, &["query", "device", "asset", &asset_id]);
    assert_eq!(devices.as_array().map(Vec::len), Some(1), "{devices}");

    // The simulator streams more readings, many in flight at once.
    let sim = run(
        &net,
        &[
            "device",
            "simulate",
            "--device-key",
            "meter",
            "--rate",
            "5",
            "--profile",
            "gpu",
            "--count",
            "4",
            "-o",
            "json",
        ],
    );
    assert_eq!(sim["accepted"], 4, "{sim}");
    assert_eq!(sim["last_sequence"], 6, "{sim}");
    let device = run(&net, &["query", "device", "show", "meter"]);
    assert_eq!(device["last_sequence"], 6, "{device}");
    assert_eq!(device["counter"], sim["counter"], "{device} {sim}");
    let contract = run(&net, &["query", "contract", "show", &contract_id]);
    let charged: u128 = contract["charged"].as_str().unwrap().parse().unwrap();
    let sim_charged: u128 = sim["charged"].as_str().unwrap().parse().unwrap();
    assert_eq!(charged, 15 + sim_charged, "{contract} {sim}");
    assert!(sim_charged > 0, "{sim}");

    // A longer stream, then both shareholders claim exactly what accrued to
    // them (70/30 of the shareholders' part, to the unit).
    let sim = run(
        &net,
        &[
            "device",
            "simulate",
            "--device-key",
            "meter",
            "--rate",
            "50",
            "--profile",
            "cooling",
            "--count",
            "100",
            "-o",
            "json",
        ],
    );
    assert_eq!(sim["accepted"], 100, "{sim}");
    let pending = |who: &str| -> u128 {
        let v = get(
            &net,
            &format!("/v1/assets/{asset_id}/pending/{}", address(&net, who)),
        );
        v.as_array()
            .unwrap()
            .iter()
            .find(|c| c["denom"] == "ufrx")
            .map_or(0, |c| c["amount"].as_str().unwrap().parse().unwrap())
    };
    let (alice_due, carol_due) = (pending("alice"), pending("carol"));
    assert!(carol_due > 0, "carol accrued nothing");
    // 7,000 vs 3,000 shares: alice's due is 7/3 of carol's, give or take
    // the sub-unit fractions each holder keeps for later.
    assert!(
        alice_due * 3 <= carol_due * 7 + 3 && carol_due * 7 <= alice_due * 3 + 7,
        "{alice_due} vs {carol_due}"
    );
    for (who, due) in [("alice", alice_due), ("carol", carol_due)] {
        let r = run(&net, &["tx", "asset", "claim", who, &asset_id]);
        assert_eq!(
            event_attr(&r, "asset.income_claimed", "amount"),
            format!("{due}ufrx"),
            "{who}: {r}"
        );
        assert_eq!(pending(who), 0, "{who} can claim twice");
    }
}
