use fructus_storage::{StateRead, StateWrite};

use crate::{ErrorCode, StatelessContext, TxContext};

/// How the app runs one message. Implemented by each module's domain message
/// type (the type that was parsed and validated from the wire).
///
/// The three phases, in order:
/// 1. `check_stateless` — no state: bounds and internal consistency. Runs in
///    parallel over a whole batch before ordering (mempool and block), so
///    push every check that does not need state here.
/// 2. `check_stateful` — reads state; must not write.
/// 3. `execute` — writes. Runs on a transaction overlay that the app
///    discards if any message of the transaction fails, so `execute` may
///    return an error after partial writes without harm.
pub trait ActionHandler {
    /// The module's error type.
    type Error: ErrorCode;
    /// Stable name of the message kind (`"bank/send"`), used by fee-grant
    /// allow-lists, events and the gas schedule.
    const KIND: &'static str;
    /// Gas charged for the message on top of the per-byte cost.
    const BASE_GAS: u64;

    /// Checks that need no state.
    fn check_stateless(&self, ctx: &StatelessContext<'_>) -> Result<(), Self::Error>;

    /// Checks against current state.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), Self::Error>;

    /// Applies the message.
    fn execute<S: StateWrite>(
        &self,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), Self::Error>;
}
