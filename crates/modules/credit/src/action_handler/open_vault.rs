use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    CreditError, CreditStateReadExt, CreditStateWriteExt, Vault, event, msg::OpenVault,
    vault_account,
};

impl ActionHandler for OpenVault {
    type Error = CreditError;
    type Checked = ();
    const KIND: &'static str = "credit/open_vault";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), CreditError> {
        if state.credit_params()?.collateral(&self.denom).is_none() {
            return Err(CreditError::NotCollateral {
                denom: self.denom.to_string(),
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        let mut books = state.books()?;
        let id = books.next_vault;
        books.next_vault = id
            .checked_add(1)
            .ok_or(CreditError::Overflow { what: "vault id" })?;
        state.put_books(&books)?;
        state.register_module_account(&vault_account(id))?;
        let vault = Vault {
            id,
            owner: ctx.signer,
            denom: self.denom.clone(),
            collateral: 0,
            normalized_debt: 0,
            auction: None,
        };
        state.put_vault(&vault)?;
        ctx.emit(event::vault("open", &vault, 0));
        Ok(())
    }
}
