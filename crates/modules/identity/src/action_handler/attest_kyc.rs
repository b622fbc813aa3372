use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Attestation, IdentityError, IdentityStateReadExt, IdentityStateWriteExt,
    MAX_ATTESTATIONS_PER_SUBJECT, event, msg::AttestKyc,
};

impl ActionHandler for AttestKyc {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/attest_kyc";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        if !state.may_attest(&ctx.signer)? {
            return Err(IdentityError::NotAttester { signer: ctx.signer });
        }
        if self.subject == ctx.signer {
            return Err(IdentityError::SelfAttestation { signer: ctx.signer });
        }
        if let Some(expiry) = self.expiry_height
            && expiry < ctx.block.height
        {
            return Err(IdentityError::ExpiryInPast {
                reason: format!(
                    "expiry_height {expiry} is below the current height {}",
                    ctx.block.height
                ),
            });
        }
        if let Some(expiry) = self.expiry_time
            && expiry <= ctx.block.time
        {
            return Err(IdentityError::ExpiryInPast {
                reason: format!(
                    "expiry_time_ms {} is not after the current block time {}",
                    expiry.millis(),
                    ctx.block.time.millis()
                ),
            });
        }
        if state.attestation(&self.subject, &ctx.signer)?.is_none()
            && state.attestations(&self.subject)?.len() >= MAX_ATTESTATIONS_PER_SUBJECT
        {
            return Err(IdentityError::TooManyAttestations {
                subject: self.subject,
                max: MAX_ATTESTATIONS_PER_SUBJECT,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), IdentityError> {
        let att = Attestation {
            subject: self.subject,
            provider: ctx.signer,
            level: self.level,
            issued_height: ctx.block.height,
            issued_time: ctx.block.time,
            expiry_height: self.expiry_height,
            expiry_time: self.expiry_time,
            kyc_file_sha256: self.kyc_file_sha256,
            revoked: None,
        };
        state.put_attestation(&att)?;
        ctx.emit(event::attest_kyc(&att));
        Ok(())
    }
}
