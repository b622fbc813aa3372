//! One file per credit message: a stateful check that loads and validates
//! what the message needs once and hands it to `execute`, which only
//! writes.

mod agency;
mod bid;
mod claim_income;
mod cover_bad_debt;
mod deposit;
mod liquidate;
mod mint;
mod open_vault;
mod rate;
mod repay;
mod withdraw;

use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{CreditError, CreditStateReadExt, Vault};

fn require_regulator<S: StateRead>(
    state: &S,
    signer: &Address,
    action: &'static str,
) -> Result<(), CreditError> {
    if !state.credit_is_regulator(signer)? {
        return Err(CreditError::NotRegulator {
            signer: *signer,
            action,
        });
    }
    Ok(())
}

/// The vault, if `signer` owns it and it is not in auction.
fn owned_vault<S: StateRead>(state: &S, id: u64, signer: &Address) -> Result<Vault, CreditError> {
    let vault = state.require_vault(id)?;
    if vault.owner != *signer {
        return Err(CreditError::NotOwner {
            vault_id: id,
            owner: vault.owner,
            signer: *signer,
        });
    }
    if vault.auction.is_some() {
        return Err(CreditError::InAuction { vault_id: id });
    }
    Ok(vault)
}
