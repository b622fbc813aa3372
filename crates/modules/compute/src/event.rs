//! One constructor per compute event. Every event about a provider or an
//! order carries `asset_id` (when known) so the WebSocket filter keys on
//! it; order events carry `order_id` and the status after the change.

use fructus_component::Event;
use fructus_types::{Address, Coin};

use crate::{Order, Provider, Receipt};

fn with_order(event: Event, o: &Order) -> Event {
    let event = event
        .attr("order_id", o.id)
        .attr("buyer", o.buyer)
        .attr("status", o.status);
    match o.asset_id {
        Some(a) => event.attr("asset_id", a),
        None => event,
    }
}

/// `compute.register_provider`.
pub(crate) fn register_provider(p: &Provider) -> Event {
    Event::new("compute.register_provider")
        .attr("asset_id", p.asset_id)
        .attr("operator", p.operator)
        .attr("gpu_model", &p.gpu_model)
        .attr("gpus", p.gpus)
        .attr("bond", p.bond)
}

/// `compute.heartbeat`: `online` after it.
pub(crate) fn heartbeat(p: &Provider) -> Event {
    Event::new("compute.heartbeat")
        .attr("asset_id", p.asset_id)
        .attr("sequence", p.heartbeat_sequence)
        .attr("gpus_online", p.gpus_online)
        .attr("online", p.online)
}

/// `compute.provider_offline`: no heartbeat within the interval.
pub(crate) fn provider_offline(p: &Provider, at_ms: u64) -> Event {
    Event::new("compute.provider_offline")
        .attr("asset_id", p.asset_id)
        .attr("at_ms", at_ms)
}

/// `compute.mint_capacity`.
pub(crate) fn mint_capacity(asset_id: u64, window: u64, minted: &Coin, expiry_ms: u64) -> Event {
    Event::new("compute.mint_capacity")
        .attr("asset_id", asset_id)
        .attr("window", window)
        .attr("minted", minted)
        .attr("expiry_ms", expiry_ms)
}

/// `compute.burn_expired`.
pub(crate) fn burn_expired(by: &Address, burned: &Coin) -> Event {
    Event::new("compute.burn_expired")
        .attr("by", by)
        .attr("burned", burned)
}

/// `compute.add_bond`.
pub(crate) fn add_bond(p: &Provider, added: fructus_types::Amount) -> Event {
    Event::new("compute.add_bond")
        .attr("asset_id", p.asset_id)
        .attr("added", added)
        .attr("bond", p.bond)
}

/// `compute.order`: an order changed (`action` says how: accepted,
/// submitted, challenged, topped_up).
pub(crate) fn order(o: &Order, action: &str) -> Event {
    with_order(Event::new("compute.order"), o)
        .attr("action", action)
        .attr("escrow", format!("{}{}", o.escrow, o.denom))
}

/// `compute.post_order` (a buyer posted it) or `compute.redeem_capacity`
/// (a holder redeemed capacity tokens for it): an order was created.
pub(crate) fn order_created(o: &Order) -> Event {
    let kind = if o.redeemed {
        "compute.redeem_capacity"
    } else {
        "compute.post_order"
    };
    with_order(Event::new(kind), o)
        .attr("hours", o.hours)
        .attr("escrow", format!("{}{}", o.escrow, o.denom))
}

/// `compute.settled`: an order's receipt.
pub(crate) fn settled(o: &Order, r: &Receipt) -> Event {
    with_order(Event::new("compute.settled"), o)
        .attr("fault", format!("{:?}", r.fault))
        .attr("shareholders", r.shareholders)
        .attr("maintainer", r.maintainer)
        .attr("platform", r.platform)
        .attr("refunded", r.refunded)
        .attr("slashed", r.slashed)
        .attr(
            "retirements",
            r.retirements
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
}

/// `compute.settle_failed`: the end-of-block settlement of one order was
/// refused (e.g. the buyer may no longer hold the stablecoin, the operator
/// no longer holds the RECs); its escrow stays in its account, the block
/// goes on, and it is tried again a grace period later.
pub(crate) fn settle_failed(o: &Order, reason: &str) -> Event {
    with_order(Event::new("compute.settle_failed"), o).attr("reason", reason)
}
