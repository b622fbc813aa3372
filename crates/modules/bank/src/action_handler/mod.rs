//! One file per bank message: stateless check, stateful check, execute.

mod burn;
mod create_denom;
mod mint;
mod multi_send;
mod send;

use fructus_storage::StateRead;
use fructus_types::{Address, Amount, Coin, Denom};

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

/// The refusal of a transfer of `need` `denom` by `signer`, who has only
/// `have`: insufficient funds, or — when the denom has no supply at all —
/// that no such token exists (a misspelt denom is the likelier mistake).
fn short_of<S: StateRead>(
    state: &S,
    signer: &Address,
    denom: &Denom,
    have: Amount,
    need: Amount,
) -> BankError {
    match state.supply(denom) {
        Ok(supply) if supply == Amount::ZERO => BankError::UnknownDenom {
            denom: denom.to_string(),
        },
        Ok(_) => BankError::InsufficientFunds {
            address: *signer,
            denom: denom.to_string(),
            available: have,
            required: need,
        },
        Err(e) => e,
    }
}
