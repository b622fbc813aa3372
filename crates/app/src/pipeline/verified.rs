//! The process-wide memory of signatures already verified, so that a
//! transaction's signature is checked once per node — at mempool admission —
//! and not again when the block that carries it is validated and executed.
//!
//! Why this is sound: the key is the transaction hash, SHA-256 of the exact
//! `SignedTx` bytes (body, which holds the chain id, and signature), and
//! signature verification is a pure function of those bytes once the chain
//! id in the body has been checked to be the app's (the stateless check
//! does that before any signature is looked at). So "these bytes verified
//! once" means "these bytes verify". Only successes are remembered; a
//! failure is always recomputed. The memory never influences a result, only
//! whether it is recomputed, so it cannot make nodes diverge.
//!
//! Bounded: at most [`CAPACITY`] hashes, oldest forgotten first. A forgotten
//! hash only costs one more verification.

use std::{
    collections::{HashSet, VecDeque},
    sync::{Mutex, OnceLock},
};

use fructus_types::tx::TxHash;

/// How many verified transaction hashes are kept (32 bytes each, about
/// 6 MiB with the index): several full blocks of the largest size.
pub const CAPACITY: usize = 131_072;

#[derive(Default)]
struct Memory {
    known: HashSet<TxHash>,
    order: VecDeque<TxHash>,
}

fn memory() -> &'static Mutex<Memory> {
    static MEMORY: OnceLock<Mutex<Memory>> = OnceLock::new();
    MEMORY.get_or_init(|| Mutex::new(Memory::default()))
}

/// For each hash, whether its signature is known to verify.
pub(crate) fn known(hashes: &[Option<TxHash>]) -> Vec<bool> {
    let Ok(mem) = memory().lock() else {
        return vec![false; hashes.len()];
    };
    hashes
        .iter()
        .map(|h| h.is_some_and(|h| mem.known.contains(&h)))
        .collect()
}

/// Remembers that these transactions' signatures verified.
pub(crate) fn remember(hashes: impl IntoIterator<Item = TxHash>) {
    let Ok(mut mem) = memory().lock() else {
        return;
    };
    for h in hashes {
        if mem.known.insert(h) {
            mem.order.push_back(h);
        }
        while mem.order.len() > CAPACITY {
            if let Some(old) = mem.order.pop_front() {
                mem.known.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use super::*;

    fn h(i: u64) -> TxHash {
        let mut b = [0xA5u8; 32];
        b[..8].copy_from_slice(&i.to_be_bytes());
        TxHash(b)
    }

    #[test]
    fn remembers_and_forgets_oldest_first() {
        // Private hash space (0xA5 fill) so other tests in this process do
        // not interfere.
        remember([h(1), h(2)]);
        assert_eq!(
            known(&[Some(h(1)), Some(h(2)), Some(h(3)), None]),
            vec![true, true, false, false]
        );
        remember((10..10 + CAPACITY as u64).map(h));
        assert_eq!(known(&[Some(h(1)), Some(h(2))]), vec![false, false]);
        assert_eq!(known(&[Some(h(10 + CAPACITY as u64 - 1))]), vec![true]);
    }
}
