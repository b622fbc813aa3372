use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{BankError, BankStateWriteExt, event, msg::Burn};

use super::require_issuer;

impl ActionHandler for Burn {
    type Error = BankError;
    type Checked = ();
    const KIND: &'static str = "bank/burn";
    const BASE_GAS: u64 = 3_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), BankError> {
        require_issuer(state, &ctx.signer, &self.amount)
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), BankError> {
        state.burn(&ctx.signer, &self.amount)?;
        ctx.emit(event::burn(&ctx.signer, &self.amount));
        Ok(())
    }
}
