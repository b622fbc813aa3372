//! Conformance vectors shared with the TypeScript SDK (`sdk/ts`): this test
//! builds transactions, device consents and attestations with the Rust
//! encoder and signers, and checks them against `sdk/vectors/tx.json`,
//! which the TypeScript tests rebuild byte for byte. A change of the wire
//! format or of the sign bytes fails here first; after a deliberate change,
//! rewrite the file with `FRUCTUS_UPDATE_VECTORS=1 cargo test -p
//! fructus-client --test ts_sdk_vectors` and make the TypeScript SDK pass it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::str::FromStr;

use fructus_client::{
    metering,
    tx::{TxBuilder, msgs},
};
use fructus_crypto::{KeyAlgo, SigningKey, sha256};
use fructus_proto::tx::v1::Message;
use fructus_types::{
    Coin, Coins,
    tx::{DecodedTx, sign_bytes},
};
use serde_json::{Value, json};

const CHAIN_ID: &str = "fructus-vectors";

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sdk/vectors/tx.json")
}

/// The vector keys: their seeds are SHA-256 of a fixed label.
fn key(label: &str, algo: KeyAlgo) -> (SigningKey, Value) {
    let seed = sha256(label.as_bytes());
    let sk = SigningKey::from_seed(algo, &seed).unwrap();
    let pk = sk.public_key();
    let entry = json!({
        "name": label,
        "algo": algo.to_string(),
        "seed": hex::encode(seed),
        "public_key": hex::encode(pk.to_bytes()),
        "address": pk.address().to_string(),
    });
    (sk, entry)
}

fn coins_json(coins: &[Coin]) -> Value {
    coins
        .iter()
        .map(|c| {
            let p = c.to_proto();
            json!({"denom": p.denom, "amount": p.amount})
        })
        .collect()
}

/// One signed transaction and every intermediate byte string.
#[allow(clippy::too_many_arguments)]
fn tx_vector(
    name: &str,
    signer: &SigningKey,
    signer_label: &str,
    builder: TxBuilder,
    builder_json: Value,
    messages: Vec<(Message, Value)>,
) -> Value {
    let mut builder = builder;
    let mut described = Vec::new();
    for (msg, json) in messages {
        builder = builder.message(msg);
        described.push(json);
    }
    let signed = builder.sign(signer);
    let decoded = DecodedTx::decode(&signed, 1 << 20).unwrap();
    decoded.verify_signature(CHAIN_ID).unwrap();
    let mut v = builder_json;
    let obj = v.as_object_mut().unwrap();
    obj.insert("name".into(), json!(name));
    obj.insert("signer".into(), json!(signer_label));
    obj.insert("messages".into(), Value::Array(described));
    obj.insert("body".into(), json!(hex::encode(&decoded.body_bytes)));
    obj.insert(
        "sign_bytes".into(),
        json!(hex::encode(sign_bytes(CHAIN_ID, &decoded.body_bytes))),
    );
    obj.insert("signature".into(), json!(hex::encode(&decoded.signature)));
    obj.insert("signed_tx".into(), json!(hex::encode(&signed)));
    obj.insert("hash".into(), json!(decoded.hash.to_string()));
    v
}

fn build_vectors() -> Value {
    let (ed, ed_json) = key("sdk-vectors/ed25519", KeyAlgo::Ed25519);
    let (p256, p256_json) = key("sdk-vectors/p256", KeyAlgo::P256);
    let ed_addr = ed.public_key().address();
    let p256_addr = p256.public_key().address();

    let send_amount = Coins::from_str("3share/1,1500ufrx").unwrap();
    let send_coins: Vec<Coin> = send_amount.iter().cloned().collect();
    let bank_send = tx_vector(
        "bank_send_ed25519",
        &ed,
        "sdk-vectors/ed25519",
        TxBuilder::new(CHAIN_ID).nonce(7),
        json!({"nonce": 7, "gas_limit": 200_000, "fee": {"denom": "ufrx", "amount": "2000"}}),
        vec![(
            msgs::send(&p256_addr, &send_amount),
            json!({"type": "bank_send", "to": p256_addr.to_string(), "amount": coins_json(&send_coins)}),
        )],
    );

    let claim = tx_vector(
        "asset_claim_income_p256_with_payer_memo_timeout",
        &p256,
        "sdk-vectors/p256",
        TxBuilder::new(CHAIN_ID)
            .gas_limit(90_000)
            .fee(Coin::from_str("901ufrx").unwrap())
            .payer(ed_addr)
            .timeout_height(12_345)
            .memo("claim ✓"),
        json!({
            "nonce": 0, "gas_limit": 90_000, "fee": {"denom": "ufrx", "amount": "901"},
            "payer": ed_addr.to_string(), "timeout_height": 12_345, "memo": "claim ✓",
        }),
        vec![(
            msgs::asset_claim_income(&[1, 300, 70_000]),
            json!({"type": "asset_claim_income", "asset_ids": [1, 300, 70_000]}),
        )],
    );

    let reading = tx_vector(
        "metering_submit_reading_p256_device",
        &p256,
        "sdk-vectors/p256",
        TxBuilder::new(CHAIN_ID).payer(ed_addr),
        json!({"nonce": 0, "gas_limit": 200_000, "fee": {"denom": "ufrx", "amount": "2000"}, "payer": ed_addr.to_string()}),
        vec![(
            metering::submit_reading(&p256_addr, 7, 1_234_567, 1_767_225_601_000, 2),
            json!({
                "type": "metering_submit_reading", "device": p256_addr.to_string(),
                "sequence": 7, "counter": 1_234_567, "time_ms": 1_767_225_601_000_u64, "flags": 2,
            }),
        )],
    );

    let attestation_bytes =
        fructus_metering::attestation_bytes(CHAIN_ID, &p256.public_key(), 4, "SN-0001");
    let attestation = metering::attest(CHAIN_ID, &ed, &p256.public_key(), 4, "SN-0001");
    let consent_bytes =
        fructus_metering::registration_bytes(CHAIN_ID, 9, &ed_addr, &p256.public_key());
    let consent = metering::registration_consent(CHAIN_ID, &p256, 9, &ed_addr);
    let register = tx_vector(
        "metering_register_device_ed25519_operator",
        &ed,
        "sdk-vectors/ed25519",
        TxBuilder::new(CHAIN_ID).nonce(1),
        json!({"nonce": 1, "gas_limit": 200_000, "fee": {"denom": "ufrx", "amount": "2000"}}),
        vec![(
            metering::register_device(9, &p256.public_key(), "SN-0001", &attestation, 10, &consent),
            json!({
                "type": "metering_register_device", "asset_id": 9, "class_id": 4,
                "device_key": "sdk-vectors/p256", "manufacturer_key": "sdk-vectors/ed25519",
                "serial": "SN-0001", "counter": 10,
                "attestation_bytes": hex::encode(&attestation_bytes),
                "attestation": hex::encode(&attestation),
                "consent_bytes": hex::encode(&consent_bytes),
                "consent": hex::encode(&consent),
            }),
        )],
    );

    let max = Coin::from_str("340282366920938463463374607431768211455ufrx").unwrap();
    let multi = tx_vector(
        "two_messages_large_amounts",
        &ed,
        "sdk-vectors/ed25519",
        TxBuilder::new(CHAIN_ID).nonce(300).gas_limit(1_000_000),
        json!({"nonce": 300, "gas_limit": 1_000_000, "fee": {"denom": "ufrx", "amount": "10000"}}),
        vec![
            (
                msgs::asset_deposit_income(1, &max),
                json!({"type": "asset_deposit_income", "asset_id": 1, "amount": coins_json(std::slice::from_ref(&max))[0]}),
            ),
            (
                msgs::asset_claim_income(&[]),
                json!({"type": "asset_claim_income", "asset_ids": []}),
            ),
        ],
    );

    json!({
        "about": "Shared conformance vectors of the Rust encoder and the TypeScript SDK; written by crates/client/tests/ts_sdk_vectors.rs (FRUCTUS_UPDATE_VECTORS=1), checked byte for byte by both.",
        "chain_id": CHAIN_ID,
        "keys": [ed_json, p256_json],
        "txs": [bank_send, claim, reading, register, multi],
    })
}

#[test]
fn the_ts_sdk_vectors_match_the_rust_encoder() {
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&build_vectors()).unwrap()
    );
    let path = vectors_path();
    if std::env::var_os("FRUCTUS_UPDATE_VECTORS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; write it with FRUCTUS_UPDATE_VECTORS=1",
            path.display()
        )
    });
    assert!(
        pinned == text,
        "{} differs from what the Rust encoder produces: the wire format or the sign bytes changed. \
         If deliberate, rewrite it with FRUCTUS_UPDATE_VECTORS=1 and update the TypeScript SDK (sdk/ts)",
        path.display()
    );
}
