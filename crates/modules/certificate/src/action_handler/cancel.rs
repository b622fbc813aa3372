use fructus_bank::BankStateReadExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Batch, CertificateError, CertificateStateReadExt, CertificateStateWriteExt, event, msg::Cancel,
};

impl ActionHandler for Cancel {
    type Error = CertificateError;
    type Checked = Batch;
    const KIND: &'static str = "certificate/cancel";
    const BASE_GAS: u64 = 15_000;

    /// The batch exists, the signer is its issuer and holds the amount.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Batch, CertificateError> {
        let batch = state.require_batch(self.batch_id)?;
        if batch.issuer != ctx.signer {
            return Err(CertificateError::NotBatchIssuer {
                batch_id: batch.id,
                issuer: batch.issuer,
                signer: ctx.signer,
            });
        }
        let held = state.balance(&ctx.signer, &batch.denom())?;
        if held.value() < u128::from(self.amount) {
            return Err(CertificateError::InsufficientCertificates {
                holder: ctx.signer,
                batch_id: batch.id,
                held: held.value(),
                requested: self.amount,
            });
        }
        Ok(batch)
    }

    fn execute<S: StateWrite>(
        &self,
        batch: Batch,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        let (batch, first, last) = state.write_cancellation(batch, self.amount)?;
        ctx.emit(event::cancelled(
            &batch,
            self.amount,
            first,
            last,
            &self.reason,
        ));
        Ok(())
    }
}
