use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_governance;
use crate::{
    IdentityError, IdentityStateReadExt, IdentityStateWriteExt, event, msg::RemoveRegulator,
};

impl ActionHandler for RemoveRegulator {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/remove_regulator";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_governance(&ctx.signer)?;
        let regulators = state.regulators()?;
        if !regulators.contains(&self.regulator) {
            return Err(IdentityError::UnknownRegulator {
                address: self.regulator,
            });
        }
        if regulators.len() <= 1 {
            return Err(IdentityError::LastRegulator {
                address: self.regulator,
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
        state.delete_regulator(&self.regulator);
        ctx.emit(event::remove_regulator(&self.regulator, &ctx.signer));
        Ok(())
    }
}
