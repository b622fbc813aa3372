//! Fructus's implementation of Malachite's [`Context`]: the concrete types
//! the engine manipulates.
//!
//! The engine runs in `ProposalAndParts` mode: the signed `Proposal` carries
//! only the block id (its hash, [`BlockId`]); the block itself travels as a
//! stream of [`ProposalPart`]s (see [`crate::streaming`]).

use std::fmt;
use std::sync::Arc;

use fructus_crypto::Address;
use fructus_types::block::Hash32;
use malachitebft_app_channel::app::types::core::{
    self as mc, Context, LinearTimeouts, NilOrVal, Round, SignedExtension, VoteType, VotingPower,
};
use malachitebft_signing_ed25519::{Ed25519, PublicKey as EdPublicKey, Signature};

use crate::error::ConsensusError;
use crate::validators::ValidatorSetInfo;

/// The context handed to the engine. Cheap to clone.
#[derive(Clone, Debug)]
pub struct FructusContext {
    chain_id: Arc<str>,
}

impl FructusContext {
    /// A context for `chain_id` (bound into every signature).
    pub fn new(chain_id: &str) -> Self {
        Self {
            chain_id: Arc::from(chain_id),
        }
    }

    /// The chain id.
    pub fn chain_id(&self) -> &str {
        &self.chain_id
    }
}

/// A block height as the engine sees it.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Height(pub u64);

impl fmt::Display for Height {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl mc::Height for Height {
    const ZERO: Self = Height(0);
    const INITIAL: Self = Height(1);

    fn increment_by(&self, n: u64) -> Self {
        Height(self.0.saturating_add(n))
    }

    fn decrement_by(&self, n: u64) -> Option<Self> {
        self.0.checked_sub(n).map(Height)
    }

    fn as_u64(&self) -> u64 {
        self.0
    }
}

/// A validator's address (the Fructus account address of its key).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ValidatorAddress(pub Address);

impl fmt::Display for ValidatorAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for ValidatorAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl mc::Address for ValidatorAddress {}

/// The value consensus agrees on: the block hash. The block itself is
/// streamed in parts and kept by the application until decided.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlockId(pub Hash32);

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", hex::encode(self.0))
    }
}

impl fmt::Debug for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = self.0.get(..4).unwrap_or(&[]);
        write!(f, "BlockId({}…)", hex::encode(short))
    }
}

impl mc::Value for BlockId {
    type Id = BlockId;

    fn id(&self) -> BlockId {
        *self
    }
}

/// A proposal: "at (height, round), `proposer` proposes block `value`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// The proposed block's id.
    pub value: BlockId,
    /// Proof-of-lock round (`Nil` for a fresh value).
    pub pol_round: Round,
    /// The proposer.
    pub proposer: ValidatorAddress,
}

impl mc::Proposal<FructusContext> for Proposal {
    fn height(&self) -> Height {
        self.height
    }
    fn round(&self) -> Round {
        self.round
    }
    fn value(&self) -> &BlockId {
        &self.value
    }
    fn take_value(self) -> BlockId {
        self.value
    }
    fn pol_round(&self) -> Round {
        self.pol_round
    }
    fn validator_address(&self) -> &ValidatorAddress {
        &self.proposer
    }
}

/// A prevote or precommit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vote {
    /// Prevote or precommit.
    pub vote_type: VoteType,
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// The block voted for, or nil.
    pub value: NilOrVal<BlockId>,
    /// The voter.
    pub validator: ValidatorAddress,
    /// Vote extension (unused by Fructus; always `None` from honest nodes).
    pub extension: Option<SignedExtension<FructusContext>>,
}

impl mc::Vote<FructusContext> for Vote {
    fn height(&self) -> Height {
        self.height
    }
    fn round(&self) -> Round {
        self.round
    }
    fn value(&self) -> &NilOrVal<BlockId> {
        &self.value
    }
    fn take_value(self) -> NilOrVal<BlockId> {
        self.value
    }
    fn vote_type(&self) -> VoteType {
        self.vote_type
    }
    fn validator_address(&self) -> &ValidatorAddress {
        &self.validator
    }
    fn extension(&self) -> Option<&SignedExtension<FructusContext>> {
        self.extension.as_ref()
    }
    fn take_extension(&mut self) -> Option<SignedExtension<FructusContext>> {
        self.extension.take()
    }
    fn extend(self, extension: SignedExtension<FructusContext>) -> Self {
        Self {
            extension: Some(extension),
            ..self
        }
    }
}

/// First part of a proposal stream: who proposes what where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartInit {
    /// Height.
    pub height: Height,
    /// Round.
    pub round: Round,
    /// Proof-of-lock round of the proposal.
    pub pol_round: Round,
    /// The proposer (must be the round's proposer).
    pub proposer: ValidatorAddress,
}

/// One part of a streamed proposal: `Init`, then `Data` chunks of the
/// block's borsh encoding, then `Fin` with the proposer's signature over the
/// hash of all preceding parts ([`crate::streaming::parts_digest`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProposalPart {
    /// Stream header.
    Init(PartInit),
    /// A chunk of the block bytes.
    Data(bytes::Bytes),
    /// Proposer's signature over the parts.
    Fin(Signature),
}

impl mc::ProposalPart<FructusContext> for ProposalPart {
    fn is_first(&self) -> bool {
        matches!(self, ProposalPart::Init(_))
    }
    fn is_last(&self) -> bool {
        matches!(self, ProposalPart::Fin(_))
    }
}

/// A validator in the engine's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// Address.
    pub address: ValidatorAddress,
    /// Ed25519 consensus key.
    pub public_key: EdPublicKey,
    /// Voting power.
    pub voting_power: VotingPower,
}

impl mc::Validator<FructusContext> for Validator {
    fn address(&self) -> &ValidatorAddress {
        &self.address
    }
    fn public_key(&self) -> &EdPublicKey {
        &self.public_key
    }
    fn voting_power(&self) -> VotingPower {
        self.voting_power
    }
}

/// A non-empty validator set in canonical order (power desc, then address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorSet {
    validators: Arc<Vec<Validator>>,
    /// The first validator, returned by proposer selection if indexing ever
    /// failed (it cannot for a non-empty set); avoids a panic path.
    first: Validator,
    total: VotingPower,
}

impl ValidatorSet {
    /// Converts the node's view of a height's set into the engine's.
    pub fn from_info(info: &ValidatorSetInfo, height: u64) -> Result<Self, ConsensusError> {
        let mut sorted = info.validators.clone();
        sorted.sort_by(|a, b| {
            b.voting_power
                .cmp(&a.voting_power)
                .then_with(|| a.address.cmp(&b.address))
        });
        let mut validators = Vec::with_capacity(sorted.len());
        let mut total: u64 = 0;
        for v in sorted {
            if v.voting_power == 0 {
                continue;
            }
            let public_key = match &v.public_key {
                fructus_crypto::PublicKey::Ed25519(vk) => EdPublicKey::from_bytes(vk.to_bytes())
                    .map_err(|e| ConsensusError::InvalidConfig {
                        reason: format!("validator {}: bad ed25519 key: {e}", v.address),
                    })?,
                other => {
                    return Err(ConsensusError::NonEd25519Key {
                        address: v.address.to_string(),
                        algo: other.algo().to_string(),
                    });
                }
            };
            total = total
                .checked_add(v.voting_power)
                .ok_or(ConsensusError::VotingPowerOverflow)?;
            validators.push(Validator {
                address: ValidatorAddress(v.address),
                public_key,
                voting_power: v.voting_power,
            });
        }
        let first = validators
            .first()
            .cloned()
            .ok_or(ConsensusError::EmptyValidatorSet { height })?;
        Ok(Self {
            validators: Arc::new(validators),
            first,
            total,
        })
    }

    /// The validators in canonical order.
    pub fn validators(&self) -> &[Validator] {
        &self.validators
    }

    /// The proposer of `(height, round)`: index `(height - 1 + round) mod n`
    /// (the same rule as [`ValidatorSetInfo::proposer`]).
    pub fn proposer(&self, height: Height, round: Round) -> &Validator {
        let n = u64::try_from(self.validators.len()).unwrap_or(1).max(1);
        let r = u64::from(round.as_u32().unwrap_or(0));
        let idx = height.0.saturating_sub(1).wrapping_add(r).checked_rem(n);
        idx.and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.validators.get(i))
            .unwrap_or(&self.first)
    }
}

impl mc::ValidatorSet<FructusContext> for ValidatorSet {
    fn count(&self) -> usize {
        self.validators.len()
    }
    fn total_voting_power(&self) -> VotingPower {
        self.total
    }
    fn get_by_address(&self, address: &ValidatorAddress) -> Option<&Validator> {
        self.validators.iter().find(|v| &v.address == address)
    }
    fn get_by_index(&self, index: usize) -> Option<&Validator> {
        self.validators.get(index)
    }
}

impl Context for FructusContext {
    type Address = ValidatorAddress;
    type Height = Height;
    type ProposalPart = ProposalPart;
    type Proposal = Proposal;
    type Validator = Validator;
    type ValidatorSet = ValidatorSet;
    type Timeouts = LinearTimeouts;
    type Value = BlockId;
    type Vote = Vote;
    type Extension = ();
    type SigningScheme = Ed25519;

    fn select_proposer<'a>(
        &self,
        validator_set: &'a ValidatorSet,
        height: Height,
        round: Round,
    ) -> &'a Validator {
        validator_set.proposer(height, round)
    }

    fn new_proposal(
        &self,
        height: Height,
        round: Round,
        value: BlockId,
        pol_round: Round,
        address: ValidatorAddress,
    ) -> Proposal {
        Proposal {
            height,
            round,
            value,
            pol_round,
            proposer: address,
        }
    }

    fn new_prevote(
        &self,
        height: Height,
        round: Round,
        value_id: NilOrVal<BlockId>,
        address: ValidatorAddress,
    ) -> Vote {
        Vote {
            vote_type: VoteType::Prevote,
            height,
            round,
            value: value_id,
            validator: address,
            extension: None,
        }
    }

    fn new_precommit(
        &self,
        height: Height,
        round: Round,
        value_id: NilOrVal<BlockId>,
        address: ValidatorAddress,
    ) -> Vote {
        Vote {
            vote_type: VoteType::Precommit,
            height,
            round,
            value: value_id,
            validator: address,
            extension: None,
        }
    }
}
