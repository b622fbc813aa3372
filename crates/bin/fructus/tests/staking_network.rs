//! Staking on a 4-validator network of separate `fructus node` processes:
//! two regulators' validators (super nodes) and two KYC'd enterprises'.
//! A stopped validator is jailed from the signatures the blocks carry and
//! loses its power, the chain keeps finalizing, and the regulators keep
//! their share of the voting power through the change.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, by_moniker, class_power, edit_staking_genesis, wait_until};

const LONG: Duration = Duration::from_secs(120);

/// Small downtime window; node2 and node3 become enterprises.
fn edit_genesis(net: &Net) {
    edit_staking_genesis(
        net,
        &[
            ("signed_blocks_window", 20),
            ("min_signed_bps", 5_000),
            ("jail_blocks", 100_000),
            ("slash_fraction_downtime_bps", 100),
            // Powers move at once (the ramp has its own test).
            ("power_ramp_blocks", 0),
        ],
        &["node2", "node3"],
    );
}

fn validators(net: &Net, i: usize) -> Vec<serde_json::Value> {
    let v: serde_json::Value = reqwest::blocking::Client::new()
        .get(format!("{}/v1/staking/validators", net.api(i)))
        .timeout(Duration::from_secs(10))
        .send()
        .unwrap()
        .json()
        .unwrap();
    v.as_array().unwrap().clone()
}

#[test]
fn a_stopped_validator_is_jailed_and_the_super_nodes_keep_their_share() {
    let mut net = Net::create(4);
    edit_genesis(&net);
    net.start_all();
    for i in 0..4 {
        net.wait_height(i, 5, LONG);
    }
    let list = validators(&net, 0);
    assert_eq!(list.len(), 4);
    assert!(list.iter().all(|v| v["status"] == "active"), "{list:?}");
    assert_eq!(class_power(&list), (340_000_000, 660_000_000));
    assert_eq!(by_moniker(&list, "node1")["power"], 170_000_000);
    assert_eq!(by_moniker(&list, "node3")["power"], 330_000_000);

    // node1, a regulator's validator with 17 % of the power, stops.
    net.kill(1);
    wait_until("node1 jailed", LONG, || {
        by_moniker(&validators(&net, 0), "node1")["status"] == "jailed"
    });
    let list = validators(&net, 0);
    let node1 = by_moniker(&list, "node1");
    assert_eq!(node1["power"], 0);
    // 1 % of its 10,000 FRX bond was burned.
    assert_eq!(node1["tokens"], 9_900_000_000_u64);
    // The other regulator now holds the regulators' whole share.
    assert_eq!(by_moniker(&list, "node0")["power"], 340_000_000);
    assert_eq!(class_power(&list), (340_000_000, 660_000_000));
    // Exactly one block reports the jailing among its events.
    let operator = node1["operator"].as_str().unwrap().to_owned();
    let client = net.client(0);
    let reporting: Vec<u64> =
        (1..=net.height(0).unwrap())
            .filter(|h| {
                client.block(Some(*h)).unwrap().events.iter().any(|e| {
                    e.kind == "staking.jailed" && e.get("operator") == Some(operator.as_str())
                })
            })
            .collect();
    assert_eq!(
        reporting.len(),
        1,
        "blocks reporting node1 jailed: {reporting:?}"
    );

    // The chain keeps finalizing with the three others, and the set
    // handed to consensus no longer has node1.
    let h = net.height(0).unwrap();
    net.wait_height(0, h + 5, LONG);
    let set = net.client(0).validators().unwrap();
    assert_eq!(set.len(), 3, "{set:?}");
    let last = net.height(0).unwrap();
    let block = net.client(0).block(Some(last)).unwrap();
    let signers = block.certificate.as_ref().map_or(0, |c| c.signers.len());
    assert!(
        signers >= 2,
        "height {last} certificate has {signers} signers"
    );
    // All running nodes agree on it.
    for i in [2, 3] {
        net.wait_height(i, last, LONG);
        let other = net.client(i).block(Some(last)).unwrap();
        assert_eq!(other.app_hash_after, block.app_hash_after);
    }
}
