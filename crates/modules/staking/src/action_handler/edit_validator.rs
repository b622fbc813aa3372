use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    DAY_MS, StakingError, StakingStateReadExt, StakingStateWriteExt, Validator, event,
    msg::EditValidator,
};

/// Refuses a commission above the maximum, a step above the daily limit,
/// or a second change within a day of block time.
fn check_commission(v: &Validator, rate: u16, now_ms: u64) -> Result<(), StakingError> {
    let c = &v.commission;
    if rate > c.max_rate_bps {
        return Err(StakingError::CommissionAboveMax {
            rate_bps: rate,
            max_rate_bps: c.max_rate_bps,
        });
    }
    if rate.abs_diff(c.rate_bps) > c.max_change_bps {
        return Err(StakingError::CommissionChangeTooLarge {
            from_bps: c.rate_bps,
            to_bps: rate,
            max_change_bps: c.max_change_bps,
        });
    }
    let next_ms = c.last_change.millis().saturating_add(DAY_MS);
    if now_ms < next_ms {
        return Err(StakingError::CommissionChangeTooSoon {
            last_ms: c.last_change.millis(),
            next_ms,
        });
    }
    Ok(())
}

impl ActionHandler for EditValidator {
    type Error = StakingError;
    /// The signer's validator.
    type Checked = Validator;
    const KIND: &'static str = "staking/edit_validator";
    const BASE_GAS: u64 = 5_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), StakingError> {
        if self.moniker.is_none() && self.commission_rate_bps.is_none() {
            return Err(StakingError::field(
                "moniker",
                "nothing to change: give a moniker or a commission",
            ));
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Validator, StakingError> {
        let v = state.require_validator(&ctx.signer)?;
        if let Some(rate) = self.commission_rate_bps {
            check_commission(&v, rate, ctx.block.time.millis())?;
        }
        Ok(v)
    }

    fn execute<S: StateWrite>(
        &self,
        mut v: Validator,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), StakingError> {
        if let Some(m) = &self.moniker {
            v.moniker.clone_from(m);
        }
        if let Some(rate) = self.commission_rate_bps {
            v.commission.rate_bps = rate;
            v.commission.last_change = ctx.block.time;
        }
        state.put_validator(&v)?;
        ctx.emit(event::edit_validator(
            &v.operator,
            &v.moniker,
            v.commission.rate_bps,
        ));
        Ok(())
    }
}
