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
//! Who may do what: any account creates classes (see
//! [`can_create_class`], the future KYC gate); the class creator updates
//! attestation keys and authorizes managers; the creator or a manager
//! mints; the owner transfers, sets the status and fractionalizes; while
//! fractionalized the account that fractionalized it stays the owner of
//! record and sets the status; the holder of every share redeems.
//!
//! Must never: iterate over shareholders when income arrives, move funds of
//! anyone but the signer, or write another module's keys (bank is reached
//! through `BankStateWriteExt`, income through `IncomeStateWriteExt`).

pub mod action_handler;
mod component;
mod error;
mod event;
mod genesis;
pub mod msg;
mod state;
pub mod state_key;

pub use component::AssetModule;
pub use error::AssetError;
pub use genesis::AssetGenesis;
pub use state::{
    Asset, AssetClass, AssetStateReadExt, AssetStateWriteExt, AssetStatus, ClassSpec,
    DEFAULT_SHARES, Document, Fractionalization, IncomeCredited, IncomeTotal, ShareHolder,
    can_create_class, income_escrow, share_denom,
};
