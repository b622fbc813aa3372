use fructus_asset::{Asset, AssetStateReadExt, AssetStateWriteExt};
use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::nft_loan::loan_in;
use crate::{
    LendingError, LendingStateWriteExt, LoanStatus, NftLoan, event, loan_escrow, msg::AcceptNftLoan,
};

impl ActionHandler for AcceptNftLoan {
    type Error = LendingError;
    /// The loan as accepted and the asset.
    type Checked = (NftLoan, Asset);
    const KIND: &'static str = "lending/accept_nft_loan";
    const BASE_GAS: u64 = 20_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(NftLoan, Asset), LendingError> {
        let mut loan = loan_in(state, self.loan_id, LoanStatus::Offered, "accepting")?;
        let refuse = |reason: String| LendingError::Asset {
            asset_id: loan.asset_id,
            reason,
        };
        let asset = state
            .asset(loan.asset_id)?
            .ok_or_else(|| refuse("it does not exist".into()))?;
        if asset.owner != ctx.signer {
            return Err(refuse(format!(
                "it belongs to {}, and only its owner may accept",
                asset.owner
            )));
        }
        if asset.fractionalized.is_some() {
            return Err(refuse(
                "it is fractionalized: only a whole NFT can back a loan".into(),
            ));
        }
        loan.maturity_ms = ctx
            .block
            .time
            .0
            .checked_add(loan.term_ms)
            .ok_or(LendingError::Overflow { what: "maturity" })?;
        loan.borrower = Some(ctx.signer);
        loan.status = LoanStatus::Running;
        Ok((loan, asset))
    }

    fn execute<S: StateWrite>(
        &self,
        (loan, mut asset): (NftLoan, Asset),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), LendingError> {
        asset.owner = loan_escrow(loan.id);
        state.put_asset(&asset)?;
        state.transfer(&loan_escrow(loan.id), &ctx.signer, &loan.amount)?;
        state.put_nft_loan(&loan)?;
        ctx.emit(event::nft_loan("accepted", &loan));
        Ok(())
    }
}
