//! One file per AMM message. Each handler's stateful check is a private
//! `load` that reads and validates everything the message needs and
//! returns it as a `Checked` value; `execute` consumes that value and only
//! writes, so no record is read or checked twice within the execution.

mod add_liquidity;
mod create_pool;
mod remove_liquidity;
mod swap_exact_in;
mod swap_exact_out;

/// Gas per route hop on top of a swap's base cost.
const GAS_PER_HOP: u64 = 6_000;
