//! Lending through the real app: pools with kinked rates and
//! `lend/<denom>` deposit tokens, pledged collateral, borrowing within the
//! borrow limit, repayment, liquidation up to the close factor with the
//! incentive, reserves, and peer-to-peer loans against whole asset NFTs
//! (with the asset's income routed to the borrower) — every refusal typed
//! with nothing changed; plus "no healthy account can be liquidated" as a
//! property and the kink scenario against the documented formula.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_app::TxResult;
use fructus_asset::AssetStateReadExt;
use fructus_client::tx::msgs;
use fructus_component::ErrorCode;
use fructus_lending::{
    Borrow, CollateralParams, LendingError, LendingGenesis, LendingParams, LendingStateReadExt,
    LoanStatus, Market, MarketParams, NftLoan, lend_denom, loan_escrow, math, pool_account,
    reserve_account,
};
use fructus_oracle::{OracleGenesis, OracleParams, PRICE_SCALE};
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{TestChain, assert_ok, coin, genesis};
use fructus_types::{Address, BlockTime, Denom};
use proptest::prelude::*;

fn exec(chain: &mut TestChain, name: &str, msg: Message) -> TxResult {
    let tx = chain.tx(name).message(msg).sign(chain.key(name));
    chain.run(tx)
}

#[track_caller]
fn refused(r: &TxResult, expected: &LendingError) {
    assert_eq!(
        (r.codespace.as_str(), r.code),
        (expected.codespace(), expected.code()),
        "unexpected result: {r:?}"
    );
}

fn d(s: &str) -> Denom {
    s.parse().unwrap()
}

/// A zero-valued instance of each variant, for its code.
fn field() -> LendingError {
    LendingError::InvalidField {
        field: "",
        reason: String::new(),
    }
}

fn exceeds() -> LendingError {
    LendingError::Exceeds {
        what: "",
        asked: 0,
        available: 0,
    }
}

fn unhealthy() -> LendingError {
    LendingError::Unhealthy {
        account: Address::module("x"),
        borrowed: 0,
        limit: 0,
    }
}

fn healthy() -> LendingError {
    LendingError::Healthy {
        account: Address::module("x"),
        borrowed: 0,
        limit: 0,
    }
}

fn asset_refused() -> LendingError {
    LendingError::Asset {
        asset_id: 0,
        reason: String::new(),
    }
}

fn not_party() -> LendingError {
    LendingError::NotParty {
        loan_id: 0,
        party: Address::module("x"),
        action: "",
        signer: Address::module("x"),
    }
}

fn loan_state() -> LendingError {
    LendingError::LoanState {
        loan_id: 0,
        state: "",
        action: "",
    }
}

fn maturity() -> LendingError {
    LendingError::Maturity {
        loan_id: 0,
        maturity_ms: 0,
        now_ms: 0,
        what: "",
    }
}

fn uusd_market() -> MarketParams {
    MarketParams {
        denom: d("uusd"),
        base_rate_bps: 200,
        slope1_bps: 400,
        kink_bps: 8_000,
        slope2_bps: 6_000,
        reserve_factor_bps: 1_000,
    }
}

/// The fixture's params: a uusd pool, ufrx collateral at 50 %, close
/// factor 50 %, incentive 8 %; `max_twap_deviation_bps` as given.
fn params(max_twap_deviation_bps: u32) -> LendingParams {
    LendingParams {
        markets: vec![uusd_market()],
        collaterals: vec![CollateralParams {
            denom: d("ufrx"),
            factor_bps: 5_000,
        }],
        max_twap_deviation_bps,
        ..LendingParams::default()
    }
}

/// A chain where carol issues uusd (10^12 each to alice, bob and carol),
/// dave feeds the ufrx price in uusd (posted at 1.0 for half the TWAP
/// window), uusd has a pool and ufrx is collateral.
struct Lend {
    chain: TestChain,
}

/// What a refusal must leave as it was.
#[derive(Debug, PartialEq, Eq)]
struct Books {
    market: Option<Market>,
    borrows: Vec<(Denom, Borrow)>,
    pledges: Vec<(Denom, u128)>,
    loans: Vec<NftLoan>,
    balances: Vec<u128>,
}

impl Lend {
    /// The fixture with the price's history (see the type's docs).
    fn new(lending: LendingParams) -> Self {
        let mut lend = Self::listed(lending);
        // Half the TWAP window of history (the default
        // `min_twap_coverage_bps`), the price posted again to stay fresh.
        lend.chain.advance_time(49_000);
        lend.post(PRICE_SCALE);
        lend
    }

    /// The fixture right after the pair's first price.
    fn listed(lending: LendingParams) -> Self {
        let mut g = genesis();
        g.app_state.oracle = OracleGenesis {
            params: OracleParams {
                min_feeders: 1,
                window_ms: 10_000,
                max_age_ms: 60_000,
                twap_window_ms: 100_000,
                feeder_delay_ms: 0,
                ..OracleParams::default()
            },
            feeders: vec![
                fructus_test_utils::key_for("dave", fructus_crypto::KeyAlgo::P256)
                    .public_key()
                    .address(),
            ],
        };
        g.app_state.lending = LendingGenesis {
            params: lending,
            ..LendingGenesis::default()
        };
        let mut chain = TestChain::with_genesis(g);
        assert_ok(&exec(
            &mut chain,
            "carol",
            msgs::create_denom(&d("uusd"), "USD", 6, false),
        ));
        for name in ["alice", "bob", "carol"] {
            let to = chain.addr(name);
            assert_ok(&exec(
                &mut chain,
                "carol",
                msgs::mint(&coin("1000000000000uusd"), &to),
            ));
        }
        let mut lend = Lend { chain };
        lend.post(PRICE_SCALE);
        lend
    }

    fn exec(&mut self, name: &str, msg: Message) -> TxResult {
        exec(&mut self.chain, name, msg)
    }

    fn ok(&mut self, name: &str, msg: Message) -> TxResult {
        let r = self.exec(name, msg);
        assert_ok(&r);
        r
    }

    /// dave posts the price of ufrx in uusd.
    fn post(&mut self, price: u128) {
        self.ok(
            "dave",
            msgs::oracle_submit_price(&d("ufrx"), &d("uusd"), price),
        );
    }

    fn addr(&self, name: &str) -> Address {
        self.chain.addr(name)
    }

    fn balance(&self, name: &str, denom: &str) -> u128 {
        self.chain.balance(&self.addr(name), denom)
    }

    fn market(&self) -> Market {
        self.chain
            .app
            .snapshot()
            .unwrap()
            .stored_market(&d("uusd"))
            .unwrap()
            .unwrap()
    }

    fn debt(&self, name: &str) -> u128 {
        let snap = self.chain.app.snapshot().unwrap();
        let p = snap.lending_params().unwrap();
        let m = snap
            .market_at(&p, &d("uusd"), BlockTime(self.chain.time()))
            .unwrap();
        snap.borrow(&self.addr(name), &d("uusd"))
            .unwrap()
            .map_or(0, |b| b.debt(m.index).unwrap())
    }

    fn loan(&self, id: u64) -> Option<NftLoan> {
        self.chain.app.snapshot().unwrap().nft_loan(id).unwrap()
    }

    fn asset_owner(&self, id: u64) -> Address {
        self.chain
            .app
            .snapshot()
            .unwrap()
            .require_asset(id)
            .unwrap()
            .owner
    }

    /// The lending records of `name` and the balances a refusal must not
    /// move (fees are paid in ufrx, so only ufrx held by the pool counts).
    fn books(&self, name: &str) -> Books {
        let snap = self.chain.app.snapshot().unwrap();
        let who = self.addr(name);
        Books {
            market: snap.stored_market(&d("uusd")).unwrap(),
            borrows: snap.borrows_of(&who).unwrap(),
            pledges: snap.pledges_of(&who).unwrap(),
            loans: snap.nft_loans(None, 100).unwrap(),
            balances: vec![
                self.chain.balance(&who, "uusd"),
                self.chain.balance(&who, "lend/uusd"),
                self.chain.balance(&pool_account(), "uusd"),
                self.chain.balance(&pool_account(), "ufrx"),
            ],
        }
    }

    /// Runs `msg` as `name`, expects `err`, and checks `name`'s books did
    /// not change.
    #[track_caller]
    fn refuse(&mut self, name: &str, msg: Message, err: &LendingError) {
        let before = self.books(name);
        let r = self.exec(name, msg);
        refused(&r, err);
        assert_eq!(self.books(name), before, "a refusal changed state");
    }

    /// alice supplies `amount` uusd; bob pledges `collateral` ufrx.
    fn fund(&mut self, amount: u128, collateral: u128) {
        self.ok("alice", msgs::lend_supply(&coin(&format!("{amount}uusd"))));
        self.ok(
            "bob",
            msgs::lend_pledge(&coin(&format!("{collateral}ufrx"))),
        );
    }

    /// The pool's books hold: the pool account holds Σ cash + pledges, and
    /// the deposit tokens never claim more than `cash + borrows − reserves`.
    fn check_books(&self) {
        let m = self.market();
        let snap = self.chain.app.snapshot().unwrap();
        let mut pledged = 0;
        for name in ["alice", "bob", "carol", "dave"] {
            pledged += snap.pledged(&self.addr(name), &d("ufrx")).unwrap();
        }
        assert_eq!(self.chain.balance(&pool_account(), "uusd"), m.cash);
        assert_eq!(self.chain.balance(&pool_account(), "ufrx"), pledged);
        assert_eq!(self.chain.supply("lend/uusd"), m.supply);
        let claim = math::mul_div_floor(m.supply, m.exchange_rate(), math::WAD).unwrap();
        assert!(claim <= m.underlying(), "{m:?}");
    }
}

fn u(amount: u128, denom: &str) -> fructus_types::Coin {
    coin(&format!("{amount}{denom}"))
}

#[test]
fn a_price_without_history_backs_no_borrow_until_its_twap_covers_enough() {
    let mut l = Lend::listed(params(1_000));
    l.fund(1_000_000, 2_000_000);
    // Three blocks (seconds) after the pair's first price its TWAP covers
    // 3 s of the 100 s window (300 bps): too little to guard anything.
    let thin = LendingError::ThinTwap {
        denom: String::new(),
        coverage_bps: 0,
        min_bps: 0,
        wait_ms: 0,
    };
    l.refuse("bob", msgs::lend_borrow(&u(1_000, "uusd")), &thin);
    let r = l.exec("bob", msgs::lend_borrow(&u(1_000, "uusd")));
    let log = &r.log;
    assert!(
        log.contains("covers 400 bps")
            && log.contains("the 5000 bps required")
            && log.contains("retry in about 46000 ms"),
        "{log}"
    );
    // 49 s of history still falls short...
    l.chain.advance_time(43_000);
    l.post(PRICE_SCALE);
    l.refuse("bob", msgs::lend_borrow(&u(1_000, "uusd")), &thin);
    // ...and the next block's 50 s is half the window: the borrow goes through.
    l.ok("bob", msgs::lend_borrow(&u(1_000, "uusd")));
    assert_eq!(l.debt("bob"), 1_000);
    // A chain that asks for no history lends at once.
    let mut open = Lend::listed(LendingParams {
        min_twap_coverage_bps: 0,
        ..params(1_000)
    });
    open.fund(1_000_000, 2_000_000);
    open.ok("bob", msgs::lend_borrow(&u(1_000, "uusd")));
    l.check_books();
}

#[test]
fn deposits_earn_interest_and_borrowers_repay_it() {
    let mut l = Lend::new(params(1_000));
    l.fund(1_000_000, 2_000_000);
    assert_eq!(l.balance("alice", "lend/uusd"), 1_000_000);
    assert_eq!(lend_denom(&d("uusd")), Some(d("lend/uusd")));
    let bob_before = l.balance("bob", "uusd");
    l.ok("bob", msgs::lend_borrow(&u(600_000, "uusd")));
    assert_eq!(l.balance("bob", "uusd"), bob_before + 600_000);
    assert_eq!(l.debt("bob"), 600_000);
    l.check_books();
    // A day later the debt has grown by the curve's rate.
    l.chain.advance_time(86_400_000);
    l.post(PRICE_SCALE);
    let debt = l.debt("bob");
    assert!(debt > 600_000, "{debt}");
    // Repaying more than the debt takes only the debt.
    let before = l.balance("bob", "uusd");
    l.ok("bob", msgs::lend_repay(&u(10_000_000, "uusd")));
    let paid = before - l.balance("bob", "uusd");
    assert!(paid >= debt && paid <= debt + 1, "{paid} vs {debt}");
    assert_eq!(l.debt("bob"), 0);
    l.check_books();
    // The reserves got their share; sweeping moves it out in cash.
    let m = l.market();
    assert!(m.reserves > 0);
    l.ok("carol", msgs::lend_sweep_reserves(&d("uusd")));
    assert_eq!(l.chain.balance(&reserve_account(), "uusd"), m.reserves);
    assert_eq!(l.market().reserves, 0);
    l.check_books();
    // alice redeems every token for more than she put in.
    let before = l.balance("alice", "uusd");
    l.ok("alice", msgs::lend_redeem(&d("uusd"), 1_000_000));
    let got = l.balance("alice", "uusd") - before;
    assert!(got > 1_000_000, "{got}");
    assert_eq!(l.balance("alice", "lend/uusd"), 0);
    l.check_books();
    // bob takes his collateral back (no debt: no price needed).
    l.ok("bob", msgs::lend_unpledge(&u(2_000_000, "ufrx")));
    l.check_books();
}

#[test]
fn every_pool_refusal_is_typed_and_changes_nothing() {
    let mut l = Lend::new(params(1_000));
    // Not listed / not collateral.
    l.refuse(
        "alice",
        msgs::lend_supply(&u(10, "ufrx")),
        &LendingError::NotListed {
            denom: String::new(),
        },
    );
    l.refuse(
        "bob",
        msgs::lend_pledge(&u(10, "uusd")),
        &LendingError::NotCollateral {
            denom: String::new(),
        },
    );
    // Redeeming from a pool that never had a deposit.
    l.refuse(
        "alice",
        msgs::lend_redeem(&d("uusd"), 1),
        &LendingError::NotListed {
            denom: String::new(),
        },
    );
    l.fund(1_000_000, 1_000_000);
    // Stateless bounds: zero and above 2^100.
    l.refuse("alice", msgs::lend_supply(&u(0, "uusd")), &field());
    l.refuse(
        "alice",
        msgs::lend_redeem(&d("uusd"), (1 << 100) + 1),
        &field(),
    );
    // More tokens than exist.
    l.refuse(
        "alice",
        msgs::lend_redeem(&d("uusd"), 1_000_001),
        &exceeds(),
    );
    // Borrow limit: 1,000,000 ufrx × 1.0 × 50 % = 500,000.
    l.refuse("bob", msgs::lend_borrow(&u(500_001, "uusd")), &unhealthy());
    // More than the pool's cash.
    l.refuse(
        "bob",
        msgs::lend_borrow(&u(1_000_001, "uusd")),
        &LendingError::InsufficientCash {
            denom: String::new(),
            asked: 0,
            cash: 0,
        },
    );
    // Nobody pledged for carol: any borrow is over her limit.
    l.refuse("carol", msgs::lend_borrow(&u(1, "uusd")), &unhealthy());
    // Repaying without debt.
    l.refuse("carol", msgs::lend_repay(&u(1, "uusd")), &exceeds());
    // Just under the limit (interest must not push it over in this test).
    l.ok("bob", msgs::lend_borrow(&u(499_000, "uusd")));
    // Unpledging below the limit, or more than pledged.
    l.refuse("bob", msgs::lend_unpledge(&u(3_000, "ufrx")), &unhealthy());
    l.refuse(
        "bob",
        msgs::lend_unpledge(&u(1_000_001, "ufrx")),
        &exceeds(),
    );
    // The borrowed cash is out: alice cannot redeem all of her tokens.
    l.refuse(
        "alice",
        msgs::lend_redeem(&d("uusd"), 1_000_000),
        &LendingError::InsufficientCash {
            denom: String::new(),
            asked: 0,
            cash: 0,
        },
    );
    // A healthy borrower cannot be liquidated, nor can one liquidate
    // oneself.
    let bob = l.addr("bob");
    l.refuse(
        "carol",
        msgs::lend_liquidate(&bob, &u(100, "uusd"), &d("ufrx")),
        &healthy(),
    );
    l.refuse(
        "bob",
        msgs::lend_liquidate(&bob, &u(100, "uusd"), &d("ufrx")),
        &LendingError::SelfLiquidation,
    );
    // A stale price refuses borrowing and liquidation.
    l.chain.advance_time(120_000);
    l.refuse(
        "bob",
        msgs::lend_borrow(&u(1, "uusd")),
        &LendingError::StalePrice {
            denom: String::new(),
        },
    );
    l.refuse(
        "carol",
        msgs::lend_liquidate(&bob, &u(100, "uusd"), &d("ufrx")),
        &LendingError::StalePrice {
            denom: String::new(),
        },
    );
    // A price far from its TWAP refuses them too.
    l.post(PRICE_SCALE / 2);
    l.refuse(
        "bob",
        msgs::lend_unpledge(&u(3_000, "ufrx")),
        &LendingError::PriceDeviates {
            denom: String::new(),
            deviation_bps: 0,
            max_bps: 0,
        },
    );
    // Nothing to sweep before interest accrues into cash.
    let mut fresh = Lend::new(params(1_000));
    fresh.fund(1_000, 1_000);
    fresh.refuse("carol", msgs::lend_sweep_reserves(&d("uusd")), &exceeds());
    l.check_books();
}

#[test]
fn an_unhealthy_borrower_is_liquidated_up_to_the_close_factor_with_the_incentive() {
    let mut l = Lend::new(params(10_000));
    l.fund(1_000_000, 1_000_000);
    l.ok("bob", msgs::lend_borrow(&u(500_000, "uusd")));
    // ufrx falls to 0.8: limit 400,000 < debt 500,000.
    l.post(PRICE_SCALE * 8 / 10);
    let bob = l.addr("bob");
    let debt = l.debt("bob");
    let close = debt * 5_000 / 10_000;
    let carol_uusd = l.balance("carol", "uusd");
    let carol_ufrx = l.balance("carol", "ufrx");
    // Asking for the whole debt repays only the close factor.
    let r = l.ok(
        "carol",
        msgs::lend_liquidate(&bob, &u(10_000_000, "uusd"), &d("ufrx")),
    );
    assert!(r.events.iter().any(|e| e.kind == "lending.liquidate"));
    let repaid = carol_uusd - l.balance("carol", "uusd");
    assert_eq!(repaid, close);
    // seized = repaid × 1.0 × 1.08 / 0.8, rounded down.
    let seized = repaid * 10_800 / 10_000 * 10 / 8;
    // (fees are paid in ufrx: compare the pledge, which only the
    // liquidation moved)
    let snap = l.chain.app.snapshot().unwrap();
    assert_eq!(snap.pledged(&bob, &d("ufrx")).unwrap(), 1_000_000 - seized);
    assert!(l.balance("carol", "ufrx") + 100_000 > carol_ufrx + seized);
    let left = l.debt("bob");
    assert!(left >= debt - close && left <= debt - close + 1);
    l.check_books();
}

#[test]
fn crossing_the_kink_jumps_the_rate_to_the_slope2_line() {
    let mut l = Lend::new(params(1_000));
    l.fund(1_000_000, 10_000_000);
    let curve = uusd_market().curve();
    // 70 % utilization, below the 80 % kink: base + slope1 · u / kink.
    l.ok("bob", msgs::lend_borrow(&u(700_000, "uusd")));
    let m = l.market();
    assert_eq!(m.utilization(), 7 * math::WAD / 10);
    let below = 200 * 100_000_000_000_000 + 400 * 100_000_000_000_000 * 7 / 8;
    assert_eq!(math::borrow_rate(&curve, m.utilization()), below);
    // 85 % (plus a block's interest): base + slope1 + slope2 · (u − kink) /
    // (1 − kink), computed here from the formula.
    l.ok("bob", msgs::lend_borrow(&u(150_000, "uusd")));
    let m = l.market();
    let util = m.borrows * math::WAD / (m.cash + m.borrows - m.reserves);
    assert_eq!(m.utilization(), util);
    let bp = 100_000_000_000_000u128;
    let kink = 8_000 * bp;
    let expected = 200 * bp + 400 * bp + 6_000 * bp * (util - kink) / (math::WAD - kink);
    let rate = math::borrow_rate(&curve, util);
    assert_eq!(rate, expected);
    // The jump: at 85 % the rate is 2100 bps, far above the 600 bps the
    // first slope alone reaches at the kink.
    assert!(rate >= 2_100 * bp && rate < 2_110 * bp, "{rate}");
    // The next block's interest is exactly borrows · rate · dt / year,
    // rounded up.
    let t0 = m.accrued_ms;
    l.post(PRICE_SCALE);
    let after = l.market();
    let dt = u128::from(after.accrued_ms - t0);
    let factor = (rate * dt).div_ceil(math::MS_PER_YEAR);
    assert_eq!(
        after.borrows,
        m.borrows + (m.borrows * factor).div_ceil(math::WAD)
    );
}

/// alice owns asset 1 (a whole NFT); carol issues uusd.
fn with_asset() -> Lend {
    let mut l = Lend::new(params(1_000));
    l.ok(
        "alice",
        msgs::asset_create_class("Solar", "Sol", "S-1", "kWh", "ipfs://s", [1; 32], &[]),
    );
    l.ok("alice", msgs::asset_mint(1, "S-1", "", Vec::new(), None));
    l
}

fn loan_id(r: &TxResult) -> u64 {
    r.events
        .iter()
        .find(|e| e.kind == "lending.nft_loan_offered")
        .and_then(|e| e.get("loan_id"))
        .unwrap()
        .parse()
        .unwrap()
}

const DAY: u64 = 86_400_000;

#[test]
fn an_nft_loan_is_repaid_and_the_asset_income_goes_to_the_borrower() {
    let mut l = with_asset();
    let alice = l.addr("alice");
    let bob_before = l.balance("bob", "uusd");
    let r = l.ok(
        "bob",
        msgs::lend_offer_nft_loan(1, &u(500_000, "uusd"), 3_650, 10 * DAY),
    );
    let id = loan_id(&r);
    assert_eq!(l.balance("bob", "uusd"), bob_before - 500_000);
    assert_eq!(l.chain.balance(&loan_escrow(id), "uusd"), 500_000);
    // Only the owner accepts.
    l.refuse("carol", msgs::lend_accept_nft_loan(id), &asset_refused());
    let alice_before = l.balance("alice", "uusd");
    l.ok("alice", msgs::lend_accept_nft_loan(id));
    assert_eq!(l.balance("alice", "uusd"), alice_before + 500_000);
    assert_eq!(l.asset_owner(1), loan_escrow(id));
    let loan = l.loan(id).unwrap();
    assert_eq!(loan.status, LoanStatus::Running);
    assert_eq!(loan.borrower, Some(alice));
    // 36.5 % a year for 10 days: 500,000 + 500,000 × 0.365 × 10/365.
    assert_eq!(loan.due, 505_000);
    // The lender cannot cancel an accepted loan, nor claim before maturity;
    // nobody but the borrower repays.
    l.refuse("bob", msgs::lend_cancel_nft_offer(id), &loan_state());
    l.refuse("bob", msgs::lend_claim_nft(id), &maturity());
    l.refuse("carol", msgs::lend_repay_nft_loan(id), &not_party());
    // Income paid to the asset during the loan reaches the borrower.
    l.ok("carol", msgs::asset_deposit_income(1, &u(7_000, "uusd")));
    assert_eq!(l.chain.balance(&loan_escrow(id), "uusd"), 7_000);
    l.refuse("bob", msgs::lend_claim_nft_loan_income(id), &not_party());
    let before = l.balance("alice", "uusd");
    l.ok("alice", msgs::lend_claim_nft_loan_income(id));
    assert_eq!(l.balance("alice", "uusd"), before + 7_000);
    // More income, then repayment: the income is paid on, the due to bob.
    l.ok("carol", msgs::asset_deposit_income(1, &u(3_000, "uusd")));
    let (a, b) = (l.balance("alice", "uusd"), l.balance("bob", "uusd"));
    l.ok("alice", msgs::lend_repay_nft_loan(id));
    assert_eq!(l.balance("alice", "uusd"), a + 3_000 - loan.due);
    assert_eq!(l.balance("bob", "uusd"), b + loan.due);
    assert_eq!(l.asset_owner(1), alice);
    assert_eq!(l.loan(id).unwrap().status, LoanStatus::Repaid);
    l.refuse("alice", msgs::lend_repay_nft_loan(id), &loan_state());
}

#[test]
fn an_unpaid_nft_loan_lets_the_lender_claim_the_asset_after_maturity() {
    let mut l = with_asset();
    let id = loan_id(&l.ok(
        "bob",
        msgs::lend_offer_nft_loan(1, &u(100_000, "uusd"), 1_000, DAY),
    ));
    l.ok("alice", msgs::lend_accept_nft_loan(id));
    l.chain.advance_time(DAY);
    l.refuse("alice", msgs::lend_repay_nft_loan(id), &maturity());
    l.refuse("carol", msgs::lend_claim_nft(id), &not_party());
    l.ok("bob", msgs::lend_claim_nft(id));
    assert_eq!(l.asset_owner(1), l.addr("bob"));
    assert_eq!(l.loan(id).unwrap().status, LoanStatus::Claimed);
    l.refuse("bob", msgs::lend_claim_nft(id), &loan_state());
}

#[test]
fn every_nft_offer_refusal_is_typed_and_changes_nothing() {
    let mut l = with_asset();
    // Bounds: term, rate, asset id, unknown asset, the params' longest term.
    l.refuse(
        "bob",
        msgs::lend_offer_nft_loan(1, &u(1, "uusd"), 1_000, 1),
        &field(),
    );
    l.refuse(
        "bob",
        msgs::lend_offer_nft_loan(1, &u(1, "uusd"), 100_001, DAY),
        &field(),
    );
    l.refuse(
        "bob",
        msgs::lend_offer_nft_loan(0, &u(1, "uusd"), 1_000, DAY),
        &field(),
    );
    l.refuse(
        "bob",
        msgs::lend_offer_nft_loan(9, &u(1, "uusd"), 1_000, DAY),
        &asset_refused(),
    );
    l.refuse(
        "bob",
        msgs::lend_offer_nft_loan(1, &u(1, "uusd"), 1_000, 2 * 365 * DAY),
        &field(),
    );
    l.refuse(
        "bob",
        msgs::lend_accept_nft_loan(7),
        &LendingError::LoanNotFound { loan_id: 7 },
    );
    // Only the lender cancels; cancelling refunds the escrow.
    let id = loan_id(&l.ok(
        "bob",
        msgs::lend_offer_nft_loan(1, &u(100_000, "uusd"), 1_000, DAY),
    ));
    l.refuse("carol", msgs::lend_cancel_nft_offer(id), &not_party());
    l.refuse("alice", msgs::lend_claim_nft_loan_income(id), &loan_state());
    let before = l.balance("bob", "uusd");
    l.ok("bob", msgs::lend_cancel_nft_offer(id));
    assert_eq!(l.balance("bob", "uusd"), before + 100_000);
    assert!(l.loan(id).is_none());
    l.refuse(
        "alice",
        msgs::lend_accept_nft_loan(id),
        &LendingError::LoanNotFound { loan_id: id },
    );
    // A fractionalized asset cannot back a loan.
    let id = loan_id(&l.ok(
        "bob",
        msgs::lend_offer_nft_loan(1, &u(100_000, "uusd"), 1_000, DAY),
    ));
    l.ok("alice", msgs::asset_fractionalize(1, 0));
    l.refuse("alice", msgs::lend_accept_nft_loan(id), &asset_refused());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// No healthy account can be liquidated: after a price move, a
    /// liquidation is accepted exactly when the debt value exceeds the
    /// borrow limit (computed here from the documented formula), and a
    /// refused one changes nothing.
    #[test]
    fn no_healthy_account_can_be_liquidated(
        collateral in 1_000u128..10_000_000,
        borrow_pct in 1u128..=100,
        price_pct in 50u128..=150,
    ) {
        let mut l = Lend::new(params(10_000));
        l.fund(100_000_000, collateral);
        let limit = collateral / 2;
        let amount = (limit * borrow_pct / 100).max(1);
        prop_assume!(amount <= limit);
        l.ok("bob", msgs::lend_borrow(&u(amount, "uusd")));
        let price = PRICE_SCALE * price_pct / 100;
        l.post(price);
        let debt = l.debt("bob");
        let limit_now = collateral * price / PRICE_SCALE * 5_000 / 10_000;
        let bob = l.addr("bob");
        let msg = msgs::lend_liquidate(&bob, &u(debt, "uusd"), &d("ufrx"));
        if debt <= limit_now {
            l.refuse("carol", msg, &healthy());
        } else {
            let r = l.exec("carol", msg);
            prop_assert!(
                r.is_ok() || r.code == exceeds().code() || r.code == field().code(),
                "{r:?}"
            );
        }
    }
}

#[test]
fn deposit_tokens_listed_as_collateral_count_at_the_exchange_rate() {
    let mut p = params(1_000);
    p.collaterals.push(CollateralParams {
        denom: d("lend/uusd"),
        factor_bps: 8_000,
    });
    let mut l = Lend::new(p);
    l.fund(1_000_000, 1);
    l.ok("bob", msgs::lend_supply(&u(1_000_000, "uusd")));
    l.ok("bob", msgs::lend_pledge(&u(1_000_000, "lend/uusd")));
    // 1,000,000 tokens at 1.0 × 80 % (+ 1 ufrx at 50 %: nothing).
    l.refuse("bob", msgs::lend_borrow(&u(800_001, "uusd")), &unhealthy());
    l.ok("bob", msgs::lend_borrow(&u(800_000, "uusd")));
    assert_eq!(l.debt("bob"), 800_000);
    l.check_books();
}

/// The compliance gate holds on every payout: income in a KYC-only denom
/// waits in the loan's escrow while the borrower may not receive it, and
/// that never stops the lender from claiming the NFT after maturity.
#[test]
fn income_the_gate_withholds_stays_claimable_and_never_blocks_the_lender() {
    let mut l = Lend::new(params(1_000));
    let bob = l.addr("bob");
    l.ok(
        "alice",
        msgs::asset_create_class("Solar", "Sol", "S-1", "kWh", "ipfs://s", [1; 32], &[]),
    );
    // Asset 1 belongs to bob, who is not KYC'd.
    l.ok(
        "alice",
        msgs::asset_mint(1, "S-1", "", Vec::new(), Some(&bob)),
    );
    l.ok("alice", msgs::create_denom(&d("ucbdc"), "CBDC", 2, true));
    let alice = l.addr("alice");
    l.ok("alice", msgs::mint(&u(1_000, "ucbdc"), &alice));
    let id = loan_id(&l.ok(
        "carol",
        msgs::lend_offer_nft_loan(1, &u(100_000, "uusd"), 1_000, DAY),
    ));
    l.ok("bob", msgs::lend_accept_nft_loan(id));
    l.ok("alice", msgs::asset_deposit_income(1, &u(700, "ucbdc")));
    l.ok("carol", msgs::asset_deposit_income(1, &u(50, "uusd")));
    // bob's claim pays the uusd and withholds the ucbdc.
    l.ok("bob", msgs::lend_claim_nft_loan_income(id));
    assert_eq!(l.balance("bob", "ucbdc"), 0);
    assert_eq!(l.chain.balance(&loan_escrow(id), "ucbdc"), 700);
    assert_eq!(l.chain.balance(&loan_escrow(id), "uusd"), 0);
    // Unpaid at maturity: carol claims the NFT although bob cannot receive
    // the income; it stays in the escrow, still bob's.
    l.chain.advance_time(DAY);
    l.ok("carol", msgs::lend_claim_nft(id));
    assert_eq!(l.asset_owner(1), l.addr("carol"));
    assert_eq!(l.chain.balance(&loan_escrow(id), "ucbdc"), 700);
    // Once KYC'd, bob collects it from the closed loan.
    let reg = l.addr(fructus_test_utils::REGULATOR);
    l.ok("alice", msgs::send(&reg, &"1000000ufrx".parse().unwrap()));
    let h = l.chain.app.height().unwrap();
    l.ok(
        fructus_test_utils::REGULATOR,
        msgs::identity_attest_kyc(&bob, 1, h + 1_000, 0, [2; 32]),
    );
    l.ok("bob", msgs::lend_claim_nft_loan_income(id));
    assert_eq!(l.balance("bob", "ucbdc"), 700);
    assert_eq!(l.chain.balance(&loan_escrow(id), "ucbdc"), 0);
}

#[test]
fn governance_and_only_governance_changes_the_lending_params() {
    use fructus_app::params::update_params;
    use fructus_component::governance_authority;
    use fructus_storage::StateDelta;

    let l = Lend::new(params(1_000));
    let change = |who, p: &LendingParams| {
        let mut state = StateDelta::new(l.chain.app.snapshot().unwrap());
        let mut events = Vec::new();
        let json = serde_json::to_string(p).unwrap();
        let r = update_params(&mut state, "lending", who, json.as_bytes(), &mut events).unwrap();
        (state, r)
    };
    let mut steeper = params(1_000);
    steeper.markets[0].slope2_bps = 9_000;
    let (state, r) = change(governance_authority(), &steeper);
    r.unwrap();
    assert_eq!(state.lending_params().unwrap().markets[0].slope2_bps, 9_000);
    // Anyone else is refused, and nothing changes.
    let (state, r) = change(l.addr("alice"), &steeper);
    assert!(r.is_err());
    assert_eq!(state.lending_params().unwrap(), params(1_000));
    // Invalid values are refused with the module's code, naming the field.
    let mut kinkless = params(1_000);
    kinkless.markets[0].kink_bps = 0;
    let more_than_all = LendingParams {
        min_twap_coverage_bps: 10_001,
        ..params(1_000)
    };
    for (bad, field) in [
        (kinkless, "kink_bps"),
        (more_than_all, "min_twap_coverage_bps"),
    ] {
        let (_, r) = change(governance_authority(), &bad);
        let e = r.unwrap_err();
        assert_eq!(
            (e.codespace.as_str(), e.code),
            (
                "lending",
                LendingError::Params {
                    reason: String::new()
                }
                .code()
            )
        );
        assert!(e.message.contains(field), "{}", e.message);
    }
}
