use fructus_asset::{Asset, AssetStateWriteExt};
use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::Coin;

use super::nft_loan::{escrowed_asset, loan_in, only, pay_income};
use crate::{LendingError, LendingStateWriteExt, LoanStatus, NftLoan, event, msg::RepayNftLoan};

impl ActionHandler for RepayNftLoan {
    type Error = LendingError;
    type Checked = (NftLoan, Asset);
    const KIND: &'static str = "lending/repay_nft_loan";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(NftLoan, Asset), LendingError> {
        let mut loan = loan_in(state, self.loan_id, LoanStatus::Running, "repaying")?;
        only(&loan, loan.borrower, &ctx.signer, "repay")?;
        if ctx.block.time.0 > loan.maturity_ms {
            return Err(LendingError::Maturity {
                loan_id: loan.id,
                maturity_ms: loan.maturity_ms,
                now_ms: ctx.block.time.0,
                what: "the loan matured unpaid; the lender may claim the NFT",
            });
        }
        let asset = escrowed_asset(state, &loan)?;
        loan.status = LoanStatus::Repaid;
        Ok((loan, asset))
    }

    fn execute<S: StateWrite>(
        &self,
        (loan, mut asset): (NftLoan, Asset),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let due = Coin {
            denom: loan.amount.denom.clone(),
            amount: fructus_types::Amount::new(loan.due),
        };
        state.transfer(&ctx.signer, &loan.lender, &due)?;
        let paid = pay_income(state, &loan)?;
        asset.owner = ctx.signer;
        state.put_asset(&asset)?;
        state.put_nft_loan(&loan)?;
        ctx.emit(event::nft_loan("repaid", &loan));
        if !paid.is_empty() {
            ctx.emit(event::nft_loan_income(loan.id, &ctx.signer, &paid));
        }
        Ok(())
    }
}
