//! An address's bech32 text (BIP-173, prefix [`ADDRESS_HRP`]) written into
//! a fixed buffer, without allocating.
//!
//! Why its own: every event a transaction emits names its accounts as text,
//! so a busy node writes a few addresses per transaction; the general
//! encoder of the `bech32` crate (still the only parser: see
//! [`Address`](crate::Address)'s `FromStr`) took about 220 ns an address
//! through its checksum iterators. This writes the same text (a
//! differential test holds it to that crate's output) with one pass over
//! 32 five-bit groups.

use crate::address::{ADDRESS_HRP, ADDRESS_LEN};

/// Length of an address's text: prefix, separator `1`, 32 data characters
/// (160 bits in 5-bit groups), 6 checksum characters.
pub(crate) const TEXT_LEN: usize = ADDRESS_HRP.len() + 1 + 32 + 6;

/// BIP-173's alphabet, indexed by a 5-bit value.
const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// BIP-173's generator of the checksum's BCH code.
const GENERATOR: [u32; 5] = [
    0x3b6a_57b2,
    0x2650_8e6d,
    0x1ea1_19fa,
    0x3d42_33dd,
    0x2a14_62b3,
];

/// For each value of the checksum's top 5 bits, the xor of the generator
/// entries its set bits select (one lookup per step instead of 5 tests).
const STEP: [u32; 32] = {
    let mut table = [0u32; 32];
    let mut top = 0usize;
    while top < 32 {
        let mut mask = 0u32;
        let mut i = 0usize;
        while i < 5 {
            if (top >> i) & 1 == 1 {
                mask ^= GENERATOR[i];
            }
            i = i.wrapping_add(1);
        }
        table[top] = mask;
        top = top.wrapping_add(1);
    }
    table
};

/// One step of the checksum's polynomial over a 5-bit value.
fn polymod_step(checksum: u32, value: u8) -> u32 {
    let top = usize::try_from(checksum.wrapping_shr(25)).unwrap_or(0);
    (checksum & 0x01ff_ffff).wrapping_shl(5)
        ^ u32::from(value)
        ^ STEP.get(top).copied().unwrap_or(0)
}

/// The character of a 5-bit value (only the low 5 bits are read).
fn char_of(value: u8) -> u8 {
    CHARSET
        .get(usize::from(value & 0x1f))
        .copied()
        .unwrap_or(b'q')
}

/// The bech32 text of `bytes`, as ASCII.
pub(crate) fn encode(bytes: &[u8; ADDRESS_LEN]) -> [u8; TEXT_LEN] {
    let hrp = ADDRESS_HRP.as_bytes();
    let mut out = [0u8; TEXT_LEN];
    let mut checksum: u32 = 1;
    // The prefix enters the checksum expanded: high bits, a zero, low bits.
    for c in hrp {
        checksum = polymod_step(checksum, c.wrapping_shr(5));
    }
    checksum = polymod_step(checksum, 0);
    for c in hrp {
        checksum = polymod_step(checksum, c & 0x1f);
    }
    let mut slots = out.iter_mut();
    // The prefix drives the zip, so no slot is taken past its end.
    for (c, slot) in hrp.iter().zip(slots.by_ref()) {
        *slot = *c;
    }
    if let Some(slot) = slots.next() {
        *slot = b'1';
    }
    // 20 bytes are exactly 32 groups of 5 bits, most significant first.
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for byte in bytes {
        acc = acc.wrapping_shl(8) | u32::from(*byte);
        bits = bits.wrapping_add(8);
        while bits >= 5 {
            bits = bits.wrapping_sub(5);
            let value = u8::try_from(acc.wrapping_shr(bits) & 0x1f).unwrap_or(0);
            checksum = polymod_step(checksum, value);
            if let Some(slot) = slots.next() {
                *slot = char_of(value);
            }
        }
    }
    for _ in 0..6 {
        checksum = polymod_step(checksum, 0);
    }
    checksum ^= 1;
    for i in (0..6u32).rev() {
        let value = u8::try_from(checksum.wrapping_shr(i.wrapping_mul(5)) & 0x1f).unwrap_or(0);
        if let Some(slot) = slots.next() {
            *slot = char_of(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use bech32::{Bech32, Hrp};
    use proptest::prelude::*;

    use super::*;

    fn reference(bytes: &[u8; ADDRESS_LEN]) -> String {
        bech32::encode::<Bech32>(Hrp::parse_unchecked(ADDRESS_HRP), bytes).unwrap()
    }

    #[test]
    fn edge_addresses_match_the_bech32_crate() {
        for bytes in [
            [0u8; ADDRESS_LEN],
            [0xffu8; ADDRESS_LEN],
            [0x55u8; ADDRESS_LEN],
            [0xaau8; ADDRESS_LEN],
        ] {
            let text = encode(&bytes);
            assert_eq!(std::str::from_utf8(&text).unwrap(), reference(&bytes));
        }
    }

    proptest! {
        #[test]
        fn every_address_matches_the_bech32_crate(bytes in any::<[u8; ADDRESS_LEN]>()) {
            let text = encode(&bytes);
            prop_assert_eq!(std::str::from_utf8(&text).unwrap(), reference(&bytes));
        }
    }
}
