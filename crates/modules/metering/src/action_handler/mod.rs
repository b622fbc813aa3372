//! One file per metering message: stateless check, stateful check, execute.

mod accept_contract;
mod close_contract;
mod decommission_device;
mod fund_incentive;
mod open_contract;
mod reattest_device;
mod register_device;
mod report_tamper;
mod rotate_device_key;
mod set_oracles;
mod set_plausibility_bound;
mod settle;
mod submit_oracle_reading;
mod submit_reading;
mod top_up;

use fructus_auth::AuthStateReadExt;
use fructus_component::{Event, TxContext};
use fructus_storage::StateRead;
use fructus_types::{Address, Coin, PublicKey};

use crate::{Contract, ContractStatus, MeteringError, billing::Split, event};

/// Emits the events billing collected.
fn emit_all(ctx: &mut TxContext<'_>, events: Vec<Event>) {
    for e in events {
        ctx.emit(e);
    }
}

/// Emits where a collection went (nothing for an empty one).
fn emit_split(ctx: &mut TxContext<'_>, c: &Contract, from: &Address, split: &Split) {
    let total = [
        split.maintainer,
        split.platform,
        split.penalty,
        split.shareholders,
    ];
    if total.iter().all(|a| a.is_zero()) {
        return;
    }
    ctx.emit(event::split(c, from, split));
    if let Some(credited) = &split.credited {
        ctx.emit(credited.event());
    }
}

/// Registration: the key was never a device key, and it signs for its own
/// derived account (which becomes the device's account, funds included —
/// they stay with the key's holder). A key rotated onto another account,
/// or whose derived account was rotated to another key, is refused.
fn require_own_key<S: StateRead>(state: &S, key: &PublicKey) -> Result<(), MeteringError> {
    use crate::MeteringStateReadExt;
    let in_use = || MeteringError::KeyInUse { key: key.to_hex() };
    if state.device_of_key(key)?.is_some() {
        return Err(in_use());
    }
    let address = key.address();
    if state.account_of_key(key)?.is_some_and(|a| a != address) {
        return Err(in_use());
    }
    if state
        .account(&address)?
        .and_then(|a| a.public_key)
        .is_some_and(|k| k != *key)
    {
        return Err(in_use());
    }
    Ok(())
}

/// Rotation: the new key must be unused anywhere — not a device key, not
/// bound to an account, and its derived address neither signed nor holds
/// funds: binding it to the device's account would strand whatever its
/// own account holds.
fn require_fresh_key<S: StateRead>(state: &S, key: &PublicKey) -> Result<(), MeteringError> {
    use crate::MeteringStateReadExt;
    use fructus_bank::BankStateReadExt;
    let in_use = || MeteringError::KeyInUse { key: key.to_hex() };
    if state.device_of_key(key)?.is_some() || state.account_of_key(key)?.is_some() {
        return Err(in_use());
    }
    if !state.balances(&key.address())?.is_empty() {
        return Err(in_use());
    }
    if state
        .account(&key.address())?
        .is_some_and(|a| a.public_key.is_some())
    {
        return Err(in_use());
    }
    Ok(())
}

/// Refuses a payment in another denom than the contract's.
fn require_denom(c: &Contract, coin: &Coin) -> Result<(), MeteringError> {
    if coin.denom != c.terms.price.denom {
        return Err(MeteringError::WrongDenom {
            contract_id: c.id,
            expected: c.terms.price.denom.to_string(),
            got: coin.denom.to_string(),
        });
    }
    Ok(())
}

/// Refuses unless the contract is accepted and not closed.
fn require_running(c: &Contract) -> Result<(), MeteringError> {
    if !matches!(c.status, ContractStatus::Active | ContractStatus::Suspended) {
        return Err(MeteringError::WrongStatus {
            contract_id: c.id,
            status: c.status.to_string(),
            expected: "active or suspended",
        });
    }
    Ok(())
}
