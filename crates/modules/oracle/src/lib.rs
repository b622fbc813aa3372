//! The oracle module: prices of denom pairs posted by regulator-accredited
//! feeders, the median of each window's fresh posts, a stale flag, a
//! time-weighted average (TWAP), and an AMM pool's TWAP as a named fallback.
//! The credit and lending modules value collateral with it.
//!
//! Owns the `oracle/` keys.
//!
//! **Fixed point.** A price is a `u128`: base units of the quote denom one
//! base unit of the base denom is worth, times [`PRICE_SCALE`] = 10^18, at
//! most [`MAX_PRICE`] = 10^36 ([`price`]).
//!
//! **Feeders.** A regulator accredits or revokes a feeder; the change is
//! queued and applied by `end_block` in the first block whose time is at
//! least `feeder_delay_ms` after the message, so nobody — not even a
//! regulator — can swap the feeder set within one price move. Only active
//! feeders (a stored feeder record) may post, and only their posts count.
//!
//! **Median.** Time is cut into windows of `window_ms` (window = block time
//! / `window_ms`). A feeder's post for a pair replaces its earlier one;
//! after each post the module takes the median of the posts of the current
//! window by active feeders and, when there are at least `min_feeders`,
//! makes it the pair's price. A pair is *stale* when it has no price or its
//! price is older than `max_age_ms`.
//!
//! **TWAP.** Each pair keeps one point per window (the window's last
//! median), at most `twap_window_ms / window_ms + 2` points; the TWAP is
//! the time-weighted mean of those prices over the last `twap_window_ms`
//! ([`price::twap`]). A view also says how much of the TWAP window the
//! points cover (`twap_coverage_bps`): right after a pair's first price
//! the TWAP is little more than that price.
//!
//! **Guarding a price** ([`guard`]). A consumer that lends, mints or seizes
//! against a price reads it through `guarded_price` with its own limits
//! ([`PriceGuard`]): fresh, a TWAP covering enough of the window, and close
//! enough to that TWAP, so that every consumer applies the same rules.
//!
//! **AMM fallback and its manipulation bound.** Governance may name an AMM
//! pool as the fallback of a pair (`amm_fallbacks`). When the feeders'
//! price is stale the pair is priced by the pool's TWAP over
//! `fallback_window_ms` (at least 30 minutes), and only if the pool's
//! observations cover that whole window and its reserve of the quote denom
//! is at least `fallback_min_quote_reserve`. To move such a price by a
//! factor `f`, an attacker must hold the pool's spot price at `f` times the
//! market for the whole window against every arbitrageur — for a
//! constant-product pool that costs about `R·(√f − 1)²/√f` of the quote
//! denom per block it is held (R the quote reserve), so the bound is set by
//! the two parameters: a shorter window or a shallower pool is refused.
//! A fallback price is returned with source `amm` and is never stale.
//!
//! Features: `component` (default) adds the state, handlers, block hooks,
//! events and queries; without it the crate offers its messages, their
//! proto conversions, errors, params, the price arithmetic, the price guard
//! and state keys.
//!
//! Must never: count a post of a feeder that is not active, let a feeder
//! set change take effect before its delay, move funds, or write another
//! module's keys.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly (bounds in [`msg`]), terms a counterparty accepted
//! never change unilaterally, and storage faults stay internal.

#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
mod genesis;
pub mod guard;
pub mod msg;
pub mod params;
pub mod price;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

#[cfg(feature = "component")]
pub use component::Oracle;
pub use error::OracleError;
pub use genesis::OracleGenesis;
pub use guard::{PriceGuard, PriceRefusal};
pub use params::{AmmFallback, OracleParams};
pub use price::{MAX_PRICE, PRICE_SCALE};
#[cfg(feature = "component")]
pub use state::{OracleStateReadExt, OracleStateWriteExt};
pub use types::{
    FeederChange, FeederRecord, Pair, PairState, PendingChange, Point, PriceSource, PriceView,
    Submission,
};
