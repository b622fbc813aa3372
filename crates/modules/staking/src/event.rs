//! One constructor per staking event.

use fructus_component::Event;
use fructus_types::Address;

/// `staking.create_validator`.
pub(crate) fn create_validator(operator: &Address, consensus: &Address, self_bond: u128) -> Event {
    Event::new("staking.create_validator")
        .attr("operator", operator)
        .attr("consensus_address", consensus)
        .attr("self_bond", self_bond)
}

/// `staking.edit_validator`.
pub(crate) fn edit_validator(operator: &Address, moniker: &str, commission_bps: u16) -> Event {
    Event::new("staking.edit_validator")
        .attr("operator", operator)
        .attr("moniker", moniker)
        .attr("commission_rate_bps", commission_bps)
}

/// `staking.delegate`.
pub(crate) fn delegate(
    delegator: &Address,
    validator: &Address,
    amount: u128,
    shares: u128,
) -> Event {
    Event::new("staking.delegate")
        .attr("delegator", delegator)
        .attr("validator", validator)
        .attr("amount", amount)
        .attr("shares", shares)
}

/// `staking.redelegate`.
pub(crate) fn redelegate(delegator: &Address, src: &Address, dst: &Address, amount: u128) -> Event {
    Event::new("staking.redelegate")
        .attr("delegator", delegator)
        .attr("src_validator", src)
        .attr("dst_validator", dst)
        .attr("amount", amount)
}

/// `staking.undelegate`.
pub(crate) fn undelegate(
    delegator: &Address,
    validator: &Address,
    amount: u128,
    entry: u64,
    completion_height: u64,
) -> Event {
    Event::new("staking.undelegate")
        .attr("delegator", delegator)
        .attr("validator", validator)
        .attr("amount", amount)
        .attr("entry", entry)
        .attr("completion_height", completion_height)
}

/// `staking.withdraw_rewards`.
pub(crate) fn withdraw_rewards(
    delegator: &Address,
    validator: &Address,
    rewards: u128,
    commission: u128,
) -> Event {
    Event::new("staking.withdraw_rewards")
        .attr("delegator", delegator)
        .attr("validator", validator)
        .attr("rewards", rewards)
        .attr("commission", commission)
}

/// `staking.unjail`.
pub(crate) fn unjail(operator: &Address) -> Event {
    Event::new("staking.unjail").attr("operator", operator)
}

/// `staking.double_sign_slashed`: evidence of a double vote by the
/// validator with `consensus_address` at `infraction_height`; `burned` ufrx
/// of its bonded and later-unbonding stake burned; tombstoned for good.
pub(crate) fn double_sign_slashed(
    consensus: &Address,
    infraction_height: u64,
    burned: u128,
) -> Event {
    Event::new("staking.double_sign_slashed")
        .attr("consensus_address", consensus)
        .attr("infraction_height", infraction_height)
        .attr("burned", burned)
        .attr("tombstoned", true)
}

/// `staking.jailed`: missed too many of the recent blocks; slashed by the
/// downtime fraction and out of the set until `until` (then `Unjail`).
pub(crate) fn jailed_for_downtime(operator: &Address, until: u64) -> Event {
    Event::new("staking.jailed")
        .attr("operator", operator)
        .attr("reason", "downtime")
        .attr("jailed_until", until)
}

/// `staking.unbonding_completed`: `amount` ufrx returned to `delegator`.
pub(crate) fn unbonding_completed(delegator: &Address, amount: u128) -> Event {
    Event::new("staking.unbonding_completed")
        .attr("delegator", delegator)
        .attr("amount", amount)
}
