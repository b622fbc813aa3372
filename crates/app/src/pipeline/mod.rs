//! The transaction pipeline: stateless checks, ante (account, nonce, fee),
//! message execution. See the crate docs for the order and guarantees.

pub(crate) mod ante;
pub(crate) mod execute;
pub mod parallel;
pub mod stateless;
pub mod verified;
pub mod window;

use fructus_component::{ErrorCode, TxError};

/// A step failed: either the transaction's fault (recorded in its result)
/// or the node's (fatal: the block cannot be executed deterministically).
#[derive(Debug)]
pub(crate) enum Failure {
    /// Recorded as the transaction's error.
    Tx(TxError),
    /// The node must stop.
    Internal(TxError),
}

/// Sorts an error into [`Failure`] by [`ErrorCode::is_internal`].
pub(crate) fn classify<E: ErrorCode>(err: &E) -> Failure {
    if err.is_internal() {
        Failure::Internal(TxError::from_code(err))
    } else {
        Failure::Tx(TxError::from_code(err))
    }
}
