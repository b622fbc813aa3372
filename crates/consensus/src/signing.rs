//! What validators sign, and the engine's signer/verifier.
//!
//! Every signed message is `domain tag ‖ borsh(chain id) ‖ borsh(body)`, with
//! a distinct tag per message kind, so a signature can never be replayed as
//! another kind of message or on another chain. Signatures are ed25519.

use async_trait::async_trait;
use borsh::BorshSerialize;
use malachitebft_app_channel::app::types::core::{
    SignedMessage, ValidatorProof, VoteExtensionScope,
};
use malachitebft_signing::{Error as SigningError, Signer, VerificationResult, Verifier};
use malachitebft_signing_ed25519::{PrivateKey, PublicKey as EdPublicKey, Signature};

use crate::codec::wire;
use crate::context::{FructusContext, Proposal, Vote};

const VOTE_TAG: &[u8] = b"fructus/consensus/vote/v1";
const PROPOSAL_TAG: &[u8] = b"fructus/consensus/proposal/v1";
const EXTENSION_TAG: &[u8] = b"fructus/consensus/vote-extension/v1";

fn framed<T: BorshSerialize>(tag: &[u8], chain_id: &str, body: &T) -> Vec<u8> {
    let mut out = tag.to_vec();
    // Writing into a Vec cannot fail; on the impossible error the bytes are
    // still deterministic (just shorter), so nothing unsafe follows.
    let _ = borsh::to_writer(&mut out, chain_id);
    let _ = borsh::to_writer(&mut out, body);
    out
}

/// The bytes a validator signs for a vote (the extension is signed separately).
pub fn vote_sign_bytes(chain_id: &str, vote: &Vote) -> Vec<u8> {
    framed(VOTE_TAG, chain_id, &wire::VoteBody::from_vote(vote))
}

/// The bytes a proposer signs for a proposal.
pub fn proposal_sign_bytes(chain_id: &str, proposal: &Proposal) -> Vec<u8> {
    framed(
        PROPOSAL_TAG,
        chain_id,
        &wire::ProposalBody::from_proposal(proposal),
    )
}

fn extension_sign_bytes(chain_id: &str, scope: &VoteExtensionScope<FructusContext>) -> Vec<u8> {
    let body = (
        scope.height.0,
        wire::round_to_wire(scope.round),
        scope.value_id.0,
        *scope.validator_address.0.as_bytes(),
    );
    framed(EXTENSION_TAG, chain_id, &body)
}

fn verdict(ok: bool) -> Result<VerificationResult, SigningError> {
    Ok(VerificationResult::from_bool(ok))
}

/// Signs votes, proposals and the validator proof with the node's ed25519
/// validator key.
pub struct FructusSigner {
    key: PrivateKey,
    chain_id: String,
}

impl FructusSigner {
    /// A signer for `chain_id` holding the 32-byte ed25519 seed `secret`.
    pub fn new(secret: [u8; 32], chain_id: &str) -> Self {
        Self {
            key: PrivateKey::from(secret),
            chain_id: chain_id.to_owned(),
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> EdPublicKey {
        self.key.public_key()
    }

    /// Signs raw bytes (used for the proposal-parts digest).
    pub fn sign_bytes(&self, msg: &[u8]) -> Signature {
        self.key.sign(msg)
    }
}

#[async_trait]
impl Signer<FructusContext> for FructusSigner {
    async fn sign_vote(
        &self,
        vote: Vote,
    ) -> Result<SignedMessage<FructusContext, Vote>, SigningError> {
        let signature = self.key.sign(&vote_sign_bytes(&self.chain_id, &vote));
        Ok(SignedMessage::new(vote, signature))
    }

    async fn sign_proposal(
        &self,
        proposal: Proposal,
    ) -> Result<SignedMessage<FructusContext, Proposal>, SigningError> {
        let signature = self
            .key
            .sign(&proposal_sign_bytes(&self.chain_id, &proposal));
        Ok(SignedMessage::new(proposal, signature))
    }

    async fn sign_vote_extension(
        &self,
        scope: VoteExtensionScope<FructusContext>,
        extension: (),
    ) -> Result<SignedMessage<FructusContext, ()>, SigningError> {
        let signature = self.key.sign(&extension_sign_bytes(&self.chain_id, &scope));
        Ok(SignedMessage::new(extension, signature))
    }

    async fn sign_validator_proof(
        &self,
        public_key: Vec<u8>,
        peer_id: Vec<u8>,
    ) -> Result<ValidatorProof<FructusContext>, SigningError> {
        let bytes = ValidatorProof::<FructusContext>::signing_bytes(&public_key, &peer_id);
        let signature = self.key.sign(&bytes);
        Ok(ValidatorProof::new(public_key, peer_id, signature))
    }
}

/// Verifies the signatures the engine receives.
pub struct FructusVerifier {
    chain_id: String,
}

impl FructusVerifier {
    /// A verifier for `chain_id`.
    pub fn new(chain_id: &str) -> Self {
        Self {
            chain_id: chain_id.to_owned(),
        }
    }
}

#[async_trait]
impl Verifier<FructusContext> for FructusVerifier {
    async fn verify_signed_vote(
        &self,
        vote: &Vote,
        signature: &Signature,
        public_key: &EdPublicKey,
    ) -> Result<VerificationResult, SigningError> {
        let bytes = vote_sign_bytes(&self.chain_id, vote);
        verdict(public_key.verify(&bytes, signature).is_ok())
    }

    async fn verify_signed_proposal(
        &self,
        proposal: &Proposal,
        signature: &Signature,
        public_key: &EdPublicKey,
    ) -> Result<VerificationResult, SigningError> {
        let bytes = proposal_sign_bytes(&self.chain_id, proposal);
        verdict(public_key.verify(&bytes, signature).is_ok())
    }

    async fn verify_signed_vote_extension(
        &self,
        scope: &VoteExtensionScope<FructusContext>,
        _extension: &(),
        signature: &Signature,
        public_key: &EdPublicKey,
    ) -> Result<VerificationResult, SigningError> {
        let bytes = extension_sign_bytes(&self.chain_id, scope);
        verdict(public_key.verify(&bytes, signature).is_ok())
    }

    async fn verify_validator_proof(
        &self,
        proof: &ValidatorProof<FructusContext>,
    ) -> Result<VerificationResult, SigningError> {
        let Ok(arr) = <[u8; 32]>::try_from(proof.public_key.as_slice()) else {
            return verdict(false);
        };
        let Ok(key) = EdPublicKey::from_bytes(arr) else {
            return verdict(false);
        };
        verdict(key.verify(&proof.preimage(), &proof.signature).is_ok())
    }
}
