//! One constructor per metering event. Every event about an asset carries
//! an `asset_id` attribute (the WebSocket filter keys on it).

use fructus_component::Event;
use fructus_types::{Address, Amount, Coin, PublicKey};

use crate::{Contract, Device, billing::Bill, billing::Split};

/// `metering.register_device`.
pub(crate) fn register_device(d: &Device, by: &Address) -> Event {
    Event::new("metering.register_device")
        .attr("device", d.address)
        .attr("asset_id", d.asset_id)
        .attr("key", d.key.to_hex())
        .attr("by", by)
}

/// `metering.rotate_device_key`.
pub(crate) fn rotate_key(d: &Device, old: &PublicKey, by: &Address) -> Event {
    Event::new("metering.rotate_device_key")
        .attr("device", d.address)
        .attr("asset_id", d.asset_id)
        .attr("old_key", old.to_hex())
        .attr("new_key", d.key.to_hex())
        .attr("by", by)
}

/// `metering.device_status`: suspended (tamper), re-attested or
/// decommissioned.
pub(crate) fn device_status(d: &Device, reason: &str, by: &Address) -> Event {
    Event::new("metering.device_status")
        .attr("device", d.address)
        .attr("asset_id", d.asset_id)
        .attr("status", d.status)
        .attr("reason", reason)
        .attr("by", by)
}

/// `metering.plausibility_bound`.
pub(crate) fn plausibility_bound(class_id: u64, max_units_per_second: u64) -> Event {
    Event::new("metering.plausibility_bound")
        .attr("class_id", class_id)
        .attr("max_units_per_second", max_units_per_second)
}

/// `metering.reading`: a reading (device or oracle) was accepted and billed.
/// `device`: the signing device (`source` `device`, its address in
/// `device`, so history can be kept per device), or `None` for an oracle
/// quorum (`source` `oracle`, `device` empty).
pub(crate) fn reading(
    device: Option<&Address>,
    asset_id: u64,
    sequence: u64,
    counter: u64,
    c: &Contract,
    bill: &Bill,
    flags: u32,
) -> Event {
    Event::new("metering.reading")
        .attr("source", if device.is_some() { "device" } else { "oracle" })
        .attr(
            "device",
            device.map(ToString::to_string).unwrap_or_default(),
        )
        .attr("asset_id", asset_id)
        .attr("contract_id", c.id)
        .attr("sequence", sequence)
        .attr("counter", counter)
        .attr("units", bill.units)
        .attr("charged", bill.charge)
        .attr("collected", bill.collected)
        .attr("owed", c.owed)
        .attr("remainder", c.remainder)
        .attr("flags", flags)
}

/// `metering.payment_split`.
pub(crate) fn split(c: &Contract, from: &Address, s: &Split) -> Event {
    Event::new("metering.payment_split")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("from", from)
        .attr("denom", &c.terms.price.denom)
        .attr("maintainer", s.maintainer)
        .attr("platform", s.platform)
        .attr("sla_penalty", s.penalty)
        .attr("shareholders", s.shareholders)
}

/// `metering.contract_status`.
pub(crate) fn contract_status(c: &Contract, reason: &str) -> Event {
    Event::new("metering.contract_status")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("status", c.status)
        .attr("reason", reason)
        .attr("owed", c.owed)
}

/// `metering.open_contract`.
pub(crate) fn open_contract(c: &Contract) -> Event {
    Event::new("metering.open_contract")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("provider", c.provider)
        .attr("customer", c.customer)
        .attr("price", &c.terms.price)
        .attr("per_units", c.terms.per_units)
}

/// `metering.deposit`: escrow top-up, acceptance deposit, settlement or
/// incentive funding.
pub(crate) fn deposit(c: &Contract, kind: &str, by: &Address, amount: &Coin) -> Event {
    Event::new("metering.deposit")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("kind", kind)
        .attr("by", by)
        .attr("amount", amount)
}

/// `metering.close_notice`.
pub(crate) fn close_notice(c: &Contract, by: &Address, closes_at_ms: u64) -> Event {
    Event::new("metering.close_notice")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("by", by)
        .attr("closes_at_ms", closes_at_ms)
}

/// `metering.sla_penalty`: a period ended short of the SLA.
pub(crate) fn sla_penalty(c: &Contract, missing: u64, penalty: Amount) -> Event {
    Event::new("metering.sla_penalty")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("missing_units", missing)
        .attr("penalty", penalty)
        .attr("penalty_due", c.penalty_due)
}

/// `metering.rebate`: a period ended below the efficiency baseline.
pub(crate) fn rebate(c: &Contract, saved: u64, earned: Amount, paid: Amount) -> Event {
    Event::new("metering.rebate")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("saved_units", saved)
        .attr("earned", earned)
        .attr("paid", paid)
}

/// `metering.set_oracles`.
pub(crate) fn set_oracles(asset_id: u64, oracles: &[Address], threshold: u32) -> Event {
    Event::new("metering.set_oracles")
        .attr("asset_id", asset_id)
        .attr(
            "oracles",
            oracles
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
        .attr("threshold", threshold)
}

/// `metering.oracle_report`.
pub(crate) fn oracle_report(asset_id: u64, period: u64, oracle: &Address, counter: u64) -> Event {
    Event::new("metering.oracle_report")
        .attr("asset_id", asset_id)
        .attr("period", period)
        .attr("oracle", oracle)
        .attr("counter", counter)
}

/// `metering.oracle_outlier`: an oracle disagreed with the accepted value.
pub(crate) fn oracle_outlier(asset_id: u64, period: u64, oracle: &Address, counter: u64) -> Event {
    Event::new("metering.oracle_outlier")
        .attr("asset_id", asset_id)
        .attr("period", period)
        .attr("oracle", oracle)
        .attr("counter", counter)
}

/// `metering.period_end`: a contract period was processed at end of block;
/// `merged_periods` whole periods that passed unprocessed were merged into
/// it.
pub(crate) fn period_end(c: &Contract, end_ms: u64, merged_periods: u64) -> Event {
    Event::new("metering.period_end")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("end_ms", end_ms)
        .attr("units", c.period_units)
        .attr("merged_periods", merged_periods)
}

/// `metering.period_failed`: a contract's period end failed for its own
/// data; the contract is marked failed and the block went on.
pub(crate) fn period_failed(c: &Contract, end_ms: u64, error: &crate::MeteringError) -> Event {
    use fructus_component::ErrorCode;
    Event::new("metering.period_failed")
        .attr("asset_id", c.asset_id)
        .attr("contract_id", c.id)
        .attr("end_ms", end_ms)
        .attr("codespace", error.codespace())
        .attr("code", error.code())
        .attr("reason", error.to_string())
}
