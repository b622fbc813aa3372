use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::nft_loan::{only, pay_income};
use crate::{
    LendingError, LendingStateReadExt, LoanStatus, NftLoan, event, msg::ClaimNftLoanIncome,
};

impl ActionHandler for ClaimNftLoanIncome {
    type Error = LendingError;
    type Checked = NftLoan;
    const KIND: &'static str = "lending/claim_nft_loan_income";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<NftLoan, LendingError> {
        let loan = state.require_nft_loan(self.loan_id)?;
        if loan.status == LoanStatus::Offered {
            return Err(LendingError::LoanState {
                loan_id: loan.id,
                state: loan.status.name(),
                action: "claiming income",
            });
        }
        only(&loan, loan.borrower, &ctx.signer, "claim the loan's income")?;
        Ok(loan)
    }

    fn execute<S: StateWrite>(
        &self,
        loan: NftLoan,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let paid = pay_income(state, &loan)?;
        ctx.emit(event::nft_loan_income(loan.id, &ctx.signer, &paid));
        Ok(())
    }
}
