//! The SDK's bytes decode with the chain's own decoder, verify with both
//! key types, and are accepted by the app as nonceless readings (a replay
//! of them is refused before any fee); a secure element's high-S P-256
//! signature is sent in its canonical low-S form.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_device_sdk::{DeviceConfig, Error, KeyType, Reading, Signer, signed_reading};
use fructus_test_utils::{
    CHAIN_ID, assert_code, assert_ok, coin, key_for,
    metering::{METER, Metered},
};
use fructus_types::tx::DecodedTx;

/// A software key standing in for a secure element.
struct Soft(SigningKey);

impl Signer for Soft {
    fn key_type(&self) -> KeyType {
        match self.0.algo() {
            KeyAlgo::Ed25519 => KeyType::Ed25519,
            KeyAlgo::P256 => KeyType::P256,
        }
    }
    fn public_key(&self) -> Vec<u8> {
        self.0.public_key().to_bytes()
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(self.0.sign(message))
    }
}

fn config(device: [u8; 20], payer: Option<[u8; 20]>) -> DeviceConfig<'static> {
    DeviceConfig {
        chain_id: CHAIN_ID,
        device,
        fee_denom: "ufrx",
        fee_amount: 2_000,
        gas_limit: 200_000,
        fee_payer: payer,
    }
}

#[test]
fn both_key_types_decode_and_verify_with_the_chains_decoder() {
    for algo in [KeyAlgo::Ed25519, KeyAlgo::P256] {
        let key = Soft(key_for("sdk", algo));
        let device = *key.0.public_key().address().as_bytes();
        let reading = Reading {
            sequence: 7,
            counter: 1_234_567,
            time_ms: 1_767_225_601_000,
            flags: fructus_device_sdk::FLAG_FAULT,
        };
        let bytes = signed_reading(&config(device, Some([9; 20])), &key, &reading).unwrap();
        let tx = DecodedTx::decode(&bytes, 4096).unwrap();
        tx.verify_signature(CHAIN_ID).unwrap();
        assert_eq!(tx.signer, key.0.public_key());
        assert_eq!(tx.body.nonce, 0);
        assert_eq!(tx.fee, coin("2000ufrx"));
        assert_eq!(tx.gas_limit, 200_000);
        assert_eq!(tx.payer.map(|p| *p.as_bytes()), Some([9; 20]));
        let parsed = fructus_app::Msg::from_proto(&tx.body.messages[0], 0).unwrap();
        match parsed {
            fructus_app::Msg::MeteringSubmitReading(r) => {
                assert_eq!(*r.device.as_bytes(), device);
                assert_eq!((r.sequence, r.counter, r.flags), (7, 1_234_567, 2));
                assert_eq!(r.time_ms, 1_767_225_601_000);
            }
            other => panic!("{other:?}"),
        }
        // Any other chain id does not verify.
        assert!(tx.verify_signature("fructus-other").is_err());
    }
}

/// A secure element that returns the high-S form of its signatures.
struct HighS(SigningKey);

impl Signer for HighS {
    fn key_type(&self) -> KeyType {
        KeyType::P256
    }
    fn public_key(&self) -> Vec<u8> {
        self.0.public_key().to_bytes()
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let sig = p256::ecdsa::Signature::from_slice(&self.0.sign(message)).unwrap();
        let (r, s) = sig.split_scalars();
        Ok(p256::ecdsa::Signature::from_scalars(r, -*s)
            .unwrap()
            .to_bytes()
            .to_vec())
    }
}

#[test]
fn a_secure_elements_high_s_signature_is_sent_in_its_low_s_form() {
    let key = key_for("sdk-high-s", KeyAlgo::P256);
    let device = *key.public_key().address().as_bytes();
    for sequence in 1..=8 {
        let reading = Reading {
            sequence,
            counter: sequence * 10,
            time_ms: 1_767_225_601_000,
            flags: 0,
        };
        let high = HighS(key_for("sdk-high-s", KeyAlgo::P256));
        let bytes = signed_reading(&config(device, None), &high, &reading).unwrap();
        let tx = DecodedTx::decode(&bytes, 4096).unwrap();
        tx.verify_signature(CHAIN_ID).unwrap();
        let low = signed_reading(
            &config(device, None),
            &Soft(key_for("sdk-high-s", KeyAlgo::P256)),
            &reading,
        )
        .unwrap();
        assert_eq!(bytes, low, "one signature, one encoding, one hash");
    }
}

#[test]
fn malformed_inputs_are_errors() {
    let key = Soft(key_for("sdk", KeyAlgo::Ed25519));
    let r = Reading {
        sequence: 0,
        counter: 1,
        time_ms: 1,
        flags: 0,
    };
    assert_eq!(
        signed_reading(&config([1; 20], None), &key, &r),
        Err(Error::ZeroSequence)
    );
    let mut bad = config([1; 20], None);
    bad.chain_id = "";
    let r = Reading { sequence: 1, ..r };
    assert_eq!(signed_reading(&bad, &key, &r), Err(Error::ChainId));
}

#[test]
fn the_app_accepts_sdk_readings_and_refuses_their_replay() {
    let mut f = Metered::new();
    let id = f.contract(
        &fructus_client::metering::ContractTerms::prepaid(coin("3ufrx"), 2),
        Some("1000ufrx"),
    );
    // The fixture derives its keys from their names.
    let key = Soft(key_for(METER, KeyAlgo::P256));
    let alice = *f.chain.addr("alice").as_bytes();
    let cfg = config(*f.device.as_bytes(), Some(alice));
    // Sequence 1 was the contract's baseline reading (the fixture's).
    let txs: Vec<Vec<u8>> = (2..=4)
        .map(|i| {
            let r = Reading {
                sequence: i,
                counter: (i - 1) * 10,
                time_ms: f.chain.time(),
                flags: 0,
            };
            signed_reading(&cfg, &key, &r).unwrap()
        })
        .collect();
    for r in f.chain.block(txs.clone()) {
        assert_ok(&r);
    }
    assert_eq!(f.contract_record(id).charged.value(), 45);
    let before = f.chain.balance(&f.chain.addr("alice"), "ufrx");
    // The same bytes: refused by the included-transaction window; other
    // bytes with a used sequence: refused by the device sequence.
    assert_code(
        &f.chain.run(txs[2].clone()),
        "tx",
        fructus_app::TxCheckError::ALREADY_INCLUDED,
    );
    let reused = Reading {
        sequence: 3,
        counter: 99,
        time_ms: f.chain.time(),
        flags: 0,
    };
    let reused = signed_reading(&cfg, &key, &reused).unwrap();
    assert_code(
        &f.chain.run(reused),
        "metering",
        fructus_metering::MeteringError::READING_REPLAYED,
    );
    assert_eq!(f.chain.balance(&f.chain.addr("alice"), "ufrx"), before);
}

#[test]
fn the_sdks_consents_are_the_bytes_the_chain_verifies() {
    for algo in [KeyAlgo::Ed25519, KeyAlgo::P256] {
        let key = Soft(key_for("sdk-consent", algo));
        let public = key.0.public_key();
        let operator = [4u8; 20];
        let device = [5u8; 20];
        assert_eq!(
            fructus_device_sdk::registration_bytes(
                CHAIN_ID,
                11,
                &operator,
                key.key_type(),
                &public.to_bytes()
            )
            .unwrap(),
            fructus_metering::registration_bytes(
                CHAIN_ID,
                11,
                &fructus_crypto::Address::from_bytes(operator),
                &public
            )
        );
        assert_eq!(
            fructus_device_sdk::rotation_bytes(
                CHAIN_ID,
                &device,
                key.key_type(),
                &public.to_bytes()
            )
            .unwrap(),
            fructus_metering::rotation_bytes(
                CHAIN_ID,
                &fructus_crypto::Address::from_bytes(device),
                &public
            )
        );
        let consent =
            fructus_device_sdk::registration_consent(CHAIN_ID, 11, &operator, &key).unwrap();
        let msg = fructus_metering::registration_bytes(
            CHAIN_ID,
            11,
            &fructus_crypto::Address::from_bytes(operator),
            &public,
        );
        public.verify(&msg, &consent).unwrap();
    }
}

#[test]
fn an_sdk_registration_consent_registers_the_device() {
    let mut f = Metered::new();
    let device = f.device;
    assert_ok(&fructus_test_utils::metering::exec(
        &mut f.chain,
        "alice",
        fructus_client::metering::decommission_device(&device),
    ));
    let key = Soft(key_for("sdk-device", KeyAlgo::P256));
    let public = key.0.public_key();
    let alice = *f.chain.addr("alice").as_bytes();
    let consent =
        fructus_device_sdk::registration_consent(CHAIN_ID, f.asset_id, &alice, &key).unwrap();
    let att = fructus_client::metering::attest(
        CHAIN_ID,
        f.chain.key(fructus_test_utils::metering::MANUFACTURER),
        &public,
        f.class_id,
        fructus_test_utils::metering::SERIAL,
    );
    let asset_id = f.asset_id;
    assert_ok(&fructus_test_utils::metering::exec(
        &mut f.chain,
        "alice",
        fructus_client::metering::register_device(
            asset_id,
            &public,
            fructus_test_utils::metering::SERIAL,
            &att,
            0,
            &consent,
        ),
    ));
}

#[test]
fn the_app_accepts_sdk_heartbeats_from_the_gpu_servers_device() {
    use fructus_device_sdk::{Heartbeat, signed_heartbeat};
    use fructus_test_utils::compute::{Computed, GPU_DEVICE, GPUS};
    let mut f = Computed::new();
    let key = Soft(key_for(GPU_DEVICE, KeyAlgo::P256));
    let alice = *f.chain.addr("alice").as_bytes();
    let cfg = config(*f.device.as_bytes(), Some(alice));
    let beat = |f: &Computed, sequence| Heartbeat {
        asset_id: f.asset_id,
        sequence,
        time_ms: f.chain.time(),
        gpus_online: GPUS,
        nonce: f.chain.nonce(&f.device),
    };
    let tx = signed_heartbeat(&cfg, &key, &beat(&f, 1)).unwrap();
    assert!(DecodedTx::decode(&tx, 64 * 1024).is_ok());
    assert_ok(&f.chain.run(tx));
    assert!(f.provider().online);
    // A replayed sequence (with a fresh nonce) is refused; sequence 0 is
    // not built at all.
    let tx = signed_heartbeat(&cfg, &key, &beat(&f, 1)).unwrap();
    assert_code(&f.chain.run(tx), "compute", 8);
    assert_eq!(
        signed_heartbeat(&cfg, &key, &beat(&f, 0)),
        Err(Error::ZeroSequence)
    );
}
