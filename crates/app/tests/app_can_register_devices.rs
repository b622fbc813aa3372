//! Device keys and attestations (docs/security.md §3): a device key is
//! fresh and signs its own registration, registering one never demotes an
//! account, a re-attestation lifts one suspension and nothing the chain
//! already holds can stand in for it, every device signature binds the
//! chain id, and no key a rotation replaced ever signs again.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_client::{metering as m, tx::msgs};
use fructus_crypto::KeyAlgo;
use fructus_identity::{IdentityStateReadExt, Tier};
use fructus_metering::{DeviceStatus, MeteringStateReadExt};
use fructus_test_utils::{
    CHAIN_ID, REGULATOR, assert_code, assert_ok, coins, key_for,
    metering::{MANUFACTURER, METER, Metered, SERIAL, exec},
};
use fructus_types::BlockHeight;

/// A fixture whose device was decommissioned, so the asset takes a new one.
fn free_asset() -> Metered {
    let mut f = Metered::new();
    let device = f.device;
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::decommission_device(&device),
    ));
    f
}

fn tier_of(f: &Metered, name: &str) -> Tier {
    let snap = f.chain.app.snapshot().unwrap();
    snap.tier(
        &f.chain.addr(name),
        BlockHeight::MAX,
        fructus_types::BlockTime(f.chain.time()),
    )
    .unwrap()
}

/// Registers `key_name`'s key with an explicit consent, signed by alice.
fn register_with(f: &mut Metered, key_name: &str, consent: &[u8]) -> fructus_app::TxResult {
    let att = f.attestation(key_name);
    let key = f.chain.key(key_name).public_key();
    let asset_id = f.asset_id;
    exec(
        &mut f.chain,
        "alice",
        m::register_device(asset_id, &key, SERIAL, &att, 0, consent),
    )
}

#[test]
fn registering_a_device_never_demotes_an_account() {
    // The audit's attack: alice (a KYC'd enterprise) registers her own key
    // — here even with a genuine consent, since she holds it — as a device.
    let mut f = free_asset();
    assert_eq!(tier_of(&f, "alice"), Tier::Enterprise);
    let consent = f.consent("alice", "alice");
    let r = register_with(&mut f, "alice", &consent);
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::KEY_IS_ACCOUNT_KEY,
    );
    // Nor bob's, once bob has signed anything (his key controls his
    // account).
    let carol = f.chain.addr("carol");
    assert_ok(&exec(
        &mut f.chain,
        "bob",
        msgs::send(&carol, &coins("1ufrx")),
    ));
    let consent = f.consent("bob", "alice");
    assert_code(
        &register_with(&mut f, "bob", &consent),
        "metering",
        fructus_metering::MeteringError::KEY_IS_ACCOUNT_KEY,
    );
    assert_eq!(tier_of(&f, "alice"), Tier::Enterprise);
    let snap = f.chain.app.snapshot().unwrap();
    assert!(snap.device(&f.chain.addr("alice")).unwrap().is_none());
    assert_eq!(snap.assigned_tier(&f.chain.addr("alice")).unwrap(), None);
    drop(snap);

    // A key that never signed, but whose account a regulator KYC'd: it
    // would lose that standing, so it is refused too.
    f.chain.add_key("kycd", key_for("kycd", KeyAlgo::P256));
    let kycd = f.chain.addr("kycd");
    let regulator = f.chain.addr(REGULATOR);
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        msgs::send(&regulator, &coins("100000ufrx")),
    ));
    assert_ok(&exec(
        &mut f.chain,
        REGULATOR,
        msgs::identity_attest_kyc(&kycd, 3, 0, 0, [1; 32]),
    ));
    let consent = f.consent("kycd", "alice");
    assert_code(
        &register_with(&mut f, "kycd", &consent),
        "metering",
        fructus_metering::MeteringError::ACCOUNT_HAS_STANDING,
    );
    assert_eq!(tier_of(&f, "kycd"), Tier::Enterprise);

    // The decommissioned device's key is spent.
    assert_code(
        &f.register(METER, "alice"),
        "metering",
        fructus_metering::MeteringError::KEY_IN_USE,
    );

    // A fresh key registers, and only its own account becomes a device.
    f.chain.add_key("fresh", key_for("fresh", KeyAlgo::P256));
    let consent = f.consent("fresh", "alice");
    assert_ok(&register_with(&mut f, "fresh", &consent));
    assert_eq!(tier_of(&f, "fresh"), Tier::Device);
    assert_eq!(tier_of(&f, "alice"), Tier::Enterprise);
}

#[test]
fn a_device_key_signs_its_own_registration() {
    let mut f = free_asset();
    f.chain.add_key("fresh", key_for("fresh", KeyAlgo::P256));
    let asset_id = f.asset_id;
    let key = f.chain.key("fresh").public_key();
    let att = f.attestation("fresh");

    // No consent: refused before state.
    let r = exec(
        &mut f.chain,
        "alice",
        m::register_device(asset_id, &key, SERIAL, &att, 0, &[]),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::INVALID_FIELD,
    );
    // A consent by another key (the operator's own, say).
    let by_alice = f
        .chain
        .key("alice")
        .sign(&fructus_metering::registration_bytes(
            CHAIN_ID,
            asset_id,
            &f.chain.addr("alice"),
            &key,
        ));
    assert_code(
        &register_with(&mut f, "fresh", &by_alice),
        "metering",
        fructus_metering::MeteringError::BAD_DEVICE_CONSENT,
    );
    // The device's consent to another operator, asset or chain.
    let to_bob = f.consent("fresh", "bob");
    let other_asset = m::registration_consent(
        CHAIN_ID,
        f.chain.key("fresh"),
        asset_id + 1,
        &f.chain.addr("alice"),
    );
    let other_chain = m::registration_consent(
        "fructus-other",
        f.chain.key("fresh"),
        asset_id,
        &f.chain.addr("alice"),
    );
    for consent in [to_bob, other_asset, other_chain] {
        assert_code(
            &register_with(&mut f, "fresh", &consent),
            "metering",
            fructus_metering::MeteringError::BAD_DEVICE_CONSENT,
        );
    }
    let snap = f.chain.app.snapshot().unwrap();
    assert!(snap.device(&key.address()).unwrap().is_none());
    drop(snap);
    let consent = f.consent("fresh", "alice");
    assert_ok(&register_with(&mut f, "fresh", &consent));
}

#[test]
fn attestations_are_bound_to_the_chain_id() {
    let mut f = free_asset();
    f.chain.add_key("fresh", key_for("fresh", KeyAlgo::P256));
    let asset_id = f.asset_id;
    let key = f.chain.key("fresh").public_key();
    let consent = f.consent("fresh", "alice");
    let elsewhere = m::attest(
        "fructus-other",
        f.chain.key(MANUFACTURER),
        &key,
        f.class_id,
        SERIAL,
    );
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::register_device(asset_id, &key, SERIAL, &elsewhere, 0, &consent),
        ),
        "metering",
        fructus_metering::MeteringError::BAD_ATTESTATION,
    );
}

#[test]
fn a_reattestation_lifts_one_suspension_and_the_registration_attestation_never_does() {
    let mut f = Metered::new();
    f.contract(
        &m::ContractTerms::prepaid(fructus_test_utils::coin("1ufrx"), 1),
        Some("1000ufrx"),
    );
    let device = f.device;
    assert_ok(&f.read(1));
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::report_tamper(&device, "enclosure opened"),
    ));
    let d = f.device_record();
    assert_eq!((d.status, d.suspensions), (DeviceStatus::Suspended, 1));

    // The audit's replay: the registration attestation, which the owner
    // already holds (it is on chain), does not lift a suspension.
    let registration = f.attestation(METER);
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::reattest_device(&device, &registration),
        ),
        "metering",
        fructus_metering::MeteringError::BAD_REATTESTATION,
    );
    // Nor a re-attestation for another chain.
    let elsewhere = m::reattest(
        "fructus-other",
        f.chain.key(MANUFACTURER),
        &device,
        &d.key,
        d.suspensions,
    );
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::reattest_device(&device, &elsewhere),
        ),
        "metering",
        fructus_metering::MeteringError::BAD_REATTESTATION,
    );
    assert_eq!(f.device_record().status, DeviceStatus::Suspended);

    let first = f.reattestation();
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::reattest_device(&device, &first),
    ));
    assert_eq!(f.device_record().status, DeviceStatus::Active);
    assert_ok(&f.read(2));

    // Suspended again (by a tamper flag in a reading this time): the first
    // re-attestation is spent.
    let tx = f.reading_tx(METER, f.sequence, 3, fructus_metering::msg::FLAG_TAMPER);
    f.sequence += 1;
    assert_ok(&f.chain.run(tx));
    let d = f.device_record();
    assert_eq!((d.status, d.suspensions), (DeviceStatus::Suspended, 2));
    assert_code(
        &exec(&mut f.chain, "alice", m::reattest_device(&device, &first)),
        "metering",
        fructus_metering::MeteringError::BAD_REATTESTATION,
    );
    let second = f.reattestation();
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::reattest_device(&device, &second),
    ));
    assert_eq!(f.device_record().status, DeviceStatus::Active);
}

#[test]
fn a_device_key_replaced_by_any_rotation_never_signs_again() {
    let mut f = Metered::new();
    f.contract(
        &m::ContractTerms::prepaid(fructus_test_utils::coin("1ufrx"), 1),
        Some("1000ufrx"),
    );
    let device = f.device;
    // Sequence 1 was the contract's baseline, 2 this reading.
    assert_ok(&f.read(1));

    // The device rotates through auth (metering does not see it).
    f.chain
        .add_key("meter-b", key_for("meter-b", KeyAlgo::P256));
    let rotate = fructus_client::tx::TxBuilder::new(CHAIN_ID)
        .nonce(f.chain.nonce(&device))
        .payer(f.chain.addr("alice"))
        .message(msgs::rotate_key(
            f.chain.key("meter-b"),
            CHAIN_ID,
            &device,
            f.chain.nonce(&device),
        ))
        .sign(f.chain.key(METER));
    assert_ok(&f.chain.run(rotate));
    assert_code(
        &f.chain.run(f.reading_tx(METER, 3, 2, 0)),
        "auth",
        fructus_auth::AuthError::KEY_MISMATCH,
    );
    assert_ok(&f.chain.run(f.reading_tx("meter-b", 3, 2, 0)));

    // Then the owner rotates it to a freshly attested key: the key that
    // controlled the account (meter-b) is unbound, not only the one
    // metering had recorded.
    f.chain
        .add_key("meter-c", key_for("meter-c", KeyAlgo::Ed25519));
    let next = f.chain.key("meter-c").public_key();
    let att = f.attestation("meter-c");
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::rotate_device_key_by_owner(&device, &next, &att),
    ));
    // The first key derives to the device's address, now controlled by
    // another key; the second resolves only to its own (empty) account.
    assert_code(
        &f.chain.run(f.reading_tx(METER, 4, 3, 0)),
        "auth",
        fructus_auth::AuthError::KEY_MISMATCH,
    );
    assert_code(
        &f.chain.run(f.reading_tx("meter-b", 4, 3, 0)),
        "metering",
        fructus_metering::MeteringError::NOT_DEVICE,
    );
    assert_ok(&f.chain.run(f.reading_tx("meter-c", 4, 3, 0)));
    let d = f.device_record();
    assert_eq!((d.key, d.last_sequence), (next, 4));
    // Neither replaced key can ever be registered again.
    let snap = f.chain.app.snapshot().unwrap();
    for stale in [METER, "meter-b"] {
        let key = f.chain.key(stale).public_key();
        assert_eq!(snap.device_of_key(&key).unwrap(), Some(device));
    }
}
