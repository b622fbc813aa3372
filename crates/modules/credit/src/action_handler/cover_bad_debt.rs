//! `credit/cover_bad_debt`: the backstop. Anyone — in practice the
//! governance treasury — burns credit tokens against recorded bad debt.

use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Amount, Coin};

use crate::{
    Books, CreditError, CreditStateReadExt, CreditStateWriteExt, event, msg::CoverBadDebt,
};

impl ActionHandler for CoverBadDebt {
    type Error = CreditError;
    type Checked = (Books, Coin);
    const KIND: &'static str = "credit/cover_bad_debt";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(Books, Coin), CreditError> {
        let mut books = state.books()?;
        books.bad_debt = books
            .bad_debt
            .checked_sub(self.amount)
            .ok_or(CreditError::Exceeds {
                what: "cover above the recorded bad debt",
                asked: self.amount,
                available: books.bad_debt,
            })?;
        let (credit, _) = state.credit_denoms()?;
        Ok((
            books,
            Coin {
                denom: credit,
                amount: Amount::new(self.amount),
            },
        ))
    }

    fn execute<S: StateWrite>(
        &self,
        (books, coin): (Books, Coin),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        state.burn(&ctx.signer, &coin)?;
        state.put_books(&books)?;
        ctx.emit(event::bad_debt_covered(
            &ctx.signer,
            self.amount,
            books.bad_debt,
        ));
        Ok(())
    }
}
