use fructus_asset::{Asset, AssetStateWriteExt};
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::nft_loan::{escrowed_asset, loan_in, only, pay_income};
use crate::{LendingError, LendingStateWriteExt, LoanStatus, NftLoan, event, msg::ClaimNft};

impl ActionHandler for ClaimNft {
    type Error = LendingError;
    type Checked = (NftLoan, Asset);
    const KIND: &'static str = "lending/claim_nft";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(NftLoan, Asset), LendingError> {
        let mut loan = loan_in(state, self.loan_id, LoanStatus::Running, "claiming")?;
        only(&loan, Some(loan.lender), &ctx.signer, "claim the NFT")?;
        if ctx.block.time.0 <= loan.maturity_ms {
            return Err(LendingError::Maturity {
                loan_id: loan.id,
                maturity_ms: loan.maturity_ms,
                now_ms: ctx.block.time.0,
                what: "the borrower may still repay until then",
            });
        }
        let asset = escrowed_asset(state, &loan)?;
        loan.status = LoanStatus::Claimed;
        Ok((loan, asset))
    }

    fn execute<S: StateWrite>(
        &self,
        (loan, mut asset): (NftLoan, Asset),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let paid = pay_income(state, &loan)?;
        asset.owner = loan.lender;
        state.put_asset(&asset)?;
        state.put_nft_loan(&loan)?;
        ctx.emit(event::nft_loan("claimed", &loan));
        if let (Some(b), false) = (loan.borrower, paid.is_empty()) {
            ctx.emit(event::nft_loan_income(loan.id, &b, &paid));
        }
        Ok(())
    }
}
