//! The pool arithmetic: pure functions on `u128` with 256-bit
//! multiply-divide. Every rounding is named and goes in the pool's favour:
//! what a user owes rounds up, what a user receives rounds down.
//!
//! **Rates.** Rates are yearly, [`WAD`]-scaled (1.0 = 10^18). With
//! utilization `u = borrows / (cash + borrows − reserves)` (rounded down,
//! at most 1) the borrow rate is the kinked line
//!
//! ```text
//! u ≤ kink:  base + slope1 · u / kink
//! u > kink:  base + slope1 + slope2 · (u − kink) / (1 − kink)
//! ```
//!
//! each division rounded down ([`borrow_rate`]). A year is
//! [`MS_PER_YEAR`] (365 days of block time).
//!
//! **Accrual** ([`Market::accrued`]): on every touch of a market, `dt` ms
//! after the last one, interest `ceil(borrows · rate · dt / year)` is
//! added to the borrows, the reserve factor's share of it (rounded down)
//! to the reserves, and the borrow index grows by
//! `ceil(index · rate · dt / year)`. O(1) whatever the number of
//! borrowers; a borrower's debt is `ceil(principal · index / index_then)`.
//!
//! **Deposit tokens.** `lend/<denom>` tokens claim the pool's
//! `underlying = cash + borrows − reserves`: a deposit of `a` mints
//! `floor(a · supply / underlying)` (`a` for the first), redeeming `t`
//! pays `floor(t · underlying / supply)`. So the exchange rate
//! `underlying / supply` never falls through rounding, and the tokens
//! outstanding never claim more than the pool holds.

use fructus_types::Amount;

/// 1.0 in rates, indexes and exchange rates.
pub const WAD: u128 = 1_000_000_000_000_000_000;
/// Basis points in one.
pub const BPS: u128 = 10_000;
/// One year of block time, ms (365 days): the yearly rates' unit.
pub const MS_PER_YEAR: u128 = 365 * 86_400_000;
/// The largest amount any message handles (2^100 base units).
pub const MAX_AMOUNT: u128 = 1 << 100;
/// The borrow index stops here (10^9 × its start): interest stops
/// accruing rather than overflowing.
pub const MAX_INDEX: u128 = WAD * 1_000_000_000;
/// A pool's borrows and cash stop accruing at this total (2^120), far above
/// any [`MAX_AMOUNT`]-bounded position.
pub const MAX_POOL: u128 = 1 << 120;

/// `ceil(a · b / c)`, `None` on overflow or `c = 0`.
pub fn mul_div_ceil(a: u128, b: u128, c: u128) -> Option<u128> {
    Amount::new(a).mul_div_ceil(b, c).ok().map(Amount::value)
}

/// `floor(a · b / c)`, `None` on overflow or `c = 0`.
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
    Amount::new(a).mul_div_floor(b, c).ok().map(Amount::value)
}

/// Basis points as a [`WAD`] fraction.
pub fn bps_to_wad(bps: u32) -> u128 {
    u128::from(bps).saturating_mul(WAD / BPS)
}

/// The kinked rate curve of one market (basis points a year; kink in basis
/// points of utilization, 1 … 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Curve {
    /// Rate at zero utilization.
    pub base_bps: u32,
    /// Rise from zero utilization to the kink.
    pub slope1_bps: u32,
    /// Utilization where the second slope starts.
    pub kink_bps: u32,
    /// Rise from the kink to full utilization.
    pub slope2_bps: u32,
}

/// Utilization `borrows / (cash + borrows − reserves)`, [`WAD`]-scaled,
/// rounded down, at most [`WAD`]; zero without borrows.
pub fn utilization(cash: u128, borrows: u128, reserves: u128) -> u128 {
    if borrows == 0 {
        return 0;
    }
    let underlying = cash.saturating_add(borrows).saturating_sub(reserves);
    if underlying <= borrows {
        return WAD;
    }
    mul_div_floor(borrows, WAD, underlying).map_or(WAD, |u| u.min(WAD))
}

/// The yearly borrow rate ([`WAD`]-scaled) at utilization `u` (see the
/// module header for the formula).
pub fn borrow_rate(curve: &Curve, u: u128) -> u128 {
    let base = bps_to_wad(curve.base_bps);
    let slope1 = bps_to_wad(curve.slope1_bps);
    let slope2 = bps_to_wad(curve.slope2_bps);
    let kink = bps_to_wad(curve.kink_bps).clamp(1, WAD.saturating_sub(1));
    let u = u.min(WAD);
    if u <= kink {
        base.saturating_add(mul_div_floor(slope1, u, kink).unwrap_or(slope1))
    } else {
        let above = mul_div_floor(slope2, u.saturating_sub(kink), WAD.saturating_sub(kink))
            .unwrap_or(slope2);
        base.saturating_add(slope1).saturating_add(above)
    }
}

/// The yearly supply rate ([`WAD`]-scaled): what depositors earn,
/// `borrow_rate · u · (1 − reserve factor)`, rounded down.
pub fn supply_rate(borrow_rate: u128, u: u128, reserve_factor_bps: u32) -> u128 {
    let gross = mul_div_floor(borrow_rate, u, WAD).unwrap_or(0);
    mul_div_floor(
        gross,
        BPS.saturating_sub(u128::from(reserve_factor_bps)),
        BPS,
    )
    .unwrap_or(0)
}

/// One pool's books. `cash` is what the module account holds for it;
/// `supply` the `lend/<denom>` tokens outstanding.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Default,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Market {
    /// Underlying held by the pool (its share of the module account).
    pub cash: u128,
    /// Debt of all borrowers, with accrued interest.
    pub borrows: u128,
    /// The part of the pool owed to the reserve account.
    pub reserves: u128,
    /// Deposit tokens outstanding.
    pub supply: u128,
    /// Borrow index ([`WAD`] at the start).
    pub index: u128,
    /// Block time of the last accrual, ms.
    pub accrued_ms: u64,
}

impl Market {
    /// A new, empty market at `now_ms`.
    pub fn new(now_ms: u64) -> Self {
        Market {
            index: WAD,
            accrued_ms: now_ms,
            ..Market::default()
        }
    }

    /// What depositors' tokens claim: `cash + borrows − reserves`.
    pub fn underlying(&self) -> u128 {
        self.cash
            .saturating_add(self.borrows)
            .saturating_sub(self.reserves)
    }

    /// Current utilization ([`utilization`]).
    pub fn utilization(&self) -> u128 {
        utilization(self.cash, self.borrows, self.reserves)
    }

    /// The market after accruing interest up to `now_ms` at `curve` with
    /// `reserve_factor_bps`. Never fails: the index stops at
    /// [`MAX_INDEX`] and the borrows at [`MAX_POOL`] (interest then stops
    /// accruing), so a market nobody touched for years can still be used.
    pub fn accrued(&self, curve: &Curve, reserve_factor_bps: u32, now_ms: u64) -> Market {
        let mut m = self.clone();
        let dt = now_ms.saturating_sub(self.accrued_ms);
        m.accrued_ms = now_ms.max(self.accrued_ms);
        if dt == 0 || self.borrows == 0 {
            return m;
        }
        let rate = borrow_rate(curve, self.utilization());
        // factor = rate · dt / year, rounded up (borrowers owe the rounding).
        let Some(factor) = mul_div_ceil(rate, u128::from(dt), MS_PER_YEAR) else {
            return m;
        };
        let interest = mul_div_ceil(self.borrows, factor, WAD)
            .unwrap_or(MAX_POOL)
            .min(MAX_POOL.saturating_sub(self.borrows));
        let growth = mul_div_ceil(self.index, factor, WAD).unwrap_or(MAX_INDEX);
        m.index = self.index.saturating_add(growth).min(MAX_INDEX);
        m.borrows = self.borrows.saturating_add(interest);
        let to_reserves = mul_div_floor(interest, u128::from(reserve_factor_bps), BPS).unwrap_or(0);
        m.reserves = self.reserves.saturating_add(to_reserves);
        m
    }

    /// Tokens minted for depositing `amount`, rounded down (`amount` itself
    /// into an empty pool); `None` when nothing would be minted.
    pub fn tokens_for(&self, amount: u128) -> Option<u128> {
        let tokens = if self.supply == 0 {
            amount
        } else {
            mul_div_floor(amount, self.supply, self.underlying())?
        };
        (tokens > 0).then_some(tokens)
    }

    /// Underlying paid for redeeming `tokens`, rounded down.
    pub fn value_of(&self, tokens: u128) -> Option<u128> {
        if self.supply == 0 {
            return None;
        }
        mul_div_floor(tokens, self.underlying(), self.supply)
    }

    /// Exchange rate `underlying / supply`, [`WAD`]-scaled, rounded down
    /// (1.0 for an empty pool).
    pub fn exchange_rate(&self) -> u128 {
        if self.supply == 0 {
            return WAD;
        }
        mul_div_floor(self.underlying(), WAD, self.supply).unwrap_or(u128::MAX)
    }
}

/// A borrower's debt in one market: `principal` borrowed when the index
/// was `index`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Borrow {
    /// Debt as of `index`.
    pub principal: u128,
    /// The market's index when `principal` was last set.
    pub index: u128,
}

impl Borrow {
    /// The debt at the market's `index` now, rounded up (never below the
    /// principal: the index never falls).
    pub fn debt(&self, index: u128) -> Option<u128> {
        if self.index == 0 {
            return None;
        }
        mul_div_ceil(self.principal, index.max(self.index), self.index)
    }
}

/// The value in the quote denom of `amount` at `price` (×10^18), rounded
/// down, times `factor_bps` (rounded down). Collateral side.
pub fn value_floor(amount: u128, price: u128, factor_bps: u32) -> Option<u128> {
    let gross = mul_div_floor(amount, price, WAD)?;
    mul_div_floor(gross, u128::from(factor_bps), BPS)
}

/// The value in the quote denom of `amount` at `price`, rounded up. Debt
/// side.
pub fn value_ceil(amount: u128, price: u128) -> Option<u128> {
    mul_div_ceil(amount, price, WAD)
}

/// The amount due on an NFT loan of `principal` at `rate_bps` a year for
/// `term_ms`: `principal + ceil(principal · rate · term / (BPS · year))`.
pub fn nft_loan_due(principal: u128, rate_bps: u32, term_ms: u64) -> Option<u128> {
    let per_year = principal.checked_mul(u128::from(rate_bps))?;
    let interest = mul_div_ceil(per_year, u128::from(term_ms), BPS.checked_mul(MS_PER_YEAR)?)?;
    principal.checked_add(interest)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use proptest::prelude::*;

    use super::*;

    const CURVE: Curve = Curve {
        base_bps: 200,
        slope1_bps: 400,
        kink_bps: 8_000,
        slope2_bps: 6_000,
    };

    #[test]
    fn the_rate_is_the_kinked_line() {
        assert_eq!(borrow_rate(&CURVE, 0), bps_to_wad(200));
        assert_eq!(borrow_rate(&CURVE, bps_to_wad(4_000)), bps_to_wad(400));
        assert_eq!(borrow_rate(&CURVE, bps_to_wad(8_000)), bps_to_wad(600));
        assert_eq!(borrow_rate(&CURVE, bps_to_wad(9_000)), bps_to_wad(3_600));
        assert_eq!(borrow_rate(&CURVE, WAD), bps_to_wad(6_600));
    }

    #[test]
    fn a_year_at_a_fixed_rate_accrues_that_rate() {
        let m = Market {
            cash: 800,
            borrows: 1_000_000,
            supply: 1_000_800,
            ..Market::new(0)
        };
        // Utilization is just below 1: rate just below 66 %.
        let later = m.accrued(&CURVE, 1_000, u64::try_from(MS_PER_YEAR).unwrap());
        let rate = borrow_rate(&CURVE, m.utilization());
        assert_eq!(
            later.borrows,
            1_000_000 + mul_div_ceil(1_000_000, rate, WAD).unwrap()
        );
        assert_eq!(later.reserves, (later.borrows - m.borrows) / 10);
        assert_eq!(later.index, WAD + rate);
    }

    #[test]
    fn nft_loan_due_adds_simple_interest_rounded_up() {
        assert_eq!(
            nft_loan_due(1_000_000, 1_000, u64::try_from(MS_PER_YEAR).unwrap()),
            Some(1_100_000)
        );
        assert_eq!(nft_loan_due(1, 1, 1), Some(2));
    }

    /// One step of the pool model.
    #[derive(Debug, Clone)]
    enum Op {
        Deposit(u128),
        Redeem(u128),
        Borrow(u128),
        Repay(u128),
        Wait(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1u128..1_000_000_000_000).prop_map(Op::Deposit),
            (1u128..1_000_000_000_000).prop_map(Op::Redeem),
            (1u128..1_000_000_000_000).prop_map(Op::Borrow),
            (1u128..1_000_000_000_000).prop_map(Op::Repay),
            (1u64..10_000_000_000).prop_map(Op::Wait),
        ]
    }

    proptest! {
        /// cash + borrows − reserves = supply × exchange rate, to rounding
        /// in the pool's favour: the tokens never claim more than the pool
        /// holds, and the exchange rate never falls.
        #[test]
        fn pool_holdings_cover_the_tokens_and_the_rate_never_falls(
            ops in proptest::collection::vec(op(), 1..60),
            rf in 0u32..5_000,
        ) {
            let mut m = Market::new(0);
            let mut now = 0u64;
            // One borrower's principal/index, as the module keeps them.
            let mut debt = Borrow { principal: 0, index: WAD };
            // An empty pool starts at 1.0; later deposits never lower it.
            let mut last_rate = 0;
            for op in ops {
                match op {
                    Op::Deposit(a) => if let Some(t) = m.tokens_for(a) {
                        m.cash += a;
                        m.supply += t;
                    },
                    Op::Redeem(t) => {
                        let t = t.min(m.supply);
                        if let Some(v) = m.value_of(t) && v <= m.cash {
                            m.cash -= v;
                            m.supply -= t;
                        }
                    }
                    Op::Borrow(a) => if a <= m.cash {
                        let owed = debt.debt(m.index).unwrap();
                        debt = Borrow { principal: owed + a, index: m.index };
                        m.cash -= a;
                        m.borrows += a;
                    },
                    Op::Repay(a) => {
                        let owed = debt.debt(m.index).unwrap();
                        let paid = a.min(owed);
                        debt = Borrow { principal: owed - paid, index: m.index };
                        m.cash += paid;
                        m.borrows = m.borrows.saturating_sub(paid);
                    }
                    Op::Wait(dt) => {
                        now += dt;
                        m = m.accrued(&CURVE, rf, now);
                    }
                }
                // The tokens' claim never exceeds the holdings.
                let claim = mul_div_floor(m.supply, m.exchange_rate(), WAD).unwrap();
                prop_assert!(claim <= m.underlying());
                if m.supply > 0 {
                    prop_assert!(m.value_of(m.supply).unwrap() <= m.underlying());
                    prop_assert!(m.exchange_rate() >= last_rate);
                    last_rate = m.exchange_rate();
                } else {
                    last_rate = 0;
                }
                prop_assert!(m.reserves <= m.cash + m.borrows);
            }
        }

        /// Interest never decreases a borrower's debt.
        #[test]
        fn interest_never_decreases_a_debt(
            principal in 1u128..MAX_AMOUNT,
            borrows in 1u128..MAX_AMOUNT,
            cash in 0u128..MAX_AMOUNT,
            steps in proptest::collection::vec(0u64..100_000_000_000, 1..20),
        ) {
            let mut m = Market { cash, borrows, supply: cash + borrows, ..Market::new(0) };
            let b = Borrow { principal, index: m.index };
            let mut last = b.debt(m.index).unwrap();
            prop_assert_eq!(last, principal);
            let mut now = 0u64;
            for dt in steps {
                now = now.saturating_add(dt);
                let next = m.accrued(&CURVE, 1_000, now);
                prop_assert!(next.index >= m.index);
                prop_assert!(next.borrows >= m.borrows);
                m = next;
                let d = b.debt(m.index).unwrap();
                prop_assert!(d >= last);
                last = d;
            }
        }

        /// The rate is monotone in utilization and continuous at the kink.
        #[test]
        fn the_rate_never_falls_as_utilization_rises(a in 0u128..=WAD, b in 0u128..=WAD) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(borrow_rate(&CURVE, lo) <= borrow_rate(&CURVE, hi));
        }
    }
}
