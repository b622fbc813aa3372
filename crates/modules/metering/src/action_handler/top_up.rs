use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    BillingStateWriteExt, Contract, MeteringError, MeteringStateReadExt, MeteringStateWriteExt,
    event,
    msg::{Billing, TopUp},
    state::contract_escrow,
};

use super::{emit_all, emit_split, require_denom, require_running};

impl ActionHandler for TopUp {
    type Error = MeteringError;
    type Checked = Contract;
    const KIND: &'static str = "metering/top_up";
    const BASE_GAS: u64 = 15_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<Contract, MeteringError> {
        let c = state.require_contract(self.contract_id)?;
        require_running(&c)?;
        if c.terms.billing != Billing::Prepaid {
            return Err(MeteringError::WrongBilling {
                contract_id: c.id,
                expected: "prepaid (postpaid contracts settle with MsgSettle)",
            });
        }
        require_denom(&c, &self.amount)?;
        Ok(c)
    }

    /// Deposits into the escrow, then pays what is owed from it (resuming
    /// a suspended contract once nothing is owed).
    fn execute<S: StateWrite>(
        &self,
        mut c: Contract,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let escrow = contract_escrow(c.id);
        state.transfer(&ctx.signer, &escrow, &self.amount)?;
        ctx.emit(event::deposit(&c, "escrow", &ctx.signer, &self.amount));
        let available = state.balance(&escrow, &c.terms.price.denom)?;
        let mut events = Vec::new();
        let (_, split) = state.pay_owed(
            &mut c,
            &escrow,
            available,
            ctx.block.time.millis(),
            &mut events,
        )?;
        state.put_contract(&c)?;
        emit_split(ctx, &c, &escrow, &split);
        emit_all(ctx, events);
        Ok(())
    }
}
