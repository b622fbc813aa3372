use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::owned_vault;
use crate::{
    CreditError, CreditStateWriteExt, Vault, event, math::MAX_AMOUNT, msg::Deposit, vault_account,
};

impl ActionHandler for Deposit {
    type Error = CreditError;
    type Checked = Vault;
    const KIND: &'static str = "credit/deposit";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Vault, CreditError> {
        let vault = owned_vault(state, self.vault_id, &ctx.signer)?;
        if self.amount.denom != vault.denom {
            return Err(CreditError::field(
                "amount",
                format!("vault {} holds {}", vault.id, vault.denom),
            ));
        }
        Ok(vault)
    }

    fn execute<S: StateWrite>(
        &self,
        mut vault: Vault,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        vault.collateral = vault
            .collateral
            .checked_add(self.amount.amount.value())
            .filter(|c| *c <= MAX_AMOUNT)
            .ok_or(CreditError::Overflow {
                what: "vault collateral (2^100)",
            })?;
        state.transfer(&ctx.signer, &vault_account(vault.id), &self.amount)?;
        state.put_vault(&vault)?;
        ctx.emit(event::vault("deposit", &vault, &self.amount));
        Ok(())
    }
}
