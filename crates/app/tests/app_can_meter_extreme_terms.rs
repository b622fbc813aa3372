//! Contract terms chosen to break the chain: every term past its bound is
//! refused before state, terms at their bounds never fail a period end,
//! short periods catch up in one step, usage before acceptance is never
//! billed and no close leaves an escrow behind.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_client::metering::{self as m, ContractTerms};
use fructus_metering::{
    ContractStatus, MeteringStateReadExt, contract_escrow, incentive_pool,
    msg::{MAX_DURATION_MS, MAX_PERIOD_UNITS, MAX_TERM_AMOUNT, MIN_PERIOD_MS},
};
use fructus_test_utils::{
    assert_code, assert_ok, coin,
    metering::{Metered, attr, exec},
};
use fructus_types::{Amount, Coin};

fn terms() -> ContractTerms {
    ContractTerms::prepaid(coin("3ufrx"), 2)
}

/// Terms with every bounded number at its bound: a 10 s period, an SLA of
/// 10¹² units at 10¹⁸ per missing unit and a baseline of 10¹² units at a
/// rebate of 10¹⁸ per saved unit, at the highest price.
fn extreme() -> ContractTerms {
    let mut t = terms();
    t.price = Coin::new("ufrx".parse().unwrap(), MAX_TERM_AMOUNT);
    t.per_units = 1;
    t.period_ms = MIN_PERIOD_MS;
    t.sla_min_units = MAX_PERIOD_UNITS;
    t.sla_penalty_per_unit = Amount::new(MAX_TERM_AMOUNT);
    t.baseline_units = MAX_PERIOD_UNITS;
    t.rebate_per_unit = Amount::new(MAX_TERM_AMOUNT);
    t.notice_ms = MAX_DURATION_MS;
    t
}

/// Opens `t` for dave (alice signs) and returns the result.
fn open(f: &mut Metered, t: &ContractTerms) -> fructus_app::TxResult {
    let dave = f.chain.addr("dave");
    let asset_id = f.asset_id;
    exec(&mut f.chain, "alice", m::open_contract(asset_id, &dave, t))
}

fn contract_id(r: &fructus_app::TxResult) -> u64 {
    attr(r, "metering.open_contract", "contract_id")
        .parse()
        .unwrap()
}

#[test]
fn every_term_past_its_bound_is_refused_before_state() {
    let mut f = Metered::new();
    let past = Amount::new(MAX_TERM_AMOUNT + 1);
    let cases: Vec<(&str, ContractTerms)> = vec![
        ("sla penalty 2e38", {
            let mut t = terms();
            t.period_ms = 60_000;
            t.sla_min_units = 1;
            t.sla_penalty_per_unit =
                Amount::new(200_000_000_000_000_000_000_000_000_000_000_000_000);
            t
        }),
        ("sla penalty past the bound", {
            let mut t = terms();
            t.period_ms = 60_000;
            t.sla_min_units = 1;
            t.sla_penalty_per_unit = past;
            t
        }),
        ("rebate past the bound", {
            let mut t = terms();
            t.period_ms = 60_000;
            t.baseline_units = 1;
            t.rebate_per_unit = past;
            t
        }),
        ("price past the bound", {
            let mut t = terms();
            t.price = Coin::new("ufrx".parse().unwrap(), MAX_TERM_AMOUNT + 1);
            t
        }),
        ("sla units past the bound", {
            let mut t = terms();
            t.period_ms = 60_000;
            t.sla_min_units = MAX_PERIOD_UNITS + 1;
            t.sla_penalty_per_unit = Amount::new(1);
            t
        }),
        ("baseline units past the bound", {
            let mut t = terms();
            t.period_ms = 60_000;
            t.baseline_units = MAX_PERIOD_UNITS + 1;
            t.rebate_per_unit = Amount::new(1);
            t
        }),
        ("a 1 ms period", {
            let mut t = terms();
            t.period_ms = 1;
            t.sla_min_units = 1;
            t.sla_penalty_per_unit = Amount::new(1);
            t
        }),
        ("a period just under the minimum", {
            let mut t = terms();
            t.period_ms = MIN_PERIOD_MS - 1;
            t
        }),
        ("a period past the bound", {
            let mut t = terms();
            t.period_ms = MAX_DURATION_MS + 1;
            t
        }),
        ("notice past the bound", {
            let mut t = terms();
            t.notice_ms = MAX_DURATION_MS + 1;
            t
        }),
        ("settlement window past the bound", {
            let mut t = terms();
            t.credit_limit = Some(Amount::new(10));
            t.settle_within_ms = MAX_DURATION_MS + 1;
            t
        }),
    ];
    for (what, t) in cases {
        let r = open(&mut f, &t);
        assert_eq!(
            (r.codespace.as_str(), r.code),
            ("metering", fructus_metering::MeteringError::INVALID_FIELD),
            "{what}: {r:?}"
        );
    }
    let snap = f.chain.app.snapshot().unwrap();
    assert!(snap.live_contract(f.asset_id).unwrap().is_none());
}

#[test]
fn terms_at_their_bounds_never_fail_a_period_end() {
    let mut f = Metered::new();
    let id = f.contract(&extreme(), None);
    let dave = f.chain.addr("dave");
    // Fund the pool with less than one period's rebate.
    assert_ok(&exec(
        &mut f.chain,
        "alice",
        m::fund_incentive(id, &coin("500ufrx")),
    ));
    let dave_before = f.chain.balance(&dave, "ufrx");
    for _ in 0..5 {
        f.chain.advance_time(MIN_PERIOD_MS);
        f.chain.block(Vec::new());
    }
    let c = f.contract_record(id);
    assert_eq!(c.status, ContractStatus::Active);
    // At least 5 periods: 10¹² missing units × 10¹⁸ each per period.
    let per_period = u128::from(MAX_PERIOD_UNITS) * MAX_TERM_AMOUNT;
    assert!(c.penalty_due.value() >= 5 * per_period);
    assert_eq!(c.penalty_due.value() % per_period, 0);
    // The pool paid what it held and no more.
    assert_eq!(c.rebates_paid, Amount::new(500));
    assert_eq!(f.chain.balance(&dave, "ufrx"), dave_before + 500);
    // A reading at the highest price bills without overflow.
    let r = f.read(1_000);
    assert_ok(&r);
    assert_eq!(
        attr(&r, "metering.reading", "charged"),
        (1_000 * MAX_TERM_AMOUNT).to_string()
    );
}

#[test]
fn a_one_period_contract_never_holds_the_period_queue() {
    let mut f = Metered::new();
    let mut t = terms();
    t.period_ms = MIN_PERIOD_MS;
    t.sla_min_units = 1;
    t.sla_penalty_per_unit = Amount::new(1);
    let id = f.contract(&t, Some("1000ufrx"));
    // A day passes without a block: one period end catches up.
    f.chain.advance_time(86_400_000);
    f.chain.block(Vec::new());
    let ends: Vec<_> = f
        .chain
        .block_events
        .iter()
        .filter(|e| e.kind == "metering.period_end")
        .collect();
    assert_eq!(ends.len(), 1);
    let merged: u64 = ends[0].get("merged_periods").unwrap().parse().unwrap();
    assert!(merged >= 8_639, "{merged}");
    let c = f.contract_record(id);
    assert!(c.next_period_end_ms.unwrap() > f.chain.time());
    // The next block has nothing due for it.
    f.chain.block(Vec::new());
    assert!(
        f.chain
            .block_events
            .iter()
            .all(|e| e.kind != "metering.period_end")
    );
}

#[test]
fn usage_before_acceptance_is_never_billed() {
    let mut f = Metered::new();
    // The meter runs before any contract: its reading is refused and the
    // device's counter stays where it was.
    assert_code(
        &f.read(2_000),
        "metering",
        fructus_metering::MeteringError::NO_RUNNING_CONTRACT,
    );
    let r = open(&mut f, &terms());
    assert_ok(&r);
    let id = contract_id(&r);
    assert_ok(&exec(
        &mut f.chain,
        "dave",
        m::accept_contract(id, Some(&coin("1000ufrx"))),
    ));
    // The first reading after acceptance is the baseline: nothing billed.
    let r = f.read(2_010);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "units"), "0");
    assert_eq!(attr(&r, "metering.reading", "charged"), "0");
    // Usage from there on is billed: 10 units at 3 per 2.
    let r = f.read(2_020);
    assert_ok(&r);
    assert_eq!(attr(&r, "metering.reading", "charged"), "15");
    let c = f.contract_record(id);
    assert_eq!((c.units, c.charged), (10, Amount::new(15)));
    assert_eq!(f.chain.balance(&contract_escrow(id), "ufrx"), 985);
}

#[test]
fn withdrawing_a_proposal_returns_its_incentive_pool() {
    let mut f = Metered::new();
    let mut t = terms();
    t.period_ms = 60_000;
    t.baseline_units = 10;
    t.rebate_per_unit = Amount::new(1);
    let r = open(&mut f, &t);
    assert_ok(&r);
    let id = contract_id(&r);
    let alice = f.chain.addr("alice");
    assert_ok(&exec(
        &mut f.chain,
        "bob",
        m::fund_incentive(id, &coin("700ufrx")),
    ));
    assert_eq!(f.chain.balance(&incentive_pool(id), "ufrx"), 700);
    let before = f.chain.balance(&alice, "ufrx");
    let r = exec(&mut f.chain, "alice", m::close_contract(id));
    assert_ok(&r);
    let fee = fructus_client::tx::default_fee(fructus_client::tx::DEFAULT_GAS_LIMIT);
    assert_eq!(f.contract_record(id).status, ContractStatus::Closed);
    assert_eq!(f.chain.balance(&incentive_pool(id), "ufrx"), 0);
    assert_eq!(
        f.chain.balance(&alice, "ufrx"),
        before + 700 - fee.amount.value()
    );
}

#[test]
fn finalizing_returns_the_escrow_and_the_pool() {
    let mut f = Metered::new();
    let mut t = terms();
    t.period_ms = 60_000;
    t.baseline_units = 10;
    t.rebate_per_unit = Amount::new(1);
    let id = f.contract(&t, Some("100ufrx"));
    assert_ok(&exec(
        &mut f.chain,
        "bob",
        m::fund_incentive(id, &coin("50ufrx")),
    ));
    assert_ok(&f.read(2));
    assert_ok(&exec(&mut f.chain, "alice", m::close_contract(id)));
    assert_eq!(f.contract_record(id).status, ContractStatus::Closed);
    assert_eq!(f.chain.balance(&contract_escrow(id), "ufrx"), 0);
    assert_eq!(f.chain.balance(&incentive_pool(id), "ufrx"), 0);
}
