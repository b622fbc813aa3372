use std::collections::BTreeMap;

use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Denom};

use crate::{BankError, BankStateReadExt, BankStateWriteExt, event, msg::MultiSend};

/// Gas per output on top of the base cost.
const GAS_PER_OUTPUT: u64 = 1_000;

impl MultiSend {
    /// Total per denom across all outputs.
    fn totals(&self) -> Result<BTreeMap<&Denom, Amount>, BankError> {
        let mut totals: BTreeMap<&Denom, Amount> = BTreeMap::new();
        for coin in self.outputs.iter().flat_map(|o| o.amount.iter()) {
            let entry = totals.entry(&coin.denom).or_insert(Amount::ZERO);
            *entry = entry
                .checked_add(coin.amount)
                .map_err(|source| BankError::Overflow {
                    denom: coin.denom.to_string(),
                    source,
                })?;
        }
        Ok(totals)
    }
}

impl ActionHandler for MultiSend {
    type Error = BankError;
    type Checked = ();
    const KIND: &'static str = "bank/multi_send";
    const BASE_GAS: u64 = 2_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), BankError> {
        self.totals().map(|_| ())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), BankError> {
        for output in &self.outputs {
            for coin in &output.amount {
                state.check_can_receive(&output.to, &coin.denom)?;
            }
        }
        for (denom, need) in self.totals()? {
            let have = state.balance(&ctx.signer, denom)?;
            if have < need {
                return Err(super::short_of(state, &ctx.signer, denom, have, need));
            }
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), BankError> {
        let outputs = u64::try_from(self.outputs.len()).unwrap_or(u64::MAX);
        ctx.consume_gas(GAS_PER_OUTPUT.saturating_mul(outputs))
            .map_err(|e| BankError::field("outputs", e))?;
        for output in &self.outputs {
            for coin in &output.amount {
                state.transfer(&ctx.signer, &output.to, coin)?;
                ctx.emit(event::transfer(&ctx.signer, &output.to, coin));
            }
        }
        Ok(())
    }
}
