//! Module tests on real storage: expiry-aware pools (with a test
//! implementation of [`DenomExpiry`]), bounded pruning, the params path,
//! and the pool invariants under random sequences of operations.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_bank::{BankStateReadExt, BankStateWriteExt, DenomMetadata};
use fructus_component::{
    ActionHandler, BlockContext, Component, ErrorCode, Event, GasMeter, ModuleParams, TxContext,
    governance_authority, update_params,
};
use fructus_proto::amm::v1 as pb;
use fructus_storage::{StateDelta, StateRead, StateWrite, Storage};
use fructus_types::{Address, BlockTime, Coin, Denom, KeyAlgo, PublicKey, SigningKey, tx::TxHash};
use proptest::prelude::*;

use crate::{
    Amm, AmmError, AmmGenesis, AmmParams, AmmStateReadExt, DenomExpiry, PoolFee, lp_denom, msg,
    pool_account,
};

/// Expiries set by the test under `test/expiry/<denom>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct TestExpiry;

fn expiry_key(denom: &Denom) -> Vec<u8> {
    [b"test/expiry/".as_slice(), denom.as_str().as_bytes()].concat()
}

impl DenomExpiry for TestExpiry {
    fn expiry<S: StateRead + ?Sized>(
        state: &S,
        denom: &Denom,
    ) -> Result<Option<BlockTime>, AmmError> {
        Ok(state.get::<u64>(&expiry_key(denom))?.map(BlockTime))
    }
}

struct Env {
    _dir: tempfile::TempDir,
    state: StateDelta,
    key: PublicKey,
    height: u64,
    time: u64,
}

fn d(s: &str) -> Denom {
    s.parse().unwrap()
}

fn c(s: &str) -> Coin {
    s.parse().unwrap()
}

fn addr(name: &str) -> Address {
    Address::module(&format!("test-user/{name}"))
}

impl Env {
    fn new(params: AmmParams) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let mut state = StateDelta::new(storage.latest_snapshot().unwrap());
        for denom in ["ua", "ub", "gpuh/1"] {
            state
                .put_denom_metadata(&DenomMetadata {
                    denom: d(denom),
                    issuer: None,
                    symbol: "T".into(),
                    decimals: 0,
                    kyc_only: false,
                })
                .unwrap();
            for who in ["alice", "bob"] {
                state
                    .mint_ungated(&addr(who), &Coin::new(d(denom), 1_000_000_000_000))
                    .unwrap();
            }
        }
        Amm::init_genesis(&mut state, &AmmGenesis { params }).unwrap();
        let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[7; 32])
            .unwrap()
            .public_key();
        let mut env = Env {
            _dir: dir,
            state,
            key,
            height: 0,
            time: 1_000_000,
        };
        env.next_block(1_000);
        env
    }

    fn next_block(&mut self, ms: u64) -> Vec<Event> {
        let mut events = Vec::new();
        let block = self.block();
        Amm::end_block(&mut self.state, &block, &mut events).unwrap();
        self.height += 1;
        self.time += ms;
        self.state
            .set_block_clock(self.height, BlockTime(self.time))
            .unwrap();
        events
    }

    fn block(&self) -> BlockContext {
        BlockContext::new("test".into(), self.height, BlockTime(self.time))
    }

    /// Runs one message as the app does: on an overlay discarded if it
    /// fails.
    fn run<H: ActionHandler<Error = AmmError>>(
        &mut self,
        who: &str,
        msg: &H,
    ) -> Result<Vec<Event>, AmmError> {
        let block = self.block();
        let mut ctx = TxContext::new(
            &block,
            addr(who),
            &self.key,
            0,
            TxHash([0; 32]),
            GasMeter::new(10_000_000),
        );
        self.state.checkpoint();
        let r = msg
            .check_stateful(&self.state, &ctx)
            .and_then(|checked| msg.execute(checked, &mut self.state, &mut ctx));
        match r {
            Ok(()) => {
                self.state.apply_checkpoint();
                Ok(ctx.into_events().0)
            }
            Err(e) => {
                self.state.discard_checkpoint();
                Err(e)
            }
        }
    }

    fn balance(&self, who: &Address, denom: &str) -> u128 {
        self.state.balance(who, &d(denom)).unwrap().value()
    }
}

fn create(a: &str, b: &str) -> msg::CreatePool<TestExpiry> {
    msg::CreatePool::try_from(&pb::MsgCreatePool {
        amount_a: Some(c(a).to_proto()),
        amount_b: Some(c(b).to_proto()),
        fee_bps: 0,
    })
    .unwrap()
}

fn swap(amount_in: &str, route: &[u64], min_out: &str) -> msg::SwapExactIn<TestExpiry> {
    msg::SwapExactIn::try_from(&pb::MsgSwapExactIn {
        amount_in: Some(c(amount_in).to_proto()),
        route: route.to_vec(),
        min_out: Some(c(min_out).to_proto()),
        deadline_ms: 0,
    })
    .unwrap()
}

fn add(pool_id: u64, a: &str, b: &str) -> msg::AddLiquidity<TestExpiry> {
    msg::AddLiquidity::try_from(&pb::MsgAddLiquidity {
        pool_id,
        max_a: Some(c(a).to_proto()),
        max_b: Some(c(b).to_proto()),
        min_lp: String::new(),
    })
    .unwrap()
}

fn remove(pool_id: u64, lp: u128) -> msg::RemoveLiquidity<TestExpiry> {
    msg::RemoveLiquidity::try_from(&pb::MsgRemoveLiquidity {
        pool_id,
        lp: Some(Coin::new(lp_denom(pool_id), lp).to_proto()),
        min_out: Vec::new(),
    })
    .unwrap()
}

#[test]
fn an_expired_denom_closes_its_pool_to_swaps_and_deposits_but_lps_withdraw_and_expired_units_burn()
{
    let mut env = Env::new(AmmParams::default());
    env.run("alice", &create("1000000gpuh/1", "2000000ua"))
        .unwrap();
    env.run("bob", &swap("1000ua", &[1], "1gpuh/1")).unwrap();
    let expiry = env.time + 10_000;
    env.state.put(expiry_key(&d("gpuh/1")), &expiry).unwrap();
    env.next_block(10_000);

    let expired = |e: Result<Vec<Event>, AmmError>| match e {
        Err(AmmError::DenomExpired {
            denom, expiry_ms, ..
        }) => {
            assert_eq!((denom.as_str(), expiry_ms), ("gpuh/1", expiry));
        }
        other => panic!("expected amm#15, got {other:?}"),
    };
    expired(env.run("bob", &swap("1000ua", &[1], "1gpuh/1")));
    expired(env.run("bob", &swap("1000gpuh/1", &[1], "1ua")));
    expired(env.run("bob", &add(1, "1000ua", "1000gpuh/1")));

    // Withdrawals stay open: the live denom is paid, the expired one burned.
    let alice = addr("alice");
    let lp = env.balance(&alice, "lp/1");
    let pool = env.state.require_pool(1).unwrap();
    let (ua, gpuh_supply) = (
        env.balance(&alice, "ua"),
        env.state.supply(&d("gpuh/1")).unwrap().value(),
    );
    let events = env.run("alice", &remove(1, lp)).unwrap();
    let burned = events
        .iter()
        .find(|e| e.kind == "amm.expired_burned")
        .and_then(|e| e.get("burned"))
        .expect("an amm.expired_burned event")
        .to_owned();
    let burned: Coin = burned.parse().unwrap();
    assert_eq!(burned.denom.as_str(), "gpuh/1");
    assert_eq!(
        burned.amount.value(),
        pool.reserve_a.value() * lp / pool.liquidity.value()
    );
    assert_eq!(
        env.state.supply(&d("gpuh/1")).unwrap().value(),
        gpuh_supply - burned.amount.value()
    );
    assert_eq!(
        env.balance(&alice, "ua") - ua,
        pool.reserve_b.value() * lp / pool.liquidity.value()
    );
    let after = env.state.require_pool(1).unwrap();
    assert_eq!(
        env.balance(&pool_account(1), "gpuh/1"),
        after.reserve_a.value()
    );
    assert_eq!(
        env.state.supply(&lp_denom(1)).unwrap().value(),
        after.liquidity.value()
    );
}

#[test]
fn pruning_is_bounded_per_block_and_keeps_each_pools_newest_observation() {
    let mut env = Env::new(AmmParams {
        max_prune_per_block: 2,
        ..AmmParams::default()
    });
    env.run("alice", &create("1000000ua", "2000000ub")).unwrap();
    env.run("alice", &create("1000000ua", "2000000gpuh/1"))
        .unwrap();
    for _ in 0..3 {
        env.next_block(60_000);
        env.run("bob", &swap("1000ua", &[1], "1ub")).unwrap();
    }
    // Pool 1 holds 4 observations, pool 2 one; all pass the retention.
    env.next_block(AmmParams::default().twap_retention_ms + 120_000);
    let count = |events: &[Event]| {
        events
            .iter()
            .find(|e| e.kind == "amm.observations_pruned")
            .and_then(|e| e.get("count"))
            .map_or(0, |c| c.parse::<u32>().unwrap())
    };
    let mut handled = Vec::new();
    for _ in 0..4 {
        handled.push(count(&env.next_block(1_000)));
    }
    assert_eq!(handled, vec![2, 2, 1, 0]);
    // Each pool keeps its newest observation: a TWAP still answers.
    let p1 = env.state.require_pool(1).unwrap();
    let p2 = env.state.require_pool(2).unwrap();
    assert_eq!(p1.twap.next_seq - p1.twap.first_seq, 1);
    assert_eq!(p2.twap.next_seq - p2.twap.first_seq, 1);
    let t = crate::query::twap(&env.state, 1, 3_600_000, BlockTime(env.time)).unwrap();
    assert_eq!(t.covered_ms, 3_600_000);
}

#[test]
fn only_the_governance_account_changes_amm_params() {
    let mut env = Env::new(AmmParams::default());
    let mut events = Vec::new();
    let new = AmmParams {
        protocol_fee_share_bps: 1_000,
        ..AmmParams::default()
    };
    let err = update_params(&mut env.state, addr("alice"), &new, &mut events).unwrap_err();
    assert_eq!((err.codespace(), err.code()), ("params", 1));
    let bad = AmmParams {
        default_fee_bps: 5_000,
        ..AmmParams::default()
    };
    let err = update_params(&mut env.state, governance_authority(), &bad, &mut events).unwrap_err();
    assert_eq!((err.codespace(), err.code()), ("amm", 18));
    update_params(&mut env.state, governance_authority(), &new, &mut events).unwrap();
    assert_eq!(env.state.amm_params().unwrap(), new);
    assert_eq!(<AmmParams as ModuleParams>::MODULE, "amm");

    // The protocol's share of the fee reaches the protocol account.
    env.run("alice", &create("1000000ua", "2000000ub")).unwrap();
    env.run("bob", &swap("100000ua", &[1], "1ub")).unwrap();
    // 100000 · 30 bps · 10 % = 30.
    assert_eq!(env.balance(&crate::protocol_account(), "ua"), 30);
    let p = env.state.require_pool(1).unwrap();
    assert_eq!(env.balance(&pool_account(1), "ua"), p.reserve_a.value());
}

#[test]
fn governance_changes_a_pools_fee_through_the_params_and_swaps_pay_at_it() {
    let mut env = Env::new(AmmParams::default());
    let mut events = Vec::new();
    env.run("alice", &create("1000000ua", "2000000ub")).unwrap();
    let pool = env.state.require_pool(1).unwrap();
    let out_at = |fee: u16| {
        crate::math::amount_out(10_000, pool.reserve_a.value(), pool.reserve_b.value(), fee)
            .unwrap()
    };
    // Refused: a fee out of range, or pools listed out of order; nothing
    // changes.
    for bad in [
        vec![PoolFee {
            pool_id: 1,
            fee_bps: 5_000,
        }],
        vec![
            PoolFee {
                pool_id: 2,
                fee_bps: 10,
            },
            PoolFee {
                pool_id: 1,
                fee_bps: 10,
            },
        ],
    ] {
        let params = AmmParams {
            pool_fees: bad,
            ..AmmParams::default()
        };
        let err = update_params(&mut env.state, governance_authority(), &params, &mut events)
            .unwrap_err();
        assert_eq!((err.codespace(), err.code()), ("amm", 18));
        assert_eq!(env.state.amm_params().unwrap(), AmmParams::default());
    }
    // Pool 1 was created at 30 bps; governance sets 100 bps.
    let params = AmmParams {
        pool_fees: vec![PoolFee {
            pool_id: 1,
            fee_bps: 100,
        }],
        ..AmmParams::default()
    };
    update_params(&mut env.state, governance_authority(), &params, &mut events).unwrap();
    let before = env.balance(&addr("bob"), "ub");
    env.run("bob", &swap("10000ua", &[1], "1ub")).unwrap();
    let got = env.balance(&addr("bob"), "ub") - before;
    assert_eq!(got, out_at(100));
    assert!(got < out_at(30), "the higher fee applied");
}

#[derive(Debug, Clone)]
enum Op {
    Swap(bool, bool, u128),
    Add(bool, u128, u128),
    Remove(bool, u128),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<bool>(), any::<bool>(), 1u128..1_000_000_000)
            .prop_map(|(w, a, n)| Op::Swap(w, a, n)),
        (any::<bool>(), 1u128..1_000_000_000, 1u128..1_000_000_000)
            .prop_map(|(w, a, b)| Op::Add(w, a, b)),
        (any::<bool>(), 1u128..=1_000).prop_map(|(w, per_mille)| Op::Remove(w, per_mille)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn lp_supply_equals_liquidity_reserves_equal_the_pool_account_and_k_never_falls(
        ops in proptest::collection::vec(op(), 1..24),
    ) {
        let mut env = Env::new(AmmParams::default());
        env.run("alice", &create("5000000000ua", "7000000000ub")).unwrap();
        let total = |env: &Env, denom: &str| {
            env.balance(&addr("alice"), denom)
                + env.balance(&addr("bob"), denom)
                + env.balance(&pool_account(1), denom)
        };
        let (ua0, ub0) = (total(&env, "ua"), total(&env, "ub"));
        for op in ops {
            let before = env.state.require_pool(1).unwrap();
            let who = |w: bool| if w { "alice" } else { "bob" };
            let _ = match &op {
                Op::Swap(w, a_to_b, n) => {
                    let (i, o) = if *a_to_b { ("ua", "ub") } else { ("ub", "ua") };
                    env.run(who(*w), &swap(&format!("{n}{i}"), &[1], &format!("0{o}")))
                }
                Op::Add(w, a, b) => env.run(who(*w), &add(1, &format!("{a}ua"), &format!("{b}ub"))),
                Op::Remove(w, per_mille) => {
                    let held = env.balance(&addr(who(*w)), "lp/1");
                    let lp = held * per_mille / 1_000;
                    if lp == 0 { continue; }
                    env.run(who(*w), &remove(1, lp))
                }
            };
            let p = env.state.require_pool(1).unwrap();
            prop_assert_eq!(env.state.supply(&lp_denom(1)).unwrap().value(), p.liquidity.value());
            prop_assert_eq!(env.balance(&pool_account(1), "ua"), p.reserve_a.value());
            prop_assert_eq!(env.balance(&pool_account(1), "ub"), p.reserve_b.value());
            prop_assert_eq!((total(&env, "ua"), total(&env, "ub")), (ua0, ub0));
            if matches!(op, Op::Swap(..)) {
                prop_assert!(
                    crate::math::wide_mul(p.reserve_a.value(), p.reserve_b.value())
                        >= crate::math::wide_mul(before.reserve_a.value(), before.reserve_b.value())
                );
            }
            env.next_block(1_000);
        }
    }
}
