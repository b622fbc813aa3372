//! One file per certificate message. Each handler's stateful check reads
//! and validates everything the message needs and returns it as a
//! `Checked` value; `execute` consumes that value and only writes, so no
//! record is read or checked twice within the execution.

mod accredit_issuer;
mod bridge_in;
mod cancel;
mod create_class;
mod grant_auto_issuance;
mod issue_batch;
mod retire;
mod revoke_auto_issuance;
mod revoke_issuer;

use fructus_identity::IdentityStateReadExt;
use fructus_storage::StateRead;
use fructus_types::Address;

use crate::CertificateError;

/// Refuses unless `signer` is a current regulator.
fn require_regulator<S: StateRead>(
    state: &S,
    signer: &Address,
    action: &'static str,
) -> Result<(), CertificateError> {
    if !state.is_regulator(signer)? {
        return Err(CertificateError::NotRegulator {
            signer: *signer,
            action,
        });
    }
    Ok(())
}
