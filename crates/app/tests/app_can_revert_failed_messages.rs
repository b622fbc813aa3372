//! A transaction is atomic: a failing message reverts the ones before it,
//! but the fee and nonce stay charged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::fee_collector;
use fructus_client::tx::{default_fee, msgs};
use fructus_test_utils::{INITIAL_UFRX, TestChain, assert_code, coins};

#[test]
fn failing_second_message_reverts_the_first_but_the_fee_is_charged() {
    let mut chain = TestChain::new();
    let (alice, bob, carol) = (chain.addr("alice"), chain.addr("bob"), chain.addr("carol"));
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("100ufrx")))
        .message(msgs::send(&carol, &coins(&format!("{}ufrx", INITIAL_UFRX))))
        .sign(chain.key("alice"));
    let result = chain.run(tx);
    assert_code(&result, "bank", fructus_bank::BankError::INSUFFICIENT_FUNDS);
    let fee = default_fee(200_000).amount.value();
    assert_eq!(
        chain.balance(&bob, "ufrx"),
        INITIAL_UFRX,
        "first message reverted"
    );
    assert_eq!(chain.balance(&carol, "ufrx"), INITIAL_UFRX);
    assert_eq!(chain.balance(&alice, "ufrx"), INITIAL_UFRX - fee);
    assert_eq!(chain.balance(&fee_collector(), "ufrx"), fee);
    assert_eq!(chain.nonce(&alice), 1);
    assert_eq!(
        result.events.len(),
        1,
        "only the fee event survives: {:?}",
        result.events
    );
    assert_eq!(result.events[0].kind, "tx.fee");
}
