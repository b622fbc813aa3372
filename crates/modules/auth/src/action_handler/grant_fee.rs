use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AuthError, AuthStateWriteExt, FeeGrant, event, msg::GrantFee};

impl ActionHandler for GrantFee {
    type Error = AuthError;
    type Checked = ();
    const KIND: &'static str = "auth/grant_fee";
    const BASE_GAS: u64 = 4_000;

    fn check_stateful<S: StateRead>(
        &self,
        _state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AuthError> {
        if self.grantee == ctx.signer {
            return Err(AuthError::SelfGrant);
        }
        if let Some(expiry) = self.expiry_height
            && expiry < ctx.block.height
        {
            return Err(AuthError::field(
                "expiry_height",
                format!(
                    "{expiry} is already past (current height {})",
                    ctx.block.height
                ),
            ));
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AuthError> {
        state.put_fee_grant(&FeeGrant {
            granter: ctx.signer,
            grantee: self.grantee,
            remaining: self.spend_limit.iter().cloned().collect(),
            expiry_height: self.expiry_height,
            allowed_messages: self.allowed_messages.clone(),
        })?;
        ctx.emit(event::grant_fee(&ctx.signer, &self.grantee));
        Ok(())
    }
}
