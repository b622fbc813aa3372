//! Merkle proofs of balances against the app hash.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_bank::state_key;
use fructus_client::tx::msgs;
use fructus_test_utils::{TestChain, assert_ok, coins};
use fructus_types::{Amount, Denom};

#[test]
fn balance_membership_and_non_membership_proofs_verify_against_the_app_hash() {
    let mut chain = TestChain::new();
    let bob = chain.addr("bob");
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("42ufrx")))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    let height = chain.app.height().unwrap();
    let root = chain.app_hash();

    let key = state_key::balance(&bob, &Denom::native());
    let (value, proof) = chain.app.storage().get_with_proof(&key, height).unwrap();
    let value = value.expect("bob has a balance");
    let amount: Amount = borsh::from_slice(&value).unwrap();
    assert_eq!(amount.value(), chain.balance(&bob, "ufrx"));
    proof.verify_membership(&root, &key, &value).unwrap();

    // A tampered value, or the proof against another root, fails.
    let forged = borsh::to_vec(&Amount::new(amount.value() + 1)).unwrap();
    assert!(proof.verify_membership(&root, &key, &forged).is_err());
    let genesis_root = chain.app.storage().root_hash(0).unwrap();
    assert!(
        proof
            .verify_membership(&genesis_root, &key, &value)
            .is_err()
    );

    // Nobody holds uusd: a non-membership proof says so, and it cannot be
    // passed off as membership.
    let absent = state_key::balance(&bob, &"uusd".parse().unwrap());
    let (none, proof) = chain.app.storage().get_with_proof(&absent, height).unwrap();
    assert!(none.is_none());
    proof.verify_non_membership(&root, &absent).unwrap();
    assert!(proof.verify_membership(&root, &absent, &value).is_err());
    // A present key cannot be proven absent.
    let (_, present_proof) = chain.app.storage().get_with_proof(&key, height).unwrap();
    assert!(present_proof.verify_non_membership(&root, &key).is_err());

    // Proof bytes survive the wire.
    let bytes = present_proof.to_bytes();
    let back = fructus_storage::MerkleProof::from_bytes(&bytes).unwrap();
    back.verify_membership(&root, &key, &value).unwrap();
}
