//! One constructor per AMM event. Every event about a pool carries a
//! `pool_id` attribute, and the pool's reserves and liquidity after the
//! change, so an indexer can follow a pool from its events alone.

use fructus_component::Event;
use fructus_types::{Address, Amount, Coin};

use crate::Pool;

fn with_pool(event: Event, pool: &Pool) -> Event {
    event
        .attr("pool_id", pool.id)
        .attr("reserve_a", format!("{}{}", pool.reserve_a, pool.denom_a))
        .attr("reserve_b", format!("{}{}", pool.reserve_b, pool.denom_b))
        .attr("liquidity", pool.liquidity)
}

/// `amm.create_pool`: a new pool, its first deposit and the LP minted to
/// the creator (the locked minimum is `locked`).
pub(crate) fn create_pool(pool: &Pool, minted: Amount, locked: u128) -> Event {
    with_pool(Event::new("amm.create_pool"), pool)
        .attr("creator", pool.creator)
        .attr("fee_bps", pool.fee_bps)
        .attr("lp_denom", pool.lp_denom())
        .attr("minted", minted)
        .attr("locked", locked)
}

/// `amm.add_liquidity`: the amounts actually used (at most the maxima the
/// message named; nothing else was taken) and the LP minted.
pub(crate) fn add_liquidity(
    pool: &Pool,
    provider: &Address,
    used_a: &Coin,
    used_b: &Coin,
    minted: Amount,
) -> Event {
    with_pool(Event::new("amm.add_liquidity"), pool)
        .attr("provider", provider)
        .attr("used_a", used_a)
        .attr("used_b", used_b)
        .attr("minted", minted)
}

/// `amm.remove_liquidity`: LP burned and what was paid (expired units are
/// reported by `amm.expired_burned` instead).
pub(crate) fn remove_liquidity(
    pool: &Pool,
    provider: &Address,
    burned: Amount,
    paid: &[Coin],
) -> Event {
    with_pool(Event::new("amm.remove_liquidity"), pool)
        .attr("provider", provider)
        .attr("burned", burned)
        .attr(
            "paid",
            paid.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
}

/// `amm.expired_burned`: a withdrawal's share of an expired denom was
/// burned instead of paid.
pub(crate) fn expired_burned(pool: &Pool, provider: &Address, burned: &Coin) -> Event {
    with_pool(Event::new("amm.expired_burned"), pool)
        .attr("provider", provider)
        .attr("burned", burned)
}

/// `amm.swap`: one hop of a swap (`last` marks the hop that paid the
/// trader).
pub(crate) fn swap(
    pool: &Pool,
    trader: &Address,
    paid_in: &Coin,
    paid_out: &Coin,
    protocol_fee: Amount,
    last: bool,
) -> Event {
    with_pool(Event::new("amm.swap"), pool)
        .attr("trader", trader)
        .attr("in", paid_in)
        .attr("out", paid_out)
        .attr("protocol_fee", protocol_fee)
        .attr("last_hop", last)
}

/// `amm.observations_pruned`: the end-of-block hook deleted expired TWAP
/// observations.
pub(crate) fn observations_pruned(count: u32) -> Event {
    Event::new("amm.observations_pruned").attr("count", count)
}
