//! A proposal carries only transactions that pay their fee, within the
//! block limits; validation refuses a block that breaks either (audit
//! finding 13), and a host fault is a typed error, not a made-up answer. A
//! transaction the proposal's plan leaves out is re-checked by the mempool
//! at the next commit.
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
        pool.admit(tx0.clone(), parsed, &params, app.snapshot().unwrap())
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

#[test]
fn a_transaction_the_plan_leaves_out_is_rechecked_and_dropped_at_the_next_commit() {
    let dir = tempfile::tempdir().unwrap();
    let validator = SigningKey::from_seed(KeyAlgo::Ed25519, &[3; 32]).unwrap();
    let address = validator.public_key().address();
    let mut g = genesis();
    add_genesis_validator(&mut g, "alice", validator.public_key(), 1_000_000);
    let mut app = App::new(Storage::open(&dir.path().join("state")).unwrap()).unwrap();
    app.init_genesis(&g).unwrap();
    let storage = app.storage().clone();
    let params = fructus_auth::AuthStateReadExt::auth_params(&app.snapshot().unwrap()).unwrap();
    let mempool = Arc::new(Mutex::new(Mempool::new(
        MempoolConfig::default(),
        CHAIN_ID,
        app.window(),
    )));
    let admit = |tx: &Vec<u8>| {
        let parsed = check_stateless(tx, CHAIN_ID, &params).unwrap();
        mempool
            .lock()
            .unwrap()
            .admit(
                tx.clone(),
                parsed,
                &params,
                storage.latest_snapshot().unwrap(),
            )
            .unwrap()
    };
    let mut host = Host::new(
        app,
        Arc::new(BlockStore::open(&dir.path().join("blocks.redb")).unwrap()),
        Arc::clone(&mempool),
        Arc::new(Shared::new(Head::default(), 16)),
        ConsensusSection::default(),
    );
    let commit = |host: &mut Host, block: fructus_types::block::Block| {
        let cert = fructus_consensus::encode_certificate(block.header.height, 0, block.hash(), &[]);
        host.commit(block, cert).unwrap();
    };
    // Block 1: bob pays carol's fees until height 2.
    let (bob, carol) = (
        key_for("bob", KeyAlgo::Ed25519),
        key_for("carol", KeyAlgo::Ed25519),
    );
    let grant = fructus_client::tx::TxBuilder::new(CHAIN_ID)
        .message(msgs::grant_fee(
            &carol.public_key().address(),
            &coins("1000000ufrx"),
            2,
            &[],
        ))
        .sign(&bob);
    admit(&grant);
    let block1 = host.propose(1, 0, address).unwrap();
    assert_eq!(block1.txs, vec![grant]);
    commit(&mut host, block1);
    // carol's transaction, paid by bob's grant, is valid for block 2 ...
    let granted = fructus_client::tx::TxBuilder::new(CHAIN_ID)
        .payer(bob.public_key().address())
        .message(msgs::send(
            &key_for("dave", KeyAlgo::P256).public_key().address(),
            &coins("1ufrx"),
        ))
        .sign(&carol);
    let hash = admit(&granted);
    // ... but block 2 (another proposer's) leaves it out. It names neither
    // bob nor carol, so the update after it does not re-check it, though
    // the grant expires for block 3.
    let mut block2 = host.propose(2, 0, address).unwrap();
    block2.txs.clear();
    block2.header.tx_root = tx_root(&[]);
    commit(&mut host, block2);
    assert!(mempool.lock().unwrap().contains(&hash));
    // Block 3's plan leaves it out; the commit of block 3 re-checks it and
    // drops it.
    let block3 = host.propose(3, 0, address).unwrap();
    assert!(block3.txs.is_empty());
    assert!(mempool.lock().unwrap().contains(&hash));
    commit(&mut host, block3);
    assert!(!mempool.lock().unwrap().contains(&hash));
    assert!(mempool.lock().unwrap().is_empty());
}
