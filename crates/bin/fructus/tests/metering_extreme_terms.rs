//! A contract with extreme terms on a 4-validator network of separate
//! processes: the audit's overflowing penalty (2·10³⁸ per unit, 1 s
//! periods) is refused at the CLI/API, and a contract with every term at
//! its bound is accepted, runs through several period ends (SLA penalties
//! of 10³⁰ per period, rebates drawn from the pool) and every node keeps
//! finalizing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, attested_chiller, cli, event_attr, get, run, wait_until};

/// 10¹⁸, the bound of every amount term.
const MAX_AMOUNT: &str = "1000000000000000000";
/// 10¹², the bound of every per-period unit term.
const MAX_UNITS: &str = "1000000000000";

/// `tx contract open alice <asset> bob` with `terms`, against node 0.
fn open_args<'a>(asset_id: &'a str, terms: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["tx", "contract", "open", "alice", asset_id, "bob"];
    args.extend_from_slice(terms);
    args
}

/// A number field of a JSON value that may be a string or a number.
fn number(v: &serde_json::Value) -> u128 {
    match v {
        serde_json::Value::String(s) => s.parse().unwrap(),
        serde_json::Value::Number(n) => u128::from(n.as_u64().unwrap()),
        other => panic!("not a number: {other}"),
    }
}

#[test]
fn a_contract_with_extreme_terms_is_accepted_and_the_network_keeps_finalizing() {
    let mut net = Net::create(4);
    net.start_all();
    for i in 0..4 {
        net.wait_height(i, 2, Duration::from_secs(90));
    }

    let (_, asset_id) = attested_chiller(&net);

    // The audit's terms: refused before they reach state.
    let api = net.api(0);
    for terms in [
        [
            "--price",
            "1ufrx",
            "--period-ms",
            "1000",
            "--sla-min-units",
            "1",
            "--sla-penalty-per-unit",
            "200000000000000000000000000000000000000",
        ],
        [
            "--price",
            "1ufrx",
            "--period-ms",
            "10000",
            "--baseline-units",
            "1",
            "--rebate-per-unit",
            "200000000000000000000000000000000000000",
        ],
    ] {
        let mut args = open_args(&asset_id, &terms);
        args.extend(["--node", &api, "--wait"]);
        let out = cli(net.home(0), &args);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("metering#2"), "{stderr}");
    }

    // Every term at its bound: accepted.
    let r = run(
        &net,
        &open_args(
            &asset_id,
            &[
                "--price",
                &format!("{MAX_AMOUNT}ufrx"),
                "--period-ms",
                "10000",
                "--sla-min-units",
                MAX_UNITS,
                "--sla-penalty-per-unit",
                MAX_AMOUNT,
                "--baseline-units",
                MAX_UNITS,
                "--rebate-per-unit",
                MAX_AMOUNT,
                "--notice-ms",
                "316224000000",
            ],
        ),
    );
    let contract_id = event_attr(&r, "metering.open_contract", "contract_id");
    run(&net, &["tx", "contract", "accept", "bob", &contract_id]);
    run(
        &net,
        &[
            "tx",
            "contract",
            "fund-incentive",
            "alice",
            &contract_id,
            "700ufrx",
        ],
    );

    // Three period ends of 10¹² missing units × 10¹⁸ each.
    let per_period: u128 = 1_000_000_000_000_000_000_000_000_000_000;
    let path = format!("/v1/contracts/{contract_id}");
    let mut last = serde_json::Value::Null;
    wait_until("three period ends", Duration::from_secs(90), || {
        last = get(&net, &path);
        let c = if last["contract"].is_object() {
            &last["contract"]
        } else {
            &last
        };
        !c["penalty_due"].is_null() && number(&c["penalty_due"]) >= 3 * per_period
    });
    let c = if last["contract"].is_object() {
        &last["contract"]
    } else {
        &last
    };
    assert_eq!(c["status"], "active", "{last}");
    assert_eq!(number(&c["rebates_paid"]), 700, "{last}");

    // And every node keeps finalizing past it.
    let h = net.height(0).unwrap();
    for i in 0..4 {
        net.wait_height(i, h + 10, Duration::from_secs(60));
    }
    for i in 0..4 {
        assert!(
            !net.log(i).contains("overflows"),
            "node{i} log: {}",
            net.log(i)
        );
    }
}
