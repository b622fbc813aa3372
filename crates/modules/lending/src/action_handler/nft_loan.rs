//! What the NFT loan messages share (one file per message beside this
//! one). The terms are fixed by the offer; every later message only moves
//! what they say.

use fructus_asset::{Asset, AssetStateReadExt};
use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::ErrorCode;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Coin};

use crate::{LendingError, LendingStateReadExt, LoanStatus, NftLoan, loan_escrow};

/// The loan, if it is in `status`.
pub(super) fn loan_in<S: StateRead>(
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
pub(super) fn only(
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
pub(super) fn escrowed_asset<S: StateRead>(
    state: &S,
    loan: &NftLoan,
) -> Result<Asset, LendingError> {
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
pub(super) fn pay_income<S: StateWrite>(
    state: &mut S,
    loan: &NftLoan,
) -> Result<Vec<Coin>, LendingError> {
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
