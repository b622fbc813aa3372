//! Pure fixed-point helpers (no state), exposed for tests and benches.

use fructus_types::Amount;

/// Fixed-point scale of the income-per-share accumulator: 10^18.
pub const SCALE: u128 = 1_000_000_000_000_000_000;

/// Splits one payment over `total_shares`: returns `(inc, carry')` with
/// `inc = floor((amount·SCALE + carry) / total_shares)` and
/// `carry' = (amount·SCALE + carry) mod total_shares`.
///
/// `None` when `total_shares` is zero, `carry ≥ total_shares`, or `inc` does
/// not fit in 128 bits. The product `amount·SCALE` is never formed in 128
/// bits: the quotient comes from a 256-bit multiply-divide and the
/// remainder, being `< total_shares`, is exact modulo 2^128.
pub fn split_payment(amount: u128, carry: u128, total_shares: u128) -> Option<(u128, u128)> {
    if total_shares == 0 || carry >= total_shares {
        return None;
    }
    let q1 = Amount::new(amount)
        .mul_div_floor(SCALE, total_shares)
        .ok()?
        .value();
    let r1 = amount
        .wrapping_mul(SCALE)
        .wrapping_sub(q1.wrapping_mul(total_shares));
    let r = r1.checked_add(carry)?;
    let q2 = r.checked_div(total_shares)?;
    let carry = r.checked_rem(total_shares)?;
    Some((q1.checked_add(q2)?, carry))
}

/// What `balance` shares earned while the accumulator moved by `delta`:
/// `(whole, frac)` with `balance·delta = whole·SCALE + frac`, `frac < SCALE`.
/// `None` if `whole` does not fit in 128 bits.
pub fn accrue(balance: u128, delta: u128) -> Option<(u128, u128)> {
    let whole = Amount::new(balance)
        .mul_div_floor(delta, SCALE)
        .ok()?
        .value();
    let frac = balance
        .wrapping_mul(delta)
        .wrapping_sub(whole.wrapping_mul(SCALE));
    Some((whole, frac))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn split_matches_the_definition_on_small_numbers() {
        // 1,000,001 over 10,000 shares: 100.0001 per share, no remainder.
        assert_eq!(
            split_payment(1_000_001, 0, 10_000),
            Some((100_000_100_000_000_000_000, 0))
        );
        // 1 over 3 shares: 0.333… with remainder 1 (in scaled units).
        assert_eq!(split_payment(1, 0, 3), Some((333_333_333_333_333_333, 1)));
        // The carry joins the next payment: (1e18 + 1 + 2) / 3.
        assert_eq!(split_payment(1, 2, 3), Some((333_333_333_333_333_334, 0)));
    }

    #[test]
    fn split_refuses_overflow_instead_of_wrapping() {
        // u128::MAX · 10^18 / 1 cannot fit.
        assert_eq!(split_payment(u128::MAX, 0, 1), None);
        // Just fits: floor(u128::MAX / 10^18) · 10^18 over one share.
        let max_amount = u128::MAX / SCALE;
        assert_eq!(
            split_payment(max_amount, 0, 1),
            Some((max_amount * SCALE, 0))
        );
        assert_eq!(split_payment(max_amount + 1, 0, 1), None);
        assert_eq!(split_payment(5, 0, 0), None);
        assert_eq!(split_payment(5, 7, 7), None);
    }

    #[test]
    fn accrue_keeps_the_fraction() {
        assert_eq!(accrue(3, 333_333_333_333_333_334), Some((1, 2)));
        assert_eq!(accrue(0, u128::MAX), Some((0, 0)));
        assert_eq!(accrue(u128::MAX, u128::MAX), None);
        // A product that needs 256 bits in between (~10^50).
        let ten = |e: u32| 10u128.pow(e);
        assert_eq!(
            accrue(ten(20) + 1, ten(30) + 3),
            Some((ten(32) + ten(12) + 300, 3))
        );
    }

    proptest! {
        #[test]
        fn split_equals_u256_reference(amount in 0u128..(1u128 << 100), carry_seed: u128, total in 1u128..(1u128 << 96)) {
            let carry = carry_seed % total;
            let (inc, rest) = split_payment(amount, carry, total).unwrap();
            // inc·total + rest == amount·SCALE + carry, checked in 256 bits
            // via (hi, lo) decomposition of both sides.
            let lhs = wide(inc, total, rest);
            let rhs = wide(amount, SCALE, carry);
            prop_assert_eq!(lhs, rhs);
            prop_assert!(rest < total);
        }

        #[test]
        fn accrue_equals_u256_reference(balance in 0u128..(1u128 << 64), delta in 0u128..(1u128 << 120)) {
            let (w, f) = accrue(balance, delta).unwrap();
            prop_assert!(f < SCALE);
            prop_assert_eq!(wide(w, SCALE, f), wide(balance, delta, 0));
        }
    }

    /// a·b + c as (hi, lo) 128-bit halves.
    fn wide(a: u128, b: u128, c: u128) -> (u128, u128) {
        const M: u128 = u64::MAX as u128;
        let (ah, al) = (a >> 64, a & M);
        let (bh, bl) = (b >> 64, b & M);
        let ll = al * bl;
        let lh = al * bh;
        let hl = ah * bl;
        let hh = ah * bh;
        let (mid, c1) = lh.overflowing_add(hl);
        let (lo, c2) = ll.overflowing_add(mid << 64);
        let mut hi = hh + (mid >> 64) + ((c1 as u128) << 64) + c2 as u128;
        let (lo, c3) = lo.overflowing_add(c);
        hi += c3 as u128;
        (hi, lo)
    }
}
