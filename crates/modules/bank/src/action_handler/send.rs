use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{BankError, BankStateReadExt, BankStateWriteExt, event, msg::Send};

impl ActionHandler for Send {
    type Error = BankError;
    type Checked = ();
    const KIND: &'static str = "bank/send";
    const BASE_GAS: u64 = 2_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), BankError> {
        for coin in &self.amount {
            state.check_can_receive(&self.to, &coin.denom)?;
            let have = state.balance(&ctx.signer, &coin.denom)?;
            if have < coin.amount {
                return Err(super::short_of(
                    state,
                    &ctx.signer,
                    &coin.denom,
                    have,
                    coin.amount,
                ));
            }
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
            state.transfer(&ctx.signer, &self.to, coin)?;
            ctx.emit(event::transfer(&ctx.signer, &self.to, coin));
        }
        Ok(())
    }
}
