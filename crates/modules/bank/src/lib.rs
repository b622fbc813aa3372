//! The bank module: multi-denom balances, transfers and multi-sends, denoms
//! with an issuer who alone mints and burns them, and total supply per denom.
//!
//! Owns the `bank/` keys. Other modules move value only through
//! [`BankStateWriteExt`] (`transfer`, `mint`, `burn`), never by writing
//! balance keys.
//!
//! Invariants kept here: for every denom, the supply record equals the sum
//! of all balances (module accounts included); balances are never negative
//! and zero balances are not stored; only a denom's issuer mints or burns it;
//! `ufrx` has no issuer, so no message can mint it.
//!
//! Must never: create or destroy value outside `mint`/`burn`, or let a
//! message move funds of anyone but the transaction's signer.

pub mod action_handler;
mod component;
mod error;
mod event;
mod genesis;
pub mod msg;
mod state;
pub mod state_key;

pub use component::Bank;
pub use error::BankError;
pub use genesis::{BankGenesis, GenesisBalance};
pub use state::{BankStateReadExt, BankStateWriteExt, DenomMetadata};

/// The module account transaction fees are paid into (by the app's ante)
/// and metering's platform fees too; staking pays its whole balance out to
/// the validators and delegators at the end of every block.
pub fn fee_collector() -> fructus_types::Address {
    fructus_types::Address::module("fee_collector")
}
