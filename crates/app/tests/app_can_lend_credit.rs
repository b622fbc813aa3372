//! Credit through the real app: rating agencies and ratings whose reports
//! are regulator-only records, vaults minting the credit stablecoin up to
//! what the owner's rating allows, the stability fee, Dutch-auction
//! liquidation with its penalty, shortfall and bad debt, and every refusal
//! typed with nothing changed; plus the books' invariants as properties.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_client::tx::msgs;
use fructus_component::ErrorCode;
use fructus_credit::{
    CollateralType, CreditError, CreditGenesis, CreditParams, CreditStateReadExt, Grade,
    PriceSource, Vault, math::RAY, surplus_account, vault_account,
};
use fructus_identity::{GenesisAttestation, GenesisEncryptionKey, records};
use fructus_oracle::{OracleGenesis, OracleParams, PRICE_SCALE};
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{NAMES, REGULATOR, TestChain, assert_ok, coin, genesis, key_for};
use fructus_types::{Address, BlockTime, Denom};
use proptest::prelude::*;

const CREDIT: &str = "ucredit";
/// 250 M ufrx of collateral in most tests.
const COLLATERAL: u128 = 250_000_000;

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

#[track_caller]
fn refused(r: &TxResult, expected: &CreditError) {
    assert_eq!(
        (r.codespace.as_str(), r.code),
        (expected.codespace(), expected.code()),
        "unexpected result: {r:?}"
    );
}

fn d(s: &str) -> Denom {
    s.parse().unwrap()
}

fn addr_of(name: &str) -> Address {
    let algo = NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(fructus_crypto::KeyAlgo::Ed25519, |(_, a)| *a);
    key_for(name, algo).public_key().address()
}

/// The regulator's records secret (its X25519 key is in genesis).
const RECORDS_SECRET: [u8; 32] = [7; 32];

fn any_err() -> CreditError {
    CreditError::InvalidField {
        field: "",
        reason: String::new(),
    }
}

/// A chain where: alice (KYC'd enterprise) and bob (KYC'd) may hold the
/// KYC-only credit denom; dave feeds prices (ufrx in uusd, posted at 1.0);
/// carol is a rating agency; ufrx is collateral (no haircut, ceiling
/// 10^12); the stability fee is `fee_per_block`.
struct Lend {
    chain: TestChain,
}

fn params(fee_per_block: u128) -> CreditParams {
    CreditParams {
        collaterals: vec![CollateralType {
            denom: d("ufrx"),
            source: PriceSource::Oracle,
            haircut_bps: 0,
            debt_ceiling: 1_000_000_000_000,
        }],
        fee_per_block,
        ..CreditParams::default()
    }
}

impl Lend {
    /// The fixture with half the TWAP window of price history (the default
    /// `min_twap_coverage_bps`), the price posted again to stay fresh.
    fn new(credit: CreditParams) -> Self {
        let mut lend = Self::listed(credit);
        lend.chain.advance_time(49_000);
        lend.post(PRICE_SCALE);
        lend
    }

    /// The fixture right after the pair's first price.
    fn listed(credit: CreditParams) -> Self {
        let mut g = genesis();
        let reg = addr_of(REGULATOR);
        g.app_state.identity.attestations.push(GenesisAttestation {
            subject: addr_of("bob"),
            provider: reg,
            level: 1,
            expiry_height: 0,
            expiry_time_ms: 0,
            kyc_file_sha256: "22".repeat(32),
        });
        g.app_state
            .identity
            .encryption_keys
            .push(GenesisEncryptionKey {
                regulator: reg,
                x25519_pubkey: hex::encode(records::encryption_public_key(&RECORDS_SECRET)),
            });
        g.app_state.oracle = OracleGenesis {
            params: OracleParams {
                min_feeders: 1,
                window_ms: 10_000,
                max_age_ms: 60_000,
                twap_window_ms: 100_000,
                feeder_delay_ms: 0,
                ..OracleParams::default()
            },
            feeders: vec![addr_of("dave")],
        };
        g.app_state.credit = CreditGenesis {
            params: credit,
            agencies: vec![addr_of("carol")],
            ..CreditGenesis::default()
        };
        let mut chain = TestChain::with_genesis(g);
        let reg = chain.addr(REGULATOR);
        assert_ok(&exec(
            &mut chain,
            "alice",
            msgs::send(&reg, &"10000000ufrx".parse().unwrap()),
        ));
        let mut lend = Lend { chain };
        lend.post(PRICE_SCALE);
        lend
    }

    /// dave posts the price of ufrx in uusd.
    fn post(&mut self, price: u128) {
        assert_ok(&exec(
            &mut self.chain,
            "dave",
            msgs::oracle_submit_price(&d("ufrx"), &d("uusd"), price),
        ));
    }

    /// Posts `price` every window for `ms`, so the TWAP follows.
    fn hold_price(&mut self, price: u128, ms: u64) {
        for _ in 0..ms / 10_000 {
            self.chain.advance_time(9_000);
            self.post(price);
        }
    }

    /// alice opens a ufrx vault and deposits `amount`; returns its id.
    fn vault_with(&mut self, amount: u128) -> u64 {
        let r = exec(
            &mut self.chain,
            "alice",
            msgs::credit_open_vault(&d("ufrx")),
        );
        assert_ok(&r);
        let id: u64 = r
            .events
            .iter()
            .find(|e| e.kind == "credit.vault")
            .and_then(|e| e.get("vault_id"))
            .unwrap()
            .parse()
            .unwrap();
        assert_ok(&exec(
            &mut self.chain,
            "alice",
            msgs::credit_deposit(id, &coin(&format!("{amount}ufrx"))),
        ));
        id
    }

    fn vault(&self, id: u64) -> Vault {
        self.chain
            .app
            .snapshot()
            .unwrap()
            .require_vault(id)
            .unwrap()
    }

    fn debt(&self, id: u64) -> u128 {
        let snap = self.chain.app.snapshot().unwrap();
        let rate = snap.books().unwrap().rate;
        fructus_credit::math::debt(snap.require_vault(id).unwrap().normalized_debt, rate).unwrap()
    }

    /// carol rates alice `grade` (1 AAA … 8 C) until `expiry_ms`.
    fn rate(&mut self, grade: u32, expiry_ms: u64) -> TxResult {
        let alice = self.chain.addr("alice");
        let reg = self.chain.addr(REGULATOR);
        let sealed = records::seal(
            "credit_report",
            &alice,
            b"alice: strong cash flow, low leverage",
            &[(reg, records::encryption_public_key(&RECORDS_SECRET))],
            &mut rand_core::OsRng,
        )
        .unwrap();
        let report = sealed.to_proto();
        exec(
            &mut self.chain,
            "carol",
            msgs::credit_rate(&alice, grade, expiry_ms, report),
        )
    }

    /// Checks the books against every vault: normalized totals agree, each
    /// vault account holds its collateral, and the credit supply is the
    /// debt (vaults, auctions, bad debt) less at most `slack` units of
    /// rounding, never more.
    fn check_books(&self, slack: u128) {
        let snap = self.chain.app.snapshot().unwrap();
        let books = snap.books().unwrap();
        let vaults = snap.vaults(None, 1_000).unwrap();
        let norm: u128 = vaults.iter().map(|v| v.normalized_debt).sum();
        assert_eq!(books.normalized_debt, norm, "books = Σ vaults");
        assert_eq!(snap.totals(&d("ufrx")).unwrap().normalized_debt, norm);
        let mut debt = 0u128;
        let mut auctions = 0u128;
        for v in &vaults {
            debt += fructus_credit::math::debt(v.normalized_debt, books.rate).unwrap();
            let held = self.chain.balance(&vault_account(v.id), "ufrx");
            let in_auction = v.auction.as_ref().map_or(0, |a| a.collateral);
            assert_eq!(held, v.collateral + in_auction, "vault {} account", v.id);
            auctions += v.auction.as_ref().map_or(0, |a| a.debt);
        }
        assert_eq!(books.auction_debt, auctions);
        let supply = self.chain.supply(CREDIT);
        let owed = debt + books.auction_debt + books.bad_debt;
        assert!(supply <= owed, "supply {supply} above what is owed {owed}");
        assert!(
            owed - supply <= slack,
            "rounding {} above {slack}",
            owed - supply
        );
    }
}

#[test]
fn an_unrated_enterprise_mints_up_to_250_percent_and_not_one_unit_more() {
    let mut l = Lend::new(params(0));
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 100_000_000),
    ));
    let r = exec(&mut l.chain, "alice", msgs::credit_mint(id, 1));
    refused(
        &r,
        &CreditError::Unsafe {
            vault_id: id,
            value: 0,
            debt: 0,
            rating: String::new(),
            ratio_bps: 0,
        },
    );
    let alice = l.chain.addr("alice");
    assert_eq!(l.chain.balance(&alice, CREDIT), 100_000_000);
    assert_eq!(l.debt(id), 100_000_000);
    l.check_books(0);
}

#[test]
fn a_rating_sets_the_ratio_and_a_lapsed_or_revoked_one_counts_as_unrated() {
    let mut l = Lend::new(params(0));
    let id = l.vault_with(COLLATERAL);
    let expiry = l.chain.time() + 3_600_000;
    assert_ok(&l.rate(1, expiry));
    // AAA: 120 %.
    let snap = l.chain.app.snapshot().unwrap();
    let alice = l.chain.addr("alice");
    assert_eq!(
        snap.effective_grade(&alice, BlockTime(l.chain.time()))
            .unwrap(),
        Some(Grade::Aaa)
    );
    // The report is a regulator-only record about alice, and a regulator
    // can open it.
    let rating = snap.rating(&alice).unwrap().unwrap();
    let record = fructus_identity::IdentityStateReadExt::record(&snap, rating.report_record_id)
        .unwrap()
        .unwrap();
    assert_eq!(record.sealed.subject, alice);
    let reg = l.chain.addr(REGULATOR);
    let opened = records::open(&record.sealed, &reg, &RECORDS_SECRET).unwrap();
    assert!(opened.plaintext.starts_with(b"alice"));
    drop(snap);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 208_333_333),
    ));
    let r = exec(&mut l.chain, "alice", msgs::credit_mint(id, 1));
    refused(
        &r,
        &CreditError::Unsafe {
            vault_id: id,
            value: 0,
            debt: 0,
            rating: String::new(),
            ratio_bps: 0,
        },
    );
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_repay(id, 108_333_333),
    ));
    // Revoked: unrated again (250 %): 100 M is the limit now.
    assert_ok(&exec(
        &mut l.chain,
        "carol",
        msgs::credit_revoke_rating(&alice),
    ));
    let r = exec(&mut l.chain, "alice", msgs::credit_mint(id, 1));
    refused(
        &r,
        &CreditError::Unsafe {
            vault_id: id,
            value: 0,
            debt: 0,
            rating: String::new(),
            ratio_bps: 0,
        },
    );
    // A new rating, then it lapses.
    let expiry = l.chain.time() + 20_000;
    assert_ok(&l.rate(4, expiry));
    assert_ok(&exec(&mut l.chain, "alice", msgs::credit_mint(id, 1)));
    l.chain.advance_time(20_000);
    l.post(PRICE_SCALE);
    let r = exec(&mut l.chain, "alice", msgs::credit_mint(id, 1));
    refused(
        &r,
        &CreditError::Unsafe {
            vault_id: id,
            value: 0,
            debt: 0,
            rating: String::new(),
            ratio_bps: 0,
        },
    );
    // An agency whose accreditation is withdrawn: its ratings stop counting.
    let expiry = l.chain.time() + 3_600_000;
    assert_ok(&l.rate(1, expiry));
    assert!(
        l.chain
            .app
            .snapshot()
            .unwrap()
            .effective_grade(&alice, BlockTime(l.chain.time()))
            .unwrap()
            .is_some()
    );
    let carol = l.chain.addr("carol");
    assert_ok(&exec(
        &mut l.chain,
        REGULATOR,
        msgs::credit_revoke_agency(&carol),
    ));
    assert!(
        l.chain
            .app
            .snapshot()
            .unwrap()
            .effective_grade(&alice, BlockTime(l.chain.time()))
            .unwrap()
            .is_none()
    );
}

#[test]
fn rating_refusals_are_typed() {
    let mut l = Lend::new(params(0));
    let (alice, bob, carol) = (
        l.chain.addr("alice"),
        l.chain.addr("bob"),
        l.chain.addr("carol"),
    );
    let expiry = l.chain.time() + 3_600_000;
    // Only regulators accredit agencies; twice is refused.
    let r = exec(&mut l.chain, "bob", msgs::credit_accredit_agency(&bob));
    refused(
        &r,
        &CreditError::NotRegulator {
            signer: bob,
            action: "",
        },
    );
    let r = exec(
        &mut l.chain,
        REGULATOR,
        msgs::credit_accredit_agency(&carol),
    );
    refused(&r, &CreditError::AgencyExists { agency: carol });
    // Only agencies rate.
    let report = |l: &Lend, subject: &Address, kind: &str| {
        let reg = l.chain.addr(REGULATOR);
        let sealed = records::seal(
            kind,
            subject,
            b"r",
            &[(reg, records::encryption_public_key(&RECORDS_SECRET))],
            &mut rand_core::OsRng,
        )
        .unwrap();
        sealed.to_proto()
    };
    let rep = report(&l, &alice, "credit_report");
    let r = exec(
        &mut l.chain,
        "bob",
        msgs::credit_rate(&alice, 1, expiry, rep),
    );
    refused(&r, &CreditError::NotAgency { signer: bob });
    // bob is KYC'd at level 1, not an enterprise.
    let rep = report(&l, &bob, "credit_report");
    let r = exec(
        &mut l.chain,
        "carol",
        msgs::credit_rate(&bob, 1, expiry, rep),
    );
    refused(&r, &CreditError::NotEnterprise { account: bob });
    // Malformed: grade, expiry, the report's kind and subject.
    for (grade, exp, rep) in [
        (9, expiry, report(&l, &alice, "credit_report")),
        (1, 0, report(&l, &alice, "credit_report")),
        (1, expiry, report(&l, &alice, "kyc_file")),
        (1, expiry, report(&l, &bob, "credit_report")),
        (1, l.chain.time(), report(&l, &alice, "credit_report")),
    ] {
        let r = exec(
            &mut l.chain,
            "carol",
            msgs::credit_rate(&alice, grade, exp, rep),
        );
        refused(&r, &any_err());
    }
    // A report not sealed to the regulators' keys is refused by identity.
    let sealed = records::seal(
        "credit_report",
        &alice,
        b"r",
        &[(alice, records::encryption_public_key(&[9; 32]))],
        &mut rand_core::OsRng,
    )
    .unwrap();
    let rep = sealed.to_proto();
    let r = exec(
        &mut l.chain,
        "carol",
        msgs::credit_rate(&alice, 1, expiry, rep),
    );
    refused(
        &r,
        &CreditError::Report {
            reason: String::new(),
        },
    );
    // Nothing to revoke; only the agency or a regulator revokes.
    let r = exec(&mut l.chain, "carol", msgs::credit_revoke_rating(&alice));
    refused(
        &r,
        &CreditError::NoRating {
            enterprise: alice,
            signer: carol,
        },
    );
    assert_ok(&l.rate(2, expiry));
    let r = exec(&mut l.chain, "bob", msgs::credit_revoke_rating(&alice));
    refused(
        &r,
        &CreditError::NotRegulator {
            signer: bob,
            action: "",
        },
    );
    assert_ok(&exec(
        &mut l.chain,
        REGULATOR,
        msgs::credit_revoke_rating(&alice),
    ));
}

#[test]
fn withdrawing_while_safe_is_allowed_and_making_the_vault_unsafe_is_not() {
    let mut l = Lend::new(params(0));
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 50_000_000),
    ));
    // 125 M must stay (250 % of 50 M).
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_withdraw(id, &coin("125000000ufrx")),
    ));
    let r = exec(
        &mut l.chain,
        "alice",
        msgs::credit_withdraw(id, &coin("1ufrx")),
    );
    refused(
        &r,
        &CreditError::Unsafe {
            vault_id: id,
            value: 0,
            debt: 0,
            rating: String::new(),
            ratio_bps: 0,
        },
    );
    assert_eq!(l.vault(id).collateral, 125_000_000);
    // Repaid in full, everything comes out (no price needed).
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_repay(id, u128::from(u64::MAX)),
    ));
    assert_eq!(l.debt(id), 0);
    l.chain.advance_time(120_000);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_withdraw(id, &coin("125000000ufrx")),
    ));
    assert_eq!(l.chain.supply(CREDIT), 0);
    l.check_books(0);
}

#[test]
fn vault_refusals_are_typed_and_change_nothing() {
    let mut l = Lend::new(params(0));
    let id = l.vault_with(COLLATERAL);
    let (alice, bob) = (l.chain.addr("alice"), l.chain.addr("bob"));
    let r = exec(&mut l.chain, "alice", msgs::credit_open_vault(&d("uusd")));
    refused(
        &r,
        &CreditError::NotCollateral {
            denom: String::new(),
        },
    );
    let r = exec(&mut l.chain, "bob", msgs::credit_mint(id, 1));
    refused(
        &r,
        &CreditError::NotOwner {
            vault_id: id,
            owner: alice,
            signer: bob,
        },
    );
    let r = exec(
        &mut l.chain,
        "bob",
        msgs::credit_withdraw(id, &coin("1ufrx")),
    );
    refused(
        &r,
        &CreditError::NotOwner {
            vault_id: id,
            owner: alice,
            signer: bob,
        },
    );
    let r = exec(&mut l.chain, "alice", msgs::credit_mint(99, 1));
    refused(&r, &CreditError::VaultNotFound { vault_id: 99 });
    let r = exec(
        &mut l.chain,
        "alice",
        msgs::credit_deposit(id, &coin("1uusd")),
    );
    refused(&r, &any_err());
    let r = exec(
        &mut l.chain,
        "alice",
        msgs::credit_withdraw(id, &coin("250000001ufrx")),
    );
    refused(
        &r,
        &CreditError::Exceeds {
            what: "",
            asked: 0,
            available: 0,
        },
    );
    let r = exec(&mut l.chain, "alice", msgs::credit_repay(id, 1));
    refused(
        &r,
        &CreditError::Exceeds {
            what: "",
            asked: 0,
            available: 0,
        },
    );
    for m in [
        msgs::credit_mint(id, 0),
        msgs::credit_mint(0, 1),
        msgs::credit_bid(id, 1, 0),
        msgs::credit_cover_bad_debt(0),
    ] {
        refused(&exec(&mut l.chain, "alice", m), &any_err());
    }
    let r = exec(&mut l.chain, "alice", msgs::credit_cover_bad_debt(1));
    refused(
        &r,
        &CreditError::Exceeds {
            what: "",
            asked: 0,
            available: 0,
        },
    );
    let r = exec(&mut l.chain, "alice", msgs::credit_bid(id, 1, PRICE_SCALE));
    refused(&r, &CreditError::NoAuction { vault_id: id });
    assert_eq!(l.vault(id).collateral, COLLATERAL);
    assert_eq!(l.chain.supply(CREDIT), 0);
}

#[test]
fn the_debt_ceiling_caps_a_collateral_types_debt() {
    let mut p = params(0);
    p.collaterals[0].debt_ceiling = 60_000_000;
    let mut l = Lend::new(p);
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 60_000_000),
    ));
    let r = exec(&mut l.chain, "alice", msgs::credit_mint(id, 1));
    refused(
        &r,
        &CreditError::DebtCeiling {
            denom: String::new(),
            would_be: 0,
            ceiling: 0,
        },
    );
}

#[test]
fn a_stale_price_blocks_minting_withdrawing_and_liquidation() {
    let mut l = Lend::new(params(0));
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 100_000_000),
    ));
    l.chain.advance_time(60_000);
    let stale = CreditError::StalePrice {
        denom: String::new(),
    };
    refused(
        &exec(&mut l.chain, "alice", msgs::credit_mint(id, 1)),
        &stale,
    );
    refused(
        &exec(
            &mut l.chain,
            "alice",
            msgs::credit_withdraw(id, &coin("1ufrx")),
        ),
        &stale,
    );
    refused(
        &exec(&mut l.chain, "bob", msgs::credit_liquidate(id)),
        &stale,
    );
    // Repaying needs no price.
    assert_ok(&exec(&mut l.chain, "alice", msgs::credit_repay(id, 1)));
}

#[test]
fn a_new_pairs_price_backs_nothing_until_its_twap_covers_half_the_window() {
    let mut l = Lend::listed(params(0));
    let id = l.vault_with(COLLATERAL);
    // Three blocks (seconds) after the pair's first price its TWAP covers
    // 3 s of the 100 s window: it would follow any price at once.
    let thin = CreditError::ThinTwap {
        denom: String::new(),
        coverage_bps: 0,
        min_bps: 0,
        wait_ms: 0,
    };
    let before = l.vault(id);
    let r = exec(&mut l.chain, "alice", msgs::credit_mint(id, 1));
    refused(&r, &thin);
    assert!(r.log.contains("5000 bps required"), "{}", r.log);
    assert_eq!(l.vault(id), before, "a refusal changed the vault");
    // Once the price has held for half the window it counts.
    l.hold_price(PRICE_SCALE, 50_000);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 100_000_000),
    ));
    assert_eq!(l.debt(id), 100_000_000);
}

#[test]
fn a_price_far_from_its_twap_blocks_minting_and_liquidation_until_the_twap_follows() {
    let mut l = Lend::new(params(0));
    l.hold_price(PRICE_SCALE, 100_000);
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 100_000_000),
    ));
    // A 60 % drop: the vault is below the liquidation ratio at the new
    // price, but the price is 60 % from its TWAP.
    l.post(PRICE_SCALE * 4 / 10);
    let dev = CreditError::PriceDeviates {
        denom: String::new(),
        deviation_bps: 0,
        max_bps: 0,
    };
    refused(&exec(&mut l.chain, "bob", msgs::credit_liquidate(id)), &dev);
    refused(&exec(&mut l.chain, "alice", msgs::credit_mint(id, 1)), &dev);
    l.hold_price(PRICE_SCALE * 4 / 10, 100_000);
    assert_ok(&exec(&mut l.chain, "bob", msgs::credit_liquidate(id)));
}

#[test]
fn a_safe_vault_cannot_be_liquidated() {
    let mut l = Lend::new(params(0));
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 100_000_000),
    ));
    let r = exec(&mut l.chain, "bob", msgs::credit_liquidate(id));
    refused(
        &r,
        &CreditError::Safe {
            vault_id: id,
            value: 0,
            debt: 0,
            ratio_bps: 0,
        },
    );
    // A vault without debt neither.
    let empty = l.vault_with(1_000);
    let r = exec(&mut l.chain, "bob", msgs::credit_liquidate(empty));
    refused(
        &r,
        &CreditError::Safe {
            vault_id: empty,
            value: 0,
            debt: 0,
            ratio_bps: 0,
        },
    );
}

/// alice's vault with 100 M debt on 250 M ufrx, bob holding 150 M credit
/// (minted from his own vault), the price moved to `price` and held there
/// so the TWAP follows.
fn underwater(price: u128) -> (Lend, u64) {
    let mut l = Lend::new(params(0));
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 100_000_000),
    ));
    // bob funds himself: ufrx from alice, a vault, credit.
    let bob = l.chain.addr("bob");
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::send(&bob, &"600000000ufrx".parse().unwrap()),
    ));
    let r = exec(&mut l.chain, "bob", msgs::credit_open_vault(&d("ufrx")));
    assert_ok(&r);
    let bob_vault = id + 1;
    assert_ok(&exec(
        &mut l.chain,
        "bob",
        msgs::credit_deposit(bob_vault, &coin("600000000ufrx")),
    ));
    assert_ok(&exec(
        &mut l.chain,
        "bob",
        msgs::credit_mint(bob_vault, 150_000_000),
    ));
    l.hold_price(price, 110_000);
    (l, id)
}

#[test]
fn a_liquidation_sells_the_collateral_by_dutch_auction_and_returns_the_rest() {
    // At 0.42 the vault is worth 105 M for 100 M of debt: below 110 %.
    let (mut l, id) = underwater(PRICE_SCALE * 42 / 100);
    let (alice, bob) = (l.chain.addr("alice"), l.chain.addr("bob"));
    assert_ok(&exec(&mut l.chain, "carol", msgs::credit_liquidate(id)));
    let v = l.vault(id);
    let a = v.auction.clone().unwrap();
    assert_eq!(
        (a.collateral, a.debt, a.penalty),
        (COLLATERAL, 100_000_000, 13_000_000)
    );
    assert_eq!(a.start_price, PRICE_SCALE * 462 / 1000);
    l.check_books(0);
    // In auction the vault is locked, and it cannot be liquidated twice.
    refused(
        &exec(
            &mut l.chain,
            "alice",
            msgs::credit_withdraw(id, &coin("1ufrx")),
        ),
        &CreditError::InAuction { vault_id: id },
    );
    refused(
        &exec(&mut l.chain, "carol", msgs::credit_liquidate(id)),
        &CreditError::InAuction { vault_id: id },
    );
    // Too low a maximum price is refused.
    let r = exec(
        &mut l.chain,
        "bob",
        msgs::credit_bid(id, COLLATERAL, PRICE_SCALE * 4 / 10),
    );
    refused(&r, &CreditError::AbovePrice { price: 0, max: 0 });
    // A partial bid: 10 M ufrx at the current price.
    let supply = l.chain.supply(CREDIT);
    let bob_ufrx = l.chain.balance(&bob, "ufrx");
    assert_ok(&exec(
        &mut l.chain,
        "bob",
        msgs::credit_bid(id, 10_000_000, PRICE_SCALE),
    ));
    // 10 M ufrx bought, less the fee.
    let gained = l.chain.balance(&bob, "ufrx") + 1_000_000 - bob_ufrx;
    assert!(gained > 10_000_000 && gained <= 11_000_000, "{gained}");
    let paid = supply - l.chain.supply(CREDIT);
    assert!(paid > 4_000_000 && paid < 4_700_000, "{paid}");
    l.check_books(0);
    // The rest of the tab in one bid: debt burned, penalty to the surplus,
    // the leftover collateral back in the vault.
    assert_ok(&exec(
        &mut l.chain,
        "bob",
        msgs::credit_bid(id, COLLATERAL, PRICE_SCALE),
    ));
    let v = l.vault(id);
    assert!(v.auction.is_none());
    assert!(
        v.collateral > 0 && v.collateral < 10_000_000,
        "{}",
        v.collateral
    );
    assert_eq!(l.chain.balance(&surplus_account(), CREDIT), 13_000_000);
    let books = l.chain.app.snapshot().unwrap().books().unwrap();
    assert_eq!((books.auction_debt, books.bad_debt), (0, 0));
    l.check_books(0);
    // alice takes the rest back.
    let rest = v.collateral;
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_withdraw(id, &coin(&format!("{rest}ufrx"))),
    ));
    assert_eq!(l.chain.balance(&vault_account(id), "ufrx"), 0);
    let _ = alice;
}

#[test]
fn a_shortfall_is_burned_from_the_surplus_then_recorded_as_bad_debt_and_covered_by_the_backstop() {
    // At 0.3 the collateral is worth 75 M for 100 M of debt.
    let (mut l, id) = underwater(PRICE_SCALE * 3 / 10);
    assert_ok(&exec(&mut l.chain, "carol", msgs::credit_liquidate(id)));
    // Let the price fall to the floor (50 % of 0.33).
    l.chain.advance_time(3_600_000);
    let supply = l.chain.supply(CREDIT);
    assert_ok(&exec(
        &mut l.chain,
        "bob",
        msgs::credit_bid(id, COLLATERAL, PRICE_SCALE),
    ));
    // 250 M at 0.165 = 41.25 M recovered; the surplus was empty, so the
    // 58.75 M left is bad debt.
    assert_eq!(supply - l.chain.supply(CREDIT), 41_250_000);
    let books = l.chain.app.snapshot().unwrap().books().unwrap();
    assert_eq!(books.bad_debt, 58_750_000);
    assert!(l.vault(id).auction.is_none());
    l.check_books(0);
    // The backstop: bob burns credit against it.
    assert_ok(&exec(
        &mut l.chain,
        "bob",
        msgs::credit_cover_bad_debt(8_750_000),
    ));
    assert_eq!(
        l.chain.app.snapshot().unwrap().books().unwrap().bad_debt,
        50_000_000
    );
    l.check_books(0);
    let r = exec(&mut l.chain, "bob", msgs::credit_cover_bad_debt(50_000_001));
    refused(
        &r,
        &CreditError::Exceeds {
            what: "",
            asked: 0,
            available: 0,
        },
    );
}

#[test]
fn the_stability_fee_compounds_per_block_into_the_surplus() {
    // 0.01 % per block.
    let mut l = Lend::new(params(RAY / 10_000));
    let id = l.vault_with(COLLATERAL);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_mint(id, 50_000_000),
    ));
    let before = l.debt(id);
    for _ in 0..20 {
        l.chain.block(Vec::new());
    }
    let after = l.debt(id);
    // (1.0001)^20 − 1 ≈ 0.2002 %.
    assert!(
        after > before + 99_000 && after < before + 101_000,
        "{before} → {after}"
    );
    let surplus = l.chain.balance(&surplus_account(), CREDIT);
    assert!(
        after - 50_000_000 - surplus <= 25,
        "fees minted to the surplus: {surplus}"
    );
    l.check_books(25);
    // The owner repays what it minted; the fees stay owed.
    let alice = l.chain.addr("alice");
    assert_eq!(l.chain.balance(&alice, CREDIT), 50_000_000);
    assert_ok(&exec(
        &mut l.chain,
        "alice",
        msgs::credit_repay(id, 50_000_000),
    ));
    assert!(l.debt(id) > 0);
    l.check_books(25);
}

#[test]
fn shares_in_a_vault_keep_earning_their_income_for_the_owner() {
    let mut p = params(0);
    p.collaterals.push(CollateralType {
        denom: d("share/1"),
        source: PriceSource::Oracle,
        haircut_bps: 3_000,
        debt_ceiling: 1_000_000,
    });
    let mut l = Lend::new(p);
    let (alice, bob) = (l.chain.addr("alice"), l.chain.addr("bob"));
    // alice tokenizes a machine into 10,000 shares; bob issues uusd.
    let c = &mut l.chain;
    assert_ok(&exec(
        c,
        "alice",
        msgs::asset_create_class("Chiller", "Acme", "C1", "kWh", "ipfs://c1", [1; 32], &[]),
    ));
    assert_ok(&exec(
        c,
        "alice",
        msgs::asset_mint(1, "C1-1", "", Vec::new(), None),
    ));
    assert_ok(&exec(c, "alice", msgs::asset_fractionalize(1, 0)));
    assert_ok(&exec(
        c,
        "bob",
        msgs::create_denom(&d("uusd"), "USD", 6, false),
    ));
    assert_ok(&exec(c, "bob", msgs::mint(&coin("1000000uusd"), &bob)));
    let r = exec(c, "alice", msgs::credit_open_vault(&d("share/1")));
    assert_ok(&r);
    assert_ok(&exec(
        c,
        "alice",
        msgs::credit_deposit(1, &coin("4000share/1")),
    ));
    // Income arrives: 40 % of it is the vault's shares'.
    assert_ok(&exec(
        c,
        "bob",
        msgs::asset_deposit_income(1, &coin("10000uusd")),
    ));
    assert_ok(&exec(c, "alice", msgs::credit_claim_income(1)));
    assert_eq!(l.chain.balance(&alice, "uusd"), 4_000);
    assert_eq!(l.chain.balance(&vault_account(1), "uusd"), 0);
    // Her own 6,000 shares' income is hers as usual.
    assert_ok(&exec(&mut l.chain, "alice", msgs::asset_claim_income(&[1])));
    assert_eq!(l.chain.balance(&alice, "uusd"), 10_000);
    // Only the owner claims, and only a vault of shares has income.
    let r = exec(&mut l.chain, "bob", msgs::credit_claim_income(1));
    refused(
        &r,
        &CreditError::NotOwner {
            vault_id: 1,
            owner: alice,
            signer: bob,
        },
    );
    let id = l.vault_with(1_000);
    refused(
        &exec(&mut l.chain, "alice", msgs::credit_claim_income(id)),
        &any_err(),
    );
    // The shares stay in the vault.
    assert_eq!(l.chain.balance(&vault_account(1), "share/1"), 4_000);
}

#[test]
fn governance_and_only_governance_changes_the_credit_and_oracle_params() {
    use fructus_app::params::update_params;
    use fructus_component::governance_authority;
    use fructus_oracle::OracleStateReadExt;
    use fructus_storage::StateDelta;

    let l = Lend::new(params(0));
    let change = |module: &str, who, json: String| {
        let mut state = StateDelta::new(l.chain.app.snapshot().unwrap());
        let mut events = Vec::new();
        let r = update_params(&mut state, module, who, json.as_bytes(), &mut events).unwrap();
        (state, r)
    };
    // Governance accepts uusd (pegged) as collateral.
    let mut p = params(0);
    p.collaterals.push(CollateralType {
        denom: d("uusd"),
        source: PriceSource::Peg,
        haircut_bps: 0,
        debt_ceiling: 1_000,
    });
    let json = serde_json::to_string(&p).unwrap();
    let (state, r) = change("credit", governance_authority(), json.clone());
    r.unwrap();
    assert_eq!(state.credit_params().unwrap().collaterals.len(), 2);
    // Anyone else is refused.
    let (state, r) = change("credit", l.chain.addr("alice"), json);
    assert!(r.is_err());
    assert_eq!(state.credit_params().unwrap().collaterals.len(), 1);
    // Invalid values are refused with the module's code, naming the field.
    let mut unordered = params(0);
    unordered.required_ratio_bps.unrated = 11_000;
    unordered.required_ratio_bps.aaa = 12_000;
    let more_than_all = CreditParams {
        min_twap_coverage_bps: 10_001,
        ..params(0)
    };
    for (bad, field) in [
        (unordered, "required_ratio_bps"),
        (more_than_all, "min_twap_coverage_bps"),
    ] {
        let (_, r) = change(
            "credit",
            governance_authority(),
            serde_json::to_string(&bad).unwrap(),
        );
        let e = r.unwrap_err();
        assert_eq!((e.codespace.as_str(), e.code), ("credit", 22));
        assert!(e.message.contains(field), "{}", e.message);
    }
    // The oracle's params take the same path.
    let oracle = OracleParams {
        min_feeders: 3,
        ..OracleParams::default()
    };
    let (state, r) = change(
        "oracle",
        governance_authority(),
        serde_json::to_string(&oracle).unwrap(),
    );
    r.unwrap();
    assert_eq!(state.oracle_params().unwrap().min_feeders, 3);
}

#[test]
fn the_compliance_gate_refuses_credit_to_an_account_that_may_not_hold_it() {
    let mut l = Lend::new(params(0));
    // carol is not KYC'd: she may open a vault and pledge, but the
    // KYC-only credit denom cannot be minted to her.
    let r = exec(&mut l.chain, "carol", msgs::credit_open_vault(&d("ufrx")));
    assert_ok(&r);
    assert_ok(&exec(
        &mut l.chain,
        "carol",
        msgs::credit_deposit(1, &coin("100000000ufrx")),
    ));
    let r = exec(&mut l.chain, "carol", msgs::credit_mint(1, 1_000));
    assert_eq!((r.codespace.as_str(), r.code), ("bank", 10), "{r:?}");
    assert_eq!(l.chain.supply(CREDIT), 0);
    assert_eq!(l.vault(1).normalized_debt, 0);
    l.check_books(0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random mints, repayments, blocks and price moves keep the books
    /// exact (total debt = Σ vault debts with fees) and the supply within
    /// rounding below the debt; and whenever a vault is at or above the
    /// liquidation ratio, a liquidation is refused.
    #[test]
    fn the_books_balance_and_no_vault_above_the_liquidation_ratio_is_liquidated(
        ops in proptest::collection::vec((0u8..4, 1u128..40_000_000), 1..12),
    ) {
        let mut l = Lend::new(params(RAY / 100_000));
        let id = l.vault_with(COLLATERAL);
        let mut n = 0u128;
        for (op, x) in ops {
            n += 2;
            match op {
                0 => { let _ = exec(&mut l.chain, "alice", msgs::credit_mint(id, x)); }
                1 => { let _ = exec(&mut l.chain, "alice", msgs::credit_repay(id, x)); }
                2 => { l.chain.block(Vec::new()); }
                _ => {
                    // A price from 0.35 to 1.15, held for the TWAP.
                    let price = PRICE_SCALE * (35 + (x % 80)) / 100;
                    l.hold_price(price, 110_000);
                }
            }
            // One unit per block (fees are minted rounded down, debts
            // read rounded up) and per operation.
            l.check_books(n + u128::from(l.chain.app.height().unwrap()));
            let snap = l.chain.app.snapshot().unwrap();
            let view = fructus_credit::query::vault(&snap, id, BlockTime(l.chain.time())).unwrap();
            drop(snap);
            if !view.liquidatable && view.price.is_some() && l.vault(id).auction.is_none() {
                let r = exec(&mut l.chain, "bob", msgs::credit_liquidate(id));
                prop_assert!(r.code != 0, "a vault above the liquidation ratio was liquidated");
            }
        }
    }
}
