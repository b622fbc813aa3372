//! The first enterprise to join a chain of regulators' validators (three
//! separate `fructus node` processes on 127.0.0.1) has the enterprises'
//! whole 66 % as its target power, and its node never starts. Its power
//! ramps in by `TOTAL_POWER / power_ramp_blocks` a block, so it stays under
//! a third of the set until downtime jails it: the chain keeps finalizing
//! throughout, and afterwards.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, address, by_moniker, cli, edit_staking_genesis, get, wait_until};
use fructus_crypto::{Address, KeyAlgo, SigningKey};

const LONG: Duration = Duration::from_secs(120);
/// Downtime window, blocks.
const WINDOW: u64 = 10;
/// The shortest ramp allowed for that window: 3 · (window + 2).
const RAMP: u64 = 3 * (WINDOW + 2);

fn staking_validators(net: &Net) -> Vec<serde_json::Value> {
    let out = cli(
        net.home(0),
        &[
            "query",
            "staking",
            "validators",
            "--node",
            &net.api(0),
            "-o",
            "json",
        ],
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().clone()
}

#[test]
fn the_chain_keeps_finalizing_when_a_newly_bonded_enterprises_node_never_starts() {
    let mut net = Net::create(3);
    // Every genesis validator is a regulator's.
    edit_staking_genesis(
        &net,
        &[
            ("signed_blocks_window", WINDOW),
            ("min_signed_bps", 5_000),
            ("jail_blocks", 100_000),
            ("power_ramp_blocks", RAMP),
        ],
        &[],
    );
    net.start_all();
    for i in 0..3 {
        net.wait_height(i, 3, LONG);
    }
    // alice, the demo KYC'd enterprise, bonds a consensus key no node holds.
    let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[42; 32]).unwrap();
    let key_hex = hex::encode(key.public_key().to_bytes());
    // The key is held elsewhere, so its proof of possession is made apart
    // and passed with the public key.
    let chain_id = get(&net, "/v1/status")["chain_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let operator: Address = address(&net, "alice").parse().unwrap();
    let proof = hex::encode(fructus_client::tx::msgs::consensus_key_proof(
        &key, &chain_id, &operator,
    ));
    let out = cli(
        net.home(0),
        &[
            "tx",
            "staking",
            "create-validator",
            "alice",
            "--consensus-key",
            &key_hex,
            "--consensus-key-proof",
            &proof,
            "--moniker",
            "absent",
            "--self-bond",
            "10000000000ufrx",
            "--node",
            &net.api(0),
            "-o",
            "json",
            "--wait",
        ],
    );
    assert!(
        out.status.success(),
        "create-validator: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["result"]["code"], 0, "{r}");
    let joined_at = r["result"]["height"].as_u64().unwrap();
    let list = staking_validators(&net);
    let power = by_moniker(&list, "absent")["power"].as_u64().unwrap();
    assert!(power > 0 && power <= 1_000_000_000 / RAMP, "{list:?}");

    // Downtime jails it after one window, and blocks go on being final.
    wait_until("the absent validator to be jailed", LONG, || {
        by_moniker(&staking_validators(&net), "absent")["status"] == "jailed"
    });
    let h = net.height(0).unwrap();
    assert!(h > joined_at + WINDOW, "jailed at {h}");
    net.wait_height(0, h + 5, LONG);
    let client = net.client(0);
    for height in joined_at..=h + 5 {
        let block = client.block(Some(height)).unwrap();
        let signers = block.certificate.as_ref().map_or(0, |c| c.signers.len());
        assert!(signers >= 2, "height {height} has {signers} signers");
    }
    assert_eq!(net.client(0).validators().unwrap().len(), 3);
}
