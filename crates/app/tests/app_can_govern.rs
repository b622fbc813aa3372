//! Governance through the real app: proposals of every kind from
//! submission (with its dry run) through deposits, stake-weighted votes,
//! the regulators' veto, the tally and execution in end-block, the
//! community pool fed by fees and spent by proposals, and every refusal
//! typed with nothing changed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_amm::{AmmParams, AmmStateReadExt};
use fructus_app::TxResult;
use fructus_bank::GenesisBalance;
use fructus_client::tx::msgs;
use fructus_component::{ErrorCode, governance_authority};
use fructus_crypto::KeyAlgo;
use fructus_governance::{
    Content, GovernanceError, GovernanceParams, GovernanceStateReadExt, MAX_DEPOSITORS, Proposal,
    ProposalStatus, Tally, VoteOption, tally,
};
use fructus_identity::IdentityStateReadExt;
use fructus_proto::tx::v1::Message;
use fructus_staking::community_pool;
use fructus_test_utils::{
    INITIAL_UFRX, REGULATOR, TestChain, add_genesis_validator, assert_ok, coin, coins, genesis,
    key_for,
};
use fructus_types::{Coin, Coins, Denom};

/// Alice's validator's self-bond.
const ALICE_BOND: u128 = 300_000_000;
/// Bob's delegation to alice (in chains that have it).
const BOB_DELEGATION: u128 = 200_000_000;
/// The minimum deposit of these chains.
const MIN_DEPOSIT: u128 = 1_000;
/// Their voting period.
const VOTING: u64 = 6;
/// Their deposit period.
const DEPOSITING: u64 = 5;

fn params() -> GovernanceParams {
    GovernanceParams {
        min_deposit: MIN_DEPOSIT,
        expedited_min_deposit: 5 * MIN_DEPOSIT,
        deposit_period_blocks: DEPOSITING,
        voting_period_blocks: VOTING,
        expedited_voting_period_blocks: 2,
        quorum_bps: 3_340,
        threshold_bps: 5_000,
        expedited_threshold_bps: 6_667,
        veto_threshold_bps: 3_340,
        min_yes_share_bps: 2_000,
    }
}

/// Alice validates with [`ALICE_BOND`]; the regulator is funded; with
/// `delegate`, bob delegates [`BOB_DELEGATION`] to alice.
fn chain(delegate: bool) -> TestChain {
    let mut g = genesis();
    g.app_state.governance.params = params();
    g.app_state.bank.balances.push(GenesisBalance {
        address: key_for(REGULATOR, KeyAlgo::Ed25519).public_key().address(),
        coins: Coins::new(vec![Coin::new(Denom::native(), INITIAL_UFRX)]).unwrap(),
    });
    add_genesis_validator(
        &mut g,
        "alice",
        key_for("alice/consensus", KeyAlgo::Ed25519).public_key(),
        ALICE_BOND,
    );
    let mut chain = TestChain::with_genesis(g);
    if delegate {
        let alice = chain.addr("alice");
        assert_ok(&exec(
            &mut chain,
            "bob",
            msgs::staking_delegate(&alice, BOB_DELEGATION),
        ));
    }
    chain
}

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

#[track_caller]
fn assert_refused(r: &TxResult, expected: &GovernanceError) {
    assert_eq!(
        (r.codespace.as_str(), r.code),
        (expected.codespace(), expected.code()),
        "unexpected result: {r:?}"
    );
}

fn submit(chain: &mut TestChain, who: &str, content: Content, deposit: u128) -> TxResult {
    exec(
        chain,
        who,
        msgs::gov_submit_proposal(
            "a proposal",
            "why",
            &content,
            &Coin::new(Denom::native(), deposit),
            false,
        ),
    )
}

/// Submits `content` with the minimum deposit and returns its id.
fn propose(chain: &mut TestChain, content: Content) -> u64 {
    let r = submit(chain, "carol", content, MIN_DEPOSIT);
    assert_ok(&r);
    chain.app.snapshot().unwrap().next_proposal_id().unwrap() - 1
}

fn vote(chain: &mut TestChain, who: &str, id: u64, option: VoteOption) -> TxResult {
    exec(chain, who, msgs::gov_vote(id, option))
}

fn proposal(chain: &TestChain, id: u64) -> Proposal {
    chain.app.snapshot().unwrap().require_proposal(id).unwrap()
}

/// Runs empty blocks through the end of `id`'s voting period.
fn close_voting(chain: &mut TestChain, id: u64) {
    let end = proposal(chain, id).voting_end_height.unwrap();
    while chain.app.height().unwrap() < end {
        chain.block(Vec::new());
    }
}

fn amm_fee(chain: &TestChain) -> u16 {
    chain
        .app
        .snapshot()
        .unwrap()
        .amm_params()
        .unwrap()
        .default_fee_bps
}

fn amm_change(default_fee_bps: u16) -> Content {
    let params = AmmParams {
        default_fee_bps,
        ..AmmParams::default()
    };
    Content::ParamChange {
        module: "amm".into(),
        params_json: serde_json::to_string(&params).unwrap(),
    }
}

fn escrowed(chain: &TestChain) -> u128 {
    chain.balance(&governance_authority(), "ufrx")
}

#[test]
fn a_passed_param_change_takes_effect_at_the_end_of_voting_and_returns_the_deposit() {
    let mut chain = chain(false);
    let id = propose(&mut chain, amm_change(45));
    let p = proposal(&chain, id);
    assert_eq!(p.status, ProposalStatus::VotingPeriod);
    assert!(p.dry_run.error.is_none(), "{:?}", p.dry_run);
    assert!(
        p.dry_run
            .events
            .iter()
            .any(|e| e.kind == "amm.params_updated"),
        "the dry run records what the change would do: {:?}",
        p.dry_run.events
    );
    assert!(!p.regulatory);
    assert_eq!(escrowed(&chain), MIN_DEPOSIT);
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    let end = p.voting_end_height.unwrap();
    while chain.app.height().unwrap() < end - 1 {
        chain.block(Vec::new());
        assert_eq!(
            amm_fee(&chain),
            30,
            "unchanged before the last voting block"
        );
    }
    chain.block(Vec::new());
    assert_eq!(chain.app.height().unwrap(), end);
    assert_eq!(amm_fee(&chain), 45);
    let p = proposal(&chain, id);
    assert_eq!(p.status, ProposalStatus::Passed);
    let execution = p.execution.unwrap();
    assert_eq!(execution.height, end);
    assert!(execution.error.is_none());
    assert!(
        execution
            .events
            .iter()
            .any(|e| e.kind == "amm.params_updated")
    );
    let tally = p.tally.unwrap();
    assert_eq!((tally.yes, tally.total_bonded), (ALICE_BOND, ALICE_BOND));
    assert_eq!(escrowed(&chain), 0, "the deposit went back");
    assert!(
        chain
            .block_events
            .iter()
            .any(|e| e.kind == "gov.proposal_finished")
    );
}

#[test]
fn a_param_change_that_fails_validation_is_refused_at_submission() {
    let mut chain = chain(false);
    let carol = chain.addr("carol");
    let before = chain.balance(&carol, "ufrx");
    // 50 % is above the AMM's 10 % fee cap.
    let r = submit(&mut chain, "carol", amm_change(5_000), MIN_DEPOSIT);
    assert_eq!((r.codespace.as_str(), r.code), ("gov", 7), "{r:?}");
    assert!(r.log.contains("amm"), "{}", r.log);
    let unknown = Content::ParamChange {
        module: "nonesuch".into(),
        params_json: "{}".into(),
    };
    let r = submit(&mut chain, "carol", unknown, MIN_DEPOSIT);
    assert_refused(
        &r,
        &GovernanceError::ParamChangeRefused {
            codespace: String::new(),
            code: 0,
            message: String::new(),
        },
    );
    let snap = chain.app.snapshot().unwrap();
    assert_eq!(snap.next_proposal_id().unwrap(), 1, "no proposal stored");
    assert_eq!(escrowed(&chain), 0);
    let fees = 2 * chain.tx("carol").effective_fee().amount.value();
    assert_eq!(
        chain.balance(&carol, "ufrx"),
        before - fees,
        "only fees paid"
    );
}

#[test]
fn votes_outside_the_voting_period_are_refused() {
    let mut chain = chain(false);
    // Below the minimum: still in its deposit period.
    let r = submit(&mut chain, "carol", Content::Text, MIN_DEPOSIT / 2);
    assert_ok(&r);
    let not_open = GovernanceError::NotInVotingPeriod {
        id: 1,
        status: String::new(),
    };
    assert_refused(&vote(&mut chain, "alice", 1, VoteOption::Yes), &not_open);
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::gov_deposit(1, &Coin::new(Denom::native(), MIN_DEPOSIT / 2)),
    ));
    assert_eq!(proposal(&chain, 1).status, ProposalStatus::VotingPeriod);
    assert_ok(&vote(&mut chain, "alice", 1, VoteOption::Yes));
    close_voting(&mut chain, 1);
    assert_eq!(proposal(&chain, 1).status, ProposalStatus::Passed);
    assert_refused(&vote(&mut chain, "alice", 1, VoteOption::No), &not_open);
    assert_refused(
        &vote(&mut chain, "alice", 9, VoteOption::Yes),
        &GovernanceError::ProposalNotFound { id: 9 },
    );
    assert_refused(
        &exec(
            &mut chain,
            "bob",
            msgs::gov_deposit(1, &Coin::new(Denom::native(), 5)),
        ),
        &GovernanceError::NotAcceptingDeposits {
            id: 1,
            status: String::new(),
        },
    );
}

#[test]
fn a_second_vote_replaces_the_first_and_is_not_added() {
    let mut chain = chain(false);
    let id = propose(&mut chain, Content::Text);
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::No));
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    let snap = chain.app.snapshot().unwrap();
    assert_eq!(snap.votes(id, None, 10).unwrap().len(), 1);
    let t = tally::count(&snap, id).unwrap();
    assert_eq!(
        t,
        Tally {
            yes: ALICE_BOND,
            total_bonded: ALICE_BOND,
            regulators: 1,
            ..Tally::default()
        }
    );
}

#[test]
fn a_delegators_vote_overrides_its_validators_for_its_share() {
    let mut chain = chain(true);
    let id = propose(&mut chain, Content::Text);
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    assert_ok(&vote(&mut chain, "bob", id, VoteOption::No));
    let t = tally::count(&chain.app.snapshot().unwrap(), id).unwrap();
    assert_eq!(t.total_bonded, ALICE_BOND + BOB_DELEGATION);
    assert_eq!((t.yes, t.no), (ALICE_BOND, BOB_DELEGATION));
    // Without bob's own vote, alice's vote carries his share.
    let id = propose(&mut chain, Content::Text);
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::No));
    let t = tally::count(&chain.app.snapshot().unwrap(), id).unwrap();
    assert_eq!((t.yes, t.no), (0, ALICE_BOND + BOB_DELEGATION));
}

#[test]
fn a_vote_without_voting_power_is_refused_and_never_stored() {
    let mut chain = chain(true);
    let id = propose(&mut chain, Content::Text);
    let carol = chain.addr("carol");
    let r = vote(&mut chain, "carol", id, VoteOption::Yes);
    assert_refused(
        &r,
        &GovernanceError::NoVotingPower {
            voter: carol.to_string(),
        },
    );
    assert!(r.log.contains("delegate first"), "{r:?}");
    assert_eq!(
        chain.app.snapshot().unwrap().vote(id, &carol).unwrap(),
        None
    );
    // A delegation to the active validator gives her a vote.
    let alice = chain.addr("alice");
    assert_ok(&exec(
        &mut chain,
        "carol",
        msgs::staking_delegate(&alice, BOB_DELEGATION),
    ));
    assert_ok(&vote(&mut chain, "carol", id, VoteOption::Yes));
    let t = tally::count(&chain.app.snapshot().unwrap(), id).unwrap();
    assert_eq!(t.yes, BOB_DELEGATION);
}

#[test]
fn a_proposal_takes_at_most_max_depositors_and_an_existing_one_may_add() {
    let names: Vec<String> = (0..MAX_DEPOSITORS)
        .map(|i| format!("depositor-{i}"))
        .collect();
    let mut g = genesis();
    g.app_state.governance.params = params();
    for name in &names {
        g.app_state.bank.balances.push(GenesisBalance {
            address: key_for(name, KeyAlgo::Ed25519).public_key().address(),
            coins: Coins::new(vec![Coin::new(Denom::native(), INITIAL_UFRX)]).unwrap(),
        });
    }
    add_genesis_validator(
        &mut g,
        "alice",
        key_for("alice/consensus", KeyAlgo::Ed25519).public_key(),
        ALICE_BOND,
    );
    let mut chain = TestChain::with_genesis(g);
    for name in &names {
        chain.add_key(name, key_for(name, KeyAlgo::Ed25519));
    }
    // The deposit period stays open: one unit each never reaches the
    // minimum.
    assert_ok(&submit(&mut chain, &names[0], Content::Text, 1));
    let deposit = |chain: &mut TestChain, who: &str| {
        exec(
            chain,
            who,
            msgs::gov_deposit(1, &Coin::new(Denom::native(), 1)),
        )
    };
    let txs: Vec<Vec<u8>> = names[1..]
        .iter()
        .map(|n| {
            chain
                .tx(n)
                .message(msgs::gov_deposit(1, &Coin::new(Denom::native(), 1)))
                .sign(chain.key(n))
        })
        .collect();
    for r in chain.block(txs) {
        assert_ok(&r);
    }
    assert_eq!(proposal(&chain, 1).depositors, MAX_DEPOSITORS);
    let carol = chain.addr("carol");
    let escrow = escrowed(&chain);
    let before = chain.balance(&carol, "ufrx");
    let fee = chain.tx("carol").effective_fee().amount.value();
    let r = deposit(&mut chain, "carol");
    assert_refused(
        &r,
        &GovernanceError::TooManyDepositors {
            id: 1,
            max: MAX_DEPOSITORS,
        },
    );
    assert_eq!(escrowed(&chain), escrow);
    assert_eq!(
        chain.balance(&carol, "ufrx"),
        before - fee,
        "only its fee paid"
    );
    assert_eq!(chain.app.snapshot().unwrap().deposit(1, &carol).unwrap(), 0);
    // An existing depositor may add to its deposit.
    assert_ok(&deposit(&mut chain, &names[7]));
    let p = proposal(&chain, 1);
    assert_eq!(
        (p.depositors, p.total_deposit),
        (MAX_DEPOSITORS, u128::from(MAX_DEPOSITORS) + 1)
    );
    // At the deposit period's end every depositor is refunded.
    while chain.app.height().unwrap() <= p.deposit_end_height {
        chain.block(Vec::new());
    }
    assert_eq!(proposal(&chain, 1).status, ProposalStatus::DepositExpired);
    assert_eq!(escrowed(&chain), 0);
}

#[test]
fn abstentions_make_the_quorum_but_never_carry_a_proposal() {
    let mut chain = chain(true);
    let id = propose(&mut chain, amm_change(45));
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Abstain));
    close_voting(&mut chain, id);
    assert_eq!(proposal(&chain, id).status, ProposalStatus::Rejected);
    assert_eq!(amm_fee(&chain), 30);
    // bob's yes is 40 % of the votes, but the only decisive one: it passes
    // the threshold; the minimum yes share (20 % of all stake) is met.
    let id = propose(&mut chain, amm_change(45));
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Abstain));
    assert_ok(&vote(&mut chain, "bob", id, VoteOption::Yes));
    close_voting(&mut chain, id);
    assert_eq!(proposal(&chain, id).status, ProposalStatus::Passed);
    assert_eq!(amm_fee(&chain), 45);
}

#[test]
fn a_proposal_without_quorum_is_rejected_and_its_deposit_returned() {
    let mut chain = chain(true);
    let id = propose(&mut chain, amm_change(45));
    // carol has no stake: her vote is refused, so nobody votes.
    assert_refused(
        &vote(&mut chain, "carol", id, VoteOption::Yes),
        &GovernanceError::NoVotingPower {
            voter: chain.addr("carol").to_string(),
        },
    );
    close_voting(&mut chain, id);
    let p = proposal(&chain, id);
    assert_eq!(p.status, ProposalStatus::Rejected);
    assert_eq!(p.tally.unwrap().yes, 0);
    assert_eq!(escrowed(&chain), 0);
    assert_eq!(amm_fee(&chain), 30);
}

fn add_dave() -> Content {
    Content::RegulatorChange {
        add: vec![key_for("dave", KeyAlgo::P256).public_key().address()],
        remove: Vec::new(),
    }
}

fn is_regulator(chain: &TestChain, name: &str, algo: KeyAlgo) -> bool {
    chain
        .app
        .snapshot()
        .unwrap()
        .is_regulator(&key_for(name, algo).public_key().address())
        .unwrap()
}

#[test]
fn a_regulatory_proposal_passing_the_stake_vote_but_vetoed_by_regulators_burns_its_deposit() {
    let mut chain = chain(false);
    let supply = chain.supply("ufrx");
    let id = propose(&mut chain, add_dave());
    assert!(proposal(&chain, id).regulatory);
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    assert_ok(&vote(&mut chain, REGULATOR, id, VoteOption::NoWithVeto));
    close_voting(&mut chain, id);
    let p = proposal(&chain, id);
    assert_eq!(p.status, ProposalStatus::Vetoed);
    let t = p.tally.unwrap();
    assert_eq!((t.yes, t.regulators, t.regulators_veto), (ALICE_BOND, 1, 1));
    assert!(!is_regulator(&chain, "dave", KeyAlgo::P256));
    assert_eq!(escrowed(&chain), 0);
    assert_eq!(
        chain.supply("ufrx"),
        supply - MIN_DEPOSIT,
        "the deposit burned"
    );
}

#[test]
fn a_regulatory_proposal_needs_a_majority_of_regulators_voting_yes() {
    let mut chain = chain(false);
    let id = propose(&mut chain, add_dave());
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    close_voting(&mut chain, id);
    assert_eq!(proposal(&chain, id).status, ProposalStatus::Rejected);
    assert!(!is_regulator(&chain, "dave", KeyAlgo::P256));

    let id = propose(&mut chain, add_dave());
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    assert_ok(&vote(&mut chain, REGULATOR, id, VoteOption::Yes));
    close_voting(&mut chain, id);
    assert_eq!(proposal(&chain, id).status, ProposalStatus::Passed);
    assert!(is_regulator(&chain, "dave", KeyAlgo::P256));
}

#[test]
fn changing_the_super_node_share_is_regulatory_and_other_staking_params_are_not() {
    let mut chain = chain(false);
    let staking = |share: u16, window: u64| Content::ParamChange {
        module: "staking".into(),
        params_json: serde_json::to_string(&fructus_staking::StakingParams {
            super_node_share_bps: share,
            signed_blocks_window: window,
            ..fructus_staking::StakingParams::default()
        })
        .unwrap(),
    };
    let id = propose(&mut chain, staking(5_000, 1_000));
    assert!(proposal(&chain, id).regulatory);
    let id = propose(&mut chain, staking(3_400, 900));
    assert!(!proposal(&chain, id).regulatory);
}

#[test]
fn fees_feed_the_community_pool_and_a_treasury_spend_pays_from_it() {
    let mut chain = chain(false);
    let pool = community_pool();
    assert_eq!(chain.balance(&pool, "ufrx"), 0);
    let fee = chain.tx("carol").effective_fee().amount.value();
    assert_ok(&exec(
        &mut chain,
        "bob",
        msgs::send(&pool, &coins("100000ufrx")),
    ));
    // 2 % of the block's fee (the default share) went to the pool.
    assert_eq!(chain.balance(&pool, "ufrx"), 100_000 + fee * 200 / 10_000);
    let dave = chain.addr("dave");
    let before = chain.balance(&dave, "ufrx");
    let id = propose(
        &mut chain,
        Content::TreasurySpend {
            recipient: dave,
            amount: coin("50000ufrx"),
        },
    );
    assert!(proposal(&chain, id).dry_run.error.is_none());
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    let in_pool = chain.balance(&pool, "ufrx");
    close_voting(&mut chain, id);
    assert_eq!(proposal(&chain, id).status, ProposalStatus::Passed);
    assert_eq!(chain.balance(&dave, "ufrx"), before + 50_000);
    assert!(chain.balance(&pool, "ufrx") < in_pool);
}

#[test]
fn a_failing_execution_is_recorded_on_the_proposal_and_the_chain_goes_on() {
    let mut chain = chain(false);
    let dave = chain.addr("dave");
    let spend = Content::TreasurySpend {
        recipient: dave,
        amount: coin("999999999999ufrx"),
    };
    let id = propose(&mut chain, spend);
    let p = proposal(&chain, id);
    let dry = p.dry_run.error.expect("the dry run already saw it fail");
    assert_eq!(dry.codespace, "bank");
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    close_voting(&mut chain, id);
    let p = proposal(&chain, id);
    assert_eq!(p.status, ProposalStatus::Failed);
    let error = p.execution.unwrap().error.unwrap();
    assert_eq!(error.codespace, "bank");
    assert!(
        chain
            .block_events
            .iter()
            .any(|e| e.kind == "gov.execution_failed")
    );
    assert_eq!(escrowed(&chain), 0, "deposits of a failed proposal go back");
    // The chain goes on.
    assert_ok(&exec(&mut chain, "bob", msgs::send(&dave, &coins("1ufrx"))));
}

#[test]
fn an_expedited_proposal_that_misses_its_threshold_votes_on_as_a_regular_one() {
    let mut chain = chain(true);
    let r = exec(
        &mut chain,
        "carol",
        msgs::gov_submit_proposal(
            "fast",
            "",
            &amm_change(45),
            &Coin::new(Denom::native(), 5 * MIN_DEPOSIT),
            true,
        ),
    );
    assert_ok(&r);
    let p = proposal(&chain, 1);
    assert!(p.expedited);
    let start = p.voting_start_height.unwrap();
    assert_eq!(p.voting_end_height, Some(start + 2));
    // 60 % yes: short of the expedited 66.67 %, above the regular 50 %.
    assert_ok(&vote(&mut chain, "alice", 1, VoteOption::Yes));
    assert_ok(&vote(&mut chain, "bob", 1, VoteOption::No));
    // bob voted in the last expedited block: its tally converted it.
    assert_eq!(chain.app.height().unwrap(), start + 2);
    let p = proposal(&chain, 1);
    assert_eq!(p.status, ProposalStatus::VotingPeriod, "{p:?}");
    assert!(!p.expedited);
    assert_eq!(p.voting_end_height, Some(start + VOTING));
    assert_eq!(amm_fee(&chain), 30);
    close_voting(&mut chain, 1);
    assert_eq!(proposal(&chain, 1).status, ProposalStatus::Passed);
    assert_eq!(amm_fee(&chain), 45);
}

#[test]
fn a_deposit_that_never_reaches_the_minimum_expires_and_is_returned() {
    let mut chain = chain(false);
    assert_ok(&submit(&mut chain, "carol", Content::Text, 10));
    assert_eq!(escrowed(&chain), 10);
    let end = proposal(&chain, 1).deposit_end_height;
    while chain.app.height().unwrap() < end {
        chain.block(Vec::new());
    }
    assert_eq!(proposal(&chain, 1).status, ProposalStatus::DepositExpired);
    assert_eq!(escrowed(&chain), 0);
}

#[test]
fn malformed_proposals_are_refused_before_state() {
    let mut chain = chain(false);
    let r = exec(
        &mut chain,
        "carol",
        msgs::gov_submit_proposal("", "", &Content::Text, &coin("10ufrx"), false),
    );
    assert_refused(
        &r,
        &GovernanceError::InvalidField {
            field: "title",
            reason: String::new(),
        },
    );
    let r = exec(
        &mut chain,
        "alice",
        msgs::gov_submit_proposal("t", "", &Content::Text, &coin("10uusd"), false),
    );
    assert_eq!((r.codespace.as_str(), r.code), ("gov", 2), "{r:?}");
    let r = exec(
        &mut chain,
        "carol",
        msgs::gov_submit_proposal(
            "t",
            "",
            &Content::RegulatorChange {
                add: Vec::new(),
                remove: Vec::new(),
            },
            &coin("10ufrx"),
            false,
        ),
    );
    assert_eq!((r.codespace.as_str(), r.code), ("gov", 2), "{r:?}");
    assert_eq!(chain.app.snapshot().unwrap().next_proposal_id().unwrap(), 1);
}

#[test]
fn a_passed_upgrade_stores_the_halt_height() {
    let mut chain = chain(false);
    let id = propose(
        &mut chain,
        Content::SoftwareUpgrade {
            name: "v2".into(),
            height: 1_000,
            info: "https://example.invalid/v2".into(),
        },
    );
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    close_voting(&mut chain, id);
    let plan = chain
        .app
        .snapshot()
        .unwrap()
        .upgrade_plan()
        .unwrap()
        .unwrap();
    assert_eq!(
        (plan.name.as_str(), plan.height, plan.proposal_id),
        ("v2", 1_000, id)
    );
}

#[test]
fn a_treasury_spend_passes_the_compliance_gate_like_a_users_send() {
    let mut chain = chain(false);
    let pool = community_pool();
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::create_denom(&"ucbdc".parse().unwrap(), "CBDC", 6, true),
    ));
    assert_ok(&exec(
        &mut chain,
        "alice",
        msgs::mint(&coin("1000ucbdc"), &pool),
    ));
    // carol is not KYC'd: she may not hold the KYC-only denom.
    let carol = chain.addr("carol");
    let id = propose(
        &mut chain,
        Content::TreasurySpend {
            recipient: carol,
            amount: coin("500ucbdc"),
        },
    );
    let dry = proposal(&chain, id).dry_run.error.unwrap();
    assert_eq!(
        (dry.codespace.as_str(), dry.code),
        ("bank", fructus_bank::BankError::RECIPIENT_NOT_ALLOWED)
    );
    assert_ok(&vote(&mut chain, "alice", id, VoteOption::Yes));
    close_voting(&mut chain, id);
    let p = proposal(&chain, id);
    assert_eq!(p.status, ProposalStatus::Failed);
    assert_eq!(
        p.execution.unwrap().error.unwrap().code,
        fructus_bank::BankError::RECIPIENT_NOT_ALLOWED
    );
    assert_eq!(chain.balance(&carol, "ucbdc"), 0);
    assert_eq!(chain.balance(&pool, "ucbdc"), 1000);
}
