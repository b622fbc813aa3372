use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{IdentityError, IdentityStateReadExt, IdentityStateWriteExt, event, msg::Unfreeze};

impl ActionHandler for Unfreeze {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/unfreeze";
    const BASE_GAS: u64 = 4_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_regulator(state, &ctx.signer, "unfreeze accounts")?;
        if !state.is_frozen(&self.account)? {
            return Err(IdentityError::NotFrozen {
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
        state.delete_freeze(&self.account);
        ctx.emit(event::unfreeze(&self.account, &ctx.signer, &self.reason));
        Ok(())
    }
}
