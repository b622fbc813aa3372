//! Property: for random transfers, multi-sends, mints and burns, the supply
//! of every denom equals the sum of all balances (module accounts included).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;

use fructus_bank::state_key;
use fructus_client::tx::msgs;
use fructus_storage::StateRead;
use fructus_test_utils::{CHAIN_ID, NAMES, TestChain, coin, coins};
use fructus_types::{Amount, Denom};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Send {
        from: usize,
        to: usize,
        amount: u128,
        denom: usize,
    },
    Multi {
        from: usize,
        a: usize,
        b: usize,
        amount: u128,
    },
    Mint {
        to: usize,
        amount: u128,
    },
    Burn {
        amount: u128,
    },
}

const DENOMS: [&str; 2] = ["ufrx", "uusd"];

fn op() -> impl Strategy<Value = Op> {
    let who = 0..NAMES.len();
    let amount = prop_oneof![1u128..1_000, 1u128..2_000_000_000, Just(u128::MAX)];
    prop_oneof![
        (who.clone(), who.clone(), amount.clone(), 0..2usize).prop_map(
            |(from, to, amount, denom)| Op::Send {
                from,
                to,
                amount,
                denom
            }
        ),
        (who.clone(), who.clone(), who.clone(), amount.clone())
            .prop_map(|(from, a, b, amount)| Op::Multi { from, a, b, amount }),
        (who, amount.clone()).prop_map(|(to, amount)| Op::Mint { to, amount }),
        amount.prop_map(|amount| Op::Burn { amount }),
    ]
}

fn sums(chain: &TestChain) -> BTreeMap<Denom, u128> {
    let snap = chain.app.snapshot().unwrap();
    let mut out = BTreeMap::new();
    let mut after: Option<Vec<u8>> = None;
    loop {
        let page = snap
            .prefix::<Amount>(&state_key::all_balances(), after.as_deref(), 100)
            .unwrap();
        let Some((last, _)) = page.last() else { break };
        after = Some(last.clone());
        for (key, amount) in page {
            let (_, denom) = state_key::parse_balance(&key).unwrap();
            let e = out.entry(denom).or_insert(0u128);
            *e = e.checked_add(amount.value()).unwrap();
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn supply_equals_sum_of_balances(ops in proptest::collection::vec(op(), 1..25)) {
        let mut chain = TestChain::new();
        let name = |i: usize| NAMES[i].0;
        let create = chain.tx("alice").message(msgs::create_denom(&"uusd".parse().unwrap(), "USD", 6, false)).sign(chain.key("alice"));
        chain.run(create);
        let mut nonces: BTreeMap<usize, u64> = (0..NAMES.len()).map(|i| (i, chain.nonce(&chain.addr(name(i))))).collect();
        let mut txs = Vec::new();
        for op in ops {
            let (signer, msg) = match op {
                Op::Send { from, to, amount, denom } => (from, msgs::send(&chain.addr(name(to)), &coins(&format!("{amount}{}", DENOMS[denom])))),
                Op::Multi { from, a, b, amount } => (from, msgs::multi_send(&[
                    (chain.addr(name(a)), coins(&format!("{amount}ufrx"))),
                    (chain.addr(name(b)), coins(&format!("{amount}uusd"))),
                ])),
                Op::Mint { to, amount } => (0, msgs::mint(&coin(&format!("{amount}uusd")), &chain.addr(name(to)))),
                Op::Burn { amount } => (0, msgs::burn(&coin(&format!("{amount}uusd")))),
            };
            let nonce = nonces.get_mut(&signer).unwrap();
            txs.push(fructus_client::tx::TxBuilder::new(CHAIN_ID).nonce(*nonce).message(msg).sign(chain.key(name(signer))));
            *nonce += 1;
            if txs.len() == 4 {
                chain.block(std::mem::take(&mut txs));
            }
        }
        chain.block(txs);
        let sums = sums(&chain);
        for denom in DENOMS {
            let d: Denom = denom.parse().unwrap();
            prop_assert_eq!(sums.get(&d).copied().unwrap_or(0), chain.supply(denom), "denom {}", denom);
        }
    }
}
