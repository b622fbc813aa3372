//! Determinism: independent instances fed the same blocks agree on the app
//! hash at every height, and a restart from disk reproduces root and state.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_client::tx::msgs;
use fructus_test_utils::{CHAIN_ID, TestChain, coin, coins};

/// Ten blocks of mixed traffic, signed once, replayable on any chain.
fn scripted_blocks(chain: &TestChain) -> Vec<Vec<Vec<u8>>> {
    let (alice, bob, carol, dave) = (
        chain.addr("alice"),
        chain.addr("bob"),
        chain.addr("carol"),
        chain.addr("dave"),
    );
    let mut nonces = std::collections::BTreeMap::new();
    let mut next = |name: &str| {
        let n = nonces.entry(name.to_owned()).or_insert(0u64);
        *n += 1;
        *n - 1
    };
    let b = |name: &str, nonce: u64, msg| {
        fructus_client::tx::TxBuilder::new(CHAIN_ID)
            .nonce(nonce)
            .message(msg)
            .sign(chain.key(name))
    };
    let mut blocks = Vec::new();
    blocks.push(vec![
        b(
            "alice",
            next("alice"),
            msgs::create_denom(&"uusd".parse().unwrap(), "USD", 6, false),
        ),
        b("bob", next("bob"), msgs::send(&carol, &coins("500ufrx"))),
    ]);
    blocks.push(vec![b(
        "alice",
        next("alice"),
        msgs::mint(&coin("1000000uusd"), &alice),
    )]);
    for i in 0..8u128 {
        blocks.push(vec![
            b(
                "alice",
                next("alice"),
                msgs::multi_send(&[
                    (bob, coins(&format!("{}uusd", 10 + i))),
                    (dave, coins("3ufrx")),
                ]),
            ),
            b(
                "dave",
                next("dave"),
                msgs::send(&carol, &coins(&format!("{}ufrx", 1 + i))),
            ),
            // Fails (insufficient funds) but is charged: failures are deterministic too.
            b(
                "carol",
                next("carol"),
                msgs::send(&bob, &coins("999999999999uusd")),
            ),
        ]);
    }
    blocks
}

#[test]
fn two_instances_agree_on_every_app_hash() {
    let mut one = TestChain::new();
    let mut two = TestChain::new();
    assert_eq!(one.app_hash(), two.app_hash(), "genesis roots differ");
    let blocks = scripted_blocks(&one);
    let mut roots = Vec::new();
    for txs in blocks {
        let r1 = one.block(txs.clone());
        let r2 = two.block(txs);
        assert_eq!(r1, r2);
        assert_eq!(
            one.app_hash(),
            two.app_hash(),
            "diverged at height {}",
            one.app.height().unwrap()
        );
        roots.push(one.app_hash());
    }
    roots.dedup();
    assert_eq!(roots.len(), 10, "every block changed the state");
}

#[test]
fn restart_from_disk_reproduces_root_and_balances() {
    let mut chain = TestChain::new();
    for txs in scripted_blocks(&chain) {
        chain.block(txs);
    }
    let (root, height) = (chain.app_hash(), chain.app.height().unwrap());
    let carol = chain.addr("carol");
    let balances = (
        chain.balance(&carol, "ufrx"),
        chain.balance(&carol, "uusd"),
        chain.supply("uusd"),
    );
    chain.restart();
    assert_eq!(chain.app.height().unwrap(), height);
    assert_eq!(chain.app_hash(), root);
    assert_eq!(
        (
            chain.balance(&carol, "ufrx"),
            chain.balance(&carol, "uusd"),
            chain.supply("uusd")
        ),
        balances
    );
    assert_eq!(chain.app.chain_id().unwrap(), CHAIN_ID);
    // And it keeps going from there.
    let tx = chain
        .tx("carol")
        .message(msgs::send(&chain.addr("bob"), &coins("1ufrx")))
        .sign(chain.key("carol"));
    fructus_test_utils::assert_ok(&chain.run(tx));
}

#[test]
fn a_block_that_is_not_committed_leaves_no_trace() {
    let mut chain = TestChain::new();
    let root = chain.app_hash();
    let tx = chain
        .tx("alice")
        .message(msgs::send(&chain.addr("bob"), &coins("1ufrx")))
        .sign(chain.key("alice"));
    chain
        .app
        .begin_block(fructus_app::BlockInfo::new(
            1,
            fructus_types::BlockTime(fructus_test_utils::GENESIS_MS + 1),
        ))
        .unwrap();
    chain.app.deliver_tx(&tx).unwrap();
    chain.app.abort_block();
    chain.restart();
    assert_eq!(chain.app_hash(), root);
    assert_eq!(chain.app.height().unwrap(), 0);
}

#[test]
fn blocks_out_of_order_or_back_in_time_are_refused() {
    let mut chain = TestChain::new();
    let t = fructus_types::BlockTime(fructus_test_utils::GENESIS_MS + 10);
    assert!(matches!(
        chain.app.begin_block(fructus_app::BlockInfo::new(2, t)),
        Err(fructus_app::AppError::UnexpectedHeight {
            expected: 1,
            got: 2
        })
    ));
    assert!(matches!(
        chain
            .app
            .begin_block(fructus_app::BlockInfo::new(1, fructus_types::BlockTime(5))),
        Err(fructus_app::AppError::TimeRegressed { .. })
    ));
}
