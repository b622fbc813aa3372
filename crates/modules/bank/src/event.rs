//! One constructor per bank event.

use fructus_component::Event;
use fructus_types::{Address, Coin, Denom};

/// `bank.transfer`: `amount` moved from `from` to `to`.
pub(crate) fn transfer(from: &Address, to: &Address, amount: &Coin) -> Event {
    Event::new("bank.transfer")
        .attr("from", from)
        .attr("to", to)
        .attr("amount", amount)
}

/// `bank.mint`: the issuer created `amount` for `to`.
pub(crate) fn mint(issuer: &Address, to: &Address, amount: &Coin) -> Event {
    Event::new("bank.mint")
        .attr("issuer", issuer)
        .attr("to", to)
        .attr("amount", amount)
}

/// `bank.burn`: `amount` destroyed from `from`.
pub(crate) fn burn(from: &Address, amount: &Coin) -> Event {
    Event::new("bank.burn")
        .attr("from", from)
        .attr("amount", amount)
}

/// `bank.create_denom`: a new denom and its issuer.
pub(crate) fn create_denom(denom: &Denom, issuer: &Address, kyc_only: bool) -> Event {
    Event::new("bank.create_denom")
        .attr("denom", denom)
        .attr("issuer", issuer)
        .attr("kyc_only", kyc_only)
}
