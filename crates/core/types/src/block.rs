//! Blocks: the value consensus agrees on.
//!
//! `header.app_hash` is the state root *after the previous block* (the
//! Tendermint convention): a block is proposed before it is executed, so
//! its own result can only be committed to by the next block. The root after
//! a block is also stored with the block's result and served by the API.

use fructus_crypto::{Address, sha256};

use crate::{BlockHeight, BlockTime, tx::TxHash};

/// Domain tag of a transaction-tree leaf.
const LEAF: u8 = 0;
/// Domain tag of a transaction-tree inner node.
const NODE: u8 = 1;

/// A 32-byte SHA-256 digest.
pub type Hash32 = [u8; 32];

/// The header: everything a light client needs to follow the chain.
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct BlockHeader {
    /// The chain id.
    pub chain_id: String,
    /// Height (1 for the first block).
    pub height: BlockHeight,
    /// Proposer's timestamp: after the previous block's, at most a bounded
    /// drift ahead of the validators' clocks.
    pub time: BlockTime,
    /// Hash of the previous block's header (zeros for height 1).
    #[serde(with = "hex32")]
    pub prev_block_hash: Hash32,
    /// State root after the previous block (genesis root for height 1).
    #[serde(with = "hex32")]
    pub app_hash: Hash32,
    /// Merkle root of the transaction hashes ([`tx_root`]).
    #[serde(with = "hex32")]
    pub tx_root: Hash32,
    /// The proposer's validator address.
    pub proposer: Address,
    /// Hash of the validator set that signs this height.
    #[serde(with = "hex32")]
    pub validator_set_hash: Hash32,
    /// SHA-256 of the block's `last_commit` bytes.
    #[serde(with = "hex32")]
    pub last_commit_hash: Hash32,
    /// [`evidence_hash`] of the block's evidence.
    #[serde(with = "hex32")]
    pub evidence_hash: Hash32,
}

impl BlockHeader {
    /// SHA-256 of the header's borsh encoding: the block hash.
    pub fn hash(&self) -> Hash32 {
        sha256(&borsh::to_vec(self).unwrap_or_default())
    }
}

/// A block: header, the transactions in execution order, and the commit
/// certificate of the previous height.
#[derive(Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Block {
    /// The header.
    pub header: BlockHeader,
    /// Signed transactions, exactly as submitted.
    pub txs: Vec<Vec<u8>>,
    /// The previous height's commit certificate as the proposer stored it
    /// (empty at height 1). Validators check it against the previous
    /// height's validator set; the app learns from it who signed (downtime).
    pub last_commit: Vec<u8>,
    /// Double-sign evidence, each item one encoded piece the consensus
    /// crate defines and validators verify before the app slashes.
    pub evidence: Vec<Vec<u8>>,
}

impl Block {
    /// The block hash (the header's hash).
    pub fn hash(&self) -> Hash32 {
        self.header.hash()
    }

    /// True if `header.tx_root` matches the transactions.
    pub fn tx_root_matches(&self) -> bool {
        tx_root(&self.txs) == self.header.tx_root
    }

    /// True if `header.last_commit_hash` matches `last_commit`.
    pub fn last_commit_matches(&self) -> bool {
        sha256(&self.last_commit) == self.header.last_commit_hash
    }

    /// True if `header.evidence_hash` matches `evidence`.
    pub fn evidence_matches(&self) -> bool {
        evidence_hash(&self.evidence) == self.header.evidence_hash
    }

    /// Deterministic encoding (borsh).
    pub fn to_bytes(&self) -> Vec<u8> {
        borsh::to_vec(self).unwrap_or_default()
    }

    /// Decodes [`Block::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, std::io::Error> {
        borsh::from_slice(bytes)
    }
}

/// SHA-256 of the borsh encoding of a block's evidence list.
pub fn evidence_hash(evidence: &[Vec<u8>]) -> Hash32 {
    sha256(&borsh::to_vec(evidence).unwrap_or_default())
}

/// Merkle root over the transactions' hashes: leaves `SHA-256(0 ‖ tx hash)`,
/// nodes `SHA-256(1 ‖ left ‖ right)`, an odd node promoted unchanged (the
/// RFC 6962 shape); the empty list's root is SHA-256 of nothing.
pub fn tx_root(txs: &[Vec<u8>]) -> Hash32 {
    if txs.is_empty() {
        return sha256(&[]);
    }
    let mut level: Vec<Hash32> = txs
        .iter()
        .map(|tx| {
            let mut pre = [0u8; 33];
            pre[0] = LEAF;
            pre[1..].copy_from_slice(&TxHash::of(tx).0);
            sha256(&pre)
        })
        .collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [l, r] => {
                    let mut pre = [0u8; 65];
                    pre[0] = NODE;
                    pre[1..33].copy_from_slice(l);
                    pre[33..].copy_from_slice(r);
                    sha256(&pre)
                }
                [single] => *single,
                _ => sha256(&[]),
            })
            .collect();
    }
    level.first().copied().unwrap_or_else(|| sha256(&[]))
}

mod hex32 {
    pub(super) fn serialize<S: serde::Serializer>(v: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn tx_root_depends_on_content_and_order() {
        let a = vec![vec![1u8], vec![2u8], vec![3u8]];
        let b = vec![vec![2u8], vec![1u8], vec![3u8]];
        assert_ne!(tx_root(&a), tx_root(&b));
        assert_ne!(tx_root(&a), tx_root(&a[..2]));
        assert_eq!(tx_root(&a), tx_root(&a.clone()));
        assert_ne!(tx_root(&[]), tx_root(&[vec![]]));
    }

    #[test]
    fn block_roundtrips_and_hash_covers_header() {
        let txs = vec![vec![9u8; 10]];
        let mut block = Block {
            header: BlockHeader {
                chain_id: "c".into(),
                height: 1,
                time: BlockTime(5),
                prev_block_hash: [0; 32],
                app_hash: [1; 32],
                tx_root: tx_root(&txs),
                proposer: Address::from_bytes([2; 20]),
                validator_set_hash: [3; 32],
                last_commit_hash: sha256(b"cert"),
                evidence_hash: evidence_hash(&[]),
            },
            txs,
            last_commit: b"cert".to_vec(),
            evidence: Vec::new(),
        };
        assert!(block.evidence_matches());
        assert!(block.tx_root_matches());
        assert!(block.last_commit_matches());
        assert_eq!(Block::from_bytes(&block.to_bytes()).unwrap(), block);
        let h = block.hash();
        block.header.time = BlockTime(6);
        assert_ne!(block.hash(), h);
        block.txs.push(vec![1]);
        assert!(!block.tx_root_matches());
        block.last_commit.push(0);
        assert!(!block.last_commit_matches());
        block.evidence.push(vec![]);
        assert!(!block.evidence_matches());
    }
}
