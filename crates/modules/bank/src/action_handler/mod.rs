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

/// Refuses `recipient` for a `kyc_only` denom unless it is KYC'd and not
/// frozen (the CBDC / regulated-stablecoin case). Other denoms pass.
fn require_can_hold<S: StateRead>(
    state: &S,
    recipient: &Address,
    denom: &fructus_types::Denom,
    ctx: &fructus_component::TxContext<'_>,
) -> Result<(), BankError> {
    let kyc_only = state
        .denom_metadata(denom)?
        .is_some_and(|meta| meta.kyc_only);
    if !kyc_only {
        return Ok(());
    }
    fructus_identity::check_can_hold_kyc_only(state, recipient, ctx.block.height, ctx.block.time)
        .map_err(|e| BankError::RecipientNotAllowed {
            address: *recipient,
            denom: denom.to_string(),
            reason: e.to_string(),
        })
}
