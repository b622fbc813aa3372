//! The redb tables and the byte layout of their keys.
//!
//! | table        | key                                         | value                       |
//! |--------------|---------------------------------------------|-----------------------------|
//! | `jmt_nodes`  | node key (see `node_codec`)                 | node (see `node_codec`)     |
//! | `jmt_values` | key_hash ‖ be(`u64::MAX - version`)         | `0` (deleted) or `1` ‖ value |
//! | `jmt_stale`  | be(stale_since_version) ‖ node key          | empty (input for pruning; written while pruning is on) |
//! | `jmt_stale_values` | be(superseded_at) ‖ key_hash ‖ be(version) | empty (input for pruning) |
//! | `kv`         | raw key                                     | value at the latest version |
//! | `roots`      | version                                     | 32-byte root hash           |
//! | `meta`       | name                                        | u64                         |
//!
//! Keys beginning with [`OFF_TREE_PREFIX`] are written to `kv` only (see
//! its documentation): they have no tree leaf and no `jmt_values` entry.
//!
//! `jmt_values` stores the version inverted so that the newest value with
//! version `<= v` is the *first* entry at or after `key_hash ‖ be(MAX - v)`:
//! one range lookup.

use redb::TableDefinition;

/// JMT nodes.
pub(crate) const NODES: TableDefinition<'static, &'static [u8], &'static [u8]> =
    TableDefinition::new("jmt_nodes");
/// JMT values by key hash and inverted version.
pub(crate) const VALUES: TableDefinition<'static, &'static [u8], &'static [u8]> =
    TableDefinition::new("jmt_values");
/// Index of nodes made stale at each version (what pruning deletes).
pub(crate) const STALE: TableDefinition<'static, &'static [u8], &'static [u8]> =
    TableDefinition::new("jmt_stale");
/// Index of values superseded at each version: `be(superseded_at) ‖
/// key_hash ‖ be(old_version)`, written while pruning is on. The value of
/// `key_hash` at `old_version` is read by no version at or after
/// `superseded_at`.
pub(crate) const STALE_VALUES: TableDefinition<'static, &'static [u8], &'static [u8]> =
    TableDefinition::new("jmt_stale_values");
/// Raw key -> value at the latest committed version.
pub(crate) const KV: TableDefinition<'static, &'static [u8], &'static [u8]> =
    TableDefinition::new("kv");
/// Committed version -> root hash.
pub(crate) const ROOTS: TableDefinition<'static, u64, &'static [u8]> =
    TableDefinition::new("roots");
/// Small named counters.
pub(crate) const META: TableDefinition<'static, &'static str, u64> = TableDefinition::new("meta");

/// `meta` entry holding the layout of the store's records ([`STORE_FORMAT`]).
pub(crate) const META_FORMAT: &str = "store_format";
/// The record layout this build reads and writes. 1 (no `META_FORMAT`
/// entry): jmt's borsh nodes. 2: `node_codec`'s nodes, and `jmt_stale`
/// written only while pruning is on.
pub(crate) const STORE_FORMAT: u64 = 2;

/// `meta` entry holding the latest committed version.
pub(crate) const META_LATEST_VERSION: &str = "latest_version";
/// `meta` entry holding the oldest version whose state is kept (absent:
/// every version from 0).
pub(crate) const META_OLDEST_VERSION: &str = "oldest_version";

/// Keys beginning with this byte are kept beside the tree, not in it: in
/// the `kv` index only, read, scanned, exported and restored like any key,
/// but not authenticated (no leaf, so the root does not depend on them and
/// they have no proof) and not versioned (only the latest value is kept,
/// also by an archive; a deletion frees it at once). Every key built from
/// text (each module's `state_key`) starts with an ASCII letter, so none
/// is ever one. Whoever writes such a key must commit to its value through
/// a tree key (its hash, say) and check it on reading: a node restored
/// from a snapshot receives these values unverified.
pub const OFF_TREE_PREFIX: u8 = 0xff;

/// Whether `key` is kept beside the tree ([`OFF_TREE_PREFIX`]).
pub(crate) fn is_off_tree(key: &[u8]) -> bool {
    key.first() == Some(&OFF_TREE_PREFIX)
}

/// Length of a `jmt_values` key.
pub(crate) const VALUE_KEY_LEN: usize = 40;

/// `jmt_values` key for `key_hash` at `version`.
pub(crate) fn value_key(key_hash: &[u8; 32], version: u64) -> [u8; VALUE_KEY_LEN] {
    let mut out = [0u8; VALUE_KEY_LEN];
    let (hash_part, version_part) = out.split_at_mut(32);
    hash_part.copy_from_slice(key_hash);
    // `u64::MAX - version` never underflows; written as a bit flip for clarity.
    version_part.copy_from_slice(&(!version).to_be_bytes());
    out
}

/// The order in which to insert a version's tree nodes, given in key
/// order: five of every nine first, then the rest.
///
/// A version's nodes are new keys after every older version's (their keys
/// begin with the big-endian version), so they fill pages at the table's
/// end. redb splits a full leaf page into two halves; inserted in key
/// order, every page left behind keeps only its half, and the node pages
/// were half empty (issue 20, "State per reading"). Inserted this way,
/// the first pass leaves pages half full with 5/9 of their range and the
/// second pass brings each to about 90 % of a page, rarely more than one
/// (an even half would fill them to exactly one, and about half of them
/// would split again). The share was chosen by measuring 1/2 to 3/4
/// (`window_cost`). Where the entries go does not depend on this order:
/// only how full redb's pages are.
pub(crate) fn page_filling_order<T>(entries: &[T]) -> impl Iterator<Item = &T> {
    let first = |i: &usize| (i % 9).is_multiple_of(2);
    let second = |i: &usize| !(i % 9).is_multiple_of(2);
    let pick = move |keep: fn(&usize) -> bool| {
        entries
            .iter()
            .enumerate()
            .filter(move |(i, _)| keep(i))
            .map(|(_, e)| e)
    };
    pick(first).chain(pick(second))
}

/// Encodes a `jmt_values` value: `None` is a deletion tombstone.
pub(crate) fn encode_value(value: Option<&[u8]>) -> Vec<u8> {
    match value {
        None => vec![0u8],
        Some(bytes) => {
            let mut out = Vec::with_capacity(bytes.len().saturating_add(1));
            out.push(1u8);
            out.extend_from_slice(bytes);
            out
        }
    }
}

/// Decodes a `jmt_values` value written by [`encode_value`].
pub(crate) fn decode_value(bytes: &[u8]) -> Option<Option<Vec<u8>>> {
    match bytes.split_first() {
        Some((0, [])) => Some(None),
        Some((1, rest)) => Some(Some(rest.to_vec())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn newer_versions_sort_first() {
        let h = [7u8; 32];
        assert!(value_key(&h, 5) < value_key(&h, 4));
        assert!(value_key(&h, u64::MAX - 1) < value_key(&h, 0));
    }

    #[test]
    fn the_page_filling_order_inserts_each_entry_once() {
        for n in [0usize, 1, 8, 9, 10, 1000] {
            let entries: Vec<usize> = (0..n).collect();
            let order: Vec<usize> = page_filling_order(&entries).copied().collect();
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, entries);
            // Five of every nine in the first pass, in key order.
            let first = n / 9 * 5 + (n % 9).div_ceil(2);
            assert!(order[..first].windows(2).all(|w| w[0] < w[1]));
            assert!(order[..first].iter().all(|i| (i % 9).is_multiple_of(2)));
        }
    }

    #[test]
    fn value_encoding_roundtrips() {
        assert_eq!(decode_value(&encode_value(None)), Some(None));
        let v = vec![0u8, 1, 2];
        assert_eq!(decode_value(&encode_value(Some(&v))), Some(Some(v)));
        assert_eq!(decode_value(&[]), None);
        assert_eq!(decode_value(&[0, 1]), None);
        assert_eq!(decode_value(&[2]), None);
    }
}
