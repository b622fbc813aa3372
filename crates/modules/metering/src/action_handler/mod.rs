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

pub use close_contract::CloseStep;
pub use submit_oracle_reading::CheckedOracleReading;
pub use submit_reading::CheckedReading;

use fructus_auth::AuthStateReadExt;
use fructus_component::{BlockContext, Event, TxContext};
use fructus_storage::StateRead;
use fructus_types::{Address, Coin, PublicKey};

use crate::{Contract, ContractStatus, Device, MeteringError, billing::Split, event};

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

/// Registration: the key is fresh. It was never a device key, it controls
/// no account (not bound in the key index, and its derived account never
/// signed), and its derived account — which becomes the device's account,
/// funds included (they stay with the key's holder, who consented) — holds
/// nothing that tier `device` would take away: no tier above individual,
/// no KYC attestation (even expired: a renewal would be shadowed), no KYC
/// provider role. So registering a device never demotes an account.
fn require_fresh_device_key<S: StateRead>(
    state: &S,
    key: &PublicKey,
    block: &BlockContext,
) -> Result<(), MeteringError> {
    use crate::MeteringStateReadExt;
    use fructus_identity::{IdentityStateReadExt, Tier};
    if state.device_of_key(key)?.is_some() {
        return Err(MeteringError::KeyInUse { key: key.to_hex() });
    }
    let is_account_key = |account: Address| MeteringError::KeyIsAccountKey {
        key: key.to_hex(),
        account,
    };
    if let Some(account) = state.account_of_key(key)? {
        return Err(is_account_key(account));
    }
    let address = key.address();
    if state
        .account(&address)?
        .is_some_and(|a| a.public_key.is_some())
    {
        return Err(is_account_key(address));
    }
    let standing = |standing: String| MeteringError::AccountHasStanding {
        key: key.to_hex(),
        account: address,
        standing,
    };
    let tier = state.tier(&address, block.height, block.time)?;
    if tier != Tier::Individual {
        return Err(standing(format!("tier {tier}")));
    }
    if !state.attestations(&address)?.is_empty() {
        return Err(standing("KYC-attested".into()));
    }
    if state.is_provider(&address)? {
        return Err(standing("a KYC provider".into()));
    }
    Ok(())
}

/// The key that controls the device's account now. It is the device's
/// recorded key unless the device rotated it through `auth/rotate_key`,
/// which metering does not see; the account's key is the one that signs.
fn controlling_key<S: StateRead>(state: &S, device: &Device) -> Result<PublicKey, MeteringError> {
    Ok(state
        .account(&device.address)?
        .and_then(|a| a.public_key)
        .unwrap_or_else(|| device.key.clone()))
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
