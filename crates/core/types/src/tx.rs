//! The transaction envelope: what is signed, how it is hashed, and decoding
//! of untrusted bytes with limits.
//!
//! The signed bytes are `SIGN_DOMAIN ‖ len(chain_id) as u8 ‖ chain_id ‖ body`
//! where `body` is exactly the `SignedTx.body` bytes received: nothing is
//! re-encoded to verify, and the chain id domain-separates signatures
//! between chains (and from every other kind of signed message, whose domain
//! strings differ).
//!
//! **Canonical bytes.** A transaction's hash is SHA-256 of its `SignedTx`
//! bytes, so those bytes must be the only encoding of their content: both
//! the `SignedTx` and the `TxBody` it carries must equal their own
//! re-encoding (protobuf fields in field-number order, default scalars
//! omitted, minimal varints, no unknown or repeated fields) — the encoding
//! every protobuf library writes, prost and nanopb included. Anything else
//! is refused with [`TxDecodeError::NonCanonical`]. Together with low-S
//! P-256 signatures (see `fructus_crypto`) this means nobody but the signer
//! can produce a second valid encoding, and so a second hash, of a
//! transaction. (The body is still verified as received, never re-encoded:
//! the comparison is only a refusal test.)

use std::fmt;

use fructus_crypto::{Address, CryptoError, KeyAlgo, PublicKey};
use fructus_proto::{crypto::v1 as pbc, tx::v1 as pb};
use prost::Message as _;

use crate::{Coin, TypesError};

/// Domain string in front of every transaction's signed bytes.
pub const SIGN_DOMAIN: &[u8] = b"fructus/tx/v1";
/// Longest accepted chain id, in bytes.
pub const MAX_CHAIN_ID_LEN: usize = 48;

/// SHA-256 of a signed transaction's bytes.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct TxHash(pub [u8; 32]);

impl TxHash {
    /// Hash of the given signed-transaction bytes.
    pub fn of(signed_tx: &[u8]) -> Self {
        TxHash(fructus_crypto::sha256(signed_tx))
    }
}

impl fmt::Display for TxHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode_upper(self.0))
    }
}

impl fmt::Debug for TxHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TxHash({self})")
    }
}

impl serde::Serialize for TxHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Checks a chain id: 1 to 48 bytes of `a-z 0-9 - _ .`.
pub fn validate_chain_id(chain_id: &str) -> Result<(), TxDecodeError> {
    let ok = !chain_id.is_empty()
        && chain_id.len() <= MAX_CHAIN_ID_LEN
        && chain_id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(TxDecodeError::InvalidChainId {
            chain_id: chain_id.chars().take(64).collect(),
        })
    }
}

/// The exact bytes a signer signs for `body` on `chain_id`.
pub fn sign_bytes(chain_id: &str, body: &[u8]) -> Vec<u8> {
    let id = chain_id.as_bytes();
    let id_len = u8::try_from(id.len()).unwrap_or(u8::MAX);
    let id = id.get(..usize::from(id_len)).unwrap_or(id);
    let mut out = Vec::with_capacity(
        SIGN_DOMAIN
            .len()
            .saturating_add(1)
            .saturating_add(id.len())
            .saturating_add(body.len()),
    );
    out.extend_from_slice(SIGN_DOMAIN);
    out.push(id_len);
    out.extend_from_slice(id);
    out.extend_from_slice(body);
    out
}

/// Converts a wire public key.
pub fn public_key_from_proto(pk: &pbc::PublicKey) -> Result<PublicKey, CryptoError> {
    let tag = u8::try_from(pk.r#type).map_err(|_| CryptoError::UnknownAlgo {
        got: format!("tag {}", pk.r#type),
    })?;
    PublicKey::from_bytes(KeyAlgo::from_tag(tag)?, &pk.key)
}

/// The wire form of a public key.
pub fn public_key_to_proto(pk: &PublicKey) -> pbc::PublicKey {
    pbc::PublicKey {
        r#type: i32::from(pk.algo().tag()),
        key: pk.to_bytes().into(),
    }
}

/// Why bytes are not a well-formed transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxDecodeError {
    /// Larger than the chain's limit.
    #[error("transaction is {size} bytes; the limit is {max}")]
    TooLarge {
        /// Size received.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The outer `SignedTx` does not decode.
    #[error("not a SignedTx protobuf: {reason}")]
    Envelope {
        /// Decoder message.
        reason: String,
    },
    /// The body does not decode.
    #[error("transaction body is not a TxBody protobuf: {reason}")]
    Body {
        /// Decoder message.
        reason: String,
    },
    /// The chain id is malformed.
    #[error("invalid chain id {chain_id:?}: 1-48 characters of a-z 0-9 - _ .")]
    InvalidChainId {
        /// The chain id given.
        chain_id: String,
    },
    /// The signer key is missing.
    #[error("transaction has no signer public key")]
    MissingSigner,
    /// The signer key does not parse.
    #[error("invalid signer key: {0}")]
    InvalidSigner(CryptoError),
    /// No fee section.
    #[error("transaction has no fee: set fee amount and gas limit")]
    MissingFee,
    /// The fee coin is malformed.
    #[error("invalid fee: {0}")]
    InvalidFee(TypesError),
    /// The fee payer is not a 20-byte address.
    #[error("invalid fee payer: {0}")]
    InvalidPayer(CryptoError),
    /// There are no messages.
    #[error("transaction carries no messages")]
    NoMessages,
    /// The bytes are not the canonical encoding of their content.
    #[error(
        "{part} is not canonically encoded (unknown, repeated or out-of-order fields, explicit defaults or padded varints): encode it with a protobuf library"
    )]
    NonCanonical {
        /// `SignedTx` or `TxBody`.
        part: &'static str,
    },
}

/// A transaction whose envelope decoded and whose fields are well-formed;
/// the signature is NOT yet verified (see [`DecodedTx::verify_signature`]).
#[derive(Debug, Clone)]
pub struct DecodedTx {
    /// SHA-256 of the signed-transaction bytes.
    pub hash: TxHash,
    /// Size of the signed-transaction bytes.
    pub size: usize,
    /// The exact body bytes that were signed.
    pub body_bytes: prost::bytes::Bytes,
    /// The signature over [`sign_bytes`].
    pub signature: prost::bytes::Bytes,
    /// The decoded body.
    pub body: pb::TxBody,
    /// The signer's key.
    pub signer: PublicKey,
    /// The fee.
    pub fee: Coin,
    /// Gas the signer allows.
    pub gas_limit: u64,
    /// Who pays the fee, if not the signer.
    pub payer: Option<Address>,
}

impl DecodedTx {
    /// Decodes untrusted bytes, refusing anything above `max_bytes`.
    pub fn decode(bytes: &[u8], max_bytes: usize) -> Result<Self, TxDecodeError> {
        if bytes.len() > max_bytes {
            return Err(TxDecodeError::TooLarge {
                size: bytes.len(),
                max: max_bytes,
            });
        }
        let signed = pb::SignedTx::decode(bytes).map_err(|e| TxDecodeError::Envelope {
            reason: e.to_string(),
        })?;
        if signed.encoded_len() != bytes.len() || signed.encode_to_vec() != bytes {
            return Err(TxDecodeError::NonCanonical { part: "SignedTx" });
        }
        let body = pb::TxBody::decode(signed.body.clone()).map_err(|e| TxDecodeError::Body {
            reason: e.to_string(),
        })?;
        if body.encoded_len() != signed.body.len() || body.encode_to_vec() != signed.body {
            return Err(TxDecodeError::NonCanonical { part: "TxBody" });
        }
        validate_chain_id(&body.chain_id)?;
        let signer = body
            .signer
            .as_ref()
            .ok_or(TxDecodeError::MissingSigner)
            .and_then(|pk| public_key_from_proto(pk).map_err(TxDecodeError::InvalidSigner))?;
        let fee_pb = body.fee.as_ref().ok_or(TxDecodeError::MissingFee)?;
        let fee = fee_pb
            .amount
            .as_ref()
            .ok_or(TxDecodeError::MissingFee)
            .and_then(|c| Coin::try_from(c).map_err(TxDecodeError::InvalidFee))?;
        let gas_limit = fee_pb.gas_limit;
        let payer = if fee_pb.payer.is_empty() {
            None
        } else {
            Some(Address::from_slice(&fee_pb.payer).map_err(TxDecodeError::InvalidPayer)?)
        };
        if body.messages.is_empty() {
            return Err(TxDecodeError::NoMessages);
        }
        Ok(DecodedTx {
            hash: TxHash::of(bytes),
            size: bytes.len(),
            body_bytes: signed.body,
            signature: signed.signature,
            body,
            signer,
            fee,
            gas_limit,
            payer,
        })
    }

    /// The bytes the signature must cover on `chain_id`.
    pub fn sign_bytes(&self, chain_id: &str) -> Vec<u8> {
        sign_bytes(chain_id, &self.body_bytes)
    }

    /// Verifies the signature for `chain_id` (single check; batch admission
    /// uses [`fructus_crypto::verify_batch`] over [`DecodedTx::sign_bytes`]).
    pub fn verify_signature(&self, chain_id: &str) -> Result<(), CryptoError> {
        self.signer
            .verify(&self.sign_bytes(chain_id), &self.signature)
    }
}

/// Encodes and signs a body: the client side of [`DecodedTx::decode`].
pub fn encode_signed(body: &pb::TxBody, key: &fructus_crypto::SigningKey) -> Vec<u8> {
    let body_bytes = body.encode_to_vec();
    let signature = key.sign(&sign_bytes(&body.chain_id, &body_bytes));
    pb::SignedTx {
        body: body_bytes.into(),
        signature: signature.into(),
    }
    .encode_to_vec()
}
