//! No key that anyone can sign for is ever registered or used
//! (docs/security.md §3): small-order ed25519 points are refused as an
//! account signer, a class attestation key, a device key, a rotated-to
//! key and a consensus key; and a consensus key is registered only with
//! its holder's proof of possession.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_client::{
    metering as m,
    tx::msgs::{self, CommissionBps},
};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_proto::tx::v1::{self as pb, message::Sum};
use fructus_test_utils::{
    CHAIN_ID, TestChain, assert_code, key_for,
    metering::{Metered, SERIAL},
};
use prost::Message as _;

/// The identity point: under ZIP-215 the signature (R = identity, s = 0)
/// verifies for it over any message.
fn identity_key() -> Vec<u8> {
    let mut k = vec![0u8; 32];
    k[0] = 1;
    k
}

/// A point of order 8.
fn order8_key() -> Vec<u8> {
    hex::decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a").unwrap()
}

fn small_order_keys() -> [Vec<u8>; 2] {
    [identity_key(), order8_key()]
}

/// The signature that verifies for the identity key over anything.
fn trivial_signature() -> Vec<u8> {
    let mut s = vec![0u8; 64];
    s[0] = 1;
    s
}

/// Runs `msg` signed by `name` and checks it was refused for a small-order
/// key, with nothing changed but (at most) the fee.
fn refused_for_small_order(chain: &mut TestChain, name: &str, msg: pb::Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    let r = chain.run(tx);
    assert!(!r.is_ok(), "a small-order key was accepted: {r:?}");
    assert!(r.log.contains("small order"), "{r:?}");
    assert!(
        !r.events.iter().any(|e| e.kind != "tx.fee"),
        "state changed: {r:?}"
    );
    r
}

#[test]
fn a_small_order_key_never_signs_a_transaction() {
    let mut chain = TestChain::new();
    let bob = chain.addr("bob");
    for key in small_order_keys() {
        let mut body = chain
            .tx("alice")
            .message(msgs::send(&bob, &fructus_test_utils::coins("5ufrx")))
            .body(&chain.key("alice").public_key());
        body.signer.as_mut().unwrap().key = key.into();
        let tx = pb::SignedTx {
            body: body.encode_to_vec().into(),
            signature: trivial_signature().into(),
        }
        .encode_to_vec();
        let r = chain.run(tx);
        assert_code(&r, "tx", fructus_app::TxCheckError::INVALID_SIGNER);
        assert!(r.log.contains("small order"), "{r:?}");
        assert!(r.events.is_empty());
    }
}

#[test]
fn a_small_order_key_is_never_a_class_attestation_key() {
    let mut chain = TestChain::new();
    for key in small_order_keys() {
        let mut msg = msgs::asset_create_class(
            "C",
            "Acme",
            "M",
            "kWh",
            "ipfs://x",
            [1; 32],
            &[chain.key("alice").public_key()],
        );
        match msg.sum.as_mut().unwrap() {
            Sum::AssetCreateClass(c) => c.attestation_keys[0].key = key.into(),
            other => panic!("{other:?}"),
        }
        refused_for_small_order(&mut chain, "alice", msg);
    }
}

#[test]
fn a_small_order_key_is_never_a_device_key() {
    let mut f = Metered::new();
    let asset_id = f.asset_id;
    for key in small_order_keys() {
        let fresh = key_for("fresh", KeyAlgo::Ed25519).public_key();
        let mut msg = m::register_device(
            asset_id,
            &fresh,
            SERIAL,
            &trivial_signature(),
            0,
            &trivial_signature(),
        );
        match msg.sum.as_mut().unwrap() {
            Sum::MeteringRegisterDevice(r) => r.device_key.as_mut().unwrap().key = key.into(),
            other => panic!("{other:?}"),
        }
        let r = refused_for_small_order(&mut f.chain, "alice", msg);
        assert_code(
            &r,
            "metering",
            fructus_metering::MeteringError::INVALID_FIELD,
        );
    }
}

#[test]
fn an_account_never_rotates_to_a_small_order_key() {
    let mut chain = TestChain::new();
    let alice = chain.addr("alice");
    for key in small_order_keys() {
        let fresh = key_for("fresh", KeyAlgo::Ed25519);
        let mut msg = msgs::rotate_key(&fresh, CHAIN_ID, &alice, chain.nonce(&alice));
        match msg.sum.as_mut().unwrap() {
            Sum::AuthRotateKey(r) => {
                r.new_key.as_mut().unwrap().key = key.into();
                r.new_key_signature = trivial_signature().into();
            }
            other => panic!("{other:?}"),
        }
        refused_for_small_order(&mut chain, "alice", msg);
    }
}

fn commission() -> CommissionBps {
    CommissionBps {
        rate: 1_000,
        max_rate: 2_000,
        max_change: 100,
    }
}

#[test]
fn a_small_order_key_is_never_a_consensus_key() {
    let mut chain = TestChain::new();
    let cons = key_for("alice/consensus", KeyAlgo::Ed25519);
    for key in small_order_keys() {
        let mut msg = msgs::staking_create_validator(
            &cons.public_key(),
            &trivial_signature(),
            "alice",
            commission(),
            1,
            1_000,
        );
        match msg.sum.as_mut().unwrap() {
            Sum::StakingCreateValidator(v) => v.consensus_pubkey = key.into(),
            other => panic!("{other:?}"),
        }
        let r = refused_for_small_order(&mut chain, "alice", msg);
        assert_code(&r, "staking", fructus_staking::StakingError::INVALID_FIELD);
    }
}

#[test]
fn a_consensus_key_is_registered_only_with_its_holders_proof_of_possession() {
    let mut chain = TestChain::new();
    let alice = chain.addr("alice");
    let cons = key_for("alice/consensus", KeyAlgo::Ed25519);
    let create = |proof: &[u8]| {
        msgs::staking_create_validator(&cons.public_key(), proof, "alice", commission(), 1, 1_000)
    };
    let run = |chain: &mut TestChain, proof: &[u8]| {
        let tx = chain
            .tx("alice")
            .message(create(proof))
            .sign(chain.key("alice"));
        chain.run(tx)
    };
    // No proof: refused before state.
    assert_code(
        &run(&mut chain, &[]),
        "staking",
        fructus_staking::StakingError::INVALID_FIELD,
    );
    // A proof by another key (the operator's own), for another operator,
    // or for another chain.
    let other: SigningKey = key_for("someone/consensus", KeyAlgo::Ed25519);
    let by_other = other.sign(&fructus_staking::msg::consensus_key_possession_bytes(
        CHAIN_ID,
        &alice,
        &cons.public_key(),
    ));
    let for_bob = msgs::consensus_key_proof(&cons, CHAIN_ID, &chain.addr("bob"));
    let elsewhere = msgs::consensus_key_proof(&cons, "fructus-other", &alice);
    for proof in [by_other, for_bob, elsewhere] {
        let r = run(&mut chain, &proof);
        assert_code(
            &r,
            "staking",
            fructus_staking::StakingError::BAD_CONSENSUS_KEY_PROOF,
        );
        let snap = chain.app.snapshot().unwrap();
        assert!(
            fructus_staking::StakingStateReadExt::validator(&snap, &alice)
                .unwrap()
                .is_none()
        );
    }
    let proof = msgs::consensus_key_proof(&cons, CHAIN_ID, &alice);
    fructus_test_utils::assert_ok(&run(&mut chain, &proof));
}
