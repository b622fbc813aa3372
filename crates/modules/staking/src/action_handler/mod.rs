//! One file per staking message: stateless check, stateful check, execute.

pub mod create_validator;
mod delegate;
mod edit_validator;
mod redelegate;
mod undelegate;
mod unjail;
mod withdraw_rewards;

use fructus_types::Amount;

use crate::{Delegation, StakingError, Validator};

/// Shares that `amount` new tokens buy in `v`, rounded down (the
/// delegator never gets more than it paid for). The first delegation (no
/// shares yet) gets one share per token.
fn shares_for(v: &Validator, amount: u128) -> Result<u128, StakingError> {
    if v.shares == 0 {
        return Ok(amount);
    }
    if v.tokens == 0 {
        return Err(StakingError::NoTokens {
            validator: v.operator,
        });
    }
    let shares = Amount::new(amount)
        .mul_div_floor(v.shares, v.tokens)
        .map_err(|_| StakingError::overflow("shares"))?
        .value();
    if shares == 0 {
        return Err(StakingError::field(
            "amount",
            format!("{amount} ufrx buys no share of validator {}", v.operator),
        ));
    }
    Ok(shares)
}

/// Shares to remove from `d` to take `amount` tokens out of `v`, rounded
/// up (the protocol never pays out more than the shares are worth).
/// Refuses more than the delegation is worth.
pub(crate) fn shares_to_take(
    v: &Validator,
    d: &Delegation,
    amount: u128,
) -> Result<u128, StakingError> {
    let have = v.tokens_of(d.shares)?;
    if amount > have {
        return Err(StakingError::InsufficientDelegation { have, want: amount });
    }
    // amount ≤ have ≤ tokens, and amount > 0, so tokens > 0 here.
    let shares = Amount::new(amount)
        .mul_div_ceil(v.shares, v.tokens)
        .map_err(|_| StakingError::overflow("shares"))?
        .value();
    Ok(shares.min(d.shares))
}

/// Adds `shares`/`amount` to both records.
fn add_stake(
    v: &mut Validator,
    d: &mut Delegation,
    amount: u128,
    shares: u128,
) -> Result<(), StakingError> {
    let overflow = || StakingError::overflow("stake");
    v.tokens = v.tokens.checked_add(amount).ok_or_else(overflow)?;
    v.shares = v.shares.checked_add(shares).ok_or_else(overflow)?;
    d.shares = d.shares.checked_add(shares).ok_or_else(overflow)?;
    Ok(())
}

/// Removes `shares`/`amount` from both records.
pub(crate) fn remove_stake(
    v: &mut Validator,
    d: &mut Delegation,
    amount: u128,
    shares: u128,
) -> Result<(), StakingError> {
    let underflow = || StakingError::overflow("stake");
    v.tokens = v.tokens.checked_sub(amount).ok_or_else(underflow)?;
    v.shares = v.shares.checked_sub(shares).ok_or_else(underflow)?;
    d.shares = d.shares.checked_sub(shares).ok_or_else(underflow)?;
    crate::rewards::clamp_carry(v);
    Ok(())
}

/// `delegator`'s delegation to `v`, or an empty one starting now.
fn delegation_or_new<S: crate::StakingStateReadExt + ?Sized>(
    state: &S,
    delegator: &fructus_types::Address,
    v: &Validator,
) -> Result<Delegation, StakingError> {
    Ok(state
        .delegation(delegator, &v.operator)?
        .unwrap_or(Delegation {
            delegator: *delegator,
            validator: v.operator,
            shares: 0,
            checkpoint: v.reward_acc,
            frac: 0,
        }))
}

/// Refuses stake for a tombstoned validator.
fn accepts_stake(v: &Validator) -> Result<(), StakingError> {
    if v.tombstoned {
        return Err(StakingError::Tombstoned {
            validator: v.operator,
        });
    }
    Ok(())
}
