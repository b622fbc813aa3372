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

use fructus_app::{BlockInfo, pipeline::window::WINDOW_BLOCKS};
use fructus_client::tx::msgs;
use fructus_test_utils::{
    assert_code, assert_ok, coin, coins,
    metering::{METER, Metered},
};
use fructus_types::BlockTime;

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
