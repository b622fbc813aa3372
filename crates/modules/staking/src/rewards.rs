//! Fee rewards: per-block distribution to the active set and the
//! reward-per-share accumulator of each validator.
//!
//! ## Per block (`end_block`)
//! First `floor(fees · community_pool_share_bps / 10000)` of the fee
//! collector's `ufrx` moves to the community pool (when there is an active
//! set). `F` = what is left (after minting `inflation_per_block` into it). Each active validator `i` is
//! credited `floor(F · power_i / Σ power)`; the rounding remainder stays
//! in the fee collector and is distributed with the next block's fees.
//! The credited sum moves to [`crate::rewards_pool`].
//!
//! ## Per validator
//! Of a credit `c`, `floor(c · rate_bps / 10000)` is commission
//! (`commission_owed`, paid to the operator on withdrawal); the rest is
//! spread over the validator's shares with the same fixed-point split the
//! asset income accumulator uses ([`fructus_income::split_payment`]):
//! `reward_acc += floor((rest·SCALE + carry) / shares)`. A validator with
//! no shares (every delegation withdrawn, dust tokens left) keeps the whole
//! credit as commission.
//!
//! ## Per delegation
//! A delegation settles when its shares change and on withdrawal:
//! `shares · (acc − checkpoint)` scaled units; the whole units are paid
//! out, the fraction (`< SCALE`) is kept in the delegation. So the sum of
//! payments never exceeds what was credited: every floor leaves dust in the
//! rewards pool, never the other way round.

use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_income::{SCALE, accrue, split_payment};
use fructus_storage::StateWrite;
use fructus_types::{Address, Amount, Coin, Denom};

use crate::{
    BPS, Delegation, StakingError, StakingStateReadExt, StakingStateWriteExt, Validator,
    community_pool, fee_collector, rewards_pool,
};

/// Distributes the fee collector's `ufrx` (plus inflation) to the set that
/// signed this height. Returns the amount moved to the rewards pool.
pub fn distribute<S: StateWrite>(state: &mut S) -> Result<u128, StakingError> {
    let set = state.previous_active_set()?;
    let total_power = set
        .iter()
        .fold(0u128, |acc, v| acc.saturating_add(u128::from(v.power)));
    if total_power == 0 {
        return Ok(0);
    }
    let params = state.staking_params()?;
    let fees = state.balance(&fee_collector(), &Denom::native())?;
    let community = fees
        .mul_div_floor(u128::from(params.community_pool_share_bps), BPS)
        .map_err(|_| StakingError::overflow("community pool share"))?;
    if !community.is_zero() {
        state.transfer(
            &fee_collector(),
            &community_pool(),
            &Coin::new(Denom::native(), community),
        )?;
    }
    if params.inflation_per_block > 0 {
        state.mint(
            &fee_collector(),
            &Coin::new(Denom::native(), params.inflation_per_block),
        )?;
    }
    let fees = state.balance(&fee_collector(), &Denom::native())?;
    if fees.is_zero() {
        return Ok(0);
    }
    let mut credited: u128 = 0;
    for v in &set {
        let share = fees
            .mul_div_floor(u128::from(v.power), total_power)
            .map_err(|_| StakingError::overflow("reward share"))?
            .value();
        if share == 0 {
            continue;
        }
        let Some(mut validator) = state.validator(&v.operator)? else {
            continue;
        };
        credit(&mut validator, share)?;
        state.put_validator(&validator)?;
        credited = credited
            .checked_add(share)
            .ok_or(StakingError::overflow("credited rewards"))?;
    }
    if credited > 0 {
        state.transfer(
            &fee_collector(),
            &rewards_pool(),
            &Coin::new(Denom::native(), credited),
        )?;
    }
    Ok(credited)
}

/// Credits `amount` of rewards to `v`: commission, then the accumulator.
pub fn credit(v: &mut Validator, amount: u128) -> Result<(), StakingError> {
    let mut commission = Amount::new(amount)
        .mul_div_floor(u128::from(v.commission.rate_bps), BPS)
        .map_err(|_| StakingError::overflow("commission"))?
        .value();
    let rest = amount.saturating_sub(commission);
    if rest > 0 {
        match split_payment(rest, v.reward_carry, v.shares) {
            Some((inc, carry)) => {
                v.reward_acc = v
                    .reward_acc
                    .checked_add(inc)
                    .ok_or(StakingError::overflow("reward accumulator"))?;
                v.reward_carry = carry;
            }
            // No shares (or a carry from more shares than now): the
            // operator keeps it.
            None => commission = amount,
        }
    }
    v.commission_owed = v
        .commission_owed
        .checked_add(commission)
        .ok_or(StakingError::overflow("commission owed"))?;
    Ok(())
}

/// What `d` earned since its checkpoint: `(whole ufrx, new fraction)`.
pub fn accrued(d: &Delegation, v: &Validator) -> Result<(u128, u128), StakingError> {
    let delta = v
        .reward_acc
        .checked_sub(d.checkpoint)
        .ok_or(StakingError::overflow("reward checkpoint"))?;
    let (mut whole, frac) = accrue(d.shares, delta).ok_or(StakingError::overflow("accrual"))?;
    let mut frac = d
        .frac
        .checked_add(frac)
        .ok_or(StakingError::overflow("reward fraction"))?;
    if frac >= SCALE {
        frac = frac.saturating_sub(SCALE);
        whole = whole
            .checked_add(1)
            .ok_or(StakingError::overflow("accrual"))?;
    }
    Ok((whole, frac))
}

/// Settles `d` against `v` and pays what it earned to the delegator.
/// Returns the amount paid. Call before `d.shares` changes.
pub fn settle_and_pay<S: StateWrite>(
    state: &mut S,
    d: &mut Delegation,
    v: &Validator,
) -> Result<u128, StakingError> {
    let (whole, frac) = accrued(d, v)?;
    d.checkpoint = v.reward_acc;
    d.frac = frac;
    if whole > 0 {
        state.transfer(
            &rewards_pool(),
            &d.delegator,
            &Coin::new(Denom::native(), whole),
        )?;
    }
    Ok(whole)
}

/// Pays `v`'s owed commission to its operator. Returns the amount.
pub fn pay_commission<S: StateWrite>(
    state: &mut S,
    v: &mut Validator,
) -> Result<u128, StakingError> {
    let owed = v.commission_owed;
    if owed > 0 {
        state.transfer(
            &rewards_pool(),
            &v.operator,
            &Coin::new(Denom::native(), owed),
        )?;
        v.commission_owed = 0;
    }
    Ok(owed)
}

/// Keeps `v.reward_carry < v.shares` after its shares shrank: a carry left
/// from more shares than remain is dropped (it is worth less than one base
/// unit and stays in the rewards pool).
pub fn clamp_carry(v: &mut Validator) {
    if v.reward_carry >= v.shares {
        v.reward_carry = 0;
    }
}

/// Pending (unpaid) rewards of `delegator` with `operator`, for queries.
pub fn pending<S: StakingStateReadExt + ?Sized>(
    state: &S,
    delegator: &Address,
    operator: &Address,
) -> Result<u128, StakingError> {
    let (Some(d), Some(v)) = (
        state.delegation(delegator, operator)?,
        state.validator(operator)?,
    ) else {
        return Ok(0);
    };
    Ok(accrued(&d, &v)?.0)
}
