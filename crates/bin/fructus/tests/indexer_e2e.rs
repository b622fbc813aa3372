//! A real node with `--indexer`: its history routes answer from the blocks it
//! commits (blocks, a transaction by signer, validator uptime), after a
//! kill -9 and a restart the history has no gap and no duplicate height, and
//! a history database that cannot be written never stops block production.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, address, get, run, wait_until};

const LONG: Duration = Duration::from_secs(120);

/// The last height the node's indexer wrote (0 while the API is not up).
fn indexed(net: &Net) -> u64 {
    reqwest::blocking::Client::new()
        .get(format!("{}/v1/history/status", net.api(0)))
        .timeout(Duration::from_secs(10))
        .send()
        .and_then(|r| r.json::<serde_json::Value>())
        .ok()
        .and_then(|s| s["last_height"].as_u64())
        .unwrap_or(0)
}

/// Every block height in `/v1/history/blocks`, walking pages of 7.
fn all_heights(net: &Net) -> Vec<u64> {
    let mut heights = Vec::new();
    let mut path = "/v1/history/blocks?limit=7".to_owned();
    for _ in 0..1000 {
        let page = get(net, &path);
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 7, "{page}");
        heights.extend(items.iter().map(|b| b["height"].as_u64().unwrap()));
        match page["next"].as_str() {
            Some(next) => path = format!("/v1/history/blocks?limit=7&before={next}"),
            None => return heights,
        }
    }
    panic!("pagination did not end");
}

#[test]
fn a_node_with_the_indexer_keeps_history_with_no_gap_across_a_crash() {
    let mut net = Net::create(1);
    net.start_with(0, &["--indexer"]);
    net.wait_height(0, 3, LONG);

    let status = get(&net, "/v1/history/status");
    assert_eq!(status["enabled"], true, "{status}");
    assert_eq!(status["db"], "sqlite", "{status}");
    assert!(net.home(0).join("data/indexer.db").exists());

    let alice = address(&net, "alice");
    let sent = run(&net, &["tx", "bank", "send", "alice", "bob", "1000ufrx"]);
    let hash = sent["hash"].as_str().unwrap().to_owned();
    let height = sent["result"]["height"].as_u64().unwrap();
    wait_until("the indexer to reach the transfer", LONG, || {
        indexed(&net) >= height
    });
    let txs = get(&net, &format!("/v1/history/txs?signer={alice}&limit=10"));
    let tx = txs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["hash"] == hash.as_str())
        .unwrap_or_else(|| panic!("{hash} not in {txs}"));
    assert_eq!(tx["height"], height);
    assert_eq!(tx["code"], 0);
    assert!(
        tx["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k.as_str().unwrap().starts_with("bank.")),
        "{tx}"
    );
    let block = get(
        &net,
        &format!("/v1/history/blocks?limit=1&before={}", height + 1),
    );
    assert_eq!(block["items"][0]["height"], height);
    assert!(block["items"][0]["txs"].as_u64().unwrap() >= 1, "{block}");

    // The only validator signed every height.
    let validators = get(&net, "/v1/validators");
    let validator = validators[0]["address"].as_str().unwrap().to_owned();
    let uptime = get(
        &net,
        &format!("/v1/history/validators/{validator}/uptime?limit=1000"),
    );
    let items = uptime["items"].as_array().unwrap();
    assert!(items.len() as u64 >= height, "{uptime}");
    assert!(items.iter().all(|u| u["signed"] == true), "{uptime}");

    // kill -9 mid-stream, restart: the indexer resumes where it stopped.
    net.kill(0);
    net.start_with(0, &["--indexer"]);
    let restarted = net.height(0).unwrap_or(0);
    wait_until("the restarted node to make blocks", LONG, || {
        net.height(0).is_some_and(|h| h >= restarted + 5)
    });
    let head = net.height(0).unwrap();
    wait_until("the indexer to catch up", LONG, || indexed(&net) >= head);
    let heights = all_heights(&net);
    let last = heights[0];
    assert!(last >= head);
    let expected: Vec<u64> = (1..=last).rev().collect();
    assert_eq!(heights, expected, "no gap, no duplicate, newest first");
    let status = get(&net, "/v1/history/status");
    assert_eq!(status["first_height"], 1, "{status}");
}

#[test]
fn a_locked_history_database_never_stops_block_production() {
    use sqlx::Connection as _;
    let mut net = Net::create(1);
    net.start_with(0, &["--indexer"]);
    wait_until("the indexer to start", LONG, || indexed(&net) >= 2);

    // Another process-like writer holds the database's write lock.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = format!("sqlite://{}", net.home(0).join("data/indexer.db").display());
    let mut lock = runtime.block_on(async {
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut c)
            .await
            .unwrap();
        c
    });
    let stuck = indexed(&net);
    let from = net.height(0).unwrap();
    wait_until("blocks while history cannot be written", LONG, || {
        net.height(0).is_some_and(|h| h >= from + 20)
    });
    assert!(
        indexed(&net) <= stuck + 1,
        "the indexer wrote while the database was locked"
    );

    // Released: the indexer catches up, every height exactly once.
    runtime.block_on(async {
        sqlx::query("ROLLBACK").execute(&mut lock).await.unwrap();
        lock.close().await.unwrap();
    });
    let head = net.height(0).unwrap();
    wait_until("the indexer to catch up", LONG, || indexed(&net) >= head);
    let heights = all_heights(&net);
    let expected: Vec<u64> = (1..=heights[0]).rev().collect();
    assert_eq!(heights, expected);
}
