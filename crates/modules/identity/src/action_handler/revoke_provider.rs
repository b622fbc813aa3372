use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    IdentityError, IdentityStateReadExt, IdentityStateWriteExt, event, msg::RevokeProvider,
};

impl ActionHandler for RevokeProvider {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/revoke_provider";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_regulator(state, &ctx.signer, "revoke KYC providers")?;
        if !state.is_provider(&self.provider)? {
            return Err(IdentityError::NotAccredited {
                provider: self.provider,
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
        state.delete_provider(&self.provider);
        if self.void_attestations {
            state.void_attestations_of(&self.provider, ctx.block.height)?;
        }
        ctx.emit(event::revoke_provider(
            &self.provider,
            &ctx.signer,
            &self.reason,
            self.void_attestations,
        ));
        Ok(())
    }
}
