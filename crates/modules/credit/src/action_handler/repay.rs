use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin};

use crate::{
    Books, CollateralTotals, CreditError, CreditStateReadExt, CreditStateWriteExt, Vault, event,
    math, msg::Repay,
};

/// What a repayment needs, loaded and checked.
pub struct Checked {
    vault: Vault,
    totals: CollateralTotals,
    books: Books,
    burn: Coin,
}

impl ActionHandler for Repay {
    type Error = CreditError;
    type Checked = Checked;
    const KIND: &'static str = "credit/repay";
    const BASE_GAS: u64 = 15_000;

    /// Anyone may repay any vault's debt (it only helps the owner); no
    /// price is needed.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<Checked, CreditError> {
        let mut vault = state.require_vault(self.vault_id)?;
        if vault.auction.is_some() {
            return Err(CreditError::InAuction { vault_id: vault.id });
        }
        let mut books = state.books()?;
        let debt = math::debt(vault.normalized_debt, books.rate)
            .ok_or(CreditError::Overflow { what: "debt" })?;
        if debt == 0 {
            return Err(CreditError::Exceeds {
                what: "repayment of a vault without debt",
                asked: self.amount,
                available: 0,
            });
        }
        let pay = self.amount.min(debt);
        // Paying the whole debt clears it; a part removes the normalized
        // debt it is worth, rounded down (the system's favour).
        let removed = if pay == debt {
            vault.normalized_debt
        } else {
            math::normalized_for_repay(pay, books.rate)
                .ok_or(CreditError::Overflow {
                    what: "normalized debt",
                })?
                .min(vault.normalized_debt)
        };
        vault.normalized_debt = vault.normalized_debt.saturating_sub(removed);
        let mut totals = state.totals(&vault.denom)?;
        totals.normalized_debt = totals
            .normalized_debt
            .checked_sub(removed)
            .ok_or_else(corrupt)?;
        books.normalized_debt = books
            .normalized_debt
            .checked_sub(removed)
            .ok_or_else(corrupt)?;
        let (credit, _) = state.credit_denoms()?;
        Ok(Checked {
            vault,
            totals,
            books,
            burn: Coin {
                denom: credit,
                amount: Amount::new(pay),
            },
        })
    }

    fn execute<S: StateWrite>(
        &self,
        c: Checked,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        state.burn(&ctx.signer, &c.burn)?;
        state.put_vault(&c.vault)?;
        state.put_totals(&c.totals)?;
        state.put_books(&c.books)?;
        ctx.emit(event::vault("repay", &c.vault, &c.burn));
        Ok(())
    }
}

fn corrupt() -> CreditError {
    CreditError::Corrupt {
        reason: "a vault's normalized debt exceeds the totals".into(),
    }
}
