//! Devices, contracts and readings through real signed transactions:
//! attested registration, exact charges and splits with the remainder
//! carried, replays refused before any fee, tamper suspension, prepaid
//! exhaustion and top-up, SLA penalties, efficiency rebates, oracle quorum,
//! key rotation and nonceless readings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_client::metering::{self as m, ContractTerms};
use fructus_crypto::KeyAlgo;
use fructus_metering::{ContractStatus, DeviceStatus, MeteringStateReadExt, contract_escrow};
use fructus_test_utils::{
    CHAIN_ID, assert_code, assert_ok, coin, key_for,
    metering::{METER, Metered, SERIAL, attr, exec},
};
use fructus_types::Amount;

/// `auth` code of a key that no longer signs for its account.
const KEY_MISMATCH: u32 = 2;

/// Tariff 3 ufrx per 2 units, maintainer carol 10 %, platform 2 %.
fn terms(f: &Metered) -> ContractTerms {
    let mut t = ContractTerms::prepaid(coin("3ufrx"), 2);
    t.maintainer = Some(f.chain.addr("carol"));
    t.maintainer_bps = 1_000;
    t.platform_bps = 200;
    t
}

#[test]
fn registration_needs_the_manufacturers_attestation() {
    let mut f = Metered::new();
    let asset_id = f.asset_id;
    f.chain
        .add_key("meter2", key_for("meter2", KeyAlgo::Ed25519));
    let key = f.key("meter2").public_key();
    let good = f.attestation("meter2");
    let consent = f.consent("meter2", "alice");

    // The asset already has its device (the fixture registered one).
    let r = exec(
        &mut f.chain,
        "alice",
        m::register_device(asset_id, &key, SERIAL, &good, 0, &consent),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::ASSET_HAS_DEVICE,
    );
    let device = f.device;
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::decommission_device(&device),
    ));
    assert_code(
        &f.read(1),
        "metering",
        fructus_metering::MeteringError::DEVICE_NOT_ACTIVE,
    );

    // Missing attestation: refused before state.
    let r = exec(
        &mut f.chain,
        "alice",
        m::register_device(asset_id, &key, SERIAL, &[], 0, &consent),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::INVALID_FIELD,
    );
    // Forged: signed by a key that is not the class's attestation key.
    let forged = m::attest(CHAIN_ID, f.key("bob"), &key, f.class_id, SERIAL);
    let r = exec(
        &mut f.chain,
        "alice",
        m::register_device(asset_id, &key, SERIAL, &forged, 0, &consent),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::BAD_ATTESTATION,
    );
    // A genuine attestation of another key does not carry over.
    let other = f.attestation(METER);
    let r = exec(
        &mut f.chain,
        "alice",
        m::register_device(asset_id, &key, SERIAL, &other, 0, &consent),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::BAD_ATTESTATION,
    );
    // Only the owner or a class manager registers.
    let r = exec(
        &mut f.chain,
        "bob",
        m::register_device(asset_id, &key, SERIAL, &good, 0, &consent),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::NOT_ASSET_OPERATOR,
    );
    // The serial is part of what was attested.
    let r = exec(
        &mut f.chain,
        "alice",
        m::register_device(asset_id, &key, "SN-0002", &good, 0, &consent),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::SERIAL_MISMATCH,
    );
    let snap = f.chain.app.snapshot().unwrap();
    assert!(snap.device(&key.address()).unwrap().is_none());

    // The decommissioned device's key can never come back.
    let r = f.register(METER, "alice");
    assert_code(&r, "metering", fructus_metering::MeteringError::KEY_IN_USE);
    let r = f.register("meter2", "alice");
    assert_ok(&r);
    let snap = f.chain.app.snapshot().unwrap();
    let d = snap.require_device(&key.address()).unwrap();
    assert_eq!((d.asset_id, d.status), (asset_id, DeviceStatus::Active));
    use fructus_identity::IdentityStateReadExt;
    assert_eq!(
        snap.assigned_tier(&key.address()).unwrap(),
        Some(fructus_identity::Tier::Device)
    );
}

#[test]
fn readings_are_charged_split_and_carry_the_remainder() {
    let mut f = Metered::new();
    let id = f.contract(&terms(&f), Some("1000ufrx"));
    let carol = f.chain.addr("carol");
    let carol_before = f.chain.balance(&carol, "ufrx");

    // +5 units at 3 per 2: 15/2 → charge 7, carry 1.
    let r = f.read(5);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "charged"), "7");
    assert_eq!(attr(&r, "metering.reading", "remainder"), "1");
    // The device is named, so history can be kept per device.
    assert_eq!(attr(&r, "metering.reading", "source"), "device");
    assert_eq!(attr(&r, "metering.reading", "device"), f.device.to_string());
    assert_eq!(attr(&r, "metering.payment_split", "shareholders"), "7");
    // +1 unit: 3 + 1 carried = 4/2 → charge 2, carry 0.
    let r = f.read(6);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "charged"), "2");
    assert_eq!(attr(&r, "metering.reading", "remainder"), "0");
    // +4 units: 12/2 → 6. Cumulative 15: maintainer floor(1.5) = 1,
    // platform floor(0.3) = 0, shareholders 14.
    let r = f.read(10);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "charged"), "6");
    assert_eq!(attr(&r, "metering.payment_split", "maintainer"), "1");
    assert_eq!(attr(&r, "metering.payment_split", "shareholders"), "5");

    let c = f.contract_record(id);
    assert_eq!(c.units, 10);
    assert_eq!(c.charged, Amount::new(15));
    assert_eq!(c.collected, Amount::new(15));
    assert_eq!(c.paid_maintainer, Amount::new(1));
    assert_eq!(c.paid_platform, Amount::ZERO);
    assert_eq!(c.paid_shareholders, Amount::new(14));
    assert_eq!(c.owed, Amount::ZERO);
    assert_eq!(f.chain.balance(&contract_escrow(id), "ufrx"), 985);
    assert_eq!(f.chain.balance(&carol, "ufrx"), carol_before + 1);
    // 14 over 10,000 shares: alice 7,000 → 9.8 → 9, bob 3,000 → 4.2 → 4
    // (the fractions stay in the asset's escrow for later claims).
    assert_eq!(f.pending_ufrx("alice"), 9);
    assert_eq!(f.pending_ufrx("bob"), 4);

    // A large reading shows the platform share: +1000 units → 1500;
    // collected 1515 → maintainer 151 (+150), platform 30 (+30).
    let r = f.read(1_010);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "charged"), "1500");
    let c = f.contract_record(id);
    // Escrow held 985: all of it is collected, 515 is owed.
    assert_eq!(c.collected, Amount::new(1_000));
    assert_eq!(c.owed, Amount::new(515));
    assert_eq!(c.paid_maintainer, Amount::new(100));
    assert_eq!(c.paid_platform, Amount::new(20));
    assert_eq!(c.paid_shareholders, Amount::new(880));
    assert_eq!(c.status, ContractStatus::Suspended);
}

#[test]
fn replays_and_regressions_are_refused_without_charging_a_replay() {
    let mut f = Metered::new();
    f.contract(&terms(&f), Some("1000ufrx"));
    let alice = f.chain.addr("alice");
    // The fixture's baseline reading used sequence 1.
    let tx = f.reading_tx(METER, 2, 5, 0);
    assert_ok(&f.chain.run(tx.clone()));
    let before = f.chain.balance(&alice, "ufrx");

    // The very same bytes again: refused in the ante (by the
    // included-transaction window), nobody pays.
    let r = f.chain.run(tx);
    assert_code(&r, "tx", fructus_app::TxCheckError::ALREADY_INCLUDED);
    assert_eq!(f.chain.balance(&alice, "ufrx"), before);
    // A new transaction reusing the sequence: same.
    let r = f.chain.run(f.reading_tx(METER, 2, 9, 0));
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::READING_REPLAYED,
    );
    assert_eq!(f.chain.balance(&alice, "ufrx"), before);
    // A reading tx must carry nonce 0.
    let bad_nonce = fructus_client::tx::TxBuilder::new(fructus_test_utils::CHAIN_ID)
        .nonce(3)
        .payer(alice)
        .message(m::submit_reading(&f.device, 3, 6, f.chain.time(), 0))
        .sign(f.key(METER));
    assert_code(
        &f.chain.run(bad_nonce),
        "tx",
        fructus_app::TxCheckError::NONCE_TOO_HIGH,
    );
    assert_eq!(f.chain.balance(&alice, "ufrx"), before);
    // Someone else signing the device's reading: refused before the fee.
    let forged = fructus_client::tx::TxBuilder::new(fructus_test_utils::CHAIN_ID)
        .nonce(0)
        .message(m::submit_reading(&f.device, 3, 6, f.chain.time(), 0))
        .sign(f.key("bob"));
    assert_code(
        &f.chain.run(forged),
        "metering",
        fructus_metering::MeteringError::NOT_DEVICE,
    );

    // Counter going down: refused; its fee was paid, so its sequence is
    // used up (its bytes can never be charged again), nothing else moves.
    let r = f.chain.run(f.reading_tx(METER, 3, 4, 0));
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::COUNTER_REGRESSED,
    );
    let d = f.device_record();
    assert_eq!((d.last_sequence, d.counter, d.readings), (3, 5, 2));
    // A gap in sequences is fine.
    assert_ok(&f.chain.run(f.reading_tx(METER, 7, 6, 0)));
    assert_eq!(f.device_record().last_sequence, 7);
}

#[test]
fn implausible_jumps_and_readings_without_a_contract_are_refused() {
    let mut f = Metered::new();
    // No contract yet.
    assert_code(
        &f.read(5),
        "metering",
        fructus_metering::MeteringError::NO_RUNNING_CONTRACT,
    );
    f.contract(&terms(&f), Some("1000ufrx"));
    let class_id = f.class_id;
    // Only the class creator sets the bound.
    assert_code(
        &exec(&mut f.chain, "bob", m::set_plausibility_bound(class_id, 10)),
        "metering",
        fructus_metering::MeteringError::NOT_CLASS_CREATOR,
    );
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::set_plausibility_bound(class_id, 10),
    ));
    // The reading time is at most a few seconds after registration: 10
    // units/s cannot explain a million units.
    let r = f.read(1_000_000);
    assert_code(&r, "metering", fructus_metering::MeteringError::IMPLAUSIBLE);
    assert_eq!(f.device_record().counter, 0);
    assert_ok(&f.read(20));
}

#[test]
fn tampered_devices_are_refused_until_reattested() {
    let mut f = Metered::new();
    f.contract(&terms(&f), Some("1000ufrx"));
    assert_ok(&f.read(2));
    let device = f.device;
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::report_tamper(&device, "enclosure opened"),
    ));
    assert_eq!(f.device_record().status, DeviceStatus::Suspended);
    assert_code(
        &f.read(4),
        "metering",
        fructus_metering::MeteringError::DEVICE_NOT_ACTIVE,
    );
    // Re-attestation needs a genuine re-attestation.
    let suspensions = f.device_record().suspensions;
    let forged = m::reattest(
        CHAIN_ID,
        f.key("bob"),
        &device,
        &f.key(METER).public_key(),
        suspensions,
    );
    assert_code(
        &exec(&mut f.chain, "alice", m::reattest_device(&device, &forged)),
        "metering",
        fructus_metering::MeteringError::BAD_REATTESTATION,
    );
    let att = f.reattestation();
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::reattest_device(&device, &att),
    ));
    assert_ok(&f.read(4));

    // A tamper flag in a reading suspends the device and bills nothing.
    let tx = f.reading_tx(METER, f.sequence, 100, fructus_metering::msg::FLAG_TAMPER);
    f.sequence += 1;
    let r = f.chain.run(tx);
    assert_ok(&r);
    let d = f.device_record();
    assert_eq!((d.status, d.counter), (DeviceStatus::Suspended, 4));
    assert_code(
        &f.read(101),
        "metering",
        fructus_metering::MeteringError::DEVICE_NOT_ACTIVE,
    );
}

#[test]
fn an_exhausted_escrow_suspends_and_a_top_up_resumes() {
    let mut f = Metered::new();
    let id = f.contract(&terms(&f), Some("10ufrx"));
    // 10 units → 15 charged, 10 in escrow: 10 collected, 5 owed.
    let r = f.read(10);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "collected"), "10");
    assert_eq!(attr(&r, "metering.contract_status", "status"), "suspended");
    let c = f.contract_record(id);
    assert_eq!((c.collected, c.owed), (Amount::new(10), Amount::new(5)));
    // Readings still count while suspended (the owed amount grows).
    assert_ok(&f.read(12));
    assert_eq!(f.contract_record(id).owed, Amount::new(8));
    // Top-ups must be in the tariff denom.
    assert_code(
        &exec(&mut f.chain, "dave", m::top_up(id, &coin("5uusd"))),
        "metering",
        fructus_metering::MeteringError::WRONG_DENOM,
    );
    let r = exec(&mut f.chain, "dave", m::top_up(id, &coin("100ufrx")));
    assert_ok(&r);
    let c = f.contract_record(id);
    assert_eq!(c.status, ContractStatus::Active);
    assert_eq!((c.collected, c.owed), (Amount::new(18), Amount::ZERO));
    assert_eq!(f.chain.balance(&contract_escrow(id), "ufrx"), 92);
}

#[test]
fn a_postpaid_contract_is_suspended_past_its_limit_and_settled() {
    let mut f = Metered::new();
    let mut t = terms(&f);
    t.credit_limit = Some(Amount::new(20));
    t.settle_within_ms = 3_600_000;
    let id = f.contract(&t, None);
    assert_ok(&f.read(10));
    let c = f.contract_record(id);
    assert_eq!(
        (c.owed, c.status),
        (Amount::new(15), ContractStatus::Active)
    );
    assert_ok(&f.read(20));
    let c = f.contract_record(id);
    assert_eq!(
        (c.owed, c.status),
        (Amount::new(30), ContractStatus::Suspended)
    );
    assert_code(
        &exec(&mut f.chain, "bob", m::settle(id)),
        "metering",
        fructus_metering::MeteringError::NOT_PARTY,
    );
    let dave = f.chain.addr("dave");
    let before = f.chain.balance(&dave, "ufrx");
    let r = exec(&mut f.chain, "dave", m::settle(id));
    assert_ok(&r);
    let c = f.contract_record(id);
    assert_eq!((c.owed, c.status), (Amount::ZERO, ContractStatus::Active));
    assert_eq!(c.collected, Amount::new(30));
    // dave paid 30 plus his transaction fee.
    let fee = fructus_client::tx::default_fee(fructus_client::tx::DEFAULT_GAS_LIMIT);
    assert_eq!(
        before - f.chain.balance(&dave, "ufrx"),
        30 + fee.amount.value()
    );
    assert_code(
        &exec(&mut f.chain, "dave", m::settle(id)),
        "metering",
        fructus_metering::MeteringError::NOTHING_OWED,
    );
}

#[test]
fn an_sla_shortfall_pays_the_customer_from_the_assets_income() {
    let mut f = Metered::new();
    let mut t = terms(&f);
    t.period_ms = 60_000;
    t.sla_min_units = 100;
    t.sla_penalty_per_unit = Amount::new(1);
    let id = f.contract(&t, Some("10000ufrx"));
    assert_ok(&f.read(40));
    // Past the period end: the next block's end_block processes it.
    f.chain.advance_time(60_000);
    f.chain.block(Vec::new());
    let c = f.contract_record(id);
    // 60 units short at 1 each, reported as the block's event.
    assert_eq!(c.penalty_due, Amount::new(60));
    let sla = f
        .chain
        .block_events
        .iter()
        .find(|e| e.kind == "metering.sla_penalty")
        .unwrap_or_else(|| panic!("no metering.sla_penalty in {:?}", f.chain.block_events));
    assert_eq!(sla.get("contract_id"), Some(id.to_string().as_str()));
    assert_eq!(sla.get("missing_units"), Some("60"));
    assert_eq!(sla.get("penalty"), Some("60"));
    assert_eq!(c.period_units, 0);
    assert!(c.next_period_end_ms.is_some());
    // The next collection's shareholder part goes to dave first: 200
    // units → 300; cumulative 360 → maintainer 36 - 6 = 30, platform 7 - 1
    // = 6, 264 left: 60 to dave, 204 to the shareholders.
    let dave = f.chain.addr("dave");
    let before = f.chain.balance(&dave, "ufrx");
    let r = f.read(240);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.payment_split", "sla_penalty"), "60");
    assert_eq!(attr(&r, "metering.payment_split", "shareholders"), "204");
    assert_eq!(f.chain.balance(&dave, "ufrx"), before + 60);
    let c = f.contract_record(id);
    assert_eq!(
        (c.penalty_due, c.penalties_paid),
        (Amount::ZERO, Amount::new(60))
    );
    assert_eq!(
        c.collected,
        Amount::new(
            c.paid_maintainer.value()
                + c.paid_platform.value()
                + c.paid_shareholders.value()
                + c.penalties_paid.value()
        )
    );
}

#[test]
fn using_less_than_the_baseline_earns_a_rebate_from_the_pool() {
    let mut f = Metered::new();
    let mut t = terms(&f);
    t.period_ms = 60_000;
    t.baseline_units = 50;
    t.rebate_per_unit = Amount::new(2);
    let id = f.contract(&t, Some("1000ufrx"));
    assert_ok(&exec(
        &mut f.chain,
        "bob",
        m::fund_incentive(id, &coin("500ufrx")),
    ));
    assert_ok(&f.read(30));
    let dave = f.chain.addr("dave");
    let before = f.chain.balance(&dave, "ufrx");
    f.chain.advance_time(60_000);
    f.chain.block(Vec::new());
    // 20 units saved × 2 = 40 from the pool to dave.
    assert_eq!(f.chain.balance(&dave, "ufrx"), before + 40);
    assert_eq!(f.contract_record(id).rebates_paid, Amount::new(40));
    assert_eq!(
        f.chain
            .balance(&fructus_metering::incentive_pool(id), "ufrx"),
        460
    );
}

#[test]
fn closing_gives_notice_then_returns_the_escrow() {
    let mut f = Metered::new();
    let mut t = terms(&f);
    t.notice_ms = 10_000;
    let id = f.contract(&t, Some("100ufrx"));
    assert_ok(&f.read(2));
    assert_code(
        &exec(&mut f.chain, "bob", m::close_contract(id)),
        "metering",
        fructus_metering::MeteringError::NOT_PARTY,
    );
    let r = exec(&mut f.chain, "dave", m::close_contract(id));
    assert_ok(&r);
    assert_code(
        &exec(&mut f.chain, "dave", m::close_contract(id)),
        "metering",
        fructus_metering::MeteringError::NOTICE_PENDING,
    );
    f.chain.advance_time(10_000);
    assert_code(
        &f.read(4),
        "metering",
        fructus_metering::MeteringError::NO_RUNNING_CONTRACT,
    );
    let dave = f.chain.addr("dave");
    let before = f.chain.balance(&dave, "ufrx");
    let r = exec(&mut f.chain, "alice", m::close_contract(id));
    assert_ok(&r);
    assert_eq!(f.contract_record(id).status, ContractStatus::Closed);
    assert_eq!(f.chain.balance(&dave, "ufrx"), before + 97);
    assert_eq!(f.chain.balance(&contract_escrow(id), "ufrx"), 0);
    // The asset is free for a new contract.
    f.contract(&terms(&f), None);
}

/// KYCs `names` (as enterprises) so they may serve as oracles.
fn kyc(f: &mut Metered, names: &[&str]) {
    let regulator = f.chain.addr(fructus_test_utils::REGULATOR);
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        fructus_client::tx::msgs::send(&regulator, &fructus_test_utils::coins("100000ufrx")),
    ));
    for name in names {
        let who = f.chain.addr(name);
        assert_ok(&exec(
            &mut f.chain,
            fructus_test_utils::REGULATOR,
            fructus_client::tx::msgs::identity_attest_kyc(&who, 3, 0, 0, [1; 32]),
        ));
    }
}

/// bob, carol and dave as the asset's oracles (2 of 3 within 1 %), then
/// a contract for dave, which takes them into its terms.
fn oracle_contract(f: &mut Metered) -> u64 {
    let asset_id = f.asset_id;
    let oracles = ["bob", "carol", "dave"].map(|n| f.chain.addr(n));
    // Oracles must be identified operators.
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::set_oracles(asset_id, &oracles, 2, 100),
        ),
        "metering",
        fructus_metering::MeteringError::ORACLE_TIER,
    );
    kyc(f, &["bob", "carol", "dave"]);
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::set_oracles(asset_id, &oracles, 2, 100),
    ));
    let t = terms(f);
    f.contract(&t, Some("1000ufrx"))
}

#[test]
fn two_of_three_oracles_agree_on_the_median_and_the_outlier_is_recorded() {
    let mut f = Metered::new();
    let id = oracle_contract(&mut f);
    let asset_id = f.asset_id;
    // Round 1 is the contract's baseline.
    for (o, c) in [("bob", 40), ("carol", 40)] {
        assert_ok(&exec(
            &mut f.chain,
            o,
            m::submit_oracle_reading(asset_id, 1, c),
        ));
    }
    assert_eq!(f.contract_record(id).units, 0);
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::submit_oracle_reading(asset_id, 2, 140),
        ),
        "metering",
        fructus_metering::MeteringError::NOT_ORACLE,
    );
    assert_ok(&exec(
        &mut f.chain,
        "bob",
        m::submit_oracle_reading(asset_id, 2, 140),
    ));
    assert_code(
        &exec(
            &mut f.chain,
            "bob",
            m::submit_oracle_reading(asset_id, 2, 140),
        ),
        "metering",
        fructus_metering::MeteringError::ORACLE_DUPLICATE,
    );
    // The outlier alone cannot reach the threshold with bob.
    let r = exec(
        &mut f.chain,
        "dave",
        m::submit_oracle_reading(asset_id, 2, 900),
    );
    assert_ok(&r);
    assert!(r.events.iter().all(|e| e.kind != "metering.reading"));
    // carol agrees with bob within 1 %: median of all = 141 → 140 and 141
    // agree, 900 is out; accepted = lower median of {140, 141} = 140.
    let r = exec(
        &mut f.chain,
        "carol",
        m::submit_oracle_reading(asset_id, 2, 141),
    );
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "counter"), "140");
    assert_eq!(attr(&r, "metering.reading", "charged"), "150");
    // An oracle reading names no device.
    assert_eq!(attr(&r, "metering.reading", "source"), "oracle");
    assert_eq!(attr(&r, "metering.reading", "device"), "");
    assert_eq!(attr(&r, "metering.oracle_outlier", "counter"), "900");
    let snap = f.chain.app.snapshot().unwrap();
    let round = snap.oracle_round(asset_id, 2).unwrap().unwrap();
    assert_eq!(round.accepted, Some(140));
    assert_eq!(round.outliers, vec![f.chain.addr("dave")]);
    assert_eq!(f.contract_record(id).units, 100);
    // The round is closed.
    assert_code(
        &exec(
            &mut f.chain,
            "dave",
            m::submit_oracle_reading(asset_id, 2, 140),
        ),
        "metering",
        fructus_metering::MeteringError::ORACLE_PERIOD_STALE,
    );
}

#[test]
fn the_oracle_set_is_a_term_the_provider_cannot_change_after_acceptance() {
    let mut f = Metered::new();
    let id = oracle_contract(&mut f);
    let asset_id = f.asset_id;
    let escrow_before = f.chain.balance(&contract_escrow(id), "ufrx");
    // The provider names itself the asset's only oracle after dave
    // accepted: that set is for future contracts only.
    kyc(&mut f, &["alice"]);
    let alice = f.chain.addr("alice");
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::set_oracles(asset_id, &[alice], 1, 0),
    ));
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::submit_oracle_reading(asset_id, 1, 1_000_000_000),
        ),
        "metering",
        fructus_metering::MeteringError::NOT_ORACLE,
    );
    let c = f.contract_record(id);
    assert_eq!(c.terms.oracles.unwrap().oracles.len(), 3);
    assert_eq!((c.units, c.owed), (0, Amount::ZERO));
    assert_eq!(c.status, ContractStatus::Active);
    assert_eq!(f.chain.balance(&contract_escrow(id), "ufrx"), escrow_before);
}

#[test]
fn a_contract_is_metered_by_its_device_or_its_oracles_never_both() {
    let mut f = Metered::new();
    let id = oracle_contract(&mut f);
    // The device's readings are refused for an oracle-metered contract.
    assert_code(
        &f.read(50),
        "metering",
        fructus_metering::MeteringError::WRONG_METER_SOURCE,
    );
    assert_eq!(f.contract_record(id).units, 0);
    // And oracle readings for a device-metered one.
    let mut g = Metered::new();
    g.contract(&terms(&g), Some("1000ufrx"));
    let asset_id = g.asset_id;
    kyc(&mut g, &["bob"]);
    let bob = g.chain.addr("bob");
    assert_ok(&exec(
        &mut g.chain,
        "alice",
        m::set_oracles(asset_id, &[bob], 1, 0),
    ));
    assert_code(
        &exec(
            &mut g.chain,
            "bob",
            m::submit_oracle_reading(asset_id, 1, 50),
        ),
        "metering",
        fructus_metering::MeteringError::WRONG_METER_SOURCE,
    );
}

#[test]
fn oracle_readings_obey_the_plausibility_bound() {
    let mut f = Metered::new();
    let class_id = f.class_id;
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::set_plausibility_bound(class_id, 10),
    ));
    let id = oracle_contract(&mut f);
    let asset_id = f.asset_id;
    for o in ["bob", "carol"] {
        assert_ok(&exec(
            &mut f.chain,
            o,
            m::submit_oracle_reading(asset_id, 1, 0),
        ));
    }
    // 1.5 billion units a few seconds later: far above 10 units/s.
    assert_ok(&exec(
        &mut f.chain,
        "bob",
        m::submit_oracle_reading(asset_id, 2, 1_500_000_000),
    ));
    let r = exec(
        &mut f.chain,
        "carol",
        m::submit_oracle_reading(asset_id, 2, 1_500_000_000),
    );
    assert_code(
        &r,
        "metering",
        fructus_metering::MeteringError::ORACLE_IMPLAUSIBLE,
    );
    let c = f.contract_record(id);
    assert_eq!(
        (c.units, c.owed, c.status),
        (0, Amount::ZERO, ContractStatus::Active)
    );
    assert_eq!(f.chain.balance(&contract_escrow(id), "ufrx"), 1_000);
}

#[test]
fn key_rotation_keeps_the_devices_address_and_history() {
    let mut f = Metered::new();
    f.contract(&terms(&f), Some("1000ufrx"));
    assert_ok(&f.read(5));
    let device = f.device;
    // Device path: the old key signs, the new key consents.
    f.chain
        .add_key("meter-b", key_for("meter-b", KeyAlgo::P256));
    let rotate = fructus_client::tx::TxBuilder::new(fructus_test_utils::CHAIN_ID)
        .nonce(f.chain.nonce(&device))
        .payer(f.chain.addr("alice"))
        .message(m::rotate_device_key_by_device(
            CHAIN_ID,
            &device,
            f.key("meter-b"),
        ))
        .sign(f.key(METER));
    assert_ok(&f.chain.run(rotate));
    let d = f.device_record();
    assert_eq!(
        (d.key, d.counter, d.last_sequence),
        (f.key("meter-b").public_key(), 5, 2)
    );
    // The old key no longer signs for the device; the new one does, and
    // the sequence and counter go on from where they were.
    let old = f.reading_tx(METER, 3, 6, 0);
    assert_code(&f.chain.run(old), "auth", KEY_MISMATCH);
    let r = f.chain.run(f.reading_tx("meter-b", 3, 6, 0));
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "units"), "1");
    assert_code(
        &f.chain.run(f.reading_tx("meter-b", 3, 7, 0)),
        "metering",
        fructus_metering::MeteringError::READING_REPLAYED,
    );

    // Owner path: a fresh attestation of the next key.
    f.chain
        .add_key("meter-c", key_for("meter-c", KeyAlgo::Ed25519));
    let next = f.key("meter-c").public_key();
    let att = f.attestation("meter-c");
    let forged = m::attest(CHAIN_ID, f.key("carol"), &next, f.class_id, SERIAL);
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::rotate_device_key_by_owner(&device, &next, &forged),
        ),
        "metering",
        fructus_metering::MeteringError::BAD_ATTESTATION,
    );
    // A key already in use by an account cannot become a device key.
    let bob_key = f.key("bob").public_key();
    let bob_att = m::attest(
        CHAIN_ID,
        f.key("manufacturer"),
        &bob_key,
        f.class_id,
        SERIAL,
    );
    assert_code(
        &exec(
            &mut f.chain,
            "alice",
            m::rotate_device_key_by_owner(&device, &bob_key, &bob_att),
        ),
        "metering",
        fructus_metering::MeteringError::KEY_IN_USE,
    );
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::rotate_device_key_by_owner(&device, &next, &att),
    ));
    assert_ok(&f.chain.run(f.reading_tx("meter-c", 4, 9, 0)));
    let d = f.device_record();
    assert_eq!(
        (
            d.address,
            d.counter,
            d.last_sequence,
            d.readings,
            d.rotations
        ),
        (device, 9, 4, 4, 2)
    );
}

#[test]
fn many_nonceless_readings_of_one_device_fit_in_one_block() {
    let mut f = Metered::new();
    let id = f.contract(&terms(&f), Some("1000ufrx"));
    let device = f.device;
    let nonce_before = f.chain.nonce(&device);
    let txs: Vec<Vec<u8>> = (2..=21)
        .map(|i| f.reading_tx(METER, i, (i - 1) * 2, 0))
        .collect();
    let results = f.chain.block(txs);
    for r in &results {
        assert_ok(r);
    }
    let d = f.device_record();
    assert_eq!((d.last_sequence, d.counter, d.readings), (21, 40, 21));
    // 40 units at 3 per 2.
    assert_eq!(f.contract_record(id).charged, Amount::new(60));
    // The account nonce was neither needed nor used.
    assert_eq!(f.chain.nonce(&device), nonce_before);
}

#[test]
fn a_provider_closing_writes_off_debt_without_touching_the_customers_balance() {
    let mut f = Metered::new();
    let mut t = terms(&f);
    t.credit_limit = Some(Amount::new(1_000));
    t.settle_within_ms = 3_600_000;
    let id = f.contract(&t, None);
    assert_ok(&f.read(10));
    let dave = f.chain.addr("dave");
    let before = f.chain.balance(&dave, "ufrx");
    assert_ok(&exec(&mut f.chain, "alice", m::close_contract(id)));
    let c = f.contract_record(id);
    assert_eq!(c.status, ContractStatus::Closed);
    assert_eq!((c.owed, c.written_off), (Amount::ZERO, Amount::new(15)));
    assert_eq!(f.chain.balance(&dave, "ufrx"), before);
    // Closed contracts take nothing more.
    assert_code(
        &f.read(12),
        "metering",
        fructus_metering::MeteringError::NO_RUNNING_CONTRACT,
    );
    assert_code(
        &exec(&mut f.chain, "dave", m::close_contract(id)),
        "metering",
        fructus_metering::MeteringError::WRONG_STATUS,
    );
}
