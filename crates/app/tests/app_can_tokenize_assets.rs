//! Asset classes, asset NFTs, managers, status, fractionalization into
//! shares and redemption, through real signed transactions; every refusal
//! has a typed code and changes nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_asset::{AssetStateReadExt, AssetStatus, share_denom};
use fructus_client::tx::msgs;
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{TestChain, assert_code, assert_ok, coins};

const SHA: [u8; 32] = [7; 32];

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

fn attr(result: &TxResult, kind: &str, key: &str) -> String {
    result
        .events
        .iter()
        .find(|e| e.kind == kind)
        .and_then(|e| e.get(key))
        .unwrap_or_else(|| panic!("no {kind}.{key} in {:?}", result.events))
        .to_owned()
}

fn create_class(chain: &mut TestChain, name: &str) -> u64 {
    let keys = [
        chain.key("alice").public_key(),
        chain.key("dave").public_key(),
    ];
    let r = exec(
        chain,
        name,
        msgs::asset_create_class(
            "CoolBox 5000",
            "Acme Cooling",
            "CB-5000",
            "cooling-kWh",
            "ipfs://bafy/coolbox",
            SHA,
            &keys,
        ),
    );
    assert_ok(&r);
    attr(&r, "asset.create_class", "class_id").parse().unwrap()
}

fn mint(chain: &mut TestChain, name: &str, class_id: u64, serial: &str) -> TxResult {
    let docs = vec![msgs::asset_document(
        "datasheet",
        SHA,
        "https://acme.example/ds.pdf",
    )];
    exec(
        chain,
        name,
        msgs::asset_mint(class_id, serial, "u33dc0", docs, None),
    )
}

#[test]
fn create_class_mint_and_refuse_duplicate_serials() {
    let mut chain = TestChain::new();
    let class_id = create_class(&mut chain, "alice");
    assert_eq!(class_id, 1);
    let snap = chain.app.snapshot().unwrap();
    let class = snap.asset_class(1).unwrap().unwrap();
    assert_eq!(class.creator, chain.addr("alice"));
    assert_eq!(class.unit, "cooling-kWh");
    assert_eq!(class.attestation_keys.len(), 2);

    let r = mint(&mut chain, "alice", class_id, "SN-0001");
    assert_ok(&r);
    assert_eq!(attr(&r, "asset.mint", "asset_id"), "1");
    let asset = chain.app.snapshot().unwrap().asset(1).unwrap().unwrap();
    assert_eq!(asset.owner, chain.addr("alice"));
    assert_eq!(asset.status, AssetStatus::Active);
    assert_eq!(asset.serial, "SN-0001");
    assert_eq!(asset.location.as_deref(), Some("u33dc0"));
    assert!(asset.fractionalized.is_none());

    // Same serial in the same class: refused, no asset 2.
    let r = mint(&mut chain, "alice", class_id, "SN-0001");
    assert_code(&r, "asset", fructus_asset::AssetError::DUPLICATE_SERIAL);
    assert!(chain.app.snapshot().unwrap().asset(2).unwrap().is_none());
    // The same serial in another class is fine.
    let other = create_class(&mut chain, "alice");
    assert_ok(&mint(&mut chain, "alice", other, "SN-0001"));

    let snap = chain.app.snapshot().unwrap();
    let owned = snap
        .assets_by_owner(&chain.addr("alice"), None, 10)
        .unwrap();
    assert_eq!(owned.iter().map(|a| a.id).collect::<Vec<_>>(), vec![1, 2]);
    let of_class = snap.assets_by_class(class_id, None, 10).unwrap();
    assert_eq!(of_class.iter().map(|a| a.id).collect::<Vec<_>>(), vec![1]);
}

#[test]
fn only_the_creator_or_an_authorized_manager_mints() {
    let mut chain = TestChain::new();
    let class_id = create_class(&mut chain, "alice");
    assert_code(
        &mint(&mut chain, "bob", class_id, "B-1"),
        "asset",
        fructus_asset::AssetError::NOT_MINTER,
    );
    // Only the creator authorizes managers.
    let bob = chain.addr("bob");
    let carol = chain.addr("carol");
    assert_code(
        &exec(
            &mut chain,
            "bob",
            msgs::asset_set_manager(class_id, &bob, true),
        ),
        "asset",
        fructus_asset::AssetError::NOT_CLASS_CREATOR,
    );
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_set_manager(class_id, &bob, true),
    ));
    let r = mint(&mut chain, "bob", class_id, "B-1");
    assert_ok(&r);
    let id: u64 = attr(&r, "asset.mint", "asset_id").parse().unwrap();
    assert_eq!(
        chain
            .app
            .snapshot()
            .unwrap()
            .asset(id)
            .unwrap()
            .unwrap()
            .owner,
        bob
    );
    // A manager may mint straight to a customer's account.
    let r = exec(
        &mut chain,
        "bob",
        msgs::asset_mint(class_id, "B-2", "", Vec::new(), Some(&carol)),
    );
    assert_ok(&r);
    // Revoked: refused again.
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_set_manager(class_id, &bob, false),
    ));
    assert_code(
        &mint(&mut chain, "bob", class_id, "B-3"),
        "asset",
        fructus_asset::AssetError::NOT_MINTER,
    );
    // Unknown class.
    assert_code(
        &mint(&mut chain, "alice", 99, "X"),
        "asset",
        fructus_asset::AssetError::CLASS_NOT_FOUND,
    );
}

#[test]
fn malformed_fields_are_refused_with_typed_codes() {
    let mut chain = TestChain::new();
    let class_id = create_class(&mut chain, "alice");
    let bad = |unit: &str, sha: Vec<u8>| {
        let mut m = msgs::asset_create_class("n", "m", "x", unit, "ipfs://x", SHA, &[]);
        if let Some(fructus_proto::tx::v1::message::Sum::AssetCreateClass(c)) = &mut m.sum {
            c.metadata_sha256 = sha.into();
        }
        m
    };
    assert_code(
        &exec(&mut chain, "alice", bad("k Wh", SHA.to_vec())),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    assert_code(
        &exec(&mut chain, "alice", bad("", SHA.to_vec())),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    assert_code(
        &exec(&mut chain, "alice", bad("kWh", vec![1; 31])),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    // Bad serial, bad geohash, bad document hash, too many documents.
    assert_code(
        &mint(&mut chain, "alice", class_id, "SN 1"),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    assert_code(
        &mint(&mut chain, "alice", class_id, ""),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
    let r = exec(
        &mut chain,
        "alice",
        msgs::asset_mint(class_id, "S1", "u33dca", Vec::new(), None),
    );
    assert_code(&r, "asset", fructus_asset::AssetError::INVALID_FIELD);
    let mut doc = msgs::asset_document("datasheet", SHA, "https://x");
    doc.sha256 = vec![0u8; 16].into();
    let r = exec(
        &mut chain,
        "alice",
        msgs::asset_mint(class_id, "S1", "", vec![doc], None),
    );
    assert_code(&r, "asset", fructus_asset::AssetError::INVALID_FIELD);
    let docs = (0..17)
        .map(|i| msgs::asset_document(&format!("d{i}"), SHA, "https://x"))
        .collect();
    let r = exec(
        &mut chain,
        "alice",
        msgs::asset_mint(class_id, "S1", "", docs, None),
    );
    assert_code(&r, "asset", fructus_asset::AssetError::INVALID_FIELD);
    // Nothing was minted by any of them.
    assert!(chain.app.snapshot().unwrap().asset(1).unwrap().is_none());
    // Unspecified status.
    assert_ok(&mint(&mut chain, "alice", class_id, "S1"));
    assert_code(
        &exec(&mut chain, "alice", msgs::asset_set_status(1, "broken")),
        "asset",
        fructus_asset::AssetError::INVALID_FIELD,
    );
}

#[test]
fn attestation_keys_are_rotated_by_the_creator_only() {
    let mut chain = TestChain::new();
    let class_id = create_class(&mut chain, "alice");
    let bob_key = chain.key("bob").public_key();
    let alice_key = chain.key("alice").public_key();
    let carol_key = chain.key("carol").public_key();
    assert_code(
        &exec(
            &mut chain,
            "bob",
            msgs::asset_update_attestation_keys(class_id, std::slice::from_ref(&bob_key), &[]),
        ),
        "asset",
        fructus_asset::AssetError::NOT_CLASS_CREATOR,
    );
    // Removing an unknown key is refused.
    assert_code(
        &exec(
            &mut chain,
            "alice",
            msgs::asset_update_attestation_keys(class_id, &[], &[carol_key]),
        ),
        "asset",
        fructus_asset::AssetError::ATTESTATION_KEY_NOT_FOUND,
    );
    // Adding an existing key is refused.
    assert_code(
        &exec(
            &mut chain,
            "alice",
            msgs::asset_update_attestation_keys(class_id, std::slice::from_ref(&alice_key), &[]),
        ),
        "asset",
        fructus_asset::AssetError::ATTESTATION_KEY_EXISTS,
    );
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::asset_update_attestation_keys(
            class_id,
            std::slice::from_ref(&bob_key),
            std::slice::from_ref(&alice_key),
        ),
    ));
    let class = chain
        .app
        .snapshot()
        .unwrap()
        .asset_class(class_id)
        .unwrap()
        .unwrap();
    assert!(class.attestation_keys.contains(&bob_key));
    assert!(!class.attestation_keys.contains(&alice_key));
    assert_eq!(class.attestation_keys.len(), 2);
}

#[test]
fn owners_transfer_and_set_status_and_locked_assets_cannot_move() {
    let mut chain = TestChain::new();
    let class_id = create_class(&mut chain, "alice");
    assert_ok(&mint(&mut chain, "alice", class_id, "SN-1"));
    let (alice, bob, carol) = (chain.addr("alice"), chain.addr("bob"), chain.addr("carol"));

    // Status: owner only.
    assert_code(
        &exec(&mut chain, "bob", msgs::asset_set_status(1, "retired")),
        "asset",
        fructus_asset::AssetError::NOT_OWNER,
    );
    let r = exec(
        &mut chain,
        "alice",
        msgs::asset_set_status(1, "maintenance"),
    );
    assert_ok(&r);
    assert_eq!(attr(&r, "asset.status", "asset_id"), "1");
    assert_eq!(
        chain
            .app
            .snapshot()
            .unwrap()
            .asset(1)
            .unwrap()
            .unwrap()
            .status,
        AssetStatus::Maintenance
    );

    // Transfer: owner only; the owner index follows.
    assert_code(
        &exec(&mut chain, "bob", msgs::asset_transfer(1, &carol)),
        "asset",
        fructus_asset::AssetError::NOT_OWNER,
    );
    let r = exec(&mut chain, "alice", msgs::asset_transfer(1, &bob));
    assert_ok(&r);
    assert_eq!(attr(&r, "asset.transfer", "asset_id"), "1");
    let snap = chain.app.snapshot().unwrap();
    assert_eq!(snap.asset(1).unwrap().unwrap().owner, bob);
    assert!(snap.assets_by_owner(&alice, None, 10).unwrap().is_empty());
    assert_eq!(snap.assets_by_owner(&bob, None, 10).unwrap().len(), 1);

    // Fractionalize (default 10,000) locks it.
    assert_code(
        &exec(&mut chain, "alice", msgs::asset_fractionalize(1, 0)),
        "asset",
        fructus_asset::AssetError::NOT_OWNER,
    );
    let r = exec(&mut chain, "bob", msgs::asset_fractionalize(1, 0));
    assert_ok(&r);
    assert_eq!(attr(&r, "asset.fractionalize", "asset_id"), "1");
    let share = share_denom(1).to_string();
    assert_eq!(share, "share/1");
    assert_eq!(chain.balance(&bob, &share), 10_000);
    assert_eq!(chain.supply(&share), 10_000);
    let hash = chain.app_hash();
    let r = exec(&mut chain, "bob", msgs::asset_transfer(1, &carol));
    assert_code(&r, "asset", fructus_asset::AssetError::LOCKED);
    let r = exec(&mut chain, "bob", msgs::asset_fractionalize(1, 5));
    assert_code(
        &r,
        "asset",
        fructus_asset::AssetError::ALREADY_FRACTIONALIZED,
    );
    assert_eq!(chain.supply(&share), 10_000);
    assert_eq!(
        chain
            .app
            .snapshot()
            .unwrap()
            .asset(1)
            .unwrap()
            .unwrap()
            .owner,
        bob
    );
    assert_ne!(hash, chain.app_hash(), "fees were still charged");
    // Nobody can mint or burn shares through bank messages.
    let r = exec(
        &mut chain,
        "bob",
        msgs::mint(&fructus_test_utils::coin("1share/1"), &bob),
    );
    assert_code(&r, "bank", fructus_bank::BankError::NOT_ISSUER);
    let r = exec(
        &mut chain,
        "bob",
        msgs::burn(&fructus_test_utils::coin("1share/1")),
    );
    assert_code(&r, "bank", fructus_bank::BankError::NOT_ISSUER);
    // The operator still sets the status while fractionalized.
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::asset_set_status(1, "active"),
    ));
}

#[test]
fn redeem_needs_every_share() {
    let mut chain = TestChain::new();
    let class_id = create_class(&mut chain, "alice");
    assert_ok(&mint(&mut chain, "alice", class_id, "SN-1"));
    assert_ok(&exec(&mut chain, "alice", msgs::asset_fractionalize(1, 0)));
    let (alice, bob) = (chain.addr("alice"), chain.addr("bob"));
    // Redeem before fractionalizing another asset: not fractionalized.
    assert_ok(&mint(&mut chain, "alice", class_id, "SN-2"));
    assert_code(
        &exec(&mut chain, "alice", msgs::asset_redeem(2)),
        "asset",
        fructus_asset::AssetError::NOT_FRACTIONALIZED,
    );

    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::send(&bob, &coins("1share/1")),
    ));
    let r = exec(&mut chain, "alice", msgs::asset_redeem(1));
    assert_code(&r, "asset", fructus_asset::AssetError::NOT_ALL_SHARES);
    assert_eq!(chain.balance(&alice, "share/1"), 9_999);
    assert_eq!(chain.supply("share/1"), 10_000);

    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::send(&alice, &coins("1share/1")),
    ));
    let r = exec(&mut chain, "alice", msgs::asset_redeem(1));
    assert_ok(&r);
    assert_eq!(attr(&r, "asset.redeem", "asset_id"), "1");
    assert_eq!(chain.balance(&alice, "share/1"), 0);
    assert_eq!(chain.supply("share/1"), 0);
    let snap = chain.app.snapshot().unwrap();
    let asset = snap.asset(1).unwrap().unwrap();
    assert!(asset.fractionalized.is_none());
    assert_eq!(asset.owner, alice);
    assert!(snap.share_holders(1, None, 10).unwrap().is_empty());
    // Unlocked: it transfers again, and can be fractionalized again.
    assert_ok(&exec(&mut chain, "alice", msgs::asset_fractionalize(1, 4)));
    assert_eq!(chain.supply("share/1"), 4);
    assert_ok(&exec(&mut chain, "alice", msgs::asset_redeem(1)));
    assert_ok(&exec(&mut chain, "alice", msgs::asset_transfer(1, &bob)));
}
