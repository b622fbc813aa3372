//! One file per bank message: stateless check, stateful check, execute.

mod burn;
mod create_denom;
mod mint;
mod multi_send;
mod send;

use fructus_storage::StateRead;
use fructus_types::{Address, Coin};

use crate::{BankError, BankStateReadExt};

/// Refuses unless `signer` is the registered issuer of `coin`'s denom.
fn require_issuer<S: StateRead>(state: &S, signer: &Address, coin: &Coin) -> Result<(), BankError> {
    let meta = state
        .denom_metadata(&coin.denom)?
        .ok_or_else(|| BankError::DenomNotFound {
            denom: coin.denom.to_string(),
        })?;
    if meta.issuer.as_ref() != Some(signer) {
        return Err(BankError::NotIssuer {
            denom: coin.denom.to_string(),
            signer: *signer,
        });
    }
    Ok(())
}
