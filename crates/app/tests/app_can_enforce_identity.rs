//! Identity through the real app: KYC attestations, regulator-only powers,
//! frozen accounts, KYC-only denoms and the KYC gate on asset classes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_client::tx::msgs;
use fructus_identity::{IdentityStateReadExt, Tier};
use fructus_test_utils::{REGULATOR, TestChain, assert_code, assert_ok, coin, coins};

/// The fixture chain with the regulator funded for fees.
fn chain() -> TestChain {
    let mut chain = TestChain::new();
    let reg = chain.addr(REGULATOR);
    let tx = chain
        .tx("bob")
        .message(msgs::send(&reg, &coins("10000000ufrx")))
        .sign(chain.key("bob"));
    assert_ok(&chain.run(tx));
    chain
}

fn tier(chain: &TestChain, name: &str) -> Tier {
    let snap = chain.app.snapshot().unwrap();
    let (h, t) = (
        chain.app.height().unwrap(),
        fructus_types::BlockTime(u64::MAX / 2),
    );
    snap.tier(&chain.addr(name), h, t).unwrap()
}

#[test]
fn regulator_attests_and_only_regulators_do() {
    let mut chain = chain();
    let carol = chain.addr("carol");
    assert_eq!(tier(&chain, "alice"), Tier::Enterprise);
    assert_eq!(tier(&chain, "carol"), Tier::Individual);
    // bob is no regulator nor accredited provider.
    let tx = chain
        .tx("bob")
        .message(msgs::identity_attest_kyc(&carol, 3, 0, 0, [7; 32]))
        .sign(chain.key("bob"));
    assert_code(
        &chain.run(tx),
        "identity",
        fructus_identity::IdentityError::NOT_ATTESTER,
    );
    assert_eq!(tier(&chain, "carol"), Tier::Individual);
    let tx = chain
        .tx(REGULATOR)
        .message(msgs::identity_attest_kyc(&carol, 3, 0, 0, [7; 32]))
        .sign(chain.key(REGULATOR));
    assert_ok(&chain.run(tx));
    assert_eq!(tier(&chain, "carol"), Tier::Enterprise);
    // An attestation that expires at the next height stops counting.
    let dave = chain.addr("dave");
    let h = chain.app.height().unwrap();
    let tx = chain
        .tx(REGULATOR)
        .message(msgs::identity_attest_kyc(&dave, 3, h + 1, 0, [8; 32]))
        .sign(chain.key(REGULATOR));
    assert_ok(&chain.run(tx));
    assert_eq!(tier(&chain, "dave"), Tier::Enterprise);
    chain.block(vec![]);
    assert_eq!(tier(&chain, "dave"), Tier::Individual);
}

#[test]
fn a_frozen_account_signs_nothing_and_pays_nothing() {
    let mut chain = chain();
    let (carol, bob) = (chain.addr("carol"), chain.addr("bob"));
    let tx = chain
        .tx("bob")
        .message(msgs::identity_freeze(&carol, "court order 12"))
        .sign(chain.key("bob"));
    assert_code(
        &chain.run(tx),
        "identity",
        fructus_identity::IdentityError::NOT_REGULATOR,
    );
    let tx = chain
        .tx(REGULATOR)
        .message(msgs::identity_freeze(&carol, "court order 12"))
        .sign(chain.key(REGULATOR));
    let r = chain.run(tx);
    assert_ok(&r);
    let freeze = r
        .events
        .iter()
        .find(|e| e.kind == "identity.freeze")
        .unwrap();
    assert_eq!(freeze.get("reason"), Some("court order 12"));
    let before = chain.balance(&carol, "ufrx");
    let tx = chain
        .tx("carol")
        .message(msgs::send(&bob, &coins("1ufrx")))
        .sign(chain.key("carol"));
    let r = chain.run(tx);
    assert_code(
        &r,
        "identity",
        fructus_identity::IdentityError::ACCOUNT_FROZEN,
    );
    assert_eq!(chain.balance(&carol, "ufrx"), before, "no fee charged");
    let tx = chain
        .tx(REGULATOR)
        .message(msgs::identity_unfreeze(&carol, "lifted"))
        .sign(chain.key(REGULATOR));
    assert_ok(&chain.run(tx));
    let tx = chain
        .tx("carol")
        .message(msgs::send(&bob, &coins("1ufrx")))
        .sign(chain.key("carol"));
    assert_ok(&chain.run(tx));
}

#[test]
fn kyc_only_denoms_reach_only_kycd_unfrozen_accounts() {
    let mut chain = chain();
    let (alice, bob, carol) = (chain.addr("alice"), chain.addr("bob"), chain.addr("carol"));
    let cbdc: fructus_types::Denom = "ucbdc".parse().unwrap();
    let tx = chain
        .tx("alice")
        .message(msgs::create_denom(&cbdc, "CBDC", 2, true))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    // bob is not KYC'd: no mint to him.
    let tx = chain
        .tx("alice")
        .message(msgs::mint(&coin("100ucbdc"), &bob))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::RECIPIENT_NOT_ALLOWED,
    );
    assert_eq!(chain.supply("ucbdc"), 0);
    // alice is; then she cannot send it on to bob either.
    let tx = chain
        .tx("alice")
        .message(msgs::mint(&coin("100ucbdc"), &alice))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("10ucbdc")))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::RECIPIENT_NOT_ALLOWED,
    );
    let tx = chain
        .tx("alice")
        .message(msgs::multi_send(&[(bob, coins("10ucbdc"))]))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::RECIPIENT_NOT_ALLOWED,
    );
    // Attested, bob can receive; frozen, carol cannot even when KYC'd.
    let tx = chain
        .tx(REGULATOR)
        .message(msgs::identity_attest_kyc(&bob, 1, 0, 0, [1; 32]))
        .message(msgs::identity_attest_kyc(&carol, 1, 0, 0, [2; 32]))
        .message(msgs::identity_freeze(&carol, "sanctions"))
        .sign(chain.key(REGULATOR));
    assert_ok(&chain.run(tx));
    let tx = chain
        .tx("alice")
        .message(msgs::send(&bob, &coins("10ucbdc")))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    assert_eq!(chain.balance(&bob, "ucbdc"), 10);
    let tx = chain
        .tx("alice")
        .message(msgs::send(&carol, &coins("10ucbdc")))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::RECIPIENT_NOT_ALLOWED,
    );
    assert_eq!(chain.balance(&carol, "ucbdc"), 0);
    // Ordinary denoms are unaffected.
    let tx = chain
        .tx("alice")
        .message(msgs::send(&carol, &coins("10ufrx")))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
}

#[test]
fn only_kycd_enterprises_create_asset_classes() {
    let mut chain = chain();
    let class = || {
        msgs::asset_create_class(
            "Chiller",
            "Acme",
            "C-1",
            "cooling-kWh",
            "https://acme.example/c1",
            [3; 32],
            &[],
        )
    };
    let tx = chain.tx("bob").message(class()).sign(chain.key("bob"));
    assert_code(
        &chain.run(tx),
        "asset",
        fructus_asset::AssetError::CLASS_CREATION_NOT_PERMITTED,
    );
    let tx = chain.tx("alice").message(class()).sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
}
