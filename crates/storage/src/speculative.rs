//! An overlay that records what it read and wrote, for executing groups
//! of transactions in parallel over one shared state.
//!
//! A [`Speculative`] overlay sits on a shared, read-only base (a block's
//! [`crate::StateDelta`]). Everything executed on it writes only into its
//! own layers, and every key it reads, every prefix it scans and every key
//! it writes is recorded ([`SpeculativeWrites`]). The caller (the app's
//! parallel executor) compares the records of all groups: if no group
//! wrote what another read or wrote, executing the groups one after the
//! other in any order gives what each group computed alone, and the
//! writes can be kept.
//!
//! Additions to and subtractions from a counter
//! ([`StateWrite::add_u128`], [`StateWrite::sub_u128`]) are recorded
//! blind, as a commutative [`Delta`], unless the group also reads or
//! overwrites that key or the caller marked it strict: many groups may
//! credit (or pay from) the same account without conflicting. A blind
//! subtraction assumes the counter covers it; the caller keeps the deltas
//! only if the counter covers every group's subtractions together and
//! holds every addition (then each operation succeeds in any order), and
//! otherwise re-runs with that key strict.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Result, StorageError};
use crate::merge::{Layer, prefix_over};
use crate::state::{Checkpoints, StateRead, StateWrite};

/// What blind operations did to one counter: added `add`, subtracted
/// `sub` (each summed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    /// Sum of the additions.
    pub add: u128,
    /// Sum of the subtractions.
    pub sub: u128,
}

impl Delta {
    /// Both deltas together; `None` if a sum overflows.
    pub fn merge(self, other: Delta) -> Option<Delta> {
        Some(Delta {
            add: self.add.checked_add(other.add)?,
            sub: self.sub.checked_add(other.sub)?,
        })
    }

    /// `have` with the delta applied, if the counter covers the
    /// subtractions and holds the additions; a result of 0 is `None`
    /// (counters at 0 are deleted).
    pub fn apply(self, have: u128) -> std::result::Result<Option<u128>, Uncovered> {
        let left = have.checked_sub(self.sub).ok_or(Uncovered)?;
        let total = left.checked_add(self.add).ok_or(Uncovered)?;
        // The covering check above is on `have - sub`; the additions must
        // also fit on top of `have` alone, whatever the order.
        have.checked_add(self.add).ok_or(Uncovered)?;
        Ok((total != 0).then_some(total))
    }
}

/// Some order of a [`Delta`]'s operations would fail on the counter: it
/// does not cover the subtractions or cannot hold the additions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uncovered;

/// One write layer: overwritten keys and blind deltas (a key is in at
/// most one of the two).
#[derive(Debug, Default)]
struct SpecLayer {
    puts: Layer,
    deltas: BTreeMap<Vec<u8>, Delta>,
}

/// How a group touched a key, for conflict detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Read the key's value (or its absence).
    Read,
    /// Only added to or subtracted from the key's counter, blind.
    Delta,
    /// Wrote or deleted the key.
    Write,
}

/// What a group did, once its execution ended.
#[derive(Debug, Default)]
pub struct SpeculativeWrites {
    /// Keys set (`Some`) or deleted (`None`).
    pub puts: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// Blind additions to and subtractions from `u128` counters.
    pub deltas: BTreeMap<Vec<u8>, Delta>,
    /// Keys read, sorted, without duplicates.
    pub reads: Vec<Vec<u8>>,
    /// Prefixes scanned, sorted, without duplicates.
    pub scans: Vec<Vec<u8>>,
}

impl SpeculativeWrites {
    /// Every key touched with how (a key read and written appears twice),
    /// in key order within each kind.
    pub fn accesses(&self) -> impl Iterator<Item = (&[u8], Access)> {
        let reads = self.reads.iter().map(|k| (k.as_slice(), Access::Read));
        let deltas = self.deltas.keys().map(|k| (k.as_slice(), Access::Delta));
        let puts = self.puts.keys().map(|k| (k.as_slice(), Access::Write));
        reads.chain(deltas).chain(puts)
    }
}

/// A write overlay over a shared base that records its reads and writes.
#[derive(Debug)]
pub struct Speculative<'a, B: StateRead + ?Sized> {
    base: &'a B,
    /// Keys whose counter operations must read (never blind).
    strict: Option<&'a BTreeSet<Vec<u8>>>,
    /// Bottom (the group's) to top (the innermost checkpoint); never empty.
    layers: Vec<SpecLayer>,
    reads: RefCell<BTreeSet<Vec<u8>>>,
    scans: RefCell<BTreeSet<Vec<u8>>>,
    /// Set when the overlay saw a view no in-order execution could
    /// produce; [`Speculative::finish`] then returns `None`.
    poisoned: Cell<bool>,
}

impl<'a, B: StateRead + ?Sized> Speculative<'a, B> {
    /// An empty overlay over `base`.
    pub fn new(base: &'a B) -> Self {
        Self {
            base,
            strict: None,
            layers: vec![SpecLayer::default()],
            reads: RefCell::new(BTreeSet::new()),
            scans: RefCell::new(BTreeSet::new()),
            poisoned: Cell::new(false),
        }
    }

    /// Counter operations on these keys read and write like any other
    /// (for a counter whose blind deltas did not fit: see the module docs).
    pub fn strict(mut self, keys: &'a BTreeSet<Vec<u8>>) -> Self {
        self.strict = Some(keys);
        self
    }

    /// What the group did, or `None` if its view was impossible (the
    /// caller must then execute it in order instead). Open checkpoints are
    /// folded in as if applied.
    pub fn finish(mut self) -> Option<SpeculativeWrites> {
        while self.layers.len() > 1 {
            self.fold_top();
        }
        if self.poisoned.get() {
            return None;
        }
        let bottom = self.layers.pop().unwrap_or_default();
        Some(SpeculativeWrites {
            puts: bottom.puts,
            deltas: bottom.deltas,
            reads: self.reads.into_inner().into_iter().collect(),
            scans: self.scans.into_inner().into_iter().collect(),
        })
    }

    fn top(&mut self) -> &mut SpecLayer {
        if self.layers.is_empty() {
            self.layers.push(SpecLayer::default());
        }
        let last = self.layers.len().saturating_sub(1);
        &mut self.layers[last]
    }

    /// Folds the top layer into the one below; the bottom layer stays.
    fn fold_top(&mut self) {
        if self.layers.len() < 2 {
            return;
        }
        let Some(top) = self.layers.pop() else {
            return;
        };
        let mut impossible = false;
        let below = self.top();
        for (key, value) in top.puts {
            below.deltas.remove(&key);
            below.puts.insert(key, value);
        }
        for (key, delta) in top.deltas {
            match below.puts.get(&key) {
                Some(value) => {
                    let have = match value {
                        Some(bytes) => decode_u128(&key, bytes).ok(),
                        None => Some(0),
                    };
                    match have.and_then(|h| delta.apply(h).ok()) {
                        Some(total) => {
                            below.puts.insert(key, total.map(encode_u128));
                        }
                        None => impossible = true,
                    }
                }
                None => {
                    let have = below.deltas.get(&key).copied().unwrap_or_default();
                    match have.merge(delta) {
                        Some(sum) => {
                            below.deltas.insert(key, sum);
                        }
                        None => impossible = true,
                    }
                }
            }
        }
        if impossible {
            self.poisoned.set(true);
        }
    }

    /// Whether a counter operation on `key` must read it: it was read or
    /// overwritten here, or the caller marked it strict.
    fn must_read(&self, key: &[u8]) -> bool {
        self.strict.is_some_and(|s| s.contains(key))
            || self.was_read(key)
            || self.layers.iter().any(|l| l.puts.contains_key(key))
    }

    fn was_read(&self, key: &[u8]) -> bool {
        self.reads.borrow().contains(key)
    }

    fn resolve(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let mut delta = Delta::default();
        let mut below: Option<Option<Vec<u8>>> = None;
        for layer in self.layers.iter().rev() {
            if let Some(value) = layer.puts.get(key) {
                below = Some(value.clone());
                break;
            }
            if let Some(d) = layer.deltas.get(key) {
                delta = delta.merge(*d).ok_or_else(|| self.poison(key))?;
            }
        }
        let below = match below {
            Some(value) => value,
            None => self.base.get_raw(key)?,
        };
        if delta == Delta::default() {
            return Ok(below);
        }
        let have = match &below {
            Some(bytes) => decode_u128(key, bytes)?,
            None => 0,
        };
        let total = delta.apply(have).map_err(|Uncovered| self.poison(key))?;
        Ok(total.map(encode_u128))
    }

    fn poison(&self, key: &[u8]) -> StorageError {
        self.poisoned.set(true);
        StorageError::Speculation {
            key: hex::encode(key),
        }
    }

    /// A counter operation: blind unless [`Self::must_read`].
    fn counter(&mut self, key: Vec<u8>, delta: Delta) -> Result<bool> {
        if self.must_read(&key) {
            let have = match self.get_raw(&key)? {
                Some(bytes) => decode_u128(&key, &bytes)?,
                None => 0,
            };
            return Ok(match delta.apply(have) {
                Ok(Some(total)) => {
                    self.put_raw(key, encode_u128(total));
                    true
                }
                Ok(None) => {
                    self.delete(key);
                    true
                }
                Err(Uncovered) => false,
            });
        }
        let top = self.top();
        let have = top.deltas.get(&key).copied().unwrap_or_default();
        match have.merge(delta) {
            Some(sum) => {
                top.deltas.insert(key, sum);
                Ok(true)
            }
            None => Err(self.poison(&key)),
        }
    }
}

/// A borsh `u128` (16 bytes, little-endian).
fn decode_u128(key: &[u8], bytes: &[u8]) -> Result<u128> {
    borsh::from_slice::<u128>(bytes).map_err(|err| StorageError::Decode {
        key: hex::encode(key),
        message: err.to_string(),
    })
}

/// The borsh encoding of a `u128`.
fn encode_u128(v: u128) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

impl<B: StateRead + ?Sized> StateRead for Speculative<'_, B> {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if !self.was_read(key) {
            self.reads.borrow_mut().insert(key.to_vec());
        }
        self.resolve(key)
    }

    fn prefix_raw(
        &self,
        prefix: &[u8],
        start_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.scans.borrow_mut().insert(prefix.to_vec());
        let touched: BTreeSet<Vec<u8>> = self
            .layers
            .iter()
            .flat_map(|l| l.puts.keys().chain(l.deltas.keys()))
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect();
        let overlay = touched
            .into_iter()
            .map(|key| {
                let value = self.resolve(&key)?;
                Ok((key, value))
            })
            .collect::<Result<Vec<_>>>()?;
        prefix_over(self.base, prefix, start_after, limit, overlay)
    }
}

impl<B: StateRead + ?Sized> StateWrite for Speculative<'_, B> {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        let top = self.top();
        top.deltas.remove(&key);
        top.puts.insert(key, Some(value));
    }

    fn delete(&mut self, key: Vec<u8>) {
        let top = self.top();
        top.deltas.remove(&key);
        top.puts.insert(key, None);
    }

    /// Blind (a recorded addition) unless the key must be read; then a
    /// read and a write, as on any other state.
    fn add_u128(&mut self, key: Vec<u8>, amount: u128) -> Result<bool> {
        if amount == 0 {
            return Ok(true);
        }
        self.counter(
            key,
            Delta {
                add: amount,
                sub: 0,
            },
        )
    }

    /// Blind (a recorded subtraction, assumed covered: see the module
    /// docs) unless the key must be read; then a read and a write.
    fn sub_u128(&mut self, key: Vec<u8>, amount: u128) -> Result<bool> {
        if amount == 0 {
            return Ok(true);
        }
        self.counter(
            key,
            Delta {
                add: 0,
                sub: amount,
            },
        )
    }
}

impl<B: StateRead + ?Sized> Checkpoints for Speculative<'_, B> {
    fn checkpoint(&mut self) {
        self.layers.push(SpecLayer::default());
    }

    fn apply_checkpoint(&mut self) {
        self.fold_top();
    }

    fn discard_checkpoint(&mut self) {
        if self.layers.len() > 1 {
            self.layers.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use proptest::prelude::*;

    use super::*;
    use crate::{StateDelta, Storage};

    /// A block's state over a store holding `entries`.
    fn block_over(entries: &[(&[u8], Vec<u8>)]) -> (tempfile::TempDir, StateDelta) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let mut genesis = StateDelta::new(storage.latest_snapshot().unwrap());
        for (key, value) in entries {
            genesis.put_raw(key.to_vec(), value.clone());
        }
        storage.commit(genesis.into_changes(), 0).unwrap();
        let block = StateDelta::new(storage.latest_snapshot().unwrap());
        (dir, block)
    }

    fn counter(v: u128) -> Vec<u8> {
        borsh::to_vec(&v).unwrap()
    }

    #[test]
    fn an_addition_to_an_unread_counter_is_recorded_blind() {
        let (_dir, block) = block_over(&[(b"fee", counter(5))]);
        let mut overlay = Speculative::new(&block);
        assert!(overlay.add_u128(b"fee".to_vec(), 3).unwrap());
        assert!(overlay.add_u128(b"fee".to_vec(), 4).unwrap());
        let writes = overlay.finish().unwrap();
        assert_eq!(
            writes.deltas.get(&b"fee"[..]),
            Some(&Delta { add: 7, sub: 0 })
        );
        assert!(writes.reads.is_empty(), "a blind addition reads nothing");
        assert!(writes.puts.is_empty());
    }

    #[test]
    fn reading_a_counter_after_adding_sees_the_sum_and_counts_as_a_read() {
        let (_dir, block) = block_over(&[(b"fee", counter(5))]);
        let mut overlay = Speculative::new(&block);
        overlay.add_u128(b"fee".to_vec(), 3).unwrap();
        assert_eq!(overlay.get::<u128>(b"fee").unwrap(), Some(8));
        // Once read, an addition is a read and a write like anywhere else.
        overlay.add_u128(b"fee".to_vec(), 1).unwrap();
        let writes = overlay.finish().unwrap();
        assert_eq!(writes.reads, vec![b"fee".to_vec()]);
        assert_eq!(writes.puts.get(&b"fee"[..]), Some(&Some(counter(9))));
        assert!(writes.deltas.is_empty());
    }

    #[test]
    fn a_discarded_checkpoint_drops_its_writes_but_not_its_reads() {
        let (_dir, block) = block_over(&[(b"a", vec![1]), (b"b", counter(1))]);
        let mut overlay = Speculative::new(&block);
        overlay.checkpoint();
        overlay.get_raw(b"a").unwrap();
        overlay.put_raw(b"a".to_vec(), vec![2]);
        overlay.add_u128(b"b".to_vec(), 5).unwrap();
        overlay.discard_checkpoint();
        assert_eq!(overlay.get_raw(b"a").unwrap(), Some(vec![1]));
        let writes = overlay.finish().unwrap();
        assert!(writes.puts.is_empty() && writes.deltas.is_empty());
        assert_eq!(writes.reads, vec![b"a".to_vec()]);
    }

    #[test]
    fn a_blind_subtraction_is_recorded_and_a_strict_key_is_read() {
        let (_dir, block) = block_over(&[(b"payer", counter(10))]);
        let mut overlay = Speculative::new(&block);
        assert!(overlay.sub_u128(b"payer".to_vec(), 4).unwrap());
        let writes = overlay.finish().unwrap();
        assert_eq!(
            writes.deltas.get(&b"payer"[..]),
            Some(&Delta { add: 0, sub: 4 })
        );
        assert!(writes.reads.is_empty());
        // Strict: read, refused when not covered, nothing written.
        let strict: BTreeSet<Vec<u8>> = [b"payer".to_vec()].into();
        let mut overlay = Speculative::new(&block).strict(&strict);
        assert!(!overlay.sub_u128(b"payer".to_vec(), 11).unwrap());
        assert!(overlay.sub_u128(b"payer".to_vec(), 10).unwrap());
        let writes = overlay.finish().unwrap();
        assert_eq!(writes.reads, vec![b"payer".to_vec()]);
        assert_eq!(writes.puts.get(&b"payer"[..]), Some(&None), "0 is deleted");
    }

    #[test]
    fn a_delta_applies_only_if_every_order_succeeds() {
        let d = Delta { add: 5, sub: 7 };
        assert_eq!(d.apply(7), Ok(Some(5)));
        assert_eq!(d.apply(2), Err(Uncovered), "the debits may all come first");
        assert_eq!(Delta { add: 0, sub: 3 }.apply(3), Ok(None));
        assert_eq!(Delta { add: 1, sub: 0 }.apply(u128::MAX), Err(Uncovered));
        assert_eq!(
            Delta { add: 2, sub: 2 }.apply(u128::MAX - 1),
            Err(Uncovered),
            "the credit may come first"
        );
    }

    #[test]
    fn additions_that_overflow_poison_the_overlay() {
        let (_dir, block) = block_over(&[(b"fee", counter(u128::MAX))]);
        let mut overlay = Speculative::new(&block);
        // Blind: nothing can be known yet, the addition is recorded...
        assert!(overlay.add_u128(b"fee".to_vec(), 1).unwrap());
        // ...and a read of the impossible sum poisons the run.
        assert!(matches!(
            overlay.get_raw(b"fee"),
            Err(StorageError::Speculation { .. })
        ));
        assert!(overlay.finish().is_none());
    }

    #[test]
    fn an_uncovered_blind_subtraction_found_by_a_later_counter_read_poisons() {
        let (_dir, block) = block_over(&[]);
        let mut overlay = Speculative::new(&block);
        // Blind: assumed covered, although the counter is empty.
        assert!(overlay.sub_u128(b"k".to_vec(), 1).unwrap());
        // A checkpoint that reads the key, then is dropped: its read stays.
        overlay.checkpoint();
        overlay.delete(b"k".to_vec());
        overlay.add_u128(b"k".to_vec(), 1).unwrap();
        overlay.discard_checkpoint();
        // The next counter operation must read, and sees 0 - 1.
        assert!(matches!(
            overlay.add_u128(b"k".to_vec(), 1),
            Err(StorageError::Speculation { .. })
        ));
        assert!(overlay.finish().is_none(), "the group must run in order");
    }

    #[derive(Debug, Clone)]
    enum Op {
        Put(u8, u8),
        Delete(u8),
        Add(u8, u8),
        Sub(u8, u8),
        Checkpoint,
        Apply,
        Discard,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..12, any::<u8>()).prop_map(|(k, v)| Op::Put(k, v)),
            (0u8..12).prop_map(Op::Delete),
            (0u8..12, 1u8..50).prop_map(|(k, v)| Op::Add(k, v)),
            (0u8..12, 1u8..30).prop_map(|(k, v)| Op::Sub(k, v)),
            Just(Op::Checkpoint),
            Just(Op::Apply),
            Just(Op::Discard),
        ]
    }

    fn key(k: u8) -> Vec<u8> {
        vec![b'p', k / 4, k]
    }

    /// Runs `ops`; `Ok(false)` if a subtraction was refused (the counter
    /// held less), where a blind one and an in-place one part ways. An
    /// overlay may instead stop with [`StorageError::Speculation`] when a
    /// later read shows that an earlier blind subtraction was not covered.
    fn apply<S: Checkpoints>(state: &mut S, ops: &[Op]) -> Result<bool> {
        let mut covered = true;
        for op in ops {
            match op {
                // Values are counters so additions can land on any key.
                Op::Put(k, v) => state.put_raw(key(*k), counter(u128::from(*v))),
                Op::Delete(k) => state.delete(key(*k)),
                Op::Add(k, v) => {
                    state.add_u128(key(*k), u128::from(*v))?;
                }
                Op::Sub(k, v) => covered &= state.sub_u128(key(*k), u128::from(*v))?,
                Op::Checkpoint => state.checkpoint(),
                Op::Apply => state.apply_checkpoint(),
                Op::Discard => state.discard_checkpoint(),
            }
        }
        Ok(covered)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, max_global_rejects: 65_536, ..ProptestConfig::default() })]

        /// Reads, scans and the kept writes of the overlay equal those of
        /// the block's own overlay doing the same thing in place.
        #[test]
        fn the_overlay_sees_and_keeps_what_in_place_execution_would(
            base in proptest::collection::vec((0u8..12, 30u8..=255), 0..16),
            ops in proptest::collection::vec(op(), 0..40),
            limit in 1usize..8,
            after in proptest::option::of(0u8..12),
        ) {
            let entries: Vec<(Vec<u8>, Vec<u8>)> =
                base.iter().map(|(k, v)| (key(*k), counter(u128::from(*v)))).collect();
            let borrowed: Vec<(&[u8], Vec<u8>)> =
                entries.iter().map(|(k, v)| (k.as_slice(), v.clone())).collect();
            let (_dir, block) = block_over(&borrowed);
            let (_dir2, mut reference) = block_over(&borrowed);
            let mut overlay = Speculative::new(&block);
            let ran = apply(&mut overlay, &ops);
            prop_assume!(apply(&mut reference, &ops).unwrap());
            // Blind deltas are summed without their order, so a read of a
            // counter that got +5 then -3 from 0 is refused although in
            // place both succeeded; the overlay may refuse, never differ.
            match ran {
                Ok(_) => {}
                Err(StorageError::Speculation { .. }) => {
                    prop_assert!(overlay.finish().is_none());
                    return Ok(());
                }
                Err(other) => prop_assert!(false, "{other}"),
            }
            let after = after.map(key);
            // A blind view may be refused (a subtraction before an
            // addition the deltas cannot order): then the whole overlay
            // must refuse to be kept, never answer differently.
            let mut refused = false;
            for prefix in [&b"p"[..], &[b'p', 1][..], &[b'p', 2][..]] {
                match overlay.prefix_raw(prefix, after.as_deref(), limit) {
                    Ok(seen) => prop_assert_eq!(
                        seen,
                        reference.prefix_raw(prefix, after.as_deref(), limit).unwrap()
                    ),
                    Err(StorageError::Speculation { .. }) => refused = true,
                    Err(other) => prop_assert!(false, "{other}"),
                }
            }
            for k in 0..12 {
                match overlay.get_raw(&key(k)) {
                    Ok(seen) => prop_assert_eq!(seen, reference.get_raw(&key(k)).unwrap()),
                    Err(StorageError::Speculation { .. }) => refused = true,
                    Err(other) => prop_assert!(false, "{other}"),
                }
            }
            if refused {
                prop_assert!(overlay.finish().is_none());
                return Ok(());
            }
            let writes = overlay.finish().unwrap();
            // Keeping the writes on the block gives the reference's state.
            let mut kept = block;
            for (k, v) in writes.puts {
                match v {
                    Some(v) => kept.put_raw(k, v),
                    None => kept.delete(k),
                }
            }
            for (k, d) in writes.deltas {
                let have = kept.get::<u128>(&k).unwrap().unwrap_or(0);
                if d.apply(have).is_err() {
                    // The caller would not keep these deltas (and re-run
                    // with the key strict).
                    return Ok(());
                }
                prop_assert!(kept.sub_u128(k.clone(), d.sub).unwrap());
                prop_assert!(kept.add_u128(k, d.add).unwrap());
            }
            prop_assert_eq!(kept.into_changes(), reference.into_changes());
        }
    }
}
