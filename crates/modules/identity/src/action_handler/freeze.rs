use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    FreezeRecord, IdentityError, IdentityStateReadExt, IdentityStateWriteExt, event, msg::Freeze,
};

impl ActionHandler for Freeze {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/freeze";
    const BASE_GAS: u64 = 4_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_regulator(state, &ctx.signer, "freeze accounts")?;
        if state.is_regulator(&self.account)? {
            return Err(IdentityError::CannotFreezeRegulator {
                account: self.account,
            });
        }
        if state.is_frozen(&self.account)? {
            return Err(IdentityError::AlreadyFrozen {
                account: self.account,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), IdentityError> {
        state.put_freeze(&FreezeRecord {
            account: self.account,
            by: ctx.signer,
            reason: self.reason.clone(),
            height: ctx.block.height,
        })?;
        ctx.emit(event::freeze(&self.account, &ctx.signer, &self.reason));
        Ok(())
    }
}
