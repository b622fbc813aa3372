//! The peer-to-peer NFT loan messages: offer, cancel, accept, repay,
//! claim, and the borrower's income claim. The terms are fixed by the
//! offer; every later message only moves what they say.

use fructus_asset::{Asset, AssetStateReadExt, AssetStateWriteExt};
use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::{ActionHandler, ErrorCode, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Coin};

use crate::{
    LendingError, LendingStateReadExt, LendingStateWriteExt, LoanStatus, NftLoan, event,
    loan_escrow,
    msg::{
        AcceptNftLoan, CancelNftOffer, ClaimNft, ClaimNftLoanIncome, OfferNftLoan, RepayNftLoan,
    },
};

/// The loan, if it is in `status`.
fn loan_in<S: StateRead>(
    state: &S,
    loan_id: u64,
    status: LoanStatus,
    action: &'static str,
) -> Result<NftLoan, LendingError> {
    let loan = state.require_nft_loan(loan_id)?;
    if loan.status != status {
        return Err(LendingError::LoanState {
            loan_id,
            state: loan.status.name(),
            action,
        });
    }
    Ok(loan)
}

/// Refuses anyone but `party`.
fn only(
    loan: &NftLoan,
    party: Option<Address>,
    signer: &Address,
    action: &'static str,
) -> Result<(), LendingError> {
    match party {
        Some(p) if p == *signer => Ok(()),
        Some(p) => Err(LendingError::NotParty {
            loan_id: loan.id,
            party: p,
            action,
            signer: *signer,
        }),
        None => Err(LendingError::Corrupt {
            reason: format!("NFT loan {} has no borrower while running", loan.id),
        }),
    }
}

/// The asset of a loan, which its escrow must hold while it runs.
fn escrowed_asset<S: StateRead>(state: &S, loan: &NftLoan) -> Result<Asset, LendingError> {
    state
        .asset(loan.asset_id)?
        .filter(|a| a.owner == loan_escrow(loan.id))
        .ok_or_else(|| LendingError::Corrupt {
            reason: format!(
                "NFT loan {} runs but its escrow does not hold asset {}",
                loan.id, loan.asset_id
            ),
        })
}

/// Pays the borrower every coin the loan's escrow holds (the asset's
/// income while the loan ran) that the compliance gate lets it receive;
/// the rest stays in the escrow, claimable later. Returns what was paid.
fn pay_income<S: StateWrite>(state: &mut S, loan: &NftLoan) -> Result<Vec<Coin>, LendingError> {
    let Some(borrower) = loan.borrower else {
        return Ok(Vec::new());
    };
    let escrow = loan_escrow(loan.id);
    let mut paid = Vec::new();
    for coin in state.balances(&escrow)? {
        match state.check_can_receive(&borrower, &coin.denom) {
            Ok(()) => {
                state.transfer(&escrow, &borrower, &coin)?;
                paid.push(coin);
            }
            Err(e) if e.is_internal() => return Err(e.into()),
            Err(_) => {}
        }
    }
    Ok(paid)
}

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
