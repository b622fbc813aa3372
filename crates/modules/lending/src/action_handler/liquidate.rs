use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::{
    coin, pay_out,
    repay::{Checked as Repayment, repayment},
};
use crate::{
    LendingError, LendingStateReadExt, LendingStateWriteExt, event,
    math::{self, BPS, WAD},
    msg::Liquidate,
    state::Change,
};

/// What a liquidation needs, loaded and checked.
pub struct Checked {
    repayment: Repayment,
    seized: u128,
    pledge_left: u128,
}

impl ActionHandler for Liquidate {
    type Error = LendingError;
    type Checked = Checked;
    const KIND: &'static str = "lending/liquidate";
    const BASE_GAS: u64 = 40_000;

    /// A healthy account is never liquidated: the health check runs first,
    /// at the same prices and accrued debts the seizure uses.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, LendingError> {
        if self.borrower == ctx.signer {
            return Err(LendingError::SelfLiquidation);
        }
        let params = state.lending_params()?;
        let now = ctx.block.time;
        let denom = &self.repay.denom;
        let health = state.health(&params, &self.borrower, now, Change::None)?;
        if health.is_healthy() {
            return Err(LendingError::Healthy {
                account: self.borrower,
                borrowed: health.borrowed,
                limit: health.limit,
            });
        }
        let r = repayment(
            state,
            &params,
            &self.borrower,
            denom,
            self.repay.amount.value(),
            params.close_factor_bps,
            now,
        )?;
        let overflow = |what| LendingError::Overflow { what };
        let debt_price = state.checked_price(&params, denom, now)?;
        let coll_price = state.collateral_price(&params, &self.collateral_denom, now)?;
        // seized = repaid × debt price × (1 + incentive) / collateral price,
        // rounded down.
        let value =
            math::mul_div_floor(r.paid(), debt_price, WAD).ok_or(overflow("repaid value"))?;
        let bonus = math::mul_div_floor(
            value,
            BPS.saturating_add(u128::from(params.liquidation_incentive_bps)),
            BPS,
        )
        .ok_or(overflow("seized value"))?;
        let seized = math::mul_div_floor(bonus, WAD, coll_price).ok_or(overflow("seized"))?;
        let pledged = state.pledged(&self.borrower, &self.collateral_denom)?;
        if seized > pledged {
            return Err(LendingError::Exceeds {
                what: "collateral to seize (repay less)",
                asked: seized,
                available: pledged,
            });
        }
        if seized == 0 {
            return Err(LendingError::field(
                "repay",
                "too small to seize one base unit of collateral",
            ));
        }
        Ok(Checked {
            repayment: r,
            seized,
            pledge_left: pledged.saturating_sub(seized),
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let denom = &self.repay.denom;
        c.repayment
            .apply(state, &ctx.signer, &self.borrower, denom)?;
        state.put_pledge(&self.borrower, &self.collateral_denom, c.pledge_left)?;
        pay_out(state, &ctx.signer, &self.collateral_denom, c.seized)?;
        ctx.emit(event::liquidate(
            &self.borrower,
            &ctx.signer,
            &coin(denom, c.repayment.paid()),
            &coin(&self.collateral_denom, c.seized),
        ));
        Ok(())
    }
}
