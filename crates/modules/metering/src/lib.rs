//! The metering module: devices bound to asset NFTs, pay-per-use service
//! contracts, meter readings and their settlement. Users meet it under
//! those two names: its devices are `fructus tx device …` and
//! `/v1/devices`, its contracts `fructus tx contract …` and
//! `/v1/contracts` (codespace `metering` for both).
//!
//! Owns the `metering/` keys. A device is registered by its asset's owner
//! or a manager of its class with a manufacturer attestation (a signature
//! by one of the class's attestation keys over [`attestation_bytes`]) and
//! the device key's own consent (its signature over
//! [`registration_bytes`]); it gets its own account (tier `device`), bound
//! to its key, whose address names it forever (key rotation keeps it). One
//! live device per asset, one device per key, and a key is never reused: a
//! device key is fresh — never a key that controls an account, and never
//! the key of an account holding a tier, KYC attestation or provider role
//! it would lose. A tamper suspension is lifted only by a re-attestation
//! over [`reattestation_bytes`], bound to the device's suspension count.
//! Every signature above binds the chain id (see docs/security.md §3).
//!
//! A contract (one live per asset) bills `Δunits × price / per_units` per
//! reading with the fractional remainder carried, from a prepaid escrow
//! (`metering_escrow/<id>`) or as a postpaid debt, and splits every
//! collection between the maintainer, the platform (the fee collector) and
//! the asset's shareholders (asset `credit_income`) — see [`billing`] for
//! rounding and who funds SLA penalties and rebates. Period ends are
//! processed at end of block from a queue keyed by period end, at most
//! [`billing::MAX_PERIODS_PER_BLOCK`] per block, each contract catching up
//! in one step. Every number in the terms is bounded in [`msg`] so that
//! period-end arithmetic fits; should one contract's period end still fail
//! (e.g. a transfer the compliance gate refuses), that contract is marked
//! failed with an event and the block goes on — only a storage fault
//! fails the hook. Every close (withdrawal, finalization) returns the
//! contract's escrow to the customer and its incentive pool to the
//! provider.
//!
//! Who meters a contract is a term the customer accepts: the asset's
//! device, or the oracle quorum the asset named when the contract was
//! proposed (never both; a later oracle set applies to new contracts
//! only). Only usage after acceptance is billed: the contract's first
//! reading or accepted round is its baseline.
//!
//! Readings are signed by the device key. Transactions made only of
//! readings use no account nonce: the device's strictly increasing
//! sequence is their replay protection, and
//! [`MeteringStateReadExt::check_reading_admissible`] lets the app refuse
//! a replay before charging a fee. Assets without secure hardware are
//! metered by a quorum of oracles instead (median of the agreeing
//! submissions; outliers recorded).
//!
//! Invariants: per contract `charged = collected + owed + written_off` and
//! `collected = maintainer + platform + shareholders + SLA penalties paid`;
//! a device's sequence strictly increases and its counter never decreases;
//! a reading touches O(1) state entries.
//!
//! Must never: pay anyone more than was collected, move a customer's funds
//! except by its own message or from the escrow it funded, iterate over
//! shareholders, or write another module's keys (bank, asset, auth and
//! identity are reached through their extension traits).
//!
//! Feature `component` (default): state, handlers, billing, block hooks,
//! events and genesis. Without it the crate offers only its messages, the
//! device sign bytes ([`attestation_bytes`] and the others), errors and
//! state keys, and links no storage: what clients (`fructus-client`) use.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly, every transfer passes bank's compliance gate, terms
//! a counterparty accepted never change unilaterally, and storage faults stay
//! internal (they stop the node, never become a transaction failure).

#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
pub mod billing;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
#[cfg(feature = "component")]
mod genesis;
pub mod hook;
pub mod msg;
#[cfg(feature = "component")]
pub mod query;
mod sign_bytes;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

#[cfg(feature = "component")]
pub use billing::BillingStateWriteExt;
#[cfg(feature = "component")]
pub use component::Metering;
pub use error::MeteringError;
pub use fructus_types::Address;
#[cfg(feature = "component")]
pub use genesis::MeteringGenesis;
pub use hook::{MeteredUnits, NoUnitsHook};
pub use sign_bytes::{
    ATTESTATION_DOMAIN, REATTESTATION_DOMAIN, REGISTRATION_DOMAIN, ROTATION_DOMAIN,
    attestation_bytes, reattestation_bytes, registration_bytes, rotation_bytes,
};
#[cfg(feature = "component")]
pub use state::{
    MAX_CLOCK_SKEW_MS, MeteringStateReadExt, MeteringStateWriteExt, contract_escrow,
    incentive_pool, platform_account,
};
pub use types::{Contract, ContractStatus, Device, DeviceStatus, OracleRound, OracleSet};
