//! The vault arithmetic: pure functions on `u128` with 256-bit
//! multiply-divide, every rounding named and in the system's favour (debt
//! rounds up, what the system pays or forgives rounds down).
//!
//! **Rate accumulator.** `rate` is a fixed-point number with [`RAY`] =
//! 10^27 (1.0 = `RAY`), starting at `RAY`. A vault stores its *normalized*
//! debt `n`; its debt is `ceil(n · rate / RAY)`. Each block multiplies
//! `rate` by `(RAY + fee_per_block) / RAY` (rounded up), so the stability
//! fee compounds per block and accrues to every vault at once, O(1) per
//! block and per vault. `rate` stops at [`MAX_RATE`] (10^9 × `RAY`): the
//! multiply cannot overflow, and the hook that grows it cannot fail.

use fructus_oracle::PRICE_SCALE;
use fructus_types::Amount;

/// 1.0 in the rate accumulator's fixed point.
pub const RAY: u128 = 1_000_000_000_000_000_000_000_000_000;
/// The largest rate (10^9): at 1 %/day it is reached after ~5,700 years.
pub const MAX_RATE: u128 = RAY * 1_000_000_000;
/// Basis points in one.
pub const BPS: u128 = 10_000;
/// The largest amount any vault, ceiling or bid handles (2^100 base units):
/// keeps every product below within 256 bits and every sum within u128.
pub const MAX_AMOUNT: u128 = 1 << 100;

/// `ceil(a · b / c)`, `None` on overflow or `c = 0`.
pub fn mul_div_ceil(a: u128, b: u128, c: u128) -> Option<u128> {
    Amount::new(a).mul_div_ceil(b, c).ok().map(Amount::value)
}

/// `floor(a · b / c)`, `None` on overflow or `c = 0`.
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
    Amount::new(a).mul_div_floor(b, c).ok().map(Amount::value)
}

/// The debt of `normalized` at `rate`, rounded up.
pub fn debt(normalized: u128, rate: u128) -> Option<u128> {
    mul_div_ceil(normalized, rate, RAY)
}

/// Normalized debt added by minting `amount` at `rate`, rounded up.
pub fn normalized_for_mint(amount: u128, rate: u128) -> Option<u128> {
    mul_div_ceil(amount, RAY, rate)
}

/// Normalized debt removed by repaying `amount` at `rate`, rounded down.
pub fn normalized_for_repay(amount: u128, rate: u128) -> Option<u128> {
    mul_div_floor(amount, RAY, rate)
}

/// The rate after one block at `fee_per_block` (RAY-scaled), rounded up
/// and capped at [`MAX_RATE`].
pub fn next_rate(rate: u128, fee_per_block: u128) -> u128 {
    mul_div_ceil(rate, RAY.saturating_add(fee_per_block), RAY)
        .unwrap_or(MAX_RATE)
        .min(MAX_RATE)
}

/// The value, in quote units, of `amount` at `price` (×10^18) after a
/// haircut of `haircut_bps`, rounded down.
pub fn collateral_value(amount: u128, price: u128, haircut_bps: u16) -> Option<u128> {
    let gross = mul_div_floor(amount, price, PRICE_SCALE)?;
    mul_div_floor(gross, BPS.saturating_sub(u128::from(haircut_bps)), BPS)
}

/// True when `value · BPS ≥ debt · ratio_bps` (a debt of zero is always
/// covered).
pub fn covers(value: u128, debt: u128, ratio_bps: u32) -> bool {
    if debt == 0 {
        return true;
    }
    // Both sides below 2^100 · 2^17: no overflow in u128 for bounded
    // amounts; a larger product reads as not covered.
    match (
        value.checked_mul(BPS),
        debt.checked_mul(u128::from(ratio_bps)),
    ) {
        (Some(l), Some(r)) => l >= r,
        (None, _) => true,
        (_, None) => false,
    }
}

/// The most that can be minted (in credit units) against `value` at
/// `ratio_bps` on top of `debt`, rounded down.
pub fn mint_room(value: u128, debt: u128, ratio_bps: u32) -> u128 {
    mul_div_floor(value, BPS, u128::from(ratio_bps).max(1))
        .unwrap_or(0)
        .saturating_sub(debt)
}

/// The Dutch auction's price `elapsed_ms` after its start: the start price
/// lowered linearly by `decay_bps_per_minute` basis points of itself per
/// minute, never below `floor_bps` of it. Rounded down; positive whenever
/// the start price and the floor are.
pub fn auction_price(
    start_price: u128,
    elapsed_ms: u64,
    decay_bps_per_minute: u32,
    floor_bps: u32,
) -> u128 {
    let decay = u128::from(elapsed_ms).saturating_mul(u128::from(decay_bps_per_minute)) / 60_000;
    let keep = BPS.saturating_sub(decay).max(u128::from(floor_bps));
    mul_div_floor(start_price, keep, BPS).unwrap_or(start_price)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn debt_rounds_up_and_repayment_down() {
        let rate = RAY + RAY / 3;
        let n = normalized_for_mint(100, rate).unwrap();
        assert!(debt(n, rate).unwrap() >= 100);
        assert_eq!(normalized_for_repay(1, RAY * 2), Some(0));
        assert_eq!(debt(0, rate), Some(0));
    }

    #[test]
    fn the_rate_compounds_per_block_and_stops_at_its_cap() {
        let fee = RAY / 1_000; // 0.1 % per block
        let mut rate = RAY;
        for _ in 0..1_000 {
            rate = next_rate(rate, fee);
        }
        // (1.001)^1000 ≈ 2.7169
        assert!(rate > RAY * 27_169 / 10_000 && rate < RAY * 27_170 / 10_000);
        assert_eq!(next_rate(MAX_RATE, fee), MAX_RATE);
        assert_eq!(next_rate(RAY, 0), RAY);
    }

    #[test]
    fn the_auction_price_decays_to_its_floor_and_never_to_zero() {
        let p = 1_000 * PRICE_SCALE;
        assert_eq!(auction_price(p, 0, 100, 5_000), p);
        assert_eq!(auction_price(p, 60_000, 100, 5_000), 990 * PRICE_SCALE);
        assert_eq!(auction_price(p, u64::MAX, 100, 5_000), 500 * PRICE_SCALE);
        assert!(auction_price(1, u64::MAX, u32::MAX, 1) <= 1);
    }

    #[test]
    fn collateral_value_applies_the_haircut_and_coverage_the_ratio() {
        let v = collateral_value(1_000, 2 * PRICE_SCALE, 2_000).unwrap();
        assert_eq!(v, 1_600);
        assert!(covers(1_600, 1_000, 16_000));
        assert!(!covers(1_599, 1_000, 16_000));
        assert_eq!(mint_room(2_500, 0, 25_000), 1_000);
        assert_eq!(mint_room(2_500, 400, 25_000), 600);
        assert_eq!(mint_room(2_500, 4_000, 25_000), 0);
    }

    proptest! {
        #[test]
        fn mint_then_repay_never_leaves_less_debt_than_minted_minus_repaid(
            amount in 1u128..MAX_AMOUNT,
            repay in 0u128..MAX_AMOUNT,
            rate in RAY..(RAY * 1_000),
        ) {
            let n = normalized_for_mint(amount, rate).unwrap();
            let r = normalized_for_repay(repay.min(amount), rate).unwrap().min(n);
            let left = debt(n - r, rate).unwrap();
            // The system never loses to rounding.
            prop_assert!(left >= amount - repay.min(amount));
        }

        #[test]
        fn minting_the_room_keeps_the_vault_covered(value in 0u128..MAX_AMOUNT, ratio in 10_000u32..100_000) {
            let room = mint_room(value, 0, ratio);
            prop_assert!(covers(value, room, ratio));
        }
    }
}
