//! A proposal carries only transactions that pay their fee, within the
//! block limits; validation refuses a block that breaks either (audit
//! finding 13), and a host fault is a typed error, not a made-up answer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::sync::{Arc, Mutex};

use fructus_app::App;
use fructus_client::tx::msgs;
use fructus_consensus::{ConsensusHost, HostError};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_node::{
    BlockStore, Mempool,
    config::{ConsensusSection, MempoolConfig},
    host::Host,
    mempool::check_stateless,
    shared::{Head, Shared},
};
use fructus_storage::Storage;
use fructus_test_utils::{CHAIN_ID, add_genesis_validator, coins, genesis, key_for};
use fructus_types::block::tx_root;

fn send(nonce: u64, memo: &str) -> Vec<u8> {
    let bob = key_for("bob", KeyAlgo::Ed25519).public_key().address();
    fructus_client::tx::TxBuilder::new(CHAIN_ID)
        .nonce(nonce)
        .memo(memo)
        .message(msgs::send(&bob, &coins("1ufrx")))
        .sign(&key_for("alice", KeyAlgo::Ed25519))
}

#[test]
fn proposals_and_validation_refuse_stale_transactions_and_blocks_over_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let validator = SigningKey::from_seed(KeyAlgo::Ed25519, &[3; 32]).unwrap();
    let address = validator.public_key().address();
    let mut g = genesis();
    add_genesis_validator(&mut g, "alice", validator.public_key(), 1_000_000);
    let mut app = App::new(Storage::open(&dir.path().join("state")).unwrap()).unwrap();
    app.init_genesis(&g).unwrap();
    let storage_snapshot = app.snapshot().unwrap();
    let params = fructus_auth::AuthStateReadExt::auth_params(&storage_snapshot).unwrap();
    let store = Arc::new(BlockStore::open(&dir.path().join("blocks.redb")).unwrap());
    let mempool = Arc::new(Mutex::new(Mempool::new(
        MempoolConfig::default(),
        CHAIN_ID,
        app.window(),
    )));
    let limits = ConsensusSection {
        max_block_gas: 3 * fructus_client::tx::DEFAULT_GAS_LIMIT,
        ..ConsensusSection::default()
    };
    let tx0 = send(0, "");
    {
        let mut pool = mempool.lock().unwrap();
        let parsed = check_stateless(&tx0, CHAIN_ID, &params).unwrap();
        pool.admit(tx0.clone(), parsed, app.snapshot().unwrap())
            .unwrap();
    }
    let mut host = Host::new(
        app,
        Arc::clone(&store),
        Arc::clone(&mempool),
        Arc::new(Shared::new(Head::default(), 16)),
        limits.clone(),
    );

    // The proposal carries the admitted transaction; it validates.
    let block1 = host.propose(1, 0, address).unwrap();
    assert_eq!(block1.txs, vec![tx0.clone()]);
    host.validate(&block1).unwrap();

    // A block padded with transactions that would fail for free — a
    // skipped nonce, garbage — is invalid (not a node fault).
    for bad in [send(5, "skipped"), vec![1, 2, 3]] {
        let mut padded = block1.clone();
        padded.txs.push(bad);
        padded.header.tx_root = tx_root(&padded.txs);
        match host.validate(&padded) {
            Err(HostError::InvalidBlock { reason }) => {
                assert!(reason.contains("would not pay its fee"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }
    // More gas than the block limit: invalid.
    let mut heavy = block1.clone();
    heavy.txs = (0..4).map(|n| send(n, "heavy")).collect();
    heavy.header.tx_root = tx_root(&heavy.txs);
    match host.validate(&heavy) {
        Err(HostError::InvalidBlock { reason }) => assert!(reason.contains("gas"), "{reason}"),
        other => panic!("{other:?}"),
    }

    let cert = fructus_consensus::encode_certificate(1, 0, block1.hash(), &[]);
    host.commit(block1, cert).unwrap();

    // The committed transaction is still in no one's way: a second
    // proposal does not carry it again, nor a stale copy.
    let block2 = host.propose(2, 0, address).unwrap();
    assert!(block2.txs.is_empty());
    let mut replay = block2.clone();
    replay.txs = vec![tx0];
    replay.header.tx_root = tx_root(&replay.txs);
    assert!(matches!(
        host.validate(&replay),
        Err(HostError::InvalidBlock { .. })
    ));
    // A height that does not follow is invalid, not a fault.
    let mut ahead = block2.clone();
    ahead.header.height = 9;
    assert!(matches!(
        host.validate(&ahead),
        Err(HostError::InvalidBlock { .. })
    ));
}
