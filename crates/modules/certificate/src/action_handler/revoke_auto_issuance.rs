use fructus_component::{ActionHandler, TxContext};
use fructus_identity::IdentityStateReadExt;
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Authorization, CertificateError, CertificateStateReadExt, CertificateStateWriteExt, event,
    msg::RevokeAutoIssuance,
};

impl ActionHandler for RevokeAutoIssuance {
    type Error = CertificateError;
    type Checked = Authorization;
    const KIND: &'static str = "certificate/revoke_auto_issuance";
    const BASE_GAS: u64 = 10_000;

    /// The asset has an authorization, and the signer granted it or is a
    /// regulator.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Authorization, CertificateError> {
        let auth =
            state
                .authorization(self.asset_id)?
                .ok_or(CertificateError::AuthorizationNotFound {
                    asset_id: self.asset_id,
                })?;
        if auth.issuer != ctx.signer && !state.is_regulator(&ctx.signer)? {
            return Err(CertificateError::NotAuthorizer {
                asset_id: self.asset_id,
                issuer: auth.issuer,
                signer: ctx.signer,
            });
        }
        Ok(auth)
    }

    fn execute<S: StateWrite>(
        &self,
        auth: Authorization,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        state.delete_authorization(auth.asset_id);
        ctx.emit(event::auto_issuance_revoked(&auth, &ctx.signer));
        Ok(())
    }
}
