use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    CertificateError, CertificateStateReadExt, CertificateStateWriteExt, Issuer, event,
    msg::AccreditIssuer,
};

use super::require_regulator;

impl ActionHandler for AccreditIssuer {
    type Error = CertificateError;
    type Checked = ();
    const KIND: &'static str = "certificate/accredit_issuer";
    const BASE_GAS: u64 = 10_000;

    /// A regulator signs; the account is not accredited now (a revoked
    /// issuer may be accredited again).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), CertificateError> {
        require_regulator(state, &ctx.signer, "accredit certificate issuers")?;
        if state.issuer(&self.issuer)?.is_some_and(|i| i.is_active()) {
            return Err(CertificateError::AlreadyAccredited {
                address: self.issuer,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        let issuer = Issuer {
            address: self.issuer,
            name: self.name.clone(),
            accredited_by: ctx.signer,
            accredited_height: ctx.block.height,
            revoked_height: None,
        };
        state.put_issuer(&issuer)?;
        ctx.emit(event::issuer_accredited(&issuer));
        Ok(())
    }
}
