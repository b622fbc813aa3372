use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::nft_loan::{loan_in, only};
use crate::{
    LendingError, LendingStateWriteExt, LoanStatus, NftLoan, event, loan_escrow,
    msg::CancelNftOffer,
};

impl ActionHandler for CancelNftOffer {
    type Error = LendingError;
    type Checked = NftLoan;
    const KIND: &'static str = "lending/cancel_nft_offer";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<NftLoan, LendingError> {
        let loan = loan_in(state, self.loan_id, LoanStatus::Offered, "cancelling")?;
        only(&loan, Some(loan.lender), &ctx.signer, "cancel the offer")?;
        Ok(loan)
    }

    fn execute<S: StateWrite>(
        &self,
        loan: NftLoan,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        state.transfer(&loan_escrow(loan.id), &loan.lender, &loan.amount)?;
        state.delete_nft_loan(loan.id);
        ctx.emit(event::nft_loan("cancelled", &loan));
        Ok(())
    }
}
