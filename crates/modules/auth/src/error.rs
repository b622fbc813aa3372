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

/// The stable code of each variant (codespace `auth`): what [`ErrorCode::code`]
/// returns, and what tests and clients compare a result's code with.
impl AuthError {
    /// The code of [`AuthError::Storage`].
    pub const STORAGE: u32 = 1;
    /// The code of [`AuthError::KeyMismatch`].
    pub const KEY_MISMATCH: u32 = 2;
    /// The code of [`AuthError::KeyInUse`].
    pub const KEY_IN_USE: u32 = 3;
    /// The code of [`AuthError::BadNewKeySignature`].
    pub const BAD_NEW_KEY_SIGNATURE: u32 = 4;
    /// The code of [`AuthError::GrantNotFound`].
    pub const GRANT_NOT_FOUND: u32 = 5;
    /// The code of [`AuthError::GrantExpired`].
    pub const GRANT_EXPIRED: u32 = 6;
    /// The code of [`AuthError::GrantLimitExceeded`].
    pub const GRANT_LIMIT_EXCEEDED: u32 = 7;
    /// The code of [`AuthError::MessageNotAllowed`].
    pub const MESSAGE_NOT_ALLOWED: u32 = 8;
    /// The code of [`AuthError::InvalidField`].
    pub const INVALID_FIELD: u32 = 9;
    /// The code of [`AuthError::SelfGrant`].
    pub const SELF_GRANT: u32 = 10;
    /// The code of [`AuthError::Genesis`].
    pub const GENESIS: u32 = 11;
    /// The code of [`AuthError::NonceExhausted`].
    pub const NONCE_EXHAUSTED: u32 = 12;
    /// The code of [`AuthError::InvalidParams`].
    pub const INVALID_PARAMS: u32 = 13;
}

impl ErrorCode for AuthError {
    fn codespace(&self) -> &'static str {
        "auth"
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            AuthError::Storage(_) => Self::STORAGE,
            AuthError::KeyMismatch { .. } => Self::KEY_MISMATCH,
            AuthError::KeyInUse { .. } => Self::KEY_IN_USE,
            AuthError::BadNewKeySignature => Self::BAD_NEW_KEY_SIGNATURE,
            AuthError::GrantNotFound { .. } => Self::GRANT_NOT_FOUND,
            AuthError::GrantExpired { .. } => Self::GRANT_EXPIRED,
            AuthError::GrantLimitExceeded { .. } => Self::GRANT_LIMIT_EXCEEDED,
            AuthError::MessageNotAllowed { .. } => Self::MESSAGE_NOT_ALLOWED,
            AuthError::InvalidField { .. } => Self::INVALID_FIELD,
            AuthError::SelfGrant => Self::SELF_GRANT,
            AuthError::Genesis { .. } => Self::GENESIS,
            AuthError::NonceExhausted { .. } => Self::NONCE_EXHAUSTED,
            AuthError::InvalidParams { .. } => Self::INVALID_PARAMS,
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
