//! One constructor per credit event. Every event about a vault carries
//! `vault_id`.

use fructus_component::Event;
use fructus_types::Address;

use crate::{Grade, Vault};

fn with_vault(event: Event, vault: &Vault) -> Event {
    event
        .attr("vault_id", vault.id)
        .attr("owner", vault.owner)
        .attr("collateral", format!("{}{}", vault.collateral, vault.denom))
        .attr("normalized_debt", vault.normalized_debt)
}

/// `credit.agency`: an agency was accredited or revoked.
pub(crate) fn agency(agency: &Address, by: &Address, accredited: bool) -> Event {
    Event::new("credit.agency")
        .attr("agency", agency)
        .attr("by", by)
        .attr("accredited", accredited)
}

/// `credit.rated`: an enterprise's new rating.
pub(crate) fn rated(
    enterprise: &Address,
    agency: &Address,
    grade: &Grade,
    expiry_ms: u64,
    record_id: u64,
) -> Event {
    Event::new("credit.rated")
        .attr("enterprise", enterprise)
        .attr("agency", agency)
        .attr("grade", grade)
        .attr("expiry_ms", expiry_ms)
        .attr("report_record_id", record_id)
}

/// `credit.rating_revoked`.
pub(crate) fn rating_revoked(enterprise: &Address, by: &Address) -> Event {
    Event::new("credit.rating_revoked")
        .attr("enterprise", enterprise)
        .attr("by", by)
}

/// `credit.vault`: a vault changed (`action`: open, deposit, withdraw,
/// mint, repay, claim_income), with the amount moved.
pub(crate) fn vault(action: &str, vault: &Vault, amount: impl std::fmt::Display) -> Event {
    with_vault(Event::new("credit.vault"), vault)
        .attr("action", action)
        .attr("amount", amount)
}

/// `credit.liquidation_started`: a vault's auction began.
pub(crate) fn liquidation_started(
    vault: &Vault,
    kicker: &Address,
    debt: u128,
    penalty: u128,
    start_price: u128,
) -> Event {
    with_vault(Event::new("credit.liquidation_started"), vault)
        .attr("kicker", kicker)
        .attr("debt", debt)
        .attr("penalty", penalty)
        .attr("start_price", start_price)
}

/// `credit.bid`: collateral bought from an auction.
pub(crate) fn bid(
    vault: &Vault,
    bidder: &Address,
    collateral: u128,
    paid: u128,
    price: u128,
) -> Event {
    with_vault(Event::new("credit.bid"), vault)
        .attr("bidder", bidder)
        .attr("collateral_bought", collateral)
        .attr("paid", paid)
        .attr("price", price)
}

/// `credit.auction_ended`: what the auction recovered and, if collateral
/// ran out first, the shortfall: `from_surplus` burned from the buffer and
/// `bad_debt` recorded.
pub(crate) fn auction_ended(
    vault: &Vault,
    returned: u128,
    from_surplus: u128,
    bad_debt: u128,
) -> Event {
    with_vault(Event::new("credit.auction_ended"), vault)
        .attr("collateral_returned", returned)
        .attr("shortfall_from_surplus", from_surplus)
        .attr("bad_debt", bad_debt)
}

/// `credit.fees_accrued`: the block's stability fee.
pub(crate) fn fees_accrued(rate: u128, fee: u128, covered_bad_debt: u128) -> Event {
    Event::new("credit.fees_accrued")
        .attr("rate", rate)
        .attr("fee", fee)
        .attr("covered_bad_debt", covered_bad_debt)
}

/// `credit.bad_debt_covered`: the backstop burned credit tokens.
pub(crate) fn bad_debt_covered(by: &Address, amount: u128, left: u128) -> Event {
    Event::new("credit.bad_debt_covered")
        .attr("by", by)
        .attr("amount", amount)
        .attr("bad_debt_left", left)
}
