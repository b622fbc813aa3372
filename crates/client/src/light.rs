//! Verified reads: state a node serves, checked against a header the client
//! verified itself from a commit certificate ([`fructus_light`]), so a node
//! that lies about the state (or about the header, or about who signed it)
//! is detected instead of believed.
//!
//! The trust root is the caller's: a [`TrustedState`] built from the
//! genesis validator set, or from a checkpoint pinned in the client's
//! configuration ([`NodeClient::trust_checkpoint`]). Then
//! [`NodeClient::verify_latest`] verifies the newest header (moving trust to
//! it), and [`NodeClient::verified_get_at`] reads a key in the state that
//! header certifies — the state after the previous height, since a header's
//! `app_hash` is the root after its parent.

use fructus_crypto::{KeyAlgo, PublicKey};
use fructus_light::{Commit, TrustedState, Validator, ValidatorSet, VerifiedHeader};
use fructus_rpc_types::{CommitView, ProofView, ValidatorSetView};

use crate::http::{ClientError, NodeClient, verify_proof_against};

fn hex_array<const N: usize>(what: &str, text: &str) -> Result<[u8; N], ClientError> {
    hex::decode(text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| ClientError::Untrusted {
            message: format!(
                "the node served a malformed {what} {text:?}: expected {N} bytes of hex"
            ),
        })
}

/// The validator set in a [`ValidatorSetView`], checked (keys parse,
/// addresses derive from them, powers positive).
pub fn validator_set_from_view(view: &ValidatorSetView) -> Result<ValidatorSet, ClientError> {
    let mut validators = Vec::with_capacity(view.validators.len());
    for v in &view.validators {
        let key: [u8; 32] = hex_array("consensus key", &v.public_key)?;
        let public_key =
            PublicKey::from_bytes(KeyAlgo::Ed25519, &key).map_err(|e| ClientError::Untrusted {
                message: format!("validator {}: {e}", v.address),
            })?;
        validators.push(Validator {
            address: v.address,
            public_key,
            power: v.voting_power,
        });
    }
    Ok(ValidatorSet::new(validators)?)
}

/// The header bytes and certificate in a [`CommitView`].
pub fn commit_from_view(view: &CommitView) -> Result<(Vec<u8>, Commit), ClientError> {
    let header = hex::decode(&view.header).map_err(|e| ClientError::Untrusted {
        message: format!("the node served a header that is not hex: {e}"),
    })?;
    let mut signatures = Vec::with_capacity(view.signatures.len());
    for s in &view.signatures {
        signatures.push((s.address, hex_array("precommit signature", &s.signature)?));
    }
    Ok((
        header,
        Commit {
            height: view.height,
            round: view.round,
            block_hash: hex_array("block hash", &view.block_hash)?,
            signatures,
        },
    ))
}

impl NodeClient {
    /// `GET /v1/blocks/{height|latest}/commit`, unverified.
    pub fn commit(&self, height: Option<u64>) -> Result<CommitView, ClientError> {
        self.get_json_as(&format!("/v1/blocks/{}/commit", height_segment(height)))
    }

    /// `GET /v1/blocks/{height|latest}/validators`, unverified.
    pub fn validator_set(&self, height: Option<u64>) -> Result<ValidatorSetView, ClientError> {
        self.get_json_as(&format!("/v1/blocks/{}/validators", height_segment(height)))
    }

    /// `GET /v1/proofs/{hex key}?height=H`, unverified.
    pub fn proof_at(&self, key: &[u8], height: u64) -> Result<ProofView, ClientError> {
        self.get_json_as(&format!("/v1/proofs/{}?height={height}", hex::encode(key)))
    }

    /// Trust from a checkpoint pinned in the client's configuration: the set
    /// the node serves for `height` must hash to `set_hash`.
    pub fn trust_checkpoint(
        &self,
        chain_id: &str,
        height: u64,
        set_hash: [u8; 32],
    ) -> Result<TrustedState, ClientError> {
        let set = validator_set_from_view(&self.validator_set(Some(height))?)?;
        Ok(TrustedState::from_checkpoint(
            chain_id, height, set_hash, set,
        )?)
    }

    /// Verifies the latest header, its certificate and its validator set
    /// against `trusted`, and moves `trusted` to it.
    pub fn verify_latest(&self, trusted: &mut TrustedState) -> Result<VerifiedHeader, ClientError> {
        let view = self.commit(None)?;
        let (header, commit) = commit_from_view(&view)?;
        let set = validator_set_from_view(&self.validator_set(Some(view.height))?)?;
        let verified = trusted.verify(&header, &commit, set)?;
        trusted.advance(&verified);
        Ok(verified)
    }

    /// The value of state `key` (or `None` if absent) in the state
    /// `header` certifies: the proof is asked at the header's
    /// [`VerifiedHeader::state_height`] and checked against its app hash,
    /// never against the root the node sends with it.
    pub fn verified_get_at(
        &self,
        key: &[u8],
        header: &VerifiedHeader,
    ) -> Result<Option<Vec<u8>>, ClientError> {
        let view = self.proof_at(key, header.state_height())?;
        verify_proof_against(key, &view, header.app_hash())
    }
}

fn height_segment(height: Option<u64>) -> String {
    height.map_or_else(|| "latest".to_owned(), |h| h.to_string())
}
