//! The validator set and commit certificates as the node sees them.
//!
//! These types use Fructus keys and addresses; [`crate::context`] converts
//! them into the engine's types at every height.

use borsh::{BorshDeserialize, BorshSerialize};
use fructus_crypto::{Address, PublicKey, sha256};
use fructus_types::block::Hash32;

use crate::error::ConsensusError;

/// A validator as consensus sees it.
#[derive(Debug, Clone, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ValidatorInfo {
    /// The validator's account address (`public_key.address()`).
    pub address: Address,
    /// The consensus key (must be ed25519).
    pub public_key: PublicKey,
    /// Voting power (> 0).
    pub voting_power: u64,
}

impl ValidatorInfo {
    /// A validator whose address derives from `public_key`.
    pub fn new(public_key: PublicKey, voting_power: u64) -> Self {
        Self {
            address: public_key.address(),
            public_key,
            voting_power,
        }
    }
}

/// The validator set of one height, sorted by power (descending), then address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidatorSetInfo {
    /// The validators in canonical order.
    pub validators: Vec<ValidatorInfo>,
}

impl ValidatorSetInfo {
    /// Builds a set and sorts it into canonical order (power descending,
    /// then address ascending).
    pub fn new(mut validators: Vec<ValidatorInfo>) -> Self {
        sort_canonical(&mut validators);
        Self { validators }
    }

    /// SHA-256 of the canonical encoding: borsh of the list of
    /// `(address, public key, power)` in canonical order (the order is
    /// re-derived here, so an unsorted `validators` vector hashes the same).
    pub fn hash(&self) -> Hash32 {
        let mut sorted = self.validators.clone();
        sort_canonical(&mut sorted);
        let mut bytes = b"fructus/validator-set/v1".to_vec();
        // Writing into a Vec cannot fail.
        if borsh::to_writer(&mut bytes, &sorted).is_err() {
            return sha256(&[]);
        }
        sha256(&bytes)
    }

    /// Sum of all voting power (saturating at `u64::MAX`).
    pub fn total_power(&self) -> u64 {
        self.validators
            .iter()
            .fold(0u64, |acc, v| acc.saturating_add(v.voting_power))
    }

    /// The validator with this address.
    pub fn get(&self, address: &Address) -> Option<&ValidatorInfo> {
        self.validators.iter().find(|v| &v.address == address)
    }

    /// The proposer of `(height, round)`: round-robin over the canonical
    /// order, index `(height - 1 + round) mod n`. The same rule the engine uses.
    pub fn proposer(&self, height: u64, round: u32) -> Option<&ValidatorInfo> {
        let mut sorted: Vec<&ValidatorInfo> = self.validators.iter().collect();
        sorted.sort_by(|a, b| canonical_cmp(a, b));
        let n = u64::try_from(sorted.len()).ok().filter(|n| *n > 0)?;
        let idx = height
            .saturating_sub(1)
            .wrapping_add(u64::from(round))
            .checked_rem(n)?;
        sorted.get(usize::try_from(idx).ok()?).copied()
    }
}

fn canonical_cmp(a: &ValidatorInfo, b: &ValidatorInfo) -> std::cmp::Ordering {
    b.voting_power
        .cmp(&a.voting_power)
        .then_with(|| a.address.cmp(&b.address))
}

fn sort_canonical(validators: &mut [ValidatorInfo]) {
    validators.sort_by(canonical_cmp);
}

/// Summary of a decided height's commit certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The decided height.
    pub height: u64,
    /// The round in which the block was decided.
    pub round: u32,
    /// Hash of the decided block.
    pub block_hash: Hash32,
    /// Validators whose precommit signatures the certificate carries.
    pub signers: Vec<Address>,
}

/// The stored form of a commit certificate (borsh, version-tagged). The
/// signatures are ed25519 over the precommit sign bytes of
/// [`crate::signing`].
#[derive(Debug, Clone, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub(crate) struct CertificateWire {
    pub(crate) version: u8,
    pub(crate) height: u64,
    pub(crate) round: u32,
    pub(crate) block_hash: Hash32,
    pub(crate) signatures: Vec<CommitSigWire>,
}

/// One precommit signature inside [`CertificateWire`].
#[derive(Debug, Clone, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub(crate) struct CommitSigWire {
    pub(crate) address: [u8; 20],
    pub(crate) signature: [u8; 64],
}

/// Current [`CertificateWire::version`].
pub(crate) const CERTIFICATE_VERSION: u8 = 1;

/// Decodes certificate bytes produced by consensus (as passed to
/// [`crate::ConsensusHost::commit`]).
pub fn decode_certificate(bytes: &[u8]) -> Result<CertificateInfo, ConsensusError> {
    let wire: CertificateWire =
        borsh::from_slice(bytes).map_err(|e| ConsensusError::InvalidCertificate {
            reason: e.to_string(),
        })?;
    if wire.version != CERTIFICATE_VERSION {
        return Err(ConsensusError::InvalidCertificate {
            reason: format!(
                "unknown version {} (expected {CERTIFICATE_VERSION})",
                wire.version
            ),
        });
    }
    Ok(CertificateInfo {
        height: wire.height,
        round: wire.round,
        block_hash: wire.block_hash,
        signers: wire
            .signatures
            .iter()
            .map(|s| Address::from_bytes(s.address))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;
    use fructus_crypto::{KeyAlgo, SigningKey};

    fn val(seed: u8, power: u64) -> ValidatorInfo {
        let sk = SigningKey::from_seed(KeyAlgo::Ed25519, &[seed; 32]).unwrap();
        ValidatorInfo::new(sk.public_key(), power)
    }

    #[test]
    fn set_is_sorted_and_hash_is_order_independent() {
        let a = ValidatorSetInfo::new(vec![val(1, 5), val(2, 10), val(3, 5)]);
        assert_eq!(a.validators[0].voting_power, 10);
        assert!(a.validators[1].address < a.validators[2].address);
        let b = ValidatorSetInfo {
            validators: vec![val(3, 5), val(1, 5), val(2, 10)],
        };
        assert_eq!(a.hash(), b.hash());
        assert_ne!(a.hash(), ValidatorSetInfo::new(vec![val(1, 5)]).hash());
        assert_eq!(a.total_power(), 20);
    }

    #[test]
    fn proposer_rotates() {
        let s = ValidatorSetInfo::new(vec![val(1, 1), val(2, 1), val(3, 1)]);
        let p1 = s.proposer(1, 0).unwrap().address;
        let p2 = s.proposer(2, 0).unwrap().address;
        let p1r1 = s.proposer(1, 1).unwrap().address;
        assert_ne!(p1, p2);
        assert_eq!(p2, p1r1);
        assert_eq!(s.proposer(4, 0).unwrap().address, p1);
        assert!(ValidatorSetInfo::default().proposer(1, 0).is_none());
    }

    #[test]
    fn certificate_roundtrip_and_garbage() {
        let wire = CertificateWire {
            version: CERTIFICATE_VERSION,
            height: 7,
            round: 1,
            block_hash: [9; 32],
            signatures: vec![CommitSigWire {
                address: [3; 20],
                signature: [4; 64],
            }],
        };
        let info = decode_certificate(&borsh::to_vec(&wire).unwrap()).unwrap();
        assert_eq!(info.height, 7);
        assert_eq!(info.round, 1);
        assert_eq!(info.signers, vec![Address::from_bytes([3; 20])]);
        assert!(decode_certificate(&[1, 2, 3]).is_err());
    }
}
