//! Key rotation: the account keeps its address and funds; only the new key
//! signs for it afterwards.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_client::tx::msgs;
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_test_utils::{CHAIN_ID, INITIAL_UFRX, TestChain, assert_code, assert_ok, coins};

#[test]
fn old_key_refused_new_key_works_address_unchanged() {
    let mut chain = TestChain::new();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let new_key = SigningKey::from_seed(KeyAlgo::P256, &[9; 32]).unwrap();
    let nonce = chain.nonce(&alice);
    let tx = chain
        .tx("alice")
        .message(msgs::rotate_key(&new_key, CHAIN_ID, &alice, nonce))
        .sign(chain.key("alice"));
    let r = chain.run(tx);
    assert_ok(&r);
    assert!(r.events.iter().any(|e| e.kind == "auth.rotate_key"));

    // Old key: its account now belongs to another key.
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("1ufrx")))
        .sign(chain.key("alice"));
    let r = chain.run(tx);
    assert_code(&r, "auth", fructus_auth::AuthError::KEY_MISMATCH);

    // New key signs for the same address, with the account's nonce.
    let before = chain.balance(&alice, "ufrx");
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("100ufrx")))
        .sign(&new_key);
    assert_ok(&chain.run(tx));
    assert_eq!(chain.balance(&bob, "ufrx"), INITIAL_UFRX + 100);
    assert!(chain.balance(&alice, "ufrx") < before - 100 + 1);
    assert_ne!(new_key.public_key().address(), alice);
    assert_eq!(chain.balance(&new_key.public_key().address(), "ufrx"), 0);
}

#[test]
fn rotation_without_the_new_keys_consent_or_to_a_used_key_is_refused() {
    let mut chain = TestChain::new();
    let alice = chain.addr("alice");
    let new_key = SigningKey::from_seed(KeyAlgo::Ed25519, &[8; 32]).unwrap();
    // Proof signed for the wrong nonce.
    let tx = chain
        .tx("alice")
        .message(msgs::rotate_key(&new_key, CHAIN_ID, &alice, 99))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "auth",
        fructus_auth::AuthError::BAD_NEW_KEY_SIGNATURE,
    );
    // Bob's key is bound to bob's account once bob has signed.
    let tx = chain
        .tx("bob")
        .message(msgs::send(&alice, &coins("1ufrx")))
        .sign(chain.key("bob"));
    assert_ok(&chain.run(tx));
    let bob_key = fructus_test_utils::key_for("bob", fructus_crypto::KeyAlgo::Ed25519);
    let nonce = chain.nonce(&alice);
    let tx = chain
        .tx("alice")
        .message(msgs::rotate_key(&bob_key, CHAIN_ID, &alice, nonce))
        .sign(chain.key("alice"));
    assert_code(&chain.run(tx), "auth", fructus_auth::AuthError::KEY_IN_USE);
    // Rotating to the same key is refused statelessly.
    let own = fructus_test_utils::key_for("alice", fructus_crypto::KeyAlgo::Ed25519);
    let nonce = chain.nonce(&alice);
    let tx = chain
        .tx("alice")
        .message(msgs::rotate_key(&own, CHAIN_ID, &alice, nonce))
        .sign(&own);
    assert_code(
        &chain.run(tx),
        "auth",
        fructus_auth::AuthError::INVALID_FIELD,
    );
}
