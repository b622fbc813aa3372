//! Pins the bytes (by SHA-256) of known encodings: a transaction body, the
//! signed bytes, state values, an address. An accidental change to the wire
//! schema, the signing domain or a state encoding fails here; a deliberate
//! one updates these constants in the same commit, with a migration note.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_auth::Account;
use fructus_client::tx::{TxBuilder, msgs};
use fructus_crypto::{KeyAlgo, SigningKey, sha256};
use fructus_test_utils::{coin, coins};
use fructus_types::{Amount, tx::sign_bytes};
use prost::Message as _;

fn h(bytes: &[u8]) -> String {
    hex::encode(sha256(bytes))
}

fn params<P: Default + borsh::BorshSerialize>() -> Vec<u8> {
    borsh::to_vec(&P::default()).unwrap()
}

fn fixture() -> (SigningKey, fructus_proto::tx::v1::TxBody) {
    let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[1; 32]).unwrap();
    let to = SigningKey::from_seed(KeyAlgo::Ed25519, &[2; 32])
        .unwrap()
        .public_key()
        .address();
    let body = TxBuilder::new("fructus-1")
        .nonce(7)
        .fee(coin("2000ufrx"))
        .gas_limit(200_000)
        .timeout_height(100)
        .memo("conformance")
        .message(msgs::send(&to, &coins("1000ufrx,5uusd")))
        .body(&key.public_key());
    (key, body)
}

#[test]
fn pinned_encodings() {
    let (key, body) = fixture();
    let body_bytes = body.encode_to_vec();
    let address = key.public_key().address().to_string();
    let account = borsh::to_vec(&Account {
        address: key.public_key().address(),
        public_key: Some(key.public_key()),
        nonce: 7,
    })
    .unwrap();
    let amount = borsh::to_vec(&Amount::new(1_000_000)).unwrap();
    let got = [
        ("address", address.clone()),
        ("tx_body", h(&body_bytes)),
        ("sign_bytes", h(&sign_bytes("fructus-1", &body_bytes))),
        (
            "signed_tx",
            h(&fructus_types::tx::encode_signed(&body, &key)),
        ),
        ("account", h(&account)),
        ("amount", h(&amount)),
        // Every module's default params as stored: a new field changes
        // them, and a store written before cannot be opened (see
        // `App::new`) until a migration exists.
        ("params/auth", h(&params::<fructus_auth::AuthParams>())),
        (
            "params/staking",
            h(&params::<fructus_staking::StakingParams>()),
        ),
        ("params/amm", h(&params::<fructus_amm::AmmParams>())),
        (
            "params/certificate",
            h(&params::<fructus_certificate::CertificateParams>()),
        ),
        (
            "params/compute",
            h(&params::<fructus_compute::ComputeParams>()),
        ),
        (
            "params/oracle",
            h(&params::<fructus_oracle::OracleParams>()),
        ),
        (
            "params/credit",
            h(&params::<fructus_credit::CreditParams>()),
        ),
        (
            "params/governance",
            h(&params::<fructus_governance::GovernanceParams>()),
        ),
        (
            "params/lending",
            h(&params::<fructus_lending::LendingParams>()),
        ),
    ];
    let expected = [
        ("address", "fx16twkaqdqqxms5ymq0ahmhva398lnvuskm5v0t8"),
        (
            "tx_body",
            "8fe4236db5ecbd3bacb54f608d742768430338004a88265e1ccee7f2bfd3c237",
        ),
        (
            "sign_bytes",
            "19b9cb9c525677233f48d61963cf45614836336f45925ac23afcad6d8cbf4b0a",
        ),
        (
            "signed_tx",
            "1f79ab3385a355e6b59357154aa7759dd44e2e623b53de9ce72bbc69075a15b4",
        ),
        (
            "account",
            "e4e3fa0e4809fc4e6033f5fd7f7a6dc2476dcd70918346541e11e7545fac0043",
        ),
        (
            "amount",
            "cfb5e7f61e4499a296089ceed665f97cb158391c8abed8cb2e4ff74fa7626f59",
        ),
        (
            "params/auth",
            "5fe9686f2c21a6d47fc86a505877c24f152c5949ba5d5af365a3d8a597be8ecc",
        ),
        (
            "params/staking",
            "eac5c94ef8c5f231ba4840bd436bf8be3eb9bf309bd3e56e960c23cf3ab45af4",
        ),
        (
            "params/amm",
            "2aad52d032c79c911cd6f6cd1f953d03f7927cda2165a68570aa11c5bd1eda85",
        ),
        (
            "params/certificate",
            "fb77455acab5dc58e36771ae4ce96598d402c892f56096ba01ee4a418ed101b0",
        ),
        (
            "params/compute",
            "43233d325e779eb0f12e0777a94ced094c54b4ebb0ca43675d75f49c875a9925",
        ),
        (
            "params/oracle",
            "35be52fca9bf0c346804a44ff258ac5d66226a17846ccd880e80aef0215d91ff",
        ),
        (
            "params/credit",
            "8d2a23067a852d7033f63bae64442b4104040ec8934b2272bea7c2b0ec1cbebf",
        ),
        (
            "params/governance",
            "98c7555aed2528a9ad0ecf54cefd8b1ccd58e8b73634658954a1aa06415cba7b",
        ),
        (
            "params/lending",
            "4e4045c46d6cd71398e7dcddadc046310241158a3f9166b55de1d1ab23ef44e2",
        ),
    ];
    // Printed first so a deliberate change can copy the new pins.
    for (name, got) in &got {
        println!("(\"{name}\", \"{got}\"),");
    }
    assert_eq!(got.len(), expected.len(), "one pin per encoding");
    for ((name, got), (_, want)) in got.iter().zip(expected) {
        assert_eq!(got, want, "encoding of {name} changed");
    }
}

/// The device domains' sign bytes, spelled out field by field (see
/// `proto/fructus/metering/v1/msgs.proto` and docs/security.md §3): what
/// manufacturers, device firmware and the device SDK must produce.
#[test]
fn device_sign_bytes_are_pinned() {
    let key = SigningKey::from_seed(KeyAlgo::P256, &[3; 32])
        .unwrap()
        .public_key();
    let kb = key.to_bytes();
    assert_eq!(kb.len(), 33);
    let addr = fructus_crypto::Address::from_bytes([0xAA; 20]);
    let cat = |parts: &[&[u8]]| parts.concat();
    let chain: &[u8] = b"fructus-1";
    let lp_chain: &[u8] = &[9];
    let key_field = cat(&[&[2, 33], &kb]);

    assert_eq!(
        fructus_metering::attestation_bytes("fructus-1", &key, 5, "SN-1"),
        cat(&[
            b"fructus/device-attestation/v2",
            lp_chain,
            chain,
            &key_field,
            &5u64.to_be_bytes(),
            &[4],
            b"SN-1",
        ])
    );
    assert_eq!(
        fructus_metering::registration_bytes("fructus-1", 7, &addr, &key),
        cat(&[
            b"fructus/device-register/v1",
            lp_chain,
            chain,
            &7u64.to_be_bytes(),
            &[0xAA; 20],
            &key_field,
        ])
    );
    assert_eq!(
        fructus_metering::rotation_bytes("fructus-1", &addr, &key),
        cat(&[
            b"fructus/device-rotate/v2",
            lp_chain,
            chain,
            &[0xAA; 20],
            &key_field,
        ])
    );
    assert_eq!(
        fructus_metering::reattestation_bytes("fructus-1", &addr, &key, 2),
        cat(&[
            b"fructus/device-reattest/v1",
            lp_chain,
            chain,
            &[0xAA; 20],
            &key_field,
            &2u64.to_be_bytes(),
        ])
    );
}
