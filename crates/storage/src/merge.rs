//! Streaming merge of the committed key range with in-memory overlays.
//!
//! Sources are the base iterator (ascending, from redb) and one sorted map
//! per overlay layer, bottom to top. Each step takes the smallest key among
//! the source heads; the topmost overlay holding that key decides (a `None`
//! there hides the key), otherwise the base value is used. Only as many base
//! entries are pulled as are needed to fill `limit`.

use std::collections::BTreeMap;
use std::collections::btree_map;
use std::ops::Bound;

use crate::error::Result;
use crate::state::StateRead;

/// One overlay layer: raw key -> new value (`None` = deleted).
pub(crate) type Layer = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// Where a prefix scan starts: at `prefix`, or strictly after `start_after`
/// when that lies at or beyond `prefix`.
pub(crate) fn lower_bound<'k>(prefix: &'k [u8], start_after: Option<&'k [u8]>) -> Bound<&'k [u8]> {
    match start_after {
        Some(after) if after >= prefix => Bound::Excluded(after),
        _ => Bound::Included(prefix),
    }
}

/// A prefix scan of `base` with `overlay`'s entries (`None`: deleted)
/// laid over it, for an overlay that borrows its base (the parallel
/// executor's [`crate::Speculative`], a governance proposal's scratch).
/// The base is asked for `limit` plus as many entries as the overlay holds
/// in range: deletions hide at most that many, so the first `limit` merged
/// entries are exact.
pub fn prefix_over<B: StateRead + ?Sized>(
    base: &B,
    prefix: &[u8],
    start_after: Option<&[u8]>,
    limit: usize,
    overlay: impl IntoIterator<Item = (Vec<u8>, Option<Vec<u8>>)>,
) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let lower = lower_bound(prefix, start_after);
    let in_range = |key: &[u8]| {
        key.starts_with(prefix)
            && match lower {
                Bound::Included(low) => key >= low,
                Bound::Excluded(low) => key > low,
                Bound::Unbounded => true,
            }
    };
    let mine: Vec<(Vec<u8>, Option<Vec<u8>>)> = overlay
        .into_iter()
        .filter(|(key, _)| in_range(key))
        .collect();
    let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = base
        .prefix_raw(prefix, start_after, limit.saturating_add(mine.len()))?
        .into_iter()
        .collect();
    for (key, value) in mine {
        match value {
            Some(value) => merged.insert(key, value),
            None => merged.remove(&key),
        };
    }
    Ok(merged.into_iter().take(limit).collect())
}

struct LayerCursor<'a> {
    iter: btree_map::Range<'a, Vec<u8>, Option<Vec<u8>>>,
    head: Option<(&'a [u8], Option<&'a [u8]>)>,
}

impl<'a> LayerCursor<'a> {
    fn new(layer: &'a Layer, lower: Bound<&[u8]>, prefix: &[u8]) -> Self {
        let mut cursor = Self {
            iter: layer.range::<[u8], _>((lower, Bound::Unbounded)),
            head: None,
        };
        cursor.advance(prefix);
        cursor
    }

    fn advance(&mut self, prefix: &[u8]) {
        self.head = self
            .iter
            .next()
            .filter(|(key, _)| key.starts_with(prefix))
            .map(|(key, value)| (key.as_slice(), value.as_deref()));
    }
}

/// Merges `base` (entries at or after the lower bound, ascending, possibly
/// running past the prefix) with `layers` (bottom to top).
pub(crate) fn merge_prefix<'l, I>(
    base: I,
    layers: impl IntoIterator<Item = &'l Layer>,
    prefix: &[u8],
    start_after: Option<&[u8]>,
    limit: usize,
) -> Result<Vec<(Vec<u8>, Vec<u8>)>>
where
    I: Iterator<Item = Result<(Vec<u8>, Vec<u8>)>>,
{
    let mut out = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    let lower = lower_bound(prefix, start_after);
    let mut cursors: Vec<LayerCursor<'l>> = layers
        .into_iter()
        .map(|layer| LayerCursor::new(layer, lower, prefix))
        .collect();
    let mut base = base;
    let mut base_head = next_base(&mut base, prefix)?;

    while out.len() < limit {
        let mut min: Option<&[u8]> = base_head.as_ref().map(|(key, _)| key.as_slice());
        for (key, _) in cursors.iter().filter_map(|c| c.head) {
            if min.is_none_or(|m| key < m) {
                min = Some(key);
            }
        }
        let Some(min) = min.map(<[u8]>::to_vec) else {
            break;
        };

        // Topmost overlay holding `min` decides; every source at `min` advances.
        let mut decided: Option<Option<Vec<u8>>> = None;
        for cursor in cursors.iter_mut().rev() {
            if let Some((key, value)) = cursor.head
                && key == min.as_slice()
            {
                if decided.is_none() {
                    decided = Some(value.map(<[u8]>::to_vec));
                }
                cursor.advance(prefix);
            }
        }
        let mut base_value = None;
        if base_head.as_ref().is_some_and(|(key, _)| *key == min) {
            base_value = base_head.take().map(|(_, value)| value);
            base_head = next_base(&mut base, prefix)?;
        }
        if let Some(value) = decided.unwrap_or(base_value) {
            out.push((min, value));
        }
    }
    Ok(out)
}

fn next_base<I>(base: &mut I, prefix: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>>
where
    I: Iterator<Item = Result<(Vec<u8>, Vec<u8>)>>,
{
    match base.next() {
        None => Ok(None),
        Some(entry) => {
            let (key, value) = entry?;
            Ok(key.starts_with(prefix).then_some((key, value)))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    fn base(entries: &[(&[u8], &[u8])]) -> Vec<Result<(Vec<u8>, Vec<u8>)>> {
        entries
            .iter()
            .map(|(k, v)| Ok((k.to_vec(), v.to_vec())))
            .collect()
    }

    #[test]
    fn top_layer_wins_and_deletes_hide() {
        let b = base(&[(b"a1", b"base"), (b"a2", b"base"), (b"a3", b"base")]);
        let mut l0 = Layer::new();
        l0.insert(b"a2".to_vec(), None);
        l0.insert(b"a4".to_vec(), Some(b"l0".to_vec()));
        let mut l1 = Layer::new();
        l1.insert(b"a2".to_vec(), Some(b"l1".to_vec()));
        l1.insert(b"a3".to_vec(), None);
        let got = merge_prefix(b.into_iter(), [&l0, &l1], b"a", None, 10).unwrap();
        let want: Vec<(Vec<u8>, Vec<u8>)> = vec![
            (b"a1".to_vec(), b"base".to_vec()),
            (b"a2".to_vec(), b"l1".to_vec()),
            (b"a4".to_vec(), b"l0".to_vec()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn stops_at_prefix_end_and_limit_pulls_lazily() {
        let mut pulled = 0usize;
        let entries = base(&[(b"a1", b"x"), (b"a2", b"x"), (b"a3", b"x"), (b"b1", b"x")]);
        let iter = entries
            .into_iter()
            .inspect(|_| pulled = pulled.saturating_add(1));
        let got = merge_prefix(iter, [], b"a", None, 1).unwrap();
        assert_eq!(got.len(), 1);
        assert!(pulled <= 2, "pulled {pulled} base entries for limit 1");

        let entries = base(&[(b"a1", b"x"), (b"b1", b"x")]);
        let got = merge_prefix(entries.into_iter(), [], b"a", None, 10).unwrap();
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn lower_bound_respects_start_after() {
        assert_eq!(lower_bound(b"b", None), Bound::Included(&b"b"[..]));
        assert_eq!(lower_bound(b"b", Some(b"a")), Bound::Included(&b"b"[..]));
        assert_eq!(lower_bound(b"b", Some(b"b1")), Bound::Excluded(&b"b1"[..]));
    }
}
