use fructus_bank::BankStateReadExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateReadExt, AssetStateWriteExt, event, msg::DepositIncome};

impl ActionHandler for DepositIncome {
    type Error = AssetError;
    type Checked = ();
    const KIND: &'static str = "asset/deposit_income";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        state.require_asset(self.asset_id)?;
        let have = state.balance(&ctx.signer, &self.amount.denom)?;
        if have < self.amount.amount {
            return Err(fructus_bank::BankError::InsufficientFunds {
                address: ctx.signer,
                denom: self.amount.denom.to_string(),
                available: have,
                required: self.amount.amount,
            }
            .into());
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let credited = state.pay_income(&ctx.signer, self.asset_id, &self.amount)?;
        ctx.emit(event::income_deposited(
            self.asset_id,
            &ctx.signer,
            &self.amount,
        ));
        ctx.emit(credited.event());
        Ok(())
    }
}
