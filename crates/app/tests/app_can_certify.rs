//! Certificates through the real app: a regulator accredits issuers, an
//! issuer creates classes and issues batches (`cert/<id>`), holders trade
//! and retire them (burned, a permanent record with its serials), the
//! issuer cancels what it holds, and per batch `issued = tradable +
//! retired + cancelled` always. Every refusal is typed and changes nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_certificate::{
    Batch, CertificateError, CertificateStateReadExt, CertificateStateWriteExt, RetirementDetails,
    query::{CertificateQuery, CertificateResponse},
};
use fructus_client::tx::msgs;
use fructus_component::ErrorCode;
use fructus_proto::{certificate::v1 as cpb, tx::v1::Message};
use fructus_storage::StateDelta;
use fructus_test_utils::{REGULATOR, TestChain, assert_ok, coins};
use proptest::prelude::*;

const REC: i32 = cpb::CertificateKind::Rec as i32;
const REMOVAL: i32 = cpb::CertificateKind::CarbonRemoval as i32;

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

/// Asserts `r` failed with `expected`'s codespace and code.
#[track_caller]
fn assert_refused(r: &TxResult, expected: &CertificateError) {
    assert_eq!(
        (r.codespace.as_str(), r.code),
        (expected.codespace(), expected.code()),
        "unexpected result: {r:?}"
    );
}

fn issue(class_id: u64, serial_start: u64, quantity: u64, mint_now: u64) -> Message {
    msgs::cert_issue_batch(cpb::MsgIssueBatch {
        class_id,
        project_id: "PV-PLANT-7".into(),
        location: "u33dc0".into(),
        vintage_start_ms: 1_767_225_600_000,
        vintage_end_ms: 1_798_761_599_000,
        serial_start,
        quantity,
        mint_now,
        recipient: Default::default(),
        metadata_uri: "ipfs://bafy/pv-plant-7".into(),
        metadata_sha256: vec![9u8; 32].into(),
    })
}

/// The regulator (funded by alice) accredits alice; alice creates a REC
/// class (1) and issues batch 1: serials 1000..=1099, all 100 minted to
/// her.
fn market() -> TestChain {
    let mut chain = TestChain::new();
    let (alice, regulator) = (chain.addr("alice"), chain.addr(REGULATOR));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&regulator, &coins("100000000ufrx")),
    ));
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::cert_accredit_issuer(&alice, "Alice Registry"),
    ));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::cert_create_class(REC, "Solar REC", "I-REC v1.5", false),
    ));
    assert_ok(&exec(&mut chain, "alice", issue(1, 1_000, 100, 100)));
    chain
}

fn batch(chain: &TestChain, id: u64) -> Batch {
    chain.app.snapshot().unwrap().require_batch(id).unwrap()
}

fn ask(chain: &TestChain, path: &[&str], params: &[(&str, &str)]) -> CertificateResponse {
    let params = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    CertificateQuery::parse_request(path, &params)
        .unwrap()
        .answer_from(&chain.app.snapshot().unwrap())
        .unwrap()
}

/// Per batch: issued = tradable (the bank supply) + retired + cancelled,
/// and no more than the serial range was ever issued.
#[track_caller]
fn assert_batch_identity(chain: &TestChain, id: u64) {
    let b = batch(chain, id);
    let supply = chain.supply(&format!("cert/{id}"));
    assert_eq!(
        u128::from(b.issued),
        supply + u128::from(b.retired) + u128::from(b.cancelled),
        "batch {id}: issued must equal tradable + retired + cancelled"
    );
    assert!(b.issued <= b.quantity);
}

/// What a refusal must not change: certificate balances and supplies, and
/// every batch record.
fn fingerprint(chain: &TestChain) -> (Vec<u128>, Vec<Batch>) {
    let snap = chain.app.snapshot().unwrap();
    let batches = snap.batches(None, 100).unwrap();
    let mut out = Vec::new();
    for b in &batches {
        let denom = format!("cert/{}", b.id);
        for who in ["alice", "bob", "carol", "dave"] {
            out.push(chain.balance(&chain.addr(who), &denom));
        }
        out.push(chain.supply(&denom));
    }
    (out, batches)
}

#[test]
fn a_holder_retires_for_good_and_the_record_is_found_by_id_batch_and_beneficiary() {
    let mut chain = market();
    let bob = chain.addr("bob");
    assert_eq!(chain.balance(&chain.addr("alice"), "cert/1"), 100);
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("40cert/1")),
    ));
    let r = exec(
        &mut chain,
        "bob",
        msgs::cert_retire(1, 10, "ACME GmbH", "2026 scope 2 electricity", "DE"),
    );
    assert_ok(&r);
    assert!(r.events.iter().any(|e| e.kind == "certificate.retired"));
    assert_eq!(chain.balance(&bob, "cert/1"), 30);
    assert_eq!(chain.supply("cert/1"), 90);
    let b = batch(&chain, 1);
    assert_eq!((b.issued, b.retired, b.cancelled), (100, 10, 0));
    assert_batch_identity(&chain, 1);

    let CertificateResponse::Retirement(view) =
        ask(&chain, &["certificates", "retirements", "1"], &[])
    else {
        panic!("not a retirement");
    };
    let rec = view.retirement;
    assert_eq!(
        (rec.batch_id, rec.amount, rec.serial_first, rec.serial_last),
        (1, 10, 1_000, 1_009)
    );
    assert_eq!((rec.holder, rec.beneficiary.as_str()), (bob, "ACME GmbH"));
    assert_eq!(rec.jurisdiction, "DE");
    assert_eq!(
        view.key_hex,
        hex::encode(fructus_certificate::state_key::retirement(1))
    );

    // A second retirement consumes the next serials.
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::cert_retire(1, 5, "Other AG", "2026 scope 2", "AT"),
    ));
    for (path, params) in [
        (vec!["certificates", "batches", "1", "retirements"], vec![]),
        (vec!["certificates", "retirements"], vec![]),
    ] {
        let CertificateResponse::Retirements(page) = ask(&chain, &path, &params) else {
            panic!("not a page");
        };
        let serials: Vec<_> = page
            .retirements
            .iter()
            .map(|v| (v.retirement.serial_first, v.retirement.serial_last))
            .collect();
        assert_eq!(serials, vec![(1_000, 1_009), (1_010, 1_014)]);
    }
    let CertificateResponse::Retirements(page) = ask(
        &chain,
        &["certificates", "retirements"],
        &[("beneficiary", "ACME GmbH")],
    ) else {
        panic!("not a page");
    };
    assert_eq!(page.retirements.len(), 1);
    assert_eq!(page.retirements[0].retirement.id, 1);
    let CertificateResponse::Batch(view) = ask(&chain, &["certificates", "batches", "1"], &[])
    else {
        panic!("not a batch");
    };
    assert_eq!((view.tradable, view.serial_last), (85, 1_099));
}

#[test]
fn retiring_more_than_held_is_refused_and_changes_nothing() {
    let mut chain = market();
    let bob = chain.addr("bob");
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("5cert/1")),
    ));
    let before = fingerprint(&chain);
    let r = exec(
        &mut chain,
        "bob",
        msgs::cert_retire(1, 6, "ACME", "r", "DE"),
    );
    assert_refused(
        &r,
        &CertificateError::InsufficientCertificates {
            holder: bob,
            batch_id: 1,
            held: 5,
            requested: 6,
        },
    );
    assert_eq!(fingerprint(&chain), before);
    // An unknown batch and a zero amount are refused too.
    let r = exec(
        &mut chain,
        "bob",
        msgs::cert_retire(9, 1, "ACME", "r", "DE"),
    );
    assert_refused(&r, &CertificateError::BatchNotFound { batch_id: 9 });
    let r = exec(
        &mut chain,
        "bob",
        msgs::cert_retire(1, 0, "ACME", "r", "DE"),
    );
    assert_refused(&r, &CertificateError::field("amount", ""));
    assert_eq!(fingerprint(&chain), before);
}

#[test]
fn the_same_tokens_cannot_be_retired_twice() {
    let mut chain = market();
    let bob = chain.addr("bob");
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("7cert/1")),
    ));
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::cert_retire(1, 7, "ACME", "r", "DE"),
    ));
    let before = fingerprint(&chain);
    let r = exec(
        &mut chain,
        "bob",
        msgs::cert_retire(1, 7, "ACME", "r", "DE"),
    );
    assert_refused(
        &r,
        &CertificateError::InsufficientCertificates {
            holder: bob,
            batch_id: 1,
            held: 0,
            requested: 7,
        },
    );
    assert_eq!(fingerprint(&chain), before);
    // The holder cannot bring them back with bank's burn or mint either:
    // cert denoms have no issuer in bank.
    let r = exec(
        &mut chain,
        "alice",
        msgs::mint(&fructus_test_utils::coin("7cert/1"), &bob),
    );
    assert!(
        !r.is_ok(),
        "bank mint of a cert denom must be refused: {r:?}"
    );
    assert_eq!(batch(&chain, 1).retired, 7);
    assert_batch_identity(&chain, 1);
}

#[test]
fn only_an_accredited_issuer_creates_classes_and_only_a_regulator_accredits() {
    let mut chain = market();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let r = exec(
        &mut chain,
        "bob",
        msgs::cert_create_class(REC, "Bob REC", "none", false),
    );
    assert_refused(&r, &CertificateError::NotAccredited { address: bob });
    let r = exec(&mut chain, "bob", msgs::cert_accredit_issuer(&bob, "Bob"));
    assert_refused(
        &r,
        &CertificateError::NotRegulator {
            signer: bob,
            action: "",
        },
    );
    let r = exec(
        &mut chain,
        REGULATOR,
        msgs::cert_accredit_issuer(&alice, "again"),
    );
    assert_refused(&r, &CertificateError::AlreadyAccredited { address: alice });
    // A class of another issuer is not alice's to issue batches of.
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::cert_accredit_issuer(&bob, "Bob"),
    ));
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::cert_create_class(REMOVAL, "Bob DAC", "VM0042", false),
    ));
    let r = exec(&mut chain, "alice", issue(2, 1, 10, 10));
    assert_refused(
        &r,
        &CertificateError::NotClassIssuer {
            class_id: 2,
            issuer: bob,
            signer: alice,
        },
    );
    // Once revoked, bob issues nothing more; what he issued stays.
    assert_ok(&exec(&mut chain, "bob", issue(2, 1, 10, 10)));
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::cert_revoke_issuer(&bob, "audit"),
    ));
    let r = exec(&mut chain, "bob", issue(2, 100, 10, 10));
    assert_refused(&r, &CertificateError::NotAccredited { address: bob });
    assert_eq!(chain.balance(&bob, "cert/2"), 10);
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::cert_retire(2, 3, "X", "r", "US"),
    ));
}

#[test]
fn overlapping_serial_ranges_are_refused_within_a_class_only() {
    let mut chain = market();
    let before = fingerprint(&chain);
    // Batch 1 holds 1000..=1099.
    for (start, qty) in [(1_000, 1), (900, 101), (1_099, 5), (1_050, 10), (0, 5_000)] {
        let r = exec(&mut chain, "alice", issue(1, start, qty, qty));
        assert_refused(
            &r,
            &CertificateError::SerialOverlap {
                class_id: 1,
                registry: String::new(),
                first: 0,
                last: 0,
                batch_id: 1,
                other_first: 1_000,
                other_last: 1_099,
            },
        );
    }
    assert_eq!(fingerprint(&chain), before);
    // Adjacent ranges are fine, and another class has its own serials.
    assert_ok(&exec(&mut chain, "alice", issue(1, 900, 100, 0)));
    assert_ok(&exec(&mut chain, "alice", issue(1, 1_100, 1, 1)));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::cert_create_class(REC, "Wind REC", "I-REC v1.5", false),
    ));
    assert_ok(&exec(&mut chain, "alice", issue(2, 1_000, 100, 100)));
    // A range that would pass u64 is refused statelessly.
    let r = exec(&mut chain, "alice", issue(1, u64::MAX, 2, 0));
    assert_refused(&r, &CertificateError::field("serial_start", ""));
}

#[test]
fn only_the_issuer_cancels_and_cancelled_units_are_counted() {
    let mut chain = market();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("10cert/1")),
    ));
    let before = fingerprint(&chain);
    let r = exec(&mut chain, "bob", msgs::cert_cancel(1, 1, "mine"));
    assert_refused(
        &r,
        &CertificateError::NotBatchIssuer {
            batch_id: 1,
            issuer: alice,
            signer: bob,
        },
    );
    let r = exec(&mut chain, "alice", msgs::cert_cancel(1, 91, "too many"));
    assert_refused(
        &r,
        &CertificateError::InsufficientCertificates {
            holder: alice,
            batch_id: 1,
            held: 90,
            requested: 91,
        },
    );
    assert_eq!(fingerprint(&chain), before);
    let r = exec(
        &mut chain,
        "alice",
        msgs::cert_cancel(1, 20, "double-counted meter"),
    );
    assert_ok(&r);
    assert!(r.events.iter().any(|e| e.kind == "certificate.cancelled"));
    let b = batch(&chain, 1);
    assert_eq!((b.issued, b.retired, b.cancelled), (100, 0, 20));
    assert_batch_identity(&chain, 1);
    // Retirements after a cancellation take the serials after it.
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::cert_retire(1, 1, "X", "r", "DE"),
    ));
    let r = chain
        .app
        .snapshot()
        .unwrap()
        .retirement(1)
        .unwrap()
        .unwrap();
    assert_eq!((r.serial_first, r.serial_last), (1_020, 1_020));
}

#[test]
fn a_kyc_only_class_reaches_only_kyc_accounts() {
    let mut chain = market();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::cert_create_class(REMOVAL, "Regulated DAC", "VM0042", true),
    ));
    // Minting to bob (not KYC'd) is refused by bank's gate.
    let mut to_bob = issue(2, 1, 10, 10);
    if let Some(fructus_proto::tx::v1::message::Sum::CertIssueBatch(m)) = &mut to_bob.sum {
        m.recipient = bob.as_bytes().to_vec().into();
    }
    let before = fingerprint(&chain);
    let r = exec(&mut chain, "alice", to_bob);
    assert_eq!((r.codespace.as_str(), r.code), ("bank", 10), "{r:?}");
    assert_eq!(fingerprint(&chain), before);
    // To alice (KYC'd) it works; sending on to bob is refused.
    assert_ok(&exec(&mut chain, "alice", issue(2, 1, 10, 10)));
    let r = exec(&mut chain, "alice", msgs::send(&bob, &coins("1cert/2")));
    assert_eq!((r.codespace.as_str(), r.code), ("bank", 10), "{r:?}");
    assert_eq!(chain.balance(&alice, "cert/2"), 10);
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::cert_retire(2, 2, "Alice", "r", "DE"),
    ));
}

#[test]
fn another_module_retires_through_the_retire_api_with_the_same_checks() {
    let mut chain = market();
    let bob = chain.addr("bob");
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("10cert/1")),
    ));
    let mut state = StateDelta::new(chain.app.snapshot().unwrap());
    let details = RetirementDetails::new("Buyer of job 7", "green compute receipt", "EU").unwrap();
    let r = state.retire_certificates(&bob, 1, 4, &details).unwrap();
    assert_eq!(
        (r.id, r.amount, r.serial_first, r.serial_last),
        (1, 4, 1_000, 1_003)
    );
    assert_eq!(state.retirement(1).unwrap().unwrap(), r);
    assert_eq!(state.require_batch(1).unwrap().retired, 4);
    let e = state.retire_certificates(&bob, 1, 7, &details).unwrap_err();
    assert_eq!(
        e.code(),
        CertificateError::InsufficientCertificates {
            holder: bob,
            batch_id: 1,
            held: 6,
            requested: 7,
        }
        .code()
    );
    let e = state.retire_certificates(&bob, 1, 0, &details).unwrap_err();
    assert_eq!((e.codespace(), e.code()), ("certificate", 2));
}

fn bridge(serial_start: u64, quantity: u64, registry: &str, tx: &str) -> Message {
    let Some(fructus_proto::tx::v1::message::Sum::CertIssueBatch(batch)) =
        issue(1, serial_start, quantity, quantity).sum
    else {
        panic!("not a batch");
    };
    msgs::cert_bridge_in(batch, registry, tx)
}

#[test]
fn bridging_in_is_idempotent_on_the_source_transaction_and_never_mints_an_origin_twice() {
    let mut chain = market();
    let alice = chain.addr("alice");
    // The same serial numbers as native batch 1 are another registry's.
    let r = exec(&mut chain, "alice", bridge(1_000, 50, "verra", "VCS-TX-1"));
    assert_ok(&r);
    assert_eq!(chain.balance(&alice, "cert/2"), 50);
    let b = batch(&chain, 2);
    assert_eq!(
        (b.registry.as_str(), b.source_tx_id.as_deref()),
        ("verra", Some("VCS-TX-1"))
    );
    // The same transaction again: accepted, nothing changes.
    let before = fingerprint(&chain);
    let r = exec(&mut chain, "alice", bridge(1_000, 50, "verra", "VCS-TX-1"));
    assert_ok(&r);
    let dup = r
        .events
        .iter()
        .find(|e| e.kind == "certificate.bridged_in")
        .unwrap();
    assert_eq!(
        (dup.get("batch_id"), dup.get("duplicate")),
        (Some("2"), Some("true"))
    );
    assert_eq!(fingerprint(&chain), before);
    // The same transaction with other serials is refused …
    let r = exec(&mut chain, "alice", bridge(2_000, 50, "verra", "VCS-TX-1"));
    assert_refused(
        &r,
        &CertificateError::BridgeTxConflict {
            registry: String::new(),
            tx_id: String::new(),
            batch_id: 2,
        },
    );
    // … and so is another transaction for serials already bridged.
    let r = exec(&mut chain, "alice", bridge(1_049, 10, "verra", "VCS-TX-2"));
    assert_refused(
        &r,
        &CertificateError::SerialOverlap {
            class_id: 1,
            registry: String::new(),
            first: 0,
            last: 0,
            batch_id: 2,
            other_first: 1_000,
            other_last: 1_049,
        },
    );
    assert_eq!(fingerprint(&chain), before);
    // Another registry has its own serials; "fructus" is not a source.
    assert_ok(&exec(
        &mut chain,
        "alice",
        bridge(1_000, 50, "gold-standard", "GS-9"),
    ));
    let r = exec(&mut chain, "alice", bridge(5_000, 1, "fructus", "X"));
    assert_refused(&r, &CertificateError::field("source_registry", ""));
    // Bridged units retire like any.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::cert_retire(2, 5, "A", "r", "DE"),
    ));
    assert_batch_identity(&chain, 2);
}

/// One step of the property test.
#[derive(Debug, Clone)]
enum Op {
    /// alice sends n to bob.
    Send(u64),
    /// `who` (0 alice, 1 bob) retires n.
    Retire(u8, u64),
    /// alice cancels n.
    Cancel(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u64..40).prop_map(Op::Send),
        (0u8..2, 1u64..40).prop_map(|(w, n)| Op::Retire(w, n)),
        (1u64..40).prop_map(Op::Cancel),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever holders send, retire and cancel (refused steps included),
    /// every batch keeps issued = tradable + retired + cancelled, and the
    /// retirement records' serials are disjoint and within the range.
    #[test]
    fn per_batch_issued_equals_tradable_plus_retired_plus_cancelled(ops in prop::collection::vec(op(), 1..12)) {
        let mut chain = market();
        let bob = chain.addr("bob");
        for op in ops {
            let _ = match op {
                Op::Send(n) => exec(&mut chain, "alice", msgs::send(&bob, &coins(&format!("{n}cert/1")))),
                Op::Retire(w, n) => exec(&mut chain, if w == 0 { "alice" } else { "bob" }, msgs::cert_retire(1, n, "B", "r", "DE")),
                Op::Cancel(n) => exec(&mut chain, "alice", msgs::cert_cancel(1, n, "r")),
            };
            assert_batch_identity(&chain, 1);
        }
        let snap = chain.app.snapshot().unwrap();
        let recs = snap.retirements(None, 1000).unwrap();
        let mut next = 1_000;
        for r in &recs {
            prop_assert!(r.serial_first >= next && r.serial_last <= 1_099);
            next = r.serial_last + 1;
        }
        let b = batch(&chain, 1);
        prop_assert_eq!(recs.iter().map(|r| r.amount).sum::<u64>(), b.retired);
    }
}

mod auto_issuance {
    //! RECs minted from a solar asset's metered kWh into its income.

    use super::*;
    use fructus_asset::AssetStateReadExt;
    use fructus_certificate::Authorization;
    use fructus_client::metering::ContractTerms;
    use fructus_test_utils::{
        coin,
        metering::{Metered, attr},
    };

    const DAY_MS: u64 = 86_400_000;

    /// A solar asset (class unit kWh, shares alice 70 % / bob 30 %) under
    /// contract with dave; alice is an accredited issuer with REC class 1
    /// and batch 1 (serials 1..=1000, nothing minted), and authorizes the
    /// asset with `cap` units per day.
    pub(super) fn solar(cap: u64) -> Metered {
        let mut f = Metered::with_unit("kWh");
        let (alice, regulator) = (f.chain.addr("alice"), f.chain.addr(REGULATOR));
        let chain = &mut f.chain;
        assert_ok(&exec(
            chain,
            "alice",
            msgs::send(&regulator, &coins("100000000ufrx")),
        ));
        assert_ok(&exec(
            chain,
            REGULATOR,
            msgs::cert_accredit_issuer(&alice, "Alice Registry"),
        ));
        assert_ok(&exec(
            chain,
            "alice",
            msgs::cert_create_class(REC, "Solar REC", "I-REC v1.5", false),
        ));
        assert_ok(&exec(chain, "alice", issue(1, 1, 1_000, 0)));
        let asset = f.asset_id;
        assert_ok(&exec(
            &mut f.chain,
            "alice",
            msgs::cert_grant_auto_issuance(asset, 1, cap, DAY_MS),
        ));
        f.contract(
            &ContractTerms::prepaid(coin("1ufrx"), 1_000),
            Some("100000000ufrx"),
        );
        f
    }

    pub(super) fn auth(f: &Metered) -> Authorization {
        f.chain
            .app
            .snapshot()
            .unwrap()
            .authorization(f.asset_id)
            .unwrap()
            .unwrap()
    }

    fn pending_recs(f: &Metered, who: &str) -> u128 {
        let snap = f.chain.app.snapshot().unwrap();
        snap.pending_income(f.asset_id, &f.chain.addr(who))
            .unwrap()
            .iter()
            .find(|c| c.denom.as_str() == "cert/1")
            .map_or(0, |c| c.amount.value())
    }

    #[track_caller]
    pub(super) fn assert_kwh_identity(f: &Metered) {
        let a = auth(f);
        assert_eq!(
            a.metered_kwh,
            u128::from(a.issued_total) * 1_000 + a.carried_kwh,
            "kWh read must equal MWh issued × 1000 + carried kWh"
        );
        assert_eq!(batch(&f.chain, 1).issued, a.issued_total);
    }

    #[test]
    fn a_solar_assets_readings_mint_recs_to_its_shareholders_pro_rata() {
        let mut f = solar(1_000);
        let start = f.device_record().counter;
        let r = f.read(start + 2_500);
        assert_ok(&r);
        assert_eq!(attr(&r, "certificate.auto_issued", "minted"), "2");
        assert_eq!(attr(&r, "certificate.auto_issued", "carried_kwh"), "500");
        let r = f.read(start + 10_000);
        assert_eq!(attr(&r, "certificate.auto_issued", "minted"), "8");
        let a = auth(&f);
        assert_eq!(
            (a.metered_kwh, a.issued_total, a.carried_kwh),
            (10_000, 10, 0)
        );
        assert_kwh_identity(&f);
        // 10 RECs in the asset's income: 7 for alice, 3 for bob.
        assert_eq!((pending_recs(&f, "alice"), pending_recs(&f, "bob")), (7, 3));
        assert_ok(&exec(
            &mut f.chain,
            "bob",
            msgs::asset_claim_income(&[f.asset_id]),
        ));
        let bob = f.chain.addr("bob");
        assert_eq!(f.chain.balance(&bob, "cert/1"), 3);
        // Bob retires one: serial 1, the first issued.
        assert_ok(&exec(
            &mut f.chain,
            "bob",
            msgs::cert_retire(1, 1, "Bob's bakery", "2026 electricity", "DE"),
        ));
        let rec = f
            .chain
            .app
            .snapshot()
            .unwrap()
            .retirement(1)
            .unwrap()
            .unwrap();
        assert_eq!((rec.serial_first, rec.serial_last, rec.holder), (1, 1, bob));
        assert_batch_identity(&f.chain, 1);
    }

    #[test]
    fn the_period_cap_holds_whole_mwh_in_the_carry_until_the_next_period() {
        let mut f = solar(3);
        let start = f.device_record().counter;
        let r = f.read(start + 5_000);
        assert_eq!(attr(&r, "certificate.auto_issued", "minted"), "3");
        assert!(attr(&r, "certificate.auto_issued", "held_back").contains("cap"));
        assert_eq!(auth(&f).carried_kwh, 2_000);
        // Same period: nothing more.
        let r = f.read(start + 5_001);
        assert_eq!(attr(&r, "certificate.auto_issued", "minted"), "0");
        f.chain.advance_time(DAY_MS);
        let r = f.read(start + 5_002);
        assert_eq!(attr(&r, "certificate.auto_issued", "minted"), "2");
        assert_eq!(auth(&f).carried_kwh, 2);
        assert_kwh_identity(&f);
    }

    #[test]
    fn a_revoked_authorization_mints_nothing_and_one_asset_has_one_issuer() {
        let mut f = solar(1_000);
        let (alice, bob) = (f.chain.addr("alice"), f.chain.addr("bob"));
        let asset = f.asset_id;
        // Bob, accredited too, cannot authorize the same asset.
        assert_ok(&exec(
            &mut f.chain,
            REGULATOR,
            msgs::cert_accredit_issuer(&bob, "Bob"),
        ));
        assert_ok(&exec(
            &mut f.chain,
            "bob",
            msgs::cert_create_class(REC, "Bob REC", "I-REC v1.5", false),
        ));
        assert_ok(&exec(&mut f.chain, "bob", issue(2, 1, 100, 0)));
        let r = exec(
            &mut f.chain,
            "bob",
            msgs::cert_grant_auto_issuance(asset, 2, 10, DAY_MS),
        );
        assert_refused(
            &r,
            &CertificateError::AuthorizationExists {
                asset_id: asset,
                issuer: alice,
            },
        );
        // Bob may not revoke alice's authorization; a regulator may.
        let r = exec(&mut f.chain, "bob", msgs::cert_revoke_auto_issuance(asset));
        assert_refused(
            &r,
            &CertificateError::NotAuthorizer {
                asset_id: asset,
                issuer: alice,
                signer: bob,
            },
        );
        assert_ok(&exec(
            &mut f.chain,
            "alice",
            msgs::cert_revoke_auto_issuance(asset),
        ));
        let start = f.device_record().counter;
        let r = f.read(start + 5_000);
        assert_ok(&r);
        assert!(!r.events.iter().any(|e| e.kind == "certificate.auto_issued"));
        assert_eq!(f.chain.supply("cert/1"), 0);
        // A carbon batch cannot be auto-issued.
        assert_ok(&exec(
            &mut f.chain,
            "alice",
            msgs::cert_create_class(REMOVAL, "DAC", "VM0042", false),
        ));
        assert_ok(&exec(&mut f.chain, "alice", issue(3, 1, 10, 0)));
        let r = exec(
            &mut f.chain,
            "alice",
            msgs::cert_grant_auto_issuance(asset, 3, 10, DAY_MS),
        );
        assert_refused(
            &r,
            &CertificateError::NotRec {
                batch_id: 3,
                kind: String::new(),
            },
        );
    }

    #[test]
    fn an_asset_whose_income_denoms_are_all_taken_holds_mwh_back_and_its_readings_still_bill() {
        let mut f = solar(1_000);
        let asset = f.asset_id;
        // Fill 15 of the 16 income denoms; the reading's ufrx takes the
        // last one.
        let mut deposits = 0;
        for i in 0..15 {
            let denom = format!("uinc{i:02}");
            let r = exec(
                &mut f.chain,
                "alice",
                msgs::create_denom(&denom.parse().unwrap(), "INC", 0, false),
            );
            assert_ok(&r);
            let alice = f.chain.addr("alice");
            assert_ok(&exec(
                &mut f.chain,
                "alice",
                msgs::mint(&coin(&format!("10{denom}")), &alice),
            ));
            let r = exec(
                &mut f.chain,
                "alice",
                msgs::asset_deposit_income(asset, &coin(&format!("10{denom}"))),
            );
            if r.is_ok() {
                deposits += 1;
            }
        }
        assert_eq!(deposits, 15);
        let start = f.device_record().counter;
        let r = f.read(start + 3_000);
        assert_ok(&r);
        assert_eq!(attr(&r, "certificate.auto_issued", "minted"), "0");
        assert!(attr(&r, "certificate.auto_issued", "held_back").contains("income"));
        assert!(r.events.iter().any(|e| e.kind == "metering.reading"));
        assert_eq!(auth(&f).carried_kwh, 3_000);
        assert_kwh_identity(&f);
    }

    #[test]
    fn only_an_asset_metered_in_kwh_can_be_authorized() {
        let mut f = Metered::new();
        let (alice, regulator) = (f.chain.addr("alice"), f.chain.addr(REGULATOR));
        let asset = f.asset_id;
        let chain = &mut f.chain;
        assert_ok(&exec(
            chain,
            "alice",
            msgs::send(&regulator, &coins("100000000ufrx")),
        ));
        assert_ok(&exec(
            chain,
            REGULATOR,
            msgs::cert_accredit_issuer(&alice, "A"),
        ));
        assert_ok(&exec(
            chain,
            "alice",
            msgs::cert_create_class(REC, "R", "M", false),
        ));
        assert_ok(&exec(chain, "alice", issue(1, 1, 10, 0)));
        let r = exec(
            chain,
            "alice",
            msgs::cert_grant_auto_issuance(asset, 1, 10, DAY_MS),
        );
        assert_refused(&r, &CertificateError::field("asset_id", ""));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Whatever the readings, kWh read = MWh issued × 1000 + carried kWh,
    /// and the batch issued exactly what the authorization did.
    #[test]
    fn kwh_read_equal_mwh_issued_times_1000_plus_carried(deltas in prop::collection::vec(0u64..4_000, 1..8), cap in 1u64..6) {
        let mut f = auto_issuance::solar(cap);
        let mut counter = f.device_record().counter;
        let mut total = 0u128;
        for d in deltas {
            counter += d;
            total += u128::from(d);
            assert_ok(&f.read(counter));
            auto_issuance::assert_kwh_identity(&f);
        }
        let a = auto_issuance::auth(&f);
        prop_assert_eq!(a.metered_kwh, total);
        prop_assert_eq!(f.chain.supply("cert/1"), u128::from(a.issued_total));
    }
}
