use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::{Address, Amount, BlockHeight};

/// Errors of the auth module (codespace `auth`).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[cfg(feature = "component")]
    /// The state store failed; the node must stop rather than guess.
    #[error("state store failure: {0}")]
    Storage(#[from] StorageError),
    /// The account at the key's address has rotated to another key.
    #[error(
        "account {address} is controlled by a different key now (it was rotated); sign with its current key"
    )]
    KeyMismatch {
        /// The account.
        address: Address,
    },
    /// The new key already controls an account.
    #[error("that key already controls account {owner}; a key can control only one account")]
    KeyInUse {
        /// The account the key is bound to.
        owner: Address,
    },
    /// The new key's proof-of-possession signature is wrong.
    #[error(
        "the new key's signature does not verify: sign the rotation with the new key (see `fructus tx auth rotate-key`)"
    )]
    BadNewKeySignature,
    /// No such fee grant.
    #[error("no fee grant from {granter} to {grantee}")]
    GrantNotFound {
        /// Would-be payer.
        granter: Address,
        /// The signer.
        grantee: Address,
    },
    /// The grant expired.
    #[error("fee grant from {granter} expired at height {expiry_height}")]
    GrantExpired {
        /// Payer.
        granter: Address,
        /// Last height it was valid.
        expiry_height: BlockHeight,
    },
    /// The fee passes what is left of the grant.
    #[error("fee grant from {granter} has {remaining}{denom} left, the fee needs {fee}{denom}")]
    GrantLimitExceeded {
        /// Payer.
        granter: Address,
        /// Fee denom.
        denom: String,
        /// What is left.
        remaining: Amount,
        /// The fee.
        fee: Amount,
    },
    /// The grant does not cover this message kind.
    #[error("fee grant from {granter} does not allow {kind} messages")]
    MessageNotAllowed {
        /// Payer.
        granter: Address,
        /// The message kind refused.
        kind: String,
    },
    /// A message field is malformed.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// An account cannot grant fees to itself.
    #[error("an account cannot grant fees to itself")]
    SelfGrant,
    /// The genesis section is inconsistent.
    #[error("invalid auth genesis: {reason}")]
    Genesis {
        /// What is wrong, with its JSON path.
        reason: String,
    },
    /// A nonce would pass u64::MAX.
    #[error("account {address} nonce is exhausted")]
    NonceExhausted {
        /// The account.
        address: Address,
    },
    /// Params refused by `AuthParams::validate` (at genesis or in a
    /// governance change).
    #[error("invalid auth params: {reason}")]
    InvalidParams {
        /// What is wrong, with its JSON path.
        reason: String,
    },
}

impl AuthError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        AuthError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }
}

impl ErrorCode for AuthError {
    fn codespace(&self) -> &'static str {
        "auth"
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            AuthError::Storage(_) => 1,
            AuthError::KeyMismatch { .. } => 2,
            AuthError::KeyInUse { .. } => 3,
            AuthError::BadNewKeySignature => 4,
            AuthError::GrantNotFound { .. } => 5,
            AuthError::GrantExpired { .. } => 6,
            AuthError::GrantLimitExceeded { .. } => 7,
            AuthError::MessageNotAllowed { .. } => 8,
            AuthError::InvalidField { .. } => 9,
            AuthError::SelfGrant => 10,
            AuthError::Genesis { .. } => 11,
            AuthError::NonceExhausted { .. } => 12,
            AuthError::InvalidParams { .. } => 13,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            AuthError::Storage(_) => true,
            _ => false,
        }
    }
}
