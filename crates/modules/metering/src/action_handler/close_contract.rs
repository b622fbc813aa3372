use fructus_bank::BankStateReadExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    BillingStateWriteExt, Contract, ContractStatus, MeteringError, MeteringStateReadExt,
    MeteringStateWriteExt, event, msg::CloseContract, state::contract_escrow,
};

use super::emit_all;

/// What a close request does now.
pub enum CloseStep {
    /// Close a contract that never started.
    Withdraw,
    /// Start the notice period, ending at this time.
    Notice(u64),
    /// Settle and close.
    Finalize,
}

impl ActionHandler for CloseContract {
    type Error = MeteringError;
    type Checked = (Contract, CloseStep);
    const KIND: &'static str = "metering/close_contract";
    const BASE_GAS: u64 = 20_000;

    /// Notice rules: a proposed contract closes at once (returning its
    /// incentive pool); a failed one finalizes at once; an accepted one
    /// closes after `notice_ms` from the first request (or at its end, if
    /// sooner), finalized by a second request; a contract past its end
    /// finalizes at once. The customer cannot walk away owing: it may
    /// finalize only if the escrow and its balance cover what is owed (the
    /// provider may, writing off what the escrow does not cover; it never
    /// draws on the customer's own balance).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(Contract, CloseStep), MeteringError> {
        let c = state.require_contract(self.contract_id)?;
        if ctx.signer != c.customer && ctx.signer != c.provider {
            return Err(MeteringError::NotParty {
                contract_id: c.id,
                signer: ctx.signer,
                allowed: "its provider or customer",
            });
        }
        let now = ctx.block.time.millis();
        let step = match (c.status, c.closes_at_ms) {
            (ContractStatus::Closed, _) => {
                return Err(MeteringError::WrongStatus {
                    contract_id: c.id,
                    status: c.status.to_string(),
                    expected: "not closed",
                });
            }
            (ContractStatus::Proposed, _) => CloseStep::Withdraw,
            (ContractStatus::Failed, _) => CloseStep::Finalize,
            _ if c.terms.end_ms.is_some_and(|e| now > e) => CloseStep::Finalize,
            (_, Some(at)) if now < at => {
                return Err(MeteringError::NoticePending {
                    contract_id: c.id,
                    closes_at_ms: at,
                });
            }
            (_, Some(_)) => CloseStep::Finalize,
            (_, None) if c.terms.notice_ms == 0 => CloseStep::Finalize,
            (_, None) => {
                let at = now.saturating_add(c.terms.notice_ms);
                CloseStep::Notice(c.terms.end_ms.map_or(at, |e| e.min(at)))
            }
        };
        if matches!(step, CloseStep::Finalize) && ctx.signer == c.customer {
            let denom = &c.terms.price.denom;
            let available = state
                .balance(&contract_escrow(c.id), denom)?
                .checked_add(state.balance(&c.customer, denom)?)
                .map_err(MeteringError::overflow("balance"))?;
            if available < c.owed {
                return Err(MeteringError::CannotPay {
                    contract_id: c.id,
                    customer: c.customer,
                    available,
                    owed: c.owed,
                });
            }
        }
        Ok((c, step))
    }

    fn execute<S: StateWrite>(
        &self,
        (mut c, step): (Contract, CloseStep),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let mut events = Vec::new();
        match step {
            CloseStep::Withdraw => {
                state.release_escrows(&c)?;
                c.status = ContractStatus::Closed;
                events.push(event::contract_status(&c, "withdrawn before acceptance"));
            }
            CloseStep::Notice(at) => {
                c.closes_at_ms = Some(at);
                events.push(event::close_notice(&c, &ctx.signer, at));
            }
            CloseStep::Finalize => {
                let by_customer = ctx.signer == c.customer;
                state.finalize_contract(
                    &mut c,
                    by_customer,
                    ctx.block.time.millis(),
                    &mut events,
                )?;
            }
        }
        state.put_contract(&c)?;
        emit_all(ctx, events);
        Ok(())
    }
}
