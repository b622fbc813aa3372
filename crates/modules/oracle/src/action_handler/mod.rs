//! One file per oracle message: a stateful check that loads and validates
//! what the message needs, and an `execute` that only writes.

mod accredit_feeder;
mod revoke_feeder;
mod submit_price;

use fructus_identity::IdentityStateReadExt;
use fructus_storage::StateRead;
use fructus_types::Address;

use crate::OracleError;

fn require_regulator<S: StateRead>(
    state: &S,
    signer: &Address,
    action: &'static str,
) -> Result<(), OracleError> {
    if !state.is_regulator(signer)? {
        return Err(OracleError::NotRegulator {
            signer: *signer,
            action,
        });
    }
    Ok(())
}
