//! What a block carries for staking, checked by the host before anything
//! executes: the previous height's commit certificate (downtime) and
//! double-sign evidence (slashing). Forged or mismatched ones are refused;
//! genuine evidence tombstones the offender.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::sync::{Arc, Mutex};

use fructus_app::App;
use fructus_consensus::{
    ConsensusHost, DoubleSignEvidence, encode_certificate, precommit_sign_bytes,
};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_node::{
    BlockStore, Mempool,
    config::{ConsensusSection, MempoolConfig},
    host::Host,
    shared::{Head, Shared},
};
use fructus_staking::StakingStateReadExt;
use fructus_storage::Storage;
use fructus_test_utils::{CHAIN_ID, add_genesis_validator, genesis, key_for};
use fructus_types::block::{Block, evidence_hash};

fn sig(key: &SigningKey, msg: &[u8]) -> [u8; 64] {
    key.sign(msg).try_into().unwrap()
}

fn certificate(key: &SigningKey, block: &Block) -> Vec<u8> {
    let h = block.header.height;
    let address = key.public_key().address();
    let msg = precommit_sign_bytes(CHAIN_ID, h, 0, &block.hash(), address);
    encode_certificate(h, 0, block.hash(), &[(address, sig(key, &msg))])
}

#[test]
fn last_commit_and_evidence_are_verified_before_the_app_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let validator = SigningKey::from_seed(KeyAlgo::Ed25519, &[3; 32]).unwrap();
    let address = validator.public_key().address();
    let mut g = genesis();
    add_genesis_validator(&mut g, "alice", validator.public_key(), 1_000_000);
    let mut app = App::new(Storage::open(&dir.path().join("state")).unwrap()).unwrap();
    app.init_genesis(&g).unwrap();
    let store = Arc::new(BlockStore::open(&dir.path().join("blocks.redb")).unwrap());
    let window = app.window();
    let mut host = Host::new(
        app,
        Arc::clone(&store),
        Arc::new(Mutex::new(Mempool::new(
            MempoolConfig::default(),
            CHAIN_ID,
            window,
        ))),
        Arc::new(Shared::new(Head::default(), 16)),
        ConsensusSection::default(),
    );

    // Height 1 carries no last commit; one that does is refused.
    let block1 = host.propose(1, 0, address).unwrap();
    assert!(block1.last_commit.is_empty());
    host.validate(&block1).unwrap();
    let mut bogus = block1.clone();
    bogus.last_commit = vec![1, 2, 3];
    bogus.header.last_commit_hash = fructus_crypto::sha256(&bogus.last_commit);
    assert!(host.validate(&bogus).is_err());
    let cert1 = certificate(&validator, &block1);
    host.commit(block1.clone(), cert1.clone()).unwrap();

    // Height 2 carries height 1's certificate.
    let block2 = host.propose(2, 0, address).unwrap();
    assert_eq!(block2.last_commit, cert1);
    host.validate(&block2).unwrap();
    // A forged signature, a certificate for another block, or a hash that
    // does not match are refused.
    let mut forged = block2.clone();
    forged.last_commit = encode_certificate(1, 0, block1.hash(), &[(address, [7; 64])]);
    forged.header.last_commit_hash = fructus_crypto::sha256(&forged.last_commit);
    let err = host.validate(&forged).unwrap_err();
    assert!(err.to_string().contains("last commit"), "{err}");
    let mut other = block2.clone();
    let stranger = key_for("stranger", KeyAlgo::Ed25519);
    other.last_commit = certificate(&stranger, &block1);
    other.header.last_commit_hash = fructus_crypto::sha256(&other.last_commit);
    assert!(host.validate(&other).is_err());
    let mut unbound = block2.clone();
    unbound.last_commit.push(0);
    assert!(host.validate(&unbound).is_err());

    // The genuine block 2 commits; its last commit reaches the app.
    let cert2 = certificate(&validator, &block2);
    host.commit(block2, cert2).unwrap();

    // Evidence: the validator also signed a nil precommit at height 1.
    let mut evidence = DoubleSignEvidence {
        validator: address,
        height: 1,
        round: 0,
        precommit: true,
        first: Some(block1.hash()),
        first_signature: [0; 64],
        second: None,
        second_signature: [0; 64],
    };
    evidence.first_signature = sig(&validator, &evidence.sign_bytes(CHAIN_ID, evidence.first));
    evidence.second_signature = sig(&validator, &evidence.sign_bytes(CHAIN_ID, None));
    // Genuine evidence reported by consensus goes into the next proposal.
    host.report_evidence(vec![evidence.clone()]);
    let block3 = host.propose(3, 0, address).unwrap();
    assert_eq!(block3.evidence, vec![evidence.to_bytes()]);
    host.validate(&block3).unwrap();
    // Forged evidence, or evidence the header does not commit to, is
    // refused.
    let mut fake = evidence.clone();
    fake.second_signature = [9; 64];
    let mut with_fake = block3.clone();
    with_fake.evidence = vec![fake.to_bytes()];
    with_fake.header.evidence_hash = evidence_hash(&with_fake.evidence);
    let err = host.validate(&with_fake).unwrap_err();
    assert!(err.to_string().contains("evidence"), "{err}");
    let mut unbound = block3.clone();
    unbound.evidence.clear();
    assert!(host.validate(&unbound).is_err());
    // Committed, it tombstones the validator.
    let cert3 = certificate(&validator, &block3);
    host.commit(block3, cert3).unwrap();
    drop(host);
    let app = App::new(Storage::open(&dir.path().join("state")).unwrap()).unwrap();
    let snap = app.snapshot().unwrap();
    let operator = key_for("alice", KeyAlgo::Ed25519).public_key().address();
    let v = snap.validator(&operator).unwrap().unwrap();
    assert!(v.tombstoned);
    assert!(v.tokens < 1_000_000);
    // Block 2's last commit was counted as signed (block 3's was not
    // counted: the validator was tombstoned first).
    let info = snap.signing_info(&operator).unwrap();
    assert_eq!((info.counter, info.missed), (1, 0));
}
