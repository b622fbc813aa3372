//! Every module record a query answers with matches its schema in
//! `/openapi.json` as serde writes it: a sample of each, with every
//! optional part present and absent, is serialized and validated against
//! the generated document (`$ref`s resolved in its `components`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fructus_asset::{
    Asset, AssetClass, AssetStatus, Document, Fractionalization, IncomeTotal, ShareHolder,
};
use fructus_crypto::{Address, KeyAlgo, PublicKey, SigningKey};
use fructus_identity::records::{SealedRecord, WrappedKey};
use fructus_identity::{
    AccountIdentity, Attestation, AttestationStatus, AttestationView, FreezeRecord, Record,
    RecordView, RegulatorView, Revocation, Tier,
};
use fructus_metering::msg::{Billing, OracleTerms, Terms};
use fructus_metering::{Contract, ContractStatus, Device, DeviceStatus, OracleRound, OracleSet};
use fructus_staking::{
    Commission, DelegationView, RewardsView, StakingParams, UnbondingEntry, Validator,
    ValidatorView,
};
use fructus_types::{Amount, BlockTime, Coin};
use serde::Serialize;

fn addr(n: u8) -> Address {
    Address::from_bytes([n; 20])
}

fn key() -> PublicKey {
    SigningKey::from_seed(KeyAlgo::Ed25519, &[7u8; 32])
        .unwrap()
        .public_key()
}

/// Validates `value` against the component schema `name`.
fn check<T: Serialize>(doc: &serde_json::Value, name: &str, value: &T) {
    let answer = serde_json::to_value(value).unwrap();
    assert!(
        doc["components"]["schemas"].get(name).is_some(),
        "no schema {name} in /openapi.json"
    );
    let root = serde_json::json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"],
    });
    let validator = jsonschema::validator_for(&root).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&answer)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name} does not match its schema: {errors:?}\nvalue: {answer}"
    );
}

fn doc() -> serde_json::Value {
    serde_json::to_value(fructus_rpc::openapi::document()).unwrap()
}

fn terms(billing: Billing, oracles: Option<OracleTerms>) -> Terms {
    Terms {
        price: Coin::new("ufrx".parse().unwrap(), 7u128),
        per_units: 1,
        billing,
        start_ms: 0,
        end_ms: Some(9),
        maintainer: addr(3),
        maintainer_bps: 100,
        platform_bps: 50,
        period_ms: 10_000,
        sla_min_units: 1,
        sla_penalty_per_unit: Amount::new(u128::MAX),
        baseline_units: 0,
        rebate_per_unit: Amount::ZERO,
        notice_ms: 0,
        oracles,
    }
}

#[test]
fn metering_records_match_their_schemas() {
    let doc = doc();
    let mut device = Device {
        address: addr(1),
        asset_id: 1,
        class_id: 1,
        serial: "SN-1".into(),
        key: key(),
        status: DeviceStatus::Active,
        tamper_reason: None,
        last_sequence: 0,
        counter: 0,
        last_reading_ms: 0,
        readings: 0,
        rotations: 0,
        suspensions: 0,
    };
    check(&doc, "Device", &device);
    device.suspend("case opened".into());
    check(&doc, "Device", &device);

    let prepaid = Contract::proposed(1, 1, addr(1), addr(2), terms(Billing::Prepaid, None));
    check(&doc, "Contract", &prepaid);
    let postpaid = Billing::Postpaid {
        credit_limit: Amount::new(5),
        settle_within_ms: 60_000,
    };
    let quorum = OracleTerms {
        oracles: vec![addr(4), addr(5)],
        threshold: 2,
        tolerance_bps: 10,
    };
    let mut active = Contract::proposed(2, 1, addr(1), addr(2), terms(postpaid, Some(quorum)));
    active.status = ContractStatus::Active;
    active.accepted_ms = Some(1);
    active.closes_at_ms = Some(2);
    active.owed_since_ms = Some(3);
    active.next_period_end_ms = Some(4);
    active.remainder = 3;
    active.units = 11;
    check(&doc, "Contract", &active);

    check(
        &doc,
        "OracleSet",
        &OracleSet {
            asset_id: 1,
            oracles: vec![addr(4), addr(5)],
            threshold: 2,
            tolerance_bps: 10,
            last_period: 1,
            counter: 100,
            accepted_ms: 5,
        },
    );
    for accepted in [None, Some(100)] {
        check(
            &doc,
            "OracleRound",
            &OracleRound {
                asset_id: 1,
                period: 2,
                submissions: vec![(addr(4), 100), (addr(5), 101)],
                accepted,
                outliers: vec![addr(6)],
            },
        );
    }
}

#[test]
fn staking_records_match_their_schemas() {
    let doc = doc();
    let validator = Validator {
        operator: addr(1),
        consensus_key: key(),
        moniker: "node0".into(),
        commission: Commission {
            rate_bps: 1000,
            max_rate_bps: 2000,
            max_change_bps: 100,
            last_change: BlockTime(5),
        },
        min_self_bond: 1,
        tokens: 10,
        shares: 10,
        jailed_until: None,
        tombstoned: false,
        reward_acc: 0,
        reward_carry: 0,
        commission_owed: 0,
        created_height: 0,
    };
    let mut jailed = validator.clone();
    jailed.jailed_until = Some(9);
    for v in [validator, jailed] {
        check(
            &doc,
            "StakingValidatorView",
            &ValidatorView {
                consensus_address: v.consensus_address(),
                validator: v,
                status: "active".into(),
                power: 1,
                super_node: true,
            },
        );
    }
    check(
        &doc,
        "DelegationView",
        &DelegationView {
            validator: addr(1),
            shares: 1,
            tokens: 2,
            pending_rewards: 3,
        },
    );
    check(
        &doc,
        "RewardsView",
        &RewardsView {
            delegations: vec![(addr(1), 5)],
            total: 5,
            commission: 0,
        },
    );
    check(
        &doc,
        "UnbondingEntry",
        &UnbondingEntry {
            id: 1,
            delegator: addr(2),
            validator: addr(1),
            creation_height: 3,
            completion_height: 4,
            initial: 5,
            balance: 5,
        },
    );
    check(&doc, "StakingParams", &StakingParams::default());
}

#[test]
fn asset_records_match_their_schemas() {
    let doc = doc();
    check(
        &doc,
        "AssetClass",
        &AssetClass {
            id: 1,
            creator: addr(1),
            name: "Chiller".into(),
            manufacturer: "Acme".into(),
            model: "C1".into(),
            unit: "kWh".into(),
            metadata_uri: "https://acme.example/c1.json".into(),
            metadata_sha256: [0xab; 32],
            attestation_keys: vec![key()],
            created_height: 2,
        },
    );
    let mut asset = Asset {
        id: 1,
        class_id: 1,
        serial: "SN-1".into(),
        location: None,
        documents: vec![],
        status: AssetStatus::Active,
        owner: addr(1),
        fractionalized: None,
        minted_height: 3,
    };
    check(&doc, "Asset", &asset);
    asset.location = Some("u4pruyd".into());
    asset.documents = vec![Document {
        name: "datasheet".into(),
        sha256: [1; 32],
        uri: "https://acme.example/ds.pdf".into(),
    }];
    asset.status = AssetStatus::Maintenance;
    asset.fractionalized = Some(Fractionalization {
        by: addr(1),
        shares: Amount::new(10_000),
        height: 4,
    });
    check(&doc, "Asset", &asset);
    check(
        &doc,
        "ShareHolder",
        &ShareHolder {
            address: addr(2),
            shares: Amount::new(5),
        },
    );
    check(
        &doc,
        "IncomeTotal",
        &IncomeTotal {
            denom: "ufrx".parse().unwrap(),
            credited_to_shares: Amount::new(1),
            claimed: Amount::new(2),
            paid_to_owner: Amount::new(3),
        },
    );
    check(&doc, "Coin", &Coin::new("ufrx".parse().unwrap(), 9u128));
}

#[test]
fn identity_records_match_their_schemas() {
    let doc = doc();
    let attestation = Attestation {
        subject: addr(2),
        provider: addr(1),
        level: 3,
        issued_height: 1,
        issued_time: BlockTime(2),
        expiry_height: None,
        expiry_time: None,
        kyc_file_sha256: [5; 32],
        revoked: None,
    };
    let mut revoked = attestation.clone();
    revoked.expiry_height = Some(10);
    revoked.expiry_time = Some(BlockTime(11));
    revoked.revoked = Some(Revocation {
        by: addr(1),
        height: 4,
        reason: "expired documents".into(),
    });
    let bare = AccountIdentity {
        address: addr(2),
        tier: Tier::Individual,
        kyc_level: None,
        frozen: None,
        kyc_provider: false,
        encryption_key: None,
        attestations: vec![],
    };
    check(&doc, "AccountIdentity", &bare);
    check(
        &doc,
        "AccountIdentity",
        &AccountIdentity {
            address: addr(2),
            tier: Tier::Enterprise,
            kyc_level: Some(3),
            frozen: Some(FreezeRecord {
                account: addr(2),
                by: addr(1),
                reason: "court order".into(),
                height: 5,
            }),
            kyc_provider: true,
            encryption_key: Some([7; 32]),
            attestations: vec![
                AttestationView {
                    attestation,
                    status: AttestationStatus::Valid,
                },
                AttestationView {
                    attestation: revoked,
                    status: AttestationStatus::Revoked,
                },
            ],
        },
    );
    let record = Record {
        id: 0,
        submitter: addr(1),
        height: 3,
        time: BlockTime(4),
        sealed: SealedRecord {
            kind: "kyc_file".into(),
            subject: addr(2),
            ciphertext: vec![1, 2, 3],
            payload_nonce: [0; 24],
            commitment: [9; 32],
            wrapped_keys: vec![WrappedKey {
                regulator: addr(1),
                recipient_pubkey: [1; 32],
                ephemeral_pubkey: [2; 32],
                wrapped_content_key: [3; 48],
                nonce: [4; 24],
            }],
        },
    };
    check(&doc, "RecordView", &RecordView::from(record));
    for encryption_key in [None, Some("ab".repeat(32))] {
        check(
            &doc,
            "RegulatorView",
            &RegulatorView {
                address: addr(1),
                encryption_key,
            },
        );
    }
}

#[test]
fn oracle_and_credit_records_match_their_schemas() {
    use fructus_credit::{
        Auction, Books, Grade, Rating, Vault,
        query::{BooksView, RatingView, VaultView, VaultsPage},
    };
    use fructus_oracle::{
        FeederChange, FeederRecord, Pair, PairState, PendingChange, Point, PriceSource, PriceView,
        query::{FeedersView, PairsView},
    };
    let doc = doc();
    let pair = Pair {
        base: "share/1".parse().unwrap(),
        quote: "uusd".parse().unwrap(),
    };
    check(
        &doc,
        "FeedersView",
        &FeedersView {
            active: vec![FeederRecord {
                feeder: addr(1),
                accredited_by: None,
                active_since_ms: 0,
            }],
            pending: vec![PendingChange {
                feeder: addr(2),
                change: FeederChange::Revoke,
                by: addr(3),
                effective_ms: 9,
            }],
        },
    );
    check(
        &doc,
        "PairsView",
        &PairsView {
            pairs: vec![PairState {
                pair: pair.clone(),
                price: u128::MAX,
                updated_ms: 1,
                reporters: 3,
                points: vec![Point {
                    time_ms: 1,
                    price: 5,
                }],
            }],
        },
    );
    for source in [PriceSource::Feeders, PriceSource::Amm, PriceSource::None] {
        check(
            &doc,
            "PriceView",
            &PriceView {
                pair: pair.clone(),
                price: 1,
                twap: 2,
                twap_coverage_bps: 5_000,
                updated_ms: 3,
                reporters: 0,
                source,
                stale: true,
            },
        );
    }
    let mut vault = Vault {
        id: 1,
        owner: addr(1),
        denom: "ufrx".parse().unwrap(),
        collateral: 10,
        normalized_debt: u128::MAX,
        auction: None,
    };
    let view = |vault: Vault, some: bool| VaultView {
        vault,
        debt: "1".into(),
        price: some.then(|| "2".into()),
        price_error: (!some).then(|| "stale".into()),
        value: some.then(|| "3".into()),
        ratio_bps: some.then(|| "4".into()),
        required_ratio_bps: 25_000,
        liquidatable: some,
        auction_price: some.then(|| "5".into()),
    };
    check(&doc, "VaultView", &view(vault.clone(), false));
    vault.auction = Some(Auction {
        collateral: 1,
        debt: 2,
        penalty: 3,
        start_price: 4,
        started_ms: 5,
        kicker: addr(2),
    });
    check(&doc, "VaultView", &view(vault.clone(), true));
    check(
        &doc,
        "VaultsPage",
        &VaultsPage {
            vaults: vec![view(vault, true)],
            next: Some(1),
        },
    );
    check(
        &doc,
        "BooksView",
        &BooksView {
            books: Books::default(),
            credit_denom: "ucredit".parse().unwrap(),
            quote_denom: "uusd".parse().unwrap(),
            vault_debt: "0".into(),
            surplus: "0".into(),
            supply: "0".into(),
        },
    );
    for rating in [
        None,
        Some(Rating {
            enterprise: addr(1),
            agency: addr(2),
            grade: Grade::Bbb,
            rated_ms: 1,
            expiry_ms: 2,
            report_record_id: 0,
            revoked: true,
        }),
    ] {
        check(
            &doc,
            "RatingView",
            &RatingView {
                effective: rating.as_ref().map(|r| r.grade.clone()),
                rating,
                required_ratio_bps: 15_000,
            },
        );
    }
}

#[test]
fn module_records_read_back_from_their_json() {
    let device = Device {
        address: addr(1),
        asset_id: 1,
        class_id: 1,
        serial: "SN-1".into(),
        key: key(),
        status: DeviceStatus::Suspended,
        tamper_reason: Some("case opened".into()),
        last_sequence: 2,
        counter: 3,
        last_reading_ms: 4,
        readings: 5,
        rotations: 6,
        suspensions: 7,
    };
    let json = serde_json::to_string(&device).unwrap();
    assert_eq!(serde_json::from_str::<Device>(&json).unwrap(), device);
    let contract = Contract::proposed(1, 1, addr(1), addr(2), terms(Billing::Prepaid, None));
    let json = serde_json::to_string(&contract).unwrap();
    assert_eq!(serde_json::from_str::<Contract>(&json).unwrap(), contract);
}

#[test]
fn compute_records_match_their_schemas() {
    use fructus_compute::{
        Capacity, Epoch, Fault, GreenLink, Order, OrderStatus, Provider, Receipt, Verification,
        query::{EpochView, ProviderView},
    };
    let doc = doc();
    let mut provider = Provider {
        asset_id: 2,
        operator: addr(1),
        gpu_model: "H100".into(),
        gpus: 8,
        green: GreenLink::None,
        maintainer: None,
        maintainer_bps: 0,
        bond: Amount::new(100),
        slashed: Amount::ZERO,
        online: false,
        gpus_online: 0,
        heartbeat_sequence: 0,
        last_heartbeat_ms: 0,
        offline_at_ms: None,
        open_orders: vec![],
        certificates_committed: 0,
        registered_height: 3,
    };
    check(&doc, "Provider", &provider);
    for green in [
        GreenLink::EnergyAsset(4),
        GreenLink::CertificateBatch("7".into()),
    ] {
        provider.green = green;
        provider.maintainer = Some(addr(3));
        provider.offline_at_ms = Some(9);
        provider.open_orders = vec![1, 2];
        check(&doc, "Provider", &provider);
    }
    check(
        &doc,
        "ProviderView",
        &ProviderView {
            provider,
            online_now: true,
        },
    );
    check(
        &doc,
        "Capacity",
        &Capacity {
            asset_id: 2,
            window: 5,
            start_ms: 1,
            end_ms: 2,
            capacity: 8,
            minted: 1,
            reserved: 2,
            redeemed: 0,
        },
    );
    let epoch = Epoch {
        genesis_ms: 1,
        window_ms: 3_600_000,
    };
    check(&doc, "Epoch", &epoch);
    check(
        &doc,
        "EpochView",
        &EpochView {
            epoch,
            current_window: 4,
            current_window_end_ms: 5,
        },
    );
    let mut order = Order {
        id: 1,
        buyer: addr(4),
        spec_hash: "ab".repeat(32),
        gpu_model: "H100".into(),
        hours: 4,
        max_price_per_hour: Amount::new(10),
        denom: "uusd".parse().unwrap(),
        deadline_ms: 9,
        verification: Verification::BuyerConfirm,
        green: false,
        escrow: Amount::new(40),
        status: OrderStatus::Open,
        paused_until_ms: None,
        asset_id: None,
        window: None,
        price_per_hour: Amount::ZERO,
        redeemed: false,
        result_hash: None,
        challenge_until_ms: None,
        platform_bps: 0,
        maintainer_bps: 0,
        maintainer: None,
        slash_bps: 0,
        challenge_window_ms: 0,
        due_ms: Some(9),
        green_batch: None,
        certificates: 0,
        created_height: 2,
    };
    check(&doc, "Order", &order);
    order.verification = Verification::ChallengeWindow(addr(5));
    order.status = OrderStatus::Submitted;
    order.asset_id = Some(2);
    order.window = Some(5);
    order.result_hash = Some("cd".repeat(32));
    order.challenge_until_ms = Some(10);
    order.maintainer = Some(addr(3));
    order.green_batch = Some(7);
    check(&doc, "Order", &order);
    check(
        &doc,
        "Receipt",
        &Receipt {
            order_id: 1,
            status: OrderStatus::Failed,
            fault: Fault::ProviderOffline,
            asset_id: Some(2),
            buyer: addr(4),
            denom: "uusd".parse().unwrap(),
            maintainer: Amount::ZERO,
            platform: Amount::ZERO,
            shareholders: Amount::ZERO,
            refunded: Amount::new(40),
            slashed: Amount::new(10),
            result_hash: None,
            retirements: vec![3],
            height: 5,
            time_ms: 6,
        },
    );
}

#[test]
fn lending_records_match_their_schemas() {
    use fructus_lending::{LoanStatus, NftLoan};
    let doc = doc();
    let mut loan = NftLoan {
        id: 1,
        lender: addr(1),
        asset_id: 2,
        amount: Coin::new("uusd".parse().unwrap(), 500u128),
        rate_bps: 1_000,
        term_ms: 60_000,
        due: u128::MAX,
        borrower: None,
        maturity_ms: 0,
        status: LoanStatus::Offered,
    };
    check(&doc, "NftLoan", &loan);
    loan.borrower = Some(addr(2));
    loan.status = LoanStatus::Running;
    check(&doc, "NftLoan", &loan);
    check(
        &doc,
        "LendingParams",
        &fructus_lending::LendingParams::default(),
    );
}
