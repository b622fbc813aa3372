//! The AMM through the real app: pools of any two denoms, LP tokens whose
//! supply is the pool's liquidity, exact-in and exact-out swaps along
//! routes whose quotes equal their execution to the unit, the TWAP, and
//! every refusal typed with nothing changed (the compliance gate included).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_amm::{
    AmmError, AmmStateReadExt, NoExpiry, Pool, lp_denom, pool_account,
    query::{AmmQuery, AmmResponse},
    route::Plan,
};
use fructus_app::TxResult;
use fructus_client::tx::msgs;
use fructus_component::ErrorCode;
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{REGULATOR, TestChain, assert_ok, coin, coins};

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

/// Asserts `r` failed with `expected`'s codespace and code.
#[track_caller]
fn assert_refused(r: &TxResult, expected: &AmmError) {
    assert_eq!(
        (r.codespace.as_str(), r.code),
        (expected.codespace(), expected.code()),
        "unexpected result: {r:?}"
    );
}

/// Alice issues `ua`, `ub` and `uc` (and `ucbdc`, KYC-only) and gives bob
/// and carol some of each but `ucbdc`.
fn market() -> TestChain {
    let mut chain = TestChain::new();
    let (alice, bob, carol) = (chain.addr("alice"), chain.addr("bob"), chain.addr("carol"));
    for (denom, kyc_only) in [("ua", false), ("ub", false), ("uc", false), ("ucbdc", true)] {
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::create_denom(&denom.parse().unwrap(), &denom.to_uppercase(), 6, kyc_only),
        ));
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::mint(&coin(&format!("1000000000000{denom}")), &alice),
        ));
    }
    for who in [bob, carol] {
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::send(&who, &coins("100000000ua,100000000ub,100000000uc")),
        ));
    }
    chain
}

fn pool(chain: &TestChain, id: u64) -> Pool {
    chain.app.snapshot().unwrap().require_pool(id).unwrap()
}

fn ask(chain: &TestChain, q: AmmQuery) -> Result<AmmResponse, AmmError> {
    q.answer::<NoExpiry, _>(&chain.app.snapshot().unwrap())
}

fn quote(chain: &TestChain, q: AmmQuery) -> Plan {
    match ask(chain, q).unwrap() {
        AmmResponse::Quote(plan) => plan,
        other => panic!("not a quote: {other:?}"),
    }
}

/// The pool's invariants: its account holds exactly its reserves, and the
/// LP supply equals its liquidity.
#[track_caller]
fn assert_pool_consistent(chain: &TestChain, id: u64) {
    let p = pool(chain, id);
    let account = pool_account(id);
    assert_eq!(
        chain.balance(&account, p.denom_a.as_str()),
        p.reserve_a.value()
    );
    assert_eq!(
        chain.balance(&account, p.denom_b.as_str()),
        p.reserve_b.value()
    );
    assert_eq!(
        chain.supply(lp_denom(id).as_str()),
        p.liquidity.value(),
        "supply of lp/{id} must equal the pool's liquidity"
    );
}

/// What a refusal must not change: the AMM denoms of every fixture account
/// and pool account, and every pool record.
fn fingerprint(chain: &TestChain) -> (Vec<u128>, Vec<Pool>) {
    let snap = chain.app.snapshot().unwrap();
    let pools = snap.pools(None, 100).unwrap();
    let mut accounts: Vec<_> = ["alice", "bob", "carol", "dave"]
        .iter()
        .map(|n| chain.addr(n))
        .collect();
    accounts.extend(pools.iter().map(|p| pool_account(p.id)));
    let mut denoms: Vec<String> = ["ua", "ub", "uc", "ucbdc"].map(String::from).to_vec();
    denoms.extend(pools.iter().map(|p| lp_denom(p.id).to_string()));
    let mut balances = Vec::new();
    for a in &accounts {
        for d in &denoms {
            balances.push(chain.balance(a, d));
        }
    }
    for d in &denoms {
        balances.push(chain.supply(d));
    }
    (balances, pools)
}

#[test]
fn a_pool_trades_both_ways_and_lp_supply_equals_its_liquidity() {
    let mut chain = market();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let r = exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("1000000ua"), &coin("2000000ub"), 0),
    );
    assert_ok(&r);
    let p = pool(&chain, 1);
    assert_eq!((p.fee_bps, p.liquidity.value()), (30, 1_414_213));
    // floor(sqrt(1e6 · 2e6)) − 1000 to the creator; 1000 locked forever.
    assert_eq!(chain.balance(&alice, "lp/1"), 1_413_213);
    assert_eq!(chain.balance(&pool_account(1), "lp/1"), 1_000);
    assert_pool_consistent(&chain, 1);

    // Exact in: the quote is the execution, to the unit.
    let q = quote(
        &chain,
        AmmQuery::Quote {
            amount_in: coin("10000ua"),
            route: vec![1],
        },
    );
    assert_eq!(q.amount_out, coin("19743ub"));
    let before = chain.balance(&bob, "ub");
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_in(&coin("10000ua"), &[1], &coin("19000ub"), 0),
    ));
    assert_eq!(chain.balance(&bob, "ub") - before, 19_743);
    assert_pool_consistent(&chain, 1);

    // Exact out, the other way.
    let q = quote(
        &chain,
        AmmQuery::QuoteOut {
            amount_out: coin("5000ua"),
            route: vec![1],
        },
    );
    let (ua, ub) = (chain.balance(&bob, "ua"), chain.balance(&bob, "ub"));
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_out(&coin("5000ua"), &[1], &coin("20000ub"), 0),
    ));
    assert_eq!(chain.balance(&bob, "ua") - ua, 5_000);
    assert_eq!(ub - chain.balance(&bob, "ub"), q.amount_in.amount.value());
    assert_pool_consistent(&chain, 1);

    // k never decreased.
    let after = pool(&chain, 1);
    assert!(after.reserve_a.value() * after.reserve_b.value() >= 1_000_000 * 2_000_000);

    // A later deposit takes the pool's ratio within the maxima; the used
    // amounts are in the event.
    let r = exec(
        &mut chain,
        "bob",
        msgs::amm_add_liquidity(1, &coin("50000ub"), &coin("10000ua"), 1),
    );
    assert_ok(&r);
    let minted: u128 = fructus_test_utils::metering::attr(&r, "amm.add_liquidity", "minted")
        .parse()
        .unwrap();
    assert_eq!(chain.balance(&bob, "lp/1"), minted);
    assert_pool_consistent(&chain, 1);

    // Full withdrawal returns no more than was put in plus fees earned.
    let (ua, ub) = (chain.balance(&bob, "ua"), chain.balance(&bob, "ub"));
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::amm_remove_liquidity(1, &coin(&format!("{minted}lp/1")), &[]),
    ));
    assert_eq!(chain.balance(&bob, "lp/1"), 0);
    assert!(chain.balance(&bob, "ua") - ua <= 10_000);
    assert!(chain.balance(&bob, "ub") - ub <= 50_000);
    assert_pool_consistent(&chain, 1);

    // LP tokens are transferable like any denom.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("1000lp/1")),
    ));
    assert_eq!(chain.balance(&bob, "lp/1"), 1_000);
    assert_pool_consistent(&chain, 1);
}

#[test]
fn a_two_pool_route_pays_exactly_its_quote() {
    let mut chain = market();
    let carol = chain.addr("carol");
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("1000000ua"), &coin("2000000ub"), 0),
    ));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("3000000uc"), &coin("2000000ub"), 100),
    ));
    let q = quote(
        &chain,
        AmmQuery::Quote {
            amount_in: coin("10000ua"),
            route: vec![1, 2],
        },
    );
    assert_eq!(q.hops.len(), 2);
    let before = chain.balance(&carol, "uc");
    assert_ok(&exec(
        &mut chain,
        "carol",
        msgs::amm_swap_exact_in(&coin("10000ua"), &[1, 2], &q.amount_out, 0),
    ));
    assert_eq!(
        chain.balance(&carol, "uc") - before,
        q.amount_out.amount.value()
    );

    let q = quote(
        &chain,
        AmmQuery::QuoteOut {
            amount_out: coin("7000ua"),
            route: vec![2, 1],
        },
    );
    assert_eq!(q.amount_in.denom.as_str(), "uc");
    let before = chain.balance(&carol, "uc");
    assert_ok(&exec(
        &mut chain,
        "carol",
        msgs::amm_swap_exact_out(&coin("7000ua"), &[2, 1], &q.amount_in, 0),
    ));
    assert_eq!(
        before - chain.balance(&carol, "uc"),
        q.amount_in.amount.value()
    );
    assert_pool_consistent(&chain, 1);
    assert_pool_consistent(&chain, 2);
}

#[test]
fn every_refusal_is_typed_and_changes_nothing() {
    let mut chain = market();
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("1000000ua"), &coin("2000000ub"), 0),
    ));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("1000000uc"), &coin("1000000ub"), 0),
    ));
    let deadline = chain.time();
    let too_much = format!("{}ua", 1u128 << 112);
    let cases: Vec<(&str, Message, AmmError)> = vec![
        (
            "zero amount",
            msgs::amm_swap_exact_in(&coin("0ua"), &[1], &coin("0ub"), 0),
            AmmError::ZeroAmount { field: "amount_in" },
        ),
        (
            "zero deposit",
            msgs::amm_add_liquidity(1, &coin("0ua"), &coin("10ub"), 0),
            AmmError::ZeroAmount { field: "max_a" },
        ),
        (
            "same denom twice",
            msgs::amm_create_pool(&coin("1000000ua"), &coin("2000000ua"), 0),
            AmmError::SameDenom { denom: "ua".into() },
        ),
        (
            "unknown pool",
            msgs::amm_swap_exact_in(&coin("100ua"), &[9], &coin("1ub"), 0),
            AmmError::PoolNotFound { pool_id: 9 },
        ),
        (
            "pool exists",
            msgs::amm_create_pool(&coin("2000000ub"), &coin("1000000ua"), 0),
            AmmError::PoolExists {
                denom_a: "ua".into(),
                denom_b: "ub".into(),
                pool_id: 1,
            },
        ),
        (
            "min_out",
            msgs::amm_swap_exact_in(&coin("10000ua"), &[1], &coin("19744ub"), 0),
            AmmError::BelowMinOut {
                denom: "ub".into(),
                got: 19_743,
                min: 19_744,
            },
        ),
        (
            "max_in",
            msgs::amm_swap_exact_out(&coin("19743ub"), &[1], &coin("9999ua"), 0),
            AmmError::AboveMaxIn {
                denom: "ua".into(),
                need: 10_000,
                max: 9_999,
            },
        ),
        (
            "deadline passed",
            msgs::amm_swap_exact_in(&coin("10000ua"), &[1], &coin("1ub"), deadline),
            AmmError::DeadlinePassed {
                deadline_ms: deadline,
                block_ms: deadline + 1_000,
            },
        ),
        (
            "insufficient liquidity",
            msgs::amm_swap_exact_out(&coin("2000000ub"), &[1], &coin("100000000ua"), 0),
            AmmError::InsufficientLiquidity {
                pool_id: 1,
                reason: String::new(),
            },
        ),
        (
            "out-of-range fee",
            msgs::amm_create_pool(&coin("1000000ua"), &coin("1000000uc"), 1_001),
            AmmError::FeeOutOfRange {
                fee_bps: 1_001,
                min: 1,
                max: 1_000,
            },
        ),
        (
            "overflow",
            msgs::amm_swap_exact_in(&coin(&too_much), &[1], &coin("1ub"), 0),
            AmmError::Overflow { what: "amount_in" },
        ),
        (
            "route too long",
            msgs::amm_swap_exact_in(&coin("100ua"), &[1, 2, 3, 4, 5], &coin("1ub"), 0),
            AmmError::RouteTooLong { len: 5, max: 4 },
        ),
        (
            "route that does not connect",
            msgs::amm_swap_exact_in(&coin("100ua"), &[2], &coin("1ub"), 0),
            AmmError::RouteDisconnected {
                hop: 0,
                pool_id: 2,
                reason: String::new(),
            },
        ),
        (
            "route that ends elsewhere",
            msgs::amm_swap_exact_in(&coin("100ua"), &[1], &coin("1uc"), 0),
            AmmError::RouteDisconnected {
                hop: 0,
                pool_id: 1,
                reason: String::new(),
            },
        ),
        (
            "withdrawal above the pool",
            msgs::amm_remove_liquidity(1, &coin("999999999lp/1"), &[]),
            AmmError::InsufficientLiquidity {
                pool_id: 1,
                reason: String::new(),
            },
        ),
        (
            "LP the signer does not hold",
            msgs::amm_remove_liquidity(1, &coin("5000lp/1"), &[]),
            AmmError::Bank(fructus_bank::BankError::InsufficientFunds {
                address: chain.addr("bob"),
                denom: "lp/1".into(),
                available: fructus_types::Amount::ZERO,
                required: fructus_types::Amount::new(5_000),
            }),
        ),
    ];
    for (what, msg, expected) in cases {
        let before = fingerprint(&chain);
        let r = exec(&mut chain, "bob", msg);
        assert_eq!(
            (r.codespace.as_str(), r.code),
            (expected.codespace(), expected.code()),
            "{what}: {r:?}"
        );
        assert_eq!(fingerprint(&chain), before, "{what} changed state");
    }
    assert_pool_consistent(&chain, 1);
    assert_pool_consistent(&chain, 2);
}

#[test]
fn kyc_only_pools_pay_only_kycd_unfrozen_accounts_and_a_refused_route_moves_nothing() {
    let mut chain = market();
    let (bob, reg) = (chain.addr("bob"), chain.addr(REGULATOR));
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::send(&reg, &coins("10000000ufrx")),
    ));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("1000000ucbdc"), &coin("1000000ua"), 0),
    ));
    // The LP token of a KYC-only denom's pool is KYC-only too.
    let snap = chain.app.snapshot().unwrap();
    use fructus_bank::BankStateReadExt;
    assert!(snap.denom_metadata(&lp_denom(1)).unwrap().unwrap().kyc_only);

    // Bob is not KYC'd: the payout is refused by bank's gate, nothing moves.
    let before = fingerprint(&chain);
    let r = exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_in(&coin("10000ua"), &[1], &coin("1ucbdc"), 0),
    );
    assert_refused(
        &r,
        &AmmError::Bank(fructus_bank::BankError::RecipientNotAllowed {
            address: bob,
            denom: "ucbdc".into(),
            reason: String::new(),
        }),
    );
    assert_eq!(fingerprint(&chain), before);
    // A route whose last payout the gate refuses is undone as a whole: the
    // first pool's trade is rolled back with it.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("1000000ub"), &coin("1000000ua"), 0),
    ));
    let before = fingerprint(&chain);
    let r = exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_in(&coin("10000ub"), &[2, 1], &coin("1ucbdc"), 0),
    );
    assert_eq!((r.codespace.as_str(), r.code), ("bank", 10), "{r:?}");
    assert_eq!(fingerprint(&chain), before);
    // KYC'd, he is paid.
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::identity_attest_kyc(&bob, 1, 0, 0, [2; 32]),
    ));
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_in(&coin("10000ua"), &[1], &coin("1ucbdc"), 0),
    ));
    assert!(chain.balance(&bob, "ucbdc") > 0);
    // Frozen, he signs nothing: the swap is refused before any message runs.
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::identity_freeze(&bob, "sanctions"),
    ));
    let before = fingerprint(&chain);
    let r = exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_in(&coin("10000ua"), &[1], &coin("1ucbdc"), 0),
    );
    assert_eq!((r.codespace.as_str(), r.code), ("identity", 20), "{r:?}");
    assert_eq!(fingerprint(&chain), before);
    assert_pool_consistent(&chain, 1);
}

fn twap(chain: &TestChain, window_ms: u64) -> fructus_amm::query::TwapView {
    match ask(chain, AmmQuery::Twap { id: 1, window_ms }).unwrap() {
        AmmResponse::Twap(t) => t,
        other => panic!("not a twap: {other:?}"),
    }
}

#[test]
fn the_twap_states_the_window_it_covers() {
    let mut chain = market();
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::amm_create_pool(&coin("1000000ua"), &coin("2000000ub"), 0),
    ));
    let created = chain.time();
    // Price 2 ub per ua for ten minutes, then a swap moves it.
    chain.advance_time(600_000);
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_in(&coin("1000000ua"), &[1], &coin("1ub"), 0),
    ));
    let swapped = chain.time();
    chain.advance_time(600_000);
    let carol = chain.addr("carol");
    assert_ok(&exec(&mut chain, "bob", msgs::send(&carol, &coins("1ua"))));
    let now = chain.time();
    let p = pool(&chain, 1);
    let spot = p.reserve_b.value() as f64 / p.reserve_a.value() as f64;
    // A window since the swap: the price was constant at the spot.
    let t = twap(&chain, now - swapped);
    assert_eq!((t.from_ms, t.to_ms), (swapped, now));
    let avg: f64 = t.price_a_in_b.parse().unwrap();
    assert!((avg - spot).abs() / spot < 1e-9, "{avg} vs {spot}");
    // A window longer than the pool's life covers only its life.
    let t = twap(&chain, 7 * 86_400_000);
    assert_eq!((t.from_ms, t.covered_ms), (created, now - created));
    let avg: f64 = t.price_a_in_b.parse().unwrap();
    let expected =
        (2.0 * (swapped - created) as f64 + spot * (now - swapped) as f64) / (now - created) as f64;
    assert!(
        (avg - expected).abs() / expected < 1e-9,
        "{avg} vs {expected}"
    );
    // Past the retention window old observations are pruned, a bounded
    // number per block, and the TWAP still answers over what is kept.
    chain.advance_time(8 * 86_400_000);
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::amm_swap_exact_in(&coin("1000ua"), &[1], &coin("1ub"), 0),
    ));
    let pruned = chain
        .block_events
        .iter()
        .find(|e| e.kind == "amm.observations_pruned")
        .and_then(|e| e.get("count"))
        .map(str::to_owned);
    assert_eq!(pruned.as_deref(), Some("2"));
    let p = pool(&chain, 1);
    assert_eq!((p.twap.first_seq, p.twap.next_seq), (2, 3));
    let t = twap(&chain, 86_400_000);
    assert_eq!(t.to_ms, chain.time());
}
