//! Crash between storing a decided block and committing (or syncing) app
//! state: on restart the node executes the stored blocks the state lacks
//! again and ends up exactly where an uninterrupted node would be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::sync::{Arc, Mutex};

use fructus_app::{App, BlockInfo, ConsensusValidator};
use fructus_bank::BankStateReadExt;
use fructus_client::tx::msgs;
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_node::{
    BlockStore, Mempool,
    config::MAX_SYNC_EVERY_BLOCKS,
    config::{ConsensusSection, MempoolConfig},
    host::{Host, recover},
    shared::{Head, Shared},
};
use fructus_storage::Storage;
use fructus_test_utils::{CHAIN_ID, INITIAL_UFRX, coins, genesis, key_for};
use fructus_types::{
    BlockTime,
    block::{Block, BlockHeader, tx_root},
};

fn open(dir: &std::path::Path) -> (App, Arc<BlockStore>) {
    let storage = Storage::open(&dir.join("state")).unwrap();
    (
        App::new(storage).unwrap(),
        Arc::new(BlockStore::open(&dir.join("blocks.redb")).unwrap()),
    )
}

fn host(app: App, store: Arc<BlockStore>) -> Host {
    let window = app.window();
    Host::new(
        app,
        store,
        Arc::new(Mutex::new(Mempool::new(
            MempoolConfig::default(),
            CHAIN_ID,
            window,
        ))),
        Arc::new(Shared::new(Head::default(), 16)),
        ConsensusSection::default(),
    )
}

/// A block at `height` carrying `txs`, built on `app_hash` (a block with no
/// last commit and no evidence).
fn block(
    height: u64,
    time_ms: u64,
    app_hash: [u8; 32],
    proposer: fructus_types::Address,
    txs: Vec<Vec<u8>>,
) -> Block {
    Block {
        header: BlockHeader {
            chain_id: CHAIN_ID.into(),
            height,
            time: BlockTime(time_ms),
            prev_block_hash: [0; 32],
            app_hash,
            tx_root: tx_root(&txs),
            proposer,
            validator_set_hash: [0; 32],
            last_commit_hash: fructus_crypto::sha256(&[]),
            evidence_hash: fructus_types::block::evidence_hash(&[]),
        },
        txs,
        last_commit: Vec::new(),
        evidence: Vec::new(),
    }
}

#[test]
fn a_stored_but_unapplied_block_is_replayed_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let validator = SigningKey::from_seed(KeyAlgo::Ed25519, &[3; 32]).unwrap();
    let mut g = genesis();
    fructus_test_utils::add_genesis_validator(&mut g, "alice", validator.public_key(), 1_000_000);
    let validators = vec![ConsensusValidator {
        moniker: "alice".into(),
        public_key: validator.public_key(),
        power: fructus_staking::TOTAL_POWER,
    }];
    let alice = key_for("alice", KeyAlgo::Ed25519);
    let bob = key_for("bob", KeyAlgo::Ed25519).public_key().address();
    let tx = fructus_client::tx::TxBuilder::new(CHAIN_ID)
        .message(msgs::send(&bob, &coins("500ufrx")))
        .sign(&alice);

    let (mut app, store) = open(dir.path());
    let genesis_root = app.init_genesis(&g).unwrap();
    let block = block(
        1,
        fructus_test_utils::GENESIS_MS + 1_000,
        genesis_root.0,
        validator.public_key().address(),
        vec![tx],
    );
    // What an uninterrupted node computes, on a separate copy.
    let expected_root = {
        let other = tempfile::tempdir().unwrap();
        let (mut twin, _) = open(other.path());
        twin.init_genesis(&g).unwrap();
        twin.execute_block(BlockInfo::new(1, block.header.time), &block.txs)
            .unwrap()
            .app_hash
    };
    // The crash: the block and its certificate reached the block store,
    // the app state did not.
    store
        .save(&block, b"certificate", &[], &[], &validators)
        .unwrap();
    drop((app, store));

    let (app, store) = open(dir.path());
    assert_eq!(app.height().unwrap(), 0);
    let mut host = host(app, store);
    let head = recover(&mut host).unwrap();
    assert_eq!(head.height, 1);
    assert_eq!(head.app_hash, expected_root.0);
    assert_eq!(head.block_hash, block.hash());
    drop(host);
    let (app, _) = open(dir.path());
    let snap = app.snapshot().unwrap();
    assert_eq!(
        snap.balance(&bob, &fructus_types::Denom::native())
            .unwrap()
            .value(),
        INITIAL_UFRX + 500
    );
}

/// `count` blocks of one transfer each from alice to bob (nonces 0, 1, …),
/// each built on the app hash an uninterrupted node has before it, and
/// the app hash after the last.
fn chain_of_transfers(
    g: &fructus_app::Genesis,
    proposer: fructus_types::Address,
    count: u64,
) -> (Vec<Block>, fructus_storage::RootHash) {
    let alice = key_for("alice", KeyAlgo::Ed25519);
    let bob = key_for("bob", KeyAlgo::Ed25519).public_key().address();
    let other = tempfile::tempdir().unwrap();
    let (mut twin, _) = open(other.path());
    let mut root = twin.init_genesis(g).unwrap();
    let mut blocks = Vec::new();
    for height in 1..=count {
        let tx = fructus_client::tx::TxBuilder::new(CHAIN_ID)
            .nonce(height - 1)
            .message(msgs::send(&bob, &coins("500ufrx")))
            .sign(&alice);
        let b = block(
            height,
            fructus_test_utils::GENESIS_MS + height * 1_000,
            root.0,
            proposer,
            vec![tx],
        );
        root = twin
            .execute_block(BlockInfo::new(height, b.header.time), &b.txs)
            .unwrap()
            .app_hash;
        blocks.push(b);
    }
    (blocks, root)
}

/// A node after a crash: its state at genesis, its block store holding
/// `blocks`.
fn crashed_with(dir: &std::path::Path, g: &fructus_app::Genesis, blocks: &[Block]) -> Host {
    let (mut app, store) = open(dir);
    app.init_genesis(g).unwrap();
    for b in blocks {
        store.save(b, b"c", &[], &[], &[]).unwrap();
    }
    host(app, store)
}

#[test]
fn blocks_the_state_did_not_sync_are_all_replayed() {
    // The state syncs every few blocks, the block store every block: a
    // crash can leave the state several stored blocks behind.
    let dir = tempfile::tempdir().unwrap();
    let g = genesis();
    let proposer = fructus_types::Address::from_bytes([1; 20]);
    let (blocks, expected) = chain_of_transfers(&g, proposer, 8);
    let mut host = crashed_with(dir.path(), &g, &blocks);
    let head = recover(&mut host).unwrap();
    assert_eq!(head.height, 8);
    assert_eq!(head.app_hash, expected.0);
    drop(host);
    let (app, _) = open(dir.path());
    let bob = key_for("bob", KeyAlgo::Ed25519).public_key().address();
    let paid = 500 * 8;
    assert_eq!(
        app.snapshot()
            .unwrap()
            .balance(&bob, &fructus_types::Denom::native())
            .unwrap()
            .value(),
        INITIAL_UFRX + paid
    );
}

#[test]
fn a_stored_block_that_does_not_build_on_the_state_is_refused() {
    use fructus_consensus::ConsensusHost as _;
    let dir = tempfile::tempdir().unwrap();
    let g = genesis();
    let proposer = fructus_types::Address::from_bytes([1; 20]);
    let (mut blocks, _) = chain_of_transfers(&g, proposer, 3);
    // Block 3 claims another state than the one blocks 1 and 2 leave.
    blocks[2].header.app_hash = [7; 32];
    let mut host = crashed_with(dir.path(), &g, &blocks);
    let err = recover(&mut host).unwrap_err();
    assert!(
        matches!(&err, fructus_node::NodeError::Inconsistent(m) if m.contains("builds on app hash")),
        "{err}"
    );
    // Blocks 1 and 2 were applied before the refusal; nothing after.
    assert_eq!(host.last_height().unwrap(), 2);
}

#[test]
fn a_block_store_far_ahead_of_state_is_refused() {
    // More stored blocks than a crash can leave unsynced: the state is not
    // this block store's (a swapped or damaged directory).
    use fructus_consensus::ConsensusHost as _;
    let dir = tempfile::tempdir().unwrap();
    let blocks: Vec<Block> = (1..=MAX_SYNC_EVERY_BLOCKS + 1)
        .map(|h| {
            block(
                h,
                h,
                [0; 32],
                fructus_types::Address::from_bytes([1; 20]),
                Vec::new(),
            )
        })
        .collect();
    let mut host = crashed_with(dir.path(), &genesis(), &blocks);
    let err = recover(&mut host).unwrap_err();
    assert!(
        matches!(&err, fructus_node::NodeError::Inconsistent(m) if m.contains("more than the")),
        "{err}"
    );
    assert_eq!(host.last_height().unwrap(), 0);
}

#[test]
fn a_block_that_cannot_be_stored_is_not_committed() {
    // The host stores a decided block on one thread while the app stages
    // its state on another; the state may be committed only once the
    // block is stored. Here the store refuses the block (it already holds
    // a height 1), so the state must stay at genesis.
    use fructus_consensus::ConsensusHost as _;
    let dir = tempfile::tempdir().unwrap();
    let (mut app, store) = open(dir.path());
    let genesis_root = app.init_genesis(&genesis()).unwrap();
    let alice = key_for("alice", KeyAlgo::Ed25519);
    let bob = key_for("bob", KeyAlgo::Ed25519).public_key().address();
    let txs = vec![
        fructus_client::tx::TxBuilder::new(CHAIN_ID)
            .message(msgs::send(&bob, &coins("500ufrx")))
            .sign(&alice),
    ];
    let block_with = |txs| {
        block(
            1,
            fructus_test_utils::GENESIS_MS + 1_000,
            genesis_root.0,
            fructus_types::Address::from_bytes([1; 20]),
            txs,
        )
    };
    store
        .save(&block_with(Vec::new()), b"c", &[], &[], &[])
        .unwrap();
    let mut host = host(app, Arc::clone(&store));

    assert!(host.commit(block_with(txs), b"c".to_vec()).is_err());
    assert_eq!(host.last_height().unwrap(), 0);
    drop(host);
    drop(store);
    let (app, store) = open(dir.path());
    assert_eq!(app.height().unwrap(), 0);
    assert_eq!(app.app_hash().unwrap(), genesis_root);
    let snap = app.snapshot().unwrap();
    assert_eq!(
        snap.balance(&bob, &fructus_types::Denom::native())
            .unwrap()
            .value(),
        INITIAL_UFRX
    );
    // The store kept its own block 1, without the refused block's txs.
    assert!(store.stored(1).unwrap().unwrap().block.txs.is_empty());
}
