//! The lending module's accounts and its deposit-token denoms: pure
//! functions, the same with or without the `component` feature.

use fructus_types::{Address, Denom};

/// Holds every pool's cash and every pledged collateral (the books say
/// whose is what).
pub fn pool_account() -> Address {
    Address::module("lend_pool")
}

/// Receives each pool's reserves (`lend/sweep_reserves`).
pub fn reserve_account() -> Address {
    Address::module("lend_reserves")
}

/// One NFT loan's escrow: the lender's amount while offered, then the NFT
/// and the income it earns while the loan runs (one account per loan, so
/// everything it receives while the loan runs is that asset's income and
/// belongs to the borrower).
pub fn loan_escrow(loan_id: u64) -> Address {
    Address::module(&format!("lend_nft/{loan_id}"))
}

/// The deposit token of `denom`'s pool, `lend/<denom>` (`None` when that
/// is not a valid denom, e.g. too long).
pub fn lend_denom(denom: &Denom) -> Option<Denom> {
    format!("lend/{denom}").parse().ok()
}
