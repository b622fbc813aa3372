use fructus_bank::{BankStateWriteExt, DenomMetadata};
use fructus_component::{BlockContext, Component, Event, init_params};
use fructus_storage::StateWrite;

use crate::{
    Agency, Books, CreditError, CreditGenesis, CreditStateWriteExt, event, state_key,
    surplus_account,
};

/// The credit module's life-cycle hooks. `begin_block` compounds the
/// stability fee once per block ([`CreditStateWriteExt::accrue_fees`]):
/// O(1) whatever the number of vaults, and its arithmetic is bounded so it
/// fails only on a storage fault or state that contradicts itself
/// (docs/security.md rule 1).
#[derive(Debug, Clone, Copy)]
pub struct Credit;

impl Component for Credit {
    type Genesis = CreditGenesis;
    type Error = CreditError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &CreditGenesis,
    ) -> Result<(), CreditError> {
        genesis.validate()?;
        init_params(state, &genesis.params)?;
        state.put(
            state_key::denoms(),
            &(genesis.credit_denom.clone(), genesis.quote_denom.clone()),
        )?;
        state.put_books(&Books::default())?;
        state.register_module_account(&surplus_account())?;
        state.put_denom_metadata(&DenomMetadata {
            denom: genesis.credit_denom.clone(),
            issuer: None,
            symbol: "CREDIT".into(),
            decimals: 6,
            kyc_only: genesis.kyc_only,
        })?;
        for agency in &genesis.agencies {
            state.put_agency(&Agency {
                agency: *agency,
                accredited_by: None,
            })?;
        }
        Ok(())
    }

    fn begin_block<S: StateWrite>(
        state: &mut S,
        _ctx: &BlockContext,
        events: &mut Vec<Event>,
    ) -> Result<(), CreditError> {
        let (rate, fee, covered) = state.accrue_fees()?;
        if fee > 0 {
            events.push(event::fees_accrued(rate, fee, covered));
        }
        Ok(())
    }
}
