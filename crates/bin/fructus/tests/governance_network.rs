//! Governance on a 3-validator network of separate `fructus node`
//! processes: a param-change proposal (the AMM's default swap fee) passes
//! and takes effect at the same height on every validator, and a passed
//! upgrade height stops every validator cleanly after the block before it;
//! started again, the old binary refuses to go on.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::{Duration, Instant};

use common::{Net, run, wait_until};

const LONG: Duration = Duration::from_secs(120);
const VALIDATORS: usize = 3;
/// Voting period of these networks, blocks (~100-150 ms each).
const VOTING: u64 = 60;

/// Short governance periods and a small deposit in every node's genesis.
fn edit_genesis(net: &Net) {
    let path = net.home(0).join("config/genesis.json");
    let mut g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    g["app_state"]["governance"] = serde_json::json!({
        "params": {
            "min_deposit": 1000,
            "expedited_min_deposit": 5000,
            "deposit_period_blocks": 100,
            "voting_period_blocks": VOTING,
            "expedited_voting_period_blocks": 20,
        }
    });
    let text = serde_json::to_string_pretty(&g).unwrap();
    for home in &net.homes {
        common::write_genesis(home, &text);
    }
}

fn get(net: &Net, i: usize, path: &str) -> serde_json::Value {
    reqwest::blocking::Client::new()
        .get(format!("{}{path}", net.api(i)))
        .timeout(Duration::from_secs(10))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

/// Submits `proposal` (a `tx gov propose-…` command line after `alice`),
/// has every validator's operator vote yes and returns the proposal.
fn pass(net: &Net, proposal: &[&str]) -> serde_json::Value {
    let mut args = vec![proposal[0], "alice"];
    args.extend(&proposal[1..]);
    let mut all = vec!["tx", "gov"];
    all.extend(args);
    all.extend(["--title", "t", "--deposit", "1000ufrx"]);
    let r = run(net, &all);
    assert_eq!(r["result"]["code"], 0, "{r}");
    let id = common::event_attr(&r, "gov.submit_proposal", "proposal_id");
    for v in 0..VALIDATORS {
        let voter = format!("node{v}");
        // Operators bonded all they had: alice pays their fees.
        let to = common::address(net, &voter);
        let r = run(net, &["tx", "bank", "send", "alice", &to, "100000ufrx"]);
        assert_eq!(r["result"]["code"], 0, "{r}");
        let r = run(net, &["tx", "gov", "vote", &voter, &id, "yes"]);
        assert_eq!(r["result"]["code"], 0, "{r}");
    }
    let p = run(net, &["query", "gov", "proposal", &id]);
    assert_eq!(p["status"], "voting_period", "{p}");
    p
}

#[test]
fn a_fee_proposal_takes_effect_at_the_same_height_on_every_validator() {
    let mut net = Net::create(VALIDATORS);
    edit_genesis(&net);
    net.start_all();
    for i in 0..VALIDATORS {
        net.wait_height(i, 2, LONG);
    }
    let p = pass(
        &net,
        &["propose-params", "amm", r#"{"default_fee_bps":45}"#],
    );
    let end = p["voting_end_height"].as_u64().unwrap();
    for i in 0..VALIDATORS {
        net.wait_height(i, end + 1, LONG);
    }
    for i in 0..VALIDATORS {
        let p = get(&net, i, &format!("/v1/gov/proposals/{}", p["id"]));
        assert_eq!(p["status"], "passed", "node{i}: {p}");
        assert_eq!(p["execution"]["height"], end, "node{i}: {p}");
        let block = get(&net, i, &format!("/v1/blocks/{end}"));
        let kinds: Vec<&str> = block["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"amm.params_updated"), "node{i}: {kinds:?}");
        let before = get(&net, i, &format!("/v1/blocks/{}", end - 1));
        assert!(
            !before["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["kind"] == "amm.params_updated"),
            "node{i}: changed before the end of voting"
        );
        assert_eq!(
            block["app_hash_after"],
            get(&net, 0, &format!("/v1/blocks/{end}"))["app_hash_after"]
        );
    }
}
#[test]
fn an_upgrade_height_stops_every_validator_cleanly_and_the_old_binary_refuses_to_restart() {
    let mut net = Net::create(VALIDATORS);
    edit_genesis(&net);
    net.start_all();
    for i in 0..VALIDATORS {
        net.wait_height(i, 2, LONG);
    }
    let now = net.height(0).unwrap();
    let halt = now + VOTING + 60;
    let halt_arg = halt.to_string();
    let p = pass(&net, &["propose-upgrade", "v2", &halt_arg]);
    assert!(p["voting_end_height"].as_u64().unwrap() < halt);
    // Every node stops by itself.
    let start = Instant::now();
    for i in 0..VALIDATORS {
        let child = net.procs[i].as_mut().unwrap();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < LONG,
                "node{i} did not stop for the upgrade: {}",
                net.log(i)
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(
            !status.success(),
            "node{i} reports the halt by its exit status"
        );
        net.procs[i] = None;
        // The node's last words name the upgrade and its height (it
        // stops only when the next height is the halt height: it committed
        // `halt - 1`).
        let log = net.log(i);
        assert!(
            log.contains(&format!(
                r#"UPGRADE "v2" (proposal {}) halts the chain before height {halt}"#,
                p["id"]
            )),
            "node{i}: {log}"
        );
    }
    // Started again, the binary that planned the upgrade refuses to run.
    net.start(0);
    wait_until("node0 to refuse the upgrade height", LONG, || {
        net.procs[0].as_mut().unwrap().try_wait().unwrap().is_some()
    });
    let log = net.log(0);
    assert!(
        log.contains(&format!("halts the chain before height {halt}")),
        "{log}"
    );
}
