use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AuthError, AuthStateReadExt, AuthStateWriteExt, event, msg::RevokeFee};

impl ActionHandler for RevokeFee {
    type Error = AuthError;
    type Checked = ();
    const KIND: &'static str = "auth/revoke_fee";
    const BASE_GAS: u64 = 2_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AuthError> {
        if state.fee_grant(&ctx.signer, &self.grantee)?.is_none() {
            return Err(AuthError::GrantNotFound {
                granter: ctx.signer,
                grantee: self.grantee,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AuthError> {
        state.delete_fee_grant(&ctx.signer, &self.grantee);
        ctx.emit(event::revoke_fee(&ctx.signer, &self.grantee));
        Ok(())
    }
}
