use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    CertificateError, CertificateStateReadExt, CertificateStateWriteExt, event, msg::CreateClass,
};

impl ActionHandler for CreateClass {
    type Error = CertificateError;
    type Checked = ();
    const KIND: &'static str = "certificate/create_class";
    const BASE_GAS: u64 = 15_000;

    /// The signer is an accredited issuer.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), CertificateError> {
        state.require_active_issuer(&ctx.signer).map(|_| ())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        let class = state.create_class(
            self.kind,
            &self.name,
            &self.methodology_id,
            self.kyc_only,
            &ctx.signer,
            ctx.block.height,
        )?;
        ctx.emit(event::class_created(&class));
        Ok(())
    }
}
