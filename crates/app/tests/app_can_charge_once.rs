//! Identical signed bytes are charged at most once, and an included
//! transaction always pays its fee: the included-transaction window, the
//! device sequence used up by a failed reading, and fee-first block
//! delivery (audit findings 5, 8 and 13).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::{
    App, BlockInfo, TxCheckError, TxResult, pipeline::window::WINDOW_BLOCKS, simulate, state_key,
};
use fructus_auth::AuthParams;
use fructus_client::tx::msgs;
use fructus_storage::{StateRead, Storage};
use fructus_test_utils::{
    CHAIN_ID, TestChain, assert_code, assert_ok, coin, coins,
    metering::{METER, Metered},
};
use fructus_types::{BlockTime, tx::TxHash};

/// Alice's ufrx (she pays the device's fees through her grant).
fn alice_ufrx(f: &Metered) -> u128 {
    f.chain.balance(&f.chain.addr("alice"), "ufrx")
}

fn next_info(f: &Metered) -> BlockInfo {
    BlockInfo::new(
        f.chain.app.height().unwrap() + 1,
        BlockTime(f.chain.time() + 1_000),
    )
}

#[test]
fn a_failed_reading_replayed_n_times_is_charged_once() {
    // No contract yet: the reading passes the ante, pays its fee, and
    // fails in execution (its sequence used to stay unused).
    let mut f = Metered::new();
    let tx = f.reading_tx(METER, 1, 10, 0);
    let before = alice_ufrx(&f);
    let first = f.chain.run(tx.clone());
    assert!(!first.is_ok(), "no contract: the reading fails");
    let fee = before - alice_ufrx(&f);
    assert!(fee > 0, "the failed reading paid its fee");
    assert_eq!(
        f.device_record().last_sequence,
        1,
        "its sequence is used up"
    );

    // The same bytes, N times in later blocks: refused before the fee.
    let after_first = alice_ufrx(&f);
    for _ in 0..5 {
        let again = f.chain.run(tx.clone());
        assert_code(&again, "tx", fructus_app::TxCheckError::ALREADY_INCLUDED);
        assert!(again.events.is_empty());
    }
    // And N times in one block.
    let results = f.chain.block(vec![tx.clone(); 5]);
    assert!(
        results
            .iter()
            .all(|r| r.code == fructus_app::TxCheckError::ALREADY_INCLUDED && r.codespace == "tx")
    );
    assert_eq!(alice_ufrx(&f), after_first, "charged once in all");
    // Admission refuses the bytes too.
    assert_eq!(
        f.chain.app.check_tx(&tx).unwrap_err().code,
        fructus_app::TxCheckError::ALREADY_INCLUDED
    );

    // After the window forgot the hash, the used-up sequence still refuses.
    for _ in 0..WINDOW_BLOCKS {
        f.chain.block(vec![]);
    }
    let late = f.chain.run(tx);
    assert_eq!(late.codespace, "metering", "{late:?}");
    assert_eq!(alice_ufrx(&f), after_first);
}

#[test]
fn identical_bytes_in_one_block_are_charged_once() {
    let mut f = Metered::new();
    f.contract(
        &fructus_client::metering::ContractTerms::prepaid(coin("1ufrx"), 1),
        Some("100ufrx"),
    );
    // Sequence 1 was the contract's baseline reading.
    let tx = f.reading_tx(METER, 2, 5, 0);
    let before = alice_ufrx(&f);
    let results = f.chain.block(vec![tx.clone(), tx.clone(), tx]);
    assert_ok(&results[0]);
    assert_code(
        &results[1],
        "tx",
        fructus_app::TxCheckError::ALREADY_INCLUDED,
    );
    assert_code(
        &results[2],
        "tx",
        fructus_app::TxCheckError::ALREADY_INCLUDED,
    );
    let one_fee = before - alice_ufrx(&f);
    let single = f.reading_tx(METER, 3, 6, 0);
    let before = alice_ufrx(&f);
    assert_ok(&f.chain.run(single));
    assert_eq!(before - alice_ufrx(&f), one_fee, "one fee for three copies");
}

#[test]
fn a_failed_included_reading_always_pays_its_fee() {
    // Descending sequences in one block: all are charged first, then the
    // highest runs and the lower ones fail — each having paid.
    let mut f = Metered::new();
    f.contract(
        &fructus_client::metering::ContractTerms::prepaid(coin("1ufrx"), 1),
        Some("1000ufrx"),
    );
    let before = alice_ufrx(&f);
    // Sequence 1 was the contract's baseline reading.
    let txs: Vec<Vec<u8>> = (2..=11)
        .rev()
        .map(|seq| f.reading_tx(METER, seq, seq * 10, 0))
        .collect();
    let results = f.chain.block(txs);
    assert_ok(&results[0]);
    for r in &results[1..] {
        assert_eq!(r.codespace, "metering", "{r:?}");
        assert_eq!(r.events.first().map(|e| e.kind.as_str()), Some("tx.fee"));
    }
    assert!(before > alice_ufrx(&f));
}

#[test]
fn validation_refuses_a_block_of_stale_transactions_that_would_fail_for_free() {
    let mut f = Metered::new();
    f.contract(
        &fructus_client::metering::ContractTerms::prepaid(coin("1ufrx"), 1),
        Some("1000ufrx"),
    );
    assert_ok(&f.chain.run(f.reading_tx(METER, 5, 50, 0)));
    // Stale: sequences at or below the stored one (other bytes each).
    let stale: Vec<Vec<u8>> = (1..=5).map(|s| f.reading_tx(METER, s, s, 1)).collect();
    let verdicts = f.chain.app.plan_block(next_info(&f), &stale).unwrap();
    assert!(verdicts.iter().all(Option::is_some), "{verdicts:?}");
    // A fresh one between them is kept; the plan names only the stale.
    let mixed = vec![stale[0].clone(), f.reading_tx(METER, 6, 60, 0)];
    let verdicts = f.chain.app.plan_block(next_info(&f), &mixed).unwrap();
    assert!(verdicts[0].is_some() && verdicts[1].is_none());
    // A nonce already used, and a fee the payer cannot pay, are refused too.
    let bob = f.chain.addr("bob");
    let used = f
        .chain
        .tx("bob")
        .nonce(0)
        .message(msgs::send(&bob, &coins("1ufrx")))
        .sign(f.chain.key("bob"));
    assert_ok(&f.chain.run(used.clone()));
    let broke = fructus_test_utils::key_for("broke", fructus_crypto::KeyAlgo::Ed25519);
    let unpaid = fructus_client::tx::TxBuilder::new(fructus_test_utils::CHAIN_ID)
        .message(msgs::send(&bob, &coins("1ufrx")))
        .sign(&broke);
    let verdicts = f
        .chain
        .app
        .plan_block(next_info(&f), &[used, unpaid, vec![1, 2, 3]])
        .unwrap();
    assert_eq!(
        verdicts[0].as_ref().unwrap().code,
        fructus_app::TxCheckError::ALREADY_INCLUDED
    );
    assert_eq!(
        verdicts[1].as_ref().unwrap().code,
        fructus_app::TxCheckError::INSUFFICIENT_FEE
    );
    assert_eq!(
        verdicts[2].as_ref().unwrap().code,
        fructus_app::TxCheckError::UNDECODABLE
    );
    // Planning wrote nothing.
    assert_eq!(f.chain.app.plan_block(next_info(&f), &[]).unwrap(), vec![]);
}

#[test]
fn the_window_survives_a_restart() {
    let mut f = Metered::new();
    let tx = f.reading_tx(METER, 1, 10, 0);
    assert!(!f.chain.run(tx.clone()).is_ok());
    f.chain.restart();
    assert_code(
        &f.chain.run(tx),
        "tx",
        fructus_app::TxCheckError::ALREADY_INCLUDED,
    );
}

/// A signed send of 1ufrx from alice to bob with her committed nonce.
fn send(chain: &TestChain, amount: u128) -> Vec<u8> {
    chain
        .tx("alice")
        .message(msgs::send(
            &chain.addr("bob"),
            &coins(&format!("{amount}ufrx")),
        ))
        .sign(chain.key("alice"))
}

/// Asserts `result` is the window's refusal naming `height`.
fn refused_at(result: &TxResult, height: u64) {
    assert_code(result, "tx", TxCheckError::ALREADY_INCLUDED);
    assert!(
        result.log.contains(&format!("at height {height};")),
        "{result:?}"
    );
}

/// The verdicts of admission, simulation and block planning for `tx` at
/// the next height: all three run the window the block would.
fn outside_codes(chain: &TestChain, tx: &[u8]) -> [u32; 3] {
    let admission = chain.app.check_tx(tx).unwrap_err().code;
    let parsed =
        fructus_app::pipeline::stateless::check(tx, CHAIN_ID, &AuthParams::default()).unwrap();
    let simulated = simulate(
        chain.app.snapshot().unwrap(),
        &chain.app.window(),
        CHAIN_ID,
        &parsed,
    )
    .unwrap()
    .code;
    let info = BlockInfo::new(
        chain.app.height().unwrap() + 1,
        BlockTime(chain.time() + 1_000),
    );
    let planned = chain.app.plan_block(info, &[tx.to_vec()]).unwrap()[0]
        .as_ref()
        .unwrap()
        .code;
    [admission, simulated, planned]
}

#[test]
fn a_duplicate_is_refused_with_its_height_after_a_restart_until_its_block_leaves_the_window() {
    let mut chain = TestChain::new();
    let tx = send(&chain, 1);
    assert_ok(&chain.run(tx.clone()));
    let included = chain.app.height().unwrap();
    chain.restart();
    refused_at(&chain.run(tx.clone()), included);
    // Up to the last block of the window (restarting on the way: the
    // lookup is rebuilt from the lists each time).
    while chain.app.height().unwrap() < included + WINDOW_BLOCKS - 2 {
        chain.block(vec![]);
        if chain.app.height().unwrap().is_multiple_of(20) {
            chain.restart();
        }
    }
    chain.restart();
    assert_eq!(
        outside_codes(&chain, &tx),
        [TxCheckError::ALREADY_INCLUDED; 3]
    );
    // The block `WINDOW_BLOCKS - 1` after it still refuses it by the window…
    refused_at(&chain.run(tx.clone()), included);
    assert_eq!(chain.app.height().unwrap(), included + WINDOW_BLOCKS - 1);
    // …the next one no longer does: only the used nonce refuses it now,
    // and admission, simulation and planning agree with the block.
    chain.restart();
    assert_eq!(outside_codes(&chain, &tx), [TxCheckError::NONCE_TOO_LOW; 3]);
    assert_code(&chain.run(tx), "tx", TxCheckError::NONCE_TOO_LOW);
}

#[test]
fn a_restored_snapshot_refuses_the_duplicates_of_its_window() {
    let mut chain = TestChain::new();
    let tx = send(&chain, 1);
    assert_ok(&chain.run(tx.clone()));
    let included = chain.app.height().unwrap();
    chain.block(vec![]);
    // Export the state the way `fructus snapshot export` does, restore it
    // into a fresh store (state sync), and open an app over it.
    let mut entries = fructus_storage::ChangeSet::new();
    let (version, root) = chain
        .app
        .storage()
        .export(1 << 16, |chunk| {
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = borsh::from_slice(&chunk).unwrap();
            for (k, v) in pairs {
                entries.put(k, v);
            }
            Ok(())
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    assert_eq!(storage.restore(entries, version).unwrap(), root);
    let mut restored = App::new(storage).unwrap();
    assert_eq!(restored.window().included_at(&tx_hash(&tx)), Some(included));
    assert_eq!(
        restored.check_tx(&tx).unwrap_err().code,
        TxCheckError::ALREADY_INCLUDED
    );
    let info = BlockInfo::new(version + 1, BlockTime(chain.time() + 1_000));
    let outcome = restored
        .execute_block(info, std::slice::from_ref(&tx))
        .unwrap();
    refused_at(&outcome.results[0], included);
    // And it reaches the same app hash as the node it was restored from.
    assert_eq!(chain.run(tx), outcome.results[0]);
    assert_eq!(chain.app_hash(), outcome.app_hash);
}

#[test]
fn a_restored_snapshot_whose_window_list_was_altered_does_not_open() {
    let mut chain = TestChain::new();
    let tx = send(&chain, 1);
    assert_ok(&chain.run(tx.clone()));
    let included = chain.app.height().unwrap();
    // The list is kept beside the tree: altering it in the exported
    // entries leaves the root unchanged…
    let mut entries = fructus_storage::ChangeSet::new();
    let (version, root) = chain
        .app
        .storage()
        .export(1 << 16, |chunk| {
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = borsh::from_slice(&chunk).unwrap();
            for (k, v) in pairs {
                entries.put(k, v);
            }
            Ok(())
        })
        .unwrap();
    let list = state_key::included_at(included);
    entries.put(list, borsh::to_vec(&Vec::<TxHash>::new()).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    assert_eq!(storage.restore(entries, version).unwrap(), root);
    // …but its digest in the tree does not match: the app refuses to open
    // rather than forget the transaction and charge it again.
    assert!(App::new(storage).is_err());
}

fn tx_hash(tx: &[u8]) -> TxHash {
    fructus_app::pipeline::stateless::check(tx, CHAIN_ID, &AuthParams::default())
        .unwrap()
        .tx
        .hash
}

#[test]
fn no_per_hash_key_is_written_only_the_blocks_list() {
    let mut chain = TestChain::new();
    let txs = vec![send(&chain, 1), send(&chain, 2)];
    let results = chain.block(txs.clone());
    assert_ok(&results[0]);
    assert_code(&results[1], "tx", TxCheckError::NONCE_TOO_LOW);
    let twin = vec![txs[0].clone(), txs[0].clone()];
    chain.block(vec![]);
    let height = chain.app.height().unwrap() - 1;
    let snapshot = chain.app.snapshot().unwrap();
    assert_eq!(
        snapshot.prefix_raw(b"app/included/", None, 10).unwrap(),
        vec![],
        "the window writes no key per transaction"
    );
    assert_eq!(
        snapshot
            .get::<Vec<TxHash>>(&state_key::included_at(height))
            .unwrap(),
        Some(vec![tx_hash(&txs[0])]),
        "only the charged hash is in its block's list"
    );
    assert_eq!(
        chain.app.window().included_at(&tx_hash(&txs[0])),
        Some(height)
    );
    assert_eq!(chain.app.window().included_at(&tx_hash(&txs[1])), None);
    // A block of duplicates charges none and lists none.
    let results = chain.block(twin);
    refused_at(&results[0], height);
    refused_at(&results[1], height);
    let snapshot = chain.app.snapshot().unwrap();
    let last = chain.app.height().unwrap();
    assert_eq!(
        snapshot
            .get::<Vec<TxHash>>(&state_key::included_at(last))
            .unwrap(),
        None
    );
}

/// Deterministic pseudo-random numbers (no clock, no entropy).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn a_node_restarted_mid_run_reaches_the_same_app_hash_as_one_that_was_not() {
    for seed in [1u64, 2, 3] {
        let mut steady = TestChain::new();
        let mut restarted = TestChain::new();
        let mut rng = Lcg(seed);
        // Every transaction sent so far, by the height it was sent at.
        let mut sent: Vec<(u64, Vec<u8>)> = Vec::new();
        for _ in 0..WINDOW_BLOCKS + 12 {
            let height = steady.app.height().unwrap() + 1;
            let fresh = send(&steady, 1 + u128::from(rng.next() % 1_000));
            // The fresh send twice, and replays of earlier ones: some
            // inside the window, some just out of it.
            let mut txs = vec![fresh.clone(), fresh.clone()];
            for _ in 0..3 {
                if !sent.is_empty() {
                    let pick = usize::try_from(rng.next()).unwrap() % sent.len();
                    txs.push(sent[pick].1.clone());
                }
            }
            for back in [WINDOW_BLOCKS - 1, WINDOW_BLOCKS] {
                if let Some((_, tx)) = sent.iter().find(|(h, _)| *h + back == height) {
                    txs.push(tx.clone());
                }
            }
            let expected = steady.block(txs.clone());
            let got = restarted.block(txs);
            assert_eq!(expected, got, "seed {seed}, height {height}");
            assert_eq!(
                steady.app_hash(),
                restarted.app_hash(),
                "seed {seed}, height {height}"
            );
            assert_ok(&expected[0]);
            refused_at(&expected[1], height);
            for (r, back) in expected
                .iter()
                .rev()
                .zip([WINDOW_BLOCKS, WINDOW_BLOCKS - 1])
            {
                if height > WINDOW_BLOCKS {
                    if back == WINDOW_BLOCKS {
                        assert_code(r, "tx", TxCheckError::NONCE_TOO_LOW);
                    } else {
                        refused_at(r, height - back);
                    }
                }
            }
            sent.push((height, fresh));
            if rng.next().is_multiple_of(5) {
                restarted.restart();
            }
        }
    }
}
