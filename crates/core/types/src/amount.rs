use std::{fmt, str::FromStr};

use crate::TypesError;

/// A non-negative amount of base units (u128). Every operation is checked and
/// names its rounding direction; nothing wraps or rounds silently.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Amount(u128);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(0);
    /// The largest representable amount.
    pub const MAX: Amount = Amount(u128::MAX);

    /// Wraps a raw value.
    pub const fn new(v: u128) -> Self {
        Amount(v)
    }

    /// The raw value.
    pub const fn value(self) -> u128 {
        self.0
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + rhs`, or an overflow error.
    pub fn checked_add(self, rhs: Amount) -> Result<Amount, TypesError> {
        self.0
            .checked_add(rhs.0)
            .map(Amount)
            .ok_or(TypesError::AmountOverflow {
                op: "+",
                left: self.0,
                right: rhs.0,
            })
    }

    /// `self - rhs`, or an error if it would go below zero.
    pub fn checked_sub(self, rhs: Amount) -> Result<Amount, TypesError> {
        self.0
            .checked_sub(rhs.0)
            .map(Amount)
            .ok_or(TypesError::AmountOverflow {
                op: "-",
                left: self.0,
                right: rhs.0,
            })
    }

    /// `floor(self * num / den)` without intermediate overflow for any
    /// result that fits in u128. Errors if `den` is zero or the result does
    /// not fit.
    pub fn mul_div_floor(self, num: u128, den: u128) -> Result<Amount, TypesError> {
        mul_div(self.0, num, den, false).map(Amount)
    }

    /// `ceil(self * num / den)`; same error rules as [`Amount::mul_div_floor`].
    pub fn mul_div_ceil(self, num: u128, den: u128) -> Result<Amount, TypesError> {
        mul_div(self.0, num, den, true).map(Amount)
    }
}

/// 256-bit intermediate multiply-divide on two u128 limbs each.
fn mul_div(a: u128, b: u128, den: u128, round_up: bool) -> Result<u128, TypesError> {
    let overflow = TypesError::AmountOverflow {
        op: "*",
        left: a,
        right: b,
    };
    if den == 0 {
        return Err(TypesError::AmountOverflow {
            op: "/",
            left: a,
            right: 0,
        });
    }
    let (hi, lo) = wide_mul(a, b);
    if hi >= den {
        return Err(overflow);
    }
    // Nearly every product (fees, shares, prices) fits in 128 bits: one
    // hardware-assisted division then, instead of 128 steps.
    let (mut quot, rem) = match (lo.checked_div(den), lo.checked_rem(den)) {
        (Some(quot), Some(rem)) if hi == 0 => (quot, rem),
        _ => long_div(hi, lo, den),
    };
    if round_up && rem != 0 {
        quot = quot.checked_add(1).ok_or(overflow)?;
    }
    Ok(quot)
}

/// (quotient, remainder) of the 256-bit (hi, lo) by `den`, one bit at a
/// time; `hi < den` (checked by the caller) keeps the quotient within u128.
fn long_div(hi: u128, lo: u128, den: u128) -> (u128, u128) {
    let mut rem = hi;
    let mut quot: u128 = 0;
    for i in (0..128u32).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        quot <<= 1;
        if carry == 1 || rem >= den {
            rem = rem.wrapping_sub(den);
            quot |= 1;
        }
    }
    (quot, rem)
}

/// Full 256-bit product as (high, low) u128 halves.
fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    // Each partial product of two 64-bit halves fits in u128.
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

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Amount {
    type Err = TypesError;
    /// Strict base-10: digits only, no sign, no leading zeros (except "0").
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |reason| TypesError::InvalidAmount {
            input: s.chars().take(64).collect(),
            reason,
        };
        if s.is_empty() {
            return Err(bad("empty"));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("only the digits 0-9 are allowed"));
        }
        if s.len() > 1 && s.starts_with('0') {
            return Err(bad("leading zeros are not allowed"));
        }
        s.parse::<u128>()
            .map(Amount)
            .map_err(|_| bad("larger than 2^128-1"))
    }
}

impl From<u128> for Amount {
    fn from(v: u128) -> Self {
        Amount(v)
    }
}

impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    /// Amounts are JSON strings: JSON numbers lose precision above 2^53.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parsing_is_strict() {
        assert_eq!("0".parse::<Amount>().unwrap(), Amount::ZERO);
        assert_eq!(
            "340282366920938463463374607431768211455"
                .parse::<Amount>()
                .unwrap(),
            Amount::MAX
        );
        for bad in [
            "",
            "-1",
            "+1",
            "01",
            "1.5",
            " 1",
            "340282366920938463463374607431768211456",
        ] {
            assert!(bad.parse::<Amount>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn checked_ops_refuse_overflow() {
        assert!(Amount::MAX.checked_add(Amount::new(1)).is_err());
        assert!(Amount::ZERO.checked_sub(Amount::new(1)).is_err());
        assert!(Amount::new(5).mul_div_floor(1, 0).is_err());
        assert!(Amount::MAX.mul_div_floor(2, 1).is_err());
    }

    #[test]
    fn mul_div_rounds_as_named() {
        assert_eq!(Amount::new(3).mul_div_floor(1, 2).unwrap(), Amount::new(1));
        assert_eq!(Amount::new(3).mul_div_ceil(1, 2).unwrap(), Amount::new(2));
        assert_eq!(
            Amount::MAX.mul_div_floor(u128::MAX, u128::MAX).unwrap(),
            Amount::MAX
        );
        assert_eq!(
            Amount::new(u128::MAX / 3)
                .mul_div_floor(3, 7)
                .unwrap()
                .value(),
            48611766702991209066196372490252601636
        );
    }

    proptest! {
        #[test]
        fn mul_div_matches_u128_when_no_overflow(a in 0u128..u64::MAX as u128, b in 0u128..u64::MAX as u128, d in 1u128..u64::MAX as u128) {
            let exact = a * b;
            prop_assert_eq!(Amount::new(a).mul_div_floor(b, d).unwrap().value(), exact / d);
            prop_assert_eq!(Amount::new(a).mul_div_ceil(b, d).unwrap().value(), exact.div_ceil(d));
        }

        #[test]
        fn the_short_path_agrees_with_the_long_division(lo in any::<u128>(), den in 1u128..) {
            prop_assert_eq!(long_div(0, lo, den), (lo / den, lo % den));
        }

        #[test]
        fn the_long_division_of_a_wide_product_is_exact(a in any::<u128>(), b in any::<u128>(), pick in 1u128..) {
            let (hi, lo) = wide_mul(a, b);
            // A divisor above the high half (hi <= 2^128 - 2 always).
            let den = if hi < pick { pick } else { hi + 1 + pick % (u128::MAX - hi) };
            let (quot, rem) = long_div(hi, lo, den);
            prop_assert!(rem < den);
            // quot * den + rem == a * b, in 256 bits.
            let (q_hi, q_lo) = wide_mul(quot, den);
            let (sum_lo, carry) = q_lo.overflowing_add(rem);
            prop_assert_eq!((q_hi + u128::from(carry), sum_lo), (hi, lo));
            let floor = Amount::new(a).mul_div_floor(b, den).unwrap().value();
            prop_assert_eq!(floor, quot);
            let ceil = Amount::new(a).mul_div_ceil(b, den);
            match (rem, quot.checked_add(1)) {
                (0, _) => prop_assert_eq!(ceil.unwrap().value(), quot),
                (_, Some(up)) => prop_assert_eq!(ceil.unwrap().value(), up),
                (_, None) => prop_assert!(ceil.is_err()),
            }
        }

        #[test]
        fn display_parse_roundtrip(v in any::<u128>()) {
            prop_assert_eq!(Amount::new(v).to_string().parse::<Amount>().unwrap(), Amount::new(v));
        }
    }
}
