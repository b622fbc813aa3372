//! Double-sign evidence: two conflicting votes of one validator, carried in
//! a block so that every node can check it and the app can slash
//! deterministically.

use borsh::{BorshDeserialize, BorshSerialize};
use fructus_crypto::Address;
use fructus_types::block::Hash32;
use malachitebft_app_channel::app::types::core::{DoubleVote, NilOrVal, Round, VoteType};

use crate::{
    ValidatorSetInfo,
    context::{BlockId, FructusContext, Height, ValidatorAddress, Vote},
    error::ConsensusError,
};

/// Two signed votes of `validator` for the same height, round and vote
/// type but different values (`None` = nil). Everything needed to check it
/// against the validator's key, with nothing taken on trust.
#[derive(Debug, Clone, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct DoubleSignEvidence {
    /// The offender's consensus address.
    pub validator: Address,
    /// Height of both votes.
    pub height: u64,
    /// Round of both votes.
    pub round: u32,
    /// Precommits (`true`) or prevotes.
    pub precommit: bool,
    /// The first vote's value.
    pub first: Option<Hash32>,
    /// Its ed25519 signature.
    pub first_signature: [u8; 64],
    /// The second vote's value.
    pub second: Option<Hash32>,
    /// Its ed25519 signature.
    pub second_signature: [u8; 64],
}

impl DoubleSignEvidence {
    /// The bytes the validator signed for the vote with `value` (`first`
    /// or `second`).
    pub fn sign_bytes(&self, chain_id: &str, value: Option<Hash32>) -> Vec<u8> {
        crate::signing::vote_sign_bytes(chain_id, &self.vote(value))
    }

    fn vote(&self, value: Option<Hash32>) -> Vote {
        Vote {
            vote_type: if self.precommit {
                VoteType::Precommit
            } else {
                VoteType::Prevote
            },
            height: Height(self.height),
            round: Round::new(self.round),
            value: value.map_or(NilOrVal::Nil, |h| NilOrVal::Val(BlockId(h))),
            validator: ValidatorAddress(self.validator),
            extension: None,
        }
    }

    /// Checks it against `set`, the validator set of `height`: the values
    /// differ, the validator is a member, and both signatures are its
    /// signatures of the two votes for `chain_id`.
    pub fn verify(&self, chain_id: &str, set: &ValidatorSetInfo) -> Result<(), ConsensusError> {
        let bad = |reason: String| ConsensusError::InvalidEvidence { reason };
        if self.first == self.second {
            return Err(bad("the two votes are for the same value".into()));
        }
        let member = set.get(&self.validator).ok_or_else(|| {
            bad(format!(
                "{} is not a validator of height {}",
                self.validator, self.height
            ))
        })?;
        for (value, sig) in [
            (self.first, &self.first_signature),
            (self.second, &self.second_signature),
        ] {
            let msg = self.sign_bytes(chain_id, value);
            member
                .public_key
                .verify(&msg, sig)
                .map_err(|e| bad(format!("{}: {e}", self.validator)))?;
        }
        Ok(())
    }

    /// The evidence of a pair Malachite reported, if it is a real conflict.
    pub(crate) fn from_double_vote(pair: &DoubleVote<FructusContext>) -> Option<Self> {
        let (a, b) = pair;
        let (va, vb) = (&a.message, &b.message);
        if va.validator != vb.validator
            || va.height != vb.height
            || va.round != vb.round
            || va.vote_type != vb.vote_type
        {
            return None;
        }
        let value = |v: &NilOrVal<BlockId>| match v {
            NilOrVal::Nil => None,
            NilOrVal::Val(id) => Some(id.0),
        };
        Some(DoubleSignEvidence {
            validator: va.validator.0,
            height: va.height.0,
            round: va.round.as_u32()?,
            precommit: va.vote_type == VoteType::Precommit,
            first: value(&va.value),
            first_signature: a.signature.to_bytes(),
            second: value(&vb.value),
            second_signature: b.signature.to_bytes(),
        })
    }

    /// Deterministic encoding (borsh), as carried in a block.
    pub fn to_bytes(&self) -> Vec<u8> {
        borsh::to_vec(self).unwrap_or_default()
    }

    /// Decodes [`DoubleSignEvidence::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ConsensusError> {
        borsh::from_slice(bytes).map_err(|e| ConsensusError::InvalidEvidence {
            reason: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use fructus_crypto::{KeyAlgo, SigningKey};

    use super::*;
    use crate::ValidatorInfo;

    fn signed(key: &SigningKey, value: Option<Hash32>, round: u32) -> DoubleSignEvidence {
        let mut e = DoubleSignEvidence {
            validator: key.public_key().address(),
            height: 9,
            round,
            precommit: true,
            first: Some([1; 32]),
            first_signature: [0; 64],
            second: value,
            second_signature: [0; 64],
        };
        let sign = |e: &DoubleSignEvidence, v| -> [u8; 64] {
            key.sign(&crate::signing::vote_sign_bytes("c", &e.vote(v)))
                .try_into()
                .unwrap()
        };
        e.first_signature = sign(&e, e.first);
        e.second_signature = sign(&e, e.second);
        e
    }

    #[test]
    fn evidence_is_checked_against_the_offenders_key() {
        let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[1; 32]).unwrap();
        let other = SigningKey::from_seed(KeyAlgo::Ed25519, &[2; 32]).unwrap();
        let set = ValidatorSetInfo::new(vec![
            ValidatorInfo::new(key.public_key(), 1),
            ValidatorInfo::new(other.public_key(), 1),
        ]);
        let e = signed(&key, None, 0);
        e.verify("c", &set).unwrap();
        assert_eq!(DoubleSignEvidence::from_bytes(&e.to_bytes()).unwrap(), e);
        // Another chain, the same value twice, a non-member, a forgery.
        assert!(e.verify("d", &set).is_err());
        assert!(signed(&key, Some([1; 32]), 0).verify("c", &set).is_err());
        let outsider = ValidatorSetInfo::new(vec![ValidatorInfo::new(other.public_key(), 1)]);
        assert!(e.verify("c", &outsider).is_err());
        let mut forged = e.clone();
        forged.validator = other.public_key().address();
        assert!(forged.verify("c", &set).is_err());
        let mut moved = e.clone();
        moved.round = 1;
        assert!(moved.verify("c", &set).is_err());
        assert!(DoubleSignEvidence::from_bytes(&[1, 2]).is_err());
    }
}
