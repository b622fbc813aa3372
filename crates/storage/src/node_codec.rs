//! The byte layout of the tree's nodes in `jmt_nodes` (store format 2).
//!
//! jmt's own (borsh) encoding spends 20 + ⌈n/2⌉ bytes on a node's key and,
//! per child of an internal node, a presence tag, a 32-byte hash, a full
//! 8-byte version and a 9-byte type with its leaf count, plus 16 tags and
//! two counters per node. The tree writes about half a node per reading,
//! and an internal node near the root is rewritten at every block, so this
//! crate stores a denser form (issue 20, state per reading):
//!
//! - **key**: be(version) ‖ nibble count (1 byte) ‖ the path, two nibbles a
//!   byte. The big-endian version keeps a version's nodes together and the
//!   versions in order.
//! - **value**: a null node is `0`; a leaf is `2` ‖ key hash ‖ value hash
//!   (as jmt writes it); an internal node is `1` ‖ be(children bitmap) ‖
//!   be(leaf children bitmap) ‖ per child, in nibble order: its hash ‖
//!   LEB128(node version − child version) ‖ for an internal child,
//!   LEB128(its leaf count). The node's own leaf and child counts are the
//!   sums jmt computes them as, so they are not stored.
//!
//! jmt keeps its node types' constructors and some fields private, so both
//! directions go through jmt's borsh form, which a test pins. Decoding
//! refuses anything the encoder would not have written (a corrupt record is
//! reported, never turned into a wrong node).

use borsh::BorshDeserialize;
use jmt::storage::{Node, NodeKey};

use crate::error::{Result, StorageError};

/// Longest encoded node key: version, nibble count, 64 nibbles.
const MAX_KEY_LEN: usize = 8 + 1 + 32;
/// The most nibbles a path has (a 256-bit key hash).
const MAX_NIBBLES: usize = 64;

/// jmt's borsh tags of a [`Node`] (its variants' order).
const NULL: u8 = 0;
const INTERNAL: u8 = 1;
const LEAF: u8 = 2;
/// A leaf node's borsh length: tag, key hash, value hash.
const LEAF_LEN: usize = 1 + 32 + 32;
/// The longest borsh form of a node: an internal node's tag, 16 children
/// (presence tag, hash, version, type tag, leaf count) and two counters.
pub(crate) const MAX_BORSH_NODE_LEN: usize = 1 + 16 * (1 + 32 + 8 + 1 + 8) + 8 + 8;

/// A node key in the layout above, kept on the stack.
pub(crate) struct EncodedNodeKey {
    buf: [u8; MAX_KEY_LEN],
    len: usize,
}

impl EncodedNodeKey {
    /// The key's bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&self.buf)
    }
}

/// Encodes `key` (see the module documentation).
pub(crate) fn node_key(key: &NodeKey) -> Result<EncodedNodeKey> {
    let path = key.nibble_path();
    let nibbles = path.num_nibbles();
    let count = u8::try_from(nibbles)
        .ok()
        .filter(|_| nibbles <= MAX_NIBBLES)
        .ok_or_else(|| corrupt(format!("a node path of {nibbles} nibbles")))?;
    let mut buf = [0u8; MAX_KEY_LEN];
    let (version, rest) = buf.split_at_mut(8);
    version.copy_from_slice(&key.version().to_be_bytes());
    let (count_byte, path_bytes) = rest.split_at_mut(1);
    count_byte.fill(count);
    for (i, nibble) in path.nibbles().enumerate() {
        let nibble = u8::from(nibble);
        if let Some(byte) = path_bytes.get_mut(i / 2) {
            *byte |= if i % 2 == 0 { nibble << 4 } else { nibble };
        }
    }
    Ok(EncodedNodeKey {
        buf,
        len: 9usize.saturating_add(nibbles.div_ceil(2)),
    })
}

/// Appends to `out` the stored form of `node`, created at `version`;
/// `scratch` is a buffer the caller keeps between calls (jmt's borsh form
/// is written there first).
pub(crate) fn encode_node(
    version: u64,
    node: &Node,
    scratch: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> Result<()> {
    scratch.clear();
    borsh::to_writer(&mut *scratch, node)
        .map_err(|err| corrupt(format!("cannot encode a node: {err}")))?;
    let mut r = Reader(scratch.as_slice());
    match r.byte()? {
        NULL | LEAF => out.extend_from_slice(scratch),
        INTERNAL => encode_internal(version, &mut r, out)?,
        tag => return Err(corrupt(format!("jmt wrote a node tagged {tag}"))),
    }
    Ok(())
}

/// The internal node after its tag, in jmt's borsh form, into ours.
fn encode_internal(version: u64, r: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<()> {
    let header = out.len();
    out.extend_from_slice(&[INTERNAL, 0, 0, 0, 0]);
    let (mut present, mut leaves) = (0u16, 0u16);
    let mut leaf_sum: u64 = 0;
    for i in 0..16u16 {
        match r.byte()? {
            0 => continue,
            1 => {}
            tag => return Err(corrupt(format!("jmt wrote a child tagged {tag}"))),
        }
        present |= 1 << i;
        out.extend_from_slice(r.take(32)?);
        let child_version = r.u64_le()?;
        let delta = version.checked_sub(child_version).ok_or_else(|| {
            corrupt(format!(
                "a child of version {child_version} under {version}"
            ))
        })?;
        write_varint(out, delta);
        let count = match r.byte()? {
            0 => {
                leaves |= 1 << i;
                1
            }
            1 => {
                let count = r.u64_le()?;
                write_varint(out, count);
                count
            }
            tag => return Err(corrupt(format!("jmt wrote a node type tagged {tag}"))),
        };
        leaf_sum = leaf_sum
            .checked_add(count)
            .ok_or_else(|| corrupt("a leaf count overflows".into()))?;
    }
    let children = r.u64_le()?;
    let leaf_count = r.u64_le()?;
    if children != u64::from(present.count_ones()) || leaf_count != leaf_sum || !r.0.is_empty() {
        return Err(corrupt(format!(
            "jmt wrote an internal node whose counts ({children} children, {leaf_count} \
             leaves) are not its children's"
        )));
    }
    if let Some(bitmaps) = out.get_mut(header.saturating_add(1)..header.saturating_add(5)) {
        bitmaps[..2].copy_from_slice(&present.to_be_bytes());
        bitmaps[2..].copy_from_slice(&leaves.to_be_bytes());
    }
    Ok(())
}

/// Decodes a node created at `version` from its stored form; `scratch` as
/// for [`encode_node`].
pub(crate) fn decode_node(version: u64, bytes: &[u8], scratch: &mut Vec<u8>) -> Result<Node> {
    let mut r = Reader(bytes);
    let borsh: &[u8] = match r.byte()? {
        NULL if bytes.len() == 1 => bytes,
        LEAF if bytes.len() == LEAF_LEN => bytes,
        INTERNAL => {
            decode_internal(version, &mut r, scratch)?;
            scratch
        }
        _ => return Err(corrupt(format!("a node of {} bytes", bytes.len()))),
    };
    Node::try_from_slice(borsh).map_err(|err| corrupt(format!("cannot decode a node: {err}")))
}

/// Our internal node after its tag into jmt's borsh form, in `scratch`.
fn decode_internal(version: u64, r: &mut Reader<'_>, scratch: &mut Vec<u8>) -> Result<()> {
    let present = u16::from_be_bytes(r.array()?);
    let leaves = u16::from_be_bytes(r.array()?);
    let children = present.count_ones();
    // What jmt's `InternalNode::new` requires: a child, and not a lone leaf.
    if children == 0 || leaves & !present != 0 || (children == 1 && leaves != 0) {
        return Err(corrupt(format!(
            "an internal node with child bitmaps {present:#06x} / {leaves:#06x}"
        )));
    }
    scratch.clear();
    scratch.push(INTERNAL);
    let mut leaf_sum: u64 = 0;
    for i in 0..16u16 {
        if present & (1 << i) == 0 {
            scratch.push(0);
            continue;
        }
        scratch.push(1);
        scratch.extend_from_slice(r.take(32)?);
        let child_version = version
            .checked_sub(r.varint()?)
            .ok_or_else(|| corrupt("a child older than version 0".into()))?;
        scratch.extend_from_slice(&child_version.to_le_bytes());
        let count = if leaves & (1 << i) != 0 {
            scratch.push(0);
            1
        } else {
            let count = r.varint()?;
            scratch.push(1);
            scratch.extend_from_slice(&count.to_le_bytes());
            count
        };
        leaf_sum = leaf_sum
            .checked_add(count)
            .ok_or_else(|| corrupt("a leaf count overflows".into()))?;
    }
    if !r.0.is_empty() {
        return Err(corrupt("bytes after an internal node's children".into()));
    }
    scratch.extend_from_slice(&u64::from(children).to_le_bytes());
    scratch.extend_from_slice(&leaf_sum.to_le_bytes());
    Ok(())
}

fn corrupt(message: String) -> StorageError {
    StorageError::Corrupt {
        table: "jmt_nodes",
        message,
    }
}

/// Appends `value` as LEB128 (7 bits a byte, least significant first).
fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A cursor over bytes that reports running out as a corrupt record.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.0.len() < n {
            return Err(corrupt("a node record ends early".into()));
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    fn u64_le(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A LEB128 value of at most 64 bits, in its shortest form.
    fn varint(&mut self) -> Result<u64> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 {
                    break;
                }
                return Ok(value);
            }
        }
        Err(corrupt("a malformed varint".into()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use super::*;

    /// jmt's borsh form of an internal node: `(nibble, hash byte, child
    /// version, None for a leaf or Some(leaf count))`.
    fn internal(children: &[(u8, u8, u64, Option<u64>)]) -> Node {
        let mut b = vec![INTERNAL];
        let mut leaves = 0u64;
        for i in 0..16u8 {
            match children.iter().find(|c| c.0 == i) {
                None => b.push(0),
                Some(&(_, h, v, count)) => {
                    b.push(1);
                    b.extend_from_slice(&[h; 32]);
                    b.extend_from_slice(&v.to_le_bytes());
                    match count {
                        None => {
                            b.push(0);
                            leaves += 1;
                        }
                        Some(n) => {
                            b.push(1);
                            b.extend_from_slice(&n.to_le_bytes());
                            leaves += n;
                        }
                    }
                }
            }
        }
        b.extend_from_slice(&(children.len() as u64).to_le_bytes());
        b.extend_from_slice(&leaves.to_le_bytes());
        Node::try_from_slice(&b).unwrap()
    }

    fn leaf(k: u8, v: u8) -> Node {
        let mut b = vec![LEAF];
        b.extend_from_slice(&[k; 32]);
        b.extend_from_slice(&[v; 32]);
        Node::try_from_slice(&b).unwrap()
    }

    fn roundtrip(version: u64, node: &Node) -> Vec<u8> {
        let (mut scratch, mut out) = (Vec::new(), Vec::new());
        encode_node(version, node, &mut scratch, &mut out).unwrap();
        assert_eq!(&decode_node(version, &out, &mut scratch).unwrap(), node);
        out
    }

    #[test]
    fn jmts_borsh_tags_are_what_the_codec_reads() {
        assert_eq!(borsh::to_vec(&Node::Null).unwrap(), vec![NULL]);
        assert_eq!(borsh::to_vec(&leaf(1, 2)).unwrap()[0], LEAF);
        assert_eq!(borsh::to_vec(&leaf(1, 2)).unwrap().len(), LEAF_LEN);
    }

    #[test]
    fn nodes_roundtrip_and_internal_nodes_shrink() {
        assert_eq!(roundtrip(9, &Node::Null), vec![NULL]);
        assert_eq!(roundtrip(9, &leaf(3, 4)).len(), LEAF_LEN);
        let node = internal(&[
            (0, 1, 9, None),
            (5, 2, 8, Some(7)),
            (15, 3, 0, Some(u64::MAX / 2)),
        ]);
        let stored = roundtrip(9, &node);
        let borsh = borsh::to_vec(&node).unwrap();
        // 5 header bytes, 3 hashes, deltas 0 / 1 / 9, counts 7 and 2^63 - 1.
        assert_eq!(stored.len(), 5 + 3 * 32 + 3 + 1 + 9);
        assert!(
            stored.len() * 10 < borsh.len() * 7,
            "{} vs {}",
            stored.len(),
            borsh.len()
        );
        let full: Vec<_> = (0..16u8)
            .map(|i| (i, i, 100 + u64::from(i), Some(2)))
            .collect();
        roundtrip(200, &internal(&full));
        assert_eq!(
            borsh::to_vec(&internal(&full)).unwrap().len(),
            MAX_BORSH_NODE_LEN
        );
    }

    #[test]
    fn a_child_newer_than_its_parent_is_refused_on_writing() {
        let node = internal(&[(0, 1, 10, None), (1, 1, 3, None)]);
        let (mut scratch, mut out) = (Vec::new(), Vec::new());
        assert!(matches!(
            encode_node(9, &node, &mut scratch, &mut out),
            Err(StorageError::Corrupt { .. })
        ));
    }

    #[test]
    fn malformed_records_are_corrupt_not_wrong_nodes() {
        let good = roundtrip(9, &internal(&[(0, 1, 9, None), (5, 2, 8, Some(7))]));
        let mut scratch = Vec::new();
        let mut bad_cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![7],
            vec![NULL, 0],
            vec![LEAF; LEAF_LEN - 1],
            good[..good.len() - 1].to_vec(),
            [good.as_slice(), &[0]].concat(),
        ];
        // No child; a leaf bit without its child; a lone leaf child.
        let mut no_child = good.clone();
        no_child[1..5].fill(0);
        bad_cases.push(no_child);
        let mut stray_leaf = good.clone();
        stray_leaf[3..5].copy_from_slice(&0x0003u16.to_be_bytes());
        bad_cases.push(stray_leaf);
        let mut lone = vec![INTERNAL, 0, 1, 0, 1];
        lone.extend_from_slice(&[1; 32]);
        lone.push(0);
        bad_cases.push(lone);
        // A child older than version 0, and a non-shortest varint.
        bad_cases.push(good.clone());
        let mut long_varint = vec![INTERNAL, 0, 1, 0, 0];
        long_varint.extend_from_slice(&[1; 32]);
        long_varint.extend_from_slice(&[0x80, 0x00, 5]);
        bad_cases.push(long_varint);
        for (i, bytes) in bad_cases.iter().enumerate() {
            let version = if i == bad_cases.len() - 2 { 0 } else { 9 };
            assert!(
                matches!(
                    decode_node(version, bytes, &mut scratch),
                    Err(StorageError::Corrupt { .. })
                ),
                "case {i}: {bytes:?}"
            );
        }
    }

    /// A node key from jmt's borsh form of it.
    fn key(version: u64, nibbles: u64, bytes: &[u8]) -> NodeKey {
        let mut b = version.to_le_bytes().to_vec();
        b.extend_from_slice(&nibbles.to_le_bytes());
        b.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        b.extend_from_slice(bytes);
        NodeKey::try_from_slice(&b).unwrap()
    }

    #[test]
    fn node_keys_are_short_distinct_and_in_version_order() {
        let enc = |k: &NodeKey| node_key(k).unwrap().as_slice().to_vec();
        let root = enc(&key(258, 0, &[]));
        assert_eq!(root, [0, 0, 0, 0, 0, 0, 1, 2, 0]);
        let odd = enc(&key(258, 3, &[0xab, 0xc0]));
        assert_eq!(odd, [0, 0, 0, 0, 0, 0, 1, 2, 3, 0xab, 0xc0]);
        // "0" and "00" differ by their nibble count.
        assert_ne!(enc(&key(5, 1, &[0x00])), enc(&key(5, 2, &[0x00])));
        // A version's nodes sort after every node of older versions.
        assert!(enc(&key(257, 0, &[])) > enc(&key(256, 64, &[0xff; 32])));
        assert_eq!(enc(&key(1, 64, &[0xff; 32])).len(), MAX_KEY_LEN);
    }

    #[test]
    fn varints_roundtrip_at_their_edges() {
        for value in [0, 1, 127, 128, 16_383, 16_384, u64::MAX / 2, u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, value);
            let mut r = Reader(&out);
            assert_eq!(r.varint().unwrap(), value);
            assert!(r.0.is_empty());
        }
        assert!(Reader(&[0xff; 10]).varint().is_err());
        assert!(Reader(&[0x80]).varint().is_err());
    }
}
