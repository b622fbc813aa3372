//! One file per identity message: stateless check, stateful check, execute.

mod accredit_provider;
mod add_regulator;
mod attest_kyc;
mod freeze;
mod register_encryption_key;
mod remove_regulator;
mod revoke_attestation;
mod revoke_provider;
mod store_record;
mod unfreeze;

use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{IdentityError, IdentityStateReadExt, governance_address};

/// Refuses unless `signer` is the governance module account.
fn require_governance(signer: &Address) -> Result<(), IdentityError> {
    let governance = governance_address();
    if signer != &governance {
        return Err(IdentityError::NotGovernance {
            signer: *signer,
            governance,
        });
    }
    Ok(())
}

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
