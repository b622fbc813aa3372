//! The state proof format and its verification.
//!
//! Tree: a binary sparse Merkle tree over 256-bit key paths, `path =
//! SHA-256(key)`, read most significant bit first (0 = left). Hashes:
//!
//! - leaf: `SHA-256("JMT::LeafNode" ‖ key_hash ‖ SHA-256(value))`
//! - internal: `SHA-256("JMT::IntrnalNode" ‖ left ‖ right)`
//! - empty subtree: the 32 bytes `"SPARSE_MERKLE_PLACEHOLDER_HASH__"`
//!
//! Encoding (borsh, as the node writes it):
//!
//! ```text
//! proof   = leaf_opt ‖ u32_le(n) ‖ sibling × n      (n ≤ 256, bottom first)
//! leaf_opt = 0x00 | 0x01 ‖ key_hash[32] ‖ value_hash[32]
//! sibling = 0x00                                    (empty subtree)
//!         | 0x01 ‖ left[32] ‖ right[32]             (internal node)
//!         | 0x02 ‖ key_hash[32] ‖ value_hash[32]    (leaf)
//! ```
//!
//! The sibling at index `i` (from the bottom) sits at depth `n - 1 - i`; the
//! path bit at that depth says on which side the running hash goes. A
//! sibling carries its node type, not just its hash, so a prover cannot
//! pass a leaf off as an internal node.

use sha2::{Digest, Sha256};

use crate::error::ProofError;

/// The most siblings a proof can have: one per bit of a key path.
pub const MAX_SIBLINGS: usize = 256;

const LEAF_DOMAIN: &[u8] = b"JMT::LeafNode";
const INTERNAL_DOMAIN: &[u8] = b"JMT::IntrnalNode";
const EMPTY_SUBTREE: [u8; 32] = *b"SPARSE_MERKLE_PLACEHOLDER_HASH__";

/// A state root (the app hash a block header commits to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RootHash(pub [u8; 32]);

impl std::fmt::Display for RootHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Leaf {
    key_hash: [u8; 32],
    value_hash: [u8; 32],
}

impl Leaf {
    fn hash(&self) -> [u8; 32] {
        Sha256::new()
            .chain_update(LEAF_DOMAIN)
            .chain_update(self.key_hash)
            .chain_update(self.value_hash)
            .finalize()
            .into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sibling {
    Empty,
    Internal { left: [u8; 32], right: [u8; 32] },
    Leaf(Leaf),
}

impl Sibling {
    fn hash(&self) -> [u8; 32] {
        match self {
            Sibling::Empty => EMPTY_SUBTREE,
            Sibling::Internal { left, right } => internal_hash(left, right),
            Sibling::Leaf(leaf) => leaf.hash(),
        }
    }
}

fn internal_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update(INTERNAL_DOMAIN)
        .chain_update(left)
        .chain_update(right)
        .finalize()
        .into()
}

/// Bit `index` (0 = most significant bit of byte 0) of a key path.
fn bit(path: &[u8; 32], index: usize) -> bool {
    let mask = 0x80u8.checked_shr((index % 8) as u32).unwrap_or(0);
    path.get(index / 8).is_some_and(|byte| byte & mask != 0)
}

/// Leading bits two key paths share.
fn common_prefix_bits(a: &[u8; 32], b: &[u8; 32]) -> usize {
    (0..256).take_while(|&i| bit(a, i) == bit(b, i)).count()
}

/// A proof that a key holds a value, or is absent, under a [`RootHash`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateProof {
    leaf: Option<Leaf>,
    siblings: Vec<Sibling>,
}

impl StateProof {
    /// Decodes the proof bytes a node serves (hex-decoded `proof` of
    /// `/v1/proofs/{key}`). Refuses truncated input, undefined tags, more
    /// than [`MAX_SIBLINGS`] siblings and trailing bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, ProofError> {
        let mut reader = Reader { bytes, offset: 0 };
        let leaf = match reader.tag("leaf option")? {
            0 => None,
            1 => Some(reader.leaf()?),
            tag => {
                return Err(ProofError::BadTag {
                    field: "leaf option",
                    offset: reader.offset.saturating_sub(1),
                    tag,
                });
            }
        };
        let count = reader.u32_le("sibling count")?;
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        if count > MAX_SIBLINGS {
            return Err(ProofError::TooManySiblings {
                got: count,
                max: MAX_SIBLINGS,
            });
        }
        let mut siblings = Vec::with_capacity(count);
        for _ in 0..count {
            let sibling = match reader.tag("sibling")? {
                0 => Sibling::Empty,
                1 => Sibling::Internal {
                    left: reader.hash("internal sibling left")?,
                    right: reader.hash("internal sibling right")?,
                },
                2 => Sibling::Leaf(reader.leaf()?),
                tag => {
                    return Err(ProofError::BadTag {
                        field: "sibling",
                        offset: reader.offset.saturating_sub(1),
                        tag,
                    });
                }
            };
            siblings.push(sibling);
        }
        let extra = bytes.len().saturating_sub(reader.offset);
        if extra != 0 {
            return Err(ProofError::TrailingBytes { extra });
        }
        Ok(Self { leaf, siblings })
    }

    /// Checks that `key` holds exactly `value` under `root`.
    pub fn verify_membership(
        &self,
        root: &RootHash,
        key: &[u8],
        value: &[u8],
    ) -> Result<(), ProofError> {
        self.verify(root, key, Some(value))
    }

    /// Checks that `key` is absent under `root`.
    pub fn verify_non_membership(&self, root: &RootHash, key: &[u8]) -> Result<(), ProofError> {
        self.verify(root, key, None)
    }

    /// Checks `key`'s value under `root`: `Some(value)` for membership,
    /// `None` for absence.
    pub fn verify(
        &self,
        root: &RootHash,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<(), ProofError> {
        let path: [u8; 32] = Sha256::digest(key).into();
        let depth = self.siblings.len();
        match (value, &self.leaf) {
            (Some(value), Some(leaf)) => {
                if leaf.key_hash != path {
                    return Err(ProofError::KeyMismatch {
                        expected: hex::encode(path),
                        in_proof: hex::encode(leaf.key_hash),
                    });
                }
                let value_hash: [u8; 32] = Sha256::digest(value).into();
                if leaf.value_hash != value_hash {
                    return Err(ProofError::ValueMismatch {
                        expected: hex::encode(value_hash),
                        in_proof: hex::encode(leaf.value_hash),
                    });
                }
            }
            (Some(_), None) => {
                return Err(ProofError::NotAMembershipProof {
                    key: hex::encode(path),
                });
            }
            (None, Some(leaf)) => {
                // The leaf is the only key in the subtree the asked key's
                // path leads to: the key would share that subtree's prefix.
                if leaf.key_hash == path {
                    return Err(ProofError::KeyPresent {
                        key: hex::encode(path),
                    });
                }
                let common_bits = common_prefix_bits(&path, &leaf.key_hash);
                if common_bits < depth {
                    return Err(ProofError::LeafOffPath { common_bits, depth });
                }
            }
            // The path ends in an empty subtree; the root check proves it.
            (None, None) => {}
        }
        let start = self.leaf.as_ref().map_or(EMPTY_SUBTREE, Leaf::hash);
        let computed =
            self.siblings
                .iter()
                .zip((0..depth).rev())
                .fold(start, |hash, (sibling, level)| {
                    if bit(&path, level) {
                        internal_hash(&sibling.hash(), &hash)
                    } else {
                        internal_hash(&hash, &sibling.hash())
                    }
                });
        if computed != root.0 {
            return Err(ProofError::RootMismatch {
                expected: root.to_string(),
                computed: hex::encode(computed),
            });
        }
        Ok(())
    }
}

/// A cursor over untrusted proof bytes; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], ProofError> {
        let available = self.bytes.len().saturating_sub(self.offset);
        let chunk = self
            .offset
            .checked_add(N)
            .and_then(|end| self.bytes.get(self.offset..end))
            .and_then(|slice| <[u8; N]>::try_from(slice).ok())
            .ok_or(ProofError::Truncated {
                field,
                offset: self.offset,
                needed: N,
                available,
            })?;
        self.offset = self.offset.saturating_add(N);
        Ok(chunk)
    }

    fn tag(&mut self, field: &'static str) -> Result<u8, ProofError> {
        let [tag] = self.take::<1>(field)?;
        Ok(tag)
    }

    fn u32_le(&mut self, field: &'static str) -> Result<u32, ProofError> {
        Ok(u32::from_le_bytes(self.take::<4>(field)?))
    }

    fn hash(&mut self, field: &'static str) -> Result<[u8; 32], ProofError> {
        self.take::<32>(field)
    }

    fn leaf(&mut self) -> Result<Leaf, ProofError> {
        Ok(Leaf {
            key_hash: self.hash("leaf key hash")?,
            value_hash: self.hash("leaf value hash")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_read_most_significant_first() {
        let mut path = [0u8; 32];
        path[0] = 0b1000_0001;
        path[31] = 1;
        assert!(bit(&path, 0));
        assert!(!bit(&path, 1));
        assert!(bit(&path, 7));
        assert!(bit(&path, 255));
        assert!(!bit(&path, 256));
        assert_eq!(common_prefix_bits(&path, &path), 256);
        let mut other = path;
        other[0] = 0b1100_0001;
        assert_eq!(common_prefix_bits(&path, &other), 1);
    }

    #[test]
    fn the_empty_tree_proves_every_key_absent() {
        let proof = StateProof::decode(&[0, 0, 0, 0, 0]).unwrap_or_else(|e| unreachable!("{e}"));
        let root = RootHash(EMPTY_SUBTREE);
        assert_eq!(proof.verify_non_membership(&root, b"any"), Ok(()));
        assert!(matches!(
            proof.verify_membership(&root, b"any", b"v"),
            Err(ProofError::NotAMembershipProof { .. })
        ));
    }

    #[test]
    fn a_sibling_count_above_the_path_length_is_refused_before_allocating() {
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            StateProof::decode(&bytes),
            Err(ProofError::TooManySiblings { .. })
        ));
    }
}
