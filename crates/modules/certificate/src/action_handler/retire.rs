use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Batch, CertificateError, CertificateStateReadExt, CertificateStateWriteExt, msg::Retire,
};

impl ActionHandler for Retire {
    type Error = CertificateError;
    type Checked = Batch;
    const KIND: &'static str = "certificate/retire";
    const BASE_GAS: u64 = 20_000;

    /// The checks of the retire API: the batch exists, the signer passes
    /// the gate for its denom and holds the amount.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Batch, CertificateError> {
        state.check_retire(&ctx.signer, self.batch_id, self.amount)
    }

    fn execute<S: StateWrite>(
        &self,
        batch: Batch,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        let record = state.write_retirement(batch, &ctx.signer, self.amount, &self.details)?;
        ctx.emit(record.event());
        Ok(())
    }
}
