use fructus_bank::BankStateWriteExt;
use fructus_component::{BlockContext, Component, Event, init_params};
use fructus_identity::{IdentityStateReadExt, Tier};
use fructus_storage::StateWrite;
use fructus_types::{BlockHeight, BlockTime, Coin, Denom};

use crate::{
    MAX_COMPLETIONS_PER_BLOCK, StakingError, StakingGenesis, StakingStateReadExt,
    StakingStateWriteExt, action_handler::create_validator, event, power, rewards, slashing,
    state_key, unbonding_pool,
};

/// The staking module's life-cycle hooks.
///
/// - `begin_block`: double-sign evidence, then the previous block's
///   signatures (downtime).
/// - `end_block`: fee rewards to the set that signed this height, matured
///   unbondings, then the active set for the next height.
#[derive(Debug, Clone, Copy)]
pub struct Staking;

/// What genesis gives staking: its section and the genesis time (KYC
/// attestations are checked against it, as a transaction's would be
/// against its block's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StakingGenesisInput {
    /// The `staking` section.
    pub section: StakingGenesis,
    /// Genesis time.
    pub time: BlockTime,
}

impl Component for Staking {
    type Genesis = StakingGenesisInput;
    type Error = StakingError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &StakingGenesisInput,
    ) -> Result<(), StakingError> {
        let section = &genesis.section;
        section.validate()?;
        init_params(state, &section.params)?;
        for (i, v) in section.validators.iter().enumerate() {
            let msg = v.to_msg();
            let bad = |e: StakingError| StakingError::Genesis {
                reason: format!("staking.validators[{i}] ({}): {e}", v.operator),
            };
            create_validator::check(state, &v.operator, &msg, 0, genesis.time).map_err(bad)?;
            create_validator::apply(state, &v.operator, &msg, 0, genesis.time).map_err(bad)?;
        }
        let set = compute_active_set(state, 0, genesis.time)?;
        state.rotate_active_set(&set)?;
        // Height 1 is signed by the genesis set too.
        state.rotate_active_set(&set)?;
        Ok(())
    }

    fn begin_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), StakingError> {
        for evidence in &ctx.evidence {
            if let Some(burned) =
                slashing::slash_double_sign(state, ctx, &evidence.validator, evidence.height)?
            {
                events.push(event::double_sign_slashed(
                    &evidence.validator,
                    evidence.height,
                    burned,
                ));
            }
        }
        if let Some(commit) = &ctx.last_commit {
            for operator in slashing::record_signatures(state, ctx, commit)? {
                let until = state
                    .validator(&operator)?
                    .and_then(|v| v.jailed_until)
                    .unwrap_or(ctx.height);
                events.push(event::jailed_for_downtime(&operator, until));
            }
        }
        Ok(())
    }

    fn end_block<S: StateWrite>(
        state: &mut S,
        ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), StakingError> {
        rewards::distribute(state)?;
        for (delegator, amount) in complete_unbondings(state, ctx.height)? {
            events.push(event::unbonding_completed(&delegator, amount));
        }
        forget_matured_redelegations(state, ctx.height)?;
        let set = compute_active_set(state, ctx.height, ctx.time)?;
        state.rotate_active_set(&set)
    }
}

/// Pays out unbonding entries due at or before `height`, oldest first, at
/// most [`MAX_COMPLETIONS_PER_BLOCK`]. Returns (delegator, ufrx paid) of
/// each completed entry.
pub(crate) fn complete_unbondings<S: StateWrite>(
    state: &mut S,
    height: BlockHeight,
) -> Result<Vec<(fructus_types::Address, u128)>, StakingError> {
    let due = state.prefix::<u64>(
        &state_key::unbonding_queue_all(),
        None,
        MAX_COMPLETIONS_PER_BLOCK,
    )?;
    let mut done = Vec::new();
    for (_, id) in due {
        let Some(entry) = state.unbonding(id)? else {
            continue;
        };
        if entry.completion_height > height {
            break;
        }
        if entry.balance > 0 {
            state.transfer(
                &unbonding_pool(),
                &entry.delegator,
                &Coin::new(Denom::native(), entry.balance),
            )?;
        }
        state.remove_unbonding(&entry)?;
        done.push((entry.delegator, entry.balance));
    }
    Ok(done)
}

/// Forgets redelegations whose unbonding period ended at or before
/// `height`, oldest first, at most [`MAX_COMPLETIONS_PER_BLOCK`] (the rest
/// in the next blocks; an entry kept a little longer only keeps its stake
/// answerable a little longer — evidence older than the unbonding period
/// is refused anyway).
pub(crate) fn forget_matured_redelegations<S: StateWrite>(
    state: &mut S,
    height: BlockHeight,
) -> Result<(), StakingError> {
    let due = state.prefix::<u64>(
        &state_key::redelegation_queue_all(),
        None,
        MAX_COMPLETIONS_PER_BLOCK,
    )?;
    for (_, id) in due {
        let Some(entry) = state.redelegation(id)? else {
            continue;
        };
        if entry.completion_height > height {
            break;
        }
        state.remove_redelegation(&entry, height)?;
    }
    Ok(())
}

/// The active set from the validators eligible at (`height`, `time`): not
/// jailed or tombstoned, with tokens, the operator's own bond at least its
/// minimum, the operator a regulator or KYC'd enterprise and not frozen;
/// its powers ramped from the current set's ([`power::ramp`]).
pub(crate) fn compute_active_set<S: StateWrite>(
    state: &S,
    height: BlockHeight,
    time: BlockTime,
) -> Result<Vec<crate::ActiveValidator>, StakingError> {
    let params = state.staking_params()?;
    let mut candidates = Vec::new();
    for v in state.validators()? {
        if v.tombstoned || v.jailed_until.is_some() || v.tokens == 0 {
            continue;
        }
        let own = match state.delegation(&v.operator, &v.operator)? {
            Some(d) => v.tokens_of(d.shares)?,
            None => 0,
        };
        if own == 0 || own < v.min_self_bond {
            continue;
        }
        if state.is_frozen(&v.operator)? {
            continue;
        }
        let regulator = match state.tier(&v.operator, height, time)? {
            Tier::Regulator => true,
            Tier::Enterprise => false,
            _ => continue,
        };
        candidates.push(power::Candidate {
            operator: v.operator,
            consensus_key: v.consensus_key.clone(),
            moniker: v.moniker.clone(),
            tokens: v.tokens,
            regulator,
        });
    }
    let max = usize::try_from(params.max_validators).unwrap_or(usize::MAX);
    let target = power::active_set(&candidates, max, params.super_node_share_bps);
    Ok(power::ramp(
        &state.active_set()?,
        target,
        &candidates,
        params.max_power_move(),
    ))
}
