//! One constructor per oracle event.

use fructus_component::Event;
use fructus_types::Address;

use crate::{FeederChange, Pair, PendingChange};

fn change_name(c: &FeederChange) -> &'static str {
    match c {
        FeederChange::Accredit => "accredit",
        FeederChange::Revoke => "revoke",
    }
}

/// `oracle.feeder_change_queued`: a regulator asked for a feeder-set
/// change, applied at `effective_ms`.
pub(crate) fn change_queued(c: &PendingChange, reason: Option<&str>) -> Event {
    Event::new("oracle.feeder_change_queued")
        .attr("feeder", c.feeder)
        .attr("change", change_name(&c.change))
        .attr("by", c.by)
        .attr("effective_ms", c.effective_ms)
        .attr("reason", reason.unwrap_or(""))
}

/// `oracle.feeder_change_applied`: a queued change took effect.
pub(crate) fn change_applied(c: &PendingChange) -> Event {
    Event::new("oracle.feeder_change_applied")
        .attr("feeder", c.feeder)
        .attr("change", change_name(&c.change))
}

/// `oracle.price_submitted`: a feeder's post, and the pair's new median
/// when enough feeders posted in the window.
pub(crate) fn submit_price(
    pair: &Pair,
    feeder: &Address,
    price: u128,
    window: u64,
    median: Option<u128>,
    reporters: u32,
) -> Event {
    Event::new("oracle.price_submitted")
        .attr("pair", pair)
        .attr("feeder", feeder)
        .attr("price", price)
        .attr("window", window)
        .attr("reporters", reporters)
        .attr("median", median.map_or_else(String::new, |m| m.to_string()))
}
