#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]
//! Real engines on real loopback sockets: a lone validator, four validators
//! agreeing, catch-up through sync (late validator and full node), and a
//! rejected proposal that costs one round but not the chain.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use fructus_consensus::decode_certificate;

/// Tests in this file start many engines; run them one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const LIMIT: Duration = Duration::from_secs(60);

fn dummy_home() -> std::path::PathBuf {
    std::env::temp_dir()
}

/// Checks that each node's chain links up and all nodes agree on 1..=upto.
fn assert_agreement(nodes: &[&TestNode], upto: u64) {
    for h in 1..=upto {
        let first = nodes[0].block_hash(h).expect("block present");
        for n in nodes {
            assert_eq!(n.block_hash(h), Some(first), "height {h} differs");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lone_validator_decides_ten_heights() {
    let _g = SERIAL.lock().await;
    init_tracing();
    let set = validator_set(&[0]);
    let listen = free_port();
    let node = spawn(
        config(0, listen, vec![], &dummy_home()),
        TestHost::new(set.clone()),
    );
    wait_until(LIMIT, "lone validator at height 10", || node.height() >= 10).await;
    {
        let chain = node.chain.lock().unwrap();
        for (i, (block, cert)) in chain.blocks.iter().enumerate() {
            let h = i as u64 + 1;
            assert_eq!(block.header.height, h);
            if i > 0 {
                assert_eq!(block.header.prev_block_hash, chain.blocks[i - 1].0.hash());
            }
            let info = decode_certificate(cert).unwrap();
            assert_eq!(info.height, h);
            assert_eq!(info.block_hash, block.hash());
            assert_eq!(info.signers, vec![node.address]);
            assert_eq!(block.txs.len(), 2);
        }
    }
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_validator_waits_before_proposing_empty_blocks() {
    let _g = SERIAL.lock().await;
    init_tracing();
    let set = validator_set(&[0]);
    let mut host = TestHost::new(set);
    host.pending_txs = false;
    // Target 50 ms, idle interval 200 ms (see `config`).
    let node = spawn(config(0, free_port(), vec![], &dummy_home()), host);
    wait_until(LIMIT, "first block", || node.height() >= 1).await;
    let start = std::time::Instant::now();
    wait_until(LIMIT, "four more blocks", || node.height() >= 5).await;
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(4 * 180),
        "idle blocks came too fast: {elapsed:?}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_validators_agree_with_quorum_certificates() {
    let _g = SERIAL.lock().await;
    init_tracing();
    let ids = [0u8, 1, 2, 3];
    let set = validator_set(&ids);
    let addrs: Vec<_> = ids.iter().map(|_| free_port()).collect();
    let nodes: Vec<TestNode> = ids
        .iter()
        .map(|&i| {
            let peers = addrs
                .iter()
                .copied()
                .filter(|a| *a != addrs[i as usize])
                .collect();
            spawn(
                config(i, addrs[i as usize], peers, &dummy_home()),
                TestHost::new(set.clone()),
            )
        })
        .collect();
    wait_until(LIMIT, "four validators at height 10", || {
        nodes.iter().all(|n| n.height() >= 10)
    })
    .await;
    let refs: Vec<&TestNode> = nodes.iter().collect();
    assert_agreement(&refs, 10);
    let total = set.total_power();
    for n in &nodes {
        let chain = n.chain.lock().unwrap();
        for (block, cert) in chain.blocks.iter().take(10) {
            let info = decode_certificate(cert).unwrap();
            assert_eq!(info.block_hash, block.hash());
            let mut signers = info.signers.clone();
            signers.sort();
            signers.dedup();
            assert_eq!(signers.len(), info.signers.len(), "duplicate signer");
            let power: u64 = signers
                .iter()
                .map(|a| set.get(a).expect("signer in set").voting_power)
                .sum();
            assert!(
                3 * power > 2 * total,
                "certificate power {power} of {total}"
            );
        }
    }
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_validator_and_full_node_catch_up_through_sync() {
    let _g = SERIAL.lock().await;
    init_tracing();
    let ids = [0u8, 1, 2, 3];
    let set = validator_set(&ids);
    // Five addresses: four validators and one full node (key 9, not in the set).
    let addrs: Vec<_> = (0..5).map(|_| free_port()).collect();
    let peers_of = |me: usize| -> Vec<_> {
        addrs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != me)
            .map(|(_, a)| *a)
            .collect()
    };
    // Three of four equal validators (75% > 2/3) make progress alone.
    let early: Vec<TestNode> = (0..3u8)
        .map(|i| {
            spawn(
                config(i, addrs[i as usize], peers_of(i as usize), &dummy_home()),
                TestHost::new(set.clone()),
            )
        })
        .collect();
    wait_until(LIMIT, "three validators at height 6", || {
        early.iter().all(|n| n.height() >= 6)
    })
    .await;

    let late = spawn(
        config(3, addrs[3], peers_of(3), &dummy_home()),
        TestHost::new(set.clone()),
    );
    let full = spawn(
        config(9, addrs[4], peers_of(4), &dummy_home()),
        TestHost::new(set.clone()),
    );
    let target = early.iter().map(|n| n.height()).max().unwrap() + 2;
    wait_until(LIMIT, "late validator and full node caught up", || {
        late.height() >= target && full.height() >= target
    })
    .await;

    let mut all: Vec<&TestNode> = early.iter().collect();
    all.push(&late);
    all.push(&full);
    wait_until(LIMIT, "everyone at target", || {
        all.iter().all(|n| n.height() >= target)
    })
    .await;
    assert_agreement(&all, target);
    // The full node never signs: it is not in the set.
    for h in 1..=target {
        let chain = full.chain.lock().unwrap();
        let info = decode_certificate(&chain.blocks[h as usize - 1].1).unwrap();
        assert!(!info.signers.contains(&full.address));
    }
    for n in early {
        n.stop().await;
    }
    late.stop().await;
    full.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_proposal_fails_its_round_but_the_chain_continues() {
    let _g = SERIAL.lock().await;
    init_tracing();
    let ids = [0u8, 1, 2, 3];
    let set = validator_set(&ids);
    let bad = set.proposer(3, 0).unwrap().address;
    let addrs: Vec<_> = ids.iter().map(|_| free_port()).collect();
    let mut rejected = Vec::new();
    let nodes: Vec<TestNode> = ids
        .iter()
        .map(|&i| {
            let peers = addrs
                .iter()
                .copied()
                .filter(|a| *a != addrs[i as usize])
                .collect();
            let mut host = TestHost::new(set.clone());
            host.reject = Some(RejectRule {
                height: 3,
                proposer: bad,
            });
            rejected.push(host.rejected.clone());
            spawn(config(i, addrs[i as usize], peers, &dummy_home()), host)
        })
        .collect();
    wait_until(LIMIT, "validators at height 6", || {
        nodes.iter().all(|n| n.height() >= 6)
    })
    .await;
    let refs: Vec<&TestNode> = nodes.iter().collect();
    assert_agreement(&refs, 6);
    {
        let chain = nodes[0].chain.lock().unwrap();
        let (b3, c3) = &chain.blocks[2];
        assert_ne!(
            b3.header.proposer, bad,
            "the rejected proposer's block was decided"
        );
        assert!(
            decode_certificate(c3).unwrap().round >= 1,
            "height 3 decided in round 0"
        );
    }
    let rejections: usize = rejected.iter().map(|r| r.load(Ordering::SeqCst)).sum();
    assert!(rejections >= 1);
    for n in nodes {
        n.stop().await;
    }
}
