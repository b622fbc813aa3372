use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{BankError, BankStateReadExt, BankStateWriteExt, event, msg::Mint};

use super::require_issuer;

impl ActionHandler for Mint {
    type Error = BankError;
    type Checked = ();
    const KIND: &'static str = "bank/mint";
    const BASE_GAS: u64 = 3_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), BankError> {
        if self.amount.denom.is_native() {
            return Err(BankError::ReservedDenom {
                denom: self.amount.denom.to_string(),
                reason: "the native token has no issuer and cannot be minted by a message",
            });
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), BankError> {
        require_issuer(state, &ctx.signer, &self.amount)?;
        state.check_can_receive(&self.to, &self.amount.denom)
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), BankError> {
        state.mint(&self.to, &self.amount)?;
        ctx.emit(event::mint(&ctx.signer, &self.to, &self.amount));
        Ok(())
    }
}
