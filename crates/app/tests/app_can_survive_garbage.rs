//! Decoding arbitrary bytes never panics and never changes state (the fuzz
//! target in `fuzz/` runs the same entry point with coverage guidance).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_auth::AuthParams;
use fructus_client::tx::msgs;
use fructus_test_utils::{CHAIN_ID, TestChain, coins};
use proptest::prelude::*;

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_stateless_checks(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = fructus_app::pipeline::stateless::check(&bytes, CHAIN_ID, &AuthParams::default());
    }

    #[test]
    fn mutated_valid_transactions_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let chain = TestChain::new();
        let mut tx = chain.tx("alice").message(msgs::send(&chain.addr("bob"), &coins("5ufrx"))).sign(chain.key("alice"));
        for (idx, byte) in flips {
            let i = idx.index(tx.len());
            tx[i] ^= byte;
        }
        let _ = fructus_app::pipeline::stateless::check(&tx, CHAIN_ID, &AuthParams::default());
        let _ = chain.app.check_tx(&tx);
    }
}

#[test]
fn a_block_of_garbage_changes_nothing_but_the_height() {
    let mut chain = TestChain::new();
    let before = chain.balance(&chain.addr("alice"), "ufrx");
    let garbage: Vec<Vec<u8>> = (0u8..50).map(|i| vec![i; usize::from(i) * 3]).collect();
    let results = chain.block(garbage);
    assert!(results.iter().all(|r| !r.is_ok() && r.codespace == "tx"));
    assert_eq!(chain.balance(&chain.addr("alice"), "ufrx"), before);
}
