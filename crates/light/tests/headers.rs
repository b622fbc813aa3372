//! A header is trusted only with valid precommits of more than 2/3 of its
//! validator set, and a new validator set only when more than 2/3 of the
//! trusted set signed a header committing to it.

#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_light::{
    Commit, LightError, TrustedState, Validator, ValidatorSet, precommit_sign_bytes,
};
use fructus_types::{BlockTime, block::BlockHeader};

const CHAIN: &str = "fructus-light-test";

fn key(seed: u8) -> SigningKey {
    SigningKey::from_seed(KeyAlgo::Ed25519, &[seed; 32]).unwrap()
}

fn set(seeds: &[u8], power: u64) -> ValidatorSet {
    ValidatorSet::new(
        seeds
            .iter()
            .map(|s| Validator {
                address: key(*s).public_key().address(),
                public_key: key(*s).public_key(),
                power,
            })
            .collect(),
    )
    .unwrap()
}

fn header(height: u64, validators: &ValidatorSet) -> BlockHeader {
    BlockHeader {
        chain_id: CHAIN.to_owned(),
        height,
        time: BlockTime(1_000 * height),
        prev_block_hash: [1; 32],
        app_hash: [height as u8; 32],
        tx_root: [2; 32],
        proposer: key(1).public_key().address(),
        validator_set_hash: validators.hash(),
        last_commit_hash: [3; 32],
        evidence_hash: [4; 32],
    }
}

fn commit(header: &BlockHeader, round: u32, signers: &[u8]) -> Commit {
    let block_hash = header.hash();
    Commit {
        height: header.height,
        round,
        block_hash,
        signatures: signers
            .iter()
            .map(|s| {
                let k = key(*s);
                let a = k.public_key().address();
                let sig = k.sign(&precommit_sign_bytes(
                    &header.chain_id,
                    header.height,
                    round,
                    &block_hash,
                    &a,
                ));
                (a, sig.try_into().unwrap())
            })
            .collect(),
    }
}

fn bytes(h: &BlockHeader) -> Vec<u8> {
    borsh::to_vec(h).unwrap()
}

#[test]
fn a_header_signed_by_more_than_two_thirds_verifies_and_certifies_the_previous_state() {
    let vals = set(&[1, 2, 3, 4], 10);
    let trusted = TrustedState::from_genesis(CHAIN, vals.clone());
    let h = header(5, &vals);
    let verified = trusted
        .verify(&bytes(&h), &commit(&h, 1, &[1, 2, 3]), vals)
        .unwrap();
    assert_eq!(verified.block_hash, h.hash());
    assert_eq!(verified.app_hash(), [5; 32]);
    assert_eq!(verified.state_height(), 4);
}

#[test]
fn a_certificate_with_two_thirds_or_less_is_refused() {
    let vals = set(&[1, 2, 3], 10);
    let trusted = TrustedState::from_genesis(CHAIN, vals.clone());
    let h = header(2, &vals);
    assert!(matches!(
        trusted.verify(&bytes(&h), &commit(&h, 0, &[1, 2]), vals),
        Err(LightError::NoQuorum {
            signed: 20,
            total: 30,
            ..
        })
    ));
}

#[test]
fn forged_signatures_other_blocks_and_strangers_are_refused() {
    let vals = set(&[1, 2, 3, 4], 10);
    let trusted = TrustedState::from_genesis(CHAIN, vals.clone());
    let h = header(3, &vals);
    let good = commit(&h, 0, &[1, 2, 3]);

    let mut forged = good.clone();
    forged.signatures[2].1[0] ^= 1;
    assert!(matches!(
        trusted.verify(&bytes(&h), &forged, vals.clone()),
        Err(LightError::BadSignature { .. })
    ));

    let mut twice = good.clone();
    twice.signatures[2] = twice.signatures[0];
    assert!(matches!(
        trusted.verify(&bytes(&h), &twice, vals.clone()),
        Err(LightError::DuplicateSigner { .. })
    ));

    let stranger = commit(&h, 0, &[1, 2, 9]);
    assert!(matches!(
        trusted.verify(&bytes(&h), &stranger, vals.clone()),
        Err(LightError::UnknownSigner { .. })
    ));

    // A header whose app hash a lying node changed no longer matches the
    // certificate.
    let mut lied = h.clone();
    lied.app_hash = [0xEE; 32];
    assert!(matches!(
        trusted.verify(&bytes(&lied), &good, vals.clone()),
        Err(LightError::CommitForOtherBlock { .. })
    ));

    // Precommits of another round are not this certificate's.
    let mut other_round = commit(&h, 1, &[1, 2, 3]);
    other_round.round = 0;
    assert!(matches!(
        trusted.verify(&bytes(&h), &other_round, vals.clone()),
        Err(LightError::BadSignature { .. })
    ));

    let mut other_chain = h.clone();
    other_chain.chain_id = "other".to_owned();
    assert!(matches!(
        trusted.verify(
            &bytes(&other_chain),
            &commit(&other_chain, 0, &[1, 2, 3]),
            vals.clone()
        ),
        Err(LightError::WrongChain { .. })
    ));

    assert!(matches!(
        trusted.verify(&[1, 2, 3], &good, vals),
        Err(LightError::MalformedHeader { .. })
    ));
}

#[test]
fn a_validator_set_the_header_does_not_commit_to_is_refused() {
    let vals = set(&[1, 2, 3], 10);
    let trusted = TrustedState::from_genesis(CHAIN, vals.clone());
    let h = header(2, &vals);
    // The node serves its own keys as "the set": the header's hash says no.
    let fake = set(&[7, 8, 9], 10);
    assert!(matches!(
        trusted.verify(&bytes(&h), &commit(&h, 0, &[7, 8, 9]), fake),
        Err(LightError::ValidatorSetHashMismatch { .. })
    ));
}

#[test]
fn a_self_signed_new_validator_set_is_refused() {
    // A fabricated chain: header committing to a set of the forger's keys,
    // signed by all of them. The trusted set signed nothing.
    let trusted = TrustedState::from_genesis(CHAIN, set(&[1, 2, 3], 10));
    let fake = set(&[7, 8, 9], 10);
    let h = header(9, &fake);
    assert!(matches!(
        trusted.verify(&bytes(&h), &commit(&h, 0, &[7, 8, 9]), fake),
        Err(LightError::UntrustedValidatorSetChange {
            signed: 0,
            total: 30,
            ..
        })
    ));
}

#[test]
fn a_new_validator_set_signed_by_more_than_two_thirds_of_the_trusted_set_is_followed() {
    let old = set(&[1, 2, 3], 10);
    let mut trusted = TrustedState::from_genesis(CHAIN, old);
    // Validator 4 joins, 3 leaves: 1 and 2 hold 20/30 of the old set.
    let two_old = set(&[1, 2, 4], 10);
    let h = header(10, &two_old);
    assert!(matches!(
        trusted.verify(&bytes(&h), &commit(&h, 0, &[1, 2, 4]), two_old),
        Err(LightError::UntrustedValidatorSetChange { signed: 20, .. })
    ));
    // 1, 2 and 3 all still validate (4 joins): accepted and followed.
    let grown = set(&[1, 2, 3, 4], 10);
    let h = header(10, &grown);
    let verified = trusted
        .verify(&bytes(&h), &commit(&h, 0, &[1, 2, 3]), grown.clone())
        .unwrap();
    trusted.advance(&verified);
    assert_eq!(trusted.height(), 10);
    assert_eq!(trusted.validators(), &grown);
    // Older heights are no longer accepted.
    let old_h = header(9, &grown);
    assert!(matches!(
        trusted.verify(&bytes(&old_h), &commit(&old_h, 0, &[1, 2, 3]), grown),
        Err(LightError::HeightBelowTrusted { .. })
    ));
}

#[test]
fn a_checkpoint_accepts_only_the_pinned_set() {
    let vals = set(&[1, 2, 3], 10);
    assert!(TrustedState::from_checkpoint(CHAIN, 50, vals.hash(), vals.clone()).is_ok());
    assert!(matches!(
        TrustedState::from_checkpoint(CHAIN, 50, [0; 32], vals),
        Err(LightError::CheckpointMismatch { height: 50, .. })
    ));
}

#[test]
fn malformed_validator_sets_are_refused() {
    assert_eq!(
        ValidatorSet::new(vec![]),
        Err(LightError::EmptyValidatorSet)
    );
    let v = |s: u8, power| Validator {
        address: key(s).public_key().address(),
        public_key: key(s).public_key(),
        power,
    };
    assert!(matches!(
        ValidatorSet::new(vec![v(1, 0)]),
        Err(LightError::BadValidator { .. })
    ));
    assert!(matches!(
        ValidatorSet::new(vec![v(1, 5), v(1, 5)]),
        Err(LightError::BadValidator { .. })
    ));
    let mut wrong_address = v(1, 5);
    wrong_address.address = key(2).public_key().address();
    assert!(matches!(
        ValidatorSet::new(vec![wrong_address]),
        Err(LightError::BadValidator { .. })
    ));
    assert_eq!(
        ValidatorSet::new(vec![v(1, u64::MAX), v(2, 1)]),
        Err(LightError::VotingPowerOverflow)
    );
    let p256 = SigningKey::from_seed(KeyAlgo::P256, &[1; 32]).unwrap();
    assert!(matches!(
        ValidatorSet::new(vec![Validator {
            address: p256.public_key().address(),
            public_key: p256.public_key(),
            power: 1,
        }]),
        Err(LightError::BadValidator { .. })
    ));
}
