//! A validator joins and leaves a running network of separate `fructus
//! node` processes on 127.0.0.1 (one regulator's validator, two KYC'd
//! enterprises').
//!
//! A fresh full node (`fructus init --genesis … --p2p-peer …`, its own home
//! and consensus key) syncs; the KYC'd enterprise `alice` bonds that node's
//! consensus key with `tx staking create-validator`. It is active with
//! power, the consensus set grows exactly at the height after the
//! transaction's (the set computed in `end_block` of H is the set of H + 1,
//! checked through `header.validator_set_hash`), and later blocks carry its
//! precommit in their certificates and some are proposed by it. When
//! `alice` undelegates her whole self-bond, the validator leaves the set at
//! the height after that transaction, the chain keeps finalizing on the
//! original validators, later certificates no longer hold it, and the
//! unbonded tokens come back after `unbonding_blocks`. Regulators keep
//! their 34 % of the voting power throughout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::{process::Command, time::Duration};

use common::{
    Net, bin, by_moniker, class_power, cli, edit_config, edit_staking_genesis, reserve_ports,
    wait_until,
};
use fructus_client::http::NodeClient;
use fructus_consensus::{ValidatorInfo, ValidatorSetInfo};
use fructus_crypto::{KeyAlgo, PublicKey};

const LONG: Duration = Duration::from_secs(120);
/// Short, so that the unbonded tokens come back within the test.
const UNBONDING_BLOCKS: u64 = 15;
/// alice's bond: as much as each genesis validator's, so the three
/// enterprises' validators share the enterprises' 66 % equally.
const BOND: u128 = 10_000_000_000;
/// `TOTAL_POWER · super_node_share_bps / 10000` with the default 3,400 bps:
/// the regulators' pool. Powers are floored pro rata inside each class
/// (a class's sum may be up to n − 1 units below its pool); with equal
/// bonds here every division is exact, so the sums are exact.
const REGULATORS: u64 = 340_000_000;
const ENTERPRISES: u64 = 660_000_000;

/// Short unbonding; node1 and node2 become KYC'd enterprises (attested by
/// the demo regulator), node0 stays the only regulator's validator.
fn edit_genesis(net: &Net) {
    edit_staking_genesis(
        net,
        // Powers move at once (the ramp has its own test).
        &[
            ("unbonding_blocks", UNBONDING_BLOCKS),
            ("power_ramp_blocks", 0),
        ],
        &["node1", "node2"],
    );
}

/// The CLI against node0, JSON out; `tx` waits for the commit and must
/// succeed.
fn run(net: &Net, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    let api = net.api(0);
    all.extend(["--node", &api, "-o", "json"]);
    if args.first() == Some(&"tx") {
        all.push("--wait");
    }
    let out = cli(net.home(0), &all);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    if args.first() == Some(&"tx") {
        assert_eq!(v["result"]["code"], 0, "{args:?}: {v}");
    }
    v
}

/// `query staking validators`.
fn staking_validators(net: &Net) -> Vec<serde_json::Value> {
    run(net, &["query", "staking", "validators"])
        .as_array()
        .unwrap()
        .clone()
}

/// The consensus set served by `/v1/validators` (the set of the height
/// after the node's latest) and its hash as block headers carry it.
fn consensus_set(client: &NodeClient) -> (Vec<(String, u64)>, String) {
    let views = client.validators().unwrap();
    let info = ValidatorSetInfo::new(
        views
            .iter()
            .map(|v| {
                let key =
                    PublicKey::from_bytes(KeyAlgo::Ed25519, &hex::decode(&v.public_key).unwrap())
                        .unwrap();
                assert_eq!(key.address(), v.address);
                ValidatorInfo::new(key, v.voting_power)
            })
            .collect(),
    );
    let members = views
        .iter()
        .map(|v| (v.address.to_string(), v.voting_power))
        .collect();
    (members, hex::encode(info.hash()))
}

fn set_hash_at(net: &Net, height: u64) -> String {
    net.client(0)
        .block(Some(height))
        .unwrap()
        .header
        .validator_set_hash
        .to_lowercase()
}

fn signers_at(net: &Net, height: u64) -> Vec<String> {
    net.client(0)
        .block(Some(height))
        .unwrap()
        .certificate
        .unwrap_or_else(|| panic!("height {height} has no certificate"))
        .signers
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn ufrx(net: &Net, address: &str) -> u128 {
    let acct = net.client(0).account(&address.parse().unwrap()).unwrap();
    acct.balances
        .iter()
        .find(|c| c.denom.as_str() == "ufrx")
        .map_or(0, |c| c.amount.value())
}

#[test]
fn a_new_validator_joins_signs_and_leaves_while_the_chain_keeps_finalizing() {
    let mut net = Net::create(3);
    edit_genesis(&net);
    net.start_all();
    for i in 0..3 {
        net.wait_height(i, 3, LONG);
    }
    let genesis_list = staking_validators(&net);
    assert_eq!(genesis_list.len(), 3, "{genesis_list:?}");
    assert_eq!(class_power(&genesis_list), (REGULATORS, ENTERPRISES));
    let (genesis_set, genesis_hash) = consensus_set(&net.client(0));
    assert_eq!(genesis_set.len(), 3);

    // 1. A full node joins the chain: own home, own consensus key, the
    // running validators as peers, free loopback ports.
    let home = net.dir.path().join("joiner");
    let ports = reserve_ports(1);
    let base = ports.base;
    let addr = |k: u16| format!("127.0.0.1:{}", base + k);
    let mut args: Vec<String> = vec![
        "--home".into(),
        home.display().to_string(),
        "-o".into(),
        "json".into(),
        "init".into(),
        "--moniker".into(),
        "joiner".into(),
        "--genesis".into(),
        net.home(0)
            .join("config/genesis.json")
            .display()
            .to_string(),
        "--p2p-listen".into(),
        addr(0),
        "--gossip-listen".into(),
        addr(1),
        "--api-listen".into(),
        addr(2),
        "--target-block-time-ms".into(),
        "100".into(),
    ];
    for i in 0..3u16 {
        args.extend([
            "--p2p-peer".into(),
            format!("127.0.0.1:{}", net.base + 10 * i),
            "--gossip-peer".into(),
            format!("127.0.0.1:{}", net.base + 10 * i + 1),
        ]);
    }
    let out = Command::new(bin()).args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "init joiner: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let init: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let consensus_key = init["validator_public_key"].as_str().unwrap().to_owned();
    let joiner = init["validator_address"].as_str().unwrap().to_owned();
    // What init printed is the key the node signs with.
    let key_file: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(home.join("config/validator_key.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(key_file["public_key"], consensus_key.as_str());
    assert_eq!(key_file["address"], joiner.as_str());
    // The same idle interval as the testnet's validators.
    edit_config(
        &home,
        "max_idle_interval_ms = 3000",
        "max_idle_interval_ms = 150",
    );
    net.homes.push(home);
    net.procs.push(None);
    let j = net.procs.len() - 1;
    net.start(j);
    let joiner_client = NodeClient::new(&format!("http://{}", addr(2)))
        .unwrap()
        .with_timeout(Duration::from_secs(10));
    let tip = net.height(0).unwrap();
    wait_until("the joiner to sync", LONG, || {
        joiner_client.status().is_ok_and(|s| s.latest_height >= tip)
    });
    assert_eq!(
        joiner_client.block(Some(tip)).unwrap().hash,
        net.client(0).block(Some(tip)).unwrap().hash
    );
    assert!(!genesis_set.iter().any(|(a, _)| *a == joiner));

    // 2. alice, the demo KYC'd enterprise, operates no validator yet; she
    // bonds the joiner's consensus key.
    let alice = String::from_utf8(cli(net.home(0), &["keys", "show", "alice", "--address"]).stdout)
        .unwrap()
        .trim()
        .to_owned();
    assert!(
        !genesis_list.iter().any(|v| v["operator"] == alice.as_str()),
        "alice already operates a validator: {genesis_list:?}"
    );
    let bond = format!("{BOND}ufrx");
    // The joiner's consensus key file signs the proof of possession.
    let joiner_key_file = net
        .home(j)
        .join("config/validator_key.json")
        .to_str()
        .unwrap()
        .to_owned();
    let r = run(
        &net,
        &[
            "tx",
            "staking",
            "create-validator",
            "alice",
            "--consensus-key-file",
            &joiner_key_file,
            "--moniker",
            "joiner",
            "--self-bond",
            &bond,
        ],
    );
    let joined_at = r["result"]["height"].as_u64().unwrap();

    // 3. Active with power; the regulators keep 34 %.
    let list = staking_validators(&net);
    assert_eq!(list.len(), 4, "{list:?}");
    let v = by_moniker(&list, "joiner");
    assert_eq!(v["operator"], alice.as_str());
    assert_eq!(v["consensus_address"], joiner.as_str());
    assert_eq!(v["status"], "active", "{v}");
    assert_eq!(v["super_node"], false);
    assert_eq!(v["tokens"], BOND as u64);
    let joiner_power = v["power"].as_u64().unwrap();
    assert!(joiner_power > 0, "{v}");
    assert_eq!(class_power(&list), (REGULATORS, ENTERPRISES), "{list:?}");
    assert_eq!(by_moniker(&list, "node0")["power"], REGULATORS);
    for m in ["node1", "node2", "joiner"] {
        assert_eq!(by_moniker(&list, m)["power"], ENTERPRISES / 3, "{m}");
    }

    // The consensus set grows, from height joined_at + 1 exactly.
    let (grown_set, grown_hash) = consensus_set(&net.client(0));
    assert_eq!(grown_set.len(), 4, "{grown_set:?}");
    assert!(
        grown_set.contains(&(joiner.clone(), joiner_power)),
        "{grown_set:?}"
    );
    assert_ne!(grown_hash, genesis_hash);
    net.wait_height(0, joined_at + 1, LONG);
    assert_eq!(set_hash_at(&net, joined_at), genesis_hash);
    assert_eq!(set_hash_at(&net, joined_at + 1), grown_hash);
    // The joiner's own view, once it has that height too.
    wait_until("the joiner to reach the join", LONG, || {
        joiner_client
            .status()
            .is_ok_and(|s| s.latest_height > joined_at)
    });
    assert_eq!(joiner_client.status().unwrap().validator_count, 4);

    // No certificate before could hold it; later ones do, and it proposes.
    for h in 1..=joined_at {
        assert!(
            !signers_at(&net, h).contains(&joiner),
            "height {h} signed by the joiner before it joined"
        );
    }
    let mut signed = None;
    let mut proposed = None;
    let mut next = joined_at + 1;
    wait_until(
        "a block signed and one proposed by the joiner",
        LONG,
        || {
            while net.height(0).is_some_and(|t| t >= next) {
                let block = net.client(0).block(Some(next)).unwrap();
                let signers = block.certificate.map(|c| c.signers).unwrap_or_default();
                if signed.is_none() && signers.iter().any(|s| s.to_string() == joiner) {
                    signed = Some(next);
                }
                if proposed.is_none() && block.header.proposer.to_string() == joiner {
                    proposed = Some(next);
                }
                next += 1;
            }
            signed.is_some() && proposed.is_some()
        },
    );
    eprintln!("joined at {joined_at}; signed {signed:?}; proposed {proposed:?}");

    // 4. alice undelegates her whole self-bond: the validator leaves.
    let alice_before = ufrx(&net, &alice);
    let r = run(
        &net,
        &["tx", "staking", "undelegate", "alice", &alice, &bond],
    );
    let left_at = r["result"]["height"].as_u64().unwrap();
    let alice_unbonding = ufrx(&net, &alice);
    assert!(alice_unbonding < alice_before, "the fee was not paid");

    let list = staking_validators(&net);
    let v = by_moniker(&list, "joiner");
    assert_eq!(v["status"], "inactive", "{v}");
    assert_eq!(v["power"], 0);
    assert_eq!(v["tokens"], 0);
    assert_eq!(class_power(&list), (REGULATORS, ENTERPRISES), "{list:?}");
    for m in ["node1", "node2"] {
        assert_eq!(by_moniker(&list, m)["power"], ENTERPRISES / 2, "{m}");
    }
    // The set shrinks back to the genesis set from height left_at + 1.
    let (shrunk_set, shrunk_hash) = consensus_set(&net.client(0));
    assert_eq!(shrunk_set, genesis_set);
    assert_eq!(shrunk_hash, genesis_hash);
    net.wait_height(0, left_at + 1, LONG);
    assert_eq!(set_hash_at(&net, left_at), grown_hash);
    assert_eq!(set_hash_at(&net, left_at + 1), genesis_hash);

    // The chain keeps finalizing on the original validators, without it.
    let unbonding = run(&net, &["query", "staking", "unbonding", &alice]);
    let entries = unbonding.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{unbonding}");
    assert_eq!(entries[0]["balance"], BOND as u64);
    let completion = left_at + UNBONDING_BLOCKS;
    assert_eq!(entries[0]["completion_height"], completion, "{unbonding}");
    let end = completion + 2;
    for i in 0..3 {
        net.wait_height(i, end, LONG);
    }
    for h in left_at + 1..=end {
        let signers = signers_at(&net, h);
        assert!(
            !signers.contains(&joiner),
            "height {h} signed by the joiner after it left"
        );
        assert!(signers.len() >= 2, "height {h}: {signers:?}");
    }
    let last = net.client(0).block(Some(end)).unwrap();
    assert_eq!(last.header.validator_set_hash.to_lowercase(), genesis_hash);
    for i in 1..3 {
        assert_eq!(
            net.client(i).block(Some(end)).unwrap().app_hash_after,
            last.app_hash_after
        );
    }
    // The joiner follows on as a full node.
    wait_until("the joiner to follow", LONG, || {
        joiner_client.status().is_ok_and(|s| s.latest_height >= end)
    });
    assert_eq!(
        joiner_client.block(Some(end)).unwrap().hash,
        last.hash,
        "{}",
        net.log(j)
    );

    // The unbonded tokens are back after unbonding_blocks.
    let unbonding = run(&net, &["query", "staking", "unbonding", &alice]);
    assert_eq!(unbonding.as_array().unwrap().len(), 0, "{unbonding}");
    assert_eq!(ufrx(&net, &alice), alice_unbonding + BOND);
    assert_eq!(
        class_power(&staking_validators(&net)),
        (REGULATORS, ENTERPRISES)
    );
}
