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
//! ## The compliance gate (one for every transfer)
//! [`BankStateWriteExt::transfer`] and [`BankStateWriteExt::mint`] run
//! [`BankStateReadExt::check_can_receive`] on the recipient of every
//! non-zero amount, so a user's send and a module's payout (income claims,
//! metering refunds, penalties, rebates, maintainer pay, staking rewards)
//! meet the same rule: a `kyc_only` denom reaches only a regulator or a
//! KYC'd account that is not frozen, at the current block (bank's
//! begin-of-block hook records the block's height and time for the KYC
//! expiry check). Other denoms move to any account, a frozen one included:
//! a frozen account signs nothing (the app's ante), so what it receives
//! stays frozen with it — a freeze immobilizes, it does not redirect what
//! is owed.
//!
//! **Module accounts** (escrows, pools, the fee collector: addresses no
//! key controls) are registered with
//! [`BankStateWriteExt::register_module_account`] before funds enter them,
//! and are exempt: they hold `kyc_only` coins on behalf of accounts, and
//! the gate applies when the coins leave them for an account. Genesis
//! balances are loaded before identity state and are not gated.
//!
//! A refusal is [`BankError::RecipientNotAllowed`] (a transaction failure
//! the caller may handle: a module hook keeps the payout owed instead of
//! failing the block); a storage fault while checking is internal.
//!
//! ## Perishable denoms
//! A module that issues a denom valid only until a time (compute's
//! capacity tokens `gpuh/<asset>/<window>`) records that time with
//! [`BankStateWriteExt::set_denom_expiry`]; from then on `transfer`
//! refuses it ([`BankError::DenomExpired`]) for a user's send and a
//! module's move alike, and only `burn` takes it. Bank knows no issuing
//! module: it keeps the expiry as its own record.
//!
//! Must never: create or destroy value outside `mint`/`burn`, let a
//! message move funds of anyone but the transaction's signer, or move a
//! `kyc_only` denom to an account the gate refuses.
//!
//! Feature `component` (default): state, handlers, genesis and events.
//! Without it the crate offers only its messages, errors, state keys and
//! [`fee_collector`], and links no storage: what clients use.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly, every transfer passes bank's compliance gate, terms
//! a counterparty accepted never change unilaterally, and storage faults stay
//! internal (they stop the node, never become a transaction failure).

#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
#[cfg(feature = "component")]
mod genesis;
pub mod msg;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

#[cfg(feature = "component")]
pub use component::Bank;
pub use error::BankError;
#[cfg(feature = "component")]
pub use genesis::{BankGenesis, GenesisBalance};
#[cfg(feature = "component")]
pub use state::{BankStateReadExt, BankStateWriteExt};
pub use types::DenomMetadata;

/// The module account transaction fees are paid into (by the app's ante)
/// and metering's platform fees too; staking pays its whole balance out to
/// the validators and delegators at the end of every block.
pub fn fee_collector() -> fructus_types::Address {
    fructus_types::Address::module("fee_collector")
}
