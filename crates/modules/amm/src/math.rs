//! Constant-product arithmetic: exact-in and exact-out swaps, LP minting
//! and burning, and the fixed-point price accumulators of the TWAP.
//!
//! Uniswap v2 is the reference for the numbers. Every function is total on
//! its documented domain and returns a [`MathError`] outside it; nothing
//! wraps or rounds silently, and every rounding favours the pool (its LPs),
//! never the trader:
//! - exact in: `out = floor(in·(10000−fee)·y / (x·10000 + in·(10000−fee)))`;
//! - exact out: `in = floor(x·out·10000 / ((y−out)·(10000−fee))) + 1`;
//! - first deposit: `floor(sqrt(x·y))` LP, of which [`MINIMUM_LIQUIDITY`]
//!   stay locked forever; later deposits `min(dx·L/x, dy·L/y)` rounded
//!   down; withdrawals pro rata, rounded down.
//!
//! **The bound that keeps it exact.** Reserves, liquidity and every amount
//! a message names are at most [`MAX_AMOUNT`] `= 2^112 − 1` (checked
//! statelessly for messages, and before every reserve grows). Then
//! `in·(10000−fee) < 2^126`, `x·10000 + in·(10000−fee) < 2^127` and every
//! product of two such values is formed in 256 bits
//! ([`Amount::mul_div_floor`]), so no intermediate overflows.

use fructus_types::Amount;

/// Largest reserve, liquidity or message amount: `2^112 − 1` base units
/// (≈ 5.2·10^33; a token with 18 decimals still has 5·10^15 whole units).
pub const MAX_AMOUNT: u128 = (1 << 112) - 1;
/// LP units minted to nobody at a pool's first deposit and locked forever,
/// so the pool can never be emptied and a unit of LP never becomes so
/// expensive that small deposits round to zero.
pub const MINIMUM_LIQUIDITY: u128 = 1_000;
/// Basis points in one.
pub const BPS: u128 = 10_000;

/// Why a computation has no answer in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MathError {
    /// A result would pass [`MAX_AMOUNT`].
    Overflow(&'static str),
    /// The pool cannot pay it, or it rounds to nothing.
    Insufficient(&'static str),
}

fn mul_div(a: u128, b: u128, den: u128, what: &'static str) -> Result<u128, MathError> {
    Amount::new(a)
        .mul_div_floor(b, den)
        .map(Amount::value)
        .map_err(|_| MathError::Overflow(what))
}

fn bounded(v: u128, what: &'static str) -> Result<u128, MathError> {
    if v > MAX_AMOUNT {
        Err(MathError::Overflow(what))
    } else {
        Ok(v)
    }
}

fn add(a: u128, b: u128, what: &'static str) -> Result<u128, MathError> {
    bounded(a.checked_add(b).ok_or(MathError::Overflow(what))?, what)
}

/// `BPS − fee`, for a fee already checked to be below [`BPS`].
fn after_fee(fee_bps: u16) -> Result<u128, MathError> {
    BPS.checked_sub(u128::from(fee_bps))
        .filter(|v| *v > 0)
        .ok_or(MathError::Overflow("the fee"))
}

/// What an exact-in swap of `amount_in` pays out of a pool with reserves
/// `reserve_in`/`reserve_out` and fee `fee_bps`. Refuses a trade that pays
/// nothing or would grow `reserve_in` past [`MAX_AMOUNT`].
pub fn amount_out(
    amount_in: u128,
    reserve_in: u128,
    reserve_out: u128,
    fee_bps: u16,
) -> Result<u128, MathError> {
    if reserve_in == 0 || reserve_out == 0 {
        return Err(MathError::Insufficient("the pool is empty"));
    }
    bounded(amount_in, "the input")?;
    add(reserve_in, amount_in, "the input reserve")?;
    // < 2^112 · 2^14 = 2^126.
    let in_after_fee = amount_in
        .checked_mul(after_fee(fee_bps)?)
        .ok_or(MathError::Overflow("the input"))?;
    // < 2^126 + 2^126 = 2^127.
    let den = reserve_in
        .checked_mul(BPS)
        .and_then(|x| x.checked_add(in_after_fee))
        .ok_or(MathError::Overflow("the input reserve"))?;
    let out = mul_div(in_after_fee, reserve_out, den, "the output")?;
    if out == 0 {
        return Err(MathError::Insufficient("the output rounds to zero"));
    }
    Ok(out)
}

/// What an exact-out swap paying `amount_out` costs. Refuses an output the
/// pool does not hold (all of `reserve_out` or more) and an input that
/// would pass [`MAX_AMOUNT`].
pub fn amount_in(
    amount_out: u128,
    reserve_in: u128,
    reserve_out: u128,
    fee_bps: u16,
) -> Result<u128, MathError> {
    if reserve_in == 0 || reserve_out == 0 {
        return Err(MathError::Insufficient("the pool is empty"));
    }
    if amount_out == 0 {
        return Err(MathError::Insufficient("the output is zero"));
    }
    let left = reserve_out
        .checked_sub(amount_out)
        .filter(|v| *v > 0)
        .ok_or(MathError::Insufficient(
            "the output is all of the reserve or more",
        ))?;
    // Both < 2^126.
    let num = amount_out
        .checked_mul(BPS)
        .ok_or(MathError::Overflow("the output"))?;
    let den = left
        .checked_mul(after_fee(fee_bps)?)
        .ok_or(MathError::Overflow("the output reserve"))?;
    let need = mul_div(reserve_in, num, den, "the input")?
        .checked_add(1)
        .ok_or(MathError::Overflow("the input"))?;
    bounded(need, "the input")?;
    add(reserve_in, need, "the input reserve")?;
    Ok(need)
}

/// The part of a swap's fee paid to the protocol account:
/// `floor(amount_in · fee_bps · share_bps / 10^8)` (≤ the fee).
pub fn protocol_cut(amount_in: u128, fee_bps: u16, share_bps: u16) -> Result<u128, MathError> {
    let rate = u128::from(fee_bps).saturating_mul(u128::from(share_bps));
    mul_div(amount_in, rate, BPS.saturating_mul(BPS), "the protocol fee")
}

/// `floor(sqrt(v))` of a 256-bit `v = (hi, lo)` whose root fits in 113 bits.
fn isqrt_wide(hi: u128, lo: u128) -> u128 {
    // Binary search on the root r: the largest r with r² ≤ v.
    let (mut low, mut high) = (0u128, 1u128 << 113);
    while high.saturating_sub(low) > 1 {
        let mid = low.saturating_add(high.saturating_sub(low) / 2);
        if wide_mul(mid, mid) <= (hi, lo) {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// Full 256-bit product as (high, low) halves.
pub(crate) fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    // Each partial product of two 64-bit halves fits in u128; the wrapping
    // operations below reassemble the exact 256-bit sum.
    let ll = a_lo.wrapping_mul(b_lo);
    let lh = a_lo.wrapping_mul(b_hi);
    let hl = a_hi.wrapping_mul(b_lo);
    let hh = a_hi.wrapping_mul(b_hi);
    let (mid, mid_carry) = lh.overflowing_add(hl);
    let (lo, lo_carry) = ll.overflowing_add(mid << 64);
    let hi = hh
        .wrapping_add(mid >> 64)
        .wrapping_add(u128::from(mid_carry) << 64)
        .wrapping_add(u128::from(lo_carry));
    (hi, lo)
}

/// The first deposit of `x` and `y`: `(total liquidity, minted to the
/// creator)` = `(floor(sqrt(x·y)), floor(sqrt(x·y)) − MINIMUM_LIQUIDITY)`.
pub fn initial_liquidity(x: u128, y: u128) -> Result<(u128, u128), MathError> {
    bounded(x, "the first amount")?;
    bounded(y, "the second amount")?;
    let (hi, lo) = wide_mul(x, y);
    let total = isqrt_wide(hi, lo);
    match total.checked_sub(MINIMUM_LIQUIDITY) {
        Some(minted) if minted > 0 => Ok((total, minted)),
        _ => Err(MathError::Insufficient(
            "the first deposit must give floor(sqrt(x·y)) above 1000 (the locked minimum)",
        )),
    }
}

/// A later deposit: what it takes and what it mints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deposit {
    /// Taken of the first denom (≤ its maximum).
    pub used_a: u128,
    /// Taken of the second denom (≤ its maximum).
    pub used_b: u128,
    /// LP units minted.
    pub minted: u128,
}

/// A deposit of at most `max_a` and `max_b` into reserves `a`, `b` with
/// liquidity `liquidity`: the largest amounts in the pool's ratio within
/// the maxima (the side that is not limiting is rounded up, in the pool's
/// favour), minting `min(used_a·L/a, used_b·L/b)` rounded down.
pub fn deposit(
    max_a: u128,
    max_b: u128,
    a: u128,
    b: u128,
    liquidity: u128,
) -> Result<Deposit, MathError> {
    if a == 0 || b == 0 || liquidity == 0 {
        return Err(MathError::Insufficient("the pool is empty"));
    }
    let ceil = |v: u128, num: u128, den: u128| {
        Amount::new(v)
            .mul_div_ceil(num, den)
            .map(Amount::value)
            .map_err(|_| MathError::Overflow("the deposit"))
    };
    let b_for_max_a = ceil(max_a, b, a)?;
    let (used_a, used_b) = if b_for_max_a <= max_b {
        (max_a, b_for_max_a)
    } else {
        (ceil(max_b, a, b)?, max_b)
    };
    add(a, used_a, "the first reserve")?;
    add(b, used_b, "the second reserve")?;
    let minted = mul_div(used_a, liquidity, a, "the minted liquidity")?.min(mul_div(
        used_b,
        liquidity,
        b,
        "the minted liquidity",
    )?);
    add(liquidity, minted, "the liquidity")?;
    if minted == 0 {
        return Err(MathError::Insufficient(
            "the deposit is too small to mint one LP unit",
        ));
    }
    Ok(Deposit {
        used_a,
        used_b,
        minted,
    })
}

/// What burning `lp` of `liquidity` returns from reserves `a`, `b`: pro
/// rata, rounded down.
pub fn withdraw(lp: u128, a: u128, b: u128, liquidity: u128) -> Result<(u128, u128), MathError> {
    if lp > liquidity || liquidity == 0 {
        return Err(MathError::Insufficient("more LP than the pool's liquidity"));
    }
    Ok((
        mul_div(lp, a, liquidity, "the withdrawal")?,
        mul_div(lp, b, liquidity, "the withdrawal")?,
    ))
}

/// A 256-bit unsigned accumulator that wraps modulo 2^256, stored as two
/// halves. Only differences of two readings are meaningful.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
)]
pub struct Cumulative {
    /// High 128 bits.
    #[serde(serialize_with = "as_string")]
    pub hi: u128,
    /// Low 128 bits.
    #[serde(serialize_with = "as_string")]
    pub lo: u128,
}

fn as_string<S: serde::Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Fractional bits of a fixed-point price.
pub const PRICE_FRACTION_BITS: u32 = 64;

/// The price of one unit of the reserve `base` in units of `quote`, as a
/// Q64.64 fixed-point number: `floor(quote · 2^64 / base)`, clamped to
/// `u128::MAX` (prices of 2^64 or more — reserves 1.8·10^19 apart — read
/// as the largest representable price).
pub fn price_q64(base: u128, quote: u128) -> u128 {
    if base == 0 {
        return u128::MAX;
    }
    Amount::new(quote)
        .mul_div_floor(1u128 << PRICE_FRACTION_BITS, base)
        .map_or(u128::MAX, Amount::value)
}

impl Cumulative {
    /// `self + price · dt_ms`, modulo 2^256. Never fails: a Q64.64 price
    /// times a `u64` of milliseconds is below 2^192, and the sum wraps.
    pub fn accumulate(self, price: u128, dt_ms: u64) -> Cumulative {
        let (p_hi, p_lo) = wide_mul(price, u128::from(dt_ms));
        let (lo, carry) = self.lo.overflowing_add(p_lo);
        let hi = self.hi.wrapping_add(p_hi).wrapping_add(u128::from(carry));
        Cumulative { hi, lo }
    }

    /// `self − earlier`, modulo 2^256: the exact sum of price × time between
    /// the two readings, as long as it is below 2^256 (always: at most
    /// 2^128 · 2^64 per reading interval, and time is below 2^64 ms).
    pub fn since(self, earlier: Cumulative) -> Cumulative {
        let (lo, borrow) = self.lo.overflowing_sub(earlier.lo);
        let hi = self
            .hi
            .wrapping_sub(earlier.hi)
            .wrapping_sub(u128::from(borrow));
        Cumulative { hi, lo }
    }

    /// `floor(self / dt_ms)`: the time-weighted average Q64.64 price of a
    /// difference of readings `dt_ms` apart. `None` for `dt_ms = 0`. The
    /// quotient fits in u128 because every price summed was at most
    /// `u128::MAX`; a larger one (state that contradicts this) is clamped.
    pub fn average(self, dt_ms: u64) -> Option<u128> {
        let den = u128::from(dt_ms);
        if den == 0 {
            return None;
        }
        if self.hi >= den {
            return Some(u128::MAX);
        }
        // Long division of (hi, lo) by den, one bit at a time; hi < den
        // keeps the quotient within u128 and the remainder below den.
        let mut rem = self.hi;
        let mut quot: u128 = 0;
        for i in (0..128u32).rev() {
            let carry = rem >> 127;
            rem = (rem << 1) | ((self.lo >> i) & 1);
            quot <<= 1;
            if carry == 1 || rem >= den {
                rem = rem.wrapping_sub(den);
                quot |= 1;
            }
        }
        Some(quot)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn exact_in_matches_the_uniswap_v2_formula() {
        // 1000 in at 30 bps into 1e6/2e6: floor(1000·9970·2e6 / (1e6·1e4 + 1000·9970)).
        let out = amount_out(1_000, 1_000_000, 2_000_000, 30).unwrap();
        assert_eq!(
            out,
            1_000 * 9_970 * 2_000_000 / (1_000_000 * 10_000 + 1_000 * 9_970)
        );
        assert_eq!(out, 1_992);
    }

    #[test]
    fn exact_out_matches_the_uniswap_v2_formula() {
        let need = amount_in(1_992, 1_000_000, 2_000_000, 30).unwrap();
        assert_eq!(
            need,
            1_000_000 * 1_992 * 10_000 / ((2_000_000 - 1_992) * 9_970) + 1
        );
        // Paying what exact-out asks buys at least the output.
        assert!(amount_out(need, 1_000_000, 2_000_000, 30).unwrap() >= 1_992);
    }

    #[test]
    fn the_pool_never_pays_its_whole_reserve() {
        assert!(matches!(
            amount_in(2_000_000, 1_000_000, 2_000_000, 30),
            Err(MathError::Insufficient(_))
        ));
        assert!(amount_out(MAX_AMOUNT - 1_000_000, 1_000_000, 2_000_000, 30).unwrap() < 2_000_000);
    }

    #[test]
    fn reserves_never_pass_the_bound() {
        assert_eq!(
            amount_out(2, MAX_AMOUNT - 1, MAX_AMOUNT, 30),
            Err(MathError::Overflow("the input reserve"))
        );
        assert!(matches!(
            amount_out(MAX_AMOUNT + 1, 1, 1, 30),
            Err(MathError::Overflow(_))
        ));
        // Largest reserves and input: still exact.
        let half = MAX_AMOUNT / 2;
        assert!(amount_out(half, half, MAX_AMOUNT, 1_000).is_ok());
    }

    #[test]
    fn the_first_deposit_locks_the_minimum() {
        assert_eq!(
            initial_liquidity(1_000_000, 2_000_000).unwrap(),
            (1_414_213, 1_413_213)
        );
        assert!(initial_liquidity(1_000, 1_000).is_err());
        assert_eq!(initial_liquidity(1_001, 1_001).unwrap(), (1_001, 1));
        let (total, _) = initial_liquidity(MAX_AMOUNT, MAX_AMOUNT).unwrap();
        assert_eq!(total, MAX_AMOUNT);
    }

    #[test]
    fn a_later_deposit_takes_the_pool_ratio_within_the_maxima() {
        let d = deposit(1_000, 5_000, 1_000_000, 2_000_000, 1_414_213).unwrap();
        assert_eq!((d.used_a, d.used_b), (1_000, 2_000));
        assert_eq!(d.minted, 1_414);
        let d = deposit(1_000, 1_000, 1_000_000, 2_000_000, 1_414_213).unwrap();
        assert_eq!((d.used_a, d.used_b), (500, 1_000));
    }

    #[test]
    fn accumulators_wrap_and_their_differences_stay_exact() {
        let start = Cumulative {
            hi: u128::MAX,
            lo: u128::MAX - 5,
        };
        let later = start.accumulate(7 << 64, 1_000).accumulate(9 << 64, 3_000);
        let avg = later.since(start).average(4_000).unwrap();
        assert_eq!(avg, ((7u128 * 1_000 + 9 * 3_000) << 64) / 4_000);
        assert_eq!(price_q64(2, 1), 1 << 63);
        assert_eq!(price_q64(1, MAX_AMOUNT), u128::MAX);
    }

    fn k(a: u128, b: u128) -> (u128, u128) {
        wide_mul(a, b)
    }

    proptest! {
        #[test]
        fn k_never_decreases_across_swaps(
            x in 1_001u128..=MAX_AMOUNT / 4,
            y in 1_001u128..=MAX_AMOUNT / 4,
            amount in 1u128..=MAX_AMOUNT / 4,
            fee in 1u16..=1_000,
            share in 0u16..=10_000,
        ) {
            if let Ok(out) = amount_out(amount, x, y, fee) {
                let cut = protocol_cut(amount, fee, share).unwrap();
                prop_assert!(k(x + amount - cut, y - out) >= k(x, y));
            }
            if amount < y && let Ok(need) = amount_in(amount, x, y, fee) {
                let cut = protocol_cut(need, fee, share).unwrap();
                prop_assert!(k(x + need - cut, y - amount) >= k(x, y));
            }
        }

        #[test]
        fn exact_out_costs_the_least_input_that_buys_the_output(
            x in 1_001u128..=1u128 << 80,
            y in 1_001u128..=1u128 << 80,
            out in 1u128..=1u128 << 79,
            fee in 1u16..=1_000,
        ) {
            if let Ok(need) = amount_in(out, x, y, fee) {
                prop_assert!(amount_out(need, x, y, fee).unwrap() >= out);
                if need > 1 {
                    prop_assert!(amount_out(need - 1, x, y, fee).map_or(true, |o| o <= out));
                }
            }
        }

        #[test]
        fn deposit_then_full_withdrawal_never_returns_more_than_was_put_in(
            x in 1_001u128..=1u128 << 100,
            y in 1_001u128..=1u128 << 100,
            max_a in 1u128..=1u128 << 100,
            max_b in 1u128..=1u128 << 100,
            swap in 0u128..=1u128 << 90,
        ) {
            let (l0, _) = match initial_liquidity(x, y) { Ok(v) => v, Err(_) => return Ok(()) };
            let d = match deposit(max_a, max_b, x, y, l0) { Ok(d) => d, Err(_) => return Ok(()) };
            prop_assert!(d.used_a <= max_a && d.used_b <= max_b);
            let (mut a, mut b) = (x + d.used_a, y + d.used_b);
            let l = l0 + d.minted;
            // Without trading in between the depositor gets back at most
            // what it put in.
            let (wa, wb) = withdraw(d.minted, a, b, l).unwrap();
            prop_assert!(wa <= d.used_a && wb <= d.used_b);
            // Fees earned meanwhile can only raise the pool's k per LP unit.
            if swap > 0 && let Ok(out) = amount_out(swap, a, b, 30) {
                a += swap;
                b -= out;
                let (wa2, wb2) = withdraw(d.minted, a, b, l).unwrap();
                prop_assert!(k(wa2, wb2) >= k(wa, wb));
            }
        }

        #[test]
        fn withdrawing_everything_never_pays_more_than_the_reserves(
            a in 1u128..=MAX_AMOUNT,
            b in 1u128..=MAX_AMOUNT,
            l in 1u128..=MAX_AMOUNT,
            lp_frac in 0u128..=1_000,
        ) {
            let lp = Amount::new(l).mul_div_floor(lp_frac, 1_000).unwrap().value();
            let (wa, wb) = withdraw(lp, a, b, l).unwrap();
            prop_assert!(wa <= a && wb <= b);
        }

        #[test]
        fn isqrt_is_the_floor_root(x in 0u128..=MAX_AMOUNT, y in 0u128..=MAX_AMOUNT) {
            let (hi, lo) = wide_mul(x, y);
            let r = isqrt_wide(hi, lo);
            prop_assert!(wide_mul(r, r) <= (hi, lo));
            prop_assert!(wide_mul(r + 1, r + 1) > (hi, lo));
        }
    }
}
