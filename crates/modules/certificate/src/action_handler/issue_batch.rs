use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    CertificateClass, CertificateError, CertificateStateReadExt, CertificateStateWriteExt,
    NATIVE_REGISTRY, event, msg::IssueBatch,
};

impl ActionHandler for IssueBatch {
    type Error = CertificateError;
    type Checked = CertificateClass;
    const KIND: &'static str = "certificate/issue_batch";
    const BASE_GAS: u64 = 30_000;

    /// Order of checks: the signer is an accredited issuer, the class
    /// exists and is its own, the quantity is within the parameter
    /// `max_batch_quantity`, the serial range is free in the class. The
    /// recipient meets bank's gate when the units are minted.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<CertificateClass, CertificateError> {
        state.require_active_issuer(&ctx.signer)?;
        let class = state.require_class(self.terms.class_id)?;
        if class.issuer != ctx.signer {
            return Err(CertificateError::NotClassIssuer {
                class_id: class.id,
                issuer: class.issuer,
                signer: ctx.signer,
            });
        }
        let params = state.certificate_params()?;
        if self.terms.quantity > params.max_batch_quantity {
            return Err(CertificateError::field(
                "quantity",
                format!(
                    "at most {} (parameter max_batch_quantity)",
                    params.max_batch_quantity
                ),
            ));
        }
        state.check_serials_free(
            class.id,
            NATIVE_REGISTRY,
            self.terms.serial_start,
            self.terms.serial_last(),
        )?;
        Ok(class)
    }

    fn execute<S: StateWrite>(
        &self,
        class: CertificateClass,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        let recipient = self.recipient.unwrap_or(ctx.signer);
        let batch = state.create_batch(
            &class,
            &self.terms,
            NATIVE_REGISTRY,
            None,
            self.mint_now,
            &recipient,
            ctx.block.height,
        )?;
        ctx.emit(event::batch_issued(&batch, &recipient));
        Ok(())
    }
}
