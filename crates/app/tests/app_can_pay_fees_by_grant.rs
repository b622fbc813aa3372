//! Fee grants: a granter pays a grantee's fees within limit, expiry and
//! allowed message kinds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_auth::AuthStateReadExt;
use fructus_client::tx::{default_fee, msgs};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_test_utils::{INITIAL_UFRX, TestChain, assert_code, assert_ok, coin, coins};

/// A device key with no funds, and alice granting it `limit`.
fn chain_with_grant(limit: &str, expiry: u64, allowed: &[&str]) -> TestChain {
    let mut chain = TestChain::new();
    chain.add_key(
        "device",
        SigningKey::from_seed(KeyAlgo::P256, &[42; 32]).unwrap(),
    );
    let device = chain.addr("device");
    let allowed: Vec<String> = allowed.iter().map(|s| (*s).to_owned()).collect();
    let tx = chain
        .tx("alice")
        .message(msgs::grant_fee(&device, &coins(limit), expiry, &allowed))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    // Give the device something to send (not to pay fees with).
    let tx = chain
        .tx("bob")
        .message(msgs::send(&device, &coins("1000ufrx")))
        .sign(chain.key("bob"));
    assert_ok(&chain.run(tx));
    chain
}

#[test]
fn grant_pays_within_its_limit_then_refuses() {
    let fee = default_fee(200_000).amount.value();
    let mut chain = chain_with_grant(&format!("{}ufrx", fee * 2), 0, &[]);
    let (alice, device, carol) = (
        chain.addr("alice"),
        chain.addr("device"),
        chain.addr("carol"),
    );
    let alice_before = chain.balance(&alice, "ufrx");
    for _ in 0..2 {
        let tx = chain
            .tx("device")
            .payer(alice)
            .message(msgs::send(&carol, &coins("10ufrx")))
            .sign(chain.key("device"));
        assert_ok(&chain.run(tx));
    }
    assert_eq!(chain.balance(&alice, "ufrx"), alice_before - 2 * fee);
    assert_eq!(
        chain.balance(&device, "ufrx"),
        1000 - 20,
        "device paid no fee"
    );
    let tx = chain
        .tx("device")
        .payer(alice)
        .message(msgs::send(&carol, &coins("10ufrx")))
        .sign(chain.key("device"));
    let r = chain.run(tx);
    assert_code(&r, "auth", fructus_auth::AuthError::GRANT_LIMIT_EXCEEDED);
    assert_eq!(chain.balance(&alice, "ufrx"), alice_before - 2 * fee);
    assert_eq!(chain.balance(&carol, "ufrx"), INITIAL_UFRX + 20);
    let grant = chain
        .app
        .snapshot()
        .unwrap()
        .fee_grant(&alice, &device)
        .unwrap()
        .unwrap();
    assert!(grant.remaining.is_empty());
}

#[test]
fn grant_refuses_disallowed_message_kinds() {
    let mut chain = chain_with_grant("1000000ufrx", 0, &["bank/send"]);
    let (alice, carol) = (chain.addr("alice"), chain.addr("carol"));
    let tx = chain
        .tx("device")
        .payer(alice)
        .message(msgs::multi_send(&[(carol, coins("1ufrx"))]))
        .sign(chain.key("device"));
    let r = chain.run(tx);
    assert_code(&r, "auth", fructus_auth::AuthError::MESSAGE_NOT_ALLOWED);
    assert!(r.log.contains("bank/multi_send"));
    let tx = chain
        .tx("device")
        .payer(alice)
        .message(msgs::send(&carol, &coins("1ufrx")))
        .sign(chain.key("device"));
    assert_ok(&chain.run(tx));
}

#[test]
fn expired_missing_and_revoked_grants_are_refused() {
    let mut chain = chain_with_grant("1000000ufrx", 3, &[]);
    let (alice, bob, carol) = (chain.addr("alice"), chain.addr("bob"), chain.addr("carol"));
    // No grant from bob.
    let tx = chain
        .tx("device")
        .payer(bob)
        .message(msgs::send(&carol, &coins("1ufrx")))
        .sign(chain.key("device"));
    assert_code(
        &chain.run(tx),
        "auth",
        fructus_auth::AuthError::GRANT_NOT_FOUND,
    );
    // Height 4 > expiry 3.
    let tx = chain
        .tx("device")
        .payer(alice)
        .message(msgs::send(&carol, &coins("1ufrx")))
        .sign(chain.key("device"));
    assert_code(
        &chain.run(tx),
        "auth",
        fructus_auth::AuthError::GRANT_EXPIRED,
    );
    // Revoke, then a fresh grant is gone.
    let device = chain.addr("device");
    let tx = chain
        .tx("alice")
        .message(msgs::revoke_fee(&device))
        .sign(chain.key("alice"));
    assert_ok(&chain.run(tx));
    assert!(
        chain
            .app
            .snapshot()
            .unwrap()
            .fee_grant(&alice, &device)
            .unwrap()
            .is_none()
    );
    let tx = chain
        .tx("alice")
        .message(msgs::revoke_fee(&device))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "auth",
        fructus_auth::AuthError::GRANT_NOT_FOUND,
    );
}

#[test]
fn self_grant_and_bad_kinds_are_refused() {
    let mut chain = TestChain::new();
    let alice = chain.addr("alice");
    let tx = chain
        .tx("alice")
        .message(msgs::grant_fee(&alice, &coins("5ufrx"), 0, &[]))
        .sign(chain.key("alice"));
    assert_code(&chain.run(tx), "auth", fructus_auth::AuthError::SELF_GRANT);
    let bob = chain.addr("bob");
    let tx = chain
        .tx("alice")
        .message(msgs::grant_fee(
            &bob,
            &coins("5ufrx"),
            0,
            &["Not A Kind".into()],
        ))
        .sign(chain.key("alice"));
    assert_code(
        &chain.run(tx),
        "auth",
        fructus_auth::AuthError::INVALID_FIELD,
    );
    let _ = coin("1ufrx");
}
