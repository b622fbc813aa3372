//! One compliance gate for every transfer: a `kyc_only` denom reaches no
//! account that is not KYC'd or is frozen, whether a user sends it or a
//! module pays it out (asset income deposits and claims, metering payments,
//! staking rewards); module accounts (escrows) hold it on others' behalf.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_asset::{AssetStateReadExt, income_escrow};
use fructus_client::{metering::ContractTerms, tx::msgs};
use fructus_crypto::KeyAlgo;
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{
    REGULATOR, TestChain, add_genesis_validator, assert_code, assert_ok, coin, coins, genesis,
    key_for,
    metering::{Metered, exec as mexec},
};
use fructus_types::Denom;

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

/// The regulator funded for fees, and `ucbdc` (kyc_only) issued by alice
/// (a KYC'd enterprise) to herself.
fn with_cbdc(chain: &mut TestChain) {
    let reg = chain.addr(REGULATOR);
    assert_ok(&exec(
        chain,
        "bob",
        msgs::send(&reg, &coins("10000000ufrx")),
    ));
    let cbdc: Denom = "ucbdc".parse().unwrap();
    let alice = chain.addr("alice");
    assert_ok(&exec(
        chain,
        "alice",
        msgs::create_denom(&cbdc, "CBDC", 2, true),
    ));
    assert_ok(&exec(
        chain,
        "alice",
        msgs::mint(&coin("1000000000ucbdc"), &alice),
    ));
}

fn pending(chain: &TestChain, asset_id: u64, name: &str, denom: &str) -> u128 {
    let snap = chain.app.snapshot().unwrap();
    snap.pending_income(asset_id, &chain.addr(name))
        .unwrap()
        .iter()
        .find(|c| c.denom.as_str() == denom)
        .map_or(0, |c| c.amount.value())
}

/// Alice's class and asset 1 (owner `owner`, not fractionalized).
fn asset_of(chain: &mut TestChain, owner: &str) {
    assert_ok(&exec(
        chain,
        "alice",
        msgs::asset_create_class("Chiller", "Acme", "C-1", "kWh", "ipfs://c1", [1; 32], &[]),
    ));
    let owner = chain.addr(owner);
    assert_ok(&exec(
        chain,
        "alice",
        msgs::asset_mint(1, "C-1-1", "", Vec::new(), Some(&owner)),
    ));
}

#[test]
fn deposit_income_of_a_kyc_only_denom_never_pays_an_ineligible_owner() {
    let mut chain = TestChain::new();
    with_cbdc(&mut chain);
    asset_of(&mut chain, "bob");
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    // The audit's case: bob is not KYC'd; the deposit used to pay him.
    let r = exec(
        &mut chain,
        "alice",
        msgs::asset_deposit_income(1, &coin("5000ucbdc")),
    );
    assert_code(&r, "bank", fructus_bank::BankError::RECIPIENT_NOT_ALLOWED);
    assert_eq!(chain.balance(&bob, "ucbdc"), 0);
    assert_eq!(chain.balance(&income_escrow(1), "ucbdc"), 0);
    assert_eq!(chain.balance(&alice, "ucbdc"), 1_000_000_000);
    // KYC'd, bob is paid; frozen, he is not any more.
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::identity_attest_kyc(&bob, 1, 0, 0, [2; 32]),
    ));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_deposit_income(1, &coin("5000ucbdc")),
    ));
    assert_eq!(chain.balance(&bob, "ucbdc"), 5_000);
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::identity_freeze(&bob, "sanctions"),
    ));
    let r = exec(
        &mut chain,
        "alice",
        msgs::asset_deposit_income(1, &coin("5000ucbdc")),
    );
    assert_code(&r, "bank", fructus_bank::BankError::RECIPIENT_NOT_ALLOWED);
    assert_eq!(chain.balance(&bob, "ucbdc"), 5_000);
    // Other denoms still reach a frozen owner (a freeze immobilizes what
    // he holds; it does not redirect what he is owed).
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_deposit_income(1, &coin("700ufrx")),
    ));
}

#[test]
fn income_claims_withhold_a_kyc_only_denom_from_an_ineligible_holder() {
    let mut chain = TestChain::new();
    with_cbdc(&mut chain);
    asset_of(&mut chain, "alice");
    let bob = chain.addr("bob");
    assert_ok(&exec(&mut chain, "alice", msgs::asset_fractionalize(1, 0)));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("3000share/1")),
    ));
    // Deposits into the escrow (a module account) are admitted, and the
    // income accrues to every share, bob's included.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_deposit_income(1, &coin("1000ucbdc")),
    ));
    assert_eq!(chain.balance(&income_escrow(1), "ucbdc"), 1_000);
    assert_eq!(pending(&chain, 1, "bob", "ucbdc"), 300);
    // Bob's claim pays nothing: refused with a typed error, nothing moves.
    let r = exec(&mut chain, "bob", msgs::asset_claim_income(&[1]));
    assert_code(&r, "asset", fructus_asset::AssetError::INCOME_WITHHELD);
    assert_eq!(chain.balance(&bob, "ucbdc"), 0);
    assert_eq!(pending(&chain, 1, "bob", "ucbdc"), 300);
    // With ufrx income too, the claim pays the ufrx and reports the rest.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_deposit_income(1, &coin("1000ufrx")),
    ));
    let r = exec(&mut chain, "bob", msgs::asset_claim_income(&[1]));
    assert_ok(&r);
    let amount = |kind: &str| {
        r.events
            .iter()
            .find(|e| e.kind == kind)
            .and_then(|e| e.get("amount"))
            .unwrap()
            .to_owned()
    };
    assert_eq!(amount("asset.income_claimed"), "300ufrx");
    assert_eq!(amount("asset.income_withheld"), "300ucbdc");
    assert_eq!(pending(&chain, 1, "bob", "ufrx"), 0);
    assert_eq!(pending(&chain, 1, "bob", "ucbdc"), 300);
    // Once KYC'd, the withheld income is paid in full.
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::identity_attest_kyc(&bob, 1, 0, 0, [2; 32]),
    ));
    assert_ok(&exec(&mut chain, "bob", msgs::asset_claim_income(&[1])));
    assert_eq!(chain.balance(&bob, "ucbdc"), 300);
    assert_ok(&exec(&mut chain, "alice", msgs::asset_claim_income(&[1])));
    assert_eq!(chain.balance(&income_escrow(1), "ucbdc"), 0);
}

#[test]
fn metering_payments_in_a_kyc_only_denom_never_reach_an_ineligible_maintainer() {
    let mut f = Metered::new();
    with_cbdc(&mut f.chain);
    let (carol, dave) = (f.chain.addr("carol"), f.chain.addr("dave"));
    // Dave, the customer, is KYC'd and funded; carol, the maintainer, is not.
    assert_ok(&mexec(
        &mut f.chain,
        REGULATOR,
        msgs::identity_attest_kyc(&dave, 1, 0, 0, [3; 32]),
    ));
    assert_ok(&mexec(
        &mut f.chain,
        "alice",
        msgs::send(&dave, &coins("1000000ucbdc")),
    ));
    let mut terms = ContractTerms::prepaid(coin("3ucbdc"), 2);
    terms.maintainer = Some(carol);
    terms.maintainer_bps = 1_000;
    terms.platform_bps = 200;
    // The deposit enters the contract's escrow (a module account).
    f.contract(&terms, Some("100000ucbdc"));
    let results: Vec<TxResult> = [100, 200].into_iter().map(|c| f.read(c)).collect();
    let last = results.last().unwrap();
    assert_code(last, "bank", fructus_bank::BankError::RECIPIENT_NOT_ALLOWED);
    assert_eq!(f.chain.balance(&carol, "ucbdc"), 0);
    // KYC'd, carol is paid her 10 %.
    assert_ok(&mexec(
        &mut f.chain,
        REGULATOR,
        msgs::identity_attest_kyc(&carol, 1, 0, 0, [4; 32]),
    ));
    assert_ok(&f.read(300));
    assert!(f.chain.balance(&carol, "ucbdc") > 0);
}

#[test]
fn a_frozen_delegators_rewards_stay_accrued_and_blocks_go_on() {
    let mut g = genesis();
    add_genesis_validator(
        &mut g,
        "alice",
        key_for("alice/consensus", KeyAlgo::Ed25519).public_key(),
        1_000_000,
    );
    let mut chain = TestChain::with_genesis(g);
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let reg = chain.addr(REGULATOR);
    assert_ok(&exec(
        &mut chain,
        "carol",
        msgs::send(&reg, &coins("10000000ufrx")),
    ));
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::staking_delegate(&alice, 1_000_000),
    ));
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::identity_freeze(&bob, "sanctions"),
    ));
    // Fees keep flowing to the validator and its delegators; every block
    // commits.
    for _ in 0..3 {
        assert_ok(&exec(
            &mut chain,
            "carol",
            msgs::send(&alice, &coins("1ufrx")),
        ));
    }
    let owed = {
        let snap = chain.app.snapshot().unwrap();
        fructus_staking::rewards::pending(&snap, &bob, &alice).unwrap()
    };
    assert!(owed > 0);
    // Frozen, bob signs nothing (not even a withdrawal).
    let r = exec(&mut chain, "bob", msgs::staking_withdraw_rewards(&alice));
    assert_code(
        &r,
        "identity",
        fructus_identity::IdentityError::ACCOUNT_FROZEN,
    );
    assert_ok(&exec(
        &mut chain,
        REGULATOR,
        msgs::identity_unfreeze(&bob, "cleared"),
    ));
    // Unfrozen, bob withdraws everything that accrued meanwhile.
    let builder = chain
        .tx("bob")
        .message(msgs::staking_withdraw_rewards(&alice));
    let fee = builder.effective_fee().amount.value();
    let tx = builder.sign(chain.key("bob"));
    let before = chain.balance(&bob, "ufrx");
    assert_ok(&chain.run(tx));
    assert!(chain.balance(&bob, "ufrx") + fee >= before + owed);
}
