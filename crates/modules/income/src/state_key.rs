//! Every storage key of income accounting is built here and nowhere else.
//!
//! Income-bearing denoms have the form `share/<id>` (later `lp/<id>`), with
//! no further `/`, so `<denom>/` is never a prefix of another such denom's
//! keys; addresses are the raw 20 bytes and are checked by length on parse.

use fructus_types::{ADDRESS_LEN, Address, Denom};

const POOL: &[u8] = b"income/pool/";
const POSITION: &[u8] = b"income/pos/";
const HOLDERS: &[u8] = b"income/holders/";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `income/pool/<share denom>/<income denom>` → `IncomePool`.
pub fn pool(share: &Denom, income: &Denom) -> Vec<u8> {
    join(&[
        POOL,
        share.as_str().as_bytes(),
        b"/",
        income.as_str().as_bytes(),
    ])
}

/// Prefix of every income pool of `share` (sorted by income denom).
pub fn pools_of(share: &Denom) -> Vec<u8> {
    join(&[POOL, share.as_str().as_bytes(), b"/"])
}

/// `income/pos/<share denom>/<address>` → `HolderPosition`.
pub fn position(share: &Denom, holder: &Address) -> Vec<u8> {
    join(&[POSITION, share.as_str().as_bytes(), b"/", holder.as_bytes()])
}

/// `income/holders/<share denom>/<address>` → `true`: present iff the
/// address holds a positive balance of `share`.
pub fn holder(share: &Denom, holder: &Address) -> Vec<u8> {
    join(&[HOLDERS, share.as_str().as_bytes(), b"/", holder.as_bytes()])
}

/// Prefix of the holder index of `share` (sorted by address).
pub fn holders_of(share: &Denom) -> Vec<u8> {
    join(&[HOLDERS, share.as_str().as_bytes(), b"/"])
}

/// The address at the end of a holder-index key under `prefix`.
pub fn parse_holder(prefix: &[u8], key: &[u8]) -> Option<Address> {
    let rest = key.strip_prefix(prefix)?;
    if rest.len() != ADDRESS_LEN {
        return None;
    }
    Address::from_slice(rest).ok()
}
