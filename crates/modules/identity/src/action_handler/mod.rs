//! One file per identity message: stateless check, stateful check, execute.

mod accredit_provider;
mod attest_kyc;
mod freeze;
mod register_encryption_key;
mod revoke_attestation;
mod revoke_provider;
mod store_record;
mod unfreeze;

use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{IdentityError, IdentityStateReadExt};

/// Refuses unless `signer` is a current regulator.
fn require_regulator<S: StateRead>(
    state: &S,
    signer: &Address,
    action: &'static str,
) -> Result<(), IdentityError> {
    if !state.is_regulator(signer)? {
        return Err(IdentityError::NotRegulator {
            signer: *signer,
            action,
        });
    }
    Ok(())
}
