//! Denoms with issuers: create, mint, burn, and the refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_bank::BankStateReadExt;
use fructus_client::tx::msgs;
use fructus_test_utils::{TestChain, assert_code, assert_ok, coin};

fn uusd() -> fructus_types::Denom {
    "uusd".parse().unwrap()
}

fn chain_with_uusd() -> TestChain {
    let mut chain = TestChain::new();
    let tx = chain
        .tx("alice")
        .message(msgs::create_denom(&uusd(), "USD", 6, false))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    chain
}

#[test]
fn issuer_mints_and_burns_and_supply_follows() {
    let mut chain = chain_with_uusd();
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    let meta = chain
        .app
        .snapshot()
        .unwrap()
        .denom_metadata(&uusd())
        .unwrap()
        .unwrap();
    assert_eq!(meta.issuer, Some(alice));
    let tx = chain
        .tx("alice")
        .message(msgs::mint(&coin("500uusd"), &bob))
        .message(msgs::mint(&coin("100uusd"), &alice))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    assert_eq!(chain.balance(&bob, "uusd"), 500);
    assert_eq!(chain.supply("uusd"), 600);
    let tx = chain
        .tx("alice")
        .message(msgs::burn(&coin("40uusd")))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    assert_eq!(chain.balance(&alice, "uusd"), 60);
    assert_eq!(chain.supply("uusd"), 560);
}

#[test]
fn mint_and_burn_by_non_issuer_are_refused() {
    let mut chain = chain_with_uusd();
    let bob = chain.addr("bob");
    let tx = chain
        .tx("bob")
        .message(msgs::mint(&coin("500uusd"), &bob))
        .sign(chain.key("bob"));
    let r = chain.run(tx);
    assert_code(&r, "bank", fructus_bank::BankError::NOT_ISSUER);
    assert!(r.log.contains("not the issuer"));
    assert_eq!(chain.supply("uusd"), 0);
    let tx = chain
        .tx("bob")
        .message(msgs::burn(&coin("1uusd")))
        .sign(chain.key("bob"));
    assert_code(&chain.run(tx), "bank", fructus_bank::BankError::NOT_ISSUER);
}

#[test]
fn native_and_duplicate_and_namespaced_denoms_are_refused() {
    let mut chain = chain_with_uusd();
    let bob = chain.addr("bob");
    let tx = chain
        .tx("bob")
        .message(msgs::create_denom(&uusd(), "USD", 6, false))
        .sign(chain.key("bob"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::DENOM_EXISTS,
    );
    let tx = chain
        .tx("bob")
        .message(msgs::create_denom(
            &"ufrx".parse().unwrap(),
            "FRX",
            6,
            false,
        ))
        .sign(chain.key("bob"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::RESERVED_DENOM,
    );
    let tx = chain
        .tx("bob")
        .message(msgs::create_denom(
            &"share/1".parse().unwrap(),
            "S",
            0,
            false,
        ))
        .sign(chain.key("bob"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::RESERVED_DENOM,
    );
    let tx = chain
        .tx("alice")
        .message(msgs::mint(&coin("1ufrx"), &bob))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::RESERVED_DENOM,
    );
    let tx = chain
        .tx("alice")
        .message(msgs::mint(&coin("1unknown"), &bob))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::DENOM_NOT_FOUND,
    );
    let tx = chain
        .tx("bob")
        .message(msgs::create_denom(
            &"ueur".parse().unwrap(),
            "EUR",
            19,
            false,
        ))
        .sign(chain.key("bob"));
    assert_code(
        &chain.run(tx),
        "bank",
        fructus_bank::BankError::INVALID_FIELD,
    );
}

#[test]
fn mint_past_u128_max_supply_is_refused() {
    let mut chain = chain_with_uusd();
    let alice = chain.addr("alice");
    let tx = chain
        .tx("alice")
        .message(msgs::mint(&coin(&format!("{}uusd", u128::MAX)), &alice))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    let tx = chain
        .tx("alice")
        .message(msgs::mint(&coin("1uusd"), &alice))
        .sign(chain.key("alice"));
    assert_code(&chain.run(tx), "bank", fructus_bank::BankError::OVERFLOW);
    assert_eq!(chain.supply("uusd"), u128::MAX);
}
