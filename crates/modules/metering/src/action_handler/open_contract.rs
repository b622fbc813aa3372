use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Contract, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::{OpenContract, OracleTerms},
    state::{contract_escrow, incentive_pool},
};

impl ActionHandler for OpenContract {
    type Error = MeteringError;
    /// The asset's oracle set now, which becomes part of the terms.
    type Checked = Option<OracleTerms>;
    const KIND: &'static str = "metering/open_contract";
    const BASE_GAS: u64 = 30_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), MeteringError> {
        if fructus_income::is_income_bearing(&self.terms.price.denom) {
            return Err(MeteringError::field(
                "price",
                format!(
                    "{} bears income itself and cannot be a tariff denom",
                    self.terms.price.denom
                ),
            ));
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Option<OracleTerms>, MeteringError> {
        state.require_asset_operator(self.asset_id, &ctx.signer)?;
        if let Some(c) = state.live_contract(self.asset_id)? {
            return Err(MeteringError::AssetHasContract {
                asset_id: self.asset_id,
                contract_id: c.id,
            });
        }
        Ok(state.oracle_set(self.asset_id)?.map(|s| OracleTerms {
            oracles: s.oracles,
            threshold: s.threshold,
            tolerance_bps: s.tolerance_bps,
        }))
    }

    /// The asset's oracle set, if it names one now, becomes part of the
    /// terms: the contract is then metered by that quorum alone (and by
    /// the device otherwise), and a later `MsgSetOracles` applies only to
    /// contracts opened after it.
    fn execute<S: StateWrite>(
        &self,
        oracles: Option<OracleTerms>,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        let mut terms = self.terms.clone();
        terms.oracles = oracles;
        let contract = Contract::proposed(
            state.next_contract_id()?,
            self.asset_id,
            ctx.signer,
            self.customer,
            terms,
        );
        state.insert_contract(&contract)?;
        // Bank's compliance gate exempts registered module accounts.
        for account in [contract_escrow(contract.id), incentive_pool(contract.id)] {
            state.register_module_account(&account)?;
        }
        ctx.emit(event::open_contract(&contract));
        Ok(())
    }
}
