//! Validator sets as the light client holds them, and the bytes a
//! precommit signs.
//!
//! Both encodings here are the consensus crate's, rewritten without linking
//! it; `tests/consensus_conformance.rs` proves they agree byte for byte.

use borsh::BorshSerialize;
use fructus_crypto::{Address, KeyAlgo, PublicKey, sha256};

use crate::error::LightError;

/// Domain tag of a consensus vote's sign bytes.
const VOTE_TAG: &[u8] = b"fructus/consensus/vote/v1";
/// Domain tag of a validator set's hash.
const VALIDATOR_SET_TAG: &[u8] = b"fructus/validator-set/v1";
/// Vote type byte of a precommit in the vote sign bytes.
const PRECOMMIT: u8 = 1;

/// The most validators a set may hold (bounds the work of one check).
pub const MAX_VALIDATORS: usize = 10_000;

/// One validator: its address, ed25519 consensus key and voting power.
#[derive(Debug, Clone, PartialEq, Eq, BorshSerialize)]
pub struct Validator {
    /// The account address of `public_key`.
    pub address: Address,
    /// The ed25519 consensus key.
    pub public_key: PublicKey,
    /// Voting power (> 0).
    pub power: u64,
}

/// A non-empty validator set in canonical order (power descending, then
/// address ascending), each address derived from its key, no address
/// twice, total power within `u64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatorSet {
    validators: Vec<Validator>,
    total: u64,
}

impl ValidatorSet {
    /// Checks and sorts `validators` into a set.
    pub fn new(mut validators: Vec<Validator>) -> Result<Self, LightError> {
        if validators.is_empty() {
            return Err(LightError::EmptyValidatorSet);
        }
        if validators.len() > MAX_VALIDATORS {
            return Err(LightError::TooManyValidators {
                got: validators.len(),
                max: MAX_VALIDATORS,
            });
        }
        let mut total: u64 = 0;
        for v in &validators {
            if v.public_key.algo() != KeyAlgo::Ed25519 {
                return Err(LightError::BadValidator {
                    address: v.address.to_string(),
                    reason: format!("consensus key is {}, not ed25519", v.public_key.algo()),
                });
            }
            if v.public_key.address() != v.address {
                return Err(LightError::BadValidator {
                    address: v.address.to_string(),
                    reason: format!("its key derives to address {}", v.public_key.address()),
                });
            }
            if v.power == 0 {
                return Err(LightError::BadValidator {
                    address: v.address.to_string(),
                    reason: "voting power 0".to_owned(),
                });
            }
            total = total
                .checked_add(v.power)
                .ok_or(LightError::VotingPowerOverflow)?;
        }
        validators.sort_by(|a, b| {
            b.power
                .cmp(&a.power)
                .then_with(|| a.address.cmp(&b.address))
        });
        for pair in validators.windows(2) {
            if let [a, b] = pair
                && a.address == b.address
            {
                return Err(LightError::BadValidator {
                    address: a.address.to_string(),
                    reason: "listed twice".to_owned(),
                });
            }
        }
        Ok(Self { validators, total })
    }

    /// The validators in canonical order.
    pub fn validators(&self) -> &[Validator] {
        &self.validators
    }

    /// The sum of their voting power.
    pub fn total_power(&self) -> u64 {
        self.total
    }

    /// The validator with this address.
    pub fn get(&self, address: &Address) -> Option<&Validator> {
        self.validators.iter().find(|v| &v.address == address)
    }

    /// The set's hash, as a header's `validator_set_hash` commits to it:
    /// `SHA-256("fructus/validator-set/v1" ‖ borsh([(address, public key,
    /// power)]))` in canonical order.
    pub fn hash(&self) -> [u8; 32] {
        let mut bytes = VALIDATOR_SET_TAG.to_vec();
        // Writing into a Vec cannot fail.
        if self.validators.serialize(&mut bytes).is_err() {
            return sha256(&[]);
        }
        sha256(&bytes)
    }
}

/// The bytes `validator` signs for a precommit of `block_hash` at
/// (`height`, `round`) on `chain_id`: `"fructus/consensus/vote/v1" ‖
/// borsh(chain id) ‖ borsh((1u8, height, Some(round), Some(block hash),
/// address))` — the consensus engine's vote sign bytes.
pub fn precommit_sign_bytes(
    chain_id: &str,
    height: u64,
    round: u32,
    block_hash: &[u8; 32],
    validator: &Address,
) -> Vec<u8> {
    let mut out = VOTE_TAG.to_vec();
    let body = (
        PRECOMMIT,
        height,
        Some(round),
        Some(*block_hash),
        *validator.as_bytes(),
    );
    // Writing into a Vec cannot fail; on the impossible error the bytes are
    // shorter and no signature verifies over them.
    let _ = chain_id.serialize(&mut out);
    let _ = body.serialize(&mut out);
    out
}
