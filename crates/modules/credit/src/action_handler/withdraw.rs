use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::owned_vault;
use crate::{
    CreditError, CreditStateReadExt, CreditStateWriteExt, Vault, event, math, msg::Withdraw,
    vault_account,
};

impl ActionHandler for Withdraw {
    type Error = CreditError;
    type Checked = Vault;
    const KIND: &'static str = "credit/withdraw";
    const BASE_GAS: u64 = 15_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Vault, CreditError> {
        let mut vault = owned_vault(state, self.vault_id, &ctx.signer)?;
        if self.amount.denom != vault.denom {
            return Err(CreditError::field(
                "amount",
                format!("vault {} holds {}", vault.id, vault.denom),
            ));
        }
        let take = self.amount.amount.value();
        vault.collateral = vault
            .collateral
            .checked_sub(take)
            .ok_or(CreditError::Exceeds {
                what: "withdrawal above the vault's collateral",
                asked: take,
                available: vault.collateral,
            })?;
        // With debt, what is left must still cover the owner's required
        // ratio at a fresh price within the TWAP bound.
        if vault.normalized_debt > 0 {
            let params = state.credit_params()?;
            let ctype = state.collateral_type(&params, &vault.denom)?;
            let price = state.checked_price(&params, &ctype, ctx.block.time)?;
            let standing = state.standing(&vault, &ctype, price, state.books()?.rate)?;
            let (ratio, rating) = state.required_ratio(&params, &vault.owner, ctx.block.time)?;
            if !math::covers(standing.value, standing.debt, ratio) {
                return Err(CreditError::Unsafe {
                    vault_id: vault.id,
                    value: standing.value,
                    debt: standing.debt,
                    rating,
                    ratio_bps: ratio,
                });
            }
        }
        Ok(vault)
    }

    fn execute<S: StateWrite>(
        &self,
        vault: Vault,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        state.transfer(&vault_account(vault.id), &vault.owner, &self.amount)?;
        state.put_vault(&vault)?;
        ctx.emit(event::vault("withdraw", &vault, &self.amount));
        Ok(())
    }
}
