//! The asset module: asset classes (device models), asset NFTs, fractional
//! shares and the O(1) distribution of their income.
//!
//! Owns the `asset/` keys. Shares of asset `n` are the bank denom
//! `share/<n>` (no issuer: only this module mints them, at
//! fractionalization, and burns them, at redemption). Income accounting
//! per share lives in `fructus-income` (below bank, so bank settles it on
//! every share transfer); the coins themselves wait in one escrow module
//! account per asset ([`income_escrow`]) until holders claim.
//!
//! Invariants: an asset's escrow holds, per denom, exactly what was credited
//! to its shares minus what its holders claimed; nobody is paid more than
//! its pro-rata entitlement rounded down; a fractionalized NFT cannot be
//! transferred; the shares outstanding of a fractionalized asset equal the
//! count it was split into.
//!
//! Who may do what: KYC'd enterprises and regulators create classes (see
//! [`can_create_class`], which asks the identity module for the signer's
//! tier at the block); the class creator updates
//! attestation keys and authorizes managers; the creator or a manager
//! mints; the owner transfers, sets the status and fractionalizes; while
//! fractionalized the account that fractionalized it stays the owner of
//! record and sets the status; the holder of every share redeems (its pending income is claimed
//! first; redemption drops the income pools' carried remainders, see
//! `fructus_income::IncomeStateWriteExt::close_share_issue`).
//!
//! ## Income in a `kyc_only` denom (the compliance gate)
//! Payouts go through bank's one transfer path, so the gate
//! ([`fructus_bank::BankStateReadExt::check_can_receive`]) applies. The
//! income escrows are registered module accounts, so any payer whose coins
//! the gate admits may deposit into them. Then:
//! - **Not fractionalized:** the owner is paid at once; if the gate refuses
//!   the owner, the deposit (or the metering payment) is refused with the
//!   bank's typed error and nothing moves.
//! - **Fractionalized:** the payment accrues to every share, an ineligible
//!   holder's included — the per-share income is the share's right and a
//!   payment never iterates over holders, so it cannot know who is
//!   eligible. What the gate refuses is the *payout*: a claim pays the
//!   denoms the holder may receive and withholds the others (they stay
//!   accrued, in the escrow, event `asset.income_withheld`); a claim where
//!   everything is withheld fails with [`AssetError::IncomeWithheld`]. Once
//!   the holder is KYC'd (or unfrozen) the next claim pays it. Nothing is
//!   redirected to other holders.
//!
//! Must never: iterate over shareholders when income arrives, move funds of
//! anyone but the signer, or write another module's keys (bank is reached
//! through `BankStateWriteExt`, income through `IncomeStateWriteExt`).
//!
//! Feature `component` (default): state, handlers, genesis and events.
//! Without it the crate offers only its messages, the plain data they carry
//! ([`Document`], [`AssetStatus`]), errors and state keys, and links no
//! storage: what clients use.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly, every transfer passes bank's compliance gate, terms
//! a counterparty accepted never change unilaterally, and storage faults stay
//! internal (they stop the node, never become a transaction failure).

#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
pub mod component;
mod error;
#[cfg(feature = "component")]
mod event;
#[cfg(feature = "component")]
mod genesis;
pub mod msg;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

pub use error::AssetError;
#[cfg(feature = "component")]
pub use genesis::AssetGenesis;
#[cfg(feature = "component")]
pub use state::{
    AssetStateReadExt, AssetStateWriteExt, Claim, ClassSpec, IncomeCredited, can_create_class,
    income_escrow, share_denom,
};
pub use types::{
    Asset, AssetClass, AssetStatus, DEFAULT_SHARES, Document, Fractionalization, IncomeTotal,
    ShareHolder,
};
