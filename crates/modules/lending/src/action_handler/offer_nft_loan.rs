use fructus_asset::AssetStateReadExt;
use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    LendingError, LendingStateReadExt, LendingStateWriteExt, LoanStatus, NftLoan, event,
    loan_escrow, msg::OfferNftLoan,
};

impl ActionHandler for OfferNftLoan {
    type Error = LendingError;
    type Checked = ();
    const KIND: &'static str = "lending/offer_nft_loan";
    const BASE_GAS: u64 = 15_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), LendingError> {
        let params = state.lending_params()?;
        if self.term_ms > params.max_nft_term_ms {
            return Err(LendingError::field(
                "term_ms",
                format!("at most max_nft_term_ms = {}", params.max_nft_term_ms),
            ));
        }
        if state.asset(self.asset_id)?.is_none() {
            return Err(LendingError::Asset {
                asset_id: self.asset_id,
                reason: "it does not exist".into(),
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        let id = state.next_loan_id()?;
        let escrow = loan_escrow(id);
        state.register_module_account(&escrow)?;
        state.transfer(&ctx.signer, &escrow, &self.amount)?;
        let loan = NftLoan {
            id,
            lender: ctx.signer,
            asset_id: self.asset_id,
            amount: self.amount.clone(),
            rate_bps: self.rate_bps,
            term_ms: self.term_ms,
            due: self.due,
            borrower: None,
            maturity_ms: 0,
            status: LoanStatus::Offered,
        };
        state.put_nft_loan(&loan)?;
        ctx.emit(event::nft_loan("offered", &loan));
        Ok(())
    }
}
