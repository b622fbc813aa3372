use fructus_component::{Event, TxError};
use fructus_types::tx::TxHash;

/// The outcome of one transaction in a block.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct TxResult {
    /// SHA-256 of the signed transaction.
    pub hash: TxHash,
    /// 0 on success, else the error's stable code within `codespace`.
    pub code: u32,
    /// Empty on success, else the module that refused it.
    pub codespace: String,
    /// Empty on success, else a sentence saying what went wrong.
    pub log: String,
    /// The transaction's gas limit.
    pub gas_wanted: u64,
    /// Gas consumed.
    pub gas_used: u64,
    /// Events (a failed transaction keeps only its fee event).
    pub events: Vec<Event>,
}

impl TxResult {
    /// True when every message executed.
    pub fn is_ok(&self) -> bool {
        self.code == 0
    }

    pub(crate) fn failed(
        hash: TxHash,
        err: &TxError,
        gas_wanted: u64,
        gas_used: u64,
        events: Vec<Event>,
    ) -> Self {
        TxResult {
            hash,
            code: err.code,
            codespace: err.codespace.clone(),
            log: err.message.clone(),
            gas_wanted,
            gas_used,
            events,
        }
    }

    /// The error, if it failed.
    pub fn error(&self) -> Option<TxError> {
        (!self.is_ok()).then(|| TxError {
            codespace: self.codespace.clone(),
            code: self.code,
            message: self.log.clone(),
        })
    }
}
