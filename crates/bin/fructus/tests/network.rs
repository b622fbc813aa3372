//! A 4-validator network of separate `fructus node` processes on 127.0.0.1,
//! made by `fructus testnet`: agreement, transaction propagation, a killed
//! validator, catch-up after restart, a full node joining later, and a full
//! stop/restart of the whole network.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::{process::Command, time::Duration};

use common::{Net, bin, cli, edit_config, wait_until};

const LONG: Duration = Duration::from_secs(120);

fn balance(net: &Net, i: usize, address: &str) -> u128 {
    let acct = net.client(i).account(&address.parse().unwrap()).unwrap();
    acct.balances
        .iter()
        .find(|c| c.denom.as_str() == "ufrx")
        .map_or(0, |c| c.amount.value())
}

/// A counter from node `i`'s `/metrics` (0 when absent).
fn counter(net: &Net, i: usize, name: &str) -> u64 {
    let metrics = reqwest::blocking::get(format!("{}/metrics", net.api(i)))
        .unwrap()
        .text()
        .unwrap();
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0)
}

fn address_of(net: &Net, name: &str) -> String {
    let out = cli(net.home(0), &["keys", "show", name, "--address"]);
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn four_validators_agree_survive_a_crash_and_restart() {
    let mut net = Net::create(4);
    // Validator 1 syncs its state every 8 blocks (`[storage]`): killed
    // below, it restarts up to 8 blocks behind its own block store and
    // replays them before it rejoins.
    edit_config(
        net.home(1),
        "sync_every_blocks = 1",
        "sync_every_blocks = 8",
    );
    net.start_all();
    for i in 0..4 {
        net.wait_height(i, 20, LONG);
    }

    // Identical block and app hashes at every common height; certificates
    // carry more than 2/3 of the validators.
    let common = (0..4).map(|i| net.height(i).unwrap()).min().unwrap();
    for h in 1..=common {
        let blocks: Vec<_> = (0..4)
            .map(|i| net.client(i).block(Some(h)).unwrap())
            .collect();
        for b in &blocks[1..] {
            assert_eq!(b.hash, blocks[0].hash, "block hash differs at height {h}");
            assert_eq!(
                b.app_hash_after, blocks[0].app_hash_after,
                "app hash differs at height {h}"
            );
        }
        let signers = blocks[0]
            .certificate
            .as_ref()
            .map_or(0, |c| c.signers.len());
        assert!(signers >= 3, "height {h} certificate has {signers} signers");
    }

    // A transaction sent to node 0 is visible on node 3.
    let bob = address_of(&net, "bob");
    let before = balance(&net, 3, &bob);
    let out = cli(
        net.home(0),
        &[
            "tx",
            "bank",
            "send",
            "alice",
            "bob",
            "12345ufrx",
            "--node",
            &net.api(0),
            "--wait",
        ],
    );
    assert!(
        out.status.success(),
        "send failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_until("node3 to see the transfer", LONG, || {
        balance(&net, 3, &bob) == before + 12345
    });
    // It reached the other validators' mempools by gossip, not only in a block.
    for i in 1..4 {
        let admitted = counter(&net, i, "fructus_mempool_admitted_total");
        assert!(
            admitted >= 1,
            "node{i} never admitted the gossiped transaction"
        );
    }
    // Each validator planned the blocks it proposed or voted on, and
    // executed them from that plan (the fees charged once).
    for i in 0..4 {
        let from_plan = counter(&net, i, "fructus_blocks_from_plan_total");
        assert!(from_plan >= 1, "node{i} executed no block from its plan");
    }

    // kill -9 one validator: the other three keep finalizing.
    net.kill(1);
    let h = net.height(0).unwrap();
    for i in [0, 2, 3] {
        net.wait_height(i, h + 5, LONG);
    }

    // Restart it: it replays what its state had not synced, catches up to
    // the others and agrees with them (a block's hash covers the app hash
    // its header carries).
    net.start(1);
    let target = net.height(0).unwrap();
    net.wait_height(1, target, LONG);
    assert_eq!(
        net.client(1).block(Some(target)).unwrap().hash,
        net.client(0).block(Some(target)).unwrap().hash
    );

    // A fresh full node joins later and syncs to the tip.
    let full_home = net.dir.path().join("full");
    let base = net.base;
    // The range after the last validator's, kept free by `Net::create`.
    let port = |k: u16| format!("127.0.0.1:{}", base + 40 + k);
    let mut args: Vec<String> = vec![
        "--home".into(),
        full_home.display().to_string(),
        "init".into(),
        "--moniker".into(),
        "full".into(),
    ];
    args.extend([
        "--genesis".into(),
        net.home(0)
            .join("config/genesis.json")
            .display()
            .to_string(),
    ]);
    args.extend([
        "--p2p-listen".into(),
        port(0),
        "--gossip-listen".into(),
        port(1),
        "--api-listen".into(),
        port(2),
    ]);
    for i in 0..4u16 {
        args.extend(["--p2p-peer".into(), format!("127.0.0.1:{}", base + 10 * i)]);
    }
    let out = Command::new(bin()).args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "init full node: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    net.homes.push(full_home);
    net.procs.push(None);
    net.start(4);
    let full_api = format!("http://{}", port(2));
    let full = fructus_client::http::NodeClient::new(&full_api).unwrap();
    let tip = net.height(0).unwrap();
    wait_until("the full node to sync", LONG, || {
        full.status().is_ok_and(|s| s.latest_height >= tip)
    });
    assert_eq!(
        full.block(Some(tip)).unwrap().hash,
        net.client(0).block(Some(tip)).unwrap().hash
    );
    assert_eq!(full.status().unwrap().validator_count, 4);

    // Stop everything cleanly and restart: the chain resumes with its state.
    let bob_balance = balance(&net, 0, &bob);
    let stored = net.height(0).unwrap();
    for i in 0..5 {
        assert!(net.stop(i), "node{i} did not stop cleanly:\n{}", net.log(i));
    }
    for i in 0..4 {
        net.start(i);
    }
    wait_until("the network to answer again", LONG, || {
        net.height(0).is_some()
    });
    let resumed = net.height(0).unwrap();
    assert!(
        resumed >= stored,
        "resumed at {resumed}, below the stored height {stored}"
    );
    for i in 0..4 {
        net.wait_height(i, resumed + 3, LONG);
    }
    assert_eq!(balance(&net, 2, &bob), bob_balance);
    // A clean stop leaves every committed state on disk, also on validator
    // 1, which syncs only every 8th block by itself: nothing was replayed.
    for i in 0..4 {
        let log = net.log(i);
        assert!(
            !log.contains("replaying stored blocks"),
            "node{i} replayed blocks after a clean stop:\n{log}"
        );
    }
}
