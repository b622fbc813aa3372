//! Slashing and jailing, driven by the block's evidence and commit
//! signatures (see `component.rs`).
//!
//! - **Double signing** ([`slash_double_sign`]): the validator loses
//!   `floor(tokens · slash_fraction_double_sign_bps / 10000)` of its bonded
//!   tokens, and every unbonding entry that left it at or after the
//!   infraction height loses `floor(initial · fraction)` (capped at what is
//!   left), and so does every redelegation that left it at or after the
//!   infraction height, at its destination: from the delegator's stake
//!   there, then from its unbonding entries out of the destination created
//!   since the redelegation (undelegating after redelegating does not
//!   escape); it is jailed and **tombstoned** — it can never unjail. Evidence
//!   older than `unbonding_blocks`, from the future, of an unknown key or
//!   of an already tombstoned validator changes nothing.
//! - **Downtime** ([`record_signatures`]): each validator of the set that
//!   signed height H − 1 gets one slot of a ring of `signed_blocks_window`
//!   slots (slot = counter mod window, O(1) per validator per block). Once
//!   it has been tracked for a full window, missing more than
//!   [`crate::StakingParams::max_missed`] blocks of it burns
//!   `slash_fraction_downtime_bps` of its bonded tokens (unbonding entries
//!   are not touched), jails it for `jail_blocks` and restarts its window.
//!
//! Slashed tokens are **burned** from the pool holding them: the `ufrx`
//! supply shrinks by exactly what was slashed. Delegations are shares of
//! the validator's tokens, so every delegator loses the same fraction
//! without a loop.

use std::collections::BTreeSet;

use fructus_bank::BankStateWriteExt;
use fructus_component::{BlockContext, LastCommit};
use fructus_storage::StateWrite;
use fructus_types::{Address, Amount, BlockHeight, Coin, Denom};

use crate::{
    BPS, SigningInfo, StakingError, StakingStateReadExt, StakingStateWriteExt, Validator,
    bonded_pool, state_key, unbonding_pool,
};

fn fraction(amount: u128, bps: u16) -> Result<u128, StakingError> {
    Ok(Amount::new(amount)
        .mul_div_floor(u128::from(bps), BPS)
        .map_err(|_| StakingError::overflow("slash amount"))?
        .value())
}

fn burn<S: StateWrite>(state: &mut S, pool: &Address, amount: u128) -> Result<(), StakingError> {
    if amount > 0 {
        state.burn(pool, &Coin::new(Denom::native(), amount))?;
    }
    Ok(())
}

/// Burns `bps` of `v`'s bonded tokens; returns the amount.
fn slash_bonded<S: StateWrite>(
    state: &mut S,
    v: &mut Validator,
    bps: u16,
) -> Result<u128, StakingError> {
    let amount = fraction(v.tokens, bps)?;
    v.tokens = v.tokens.saturating_sub(amount);
    burn(state, &bonded_pool(), amount)?;
    Ok(amount)
}

/// Slashes the validator whose consensus address is `consensus` for
/// signing twice at `infraction_height` (see the module docs). Returns the
/// total burned, or `None` when the evidence changes nothing.
pub fn slash_double_sign<S: StateWrite>(
    state: &mut S,
    ctx: &BlockContext,
    consensus: &Address,
    infraction_height: BlockHeight,
) -> Result<Option<u128>, StakingError> {
    let params = state.staking_params()?;
    if infraction_height > ctx.height
        || ctx.height.saturating_sub(infraction_height) >= params.unbonding_blocks
    {
        return Ok(None);
    }
    let Some(operator) = state.operator_of(consensus)? else {
        return Ok(None);
    };
    let Some(mut v) = state.validator(&operator)? else {
        return Ok(None);
    };
    if v.tombstoned {
        return Ok(None);
    }
    let bps = params.slash_fraction_double_sign_bps;
    let mut burned = slash_bonded(state, &mut v, bps)?;
    // Entries that left at or after the infraction were bonded when it
    // happened. Keys are ordered by (creation height, id) and the scan is
    // "strictly after": start after the last possible key of the height
    // before the infraction.
    let prefix = state_key::unbondings_from(&operator);
    let mut after = infraction_height
        .checked_sub(1)
        .map(|h| state_key::unbonding_by_validator(&operator, h, u64::MAX));
    loop {
        let page = state.prefix::<u64>(&prefix, after.as_deref(), 256)?;
        let Some((last, _)) = page.last() else { break };
        let last = last.clone();
        for (_, id) in page {
            let Some(mut entry) = state.unbonding(id)? else {
                continue;
            };
            let cut = fraction(entry.initial, bps)?.min(entry.balance);
            entry.balance = entry.balance.saturating_sub(cut);
            state.put_unbonding(&entry)?;
            burn(state, &unbonding_pool(), cut)?;
            burned = burned
                .checked_add(cut)
                .ok_or(StakingError::overflow("slashed total"))?;
        }
        after = Some(last);
    }
    state.put_validator(&v)?;
    let prefix = state_key::redelegations_from(&operator);
    let mut after = infraction_height
        .checked_sub(1)
        .map(|h| state_key::redelegation_by_source(&operator, h, u64::MAX));
    loop {
        let page = state.prefix::<u64>(&prefix, after.as_deref(), 256)?;
        let Some((last, _)) = page.last() else { break };
        let last = last.clone();
        for (_, id) in page {
            let Some(entry) = state.redelegation(id)? else {
                continue;
            };
            let cut = slash_redelegation(state, &entry, fraction(entry.initial, bps)?)?;
            burned = burned
                .checked_add(cut)
                .ok_or(StakingError::overflow("slashed total"))?;
        }
        after = Some(last);
    }
    let mut v = state.require_validator(&operator)?;
    v.tombstoned = true;
    v.jailed_until = Some(BlockHeight::MAX);
    state.put_validator(&v)?;
    Ok(Some(burned))
}

/// Most unbonding entries one delegator can hold (every validator, each
/// at the per-pair limit): bounds [`slash_redelegation`]'s scan.
const MAX_ENTRIES_OF_DELEGATOR: usize =
    crate::MAX_VALIDATORS * crate::MAX_UNBONDING_ENTRIES as usize;

/// Burns up to `due` tokens of the stake `entry` moved: first from the
/// delegator's delegation to the destination (rewards settled first), then
/// from its unbonding entries out of the destination created at or after
/// the redelegation. Returns what was burned (≤ `due`).
fn slash_redelegation<S: StateWrite>(
    state: &mut S,
    entry: &crate::RedelegationEntry,
    due: u128,
) -> Result<u128, StakingError> {
    let mut left = due;
    if left > 0
        && let Some(mut d) = state.delegation(&entry.delegator, &entry.dst)?
        && let Some(mut dst) = state.validator(&entry.dst)?
    {
        let cut = left.min(dst.tokens_of(d.shares)?);
        if cut > 0 {
            crate::rewards::settle_and_pay(state, &mut d, &dst)?;
            let shares = crate::action_handler::shares_to_take(&dst, &d, cut)?;
            crate::action_handler::remove_stake(&mut dst, &mut d, cut, shares)?;
            state.put_validator(&dst)?;
            state.put_delegation(&d)?;
            burn(state, &bonded_pool(), cut)?;
            left = left.saturating_sub(cut);
        }
    }
    if left > 0 {
        for mut ubd in state.unbondings_of(&entry.delegator, MAX_ENTRIES_OF_DELEGATOR)? {
            if ubd.validator != entry.dst || ubd.creation_height < entry.creation_height {
                continue;
            }
            let cut = left.min(ubd.balance);
            if cut == 0 {
                continue;
            }
            ubd.balance = ubd.balance.saturating_sub(cut);
            state.put_unbonding(&ubd)?;
            burn(state, &unbonding_pool(), cut)?;
            left = left.saturating_sub(cut);
            if left == 0 {
                break;
            }
        }
    }
    Ok(due.saturating_sub(left))
}

/// Records who signed the previous height's commit, and jails (and
/// slashes) validators past the downtime limit. `commit` must be for the
/// height before `ctx.height`; anything else is ignored, as is a block
/// without one.
pub fn record_signatures<S: StateWrite>(
    state: &mut S,
    ctx: &BlockContext,
    commit: &LastCommit,
) -> Result<Vec<Address>, StakingError> {
    if commit.height.checked_add(1) != Some(ctx.height) {
        return Ok(Vec::new());
    }
    let params = state.staking_params()?;
    let window = params.signed_blocks_window;
    let max_missed = params.max_missed();
    let signers: BTreeSet<Address> = commit.signers.iter().copied().collect();
    let mut jailed = Vec::new();
    for member in state.previous_active_set()? {
        let Some(mut v) = state.validator(&member.operator)? else {
            continue;
        };
        if v.jailed_until.is_some() {
            continue;
        }
        let mut info = state.signing_info(&v.operator)?;
        let slot = info.counter.checked_rem(window).unwrap_or(0);
        let was_missed = state.missed_in_slot(&v.operator, slot)?;
        let missed = !signers.contains(&v.consensus_address());
        match (was_missed, missed) {
            (false, true) => info.missed = info.missed.saturating_add(1),
            (true, false) => info.missed = info.missed.saturating_sub(1),
            _ => {}
        }
        if was_missed != missed {
            state.set_missed(&v.operator, slot, missed);
        }
        info.counter = info.counter.saturating_add(1);
        if info.counter >= window && info.missed > max_missed {
            slash_bonded(state, &mut v, params.slash_fraction_downtime_bps)?;
            v.jailed_until = Some(ctx.height.saturating_add(params.jail_blocks));
            state.put_validator(&v)?;
            reset_signing(state, &v.operator, window)?;
            jailed.push(v.operator);
            continue;
        }
        state.put_signing_info(&v.operator, &info)?;
    }
    Ok(jailed)
}

/// Forgets `operator`'s downtime record (at most `window` slot deletes).
pub fn reset_signing<S: StateWrite>(
    state: &mut S,
    operator: &Address,
    window: u64,
) -> Result<(), StakingError> {
    let prefix = state_key::missed_of(operator);
    let limit = usize::try_from(window).unwrap_or(usize::MAX);
    for (key, _) in state.prefix_raw(&prefix, None, limit)? {
        state.delete(key);
    }
    state.put_signing_info(operator, &SigningInfo::default())
}
