use fructus_bank::BankStateReadExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Coin;

use crate::{
    BillingStateWriteExt, Contract, MeteringError, MeteringStateReadExt, MeteringStateWriteExt,
    event,
    msg::{Billing, Settle},
};

use super::{emit_all, emit_split, require_running};

impl ActionHandler for Settle {
    type Error = MeteringError;
    type Checked = Contract;
    const KIND: &'static str = "metering/settle";
    const BASE_GAS: u64 = 15_000;

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
        require_running(&c)?;
        if !matches!(c.terms.billing, Billing::Postpaid { .. }) {
            return Err(MeteringError::WrongBilling {
                contract_id: c.id,
                expected: "postpaid (prepaid contracts are paid by MsgTopUp)",
            });
        }
        if c.owed.is_zero() {
            return Err(MeteringError::NothingOwed { contract_id: c.id });
        }
        let available = state.balance(&c.customer, &c.terms.price.denom)?;
        if available < c.owed {
            return Err(MeteringError::CannotPay {
                contract_id: c.id,
                customer: c.customer,
                available,
                owed: c.owed,
            });
        }
        Ok(c)
    }

    fn execute<S: StateWrite>(
        &self,
        mut c: Contract,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let owed = c.owed;
        let mut events = Vec::new();
        let (paid, split) = state.pay_owed(
            &mut c,
            &ctx.signer,
            owed,
            ctx.block.time.millis(),
            &mut events,
        )?;
        state.put_contract(&c)?;
        let coin = Coin {
            denom: c.terms.price.denom.clone(),
            amount: paid,
        };
        ctx.emit(event::deposit(&c, "settlement", &ctx.signer, &coin));
        emit_split(ctx, &c, &ctx.signer.clone(), &split);
        emit_all(ctx, events);
        Ok(())
    }
}
