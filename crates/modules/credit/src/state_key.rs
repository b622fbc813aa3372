//! Every storage key of the credit module is built here and nowhere else.
//! Ids are 8-byte big-endian so prefix scans return them in order.

use fructus_types::{Address, Denom};

const PARAMS: &[u8] = b"credit/params";
const DENOMS: &[u8] = b"credit/denoms";
const BOOKS: &[u8] = b"credit/books";
const AGENCY: &[u8] = b"credit/agency/";
const RATING: &[u8] = b"credit/rating/";
const TOTALS: &[u8] = b"credit/totals/";
const VAULT: &[u8] = b"credit/vault/";

/// `credit/params` → `CreditParams`.
pub fn params() -> Vec<u8> {
    PARAMS.to_vec()
}

/// `credit/denoms` → `(credit denom, quote denom)`, fixed at genesis.
pub fn denoms() -> Vec<u8> {
    DENOMS.to_vec()
}

/// `credit/books` → `Books`.
pub fn books() -> Vec<u8> {
    BOOKS.to_vec()
}

/// `credit/agency/<addr>` → `Agency`.
pub fn agency(agency: &Address) -> Vec<u8> {
    [AGENCY, agency.as_bytes().as_slice()].concat()
}

/// Prefix of every agency.
pub fn all_agencies() -> Vec<u8> {
    AGENCY.to_vec()
}

/// `credit/rating/<addr>` → `Rating`.
pub fn rating(enterprise: &Address) -> Vec<u8> {
    [RATING, enterprise.as_bytes().as_slice()].concat()
}

/// `credit/totals/<denom>` → `CollateralTotals`.
pub fn totals(denom: &Denom) -> Vec<u8> {
    [TOTALS, denom.as_str().as_bytes()].concat()
}

/// `credit/vault/<id>` → `Vault`.
pub fn vault(id: u64) -> Vec<u8> {
    [VAULT, &id.to_be_bytes()].concat()
}

/// Prefix of every vault.
pub fn all_vaults() -> Vec<u8> {
    VAULT.to_vec()
}
