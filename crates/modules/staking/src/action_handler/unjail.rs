use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    StakingError, StakingStateReadExt, StakingStateWriteExt, Validator, event, msg::Unjail,
    slashing,
};

/// Refuses unless `v` is jailed (not tombstoned), its jail is over at
/// `height`, and its operator's own bond meets the minimum.
fn check<S: StateRead + ?Sized>(state: &S, v: &Validator, height: u64) -> Result<(), StakingError> {
    if v.tombstoned {
        return Err(StakingError::Tombstoned {
            validator: v.operator,
        });
    }
    let Some(until) = v.jailed_until else {
        return Err(StakingError::NotJailed {
            validator: v.operator,
        });
    };
    if height < until {
        return Err(StakingError::StillJailed {
            validator: v.operator,
            until,
            height,
        });
    }
    let own = state
        .delegation(&v.operator, &v.operator)?
        .map_or(Ok(0), |d| v.tokens_of(d.shares))?;
    if own < v.min_self_bond {
        return Err(StakingError::SelfBondTooLow {
            have: own,
            min: v.min_self_bond,
        });
    }
    Ok(())
}

impl ActionHandler for Unjail {
    type Error = StakingError;
    /// The signer's validator, free to leave jail.
    type Checked = Validator;
    const KIND: &'static str = "staking/unjail";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Validator, StakingError> {
        let v = state.require_validator(&ctx.signer)?;
        check(state, &v, ctx.block.height)?;
        Ok(v)
    }

    fn execute<S: StateWrite>(
        &self,
        mut v: Validator,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), StakingError> {
        v.jailed_until = None;
        state.put_validator(&v)?;
        let window = state.staking_params()?.signed_blocks_window;
        slashing::reset_signing(state, &v.operator, window)?;
        ctx.emit(event::unjail(&v.operator));
        Ok(())
    }
}
