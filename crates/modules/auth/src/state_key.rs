//! Every storage key of the auth module is built here and nowhere else.

use fructus_crypto::sha256;
use fructus_types::{Address, PublicKey};

/// `auth/params` → `AuthParams`.
pub fn params() -> Vec<u8> {
    b"auth/params".to_vec()
}

/// `auth/acct/<address>` → `Account`.
pub fn account(address: &Address) -> Vec<u8> {
    [b"auth/acct/".as_slice(), address.as_bytes()].concat()
}

/// `auth/key/<sha256(tag ‖ key)>` → `Address` bound to that key.
pub fn key_index(key: &PublicKey) -> Vec<u8> {
    let mut pre = vec![key.algo().tag()];
    pre.extend_from_slice(&key.to_bytes());
    [b"auth/key/".as_slice(), &sha256(&pre)].concat()
}

/// `auth/grant/<granter><grantee>` → `FeeGrant`.
pub fn fee_grant(granter: &Address, grantee: &Address) -> Vec<u8> {
    [
        b"auth/grant/".as_slice(),
        granter.as_bytes(),
        grantee.as_bytes(),
    ]
    .concat()
}
