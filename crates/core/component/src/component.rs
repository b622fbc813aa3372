use fructus_storage::StateWrite;

use crate::{BlockContext, ErrorCode, Event};

/// A module's life-cycle hooks. The app calls them for every registered
/// module in its fixed order.
///
/// An error from `begin_block` or `end_block` means the state machine cannot
/// go on deterministically: the node must halt rather than diverge. Modules
/// therefore keep these hooks total (bounded work, no user-controlled
/// failure). What the hooks change on their own (slashing, jailing,
/// unbonding payouts, contract periods) is reported as events pushed to
/// `events`: the block's events, stored and streamed with the block.
pub trait Component {
    /// The module's section of the genesis file.
    type Genesis;
    /// The module's error type.
    type Error: ErrorCode;

    /// Writes the module's initial state.
    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &Self::Genesis,
    ) -> Result<(), Self::Error>;

    /// Runs before the block's transactions.
    fn begin_block<S: StateWrite>(
        _state: &mut S,
        _ctx: &BlockContext,
        _events: &mut Vec<Event>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Runs after the block's transactions.
    fn end_block<S: StateWrite>(
        _state: &mut S,
        _ctx: &BlockContext,
        _events: &mut Vec<Event>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }
}
