use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Contract, ContractStatus, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::{AcceptContract, Billing},
    state::contract_escrow,
};

use super::require_denom;

impl ActionHandler for AcceptContract {
    type Error = MeteringError;
    type Checked = Contract;
    const KIND: &'static str = "metering/accept_contract";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Contract, MeteringError> {
        let c = state.require_contract(self.contract_id)?;
        if c.customer != ctx.signer {
            return Err(MeteringError::NotParty {
                contract_id: c.id,
                signer: ctx.signer,
                allowed: "its customer",
            });
        }
        if c.status != ContractStatus::Proposed {
            return Err(MeteringError::WrongStatus {
                contract_id: c.id,
                status: c.status.to_string(),
                expected: "proposed",
            });
        }
        if let Some(deposit) = &self.deposit {
            if c.terms.billing != Billing::Prepaid {
                return Err(MeteringError::WrongBilling {
                    contract_id: c.id,
                    expected: "prepaid (only prepaid contracts take a deposit)",
                });
            }
            require_denom(&c, deposit)?;
        }
        Ok(c)
    }

    fn execute<S: StateWrite>(
        &self,
        mut c: Contract,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let now_ms = ctx.block.time.millis();
        if let Some(deposit) = &self.deposit {
            state.transfer(&ctx.signer, &contract_escrow(c.id), deposit)?;
            ctx.emit(event::deposit(&c, "escrow", &ctx.signer, deposit));
        }
        c.status = ContractStatus::Active;
        c.accepted_ms = Some(now_ms);
        c.period_start_ms = now_ms.max(c.terms.start_ms);
        if c.terms.period_ms != 0 {
            let end = c.period_start_ms.saturating_add(c.terms.period_ms);
            state.queue_period(&mut c, end)?;
        }
        state.put_contract(&c)?;
        ctx.emit(event::contract_status(&c, "accepted"));
        Ok(())
    }
}
