//! A node started with `--pruning N` keeps at most N state versions and N
//! blocks: proofs at kept heights are served, proofs and blocks at pruned
//! heights are refused with `node#3` naming the oldest kept height.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::Net;

const LONG: Duration = Duration::from_secs(180);
const KEEP: u64 = 100;

fn get(net: &Net, path: &str) -> (u16, serde_json::Value) {
    let resp = reqwest::blocking::Client::new()
        .get(format!("{}{path}", net.api(0)))
        .timeout(Duration::from_secs(10))
        .send()
        .unwrap();
    (resp.status().as_u16(), resp.json().unwrap())
}

#[test]
fn a_pruning_node_keeps_at_most_n_versions_and_refuses_proofs_at_pruned_heights() {
    let mut net = Net::create(1);
    net.start_with(0, &["--pruning", &KEEP.to_string()]);
    net.wait_height(0, KEEP + 60, LONG);

    let latest = net.height(0).unwrap();
    // A kept height: the proof is served against that height's app hash.
    let kept = latest - KEEP / 2;
    let (status, proof) = get(&net, &format!("/v1/proofs/00?height={kept}"));
    assert_eq!(status, 200, "{proof}");
    let block = net.client(0).block(Some(kept)).unwrap();
    assert_eq!(proof["app_hash"].as_str().unwrap(), block.app_hash_after);

    // A pruned height: a typed 404 that names the oldest kept height.
    let old = latest - KEEP - 40;
    let (status, err) = get(&net, &format!("/v1/proofs/00?height={old}"));
    assert_eq!(status, 404, "{err}");
    assert_eq!(
        (err["codespace"].as_str(), err["code"].as_u64()),
        (Some("node"), Some(3))
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("keeps versions from"),
        "{err}"
    );
    let (status, err) = get(&net, &format!("/v1/blocks/{old}"));
    assert_eq!(status, 404, "{err}");
    assert_eq!(err["code"].as_u64(), Some(3), "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("keeps blocks from height"),
        "{err}"
    );

    // Stopped, the store holds exactly the latest KEEP versions.
    assert!(net.stop(0), "{}", net.log(0));
    let storage = fructus_storage::Storage::open(&net.home(0).join("data/state")).unwrap();
    let last = storage.latest_version().unwrap();
    assert_eq!(storage.oldest_version(), last + 1 - KEEP);
    assert_eq!(storage.stats().unwrap().versions_kept, KEEP);
    let blocks = fructus_node::BlockStore::open(&net.home(0).join("data/blocks.redb")).unwrap();
    let last_block = blocks.last_height().unwrap();
    assert_eq!(blocks.first_height().unwrap(), last_block + 1 - KEEP);
}
