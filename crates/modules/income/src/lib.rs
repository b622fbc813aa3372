//! Income accounting for income-bearing denoms (asset shares, later AMM LP
//! shares): a cumulative income-per-share accumulator per (share denom,
//! income denom) and a checkpoint per holder, so that a payment costs O(1)
//! and never iterates over holders.
//!
//! Owns the `income/` keys. This crate sits *below* bank: bank calls
//! [`IncomeStateWriteExt::settle_income`] from its single balance writer
//! before any balance of an income-bearing denom changes (transfer,
//! multi-send, mint, burn), so income always follows the shares held at the
//! time it was earned. The asset module (above bank) calls
//! [`IncomeStateWriteExt::add_income`] when a payment arrives and
//! [`IncomeStateWriteExt::take_claimable`] when a holder claims; it moves the
//! coins itself. This crate never moves coins and never reads balances.
//!
//! ## Arithmetic
//! Fixed point with [`SCALE`] = 10^18. For a payment of `amount` to
//! `total_shares` shares:
//! `inc = floor((amount·SCALE + carry) / total_shares)`,
//! `carry' = (amount·SCALE + carry) mod total_shares`, `acc += inc`.
//! The product `amount·SCALE` is computed with a 256-bit multiply-divide
//! ([`fructus_types::Amount::mul_div_floor`]); the remainder is recovered
//! exactly (it is `< total_shares`, so arithmetic modulo 2^128 gives it).
//! A holder settling `balance` shares from checkpoint `c` gains
//! `balance·(acc − c)` scaled units, kept as whole units plus a fraction
//! `< SCALE`, so no holder's fraction is ever lost; claims pay the whole
//! units and leave the fraction.
//!
//! **Overflow bound:** the accumulator is a u128, so the lifetime income per
//! share of one (asset, denom) may not pass `(2^128−1)/10^18 ≈ 3.4·10^20`
//! base units *per share*. A payment that would pass it — or a lifetime
//! total above 2^128−1 — is refused with [`IncomeError::Overflow`] before
//! anything is written; nothing wraps.
//!
//! Rounding always favours the protocol: every floor leaves the dust in the
//! escrow (as `carry` at asset level or as holders' fractions), so the sum
//! of what is claimed and claimable never exceeds what was paid in.
//!
//! Must never: iterate over holders when income arrives, create value by
//! rounding, or depend on the bank or asset modules.
//!
//! Feature `component` (default): the state and its extension traits.
//! Without it the crate offers only the arithmetic ([`accrue`],
//! [`split_payment`]), errors and state keys, and links no storage.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly, every transfer passes bank's compliance gate, terms
//! a counterparty accepted never change unilaterally, and storage faults stay
//! internal (they stop the node, never become a transaction failure).

mod error;
mod math;
#[cfg(feature = "component")]
mod state;
pub mod state_key;

pub use error::IncomeError;
pub use math::{SCALE, accrue, split_payment};
#[cfg(feature = "component")]
pub use state::{
    HolderEntry, HolderPosition, IncomeCredit, IncomePool, IncomeStateReadExt, IncomeStateWriteExt,
    MAX_INCOME_DENOMS,
};

use fructus_types::Denom;

/// Prefix of asset-share denoms (`share/<asset id>`).
pub const SHARE_PREFIX: &str = "share/";

/// True when holding `denom` entitles to income, i.e. when bank must settle
/// income before the holder's balance of it changes.
///
/// Today: asset shares (`share/<asset id>`). The AMM issue will add LP
/// shares (`lp/…`) here — this is the single place that decides.
pub fn is_income_bearing(denom: &Denom) -> bool {
    denom.as_str().starts_with(SHARE_PREFIX)
}
