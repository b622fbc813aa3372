//! The AMM module: constant-product pools (`x·y = k`) for any two denoms —
//! asset shares, certificates, compute-hour tokens, stablecoins — with LP
//! position tokens, exact-in and exact-out swaps along routes of up to four
//! pools, a TWAP from price accumulators, and expiry-aware pools.
//!
//! Owns the `amm/` keys. Each pool's reserves sit in its own module account
//! ([`pool_account`], registered with bank before funds enter it); its LP
//! tokens are the bank denom `lp/<pool id>` ([`lp_denom`]: no issuer, only
//! this module mints and burns them; transferable like any denom, and
//! `kyc_only` when either pooled denom is). Uniswap v2 is the reference for
//! the numbers ([`math`]).
//!
//! Invariants: one pool per unordered denom pair; a pool account holds
//! exactly its pool's reserves; the supply of `lp/<id>` equals the pool's
//! recorded liquidity (the locked minimum of 1000 units is held by the pool
//! account and never leaves it, so a pool never empties); reserves and
//! liquidity stay within `math::MAX_AMOUNT`; `k = x·y` never decreases
//! across a swap; every rounding favours the pool.
//!
//! Every payout — swap outputs, withdrawals, LP minted, the protocol's fee
//! share — moves through bank's `transfer`/`mint`, so bank's compliance
//! gate (KYC-only denoms, frozen accounts) applies as to a user's send; a
//! refusal (`bank#10`) fails the whole message and nothing moves (the app
//! discards a failed message's writes: swaps, routes and deposits are
//! all-or-nothing).
//!
//! TWAP: on the first touch of a pool in a block, before any change, its
//! accumulators (Σ Q64.64 price × ms, 256-bit, wrapping — only differences
//! are read) are brought up to the block time and, at most once per
//! `observation_interval_ms`, an observation is stored in the pool's ring.
//! `end_block` prunes observations older than `twap_retention_ms`, at most
//! `max_prune_per_block` per block ([`params`]). A TWAP query reports the
//! window it actually covers.
//!
//! Expiring denoms ([`expiry`]): the app names one [`DenomExpiry`] as the
//! type parameter of the messages and queries, so the AMM does not depend
//! on the module that issues expiring denoms.
//!
//! Known limitation — income on pooled shares: an asset's shares held by
//! a pool account earn that asset's income like any holder's, but nobody
//! can claim it (the pool account has no key and the AMM sends no claim),
//! so it stays in the asset's income escrow, pending for the pool account.
//! LPs and traders do not receive it. It cannot simply be added to the
//! reserves on the pool's next touch: the income is usually a third denom
//! that is neither of the pool's. See `docs/security.md` §8.
//!
//! Features: `component` (default) adds the state, handlers, block hooks,
//! events and queries, and so links storage; without it (what clients use)
//! the crate offers its messages and their proto conversions, errors,
//! params, pool math, LP denoms, pool accounts and state keys.
//!
//! Must never: move funds except through bank's write trait, let one
//! signer's message move another account's funds, or write another
//! module's keys.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly (bounds in [`msg`]), every transfer passes bank's
//! compliance gate, terms a counterparty accepted never change unilaterally,
//! and storage faults stay internal (they stop the node, never become a
//! transaction failure).

mod account;
#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
pub mod expiry;
mod genesis;
pub mod math;
pub mod msg;
pub mod params;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
pub mod route;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
#[cfg(all(test, feature = "component"))]
mod tests;

pub use account::{lp_denom, pool_account, protocol_account};
#[cfg(feature = "component")]
pub use component::Amm;
pub use error::AmmError;
pub use expiry::{DenomExpiry, NoExpiry};
pub use genesis::AmmGenesis;
pub use params::{AmmParams, PoolFee};
#[cfg(feature = "component")]
pub use state::{AmmStateReadExt, AmmStateWriteExt, Observation, Pool, Twap};
