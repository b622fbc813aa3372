//! Income of a fractionalized asset reaches every shareholder pro rata in
//! O(1) per payment: exact claims, dust carried into the next payment,
//! income following the shares held at the time, direct payment to the
//! owner of an un-fractionalized asset, typed refusals, and a property test
//! over random transfers, payments and claims.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;

use fructus_app::TxResult;
use fructus_asset::{AssetStateReadExt, income_escrow};
use fructus_client::tx::msgs;
use fructus_crypto::{Address, KeyAlgo};
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{NAMES, TestChain, assert_code, assert_ok, coin, coins, key_for};
use fructus_types::Denom;
use proptest::prelude::*;

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

/// A funded `payer` account issuing `uusd` and `ueur` to itself, and
/// asset 1 minted by alice and fractionalized into 10,000 shares.
fn setup() -> TestChain {
    let mut chain = TestChain::new();
    chain.add_key("payer", key_for("payer", KeyAlgo::Ed25519));
    let payer = chain.addr("payer");
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&payer, &coins("100000000ufrx")),
    ));
    for denom in ["uusd", "ueur"] {
        let d: Denom = denom.parse().unwrap();
        assert_ok(&exec(
            &mut chain,
            "payer",
            msgs::create_denom(&d, "USD", 6, false),
        ));
        let amount = coin(&format!("1000000000000000{denom}"));
        assert_ok(&exec(&mut chain, "payer", msgs::mint(&amount, &payer)));
    }
    let r = exec(
        &mut chain,
        "alice",
        msgs::asset_create_class(
            "Solar+Battery",
            "Sol",
            "SB-10",
            "kWh",
            "ipfs://sb10",
            [1; 32],
            &[],
        ),
    );
    assert_ok(&r);
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_mint(1, "SB-1", "", Vec::new(), None),
    ));
    assert_ok(&exec(&mut chain, "alice", msgs::asset_fractionalize(1, 0)));
    chain
}

fn deposit(chain: &mut TestChain, asset_id: u64, amount: &str) -> TxResult {
    exec(
        chain,
        "payer",
        msgs::asset_deposit_income(asset_id, &coin(amount)),
    )
}

fn claim(chain: &mut TestChain, name: &str) -> TxResult {
    exec(chain, name, msgs::asset_claim_income(&[1]))
}

fn pending(chain: &TestChain, name: &str) -> u128 {
    let snap = chain.app.snapshot().unwrap();
    snap.pending_income(1, &chain.addr(name))
        .unwrap()
        .iter()
        .find(|c| c.denom.as_str() == "uusd")
        .map_or(0, |c| c.amount.value())
}

#[test]
fn holders_claim_exactly_and_dust_is_paid_with_the_next_payment() {
    let mut chain = setup();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let escrow = income_escrow(1);
    // A plain bank send of 3,000 shares.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("3000share/1")),
    ));
    let holders = chain
        .app
        .snapshot()
        .unwrap()
        .share_holders(1, None, 10)
        .unwrap();
    assert_eq!(holders.len(), 2);
    assert_eq!(
        holders.iter().map(|h| h.shares.value()).sum::<u128>(),
        10_000
    );

    let r = deposit(&mut chain, 1, "1000001uusd");
    assert_ok(&r);
    let ev = r
        .events
        .iter()
        .find(|e| e.kind == "asset.income_credited")
        .unwrap();
    assert_eq!(ev.get("asset_id"), Some("1"));
    assert_eq!(ev.get("amount"), Some("1000001uusd"));
    // 100.0001 per share, scaled by 10^18.
    assert_eq!(ev.get("per_share"), Some("100000100000000000000"));
    assert_eq!(chain.balance(&escrow, "uusd"), 1_000_001);
    assert_eq!(pending(&chain, "alice"), 700_000);
    assert_eq!(pending(&chain, "bob"), 300_000);

    let r = claim(&mut chain, "alice");
    assert_ok(&r);
    let ev = r
        .events
        .iter()
        .find(|e| e.kind == "asset.income_claimed")
        .unwrap();
    assert_eq!(ev.get("asset_id"), Some("1"));
    assert_ok(&claim(&mut chain, "bob"));
    assert_eq!(chain.balance(&alice, "uusd"), 700_000);
    assert_eq!(chain.balance(&bob, "uusd"), 300_000);
    assert_eq!(
        chain.balance(&escrow, "uusd"),
        1,
        "one unit of dust retained"
    );
    // Claiming again pays nothing.
    assert_ok(&claim(&mut chain, "bob"));
    assert_eq!(chain.balance(&bob, "uusd"), 300_000);

    // 9,999 more: 0.9999 per share; the retained 0.7 and 0.3 complete it.
    assert_ok(&deposit(&mut chain, 1, "9999uusd"));
    assert_eq!(pending(&chain, "alice"), 7_000);
    assert_eq!(pending(&chain, "bob"), 3_000);
    assert_ok(&claim(&mut chain, "alice"));
    assert_ok(&claim(&mut chain, "bob"));
    assert_eq!(chain.balance(&alice, "uusd"), 707_000);
    assert_eq!(chain.balance(&bob, "uusd"), 303_000);
    assert_eq!(chain.balance(&escrow, "uusd"), 0, "the dust was paid out");

    let totals = chain.app.snapshot().unwrap().income_totals(1).unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0].credited_to_shares.value(), 1_010_000);
    assert_eq!(totals[0].claimed.value(), 1_010_000);
}

#[test]
fn income_follows_shares_held_at_the_time() {
    let mut chain = setup();
    let (alice, bob, carol) = (chain.addr("alice"), chain.addr("bob"), chain.addr("carol"));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("3000share/1")),
    ));
    assert_ok(&deposit(&mut chain, 1, "10000uusd"));
    // alice 7,000 → 5,000 and carol 0 → 1,000 via multi-send, bob unchanged.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::multi_send(&[(bob, coins("1000share/1")), (carol, coins("1000share/1"))]),
    ));
    // The transfer settled alice's income; nothing moved yet.
    assert_eq!(pending(&chain, "alice"), 7_000);
    assert_eq!(pending(&chain, "bob"), 3_000);
    assert_eq!(pending(&chain, "carol"), 0);
    assert_ok(&deposit(&mut chain, 1, "10000uusd"));
    assert_eq!(pending(&chain, "alice"), 7_000 + 5_000);
    assert_eq!(pending(&chain, "bob"), 3_000 + 4_000);
    assert_eq!(pending(&chain, "carol"), 1_000);
    // Carol sells everything; her earned income stays hers.
    assert_ok(&exec(
        &mut chain,
        "carol",
        msgs::send(&alice, &coins("1000share/1")),
    ));
    assert_ok(&deposit(&mut chain, 1, "10000uusd"));
    assert_eq!(pending(&chain, "carol"), 1_000);
    assert_eq!(pending(&chain, "alice"), 12_000 + 6_000);
    for name in ["alice", "bob", "carol"] {
        assert_ok(&claim(&mut chain, name));
    }
    assert_eq!(chain.balance(&alice, "uusd"), 18_000);
    assert_eq!(chain.balance(&bob, "uusd"), 11_000);
    assert_eq!(chain.balance(&carol, "uusd"), 1_000);
    assert_eq!(chain.balance(&income_escrow(1), "uusd"), 0);
}

#[test]
fn redeem_pays_pending_income_first() {
    let mut chain = setup();
    let alice = chain.addr("alice");
    assert_ok(&deposit(&mut chain, 1, "12345uusd"));
    let r = exec(&mut chain, "alice", msgs::asset_redeem(1));
    assert_ok(&r);
    assert!(r.events.iter().any(|e| e.kind == "asset.income_claimed"));
    assert_eq!(chain.balance(&alice, "uusd"), 12_345);
    assert_eq!(chain.supply("share/1"), 0);
}

#[test]
fn redeem_resets_the_carried_remainder_so_a_smaller_reissue_still_receives_income() {
    let mut chain = setup();
    // Asset 2, fractionalized into 9,999 shares: 10^18 mod 9,999 = 100, so
    // one unit of income leaves a carry of 100 scaled units.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_mint(1, "SB-2", "", Vec::new(), None),
    ));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_fractionalize(2, 9_999),
    ));
    assert_ok(&deposit(&mut chain, 2, "1uusd"));
    let share: Denom = "share/2".parse().unwrap();
    let usd: Denom = "uusd".parse().unwrap();
    let carry = |chain: &TestChain| {
        use fructus_income::IncomeStateReadExt;
        let snap = chain.app.snapshot().unwrap();
        snap.income_pool(&share, &usd).unwrap().unwrap().carry
    };
    assert_eq!(carry(&chain), 100);
    assert_ok(&exec(&mut chain, "alice", msgs::asset_redeem(2)));
    assert_eq!(carry(&chain), 0);
    // Re-issued as 7 shares (fewer than the old carry of 100): income
    // still splits, where it used to fail with an overflow.
    assert_ok(&exec(&mut chain, "alice", msgs::asset_fractionalize(2, 7)));
    assert_ok(&deposit(&mut chain, 2, "700uusd"));
    let alice = chain.addr("alice");
    let before = chain.balance(&alice, "uusd");
    assert_ok(&exec(&mut chain, "alice", msgs::asset_claim_income(&[2])));
    assert_eq!(chain.balance(&alice, "uusd") - before, 700);
}

#[test]
fn income_to_an_unfractionalized_asset_goes_to_the_owner() {
    let mut chain = setup();
    let bob = chain.addr("bob");
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_mint(1, "SB-2", "", Vec::new(), Some(&bob)),
    ));
    let r = deposit(&mut chain, 2, "500uusd");
    assert_ok(&r);
    let ev = r
        .events
        .iter()
        .find(|e| e.kind == "asset.income_credited")
        .unwrap();
    assert_eq!(ev.get("recipient"), Some(bob.to_string().as_str()));
    assert_eq!(chain.balance(&bob, "uusd"), 500);
    assert_eq!(chain.balance(&income_escrow(2), "uusd"), 0);
    let totals = chain.app.snapshot().unwrap().income_totals(2).unwrap();
    assert_eq!(totals[0].paid_to_owner.value(), 500);
    assert!(totals[0].credited_to_shares.is_zero());
}

#[test]
fn income_refusals_are_typed_and_change_nothing() {
    let mut chain = setup();
    let payer = chain.addr("payer");
    let alice = chain.addr("alice");
    let escrow = income_escrow(1);
    let before = chain.balance(&payer, "uusd");
    // Claim for an unknown asset (alone, and next to a good one).
    assert_code(
        &exec(&mut chain, "alice", msgs::asset_claim_income(&[42])),
        "asset",
        fructus_asset::AssetError::ASSET_NOT_FOUND,
    );
    assert_ok(&deposit(&mut chain, 1, "100uusd"));
    assert_code(
        &exec(&mut chain, "alice", msgs::asset_claim_income(&[1, 42])),
        "asset",
        fructus_asset::AssetError::ASSET_NOT_FOUND,
    );
    assert_eq!(chain.balance(&alice, "uusd"), 0);
    assert_eq!(chain.balance(&escrow, "uusd"), 100);
    // Duplicate and empty asset lists.
    assert_code(
        &exec(&mut chain, "alice", msgs::asset_claim_income(&[1, 1])),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    assert_code(
        &exec(&mut chain, "alice", msgs::asset_claim_income(&[])),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    // Deposit to an unknown asset, more than the payer has, shares as income.
    assert_code(
        &deposit(&mut chain, 42, "1uusd"),
        "asset",
        fructus_asset::AssetError::ASSET_NOT_FOUND,
    );
    assert_code(
        &deposit(&mut chain, 1, "999999999999999999999uusd"),
        "bank",
        fructus_bank::BankError::INSUFFICIENT_FUNDS,
    );
    assert_code(
        &deposit(&mut chain, 1, "1share/1"),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    // An overflowing deposit: u128::MAX/4 · 10^18 / 10^4 passes 2^128.
    let huge = u128::MAX / 4;
    assert_ok(&exec(
        &mut chain,
        "payer",
        msgs::mint(&coin(&format!("{huge}uusd")), &payer),
    ));
    let r = deposit(&mut chain, 1, &format!("{huge}uusd"));
    assert_code(&r, "income", fructus_income::IncomeError::OVERFLOW);
    assert_eq!(chain.balance(&payer, "uusd"), before - 100 + huge);
    assert_eq!(chain.balance(&escrow, "uusd"), 100);
    assert_eq!(
        chain.app.snapshot().unwrap().income_totals(1).unwrap()[0]
            .credited_to_shares
            .value(),
        100
    );
}

// ---- property test ----

#[derive(Debug, Clone)]
enum Op {
    Send {
        from: usize,
        to: usize,
        amount: u128,
    },
    Multi {
        from: usize,
        a: usize,
        b: usize,
        amount: u128,
    },
    Credit {
        denom: usize,
        amount: u128,
    },
    Claim {
        who: usize,
    },
}

const DENOMS: [&str; 2] = ["uusd", "ueur"];
const SHARES: u128 = 10_000;

fn op() -> impl Strategy<Value = Op> {
    let who = 0..NAMES.len();
    prop_oneof![
        (who.clone(), who.clone(), 1u128..4_000).prop_map(|(from, to, amount)| Op::Send {
            from,
            to,
            amount
        }),
        (who.clone(), who.clone(), who.clone(), 1u128..2_000)
            .prop_map(|(from, a, b, amount)| Op::Multi { from, a, b, amount }),
        (0..2usize, prop_oneof![1u128..20, 1u128..10_000_000])
            .prop_map(|(denom, amount)| { Op::Credit { denom, amount } }),
        who.prop_map(|who| Op::Claim { who }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    #[test]
    fn claimed_plus_pending_plus_dust_equals_credited(ops in proptest::collection::vec(op(), 1..30)) {
        let mut chain = setup();
        let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
        let addrs: Vec<Address> = names.iter().map(|n| chain.addr(n)).collect();
        // Start from alice 4,000, bob 3,000, carol 2,000, dave 1,000.
        assert_ok(&exec(&mut chain, "alice", msgs::multi_send(&[
            (addrs[1], coins("3000share/1")),
            (addrs[2], coins("2000share/1")),
            (addrs[3], coins("1000share/1")),
        ])));
        // Exact entitlement numerators (denominator SHARES) per (holder, denom).
        let mut entitled: BTreeMap<(usize, usize), u128> = BTreeMap::new();
        let mut credited = [0u128; 2];
        for op in ops {
            let shares: Vec<u128> = addrs.iter().map(|a| chain.balance(a, "share/1")).collect();
            match op {
                Op::Send { from, to, amount } => {
                    exec(&mut chain, names[from], msgs::send(&addrs[to], &coins(&format!("{amount}share/1"))));
                }
                Op::Multi { from, a, b, amount } => {
                    exec(&mut chain, names[from], msgs::multi_send(&[
                        (addrs[a], coins(&format!("{amount}share/1"))),
                        (addrs[b], coins(&format!("{amount}share/1"))),
                    ]));
                }
                Op::Credit { denom, amount } => {
                    let r = deposit(&mut chain, 1, &format!("{amount}{}", DENOMS[denom]));
                    prop_assert!(r.is_ok(), "{r:?}");
                    credited[denom] += amount;
                    for (h, s) in shares.iter().enumerate() {
                        *entitled.entry((h, denom)).or_default() += amount * s;
                    }
                }
                Op::Claim { who } => {
                    let r = claim(&mut chain, names[who]);
                    prop_assert!(r.is_ok(), "{r:?}");
                }
            }
        }
        let snap = chain.app.snapshot().unwrap();
        let escrow = income_escrow(1);
        prop_assert_eq!(
            addrs.iter().map(|a| chain.balance(a, "share/1")).sum::<u128>(),
            SHARES
        );
        prop_assert_eq!(chain.supply("share/1"), SHARES);
        for (d, denom) in DENOMS.iter().enumerate() {
            let mut claimed_total = 0u128;
            let mut pending_total = 0u128;
            for (h, addr) in addrs.iter().enumerate() {
                // Holders receive this denom only through claims.
                let claimed = chain.balance(addr, denom);
                let pending = snap.pending_income(1, addr).unwrap().iter()
                    .find(|c| c.denom.as_str() == *denom)
                    .map_or(0, |c| c.amount.value());
                let exact_floor = entitled.get(&(h, d)).copied().unwrap_or(0) / SHARES;
                prop_assert!(claimed + pending <= exact_floor,
                    "{} got {claimed}+{pending} > floor of entitlement {exact_floor} in {denom}", names[h]);
                prop_assert!(claimed + pending + 1 >= exact_floor,
                    "{} got {claimed}+{pending}, entitled to {exact_floor} in {denom}", names[h]);
                claimed_total += claimed;
                pending_total += pending;
            }
            let in_escrow = chain.balance(&escrow, denom);
            prop_assert!(pending_total <= in_escrow);
            let dust = in_escrow - pending_total;
            prop_assert_eq!(claimed_total + pending_total + dust, credited[d]);
            prop_assert!(dust <= NAMES.len() as u128, "dust {dust} in {denom}");
            // Bank supply = all balances (payer, holders, escrow).
            let payer = chain.balance(&chain.addr("payer"), denom);
            prop_assert_eq!(chain.supply(denom), payer + claimed_total + in_escrow);
        }
        let totals = snap.income_totals(1).unwrap();
        for t in totals {
            let d = DENOMS.iter().position(|x| *x == t.denom.as_str()).unwrap();
            prop_assert_eq!(t.credited_to_shares.value(), credited[d]);
        }
    }
}
