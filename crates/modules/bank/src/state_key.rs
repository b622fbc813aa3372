//! Every storage key of the bank module is built here and nowhere else.

use fructus_types::{ADDRESS_LEN, Address, Denom};

const BALANCE: &[u8] = b"bank/bal/";
const SUPPLY: &[u8] = b"bank/supply/";
const DENOM: &[u8] = b"bank/denom/";
const MODULE_ACCOUNT: &[u8] = b"bank/module/";
const CLOCK: &[u8] = b"bank/clock";
const EXPIRY: &[u8] = b"bank/expiry/";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `bank/bal/<address 20 bytes><denom>` → `Amount`.
pub fn balance(address: &Address, denom: &Denom) -> Vec<u8> {
    join(&[BALANCE, address.as_bytes(), denom.as_str().as_bytes()])
}

/// Prefix of all balances of `address`.
pub fn balances_of(address: &Address) -> Vec<u8> {
    join(&[BALANCE, address.as_bytes()])
}

/// Prefix of every balance of every account.
pub fn all_balances() -> Vec<u8> {
    BALANCE.to_vec()
}

/// `bank/supply/<denom>` → `Amount`.
pub fn supply(denom: &Denom) -> Vec<u8> {
    join(&[SUPPLY, denom.as_str().as_bytes()])
}

/// `bank/denom/<denom>` → `DenomMetadata`.
pub fn denom(denom: &Denom) -> Vec<u8> {
    join(&[DENOM, denom.as_str().as_bytes()])
}

/// `bank/module/<address 20 bytes>` → `bool`: a registered module account
/// (exempt from the `kyc_only` recipient rule, see the crate docs).
pub fn module_account(address: &Address) -> Vec<u8> {
    join(&[MODULE_ACCOUNT, address.as_bytes()])
}

/// `bank/clock` → `(height, BlockTime)` of the block being executed,
/// written by bank's begin-of-block hook; the compliance gate checks KYC
/// expiry against it.
pub fn clock() -> Vec<u8> {
    CLOCK.to_vec()
}

/// `bank/expiry/<denom>` → `BlockTime`: from this block time on the
/// denom no longer moves (set by the module that issues a perishable
/// denom).
pub fn expiry(denom: &Denom) -> Vec<u8> {
    join(&[EXPIRY, denom.as_str().as_bytes()])
}

/// Prefix of all denom records.
pub fn all_denoms() -> Vec<u8> {
    DENOM.to_vec()
}

/// Splits a balance key into (address, denom).
pub fn parse_balance(key: &[u8]) -> Option<(Address, Denom)> {
    let rest = key.strip_prefix(BALANCE)?;
    let (addr, denom) = rest.split_at_checked(ADDRESS_LEN)?;
    let addr = Address::from_slice(addr).ok()?;
    let denom = std::str::from_utf8(denom).ok()?.parse().ok()?;
    Some((addr, denom))
}
