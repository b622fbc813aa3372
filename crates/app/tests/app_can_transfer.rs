//! Transfers and multi-sends, and their refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::fee_collector;
use fructus_client::tx::{default_fee, msgs};
use fructus_test_utils::{INITIAL_UFRX, TestChain, assert_code, assert_ok, coins};

#[test]
fn transfer_moves_funds_and_charges_the_fee() {
    let mut chain = TestChain::new();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("1234ufrx")))
        .sign(chain.key("alice"));
    let result = chain.run(tx);
    assert_ok(&result);
    let fee = default_fee(200_000).amount.value();
    assert_eq!(chain.balance(&alice, "ufrx"), INITIAL_UFRX - 1234 - fee);
    assert_eq!(chain.balance(&bob, "ufrx"), INITIAL_UFRX + 1234);
    assert_eq!(chain.balance(&fee_collector(), "ufrx"), fee);
    assert_eq!(chain.nonce(&alice), 1);
    let transfer = result
        .events
        .iter()
        .find(|e| e.kind == "bank.transfer")
        .unwrap();
    assert_eq!(transfer.get("to"), Some(bob.to_string().as_str()));
    assert_eq!(transfer.get("amount"), Some("1234ufrx"));
    assert!(result.gas_used > 0 && result.gas_used <= result.gas_wanted);
}

#[test]
fn multi_send_pays_every_output() {
    let mut chain = TestChain::new();
    let (bob, carol, dave) = (chain.addr("bob"), chain.addr("carol"), chain.addr("dave"));
    let tx = chain
        .tx("alice")
        .message(msgs::multi_send(&[
            (bob, coins("10ufrx")),
            (carol, coins("20ufrx")),
            (dave, coins("30ufrx")),
        ]))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    assert_eq!(chain.balance(&bob, "ufrx"), INITIAL_UFRX + 10);
    assert_eq!(chain.balance(&carol, "ufrx"), INITIAL_UFRX + 20);
    assert_eq!(chain.balance(&dave, "ufrx"), INITIAL_UFRX + 30);
}

#[test]
fn insufficient_funds_is_refused_and_only_the_fee_is_charged() {
    let mut chain = TestChain::new();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins(&format!("{}ufrx", INITIAL_UFRX))))
        .sign(chain.key("alice"));
    let result = chain.run(tx);
    assert_code(&result, "bank", fructus_bank::BankError::INSUFFICIENT_FUNDS);
    assert!(result.log.contains("insufficient funds"), "{}", result.log);
    let fee = default_fee(200_000).amount.value();
    assert_eq!(chain.balance(&alice, "ufrx"), INITIAL_UFRX - fee);
    assert_eq!(chain.balance(&bob, "ufrx"), INITIAL_UFRX);
    assert_eq!(
        chain.nonce(&alice),
        1,
        "a failed transaction still uses its nonce"
    );
    assert!(result.events.iter().all(|e| e.kind == "tx.fee"));
}

#[test]
fn a_send_of_a_denom_nobody_holds_names_the_denom_as_unknown() {
    let mut chain = TestChain::new();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    for msg in [
        msgs::send(&bob, &coins("5uxyz")),
        msgs::multi_send(&[(bob, coins("5uxyz"))]),
    ] {
        let result = chain.run(chain.tx("alice").message(msg).sign(chain.key("alice")));
        assert_code(&result, "bank", fructus_bank::BankError::UNKNOWN_DENOM);
        assert!(result.log.contains("no uxyz exists"), "{}", result.log);
    }
    assert_eq!(chain.balance(&bob, "uxyz"), 0);
    // A denom that exists but that alice lacks is still "insufficient".
    let result = chain.run(
        chain
            .tx("alice")
            .message(msgs::send(
                &bob,
                &coins(&format!("{}ufrx", INITIAL_UFRX + 1)),
            ))
            .sign(chain.key("alice")),
    );
    assert_code(&result, "bank", fructus_bank::BankError::INSUFFICIENT_FUNDS);
    assert!(chain.balance(&alice, "ufrx") < INITIAL_UFRX);
}

#[test]
fn amount_overflow_is_refused_without_wrapping() {
    let mut chain = TestChain::new();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    // u128::MAX parses, but cannot be paid; and two outputs summing past
    // u128::MAX are refused before any state is read.
    let max = u128::MAX;
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins(&format!("{max}ufrx"))))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::INSUFFICIENT_FUNDS,
    );
    let tx = chain
        .tx("alice")
        .message(msgs::multi_send(&[
            (bob, coins(&format!("{max}ufrx"))),
            (bob, coins("1ufrx")),
        ]))
        .sign(chain.key("alice"));
    let result = chain.run(tx);
    assert_code(&result, "bank", fructus_bank::BankError::OVERFLOW);
    assert_eq!(result.gas_used, 0, "refused before execution");
    assert_eq!(chain.balance(&bob, "ufrx"), INITIAL_UFRX);
    let fee = default_fee(200_000).amount.value();
    assert_eq!(chain.balance(&alice, "ufrx"), INITIAL_UFRX - fee);
}

#[test]
fn p256_signed_transaction_is_accepted() {
    let mut chain = TestChain::new();
    let (dave, bob) = (chain.addr("dave"), chain.addr("bob"));
    assert_eq!(chain.key("dave").algo(), fructus_crypto::KeyAlgo::P256);
    let tx = chain
        .tx("dave")
        .message(msgs::send(&bob, &coins("77ufrx")))
        .sign(chain.key("dave"));
    assert_ok(&chain.run(tx));
    assert_eq!(chain.balance(&bob, "ufrx"), INITIAL_UFRX + 77);
    assert_eq!(chain.nonce(&dave), 1);
}

#[test]
fn several_transactions_of_one_sender_in_one_block_use_consecutive_nonces() {
    let mut chain = TestChain::new();
    let bob = chain.addr("bob");
    let key = fructus_test_utils::key_for("alice", fructus_crypto::KeyAlgo::Ed25519);
    let txs = (0..5)
        .map(|n| {
            chain
                .tx("alice")
                .nonce(n)
                .message(msgs::send(&bob, &coins("1ufrx")))
                .sign(&key)
        })
        .collect();
    let results = chain.block(txs);
    results.iter().for_each(assert_ok);
    assert_eq!(chain.balance(&bob, "ufrx"), INITIAL_UFRX + 5);
}

#[test]
fn a_simulation_reports_what_inclusion_would_record_and_changes_nothing() {
    use fructus_app::{pipeline::stateless, simulate};
    use fructus_test_utils::CHAIN_ID;

    let mut chain = TestChain::new();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let params = fructus_auth::AuthParams::default();
    let sim = |chain: &TestChain, tx: &[u8]| {
        let parsed = stateless::check(tx, CHAIN_ID, &params).unwrap();
        simulate(
            chain.app.snapshot().unwrap(),
            &chain.app.window(),
            CHAIN_ID,
            &parsed,
        )
        .unwrap()
    };

    // A doomed send: the simulation names the bank's refusal, and nothing
    // moved — no fee, no nonce.
    let hash_before = chain.app.app_hash().unwrap();
    let doomed = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins(&format!("{}ufrx", INITIAL_UFRX))))
        .sign(chain.key("alice"));
    let r = sim(&chain, &doomed);
    assert_code(&r, "bank", fructus_bank::BankError::INSUFFICIENT_FUNDS);
    assert_eq!(chain.app.app_hash().unwrap(), hash_before);
    assert_eq!(chain.balance(&alice, "ufrx"), INITIAL_UFRX);
    assert_eq!(chain.nonce(&alice), 0);

    // A good send: the simulation predicts the real result exactly.
    let good = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("1234ufrx")))
        .sign(chain.key("alice"));
    let predicted = sim(&chain, &good);
    assert_ok(&predicted);
    assert_eq!(chain.nonce(&alice), 0, "simulating wrote nothing");
    let real = chain.run(good);
    assert_ok(&real);
    assert_eq!(predicted.gas_used, real.gas_used);
    assert_eq!(predicted.events, real.events);

    // The same bytes again: the simulation sees the used nonce, as the
    // next block would.
    let stale = chain
        .tx("alice")
        .nonce(0)
        .message(msgs::send(&bob, &coins("1ufrx")))
        .sign(chain.key("alice"));
    assert!(!sim(&chain, &stale).is_ok());
}
