//! The messages auth accepts, parsed and validated from the wire.

use fructus_proto::auth::v1 as pb;
use fructus_types::{Address, BlockHeight, Coins, PublicKey, tx::public_key_from_proto};

use crate::AuthError;

/// Domain string of the rotation proof-of-possession signature.
pub const ROTATE_KEY_DOMAIN: &[u8] = b"fructus/rotate-key/v1";
/// Most message kinds in a grant's allow-list.
pub const MAX_ALLOWED_MESSAGES: usize = 32;

/// Bytes the NEW key signs to agree to control `address` (see
/// `proto/fructus/auth/v1/msgs.proto`).
pub fn rotate_key_sign_bytes(chain_id: &str, address: &Address, nonce: u64) -> Vec<u8> {
    let id = chain_id.as_bytes();
    let mut out = ROTATE_KEY_DOMAIN.to_vec();
    out.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(id);
    out.extend_from_slice(address.as_bytes());
    out.extend_from_slice(&nonce.to_be_bytes());
    out
}

/// Replace the signer account's key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RotateKey {
    /// The key that will control the account.
    pub new_key: PublicKey,
    /// The new key's signature over [`rotate_key_sign_bytes`].
    #[serde(serialize_with = "hex_bytes")]
    pub new_key_signature: Vec<u8>,
}

/// Pay `grantee`'s fees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GrantFee {
    /// Whose fees to pay.
    pub grantee: Address,
    /// Total the grant may spend.
    pub spend_limit: Coins,
    /// Last valid height, if any.
    pub expiry_height: Option<BlockHeight>,
    /// Message kinds covered (empty = all).
    pub allowed_messages: Vec<String>,
}

/// Withdraw a fee grant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeFee {
    /// The grantee.
    pub grantee: Address,
}

fn hex_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

impl TryFrom<&pb::MsgRotateKey> for RotateKey {
    type Error = AuthError;
    fn try_from(m: &pb::MsgRotateKey) -> Result<Self, AuthError> {
        let key = m
            .new_key
            .as_ref()
            .ok_or_else(|| AuthError::field("new_key", "missing"))?;
        Ok(RotateKey {
            new_key: public_key_from_proto(key).map_err(|e| AuthError::field("new_key", e))?,
            new_key_signature: m.new_key_signature.to_vec(),
        })
    }
}

impl TryFrom<&pb::MsgGrantFee> for GrantFee {
    type Error = AuthError;
    fn try_from(m: &pb::MsgGrantFee) -> Result<Self, AuthError> {
        let spend_limit =
            Coins::from_proto(&m.spend_limit).map_err(|e| AuthError::field("spend_limit", e))?;
        if spend_limit.is_empty() {
            return Err(AuthError::field(
                "spend_limit",
                "at least one coin is required",
            ));
        }
        if m.allowed_messages.len() > MAX_ALLOWED_MESSAGES {
            return Err(AuthError::field(
                "allowed_messages",
                format!("at most {MAX_ALLOWED_MESSAGES} kinds"),
            ));
        }
        for kind in &m.allowed_messages {
            let ok = kind.len() <= 64
                && kind.split_once('/').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && kind
                            .bytes()
                            .all(|c| c.is_ascii_lowercase() || c == b'_' || c == b'/')
                });
            if !ok {
                return Err(AuthError::field(
                    "allowed_messages",
                    format!("{kind:?} is not a message kind like \"bank/send\""),
                ));
            }
        }
        Ok(GrantFee {
            grantee: Address::from_slice(&m.grantee).map_err(|e| AuthError::field("grantee", e))?,
            spend_limit,
            expiry_height: (m.expiry_height != 0).then_some(m.expiry_height),
            allowed_messages: m.allowed_messages.clone(),
        })
    }
}

impl TryFrom<&pb::MsgRevokeFee> for RevokeFee {
    type Error = AuthError;
    fn try_from(m: &pb::MsgRevokeFee) -> Result<Self, AuthError> {
        Ok(RevokeFee {
            grantee: Address::from_slice(&m.grantee).map_err(|e| AuthError::field("grantee", e))?,
        })
    }
}
