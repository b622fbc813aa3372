use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    CertificateClass, CertificateError, CertificateStateReadExt, CertificateStateWriteExt, event,
    msg::BridgeIn,
};

/// What a bridge-in does: mint a new batch, or nothing (the source
/// transaction was already bridged with the same serials).
pub enum Bridge {
    /// A new batch of this class.
    New(CertificateClass),
    /// Already bridged as this batch.
    Duplicate(u64),
}

impl ActionHandler for BridgeIn {
    type Error = CertificateError;
    type Checked = Bridge;
    const KIND: &'static str = "certificate/bridge_in";
    const BASE_GAS: u64 = 30_000;

    /// Order of checks: the signer is an accredited issuer and the class
    /// is its own; a source transaction already bridged is a no-op if its
    /// class and serials are the same and refused otherwise; the range is
    /// free among the batches bridged from the same registry into the
    /// class, and within `max_batch_quantity`.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Bridge, CertificateError> {
        state.require_active_issuer(&ctx.signer)?;
        let class = state.require_class(self.terms.class_id)?;
        if class.issuer != ctx.signer {
            return Err(CertificateError::NotClassIssuer {
                class_id: class.id,
                issuer: class.issuer,
                signer: ctx.signer,
            });
        }
        if let Some(batch_id) = state.bridged(&self.source_registry, &self.source_tx_id)? {
            let b = state.require_batch(batch_id)?;
            if b.class_id == class.id
                && b.serial_start == self.terms.serial_start
                && b.quantity == self.terms.quantity
            {
                return Ok(Bridge::Duplicate(batch_id));
            }
            return Err(CertificateError::BridgeTxConflict {
                registry: self.source_registry.clone(),
                tx_id: self.source_tx_id.clone(),
                batch_id,
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
            &self.source_registry,
            self.terms.serial_start,
            self.terms.serial_last(),
        )?;
        Ok(Bridge::New(class))
    }

    fn execute<S: StateWrite>(
        &self,
        checked: Bridge,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        let class = match checked {
            Bridge::Duplicate(batch_id) => {
                ctx.emit(event::bridged_in(
                    batch_id,
                    &self.source_registry,
                    &self.source_tx_id,
                    true,
                ));
                return Ok(());
            }
            Bridge::New(class) => class,
        };
        let recipient = self.recipient.unwrap_or(ctx.signer);
        let batch = state.create_batch(
            &class,
            &self.terms,
            &self.source_registry,
            Some(self.source_tx_id.clone()),
            self.terms.quantity,
            &recipient,
            ctx.block.height,
        )?;
        state.put_bridged(&self.source_registry, &self.source_tx_id, batch.id)?;
        ctx.emit(event::batch_issued(&batch, &recipient));
        ctx.emit(event::bridged_in(
            batch.id,
            &self.source_registry,
            &self.source_tx_id,
            false,
        ));
        Ok(())
    }
}
