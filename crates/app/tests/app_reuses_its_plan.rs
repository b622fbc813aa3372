//! A validator plans the block it is asked to vote on
//! ([`fructus_app::App::plan_block`]: every ante in order), then delivers
//! it; the app keeps the plan's state after the ante pass so delivery runs
//! only the messages (issue 20). The plan is used only for exactly the
//! block planned: any other block — other transactions, another time, a
//! block with nothing delivered, a later plan — is
//! executed from scratch. Each scenario runs the same blocks on a chain
//! that never plans and requires equal results, block events and app
//! hashes, and asserts whether the plan was used.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::{BlockInfo, Execution, TxResult};
use fructus_client::tx::msgs;
use fructus_test_utils::{TestChain, assert_code, assert_ok, coins};
use fructus_types::BlockTime;

/// The chain that plans (`planner`) and the reference that never does.
struct Pair {
    planner: TestChain,
    reference: TestChain,
}

impl Pair {
    fn new(execution: Execution) -> Self {
        let mut pair = Pair {
            planner: TestChain::new(),
            reference: TestChain::new(),
        };
        pair.planner.app.set_execution(execution);
        pair.reference.app.set_execution(execution);
        pair
    }

    /// The next block's info at `ms` after the last block.
    fn info(&self, ms: u64) -> BlockInfo {
        BlockInfo::new(
            self.reference.app.height().unwrap() + 1,
            BlockTime(self.reference.time() + ms),
        )
    }

    /// How many blocks of the planner reused a plan so far.
    fn reused(&self) -> u64 {
        self.planner.app.parallel_stats().plans_reused
    }

    /// Executes `txs` as the block `info` on both chains (the planner
    /// after whatever plans the caller made) and asserts they agree.
    #[track_caller]
    fn execute(&mut self, info: BlockInfo, txs: &[Vec<u8>]) -> Vec<TxResult> {
        let planned = self.planner.app.execute_block(info.clone(), txs).unwrap();
        let reference = self.reference.app.execute_block(info.clone(), txs).unwrap();
        assert_eq!(planned.results, reference.results, "results differ");
        assert_eq!(
            planned.block_events, reference.block_events,
            "block events differ"
        );
        assert_eq!(planned.app_hash, reference.app_hash, "app hashes differ");
        // Keep the fixture clocks at the last block's time.
        let ms = info.time.0 - self.reference.time();
        self.planner.advance_time(ms);
        self.reference.advance_time(ms);
        reference.results
    }

    /// A send of `amount` ufrx from `from` to bob at `from`'s committed
    /// nonce plus `offset`.
    fn send(&self, from: &str, amount: u128, offset: u64) -> Vec<u8> {
        let chain = &self.reference;
        chain
            .tx(from)
            .nonce(chain.nonce(&chain.addr(from)) + offset)
            .message(msgs::send(
                &chain.addr("bob"),
                &coins(&format!("{amount}ufrx")),
            ))
            .sign(chain.key(from))
    }
}

#[test]
fn the_block_planned_is_delivered_from_its_plan_with_the_same_outcome() {
    for execution in [Execution::Parallel, Execution::Sequential] {
        let mut pair = Pair::new(execution);
        // Charged and successful, charged and failing in its message
        // (overspend), refused before its fee (wrong nonce).
        let txs = vec![
            pair.send("alice", 5, 0),
            pair.send("alice", 7, 1),
            pair.send("carol", 10_000_000_000_000, 0),
            pair.send("dave", 3, 4),
        ];
        let info = pair.info(1_000);
        let verdicts = pair.planner.app.plan_block(info.clone(), &txs).unwrap();
        assert_eq!(
            verdicts.iter().map(Option::is_none).collect::<Vec<_>>(),
            [true, true, true, false],
            "{execution:?}: only the wrong nonce is refused before its fee"
        );
        let results = pair.execute(info, &txs);
        assert_eq!(pair.reused(), 1, "{execution:?}: the plan was used");
        assert_ok(&results[0]);
        assert_ok(&results[1]);
        assert!(!results[2].is_ok(), "the overspend fails");
        assert_code(&results[3], "tx", fructus_app::TxCheckError::NONCE_TOO_HIGH);
        // The next block plans nothing: executed from scratch.
        let txs = vec![pair.send("alice", 1, 0)];
        let results = pair.execute(pair.info(1_000), &txs);
        assert_ok(&results[0]);
        assert_eq!(pair.reused(), 1, "{execution:?}: no plan, none used");
    }
}

#[test]
fn another_block_at_the_planned_height_is_executed_without_the_plan() {
    let mut pair = Pair::new(Execution::Parallel);
    let planned = vec![pair.send("alice", 5, 0), pair.send("carol", 6, 0)];
    let info = pair.info(1_000);

    // Other transactions (a proposal of another round): the plan's fees
    // must not stay charged.
    pair.planner.app.plan_block(info.clone(), &planned).unwrap();
    let other = vec![pair.send("alice", 9, 0)];
    pair.execute(info.clone(), &other);
    assert_eq!(pair.reused(), 0);
    assert_eq!(
        pair.planner.balance(&pair.planner.addr("carol"), "ufrx"),
        fructus_test_utils::INITIAL_UFRX,
        "carol's planned fee was not charged"
    );

    // Another time for the same transactions.
    let txs = vec![pair.send("alice", 5, 0)];
    let info = pair.info(1_000);
    pair.planner.app.plan_block(info.clone(), &txs).unwrap();
    pair.execute(pair.info(2_000), &txs);
    assert_eq!(pair.reused(), 0);

    // A subset of the plan (a proposer dropping what it refused).
    let txs = vec![pair.send("alice", 5, 0), pair.send("carol", 6, 0)];
    let info = pair.info(1_000);
    pair.planner.app.plan_block(info.clone(), &txs).unwrap();
    pair.execute(info, &txs[1..]);
    assert_eq!(pair.reused(), 0);
}

#[test]
fn only_the_last_plan_counts_and_only_for_its_height() {
    let mut pair = Pair::new(Execution::Parallel);
    let first = vec![pair.send("alice", 5, 0)];
    let second = vec![pair.send("carol", 6, 0)];
    let info = pair.info(1_000);
    // Two proposals at one height (two rounds): the later plan is kept.
    pair.planner.app.plan_block(info.clone(), &first).unwrap();
    pair.planner.app.plan_block(info.clone(), &second).unwrap();
    pair.execute(info.clone(), &first);
    assert_eq!(pair.reused(), 0, "the first plan was replaced");

    let txs = vec![pair.send("carol", 6, 0)];
    let info = pair.info(1_000);
    pair.planner.app.plan_block(info.clone(), &txs).unwrap();
    pair.planner.app.plan_block(info.clone(), &txs).unwrap();
    pair.execute(info.clone(), &txs);
    assert_eq!(pair.reused(), 1, "the same block planned twice is used");

    // A plan for a height, then that height committed without it (a
    // block it was not for): the next block starts from scratch.
    let txs = vec![pair.send("alice", 1, 0)];
    let info = pair.info(1_000);
    pair.planner.app.plan_block(info.clone(), &txs).unwrap();
    pair.execute(info, &[]);
    let next = vec![pair.send("alice", 1, 0)];
    pair.execute(pair.info(1_000), &next);
    assert_eq!(pair.reused(), 1);
}

#[test]
fn a_planned_block_that_delivers_nothing_carries_nothing() {
    let mut pair = Pair::new(Execution::Parallel);
    let txs = vec![pair.send("alice", 5, 0), pair.send("carol", 6, 0)];
    let info = pair.info(1_000);
    pair.planner.app.plan_block(info.clone(), &txs).unwrap();
    // begin and end with no delivery: the plan's fees are not kept.
    pair.planner.app.begin_block(info.clone()).unwrap();
    let planner_events = pair.planner.app.end_block().unwrap();
    let planner_hash = pair.planner.app.commit().unwrap();
    pair.reference.app.begin_block(info.clone()).unwrap();
    let reference_events = pair.reference.app.end_block().unwrap();
    let reference_hash = pair.reference.app.commit().unwrap();
    assert_eq!(planner_events, reference_events);
    assert_eq!(planner_hash, reference_hash);
    assert_eq!(
        pair.planner.nonce(&pair.planner.addr("alice")),
        0,
        "alice's planned transaction was not charged"
    );
    assert_eq!(pair.reused(), 0);
}

#[test]
fn a_planned_block_delivered_in_pieces_uses_the_plan_only_for_exactly_its_transactions() {
    let mut pair = Pair::new(Execution::Parallel);
    let txs = vec![pair.send("alice", 5, 0), pair.send("alice", 6, 1)];
    let info = pair.info(1_000);
    pair.planner.app.plan_block(info.clone(), &txs).unwrap();
    // One at a time (as the single-transaction API does): the first call
    // is not the plan's list, so the block starts again without it.
    pair.planner.app.begin_block(info.clone()).unwrap();
    pair.reference.app.begin_block(info).unwrap();
    for tx in &txs {
        let planned = pair.planner.app.deliver_tx(tx).unwrap();
        let reference = pair.reference.app.deliver_tx(tx).unwrap();
        assert_eq!(planned, reference);
        assert_ok(&planned);
    }
    assert_eq!(
        pair.planner.app.end_block().unwrap(),
        pair.reference.app.end_block().unwrap()
    );
    assert_eq!(
        pair.planner.app.commit().unwrap(),
        pair.reference.app.commit().unwrap()
    );
    assert_eq!(pair.reused(), 0);
}
