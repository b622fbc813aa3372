use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    IdentityError, IdentityStateReadExt, IdentityStateWriteExt, MAX_PROVIDERS, ProviderRecord,
    event, msg::AccreditProvider,
};

impl ActionHandler for AccreditProvider {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/accredit_provider";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_regulator(state, &ctx.signer, "accredit KYC providers")?;
        if state.is_regulator(&self.provider)? {
            return Err(IdentityError::field(
                "provider",
                format!(
                    "{} is a regulator, which attests without accreditation",
                    self.provider
                ),
            ));
        }
        if state.is_provider(&self.provider)? {
            return Err(IdentityError::AlreadyAccredited {
                provider: self.provider,
            });
        }
        if state.providers()?.len() >= MAX_PROVIDERS {
            return Err(IdentityError::TooManyProviders { max: MAX_PROVIDERS });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), IdentityError> {
        state.put_provider(&ProviderRecord {
            provider: self.provider,
            accredited_by: Some(ctx.signer),
            since_height: ctx.block.height,
        })?;
        ctx.emit(event::accredit_provider(&self.provider, &ctx.signer));
        Ok(())
    }
}
