//! Verifying block headers from commit certificates, and following
//! validator-set changes.
//!
//! **What the app hash of a header means.** A block is proposed before it is
//! executed, so header `H` carries in `app_hash` the state root *after block
//! `H - 1`* (after genesis for `H = 1`). A verified header `H` therefore
//! certifies the state the node serves at version `H - 1`
//! ([`VerifiedHeader::state_height`]): ask `/v1/proofs/{key}?height=H-1` and
//! check the proof against [`VerifiedHeader::app_hash`].
//!
//! **The rule for a header.** Given a [`TrustedState`] (a chain id, a
//! height, and the validator set that signs that height), a header `H ≥`
//! that height with the validator set `V` the node says signed it is
//! accepted when:
//!
//! 1. the header is of the trusted chain, and `hash(V)` is the header's
//!    `validator_set_hash`;
//! 2. the certificate certifies `SHA-256(header)` at `H`, every signature is
//!    a valid precommit of a distinct member of `V`, and the signers hold
//!    more than 2/3 of `V`'s power;
//! 3. if `V` is not the trusted set, the same signatures, checked with the
//!    *trusted* set's keys, also come from more than 2/3 of the *trusted*
//!    set's power.
//!
//! Rule 3 is how the client follows validator-set changes: a new set is
//! accepted only when more than 2/3 of the set it already trusts signed a
//! header committing to it. It is sound as long as less than 1/3 of the
//! trusted set's power is faulty: any > 2/3 of it then includes honest
//! validators, who precommit only a valid block, whose `validator_set_hash`
//! the chain computed. It needs no unbonding-period clock, but a trusted
//! set whose validators have since left (and may sign anything at no cost)
//! must not be used: pin a newer checkpoint. When the set has changed too
//! much for rule 3, [`LightError::UntrustedValidatorSetChange`] says so;
//! verify an intermediate height first, or pin a newer checkpoint.

use fructus_crypto::Address;
use fructus_types::block::BlockHeader;

use crate::error::LightError;
use crate::validators::{ValidatorSet, precommit_sign_bytes};

/// The most signatures a certificate may carry (one per validator).
pub const MAX_SIGNATURES: usize = crate::validators::MAX_VALIDATORS;

/// What the client trusts: the validator set that signs `height` of
/// `chain_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedState {
    chain_id: String,
    height: u64,
    validators: ValidatorSet,
}

/// A commit certificate as the node serves it: the round, and every
/// precommit signature with its validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The height it decides.
    pub height: u64,
    /// The round in which the block was decided.
    pub round: u32,
    /// The block hash the precommits are for.
    pub block_hash: [u8; 32],
    /// (validator, ed25519 signature of the precommit sign bytes).
    pub signatures: Vec<(Address, [u8; 64])>,
}

/// A header that passed [`TrustedState::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedHeader {
    /// The header.
    pub header: BlockHeader,
    /// Its hash.
    pub block_hash: [u8; 32],
    /// The validator set that signed it.
    pub validators: ValidatorSet,
}

impl VerifiedHeader {
    /// The certified state root: the state after [`Self::state_height`].
    pub fn app_hash(&self) -> [u8; 32] {
        self.header.app_hash
    }

    /// The state version `app_hash` is the root of: `height - 1` (0 is the
    /// genesis state).
    pub fn state_height(&self) -> u64 {
        self.header.height.saturating_sub(1)
    }
}

impl TrustedState {
    /// Trust from genesis: `validators` (the genesis file's) sign height 1.
    pub fn from_genesis(chain_id: &str, validators: ValidatorSet) -> Self {
        Self {
            chain_id: chain_id.to_owned(),
            height: 1,
            validators,
        }
    }

    /// Trust from a pinned checkpoint: `validators` (as a node serves them)
    /// must hash to `set_hash`, the hash pinned for `height`.
    pub fn from_checkpoint(
        chain_id: &str,
        height: u64,
        set_hash: [u8; 32],
        validators: ValidatorSet,
    ) -> Result<Self, LightError> {
        let got = validators.hash();
        if got != set_hash {
            return Err(LightError::CheckpointMismatch {
                height,
                pinned: hex::encode(set_hash),
                served: hex::encode(got),
            });
        }
        Ok(Self {
            chain_id: chain_id.to_owned(),
            height,
            validators,
        })
    }

    /// The chain id.
    pub fn chain_id(&self) -> &str {
        &self.chain_id
    }

    /// The height the trusted set signs.
    pub fn height(&self) -> u64 {
        self.height
    }

    /// The trusted validator set.
    pub fn validators(&self) -> &ValidatorSet {
        &self.validators
    }

    /// Verifies `header_bytes` (the borsh encoding of a header, as served),
    /// its `commit`, and the set `validators` that signed it, by the rule
    /// of this module. Does not change the trusted state; see
    /// [`Self::advance`].
    pub fn verify(
        &self,
        header_bytes: &[u8],
        commit: &Commit,
        validators: ValidatorSet,
    ) -> Result<VerifiedHeader, LightError> {
        let header: BlockHeader =
            borsh::from_slice(header_bytes).map_err(|e| LightError::MalformedHeader {
                reason: e.to_string(),
            })?;
        if header.chain_id != self.chain_id {
            return Err(LightError::WrongChain {
                expected: self.chain_id.clone(),
                got: header.chain_id,
            });
        }
        if header.height < self.height {
            return Err(LightError::HeightBelowTrusted {
                height: header.height,
                trusted: self.height,
            });
        }
        let set_hash = validators.hash();
        if set_hash != header.validator_set_hash {
            return Err(LightError::ValidatorSetHashMismatch {
                height: header.height,
                in_header: hex::encode(header.validator_set_hash),
                served: hex::encode(set_hash),
            });
        }
        let block_hash = header.hash();
        if commit.height != header.height || commit.block_hash != block_hash {
            return Err(LightError::CommitForOtherBlock {
                height: header.height,
                block_hash: hex::encode(block_hash),
                commit_height: commit.height,
                commit_block_hash: hex::encode(commit.block_hash),
            });
        }
        let chain_id = &self.chain_id;
        let signed = signed_power(chain_id, commit, &validators, true)?;
        require_quorum(signed, validators.total_power(), "its own validator set")?;
        if set_hash != self.validators.hash() {
            let by_trusted = signed_power(chain_id, commit, &self.validators, false)?;
            if by_trusted.saturating_mul(3)
                <= u128::from(self.validators.total_power()).saturating_mul(2)
            {
                return Err(LightError::UntrustedValidatorSetChange {
                    height: header.height,
                    trusted_height: self.height,
                    signed: by_trusted,
                    total: self.validators.total_power(),
                });
            }
        }
        Ok(VerifiedHeader {
            header,
            block_hash,
            validators,
        })
    }

    /// Moves trust to a verified header's height and validator set (if it
    /// is not below the trusted height).
    pub fn advance(&mut self, verified: &VerifiedHeader) {
        if verified.header.height >= self.height {
            self.height = verified.header.height;
            self.validators = verified.validators.clone();
        }
    }
}

/// The power of `set` that validly precommitted `commit`. With `strict`,
/// a signer outside the set or a bad signature is an error (the set is the
/// one that signed); without, such signatures are not counted (the set is
/// an older, trusted one, which need not hold every signer). A signer
/// listed twice is always an error.
fn signed_power(
    chain_id: &str,
    commit: &Commit,
    set: &ValidatorSet,
    strict: bool,
) -> Result<u128, LightError> {
    if commit.signatures.len() > MAX_SIGNATURES {
        return Err(LightError::TooManySignatures {
            got: commit.signatures.len(),
            max: MAX_SIGNATURES,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut power: u128 = 0;
    for (address, signature) in &commit.signatures {
        if !seen.insert(*address) {
            return Err(LightError::DuplicateSigner {
                address: address.to_string(),
            });
        }
        let Some(validator) = set.get(address) else {
            if strict {
                return Err(LightError::UnknownSigner {
                    address: address.to_string(),
                    height: commit.height,
                });
            }
            continue;
        };
        let msg = precommit_sign_bytes(
            chain_id,
            commit.height,
            commit.round,
            &commit.block_hash,
            address,
        );
        match validator.public_key.verify(&msg, signature) {
            Ok(()) => power = power.saturating_add(u128::from(validator.power)),
            Err(_) if !strict => {}
            Err(e) => {
                return Err(LightError::BadSignature {
                    address: address.to_string(),
                    reason: e.to_string(),
                });
            }
        }
    }
    Ok(power)
}

fn require_quorum(signed: u128, total: u64, of: &'static str) -> Result<(), LightError> {
    if signed.saturating_mul(3) <= u128::from(total).saturating_mul(2) {
        return Err(LightError::NoQuorum { of, signed, total });
    }
    Ok(())
}
