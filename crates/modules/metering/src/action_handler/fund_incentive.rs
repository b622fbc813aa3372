use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Contract, ContractStatus, MeteringError, MeteringStateReadExt, event, msg::FundIncentive,
    state::incentive_pool,
};

use super::require_denom;

impl FundIncentive {
    fn check<S: StateRead>(&self, state: &S) -> Result<Contract, MeteringError> {
        let c = state.require_contract(self.contract_id)?;
        if c.status == ContractStatus::Closed {
            return Err(MeteringError::WrongStatus {
                contract_id: c.id,
                status: c.status.to_string(),
                expected: "not closed",
            });
        }
        require_denom(&c, &self.amount)?;
        Ok(c)
    }
}

impl ActionHandler for FundIncentive {
    type Error = MeteringError;
    const KIND: &'static str = "metering/fund_incentive";
    const BASE_GAS: u64 = 10_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), MeteringError> {
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), MeteringError> {
        self.check(state).map(|_| ())
    }

    fn execute<S: StateWrite>(
        &self,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let c = self.check(state)?;
        state.transfer(&ctx.signer, &incentive_pool(c.id), &self.amount)?;
        ctx.emit(event::deposit(&c, "incentive", &ctx.signer, &self.amount));
        Ok(())
    }
}
