use fructus_storage::{StateRead, StateWrite};

use crate::{ErrorCode, StatelessContext, TxContext};

/// How the app runs one message. Implemented by each module's domain message
/// type (the type that was parsed and validated from the wire).
///
/// The three phases, in order:
/// 1. `check_stateless` — no state: bounds and internal consistency. Runs in
///    parallel over a whole batch before ordering (mempool and block), so
///    push every check that does not need state here. Defaults to accepting
///    (most messages are fully validated when parsed).
/// 2. `check_stateful` — reads state, never writes; returns what it loaded
///    and validated ([`ActionHandler::Checked`]: the records, the computed
///    amounts).
/// 3. `execute` — consumes that value and writes. It must not read again or
///    re-check what `Checked` holds: every check and record read runs once
///    per message. Runs right after `check_stateful` on the same state, on a
///    transaction overlay that the app discards if any message of the
///    transaction fails, so `execute` may return an error after partial
///    writes without harm.
pub trait ActionHandler {
    /// The module's error type.
    type Error: ErrorCode;
    /// What `check_stateful` loaded and validated, handed to `execute`
    /// (`()` when `execute` needs nothing from it).
    type Checked;
    /// Stable name of the message kind (`"bank/send"`), used by fee-grant
    /// allow-lists, events and the gas schedule.
    const KIND: &'static str;
    /// Gas charged for the message on top of the per-byte cost.
    const BASE_GAS: u64;

    /// Checks that need no state.
    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Checks against current state; returns what it loaded for `execute`.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Self::Checked, Self::Error>;

    /// Applies the message, given what `check_stateful` returned.
    fn execute<S: StateWrite>(
        &self,
        checked: Self::Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), Self::Error>;
}
