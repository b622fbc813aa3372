//! The light client's precommit sign bytes and validator-set hash are the
//! consensus crate's, byte for byte: a certificate the validators signed
//! verifies here, and a header's `validator_set_hash` matches the set the
//! client holds.

#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use fructus_consensus::{ValidatorInfo, ValidatorSetInfo, encode_certificate, verify_certificate};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_light::{Validator, ValidatorSet, precommit_sign_bytes};

fn key(seed: u8) -> SigningKey {
    SigningKey::from_seed(KeyAlgo::Ed25519, &[seed; 32]).unwrap()
}

#[test]
fn precommit_sign_bytes_are_the_consensus_vote_sign_bytes() {
    for (chain, height, round, hash, seed) in [
        ("fructus-devnet", 1u64, 0u32, [7u8; 32], 1u8),
        ("c", u64::MAX, u32::MAX - 1, [0u8; 32], 2),
        (
            "a-much-longer-chain-id-with-dashes",
            123_456,
            3,
            [0xAB; 32],
            3,
        ),
    ] {
        let address = key(seed).public_key().address();
        assert_eq!(
            precommit_sign_bytes(chain, height, round, &hash, &address),
            fructus_consensus::precommit_sign_bytes(chain, height, round, &hash, address),
            "chain {chain} height {height} round {round}"
        );
    }
}

#[test]
fn a_certificate_consensus_accepts_is_signed_over_the_light_sign_bytes() {
    let keys: Vec<SigningKey> = (1..=3).map(key).collect();
    let set = ValidatorSetInfo::new(
        keys.iter()
            .map(|k| ValidatorInfo::new(k.public_key(), 5))
            .collect(),
    );
    let hash = [9u8; 32];
    let sigs: Vec<_> = keys
        .iter()
        .map(|k| {
            let a = k.public_key().address();
            let sig = k.sign(&precommit_sign_bytes("c", 4, 2, &hash, &a));
            (a, <[u8; 64]>::try_from(sig.as_slice()).unwrap())
        })
        .collect();
    let bytes = encode_certificate(4, 2, hash, &sigs);
    verify_certificate("c", &bytes, &set, 4, &hash).unwrap();
}

#[test]
fn validator_set_hash_is_the_consensus_hash() {
    let powers = [(1u8, 10u64), (2, 10), (3, 1), (4, u64::from(u32::MAX))];
    let light = ValidatorSet::new(
        powers
            .iter()
            .map(|(s, p)| Validator {
                address: key(*s).public_key().address(),
                public_key: key(*s).public_key(),
                power: *p,
            })
            .collect(),
    )
    .unwrap();
    let consensus = ValidatorSetInfo::new(
        powers
            .iter()
            .rev()
            .map(|(s, p)| ValidatorInfo::new(key(*s).public_key(), *p))
            .collect(),
    );
    assert_eq!(light.hash(), consensus.hash());
}
