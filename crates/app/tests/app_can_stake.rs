//! Staking through the real app: who may validate, commission limits,
//! delegation, redelegation, unbonding maturity, rewards, slashing,
//! jailing, the super-node voting power share and when set changes reach
//! consensus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::{ConsensusValidator, Genesis, TxResult, validator_set};
use fructus_bank::{BankStateReadExt, GenesisBalance};
use fructus_client::tx::msgs::{self, CommissionBps};
use fructus_component::{Evidence, LastCommit};
use fructus_crypto::{Address, KeyAlgo, PublicKey};
use fructus_identity::GenesisAttestation;
use fructus_staking::{
    DAY_MS, StakingParams, StakingStateReadExt, TOTAL_POWER, Validator, bonded_pool, fee_collector,
    power, query, rewards_pool, unbonding_pool,
};
use fructus_test_utils::{
    INITIAL_UFRX, REGULATOR, TestChain, assert_code, assert_ok, genesis, key_for,
};
use fructus_types::{Coin, Coins, Denom};
use proptest::prelude::*;

/// Extra named accounts: two regulators and four enterprises (`ent4`'s
/// attestation expires after height 4).
const OPERATORS: [&str; 6] = ["reg1", "reg2", "ent1", "ent2", "ent3", "ent4"];
/// Height after which `ent4`'s attestation stops counting.
const ENT4_EXPIRY: u64 = 4;

fn params() -> StakingParams {
    StakingParams {
        unbonding_blocks: 20,
        max_validators: 10,
        super_node_share_bps: 3_400,
        inflation_per_block: 0,
        signed_blocks_window: 10,
        min_signed_bps: 5_000,
        slash_fraction_double_sign_bps: 5_000,
        slash_fraction_downtime_bps: 1_000,
        jail_blocks: 5,
        // Most tests here check exact powers right after a change; the
        // ramp has its own test.
        power_ramp_blocks: 0,
        // The reward figures here are of the validators' whole fees; the
        // community pool's share has its own tests (app_can_govern).
        community_pool_share_bps: 0,
    }
}

fn addr_of(name: &str) -> Address {
    key_for(name, KeyAlgo::Ed25519).public_key().address()
}

fn cons(name: &str) -> PublicKey {
    key_for(&format!("{name}/consensus"), KeyAlgo::Ed25519).public_key()
}

/// `key_name`'s consensus key's proof of possession for `operator`.
fn proof(key_name: &str, operator: &str) -> Vec<u8> {
    msgs::consensus_key_proof(
        &key_for(&format!("{key_name}/consensus"), KeyAlgo::Ed25519),
        fructus_test_utils::CHAIN_ID,
        &addr_of(operator),
    )
}

/// The fixture genesis plus the operators (funded; reg1/reg2 regulators,
/// ent* attested enterprises), the fixture regulator funded, staking
/// parameters from [`params`] and `validators` created at genesis.
fn staking_genesis(validators: &[(&str, u128)]) -> Genesis {
    let mut g = genesis();
    let regulator = addr_of(REGULATOR);
    for name in OPERATORS.iter().chain([&REGULATOR]) {
        g.app_state.bank.balances.push(GenesisBalance {
            address: addr_of(name),
            coins: Coins::new(vec![Coin::new(Denom::native(), INITIAL_UFRX)]).unwrap(),
        });
    }
    let identity = &mut g.app_state.identity;
    identity.regulators.push(addr_of("reg1"));
    identity.regulators.push(addr_of("reg2"));
    for name in ["ent1", "ent2", "ent3", "ent4"] {
        identity.attestations.push(GenesisAttestation {
            subject: addr_of(name),
            provider: regulator,
            level: 3,
            expiry_height: if name == "ent4" { ENT4_EXPIRY } else { 0 },
            expiry_time_ms: 0,
            kyc_file_sha256: "22".repeat(32),
        });
    }
    g.app_state.staking.params = params();
    for (name, bond) in validators {
        fructus_test_utils::add_genesis_validator(&mut g, name, cons(name), *bond);
    }
    g
}

fn chain_with(validators: &[(&str, u128)]) -> TestChain {
    let mut chain = TestChain::with_genesis(staking_genesis(validators));
    for name in OPERATORS {
        chain.add_key(name, key_for(name, KeyAlgo::Ed25519));
    }
    chain
}

fn commission() -> CommissionBps {
    CommissionBps {
        rate: 1_000,
        max_rate: 2_000,
        max_change: 100,
    }
}

fn create_tx(chain: &TestChain, name: &str, bond: u128) -> Vec<u8> {
    chain
        .tx(name)
        .message(msgs::staking_create_validator(
            &cons(name),
            &proof(name, name),
            name,
            commission(),
            1,
            bond,
        ))
        .sign(chain.key(name))
}

fn send(chain: &mut TestChain, name: &str, msg: fructus_proto::tx::v1::Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

fn validator(chain: &TestChain, name: &str) -> Validator {
    chain
        .app
        .snapshot()
        .unwrap()
        .validator(&addr_of(name))
        .unwrap()
        .unwrap()
}

fn set(chain: &TestChain) -> Vec<ConsensusValidator> {
    validator_set(&chain.app.snapshot().unwrap()).unwrap()
}

fn in_set(chain: &TestChain, name: &str) -> bool {
    set(chain).iter().any(|v| v.public_key == cons(name))
}

fn bal(chain: &TestChain, a: &Address) -> u128 {
    chain.balance(a, "ufrx")
}

/// Fee every fixture transaction pays.
fn fee() -> u128 {
    fructus_client::tx::TxBuilder::new("x")
        .effective_fee()
        .amount
        .value()
}

#[test]
fn only_regulators_and_kyc_enterprises_create_validators() {
    let mut chain = chain_with(&[]);
    // bob is an individual: refused, and nothing is bonded.
    let tx = create_tx(&chain, "bob", 1_000);
    assert_code(
        &chain.run(tx),
        "staking",
        fructus_staking::StakingError::NOT_ELIGIBLE,
    );
    assert_eq!(bal(&chain, &bonded_pool()), 0);
    // A regulator and a KYC'd enterprise may.
    let tx = create_tx(&chain, "reg1", 1_000);
    assert_ok(&chain.run(tx));
    let tx = create_tx(&chain, "ent1", 2_000);
    assert_ok(&chain.run(tx));
    assert_eq!(bal(&chain, &bonded_pool()), 3_000);
    // One validator per operator ...
    let tx = create_tx(&chain, "ent1", 2_000);
    assert_code(
        &chain.run(tx),
        "staking",
        fructus_staking::StakingError::VALIDATOR_EXISTS,
    );
    // ... and per consensus key.
    let tx = chain
        .tx("ent2")
        .message(msgs::staking_create_validator(
            &cons("ent1"),
            &proof("ent1", "ent2"),
            "copy",
            commission(),
            1,
            1_000,
        ))
        .sign(chain.key("ent2"));
    assert_code(
        &chain.run(tx),
        "staking",
        fructus_staking::StakingError::CONSENSUS_KEY_IN_USE,
    );
    // Malformed commissions never reach state.
    let tx = chain
        .tx("ent2")
        .message(msgs::staking_create_validator(
            &cons("ent2"),
            &proof("ent2", "ent2"),
            "ent2",
            CommissionBps {
                rate: 3_000,
                max_rate: 2_000,
                max_change: 100,
            },
            1,
            1_000,
        ))
        .sign(chain.key("ent2"));
    assert_code(
        &chain.run(tx),
        "staking",
        fructus_staking::StakingError::COMMISSION_ABOVE_MAX,
    );
    assert_eq!(set(&chain).len(), 2);

    // A frozen enterprise's validator leaves the set at the next block.
    let ent1 = addr_of("ent1");
    assert!(in_set(&chain, "ent1"));
    let tx = chain
        .tx(REGULATOR)
        .message(msgs::identity_freeze(&ent1, "investigation"))
        .sign(chain.key(REGULATOR));
    assert_ok(&chain.run(tx));
    assert!(!in_set(&chain, "ent1"));
    assert!(in_set(&chain, "reg1"));
}

#[test]
fn an_expired_attestation_stops_counting() {
    let mut chain = chain_with(&[]);
    // ent4's attestation counts up to height 4: its validator joins.
    let tx = create_tx(&chain, "ent4", 1_000);
    assert_ok(&chain.run(tx));
    assert!(in_set(&chain, "ent4"));
    while chain.app.height().unwrap() < ENT4_EXPIRY {
        chain.block(vec![]);
    }
    assert!(in_set(&chain, "ent4"));
    // From height 5 it is expired: the validator is dropped from the set
    // at the end of that block ...
    chain.block(vec![]);
    assert!(!in_set(&chain, "ent4"));
    // ... and ent4 can no longer create one (ent4 has one already; use a
    // fresh expired case: revoke ent3's attestation).
    let tx = chain
        .tx(REGULATOR)
        .message(msgs::identity_revoke_attestation(
            &addr_of("ent3"),
            &addr_of(REGULATOR),
            "license withdrawn",
        ))
        .sign(chain.key(REGULATOR));
    assert_ok(&chain.run(tx));
    let tx = create_tx(&chain, "ent3", 1_000);
    assert_code(
        &chain.run(tx),
        "staking",
        fructus_staking::StakingError::NOT_ELIGIBLE,
    );
}

#[test]
fn commission_changes_are_bounded_in_size_and_frequency() {
    let mut chain = chain_with(&[("ent1", 1_000)]);
    // Above the maximum rate.
    let r = send(
        &mut chain,
        "ent1",
        msgs::staking_edit_validator(None, Some(2_001)),
    );
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::COMMISSION_ABOVE_MAX,
    );
    // A step larger than 100 bps.
    let r = send(
        &mut chain,
        "ent1",
        msgs::staking_edit_validator(None, Some(1_101)),
    );
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::COMMISSION_CHANGE_TOO_LARGE,
    );
    // Within a day of genesis (creation counts as a change).
    let r = send(
        &mut chain,
        "ent1",
        msgs::staking_edit_validator(None, Some(1_100)),
    );
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::COMMISSION_CHANGE_TOO_SOON,
    );
    assert_eq!(validator(&chain, "ent1").commission.rate_bps, 1_000);
    // A day later: allowed once, then again only a day after that.
    chain.advance_time(DAY_MS);
    let r = send(
        &mut chain,
        "ent1",
        msgs::staking_edit_validator(Some("renamed"), Some(1_100)),
    );
    assert_ok(&r);
    let v = validator(&chain, "ent1");
    assert_eq!(
        (v.commission.rate_bps, v.moniker.as_str()),
        (1_100, "renamed")
    );
    let r = send(
        &mut chain,
        "ent1",
        msgs::staking_edit_validator(None, Some(1_050)),
    );
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::COMMISSION_CHANGE_TOO_SOON,
    );
    // Only the operator edits: bob has no validator.
    let r = send(
        &mut chain,
        "bob",
        msgs::staking_edit_validator(Some("x"), None),
    );
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::UNKNOWN_VALIDATOR,
    );
}

#[test]
fn unbonding_matures_exactly_unbonding_blocks_later() {
    let mut chain = chain_with(&[("ent1", 1_000_000)]);
    let ent1 = addr_of("ent1");
    let bob = chain.addr("bob");
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_delegate(&ent1, 500_000),
    ));
    let before = bal(&chain, &bob);
    // Refusals first: more than the delegation is worth, unknown validator.
    let r = send(&mut chain, "bob", msgs::staking_undelegate(&ent1, 500_001));
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::INSUFFICIENT_DELEGATION,
    );
    let r = send(&mut chain, "bob", msgs::staking_undelegate(&bob, 1));
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::UNKNOWN_VALIDATOR,
    );
    // Undelegating settles bob's rewards so far and pays them.
    let rewards =
        fructus_staking::rewards::pending(&chain.app.snapshot().unwrap(), &bob, &ent1).unwrap();
    let r = send(&mut chain, "bob", msgs::staking_undelegate(&ent1, 200_000));
    assert_ok(&r);
    let h = chain.app.height().unwrap();
    let before = before + rewards;
    let paid_fees = 3 * fee();
    assert_eq!(bal(&chain, &bob), before - paid_fees);
    assert_eq!(bal(&chain, &unbonding_pool()), 200_000);
    let entries = query::unbonding(&chain.app.snapshot().unwrap(), &bob).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].completion_height, h + params().unbonding_blocks);
    // Not one block early ...
    while chain.app.height().unwrap() < h + params().unbonding_blocks - 1 {
        chain.block(vec![]);
    }
    assert_eq!(bal(&chain, &bob), before - paid_fees);
    assert!(chain.block_events.is_empty(), "{:?}", chain.block_events);
    // ... but at the end of block h + unbonding_blocks, reported as the
    // block's event.
    chain.block(vec![]);
    assert_eq!(chain.app.height().unwrap(), h + params().unbonding_blocks);
    assert_eq!(bal(&chain, &bob), before - paid_fees + 200_000);
    let done: Vec<_> = chain
        .block_events
        .iter()
        .filter(|e| e.kind == "staking.unbonding_completed")
        .collect();
    assert_eq!(done.len(), 1, "{:?}", chain.block_events);
    assert_eq!(done[0].get("delegator"), Some(bob.to_string().as_str()));
    assert_eq!(done[0].get("amount"), Some("200000"));
    assert_eq!(bal(&chain, &unbonding_pool()), 0);
    assert!(
        query::unbonding(&chain.app.snapshot().unwrap(), &bob)
            .unwrap()
            .is_empty()
    );
    assert_eq!(validator(&chain, "ent1").tokens, 1_300_000);
}

#[test]
fn unbonding_entries_per_pair_are_capped() {
    let mut chain = chain_with(&[("ent1", 1_000_000)]);
    let ent1 = addr_of("ent1");
    for _ in 0..fructus_staking::MAX_UNBONDING_ENTRIES {
        assert_ok(&send(
            &mut chain,
            "ent1",
            msgs::staking_undelegate(&ent1, 1),
        ));
    }
    let r = send(&mut chain, "ent1", msgs::staking_undelegate(&ent1, 1));
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::TOO_MANY_UNBONDING_ENTRIES,
    );
}

#[test]
fn redelegation_moves_stake_at_once() {
    let mut chain = chain_with(&[("ent1", 1_000_000), ("ent2", 1_000_000)]);
    let (ent1, ent2) = (addr_of("ent1"), addr_of("ent2"));
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_delegate(&ent1, 300_000),
    ));
    let bonded = bal(&chain, &bonded_pool());
    let r = send(&mut chain, "bob", msgs::staking_redelegate(&ent1, &ent1, 1));
    assert_code(&r, "staking", fructus_staking::StakingError::SAME_VALIDATOR);
    let r = send(
        &mut chain,
        "bob",
        msgs::staking_redelegate(&ent1, &ent2, 300_001),
    );
    assert_code(
        &r,
        "staking",
        fructus_staking::StakingError::INSUFFICIENT_DELEGATION,
    );
    let r = send(&mut chain, "bob", msgs::staking_redelegate(&ent2, &ent1, 1));
    assert_code(&r, "staking", fructus_staking::StakingError::NO_DELEGATION);
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_redelegate(&ent1, &ent2, 100_000),
    ));
    assert_eq!(validator(&chain, "ent1").tokens, 1_200_000);
    assert_eq!(validator(&chain, "ent2").tokens, 1_100_000);
    assert_eq!(bal(&chain, &bonded_pool()), bonded);
    let dels = query::delegations(&chain.app.snapshot().unwrap(), &chain.addr("bob")).unwrap();
    let tokens: Vec<(Address, u128)> = dels.iter().map(|d| (d.validator, d.tokens)).collect();
    let mut want = vec![(ent1, 200_000), (ent2, 100_000)];
    want.sort();
    assert_eq!(tokens, want);
}

#[test]
fn a_double_sign_discovered_after_a_redelegation_still_slashes_the_moved_stake() {
    let mut chain = chain_with(&[
        ("reg1", 1_000_000),
        ("ent1", 1_000_000),
        ("ent2", 1_000_000),
    ]);
    let (reg1, ent1, ent2) = (addr_of("reg1"), addr_of("ent1"), addr_of("ent2"));
    let bob = chain.addr("bob");
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_delegate(&ent1, 1_000_000),
    ));
    chain.block(vec![]);
    let infraction = chain.app.height().unwrap() + 1;
    chain.block(vec![]);
    // After the infraction, bob moves 400,000 to ent2 at once ...
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_redelegate(&ent1, &ent2, 400_000),
    ));
    // ... may not move it on before the unbonding period ends ...
    assert_code(
        &send(
            &mut chain,
            "bob",
            msgs::staking_redelegate(&ent2, &reg1, 10),
        ),
        "staking",
        fructus_staking::StakingError::REDELEGATION_NOT_MATURED,
    );
    // ... and undelegates most of it from ent2.
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_undelegate(&ent2, 350_000),
    ));
    let supply = chain.supply("ufrx");
    chain.block_with(
        vec![],
        None,
        vec![Evidence {
            validator: cons("ent1").address(),
            height: infraction,
        }],
    );
    // 50 % of ent1's 1,600,000 bonded, and 50 % of the 400,000 that left
    // it after the infraction: 50,000 from bob's stake at ent2, 150,000
    // from his unbonding entry out of ent2.
    let slash = &chain.block_events[0];
    assert_eq!(slash.get("burned"), Some("1000000"));
    assert_eq!(chain.supply("ufrx"), supply - 1_000_000);
    assert_eq!(validator(&chain, "ent1").tokens, 800_000);
    assert_eq!(validator(&chain, "ent2").tokens, 1_000_000);
    let entries = query::unbonding(&chain.app.snapshot().unwrap(), &bob).unwrap();
    let balances: Vec<(u128, u128)> = entries.iter().map(|e| (e.initial, e.balance)).collect();
    assert_eq!(balances, vec![(350_000, 200_000)]);
    // The record is forgotten once the unbonding period has passed.
    for _ in 0..params().unbonding_blocks {
        chain.block(vec![]);
    }
    assert!(
        chain
            .app
            .snapshot()
            .unwrap()
            .redelegation(0)
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_set_change_made_at_height_h_is_the_consensus_set_of_h_plus_1() {
    let mut chain = chain_with(&[("reg1", 1_000_000)]);
    let tx = create_tx(&chain, "ent1", 1_000_000);
    assert_ok(&chain.run(tx));
    let snap = chain.app.snapshot().unwrap();
    // The state committed at H: the set of H (that signed H) has no ent1,
    // the set handed to consensus for H + 1 does.
    let signed_h = snap.previous_active_set().unwrap();
    assert!(signed_h.iter().all(|v| v.operator != addr_of("ent1")));
    assert!(in_set(&chain, "ent1"));
    // One block later it is the set that signed.
    chain.block(vec![]);
    let snap = chain.app.snapshot().unwrap();
    assert!(
        snap.previous_active_set()
            .unwrap()
            .iter()
            .any(|v| v.operator == addr_of("ent1"))
    );
}

#[test]
fn super_nodes_hold_their_share_at_every_height() {
    let mut chain = chain_with(&[
        ("reg1", 17),
        ("reg2", 4_000_000),
        ("ent1", 123_456),
        ("ent2", 9_999_999),
        ("ent3", 1),
    ]);
    let (rp, ep) = power::pools(true, true, params().super_node_share_bps);
    let check = |chain: &TestChain| {
        let snap = chain.app.snapshot().unwrap();
        let active = snap.active_set().unwrap();
        let reg: u64 = active.iter().filter(|v| v.regulator).map(|v| v.power).sum();
        let ent: u64 = active
            .iter()
            .filter(|v| !v.regulator)
            .map(|v| v.power)
            .sum();
        let n_reg = active.iter().filter(|v| v.regulator).count() as u64;
        let n_ent = active.iter().filter(|v| !v.regulator).count() as u64;
        assert_eq!(n_reg, 2);
        // Floors: each class within (members − 1) of its pool.
        assert!(reg <= rp && reg + n_reg > rp, "regulators {reg} of {rp}");
        assert!(ent <= ep && ent + n_ent > ep, "enterprises {ent} of {ep}");
        assert!(active.iter().all(|v| v.power > 0));
        assert_eq!(validator_set(&snap).unwrap().len(), active.len());
    };
    check(&chain);
    let steps: Vec<fructus_proto::tx::v1::Message> = vec![
        msgs::staking_delegate(&addr_of("reg1"), 50_000_000),
        msgs::staking_delegate(&addr_of("ent3"), 77_777),
        msgs::staking_undelegate(&addr_of("ent3"), 77_000),
        msgs::staking_redelegate(&addr_of("ent3"), &addr_of("reg2"), 700),
    ];
    for m in steps {
        assert_ok(&send(&mut chain, "bob", m));
        check(&chain);
    }
    // Regulators with 34 % of power whatever their stake: reg1 holds 17
    // ufrx of its own but a fixed share of the regulators' pool.
    let total: u64 = set(&chain).iter().map(|v| v.power).sum();
    assert!(total <= TOTAL_POWER && total + 5 > TOTAL_POWER);
}

/// Rewards as an independent exact computation: per block, each active
/// validator's share of the fees by power, commission off the top, the
/// rest to delegators in proportion to stake (no slashing here, so shares
/// equal tokens).
#[test]
fn rewards_match_an_independent_computation() {
    let mut chain = chain_with(&[("reg1", 3_000_000), ("ent1", 1_000_000)]);
    let (reg1, ent1) = (addr_of("reg1"), addr_of("ent1"));
    let bob = chain.addr("bob");
    let carol = chain.addr("carol");
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_delegate(&ent1, 1_000_000),
    ));
    assert_ok(&send(
        &mut chain,
        "carol",
        msgs::staking_delegate(&reg1, 333_333),
    ));
    // From here on, stakes are fixed. Rewards so far were paid out on the
    // delegations (settled at 0); track from a clean start: withdraw all.
    for (name, v) in [
        ("bob", ent1),
        ("carol", reg1),
        ("ent1", ent1),
        ("reg1", reg1),
    ] {
        assert_ok(&send(&mut chain, name, msgs::staking_withdraw_rewards(&v)));
    }
    let snap = chain.app.snapshot().unwrap();
    let start_pending: Vec<u128> = [(&bob, &ent1), (&carol, &reg1)]
        .iter()
        .map(|(d, v)| fructus_staking::rewards::pending(&snap, d, v).unwrap())
        .collect();
    let start_commission = [
        snap.validator(&ent1).unwrap().unwrap().commission_owed,
        snap.validator(&reg1).unwrap().unwrap().commission_owed,
    ];
    drop(snap);

    // Stakes are fixed from here on, and nothing is slashed: shares are
    // tokens.
    let t_ent1 = validator(&chain, "ent1").tokens;
    let t_reg1 = validator(&chain, "reg1").tokens;
    let mut carry = bal(&chain, &fee_collector());
    let mut exp_comm = [0u128, 0u128];
    let (mut bob_num, mut carol_num) = (0u128, 0u128);
    for round in 0..6 {
        // The set computed at the end of the last block signs this one and
        // shares its fees.
        let signing = chain.app.snapshot().unwrap().active_set().unwrap();
        let mut fees = 0;
        if round % 3 == 2 {
            chain.block(vec![]);
        } else {
            let one = fructus_test_utils::coins("1ufrx");
            assert_ok(&send(&mut chain, "dave", msgs::send(&bob, &one)));
            fees = fee();
        }
        let total_power: u128 = signing.iter().map(|v| u128::from(v.power)).sum();
        let fees_in = fees + carry;
        let mut credited = 0;
        for v in &signing {
            let share = fees_in * u128::from(v.power) / total_power;
            credited += share;
            let comm = share * 1_000 / 10_000;
            if v.operator == ent1 {
                exp_comm[0] += comm;
                bob_num += (share - comm) * 1_000_000;
            } else {
                exp_comm[1] += comm;
                carol_num += (share - comm) * 333_333;
            }
        }
        carry = fees_in - credited;
        assert_eq!(
            bal(&chain, &fee_collector()),
            carry,
            "dust stays in the fee collector"
        );
    }
    let (exp_bob, exp_carol) = (bob_num / t_ent1, carol_num / t_reg1);
    let snap = chain.app.snapshot().unwrap();
    let got_bob = fructus_staking::rewards::pending(&snap, &bob, &ent1).unwrap() - start_pending[0];
    let got_carol =
        fructus_staking::rewards::pending(&snap, &carol, &reg1).unwrap() - start_pending[1];
    // The accumulator keeps its remainder; only the floors of the two
    // pending readings differ from the exact figure (by at most one unit).
    assert!(got_bob.abs_diff(exp_bob) <= 1, "{got_bob} vs {exp_bob}");
    assert!(
        got_carol.abs_diff(exp_carol) <= 1,
        "{got_carol} vs {exp_carol}"
    );
    assert!(exp_bob > 1_000 && exp_carol > 100);
    assert_eq!(
        snap.validator(&ent1).unwrap().unwrap().commission_owed - start_commission[0],
        exp_comm[0]
    );
    assert_eq!(
        snap.validator(&reg1).unwrap().unwrap().commission_owed - start_commission[1],
        exp_comm[1]
    );
    drop(snap);
    // Withdrawal pays exactly the pending amount (and the commission to
    // the operator).
    let pending = query::pending_rewards(&chain.app.snapshot().unwrap(), &bob).unwrap();
    let before = bal(&chain, &bob);
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_withdraw_rewards(&ent1),
    ));
    // (This block's own fee was distributed at its end; bob's pending
    // reading was taken before it, so compare to the pre-block figure.)
    assert_eq!(bal(&chain, &bob), before - fee() + pending.total);
    // Someone with no delegation and no validator is refused.
    let r = send(&mut chain, "alice", msgs::staking_withdraw_rewards(&ent1));
    assert_code(&r, "staking", fructus_staking::StakingError::NO_DELEGATION);
}

#[test]
fn double_signing_slashes_bonded_and_later_unbonding_stake_and_tombstones() {
    let mut chain = chain_with(&[("reg1", 1_000_000), ("ent1", 1_000_000)]);
    let ent1 = addr_of("ent1");
    let bob = chain.addr("bob");
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_delegate(&ent1, 1_000_000),
    ));
    // An entry from before the infraction, then the infraction height,
    // then an entry from after it.
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_undelegate(&ent1, 100_000),
    ));
    chain.block(vec![]);
    let infraction = chain.app.height().unwrap() + 1;
    chain.block(vec![]);
    assert_ok(&send(
        &mut chain,
        "bob",
        msgs::staking_undelegate(&ent1, 200_000),
    ));
    let supply = chain.supply("ufrx");
    let tokens = validator(&chain, "ent1").tokens;
    assert_eq!(tokens, 1_700_000);
    // Evidence for an unknown key or from the future changes nothing.
    let stranger = cons("nobody").address();
    chain.block_with(
        vec![],
        None,
        vec![
            Evidence {
                validator: stranger,
                height: infraction,
            },
            Evidence {
                validator: cons("ent1").address(),
                height: 1_000,
            },
        ],
    );
    assert_eq!(chain.supply("ufrx"), supply);
    assert!(chain.block_events.is_empty(), "{:?}", chain.block_events);
    chain.block_with(
        vec![],
        None,
        vec![Evidence {
            validator: cons("ent1").address(),
            height: infraction,
        }],
    );
    let v = validator(&chain, "ent1");
    assert!(v.tombstoned);
    let slash = &chain.block_events[0];
    assert_eq!(slash.kind, "staking.double_sign_slashed");
    assert_eq!(
        slash.get("consensus_address"),
        Some(cons("ent1").address().to_string().as_str())
    );
    assert_eq!(slash.get("burned"), Some("950000"));
    assert_eq!(v.tokens, 850_000);
    let entries = query::unbonding(&chain.app.snapshot().unwrap(), &bob).unwrap();
    let balances: Vec<(u128, u128)> = entries.iter().map(|e| (e.initial, e.balance)).collect();
    assert_eq!(balances, vec![(100_000, 100_000), (200_000, 100_000)]);
    // Burned: 850,000 bonded + 100,000 unbonding.
    assert_eq!(chain.supply("ufrx"), supply - 950_000);
    assert_eq!(bal(&chain, &bonded_pool()), 1_000_000 + 850_000);
    assert_eq!(bal(&chain, &unbonding_pool()), 200_000);
    assert!(!in_set(&chain, "ent1"));
    // The same evidence again changes nothing; a tombstone is for good.
    chain.block_with(
        vec![],
        None,
        vec![Evidence {
            validator: cons("ent1").address(),
            height: infraction,
        }],
    );
    assert_eq!(validator(&chain, "ent1").tokens, 850_000);
    assert!(
        chain
            .block_events
            .iter()
            .all(|e| e.kind != "staking.double_sign_slashed")
    );
    assert_code(
        &send(&mut chain, "ent1", msgs::staking_unjail()),
        "staking",
        fructus_staking::StakingError::TOMBSTONED,
    );
    assert_code(
        &send(&mut chain, "bob", msgs::staking_delegate(&ent1, 10)),
        "staking",
        fructus_staking::StakingError::TOMBSTONED,
    );
    // Delegators still get their (slashed) stake back.
    let dels = query::delegations(&chain.app.snapshot().unwrap(), &bob).unwrap();
    assert_eq!(dels[0].tokens, 350_000);
}

fn commit_by(chain: &TestChain, names: &[&str]) -> Option<LastCommit> {
    Some(LastCommit {
        height: chain.app.height().unwrap(),
        signers: names.iter().map(|n| cons(n).address()).collect(),
    })
}

#[test]
fn downtime_jails_and_unjail_waits_for_the_jail_period() {
    let mut chain = chain_with(&[("reg1", 1_000_000), ("ent1", 1_000_000)]);
    let p = params();
    // Both sign a full window; a block without commit data counts nothing.
    for _ in 0..p.signed_blocks_window {
        let c = commit_by(&chain, &["reg1", "ent1"]);
        chain.block_with(vec![], c, vec![]);
    }
    chain.block(vec![]);
    // A commit for the wrong height is ignored.
    let mut wrong = commit_by(&chain, &["reg1"]).unwrap();
    wrong.height -= 1;
    chain.block_with(vec![], Some(wrong), vec![]);
    assert_eq!(
        chain
            .app
            .snapshot()
            .unwrap()
            .signing_info(&addr_of("ent1"))
            .unwrap()
            .missed,
        0
    );
    // Now ent1 stops signing: with a window of 10 and 50 % required it is
    // jailed once it has missed 6 of the last 10 blocks.
    let mut missed = 0;
    while validator(&chain, "ent1").jailed_until.is_none() {
        let c = commit_by(&chain, &["reg1"]);
        chain.block_with(vec![], c, vec![]);
        missed += 1;
        assert!(missed <= 6, "not jailed after {missed} misses");
        if validator(&chain, "ent1").jailed_until.is_none() {
            assert!(
                chain
                    .block_events
                    .iter()
                    .all(|e| e.kind != "staking.jailed"),
                "{:?}",
                chain.block_events
            );
        }
    }
    assert_eq!(missed, 6);
    let jailed_at = chain.app.height().unwrap();
    // The jailing is reported as the block's event.
    let jail = chain
        .block_events
        .iter()
        .find(|e| e.kind == "staking.jailed")
        .unwrap_or_else(|| panic!("no staking.jailed in {:?}", chain.block_events));
    assert_eq!(
        jail.get("operator"),
        Some(addr_of("ent1").to_string().as_str())
    );
    assert_eq!(jail.get("reason"), Some("downtime"));
    assert_eq!(
        jail.get("jailed_until"),
        Some((jailed_at + p.jail_blocks).to_string().as_str())
    );
    let v = validator(&chain, "ent1");
    assert_eq!(v.jailed_until, Some(jailed_at + p.jail_blocks));
    assert_eq!(v.tokens, 900_000);
    assert!(!in_set(&chain, "ent1"));
    assert!(in_set(&chain, "reg1"));
    // Too early.
    let r = send(&mut chain, "ent1", msgs::staking_unjail());
    assert_code(&r, "staking", fructus_staking::StakingError::STILL_JAILED);
    // Not jailed at all.
    let r = send(&mut chain, "reg1", msgs::staking_unjail());
    assert_code(&r, "staking", fructus_staking::StakingError::NOT_JAILED);
    while chain.app.height().unwrap() + 1 < jailed_at + p.jail_blocks {
        chain.block(vec![]);
    }
    let r = send(&mut chain, "ent1", msgs::staking_unjail());
    assert_ok(&r);
    assert!(in_set(&chain, "ent1"));
    assert_eq!(
        chain
            .app
            .snapshot()
            .unwrap()
            .signing_info(&addr_of("ent1"))
            .unwrap()
            .missed,
        0
    );
}

#[test]
fn genesis_validators_pass_the_create_validator_checks() {
    // bob is an individual: the genesis is refused like the transaction.
    let mut g = staking_genesis(&[]);
    fructus_test_utils::add_genesis_validator(&mut g, "bob", cons("bob"), 1_000);
    let dir = tempfile::tempdir().unwrap();
    let mut app =
        fructus_app::App::new(fructus_storage::Storage::open(dir.path()).unwrap()).unwrap();
    let err = app.init_genesis(&g).unwrap_err().to_string();
    assert!(err.contains("staking.validators[0]"), "{err}");
    assert!(err.contains("individual"), "{err}");
    // More than the operator holds is refused by bank.
    let mut g = staking_genesis(&[]);
    fructus_test_utils::add_genesis_validator(&mut g, "ent1", cons("ent1"), INITIAL_UFRX + 1);
    let dir = tempfile::tempdir().unwrap();
    let mut app =
        fructus_app::App::new(fructus_storage::Storage::open(dir.path()).unwrap()).unwrap();
    assert!(app.init_genesis(&g).is_err());
    // A valid one is the set of height 1.
    let chain = chain_with(&[("reg1", 5), ("ent1", 5)]);
    let s = set(&chain);
    assert_eq!(s.len(), 2);
    assert_eq!(s.iter().map(|v| v.power).sum::<u64>(), TOTAL_POWER);
}

/// One random step of the model-based test.
#[derive(Debug, Clone)]
enum Op {
    Delegate(usize, usize, u128),
    Undelegate(usize, usize, u128),
    Redelegate(usize, usize, usize, u128),
    Withdraw(usize, usize),
    Transfer(usize),
    DoubleSign(usize),
    Offline(usize),
    Empty,
}

const DELEGATORS: [&str; 3] = ["bob", "carol", "alice"];
const VALIDATORS: [&str; 3] = ["reg1", "ent1", "ent2"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..3usize, 1u128..2_000_000).prop_map(|(d, v, a)| Op::Delegate(d, v, a)),
        3 => (0..3usize, 0..3usize, 1u128..1_000_000).prop_map(|(d, v, a)| Op::Undelegate(d, v, a)),
        2 => (0..3usize, 0..3usize, 0..3usize, 1u128..1_000_000)
            .prop_map(|(d, s, t, a)| Op::Redelegate(d, s, t, a)),
        2 => (0..3usize, 0..3usize).prop_map(|(d, v)| Op::Withdraw(d, v)),
        3 => (0..3usize).prop_map(Op::Transfer),
        1 => (0..3usize).prop_map(Op::DoubleSign),
        2 => (0..3usize).prop_map(Op::Offline),
        2 => Just(Op::Empty),
    ]
}

/// Every account that can hold ufrx in this test.
fn holders(chain: &TestChain) -> Vec<Address> {
    let mut all: Vec<Address> = ["alice", "bob", "carol", "dave", REGULATOR]
        .iter()
        .map(|n| chain.addr(n))
        .chain(OPERATORS.iter().map(|n| addr_of(n)))
        .collect();
    all.extend([
        bonded_pool(),
        unbonding_pool(),
        rewards_pool(),
        fee_collector(),
    ]);
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Whatever happens: ufrx in accounts, pools and the fee collector
    /// sums to the supply; the supply only shrinks by slashing; the bonded
    /// pool holds exactly the validators' tokens and the unbonding pool
    /// the entries' balances; rewards owed never exceed the rewards pool;
    /// fees collected are either still in the fee collector or in the
    /// rewards pool or paid out — never more.
    #[test]
    fn stake_is_conserved_and_rewards_never_exceed_fees(ops in proptest::collection::vec(op(), 1..40)) {
        let mut chain = chain_with(&[("reg1", 2_000_000), ("ent1", 1_000_000), ("ent2", 500_000)]);
        let start_supply = chain.supply("ufrx");
        let mut fees_collected: u128 = 0;
        let mut burned_blocks: u128 = 0;
        for op in ops {
            let supply_before = chain.supply("ufrx");
            let signers: Vec<&str> = VALIDATORS.to_vec();
            let mut commit = commit_by(&chain, &signers);
            let mut evidence = Vec::new();
            let tx = match op {
                Op::Delegate(d, v, a) => Some((DELEGATORS[d], msgs::staking_delegate(&addr_of(VALIDATORS[v]), a))),
                Op::Undelegate(d, v, a) => Some((DELEGATORS[d], msgs::staking_undelegate(&addr_of(VALIDATORS[v]), a))),
                Op::Redelegate(d, s, t, a) => Some((DELEGATORS[d], msgs::staking_redelegate(&addr_of(VALIDATORS[s]), &addr_of(VALIDATORS[t]), a))),
                Op::Withdraw(d, v) => Some((DELEGATORS[d], msgs::staking_withdraw_rewards(&addr_of(VALIDATORS[v])))),
                Op::Transfer(d) => Some((DELEGATORS[d], msgs::send(&chain.addr("dave"), &fructus_test_utils::coins("5ufrx")))),
                Op::DoubleSign(v) => {
                    evidence.push(Evidence { validator: cons(VALIDATORS[v]).address(), height: chain.app.height().unwrap() });
                    None
                }
                Op::Offline(v) => {
                    commit = commit_by(&chain, &signers.iter().copied().filter(|n| *n != VALIDATORS[v]).collect::<Vec<_>>());
                    None
                }
                Op::Empty => None,
            };
            let txs = match tx {
                Some((name, m)) => {
                    fees_collected += fee();
                    vec![chain.tx(name).message(m).sign(chain.key(name))]
                }
                None => vec![],
            };
            chain.block_with(txs, commit, evidence);
            let supply = chain.supply("ufrx");
            prop_assert!(supply <= supply_before);
            burned_blocks += supply_before - supply;

            let snap = chain.app.snapshot().unwrap();
            let held: u128 = holders(&chain)
                .iter()
                .map(|a| snap.balance(a, &Denom::native()).unwrap().value())
                .sum();
            prop_assert_eq!(held, supply);
            prop_assert_eq!(supply, start_supply - burned_blocks);
            let validators = snap.validators().unwrap();
            let tokens: u128 = validators.iter().map(|v| v.tokens).sum();
            prop_assert_eq!(snap.balance(&bonded_pool(), &Denom::native()).unwrap().value(), tokens);
            let unbonding: u128 = DELEGATORS
                .iter()
                .map(|n| chain.addr(n))
                .chain(VALIDATORS.iter().map(|n| addr_of(n)))
                .flat_map(|a| snap.unbondings_of(&a, 100).unwrap())
                .map(|e| e.balance)
                .sum();
            prop_assert_eq!(snap.balance(&unbonding_pool(), &Denom::native()).unwrap().value(), unbonding);
            // Solvency: what is owed fits in the rewards pool.
            let mut owed: u128 = validators.iter().map(|v| v.commission_owed).sum();
            for d in DELEGATORS.iter().map(|n| chain.addr(n)).chain(VALIDATORS.iter().map(|n| addr_of(n))) {
                owed += query::pending_rewards(&snap, &d).unwrap().total;
            }
            let pool = snap.balance(&rewards_pool(), &Denom::native()).unwrap().value();
            prop_assert!(owed <= pool, "owed {} > pool {}", owed, pool);
            // Fees: collector + pool ≤ collected, and the difference is
            // exactly what was paid out to accounts.
            let collector = snap.balance(&fee_collector(), &Denom::native()).unwrap().value();
            prop_assert!(collector + pool <= fees_collected);
        }
    }
}

/// The ramp of the ramp test: the shortest allowed for a window of 10.
const RAMP_BLOCKS: u64 = 3 * (10 + 2);

fn power_of(chain: &TestChain, name: &str) -> u64 {
    set(chain)
        .iter()
        .find(|v| v.public_key == cons(name))
        .map_or(0, |v| v.power)
}

#[test]
fn a_joining_enterprise_ramps_in_and_never_holds_a_third_before_downtime_jails_it() {
    let mut g = staking_genesis(&[("reg1", 1_000_000)]);
    g.app_state.staking.params.power_ramp_blocks = RAMP_BLOCKS;
    let mut chain = TestChain::with_genesis(g);
    for name in OPERATORS {
        chain.add_key(name, key_for(name, KeyAlgo::Ed25519));
    }
    let max_move = TOTAL_POWER / RAMP_BLOCKS;
    // ent1 bonds as much as reg1 (its target: the whole enterprise share,
    // 66 %) but its node never signs.
    let tx = create_tx(&chain, "ent1", 1_000_000);
    let c = commit_by(&chain, &["reg1"]);
    assert_ok(&chain.block_with(vec![tx], c, vec![])[0]);
    let mut joined = false;
    for _ in 0..RAMP_BLOCKS {
        let total: u64 = set(&chain).iter().map(|v| v.power).sum();
        let ent1 = power_of(&chain, "ent1");
        joined |= ent1 > 0;
        assert!(
            ent1 * 3 < total,
            "ent1 holds {ent1} of {total}: a third or more"
        );
        if joined && ent1 == 0 {
            break;
        }
        let c = commit_by(&chain, &["reg1"]);
        chain.block_with(vec![], c, vec![]);
    }
    assert!(joined);
    assert!(validator(&chain, "ent1").jailed_until.is_some());
    assert!(!in_set(&chain, "ent1"));
    // ent2 signs: it ramps in by at most `max_move` a block and reaches the
    // enterprises' whole share within the ramp.
    let tx = create_tx(&chain, "ent2", 1_000_000);
    let c = commit_by(&chain, &["reg1"]);
    assert_ok(&chain.block_with(vec![tx], c, vec![])[0]);
    let mut last = 0;
    for _ in 0..=RAMP_BLOCKS {
        let now = power_of(&chain, "ent2");
        assert!(now - last <= max_move, "{last} -> {now}");
        last = now;
        let c = commit_by(&chain, &["reg1", "ent2"]);
        chain.block_with(vec![], c, vec![]);
    }
    assert_eq!(power_of(&chain, "ent2"), 660_000_000);
    assert_eq!(power_of(&chain, "reg1"), 340_000_000);
}
