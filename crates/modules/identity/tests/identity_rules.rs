//! The identity rules, driven through the real handlers (stateless check,
//! stateful check, execute) on a `StateDelta` over temporary storage, the
//! way the app delivers a transaction (test-utils' `ModuleChain`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_component::{Component, ErrorCode, Event};
use fructus_identity::{
    AttestationStatus, Identity, IdentityError, IdentityGenesis, IdentityStateReadExt,
    IdentityStateWriteExt, Tier, check_can_hold_kyc_only, msg::*, proto as pb, records, state_key,
};
use fructus_storage::StateRead;
use fructus_test_utils::{CHAIN_ID, module::ModuleChain};
use fructus_types::{Address, BlockTime, KeyAlgo, SigningKey};
use rand::{SeedableRng, rngs::StdRng};

fn signing_key(n: u8) -> SigningKey {
    SigningKey::from_seed(KeyAlgo::Ed25519, &[n; 32]).unwrap()
}

fn addr(n: u8) -> Address {
    signing_key(n).public_key().address()
}

/// Regulators R1, R2; provider P; everyone else plain.
const R1: u8 = 1;
const R2: u8 = 2;
const P: u8 = 3;
const ALICE: u8 = 10;
const BOB: u8 = 11;
const MALLORY: u8 = 12;

/// The identity module alone, on temporary storage (the shared harness).
type Chain = ModuleChain;

/// Regulators R1, R2 and provider P at genesis.
fn chain() -> Chain {
    chain_with(&IdentityGenesis {
        regulators: vec![addr(R1), addr(R2)],
        providers: vec![addr(P)],
        ..Default::default()
    })
}

fn chain_with(genesis: &IdentityGenesis) -> Chain {
    ModuleChain::new(|state| <Identity as Component>::init_genesis(state, genesis))
}

/// What these tests ask the identity module about a numbered account.
trait IdentityView {
    fn is_kyc(&self, who: u8) -> bool;
    fn tier(&self, who: u8) -> Tier;
}

impl IdentityView for Chain {
    fn is_kyc(&self, who: u8) -> bool {
        self.state
            .is_kyc(&addr(who), self.height(), self.time())
            .unwrap()
    }

    fn tier(&self, who: u8) -> Tier {
        self.state
            .tier(&addr(who), self.height(), self.time())
            .unwrap()
    }
}

fn attest(subject: u8, level: u8) -> AttestKyc {
    AttestKyc {
        subject: addr(subject),
        level,
        expiry_height: None,
        expiry_time: None,
        kyc_file_sha256: [9; 32],
    }
}

fn code(r: Result<Vec<Event>, IdentityError>) -> u32 {
    match r {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => {
            assert!(!e.is_internal(), "{e}");
            e.code()
        }
    }
}

#[test]
fn attestation_by_regulator_or_accredited_provider_counts() {
    let mut c = chain();
    assert!(!c.is_kyc(ALICE));
    assert_eq!(c.tier(ALICE), Tier::Individual);

    let events = c
        .run(addr(R1), &attest(ALICE, KYC_LEVEL_ENTERPRISE))
        .unwrap();
    assert_eq!(events[0].kind, "identity.attest_kyc");
    assert_eq!(events[0].get("level"), Some("3"));
    assert!(c.is_kyc(ALICE));
    assert_eq!(c.tier(ALICE), Tier::Enterprise);

    c.run(addr(P), &attest(BOB, KYC_LEVEL_BASIC)).unwrap();
    assert!(c.is_kyc(BOB));
    assert_eq!(
        c.state.kyc_level(&addr(BOB), c.height(), c.time()).unwrap(),
        Some(1)
    );
    // Basic KYC does not make an enterprise.
    assert_eq!(c.tier(BOB), Tier::Individual);
    assert_eq!(c.tier(R1), Tier::Regulator);
}

#[test]
fn attestation_by_non_accredited_account_is_refused() {
    let mut c = chain();
    let err = c.run(addr(MALLORY), &attest(ALICE, 1)).unwrap_err();
    assert!(matches!(err, IdentityError::NotAttester { .. }), "{err}");
    assert_eq!(err.code(), IdentityError::NOT_ATTESTER);
    assert!(!c.is_kyc(ALICE));
    // Nobody attests itself either.
    assert_eq!(code(c.run(addr(P), &attest(P, 1))), 29);
}

#[test]
fn revoked_provider_cannot_attest_and_voiding_drops_its_attestations() {
    let mut c = chain();
    c.run(addr(P), &attest(ALICE, 3)).unwrap();
    // Only regulators revoke providers.
    let revoke = RevokeProvider {
        provider: addr(P),
        reason: "licence withdrawn".into(),
        void_attestations: false,
    };
    assert_eq!(code(c.run(addr(MALLORY), &revoke)), 4);
    let ev = c.run(addr(R1), &revoke).unwrap();
    assert_eq!(ev[0].get("reason"), Some("licence withdrawn"));
    assert!(!c.state.is_provider(&addr(P)).unwrap());
    // New attestations refused ...
    assert_eq!(code(c.run(addr(P), &attest(BOB, 1))), 5);
    assert!(!c.is_kyc(BOB));
    // ... the old one still counts without voiding.
    assert!(c.is_kyc(ALICE));

    // Re-accredit, then revoke with voiding: the old attestation stops.
    c.block.height += 1;
    c.run(addr(R2), &AccreditProvider { provider: addr(P) })
        .unwrap();
    c.block.height += 1;
    c.run(
        addr(R2),
        &RevokeProvider {
            void_attestations: true,
            ..revoke.clone()
        },
    )
    .unwrap();
    assert!(!c.is_kyc(ALICE));
    let att = c
        .state
        .attestation(&addr(ALICE), &addr(P))
        .unwrap()
        .unwrap();
    assert_eq!(
        c.state
            .attestation_status(&att, c.height(), c.time())
            .unwrap(),
        AttestationStatus::Voided
    );
    // Accredited again later, its new attestations count again.
    c.block.height += 1;
    c.run(addr(R1), &AccreditProvider { provider: addr(P) })
        .unwrap();
    c.block.height += 1;
    c.run(addr(P), &attest(ALICE, 2)).unwrap();
    assert!(c.is_kyc(ALICE));
}

#[test]
fn accreditation_rules() {
    let mut c = chain();
    let accredit = AccreditProvider {
        provider: addr(BOB),
    };
    assert_eq!(code(c.run(addr(P), &accredit)), 4);
    c.run(addr(R1), &accredit).unwrap();
    assert_eq!(code(c.run(addr(R1), &accredit)), 10);
    assert_eq!(
        code(c.run(addr(R1), &AccreditProvider { provider: addr(R2) })),
        2
    );
    assert_eq!(c.state.providers().unwrap().len(), 2);
    c.run(addr(BOB), &attest(ALICE, 1)).unwrap();
    assert!(c.is_kyc(ALICE));
}

#[test]
fn expired_attestation_stops_counting_by_height_and_by_time() {
    let mut c = chain();
    c.run(
        addr(R1),
        &AttestKyc {
            expiry_height: Some(20),
            ..attest(ALICE, 3)
        },
    )
    .unwrap();
    c.run(
        addr(P),
        &AttestKyc {
            expiry_time: Some(BlockTime(2_000_000)),
            ..attest(BOB, 3)
        },
    )
    .unwrap();
    c.block.height = 20;
    assert!(c.is_kyc(ALICE));
    assert_eq!(c.tier(ALICE), Tier::Enterprise);
    c.block.height = 21;
    assert!(!c.is_kyc(ALICE));
    assert_eq!(c.tier(ALICE), Tier::Individual);
    let att = c
        .state
        .attestation(&addr(ALICE), &addr(R1))
        .unwrap()
        .unwrap();
    assert_eq!(
        c.state
            .attestation_status(&att, c.height(), c.time())
            .unwrap(),
        AttestationStatus::Expired
    );

    c.block.time = BlockTime(1_999_999);
    assert!(c.is_kyc(BOB));
    c.block.time = BlockTime(2_000_000);
    assert!(!c.is_kyc(BOB));
    assert_eq!(
        check_can_hold_kyc_only(&c.state, &addr(BOB), c.height(), c.time())
            .unwrap_err()
            .code(),
        21
    );

    // An attestation that is already expired is refused.
    assert_eq!(
        code(c.run(
            addr(R1),
            &AttestKyc {
                expiry_height: Some(20),
                ..attest(MALLORY, 1)
            }
        )),
        16
    );
    assert_eq!(
        code(c.run(
            addr(R1),
            &AttestKyc {
                expiry_time: Some(BlockTime(2_000_000)),
                ..attest(MALLORY, 1)
            }
        )),
        16
    );
    // Renewal replaces the expired attestation.
    c.run(addr(R1), &attest(ALICE, 3)).unwrap();
    assert!(c.is_kyc(ALICE));
}

#[test]
fn revoked_attestation_stops_counting() {
    let mut c = chain();
    c.run(addr(P), &attest(ALICE, 3)).unwrap();
    c.run(addr(R1), &attest(BOB, 1)).unwrap();
    let revoke = RevokeAttestation {
        subject: addr(ALICE),
        provider: addr(P),
        reason: "forged passport".into(),
    };
    // Neither a stranger nor another provider may revoke.
    assert_eq!(code(c.run(addr(MALLORY), &revoke)), 15);
    let ev = c.run(addr(R2), &revoke).unwrap();
    assert_eq!(ev[0].kind, "identity.revoke_attestation");
    assert_eq!(ev[0].get("reason"), Some("forged passport"));
    assert!(!c.is_kyc(ALICE));
    assert_eq!(c.tier(ALICE), Tier::Individual);
    assert_eq!(code(c.run(addr(R2), &revoke)), 14);
    // The issuer itself may revoke its own attestation.
    c.run(addr(R1), &attest(MALLORY, 1)).unwrap();
    c.run(
        addr(R1),
        &RevokeAttestation {
            subject: addr(BOB),
            provider: addr(R1),
            reason: "expired documents".into(),
        },
    )
    .unwrap();
    assert!(!c.is_kyc(BOB));
    assert_eq!(
        code(c.run(
            addr(R1),
            &RevokeAttestation {
                subject: addr(BOB),
                provider: addr(P),
                reason: "x".into(),
            }
        )),
        13
    );
}

#[test]
fn only_regulators_freeze_and_the_event_carries_the_reason() {
    let mut c = chain();
    let freeze = Freeze {
        account: addr(ALICE),
        reason: "court order 42".into(),
    };
    assert_eq!(code(c.run(addr(P), &freeze)), 4);
    assert_eq!(code(c.run(addr(MALLORY), &freeze)), 4);
    assert!(!c.state.is_frozen(&addr(ALICE)).unwrap());

    let ev = c.run(addr(R1), &freeze).unwrap();
    assert_eq!(ev[0].kind, "identity.freeze");
    assert_eq!(ev[0].get("reason"), Some("court order 42"));
    assert_eq!(ev[0].get("by"), Some(addr(R1).to_string().as_str()));
    assert!(c.state.is_frozen(&addr(ALICE)).unwrap());
    assert_eq!(
        c.state.check_not_frozen(&addr(ALICE)).unwrap_err().code(),
        20
    );
    assert_eq!(code(c.run(addr(R2), &freeze)), 17);
    // Regulators cannot be frozen.
    assert_eq!(
        code(c.run(
            addr(R1),
            &Freeze {
                account: addr(R2),
                reason: "r".into()
            }
        )),
        19
    );

    let unfreeze = Unfreeze {
        account: addr(ALICE),
        reason: "order lifted".into(),
    };
    assert_eq!(code(c.run(addr(P), &unfreeze)), 4);
    let ev = c.run(addr(R2), &unfreeze).unwrap();
    assert_eq!(ev[0].kind, "identity.unfreeze");
    assert_eq!(ev[0].get("reason"), Some("order lifted"));
    assert!(!c.state.is_frozen(&addr(ALICE)).unwrap());
    c.state.check_not_frozen(&addr(ALICE)).unwrap();
    assert_eq!(code(c.run(addr(R2), &unfreeze)), 18);
}

#[test]
fn reasons_are_required_when_parsing() {
    let err = Freeze::try_from(&pb::MsgFreeze {
        account: addr(ALICE).as_bytes().to_vec().into(),
        reason: "  ".into(),
    })
    .unwrap_err();
    assert_eq!(err.code(), IdentityError::INVALID_FIELD);
    let err = Unfreeze::try_from(&pb::MsgUnfreeze {
        account: addr(ALICE).as_bytes().to_vec().into(),
        reason: "x".repeat(MAX_REASON_LEN + 1),
    })
    .unwrap_err();
    assert_eq!(err.code(), IdentityError::INVALID_FIELD);
}

#[test]
fn kyc_only_holding_needs_kyc_and_no_freeze() {
    let mut c = chain();
    let (h, t) = (c.height(), c.time());
    let err = check_can_hold_kyc_only(&c.state, &addr(ALICE), h, t).unwrap_err();
    assert!(matches!(err, IdentityError::NotKyc { .. }));
    c.run(addr(P), &attest(ALICE, 1)).unwrap();
    check_can_hold_kyc_only(&c.state, &addr(ALICE), h, t).unwrap();
    // Regulators may hold without an attestation.
    check_can_hold_kyc_only(&c.state, &addr(R1), h, t).unwrap();
    c.run(
        addr(R1),
        &Freeze {
            account: addr(ALICE),
            reason: "sanctions".into(),
        },
    )
    .unwrap();
    let err = c
        .state
        .check_can_hold_kyc_only(&addr(ALICE), h, t)
        .unwrap_err();
    assert!(matches!(err, IdentityError::AccountFrozen { .. }));
    // Freezing does not erase KYC: unfreezing restores the right to hold.
    c.run(
        addr(R1),
        &Unfreeze {
            account: addr(ALICE),
            reason: "cleared".into(),
        },
    )
    .unwrap();
    check_can_hold_kyc_only(&c.state, &addr(ALICE), h, t).unwrap();
}

#[test]
fn the_regulator_set_changes_only_through_the_write_trait_within_its_bounds() {
    let mut c = chain();
    // A provider made regulator loses its accreditation: roles never
    // overlap.
    let h = c.height();
    c.state.add_regulator(&addr(P), h).unwrap();
    assert!(c.state.is_regulator(&addr(P)).unwrap());
    assert!(c.state.provider(&addr(P)).unwrap().is_none());
    assert_eq!(c.tier(P), Tier::Regulator);
    let again = c.state.add_regulator(&addr(P), h).unwrap_err();
    assert_eq!(again.code(), 6, "{again}");
    assert_eq!(c.state.regulators().unwrap().len(), 3);

    c.state.remove_regulator(&addr(R2)).unwrap();
    assert!(!c.state.is_regulator(&addr(R2)).unwrap());
    assert_eq!(c.state.remove_regulator(&addr(R2)).unwrap_err().code(), 7);
    c.state.remove_regulator(&addr(P)).unwrap();
    // The last regulator stays.
    assert_eq!(c.state.remove_regulator(&addr(R1)).unwrap_err().code(), 8);
    assert_eq!(c.state.regulators().unwrap(), vec![addr(R1)]);
    // The set is bounded.
    let max = fructus_identity::MAX_REGULATORS;
    for n in 100..u8::MAX {
        if c.state.regulators().unwrap().len() == max {
            break;
        }
        c.state.add_regulator(&addr(n), h).unwrap();
    }
    assert_eq!(c.state.regulators().unwrap().len(), max);
    let full = c.state.add_regulator(&addr(ALICE), h).unwrap_err();
    assert_eq!(full.code(), IdentityError::TOO_MANY_REGULATORS, "{full}");
    assert!(!c.state.is_regulator(&addr(ALICE)).unwrap());
    // A removed regulator lost its powers.
    assert_eq!(
        code(c.run(
            addr(R2),
            &Freeze {
                account: addr(BOB),
                reason: "r".into()
            }
        )),
        4
    );
}

#[test]
fn modules_assign_device_and_oracle_tiers_only() {
    let mut c = chain();
    c.state.set_tier(&addr(ALICE), Tier::Device).unwrap();
    assert_eq!(c.tier(ALICE), Tier::Device);
    c.state.set_tier(&addr(BOB), Tier::Oracle).unwrap();
    assert_eq!(c.tier(BOB), Tier::Oracle);
    c.state.set_tier(&addr(ALICE), Tier::Individual).unwrap();
    assert_eq!(c.tier(ALICE), Tier::Individual);
    for t in [Tier::Regulator, Tier::Enterprise] {
        assert_eq!(
            c.state.set_tier(&addr(ALICE), t).unwrap_err().code(),
            IdentityError::TIER_NOT_SETTABLE
        );
    }
    let ev = fructus_identity::set_tier_event(&addr(BOB), Tier::Oracle, "metering");
    assert_eq!(ev.get("tier"), Some("oracle"));
    assert_eq!("device".parse::<Tier>().unwrap(), Tier::Device);
}

// ---- records ---------------------------------------------------------------

/// Seed of account `n`'s records key: random in real use, and never the
/// account's own key.
fn records_seed(n: u8) -> [u8; 32] {
    [n.wrapping_add(100); 32]
}

/// X25519 secret of account `n`'s records key.
fn enc_secret(n: u8) -> [u8; 32] {
    *records::records_secret_from_seed(&records_seed(n))
}

/// `RegisterEncryptionKey` for `regulator` holding records key `seed`,
/// its proof signed over `chain_id` and `bound_to`.
fn register_msg(seed: [u8; 32], chain_id: &str, bound_to: Address) -> RegisterEncryptionKey {
    let key = SigningKey::from_seed(KeyAlgo::Ed25519, &seed).unwrap();
    let x25519 = records::encryption_public_key(&records::records_secret_from_seed(&seed));
    RegisterEncryptionKey {
        x25519_pubkey: x25519,
        records_key: key.public_key().to_bytes().try_into().unwrap(),
        possession_proof: key.sign(&records::possession_bytes(chain_id, &bound_to, &x25519)),
    }
}

fn register_keys(c: &mut Chain) {
    for r in [R1, R2] {
        let ev = c
            .run(addr(r), &register_msg(records_seed(r), CHAIN_ID, addr(r)))
            .unwrap();
        assert_eq!(ev[0].kind, "identity.register_encryption_key");
    }
}

#[test]
fn a_records_key_is_registered_only_with_its_possession_proof() {
    let mut c = chain();
    // Signed by another key than the one registered.
    let mut wrong_signer = register_msg(records_seed(R1), CHAIN_ID, addr(R1));
    wrong_signer.possession_proof =
        register_msg(records_seed(R2), CHAIN_ID, addr(R1)).possession_proof;
    assert_eq!(code(c.run(addr(R1), &wrong_signer)), 32);
    // R2's proof replayed by R1 (bound to another regulator).
    assert_eq!(
        code(c.run(
            addr(R1),
            &register_msg(records_seed(R1), CHAIN_ID, addr(R2))
        )),
        32
    );
    // A proof made for another chain.
    assert_eq!(
        code(c.run(
            addr(R1),
            &register_msg(records_seed(R1), "other-chain", addr(R1))
        )),
        32
    );
    // No proof at all.
    let mut empty = register_msg(records_seed(R1), CHAIN_ID, addr(R1));
    empty.possession_proof = vec![0; 64];
    assert_eq!(code(c.run(addr(R1), &empty)), 32);
    // An X25519 key that is not the records key's own (e.g. someone else's).
    let mut foreign = register_msg(records_seed(R1), CHAIN_ID, addr(R1));
    foreign.x25519_pubkey = records::encryption_public_key(&enc_secret(MALLORY));
    assert_eq!(code(c.run(addr(R1), &foreign)), 2);
    // Nothing was registered by the refusals.
    assert!(c.state.record_recipients().unwrap().is_empty());
    // The wire form needs a 64-byte proof.
    let mut wire = fructus_proto::identity::v1::MsgRegisterEncryptionKey {
        x25519_pubkey: foreign.x25519_pubkey.to_vec().into(),
        records_key: foreign.records_key.to_vec().into(),
        possession_proof: vec![0; 63].into(),
    };
    assert_eq!(
        RegisterEncryptionKey::try_from(&wire).unwrap_err().code(),
        2
    );
    wire.possession_proof = vec![0; 64].into();
    assert!(RegisterEncryptionKey::try_from(&wire).is_ok());
    // The genuine registration goes through.
    c.run(
        addr(R1),
        &register_msg(records_seed(R1), CHAIN_ID, addr(R1)),
    )
    .unwrap();
    assert_eq!(
        c.state.record_recipients().unwrap(),
        vec![(addr(R1), records::encryption_public_key(&enc_secret(R1)))]
    );
}

const PLAINTEXT: &[u8] = b"CONFIDENTIAL credit report: ACME Corp rated BBB+, debt ratio 0.41";

fn seal_to(recipients: &[(Address, [u8; 32])]) -> records::SealedRecord {
    let mut rng = StdRng::seed_from_u64(7);
    records::seal(
        "credit_report",
        &addr(ALICE),
        PLAINTEXT,
        recipients,
        &mut rng,
    )
    .unwrap()
}

#[test]
fn only_regulators_register_usable_encryption_keys() {
    let mut c = chain();
    let msg = register_msg(records_seed(MALLORY), CHAIN_ID, addr(MALLORY));
    assert_eq!(code(c.run(addr(MALLORY), &msg)), 4);
    // The identity point (all zeros) is a low-order key.
    let mut weak = register_msg(records_seed(R1), CHAIN_ID, addr(R1));
    weak.x25519_pubkey = [0; 32];
    assert_eq!(code(c.run(addr(R1), &weak)), 2);
    assert!(c.state.record_recipients().unwrap().is_empty());
}

#[test]
fn store_record_requires_exactly_the_current_regulator_keys() {
    let mut c = chain();
    // No regulator key yet: nobody could read a record.
    let early = seal_to(&[(addr(R1), records::encryption_public_key(&enc_secret(R1)))]);
    assert_eq!(code(c.run(addr(BOB), &StoreRecord { record: early })), 25);

    register_keys(&mut c);
    let recipients = c.state.record_recipients().unwrap();
    assert_eq!(recipients.len(), 2);

    // Missing one regulator.
    let missing = seal_to(&recipients[..1]);
    let err = c
        .run(addr(BOB), &StoreRecord { record: missing })
        .unwrap_err();
    assert!(
        matches!(err, IdentityError::MissingWrappedKey { regulator } if regulator == recipients[1].0),
        "{err}"
    );
    // An extra, non-regulator recipient.
    let mut extra = recipients.clone();
    extra.push((
        addr(MALLORY),
        records::encryption_public_key(&enc_secret(MALLORY)),
    ));
    let err = c
        .run(
            addr(BOB),
            &StoreRecord {
                record: seal_to(&extra),
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, IdentityError::UnexpectedWrappedKey { recipient } if recipient == addr(MALLORY)),
        "{err}"
    );
    // Wrapped to an old key of a regulator.
    let mut stale = recipients.clone();
    stale[0].1 = records::encryption_public_key(&[5; 32]);
    assert_eq!(
        code(c.run(
            addr(BOB),
            &StoreRecord {
                record: seal_to(&stale)
            }
        )),
        24
    );
    // The same regulator twice is refused statelessly.
    let mut dup = seal_to(&recipients);
    dup.wrapped_keys.push(dup.wrapped_keys[0].clone());
    assert_eq!(code(c.run(addr(BOB), &StoreRecord { record: dup })), 2);

    // Exactly right: stored with sequential ids.
    let ev = c
        .run(
            addr(BOB),
            &StoreRecord {
                record: seal_to(&recipients),
            },
        )
        .unwrap();
    assert_eq!(ev[0].kind, "identity.store_record");
    assert_eq!(ev[0].get("id"), Some("0"));
    assert_eq!(ev[0].get("recipients"), Some("2"));
    let ev = c
        .run(
            addr(BOB),
            &StoreRecord {
                record: seal_to(&recipients),
            },
        )
        .unwrap();
    assert_eq!(ev[0].get("id"), Some("1"));
    assert_eq!(c.state.records_of(&addr(ALICE), None, 10).unwrap().len(), 2);

    // After a regulator leaves, records must no longer include it.
    c.state.remove_regulator(&addr(R2)).unwrap();
    assert_eq!(
        code(c.run(
            addr(BOB),
            &StoreRecord {
                record: seal_to(&recipients)
            }
        )),
        23
    );
    let now = c.state.record_recipients().unwrap();
    assert_eq!(now.len(), 1);
    c.run(
        addr(BOB),
        &StoreRecord {
            record: seal_to(&now),
        },
    )
    .unwrap();
}

#[test]
fn store_record_refuses_out_of_bounds_sizes() {
    let mut c = chain();
    register_keys(&mut c);
    let recipients = c.state.record_recipients().unwrap();
    let good = seal_to(&recipients);

    let mut big = good.clone();
    big.ciphertext = vec![0; records::MAX_CIPHERTEXT_BYTES + 1];
    assert_eq!(code(c.run(addr(BOB), &StoreRecord { record: big })), 2);
    let mut small = good.clone();
    small.ciphertext = vec![0; records::TAG_BYTES];
    assert_eq!(code(c.run(addr(BOB), &StoreRecord { record: small })), 2);
    // A ciphertext with room for the tag but not the 32-byte salt and one
    // byte of plaintext is refused too.
    let mut unsalted = good.clone();
    unsalted.ciphertext = vec![0; records::MIN_CIPHERTEXT_BYTES - 1];
    assert_eq!(code(c.run(addr(BOB), &StoreRecord { record: unsalted })), 2);
    for kind in ["", "Credit", "credit-report", "1report", &"k".repeat(33)] {
        let mut bad = good.clone();
        bad.kind = kind.into();
        assert_eq!(
            code(c.run(addr(BOB), &StoreRecord { record: bad })),
            2,
            "{kind:?}"
        );
    }
    let mut none = good.clone();
    none.wrapped_keys.clear();
    assert_eq!(code(c.run(addr(BOB), &StoreRecord { record: none })), 2);

    // Fixed-size fields are checked when parsing the wire message.
    let wire = good.to_proto();
    assert_eq!(StoreRecord::try_from(&wire).unwrap().record, good);
    let mut w = wire.clone();
    w.payload_nonce = vec![0; 12].into();
    assert_eq!(
        StoreRecord::try_from(&w).unwrap_err().code(),
        IdentityError::INVALID_FIELD
    );
    let mut w = wire.clone();
    w.wrapped_keys[0].wrapped_content_key = vec![0; 32].into();
    assert_eq!(
        StoreRecord::try_from(&w).unwrap_err().code(),
        IdentityError::INVALID_FIELD
    );
    let mut w = wire.clone();
    w.commitment = vec![0; 31].into();
    assert_eq!(
        StoreRecord::try_from(&w).unwrap_err().code(),
        IdentityError::INVALID_FIELD
    );
    let mut w = wire;
    w.wrapped_keys = vec![w.wrapped_keys[0].clone(); fructus_identity::MAX_REGULATORS + 1];
    assert_eq!(
        StoreRecord::try_from(&w).unwrap_err().code(),
        IdentityError::INVALID_FIELD
    );
    assert_eq!(c.state.next_record_id().unwrap(), 0);
}

#[test]
fn stored_record_holds_no_plaintext_and_regulators_open_it() {
    let mut c = chain();
    register_keys(&mut c);
    let recipients = c.state.record_recipients().unwrap();
    let sealed = seal_to(&recipients);
    c.run(
        addr(BOB),
        &StoreRecord {
            record: sealed.clone(),
        },
    )
    .unwrap();

    let raw = c.state.get_raw(&state_key::record(0)).unwrap().unwrap();
    assert!(
        !raw.windows(16)
            .any(|w| PLAINTEXT.windows(16).any(|p| p == w)),
        "stored record contains plaintext"
    );
    // Nor does anything else the module wrote.
    for (_, value) in c.state.prefix_raw(b"identity/", None, 10_000).unwrap() {
        assert!(
            !value
                .windows(16)
                .any(|w| PLAINTEXT.windows(16).any(|p| p == w))
        );
    }

    let record = c.state.record(0).unwrap().unwrap();
    assert_eq!(record.submitter, addr(BOB));
    assert_eq!(record.sealed, sealed);
    let mut salt = None;
    for r in [R1, R2] {
        let opened = records::open(&record.sealed, &addr(r), &enc_secret(r)).unwrap();
        assert_eq!(opened.plaintext.as_slice(), PLAINTEXT);
        salt = Some(opened.salt);
    }
    let salt = salt.unwrap();
    assert!(records::verify_integrity(PLAINTEXT, &salt, &record.sealed));
    assert!(!records::verify_integrity(
        b"something else",
        &salt,
        &record.sealed
    ));
    assert!(!records::verify_integrity(
        PLAINTEXT,
        &[0; records::SALT_BYTES],
        &record.sealed
    ));
    // A non-regulator cannot open it, even with R1's entry and its own key.
    assert!(matches!(
        records::open(&record.sealed, &addr(MALLORY), &enc_secret(MALLORY)),
        Err(records::RecordError::NotARecipient { .. })
    ));
    assert!(records::open(&record.sealed, &addr(R1), &enc_secret(MALLORY)).is_err());
}

#[test]
fn account_identity_query_reports_everything() {
    let mut c = chain();
    c.run(addr(P), &attest(ALICE, 3)).unwrap();
    c.run(
        addr(R1),
        &Freeze {
            account: addr(ALICE),
            reason: "audit".into(),
        },
    )
    .unwrap();
    let view =
        fructus_identity::query::account_identity(&c.state, &addr(ALICE), c.height(), c.time())
            .unwrap();
    assert_eq!(view.tier, Tier::Enterprise);
    assert_eq!(view.kyc_level, Some(3));
    assert_eq!(view.frozen.as_ref().unwrap().reason, "audit");
    assert_eq!(view.attestations.len(), 1);
    assert_eq!(view.attestations[0].status, AttestationStatus::Valid);
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["tier"], "enterprise");
    assert_eq!(json["attestations"][0]["status"], "valid");
    assert_eq!(
        json["attestations"][0]["kyc_file_sha256"],
        hex::encode([9u8; 32])
    );
}

#[test]
fn genesis_state_is_usable() {
    let secret = enc_secret(R1);
    let genesis: IdentityGenesis = serde_json::from_value(serde_json::json!({
        "regulators": [addr(R1).to_string()],
        "providers": [addr(P).to_string()],
        "attestations": [{
            "subject": addr(ALICE).to_string(),
            "provider": addr(P).to_string(),
            "level": 3,
            "expiry_height": 50,
            "kyc_file_sha256": hex::encode([1u8; 32]),
        }],
        "encryption_keys": [{
            "regulator": addr(R1).to_string(),
            "x25519_pubkey": hex::encode(records::encryption_public_key(&secret)),
        }],
    }))
    .unwrap();
    let mut c = chain_with(&genesis);
    assert!(c.state.is_regulator(&addr(R1)).unwrap());
    assert_eq!(c.state.providers().unwrap(), vec![addr(P)]);
    assert_eq!(c.tier(ALICE), Tier::Enterprise);
    c.block.height = 51;
    assert_eq!(c.tier(ALICE), Tier::Individual);
    assert_eq!(
        c.state.record_recipients().unwrap(),
        vec![(addr(R1), records::encryption_public_key(&secret))]
    );
    // Empty section: no regulators, nobody can attest.
    let mut empty = chain_with(&IdentityGenesis::default());
    assert!(empty.state.regulators().unwrap().is_empty());
    assert_eq!(code(empty.run(addr(R1), &attest(ALICE, 1))), 5);
}

#[test]
fn attest_parses_from_the_wire() {
    let m = pb::MsgAttestKyc {
        subject: addr(ALICE).as_bytes().to_vec().into(),
        level: 3,
        expiry_height: 0,
        expiry_time_ms: 5,
        kyc_file_sha256: vec![2; 32].into(),
    };
    let a = AttestKyc::try_from(&m).unwrap();
    assert_eq!(a.expiry_height, None);
    assert_eq!(a.expiry_time, Some(BlockTime(5)));
    for level in [0, 4, 256] {
        let bad = pb::MsgAttestKyc { level, ..m.clone() };
        assert_eq!(
            AttestKyc::try_from(&bad).unwrap_err().code(),
            IdentityError::INVALID_FIELD
        );
    }
    let bad = pb::MsgAttestKyc {
        kyc_file_sha256: vec![2; 20].into(),
        ..m.clone()
    };
    assert_eq!(
        AttestKyc::try_from(&bad).unwrap_err().code(),
        IdentityError::INVALID_FIELD
    );
    let bad = pb::MsgAttestKyc {
        subject: vec![1; 19].into(),
        ..m
    };
    assert_eq!(
        AttestKyc::try_from(&bad).unwrap_err().code(),
        IdentityError::INVALID_FIELD
    );
}
