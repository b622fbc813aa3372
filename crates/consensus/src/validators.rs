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
    /// Every precommit signature in the certificate, in its stored order:
    /// (validator, ed25519 signature of [`precommit_sign_bytes`]). What a
    /// light client re-verifies.
    pub signatures: Vec<(Address, [u8; 64])>,
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
        signatures: wire
            .signatures
            .iter()
            .map(|s| (Address::from_bytes(s.address), s.signature))
            .collect(),
    })
}

/// The bytes `validator` signs for a precommit of `block_hash` at
/// (`height`, `round`) on `chain_id` (what a certificate's signatures
/// cover).
pub fn precommit_sign_bytes(
    chain_id: &str,
    height: u64,
    round: u32,
    block_hash: &Hash32,
    validator: Address,
) -> Vec<u8> {
    let vote = crate::context::Vote {
        vote_type: malachitebft_app_channel::app::types::core::VoteType::Precommit,
        height: crate::context::Height(height),
        round: malachitebft_app_channel::app::types::core::Round::new(round),
        value: malachitebft_app_channel::app::types::core::NilOrVal::Val(crate::context::BlockId(
            *block_hash,
        )),
        validator: crate::context::ValidatorAddress(validator),
        extension: None,
    };
    crate::signing::vote_sign_bytes(chain_id, &vote)
}

/// Encodes a commit certificate: `signatures` are (validator, ed25519
/// signature of [`precommit_sign_bytes`]).
pub fn encode_certificate(
    height: u64,
    round: u32,
    block_hash: Hash32,
    signatures: &[(Address, [u8; 64])],
) -> Vec<u8> {
    let wire = CertificateWire {
        version: CERTIFICATE_VERSION,
        height,
        round,
        block_hash,
        signatures: signatures
            .iter()
            .map(|(a, s)| CommitSigWire {
                address: *a.as_bytes(),
                signature: *s,
            })
            .collect(),
    };
    borsh::to_vec(&wire).unwrap_or_default()
}

/// Decodes a commit certificate and checks that it certifies `block_hash`
/// at `height` for `set`: known version, every signature a valid precommit
/// (over [`crate::signing::vote_sign_bytes`] for `chain_id`) of a distinct
/// member of `set`, and the signers holding more than two thirds of the
/// set's power. What a block's `last_commit` must pass before the app
/// counts its signers.
pub fn verify_certificate(
    chain_id: &str,
    bytes: &[u8],
    set: &ValidatorSetInfo,
    height: u64,
    block_hash: &Hash32,
) -> Result<CertificateInfo, ConsensusError> {
    let bad = |reason: String| ConsensusError::InvalidCertificate { reason };
    let wire: CertificateWire = borsh::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    if wire.version != CERTIFICATE_VERSION {
        return Err(bad(format!("unknown version {}", wire.version)));
    }
    if wire.height != height || &wire.block_hash != block_hash {
        return Err(bad(format!(
            "it certifies height {} block {}, not height {height} block {}",
            wire.height,
            hex::encode(wire.block_hash),
            hex::encode(block_hash)
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut power: u128 = 0;
    for sig in &wire.signatures {
        let address = Address::from_bytes(sig.address);
        let validator = set
            .get(&address)
            .ok_or_else(|| bad(format!("{address} is not a validator of height {height}")))?;
        if !seen.insert(address) {
            return Err(bad(format!("{address} signed twice")));
        }
        let msg = precommit_sign_bytes(chain_id, height, wire.round, block_hash, address);
        validator
            .public_key
            .verify(&msg, &sig.signature)
            .map_err(|e| bad(format!("{address}: {e}")))?;
        power = power.saturating_add(u128::from(validator.voting_power));
    }
    let total = u128::from(set.total_power());
    if power.saturating_mul(3) <= total.saturating_mul(2) {
        return Err(bad(format!(
            "signers hold {power} of {total} voting power, not more than two thirds"
        )));
    }
    Ok(CertificateInfo {
        height: wire.height,
        round: wire.round,
        block_hash: wire.block_hash,
        signers: seen.into_iter().collect(),
        signatures: wire
            .signatures
            .iter()
            .map(|s| (Address::from_bytes(s.address), s.signature))
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
    fn precommit(key: &SigningKey, height: u64, round: u32, hash: Hash32) -> CommitSigWire {
        let address = key.public_key().address();
        let vote = crate::context::Vote {
            vote_type: malachitebft_app_channel::app::types::core::VoteType::Precommit,
            height: crate::context::Height(height),
            round: malachitebft_app_channel::app::types::core::Round::new(round),
            value: malachitebft_app_channel::app::types::core::NilOrVal::Val(
                crate::context::BlockId(hash),
            ),
            validator: crate::context::ValidatorAddress(address),
            extension: None,
        };
        let sig = key.sign(&crate::signing::vote_sign_bytes("c", &vote));
        CommitSigWire {
            address: *address.as_bytes(),
            signature: sig.try_into().unwrap(),
        }
    }

    #[test]
    fn certificates_are_verified_signature_by_signature() {
        let keys: Vec<SigningKey> = (1..=4)
            .map(|i| SigningKey::from_seed(KeyAlgo::Ed25519, &[i; 32]).unwrap())
            .collect();
        let set = ValidatorSetInfo::new(
            keys.iter()
                .map(|k| ValidatorInfo::new(k.public_key(), 10))
                .collect(),
        );
        let hash = [7u8; 32];
        let cert = |sigs: Vec<CommitSigWire>| {
            borsh::to_vec(&CertificateWire {
                version: CERTIFICATE_VERSION,
                height: 5,
                round: 0,
                block_hash: hash,
                signatures: sigs,
            })
            .unwrap()
        };
        let three: Vec<CommitSigWire> =
            keys[..3].iter().map(|k| precommit(k, 5, 0, hash)).collect();
        let ok = verify_certificate("c", &cert(three.clone()), &set, 5, &hash).unwrap();
        assert_eq!(ok.signers.len(), 3);
        // Wrong height or block, wrong chain id.
        assert!(verify_certificate("c", &cert(three.clone()), &set, 6, &hash).is_err());
        assert!(verify_certificate("c", &cert(three.clone()), &set, 5, &[8; 32]).is_err());
        assert!(verify_certificate("d", &cert(three.clone()), &set, 5, &hash).is_err());
        // Two of four is not more than two thirds.
        assert!(verify_certificate("c", &cert(three[..2].to_vec()), &set, 5, &hash).is_err());
        // A signer counted twice.
        let mut dup = three[..2].to_vec();
        dup.push(three[0].clone());
        assert!(verify_certificate("c", &cert(dup), &set, 5, &hash).is_err());
        // A forged signature.
        let mut forged = three.clone();
        forged[2].signature[0] ^= 1;
        assert!(verify_certificate("c", &cert(forged), &set, 5, &hash).is_err());
        // A signer outside the set.
        let outsider = SigningKey::from_seed(KeyAlgo::Ed25519, &[9; 32]).unwrap();
        let mut foreign = three[..2].to_vec();
        foreign.push(precommit(&outsider, 5, 0, hash));
        assert!(verify_certificate("c", &cert(foreign), &set, 5, &hash).is_err());
        // A vote for another round is not this certificate's.
        let mut other_round = three[..2].to_vec();
        other_round.push(precommit(&keys[2], 5, 1, hash));
        assert!(verify_certificate("c", &cert(other_round), &set, 5, &hash).is_err());
        assert!(verify_certificate("c", &[1, 2, 3], &set, 5, &hash).is_err());
    }
}
