//! Staking on a running node, every step through the CLI and visible over
//! REST: refusals, delegation, unbonding, rewards, parameters, and a KYC'd
//! enterprise joining the set with the regulators keeping their share.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, cli, get, run};
use fructus_crypto::{KeyAlgo, SigningKey};

/// A transaction that must be refused with `code` (`staking#4`).
fn refused(net: &Net, args: &[&str], code: &str) {
    let mut all = args.to_vec();
    let api = net.api(0);
    all.extend(["--node", &api, "--wait"]);
    let out = cli(net.home(0), &all);
    assert!(!out.status.success(), "{args:?} was accepted");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(code), "{args:?}: expected {code}, got {err}");
}

#[test]
fn delegate_unbond_and_join_the_set_over_cli_and_rest() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, Duration::from_secs(60));

    // The genesis validator: operated by its own (regulator) account.
    let validators = run(&net, &["query", "staking", "validators"]);
    let list = validators.as_array().unwrap();
    assert_eq!(list.len(), 1, "{validators}");
    assert_eq!(list[0]["status"], "active");
    assert_eq!(list[0]["super_node"], true);
    let node0 = list[0]["operator"].as_str().unwrap().to_owned();

    // bob is an individual: he may delegate but not validate.
    // A consensus key file, as `fructus init` writes one: create-validator
    // registers its key and signs the proof of possession with it.
    let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[42; 32]).unwrap();
    let key_file = net.home(0).join("joiner_validator_key.json");
    fructus_node::home::write_validator_key(&key_file, &key).unwrap();
    let key_file = key_file.to_str().unwrap().to_owned();
    refused(
        &net,
        &[
            "tx",
            "staking",
            "create-validator",
            "bob",
            "--consensus-key-file",
            &key_file,
            "--moniker",
            "bob",
            "--self-bond",
            "1000000ufrx",
        ],
        "staking#4",
    );
    refused(
        &net,
        &["tx", "staking", "edit-validator", "bob", "--moniker", "x"],
        "staking#7",
    );
    // (Most of the stake, so that the fees of the next blocks pay bob
    // whole units of reward.)
    run(
        &net,
        &[
            "tx",
            "staking",
            "delegate",
            "bob",
            &node0,
            "500000000000ufrx",
        ],
    );
    let dels = run(&net, &["query", "staking", "delegations", "bob"]);
    assert_eq!(dels[0]["validator"], node0.as_str());
    assert_eq!(dels[0]["tokens"], 500_000_000_000_u64);

    let r = run(
        &net,
        &["tx", "staking", "undelegate", "bob", &node0, "2000000ufrx"],
    );
    let events = r["result"]["events"].as_array().unwrap();
    assert!(
        events.iter().any(|e| e["kind"] == "staking.undelegate"),
        "{r}"
    );
    let unbonding = run(&net, &["query", "staking", "unbonding", "bob"]);
    assert_eq!(unbonding[0]["balance"], 2_000_000, "{unbonding}");
    assert_eq!(
        get(
            &net,
            &format!(
                "/v1/staking/unbonding/{}",
                unbonding[0]["delegator"].as_str().unwrap()
            )
        ),
        unbonding
    );

    // Fees of the transactions above are rewards: bob has some pending.
    let rewards = run(&net, &["query", "staking", "rewards", "bob"]);
    assert!(rewards["total"].as_u64().unwrap() > 0, "{rewards}");
    run(&net, &["tx", "staking", "withdraw-rewards", "bob", &node0]);
    let params = run(&net, &["query", "staking", "params"]);
    assert_eq!(params["super_node_share_bps"], 3_400);
    refused(&net, &["tx", "staking", "unjail", "bob"], "staking#7");

    // alice, a KYC'd enterprise, joins. Her node is not running; her
    // target is the enterprises' whole 66 %, but her power ramps in by
    // `TOTAL_POWER / power_ramp_blocks` a block (3,100 by default), so the
    // one-node chain keeps finalizing.
    run(
        &net,
        &[
            "tx",
            "staking",
            "create-validator",
            "alice",
            "--consensus-key-file",
            &key_file,
            "--moniker",
            "alice",
            "--self-bond",
            "1000000ufrx",
        ],
    );
    let validators = get(&net, "/v1/staking/validators");
    let list = validators.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let power = |super_node: bool| -> u64 {
        list.iter()
            .filter(|v| v["super_node"] == super_node)
            .map(|v| v["power"].as_u64().unwrap())
            .sum()
    };
    let step = 1_000_000_000 / 3_100;
    assert_eq!(power(true), 1_000_000_000 - step, "{validators}");
    assert_eq!(power(false), step, "{validators}");
    let alice = list.iter().find(|v| v["moniker"] == "alice").unwrap();
    assert_eq!(alice["status"], "active");
    let one = get(
        &net,
        &format!(
            "/v1/staking/validators/{}",
            alice["operator"].as_str().unwrap()
        ),
    );
    assert_eq!(&one, alice);
}
