//! One constructor per auth event.

use fructus_component::Event;
use fructus_types::{Address, PublicKey};

/// `auth.rotate_key`: `address` is now controlled by `new_key`.
pub(crate) fn rotate_key(address: &Address, old: Option<&PublicKey>, new_key: &PublicKey) -> Event {
    Event::new("auth.rotate_key")
        .attr("address", address)
        .attr("old_key", old.map(PublicKey::to_hex).unwrap_or_default())
        .attr("new_key", new_key.to_hex())
        .attr("algo", new_key.algo())
}

/// `auth.grant_fee`.
pub(crate) fn grant_fee(granter: &Address, grantee: &Address) -> Event {
    Event::new("auth.grant_fee")
        .attr("granter", granter)
        .attr("grantee", grantee)
}

/// `auth.revoke_fee`.
pub(crate) fn revoke_fee(granter: &Address, grantee: &Address) -> Event {
    Event::new("auth.revoke_fee")
        .attr("granter", granter)
        .attr("grantee", grantee)
}
