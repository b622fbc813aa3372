use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{BankError, BankStateReadExt, BankStateWriteExt, event, msg::Send};

impl ActionHandler for Send {
    type Error = BankError;
    type Checked = ();
    const KIND: &'static str = "bank/send";
    const BASE_GAS: u64 = 2_000;

    /// Only the recipient's gate. The sender's balance is not read here:
    /// the transfer's own debit refuses what the sender does not have (the
    /// same error), so a block's sends to and from the same accounts move
    /// their balances as counters and execute in parallel
    /// (`fructus_storage::StateWrite::sub_u128`).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), BankError> {
        for coin in &self.amount {
            state.check_can_receive(&self.to, &coin.denom)?;
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), BankError> {
        for coin in &self.amount {
            match state.transfer(&ctx.signer, &self.to, coin) {
                Err(BankError::InsufficientFunds { available, .. }) => {
                    return Err(super::short_of(
                        state,
                        &ctx.signer,
                        &coin.denom,
                        available,
                        coin.amount,
                    ));
                }
                other => other?,
            }
            ctx.emit(event::transfer(&ctx.signer, &self.to, coin));
        }
        Ok(())
    }
}
