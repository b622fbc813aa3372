//! Every storage key of the lending module is built here and nowhere else.
//! Ids are 8-byte big-endian so prefix scans return them in order.

use fructus_types::{Address, Denom};

const PARAMS: &[u8] = b"lending/params";
const QUOTE: &[u8] = b"lending/quote";
const NEXT_LOAN: &[u8] = b"lending/next_loan";
const MARKET: &[u8] = b"lending/market/";
const BORROW: &[u8] = b"lending/borrow/";
const PLEDGE: &[u8] = b"lending/pledge/";
const LOAN: &[u8] = b"lending/loan/";

/// `lending/params` → `LendingParams`.
pub fn params() -> Vec<u8> {
    PARAMS.to_vec()
}

/// `lending/quote` → the quote denom, fixed at genesis.
pub fn quote() -> Vec<u8> {
    QUOTE.to_vec()
}

/// `lending/next_loan` → the next NFT loan id.
pub fn next_loan() -> Vec<u8> {
    NEXT_LOAN.to_vec()
}

/// `lending/market/<denom>` → `Market`.
pub fn market(denom: &Denom) -> Vec<u8> {
    [MARKET, denom.as_str().as_bytes()].concat()
}

/// Prefix of every market.
pub fn all_markets() -> Vec<u8> {
    MARKET.to_vec()
}

/// `lending/borrow/<addr>/<denom>` → `Borrow`.
pub fn borrow(account: &Address, denom: &Denom) -> Vec<u8> {
    [
        BORROW,
        account.as_bytes().as_slice(),
        b"/",
        denom.as_str().as_bytes(),
    ]
    .concat()
}

/// Prefix of an account's borrows.
pub fn borrows_of(account: &Address) -> Vec<u8> {
    [BORROW, account.as_bytes().as_slice(), b"/"].concat()
}

/// `lending/pledge/<addr>/<denom>` → pledged amount (`u128`).
pub fn pledge(account: &Address, denom: &Denom) -> Vec<u8> {
    [
        PLEDGE,
        account.as_bytes().as_slice(),
        b"/",
        denom.as_str().as_bytes(),
    ]
    .concat()
}

/// Prefix of an account's pledges.
pub fn pledges_of(account: &Address) -> Vec<u8> {
    [PLEDGE, account.as_bytes().as_slice(), b"/"].concat()
}

/// `lending/loan/<id>` → `NftLoan`.
pub fn loan(id: u64) -> Vec<u8> {
    [LOAN, &id.to_be_bytes()].concat()
}

/// Prefix of every NFT loan.
pub fn all_loans() -> Vec<u8> {
    LOAN.to_vec()
}
