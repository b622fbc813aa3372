//! One constructor per asset event. Every event about an asset carries an
//! `asset_id` attribute (the WebSocket filter keys on it).

use fructus_component::Event;
use fructus_types::{Address, Coin, PublicKey};

use crate::{AssetStatus, IncomeCredited};

fn coins(list: &[Coin]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn keys(list: &[PublicKey]) -> String {
    list.iter()
        .map(PublicKey::to_hex)
        .collect::<Vec<_>>()
        .join(",")
}

/// `asset.create_class`.
pub(crate) fn create_class(class_id: u64, creator: &Address, name: &str, unit: &str) -> Event {
    Event::new("asset.create_class")
        .attr("class_id", class_id)
        .attr("creator", creator)
        .attr("name", name)
        .attr("unit", unit)
}

/// `asset.update_attestation_keys`.
pub(crate) fn attestation_keys(class_id: u64, added: &[PublicKey], removed: &[PublicKey]) -> Event {
    Event::new("asset.update_attestation_keys")
        .attr("class_id", class_id)
        .attr("added", keys(added))
        .attr("removed", keys(removed))
}

/// `asset.set_manager`.
pub(crate) fn set_manager(class_id: u64, manager: &Address, authorized: bool) -> Event {
    Event::new("asset.set_manager")
        .attr("class_id", class_id)
        .attr("manager", manager)
        .attr("authorized", authorized)
}

/// `asset.mint`.
pub(crate) fn mint(
    asset_id: u64,
    class_id: u64,
    serial: &str,
    owner: &Address,
    minter: &Address,
) -> Event {
    Event::new("asset.mint")
        .attr("asset_id", asset_id)
        .attr("class_id", class_id)
        .attr("serial", serial)
        .attr("owner", owner)
        .attr("minter", minter)
}

/// `asset.transfer`: the whole NFT changed owner.
pub(crate) fn transfer(asset_id: u64, from: &Address, to: &Address) -> Event {
    Event::new("asset.transfer")
        .attr("asset_id", asset_id)
        .attr("from", from)
        .attr("to", to)
}

/// `asset.status`.
pub(crate) fn status(asset_id: u64, status: AssetStatus, by: &Address) -> Event {
    Event::new("asset.status")
        .attr("asset_id", asset_id)
        .attr("status", status)
        .attr("by", by)
}

/// `asset.fractionalize`.
pub(crate) fn fractionalize(asset_id: u64, owner: &Address, shares: &Coin) -> Event {
    Event::new("asset.fractionalize")
        .attr("asset_id", asset_id)
        .attr("owner", owner)
        .attr("shares", shares)
}

/// `asset.redeem`.
pub(crate) fn redeem(asset_id: u64, by: &Address, burned: &Coin) -> Event {
    Event::new("asset.redeem")
        .attr("asset_id", asset_id)
        .attr("by", by)
        .attr("burned", burned)
}

/// `asset.income_deposited`: a payer moved income into the escrow.
pub(crate) fn income_deposited(asset_id: u64, from: &Address, amount: &Coin) -> Event {
    Event::new("asset.income_deposited")
        .attr("asset_id", asset_id)
        .attr("from", from)
        .attr("amount", amount)
}

/// `asset.income_credited`: `per_share` is the income-per-share increase
/// scaled by 10^18; `recipient` is `shareholders` or the owner's address.
pub(crate) fn income_credited(c: &IncomeCredited) -> Event {
    let recipient = c
        .paid_to_owner
        .map_or_else(|| "shareholders".to_owned(), |a| a.to_string());
    Event::new("asset.income_credited")
        .attr("asset_id", c.asset_id)
        .attr("amount", &c.amount)
        .attr("per_share", c.per_share)
        .attr("recipient", recipient)
}

/// `asset.income_claimed`.
pub(crate) fn income_claimed(asset_id: u64, holder: &Address, amount: &[Coin]) -> Event {
    Event::new("asset.income_claimed")
        .attr("asset_id", asset_id)
        .attr("holder", holder)
        .attr("amount", coins(amount))
}

/// `asset.income_withheld`: income the compliance gate would not let
/// `holder` receive; it stays accrued to the holder.
pub(crate) fn income_withheld(
    asset_id: u64,
    holder: &Address,
    amount: &[Coin],
    reason: &str,
) -> Event {
    Event::new("asset.income_withheld")
        .attr("asset_id", asset_id)
        .attr("holder", holder)
        .attr("amount", coins(amount))
        .attr("reason", reason)
}
