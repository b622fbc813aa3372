use std::fmt;

/// A typed error that a transaction can produce, with a stable identity:
/// `codespace` names the module, `code` (never 0, which means success) the
/// variant. Codes are part of the public API: never renumber one.
pub trait ErrorCode: std::error::Error {
    /// The module that produced the error (`"bank"`).
    fn codespace(&self) -> &'static str;
    /// The variant's stable number within the codespace.
    fn code(&self) -> u32;
    /// True when the error is not the transaction's fault but the node's
    /// (a storage failure): the app must stop instead of recording a result
    /// that other nodes might not reach.
    fn is_internal(&self) -> bool {
        false
    }
}

/// An error as recorded in a transaction result and returned by the API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TxError {
    /// The module that produced it.
    pub codespace: String,
    /// Stable number within the codespace.
    pub code: u32,
    /// A sentence a person can act on.
    pub message: String,
}

impl TxError {
    /// Captures any [`ErrorCode`].
    pub fn from_code<E: ErrorCode + ?Sized>(err: &E) -> Self {
        TxError {
            codespace: err.codespace().to_owned(),
            code: err.code(),
            message: err.to_string(),
        }
    }
}

impl fmt::Display for TxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}: {}", self.codespace, self.code, self.message)
    }
}

impl std::error::Error for TxError {}
