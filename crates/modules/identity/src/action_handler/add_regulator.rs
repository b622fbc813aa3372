use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_governance;
use crate::{
    IdentityError, IdentityStateReadExt, IdentityStateWriteExt, MAX_REGULATORS, event,
    msg::AddRegulator,
};

impl ActionHandler for AddRegulator {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/add_regulator";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_governance(&ctx.signer)?;
        if state.is_regulator(&self.regulator)? {
            return Err(IdentityError::AlreadyRegulator {
                address: self.regulator,
            });
        }
        if state.regulators()?.len() >= MAX_REGULATORS {
            return Err(IdentityError::TooManyRegulators {
                max: MAX_REGULATORS,
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
        state.put_regulator(&self.regulator, ctx.block.height)?;
        // A regulator needs no accreditation: drop a provider record so the
        // two roles never overlap.
        state.delete_provider(&self.regulator);
        ctx.emit(event::add_regulator(&self.regulator, &ctx.signer));
        Ok(())
    }
}
