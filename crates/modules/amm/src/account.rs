//! A pool's LP denom and the module accounts of the AMM: pure functions of
//! the pool id, the same with or without the `component` feature.

use fructus_types::{Address, Denom};

/// The bank denom of a pool's LP tokens: `lp/<pool id>`.
pub fn lp_denom(pool_id: u64) -> Denom {
    // `lp/` followed by at most 20 digits always parses (lower-case start,
    // allowed characters, within 128 characters); the fallback is
    // unreachable.
    format!("lp/{pool_id}")
        .parse()
        .unwrap_or_else(|_| Denom::native())
}

/// The module account holding a pool's reserves (one per pool, so its
/// balances are exactly the pool's reserves, and the locked minimum
/// liquidity): `Address::module("amm_pool/<id>")`.
pub fn pool_account(pool_id: u64) -> Address {
    Address::module(&format!("amm_pool/{pool_id}"))
}

/// The module account the protocol share of swap fees is paid to.
pub fn protocol_account() -> Address {
    Address::module("amm_protocol")
}
