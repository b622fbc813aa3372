use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    CertificateError, CertificateStateReadExt, CertificateStateWriteExt, Issuer, event,
    msg::RevokeIssuer,
};

use super::require_regulator;

impl ActionHandler for RevokeIssuer {
    type Error = CertificateError;
    type Checked = Issuer;
    const KIND: &'static str = "certificate/revoke_issuer";
    const BASE_GAS: u64 = 10_000;

    /// A regulator signs; the issuer is accredited now. What it issued
    /// stays valid; it issues nothing more (its auto-issuance
    /// authorizations hold MWh back in their carry).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Issuer, CertificateError> {
        require_regulator(state, &ctx.signer, "revoke certificate issuers")?;
        state.require_active_issuer(&self.issuer)
    }

    fn execute<S: StateWrite>(
        &self,
        mut issuer: Issuer,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        issuer.revoked_height = Some(ctx.block.height);
        state.put_issuer(&issuer)?;
        ctx.emit(event::issuer_revoked(
            &self.issuer,
            &ctx.signer,
            &self.reason,
        ));
        Ok(())
    }
}
