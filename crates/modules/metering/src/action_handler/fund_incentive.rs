use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Contract, ContractStatus, MeteringError, MeteringStateReadExt, event, msg::FundIncentive,
    state::incentive_pool,
};

use super::require_denom;

impl ActionHandler for FundIncentive {
    type Error = MeteringError;
    type Checked = Contract;
    const KIND: &'static str = "metering/fund_incentive";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<Contract, MeteringError> {
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

    fn execute<S: StateWrite>(
        &self,
        c: Contract,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        state.transfer(&ctx.signer, &incentive_pool(c.id), &self.amount)?;
        ctx.emit(event::deposit(&c, "incentive", &ctx.signer, &self.amount));
        Ok(())
    }
}
