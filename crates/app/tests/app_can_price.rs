//! The oracle through the real app: regulator-accredited feeders whose
//! accreditation and revocation count only after the feeder delay, the
//! median of a window's posts once `min_feeders` posted, the stale flag,
//! the TWAP, an AMM pool's TWAP as a fallback, and every refusal typed with
//! nothing changed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_client::tx::msgs;
use fructus_component::ErrorCode;
use fructus_oracle::{
    AmmFallback, OracleError, OracleGenesis, OracleParams, OracleStateReadExt, PRICE_SCALE,
    PriceSource, PriceView,
};
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{NAMES, REGULATOR, TestChain, assert_ok, coin, coins, genesis, key_for};
use fructus_types::{BlockTime, Denom};

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

#[track_caller]
fn assert_refused(r: &TxResult, expected: &OracleError) {
    assert_eq!(
        (r.codespace.as_str(), r.code),
        (expected.codespace(), expected.code()),
        "unexpected result: {r:?}"
    );
}

fn d(s: &str) -> Denom {
    s.parse().unwrap()
}

/// A price of `units`/100 (×10^18).
fn cents(units: u128) -> u128 {
    units * PRICE_SCALE / 100
}

/// bob, carol and dave feed from genesis; two posts make a median; the
/// regulator is funded to pay fees.
fn chain_with(params: OracleParams) -> TestChain {
    let mut g = genesis();
    let feeders = ["bob", "carol", "dave"]
        .iter()
        .map(|n| {
            let algo = NAMES.iter().find(|(m, _)| m == n).unwrap().1;
            key_for(n, algo).public_key().address()
        })
        .collect();
    g.app_state.oracle = OracleGenesis { params, feeders };
    let mut chain = TestChain::with_genesis(g);
    let reg = chain.addr(REGULATOR);
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&reg, &coins("10000000ufrx")),
    ));
    chain
}

fn params() -> OracleParams {
    OracleParams {
        min_feeders: 2,
        window_ms: 10_000,
        max_age_ms: 60_000,
        twap_window_ms: 100_000,
        feeder_delay_ms: 30_000,
        ..OracleParams::default()
    }
}

fn post(chain: &mut TestChain, who: &str, price: u128) -> TxResult {
    exec(
        chain,
        who,
        msgs::oracle_submit_price(&d("ua"), &d("uusd"), price),
    )
}

fn price(chain: &TestChain, base: &str, quote: &str) -> PriceView {
    chain
        .app
        .snapshot()
        .unwrap()
        .price_view(&d(base), &d(quote), BlockTime(chain.time()))
        .unwrap()
}

#[test]
fn the_median_of_a_windows_posts_is_the_price_once_enough_feeders_posted() {
    let mut chain = chain_with(params());
    assert_ok(&post(&mut chain, "bob", cents(100)));
    // One post of the two needed: no price yet.
    let p = price(&chain, "ua", "uusd");
    assert!(p.stale);
    assert_eq!(p.source, PriceSource::None);
    assert_ok(&post(&mut chain, "carol", cents(110)));
    let p = price(&chain, "ua", "uusd");
    assert!(!p.stale);
    assert_eq!((p.price, p.reporters), (cents(105), 2));
    // A third post that is an outlier moves the median to the middle one.
    assert_ok(&post(&mut chain, "dave", cents(10_000)));
    assert_eq!(price(&chain, "ua", "uusd").price, cents(110));
    // A feeder's second post in the window replaces its first.
    assert_ok(&post(&mut chain, "dave", cents(120)));
    assert_eq!(price(&chain, "ua", "uusd").price, cents(110));
    // A price of a denom in itself is exactly 1, with nothing to average.
    let peg = price(&chain, "uusd", "uusd");
    assert_eq!((peg.price, peg.twap_coverage_bps), (PRICE_SCALE, 10_000));
}

#[test]
fn a_price_older_than_max_age_is_stale_and_a_new_window_needs_new_posts() {
    let mut chain = chain_with(params());
    assert_ok(&post(&mut chain, "bob", cents(100)));
    assert_ok(&post(&mut chain, "carol", cents(100)));
    chain.advance_time(60_000);
    chain.block(Vec::new());
    assert!(price(&chain, "ua", "uusd").stale, "older than max_age_ms");
    // The old window's posts do not count: one new post is not enough.
    assert_ok(&post(&mut chain, "bob", cents(50)));
    let p = price(&chain, "ua", "uusd");
    assert!(p.stale);
    assert_eq!(p.price, cents(100), "the stale price is still shown");
    assert_ok(&post(&mut chain, "carol", cents(50)));
    assert!(!price(&chain, "ua", "uusd").stale);
}

#[test]
fn the_twap_weights_each_windows_median_by_how_long_it_held() {
    let mut chain = chain_with(params());
    // Both posts land in one block: the median is set once at t0.
    let t = |c: &TestChain, who: &str, p: u128| {
        c.tx(who)
            .message(msgs::oracle_submit_price(&d("ua"), &d("uusd"), p))
            .sign(c.key(who))
    };
    let txs = vec![t(&chain, "bob", cents(100)), t(&chain, "carol", cents(100))];
    chain.block(txs).iter().for_each(assert_ok);
    // The first price has held for no time yet: the TWAP covers nothing.
    assert_eq!(price(&chain, "ua", "uusd").twap_coverage_bps, 0);
    chain.advance_time(49_000);
    // 50 s later (a new window) the price doubles.
    let txs = vec![t(&chain, "bob", cents(200)), t(&chain, "carol", cents(200))];
    chain.block(txs).iter().for_each(assert_ok);
    // Half the 100 s window has a price behind it.
    assert_eq!(price(&chain, "ua", "uusd").twap_coverage_bps, 5_000);
    chain.advance_time(49_000);
    chain.block(Vec::new());
    // Over the last 100 s: 100 for 50 s and 200 for 50 s.
    let p = price(&chain, "ua", "uusd");
    assert_eq!(p.price, cents(200));
    assert_eq!(p.twap, cents(150));
    assert_eq!(p.twap_coverage_bps, 10_000);
}

#[test]
fn feeder_set_changes_count_only_after_the_delay() {
    let mut chain = chain_with(params());
    let alice = chain.addr("alice");
    // Only a regulator accredits.
    let r = exec(&mut chain, "bob", msgs::oracle_accredit_feeder(&alice));
    assert_refused(
        &r,
        &OracleError::NotRegulator {
            signer: alice,
            action: "",
        },
    );
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::oracle_accredit_feeder(&alice),
    ));
    // Pending: a second accreditation is refused, and alice cannot post yet.
    let r = exec(&mut chain, REGULATOR, msgs::oracle_accredit_feeder(&alice));
    assert_refused(
        &r,
        &OracleError::FeederBusy {
            feeder: alice,
            state: "",
        },
    );
    let r = post(&mut chain, "alice", cents(100));
    assert_refused(&r, &OracleError::NotFeeder { signer: alice });
    let snap = chain.app.snapshot().unwrap();
    assert_eq!(snap.pending_changes().unwrap().len(), 1);
    assert!(snap.submissions(&d("ua"), &d("uusd")).unwrap().is_empty());
    drop(snap);
    chain.advance_time(30_000);
    chain.block(Vec::new());
    assert!(
        chain
            .block_events
            .iter()
            .any(|e| e.kind == "oracle.feeder_change_applied")
    );
    assert_ok(&post(&mut chain, "alice", cents(100)));
    // Already active: refused.
    let r = exec(&mut chain, REGULATOR, msgs::oracle_accredit_feeder(&alice));
    assert_refused(
        &r,
        &OracleError::FeederBusy {
            feeder: alice,
            state: "",
        },
    );

    // Revocation waits the same delay: bob still posts meanwhile.
    let bob = chain.addr("bob");
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::oracle_revoke_feeder(&bob, "left"),
    ));
    assert_ok(&post(&mut chain, "bob", cents(100)));
    chain.advance_time(30_000);
    chain.block(Vec::new());
    let r = post(&mut chain, "bob", cents(100));
    assert_refused(&r, &OracleError::NotFeeder { signer: bob });
    // Revoking a feeder that is not active is refused.
    let r = exec(
        &mut chain,
        REGULATOR,
        msgs::oracle_revoke_feeder(&bob, "again"),
    );
    assert_refused(&r, &OracleError::FeederNotFound { feeder: bob });
    let r = exec(&mut chain, "carol", msgs::oracle_revoke_feeder(&alice, "x"));
    assert_refused(
        &r,
        &OracleError::NotRegulator {
            signer: alice,
            action: "",
        },
    );
}

#[test]
fn a_revoked_feeders_post_stops_counting_in_its_window() {
    let mut chain = chain_with(OracleParams {
        window_ms: 60_000,
        max_age_ms: 60_000,
        twap_window_ms: 600_000,
        feeder_delay_ms: 0,
        ..params()
    });
    let bob = chain.addr("bob");
    assert_ok(&post(&mut chain, "bob", cents(100)));
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::oracle_revoke_feeder(&bob, "bad data"),
    ));
    // carol's post in the same window finds bob's post no longer counting
    // (and deletes it): one post, no median.
    assert_ok(&post(&mut chain, "carol", cents(100)));
    assert!(price(&chain, "ua", "uusd").stale);
    let subs = chain
        .app
        .snapshot()
        .unwrap()
        .submissions(&d("ua"), &d("uusd"))
        .unwrap();
    assert_eq!(subs.len(), 1);
}

#[test]
fn malformed_posts_are_refused_with_nothing_changed() {
    let mut chain = chain_with(params());
    let bob = chain.addr("bob");
    let nonce = chain.nonce(&bob);
    for msg in [
        msgs::oracle_submit_price(&d("ua"), &d("uusd"), 0),
        msgs::oracle_submit_price(&d("ua"), &d("uusd"), fructus_oracle::MAX_PRICE + 1),
        msgs::oracle_submit_price(&d("ua"), &d("ua"), 1),
        msgs::oracle_revoke_feeder(&bob, ""),
    ] {
        let r = exec(&mut chain, "bob", msg);
        assert_refused(
            &r,
            &OracleError::InvalidField {
                field: "",
                reason: String::new(),
            },
        );
    }
    // Refused at admission: no fee, no nonce, nothing written.
    assert_eq!(chain.nonce(&bob), nonce);
    assert!(
        chain
            .app
            .snapshot()
            .unwrap()
            .pair_state(&d("ua"), &d("uusd"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn the_pair_count_is_bounded_and_a_known_pair_still_takes_posts() {
    let mut chain = chain_with(OracleParams {
        min_feeders: 1,
        ..params()
    });
    let max = fructus_oracle::params::MAX_PAIRS;
    for i in 0..max {
        let r = exec(
            &mut chain,
            "bob",
            msgs::oracle_submit_price(&d(&format!("ua{i}")), &d("uusd"), cents(100)),
        );
        assert_ok(&r);
    }
    let r = exec(
        &mut chain,
        "bob",
        msgs::oracle_submit_price(&d("unew"), &d("uusd"), cents(100)),
    );
    assert_refused(&r, &OracleError::TooManyPairs { max });
    let snap = chain.app.snapshot().unwrap();
    assert!(snap.pair_state(&d("unew"), &d("uusd")).unwrap().is_none());
    assert_eq!(
        snap.pairs(None, 1_000).unwrap().len(),
        usize::try_from(max).unwrap()
    );
    // A pair that exists is not a new one: its feeders go on posting.
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::oracle_submit_price(&d("ua0"), &d("uusd"), cents(90)),
    ));
    assert_eq!(price(&chain, "ua0", "uusd").price, cents(90));
}

#[test]
fn a_stale_pair_is_priced_by_its_amm_fallback_only_over_a_full_window() {
    let mut chain = chain_with(OracleParams {
        amm_fallbacks: vec![AmmFallback {
            base: d("ua"),
            quote: d("uusd"),
            pool_id: 1,
        }],
        fallback_min_quote_reserve: 1_000_000,
        ..params()
    });
    let alice = chain.addr("alice");
    for denom in ["ua", "uusd"] {
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::create_denom(&d(denom), "X", 6, false),
        ));
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::mint(&coin(&format!("1000000000000{denom}")), &alice),
        ));
    }
    // 1 ua = 2 uusd.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("10000000ua"), &coin("20000000uusd"), 0),
    ));
    // The pool is younger than the fallback window: no price.
    let p = price(&chain, "ua", "uusd");
    assert!(p.stale);
    assert_eq!(p.source, PriceSource::None);
    chain.advance_time(3_600_000);
    chain.block(Vec::new());
    let p = price(&chain, "ua", "uusd");
    assert!(!p.stale);
    assert_eq!(p.source, PriceSource::Amm);
    assert_eq!(
        p.twap_coverage_bps, 10_000,
        "a fallback prices a full window"
    );
    assert_eq!(p.price, 2 * PRICE_SCALE);
    // The reverse pair has no fallback.
    assert!(price(&chain, "uusd", "ua").stale);
    // Fresh feeder prices take precedence.
    assert_ok(&post(&mut chain, "bob", cents(300)));
    assert_ok(&post(&mut chain, "carol", cents(300)));
    let p = price(&chain, "ua", "uusd");
    assert_eq!((p.source, p.price), (PriceSource::Feeders, cents(300)));
}

#[test]
fn a_shallow_fallback_pool_gives_no_price() {
    let mut chain = chain_with(OracleParams {
        amm_fallbacks: vec![AmmFallback {
            base: d("ua"),
            quote: d("uusd"),
            pool_id: 1,
        }],
        fallback_min_quote_reserve: 1_000_000_000,
        ..params()
    });
    let alice = chain.addr("alice");
    for denom in ["ua", "uusd"] {
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::create_denom(&d(denom), "X", 6, false),
        ));
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::mint(&coin(&format!("1000000000000{denom}")), &alice),
        ));
    }
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("10000000ua"), &coin("20000000uusd"), 0),
    ));
    chain.advance_time(3_600_000);
    chain.block(Vec::new());
    assert!(price(&chain, "ua", "uusd").stale);
}

#[test]
fn the_feeder_set_is_bounded_counting_pending_accreditations() {
    let mut g = genesis();
    g.app_state.oracle = OracleGenesis {
        params: params(),
        feeders: (0..31)
            .map(|i| fructus_types::Address::module(&format!("feeder/{i}")))
            .collect(),
    };
    let mut chain = TestChain::with_genesis(g);
    let reg = chain.addr(REGULATOR);
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&reg, &coins("10000000ufrx")),
    ));
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    // 31 active + 1 pending = 32: the next is refused.
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::oracle_accredit_feeder(&alice),
    ));
    let r = exec(&mut chain, REGULATOR, msgs::oracle_accredit_feeder(&bob));
    assert_refused(&r, &OracleError::TooManyFeeders { max: 32 });
    // A pending revocation frees nothing until it applies.
    let f0 = fructus_types::Address::module("feeder/0");
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::oracle_revoke_feeder(&f0, "rotation"),
    ));
    let r = exec(&mut chain, REGULATOR, msgs::oracle_accredit_feeder(&bob));
    assert_refused(&r, &OracleError::TooManyFeeders { max: 32 });
    chain.advance_time(30_000);
    chain.block(Vec::new());
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::oracle_accredit_feeder(&bob),
    ));
}
