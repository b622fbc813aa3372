//! Every malformed or malicious envelope gets a typed error and changes
//! nothing: not the balances, not the nonce, not the fee collector.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_client::tx::{TxBuilder, msgs};
use fructus_proto::tx::v1 as pb;
use fructus_test_utils::{CHAIN_ID, INITIAL_UFRX, TestChain, assert_code, assert_ok, coin, coins};
use prost::Message as _;

/// Runs `tx` and checks that nothing at all changed.
fn refused_without_effect(chain: &mut TestChain, tx: Vec<u8>) -> TxResult {
    let alice = chain.addr("alice");
    let before = (
        chain.balance(&alice, "ufrx"),
        chain.nonce(&alice),
        chain.balance(&fructus_app::fee_collector(), "ufrx"),
    );
    let result = chain.run(tx);
    assert!(!result.is_ok(), "expected a refusal");
    assert!(!result.log.is_empty());
    let after = (
        chain.balance(&alice, "ufrx"),
        chain.nonce(&alice),
        chain.balance(&fructus_app::fee_collector(), "ufrx"),
    );
    assert_eq!(
        before, after,
        "a refused transaction changed state: {result:?}"
    );
    assert!(result.events.is_empty());
    result
}

fn send_to_bob(chain: &TestChain) -> TxBuilder {
    chain
        .tx("alice")
        .message(msgs::send(&chain.addr("bob"), &coins("5ufrx")))
}

#[test]
fn bad_signature_is_refused() {
    let mut chain = TestChain::new();
    let tx = send_to_bob(&chain).sign(chain.key("alice"));
    let mut signed = pb::SignedTx::decode(tx.as_slice()).unwrap();
    let mut sig = signed.signature.to_vec();
    sig[10] ^= 0x40;
    signed.signature = sig.into();
    let r = refused_without_effect(&mut chain, signed.encode_to_vec());
    assert_code(&r, "tx", fructus_app::TxCheckError::BAD_SIGNATURE);
}

#[test]
fn signature_by_another_key_is_refused() {
    let mut chain = TestChain::new();
    let body = send_to_bob(&chain).body(&chain.key("alice").public_key());
    let body_bytes = body.encode_to_vec();
    let sig = chain
        .key("bob")
        .sign(&fructus_types::tx::sign_bytes(CHAIN_ID, &body_bytes));
    let tx = pb::SignedTx {
        body: body_bytes.into(),
        signature: sig.into(),
    }
    .encode_to_vec();
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "tx",
        fructus_app::TxCheckError::BAD_SIGNATURE,
    );
}

#[test]
fn wrong_chain_id_is_refused() {
    let mut chain = TestChain::new();
    let tx = TxBuilder::new("other-chain")
        .message(msgs::send(&chain.addr("bob"), &coins("5ufrx")))
        .sign(chain.key("alice"));
    let r = refused_without_effect(&mut chain, tx);
    assert_code(&r, "tx", fructus_app::TxCheckError::CHAIN_ID_MISMATCH);
    assert!(r.log.contains("other-chain"));
}

#[test]
fn replayed_and_skipped_nonces_are_refused() {
    let mut chain = TestChain::new();
    let tx = send_to_bob(&chain).sign(chain.key("alice"));
    assert_ok(&chain.run(tx.clone()));
    // The same bytes: refused by the included-transaction window.
    let replay = refused_without_effect(&mut chain, tx);
    assert_code(&replay, "tx", fructus_app::TxCheckError::ALREADY_INCLUDED);
    // Other bytes with the used nonce: refused by the nonce.
    let reused = send_to_bob(&chain)
        .nonce(0)
        .memo("again")
        .sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, reused),
        "tx",
        fructus_app::TxCheckError::NONCE_TOO_LOW,
    );
    let skipped = send_to_bob(&chain).nonce(5).sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, skipped),
        "tx",
        fructus_app::TxCheckError::NONCE_TOO_HIGH,
    );
    // The right nonce still works afterwards.
    assert_ok(&chain.run(send_to_bob(&chain).sign(chain.key("alice"))));
}

#[test]
fn timeout_height_passed_is_refused() {
    let mut chain = TestChain::new();
    chain.block(vec![]);
    chain.block(vec![]);
    // Next block is height 3; a timeout of 2 has passed.
    let tx = send_to_bob(&chain)
        .timeout_height(2)
        .sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "tx",
        fructus_app::TxCheckError::TIMEOUT_HEIGHT_PASSED,
    );
    let tx = send_to_bob(&chain)
        .timeout_height(4)
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
}

#[test]
fn fee_below_minimum_or_in_unaccepted_denom_is_refused() {
    let mut chain = TestChain::new();
    // gas 200,000 at 10 per 1,000 needs 2,000ufrx.
    let tx = send_to_bob(&chain)
        .fee(coin("1999ufrx"))
        .sign(chain.key("alice"));
    let r = refused_without_effect(&mut chain, tx);
    assert_code(&r, "tx", fructus_app::TxCheckError::FEE_TOO_LOW);
    assert!(r.log.contains("2000"), "{}", r.log);
    let tx = send_to_bob(&chain)
        .fee(coin("5000uother"))
        .sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "tx",
        fructus_app::TxCheckError::FEE_DENOM_NOT_ACCEPTED,
    );
    let tx = send_to_bob(&chain)
        .fee(coin("2000ufrx"))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
}

#[test]
fn gas_limit_below_intrinsic_cost_is_refused() {
    let mut chain = TestChain::new();
    let tx = send_to_bob(&chain)
        .gas_limit(100)
        .fee(coin("1ufrx"))
        .sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "tx",
        fructus_app::TxCheckError::OUT_OF_GAS,
    );
}

#[test]
fn fee_the_signer_cannot_pay_is_refused() {
    let mut chain = TestChain::new();
    let tx = send_to_bob(&chain)
        .gas_limit(200_000)
        .fee(coin(&format!("{}ufrx", INITIAL_UFRX + 1)))
        .sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "tx",
        fructus_app::TxCheckError::INSUFFICIENT_FEE,
    );
}

#[test]
fn garbage_truncated_and_oversized_bytes_are_refused() {
    let mut chain = TestChain::new();
    let good = send_to_bob(&chain).sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, vec![0xff; 7]),
        "tx",
        fructus_app::TxCheckError::UNDECODABLE,
    );
    assert_code(
        &refused_without_effect(&mut chain, good[..good.len() / 2].to_vec()),
        "tx",
        fructus_app::TxCheckError::UNDECODABLE,
    );
    assert_code(
        &refused_without_effect(&mut chain, vec![0u8; 70_000]),
        "tx",
        fructus_app::TxCheckError::TOO_LARGE,
    );
    let empty = TxBuilder::new(CHAIN_ID).sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, empty),
        "tx",
        fructus_app::TxCheckError::NO_MESSAGES,
    );
}

#[test]
fn malformed_message_fields_are_refused() {
    let mut chain = TestChain::new();
    let bad_addr = pb::Message {
        sum: Some(pb::message::Sum::BankSend(
            fructus_proto::bank::v1::MsgSend {
                to: vec![1, 2, 3].into(),
                amount: coins("1ufrx").to_proto(),
            },
        )),
    };
    let tx = chain.tx("alice").message(bad_addr).sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "bank",
        fructus_bank::BankError::INVALID_FIELD,
    );
    let zero = pb::Message {
        sum: Some(pb::message::Sum::BankSend(
            fructus_proto::bank::v1::MsgSend {
                to: chain.addr("bob").as_bytes().to_vec().into(),
                amount: vec![fructus_proto::base::v1::Coin {
                    denom: "ufrx".into(),
                    amount: "0".into(),
                }],
            },
        )),
    };
    let tx = chain.tx("alice").message(zero).sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "bank",
        fructus_bank::BankError::INVALID_FIELD,
    );
    let tx = chain
        .tx("alice")
        .message(pb::Message { sum: None })
        .sign(chain.key("alice"));
    assert_code(
        &refused_without_effect(&mut chain, tx),
        "tx",
        fructus_app::TxCheckError::EMPTY_MESSAGE,
    );
}

#[test]
fn check_tx_applies_the_same_rules_without_writing() {
    let chain = TestChain::new();
    let good = send_to_bob(&chain).sign(chain.key("alice"));
    let hash_before = chain.app_hash();
    chain.app.check_tx(&good).unwrap();
    let stale = send_to_bob(&chain).nonce(3).sign(chain.key("alice"));
    assert_eq!(
        chain.app.check_tx(&stale).unwrap_err().code,
        fructus_app::TxCheckError::NONCE_TOO_HIGH
    );
    assert_eq!(
        chain.app.check_tx(&[1, 2, 3]).unwrap_err().code,
        fructus_app::TxCheckError::UNDECODABLE
    );
    assert_eq!(chain.app_hash(), hash_before);
}

#[test]
fn a_tx_hash_is_the_hash_of_canonical_bytes_so_an_unknown_field_is_refused() {
    let mut chain = TestChain::new();
    let tx = send_to_bob(&chain).sign(chain.key("alice"));
    // A third party appends an unknown field (number 15, varint 1) to the
    // envelope: body and signature are intact, only the hash changes.
    let mut padded = tx.clone();
    padded.extend_from_slice(&[0x78, 0x01]);
    let r = refused_without_effect(&mut chain, padded);
    assert_code(&r, "tx", fructus_app::TxCheckError::NON_CANONICAL);
    assert!(r.log.contains("SignedTx"), "{}", r.log);
    // The same inside the signed body (the signer's own bytes): refused too.
    let body = send_to_bob(&chain).body(&chain.key("alice").public_key());
    let mut body_bytes = body.encode_to_vec();
    body_bytes.extend_from_slice(&[0xF8, 0x01, 0x01]);
    let sig = chain
        .key("alice")
        .sign(&fructus_types::tx::sign_bytes(CHAIN_ID, &body_bytes));
    let odd = pb::SignedTx {
        body: body_bytes.into(),
        signature: sig.into(),
    }
    .encode_to_vec();
    let r = refused_without_effect(&mut chain, odd);
    assert_code(&r, "tx", fructus_app::TxCheckError::NON_CANONICAL);
    assert!(r.log.contains("TxBody"), "{}", r.log);
    // Fields swapped (signature before body): same content, other bytes.
    let signed = pb::SignedTx::decode(tx.as_slice()).unwrap();
    let mut swapped = Vec::new();
    prost::encoding::bytes::encode(2, &signed.signature, &mut swapped);
    prost::encoding::bytes::encode(1, &signed.body, &mut swapped);
    assert_code(
        &refused_without_effect(&mut chain, swapped),
        "tx",
        fructus_app::TxCheckError::NON_CANONICAL,
    );
    // The canonical original still goes through.
    assert_ok(&chain.run(tx));
}

#[test]
fn a_high_s_p256_signature_is_refused_so_nobody_can_re_sign_a_tx() {
    use fructus_crypto::KeyAlgo;
    let mut chain = TestChain::new();
    let key = fructus_test_utils::key_for("p256-user", KeyAlgo::P256);
    chain.add_key(
        "p256-user",
        fructus_test_utils::key_for("p256-user", KeyAlgo::P256),
    );
    let addr = chain.addr("p256-user");
    assert_ok(
        &chain.run(
            chain
                .tx("alice")
                .message(msgs::send(&addr, &coins("1000000ufrx")))
                .sign(chain.key("alice")),
        ),
    );
    let tx = chain
        .tx("p256-user")
        .message(msgs::send(&chain.addr("bob"), &coins("5ufrx")))
        .sign(&key);
    let mut signed = pb::SignedTx::decode(tx.as_slice()).unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&signed.signature).unwrap();
    let (r, s) = sig.split_scalars();
    let high = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
    signed.signature = high.to_bytes().to_vec().into();
    let before = chain.balance(&addr, "ufrx");
    let result = chain.run(signed.encode_to_vec());
    assert_code(&result, "tx", fructus_app::TxCheckError::BAD_SIGNATURE);
    assert!(result.log.contains("low-S"), "{}", result.log);
    assert_eq!(chain.balance(&addr, "ufrx"), before);
    assert_ok(&chain.run(tx));
}
