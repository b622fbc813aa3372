use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin, Denom};

use super::owned_vault;
use crate::{
    Books, CollateralTotals, CreditError, CreditStateReadExt, CreditStateWriteExt, Vault, event,
    math, msg::Mint,
};

/// What a mint needs, loaded and checked.
pub struct Checked {
    vault: Vault,
    totals: CollateralTotals,
    books: Books,
    credit: Denom,
}

impl ActionHandler for Mint {
    type Error = CreditError;
    type Checked = Checked;
    const KIND: &'static str = "credit/mint";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Checked, CreditError> {
        let mut vault = owned_vault(state, self.vault_id, &ctx.signer)?;
        let params = state.credit_params()?;
        let ctype =
            params
                .collateral(&vault.denom)
                .cloned()
                .ok_or_else(|| CreditError::NotCollateral {
                    denom: vault.denom.to_string(),
                })?;
        let price = state.checked_price(&params, &ctype, ctx.block.time)?;
        let mut books = state.books()?;
        let added =
            math::normalized_for_mint(self.amount, books.rate).ok_or(CreditError::Overflow {
                what: "normalized debt",
            })?;
        vault.normalized_debt =
            vault
                .normalized_debt
                .checked_add(added)
                .ok_or(CreditError::Overflow {
                    what: "normalized debt",
                })?;
        let standing = state.standing(&vault, &ctype, price, books.rate)?;
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
        let mut totals = state.totals(&vault.denom)?;
        totals.normalized_debt =
            totals
                .normalized_debt
                .checked_add(added)
                .ok_or(CreditError::Overflow {
                    what: "normalized debt",
                })?;
        let type_debt = math::debt(totals.normalized_debt, books.rate)
            .ok_or(CreditError::Overflow { what: "debt" })?;
        if type_debt > ctype.debt_ceiling {
            return Err(CreditError::DebtCeiling {
                denom: vault.denom.to_string(),
                would_be: type_debt,
                ceiling: ctype.debt_ceiling,
            });
        }
        books.normalized_debt =
            books
                .normalized_debt
                .checked_add(added)
                .ok_or(CreditError::Overflow {
                    what: "normalized debt",
                })?;
        let (credit, _) = state.credit_denoms()?;
        Ok(Checked {
            vault,
            totals,
            books,
            credit,
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        let coin = Coin {
            denom: c.credit,
            amount: Amount::new(self.amount),
        };
        state.mint(&c.vault.owner, &coin)?;
        state.put_vault(&c.vault)?;
        state.put_totals(&c.totals)?;
        state.put_books(&c.books)?;
        ctx.emit(event::vault("mint", &c.vault, &coin));
        Ok(())
    }
}
