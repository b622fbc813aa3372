use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Attestation, IdentityError, IdentityStateReadExt, IdentityStateWriteExt, Revocation, event,
    msg::RevokeAttestation,
};

impl ActionHandler for RevokeAttestation {
    type Error = IdentityError;
    /// The attestation, present and not yet revoked.
    type Checked = Attestation;
    const KIND: &'static str = "identity/revoke_attestation";
    const BASE_GAS: u64 = 4_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Attestation, IdentityError> {
        if ctx.signer != self.provider && !state.is_regulator(&ctx.signer)? {
            return Err(IdentityError::NotAllowedToRevoke {
                signer: ctx.signer,
                provider: self.provider,
            });
        }
        let att = state.attestation(&self.subject, &self.provider)?.ok_or(
            IdentityError::AttestationNotFound {
                subject: self.subject,
                provider: self.provider,
            },
        )?;
        if let Some(r) = &att.revoked {
            return Err(IdentityError::AttestationAlreadyRevoked {
                subject: self.subject,
                provider: self.provider,
                height: r.height,
            });
        }
        Ok(att)
    }

    fn execute<S: StateWrite>(
        &self,
        mut att: Attestation,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), IdentityError> {
        att.revoked = Some(Revocation {
            by: ctx.signer,
            height: ctx.block.height,
            reason: self.reason.clone(),
        });
        state.put_attestation(&att)?;
        ctx.emit(event::revoke_attestation(
            &self.subject,
            &self.provider,
            &ctx.signer,
            &self.reason,
        ));
        Ok(())
    }
}
