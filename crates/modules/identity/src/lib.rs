//! The identity module: account tiers, KYC providers and attestations,
//! regulator powers (freeze / unfreeze, revocation), and regulator-only
//! encrypted records.
//!
//! Owns the `identity/` keys. Other modules read identity only through
//! [`IdentityStateReadExt`] (`tier`, `is_kyc`, `kyc_level`, `is_frozen`,
//! `check_not_frozen`, `check_can_hold_kyc_only`, ...) and write only
//! through [`IdentityStateWriteExt::set_tier`] (metering marks devices and
//! oracles).
//!
//! Rules kept here:
//! - **Regulators** come from genesis; afterwards the set changes only
//!   when a regulator-set proposal passes: the governance module calls
//!   [`IdentityStateWriteExt::add_regulator`] /
//!   [`IdentityStateWriteExt::remove_regulator`] (no message of this
//!   module changes the set). At most [`MAX_REGULATORS`]; the last
//!   regulator cannot be removed.
//! - **KYC**: a regulator accredits or revokes KYC providers; a regulator or
//!   an accredited provider attests an account (level 1-3, an optional
//!   expiry height and/or time, a salted commitment to the off-chain KYC
//!   file, [`records::kyc_file_commitment`]). One
//!   attestation per (subject, issuer); a new one replaces the old. An
//!   attestation counts while it is neither expired (height > expiry
//!   height, or block time ≥ expiry time), nor revoked (by a regulator or
//!   its issuer), nor voided (its provider's accreditation was revoked with
//!   `void_attestations`). Revoking a provider without voiding only stops
//!   its *new* attestations. All checked at use against the block height
//!   and time: there is no per-block expiry loop.
//! - **Tiers** ([`Tier`]): regulator set member → `regulator`; else a tier a
//!   module assigned (`device`, `oracle`); else a valid attestation of level
//!   ≥ [`msg::KYC_LEVEL_ENTERPRISE`] → `enterprise`; else `individual`.
//! - **Freeze**: a regulator freezes/unfreezes any non-regulator account
//!   with a reason (in the event). A frozen account may not sign (the app's
//!   ante calls [`IdentityStateReadExt::check_not_frozen`]) and may not
//!   receive `kyc_only` denoms (bank calls
//!   [`IdentityStateReadExt::check_can_hold_kyc_only`]: not frozen, and a
//!   regulator or KYC'd).
//! - **Records**: anyone stores a record sealed (see [`records`]) to exactly
//!   the current regulators' registered X25519 keys — one wrapped content
//!   key per regulator with a key, no more, no fewer, each naming the key it
//!   was wrapped to. The chain holds ciphertext and a salted commitment to
//!   the plaintext, never plaintext nor an unsalted hash of it. A regulator
//!   registers its key with the records key's proof of possession
//!   ([`records::possession_bytes`]).
//!
//! Must never: store a plaintext record or an unsalted hash of a private
//! document, register a records key without its possession proof, let anyone but a regulator freeze
//! or accredit, or let anyone but governance change the regulator set.
//!
//! Feature `component` (default): state, handlers, genesis, events and
//! queries. Without it the crate offers only its messages, their proto
//! conversions, sealed records ([`records`]), errors and state keys, and
//! links no storage: what clients use.
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
pub mod event;
#[cfg(feature = "component")]
mod genesis;
pub mod msg;
pub mod proto;
#[cfg(feature = "component")]
pub mod query;
pub mod records;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

#[cfg(feature = "component")]
pub use component::Identity;
pub use error::IdentityError;
#[cfg(feature = "component")]
pub use event::set_tier as set_tier_event;
#[cfg(feature = "component")]
pub use genesis::{GenesisAttestation, GenesisEncryptionKey, IdentityGenesis};
#[cfg(feature = "component")]
pub use state::{IdentityStateReadExt, IdentityStateWriteExt, check_can_hold_kyc_only};
pub use types::{
    AccountIdentity, Attestation, AttestationStatus, AttestationView, FreezeRecord, ProviderRecord,
    Record, RecordView, RegulatorRecord, RegulatorView, Revocation, Tier,
};

/// Name of the module account allowed to change the regulator set (the
/// same account that alone changes params).
pub use fructus_component::GOVERNANCE_MODULE;
/// Most regulators.
pub const MAX_REGULATORS: usize = 64;
/// Most accredited KYC providers.
pub const MAX_PROVIDERS: usize = 256;
/// Most attestations (one per issuer) kept for one account.
pub const MAX_ATTESTATIONS_PER_SUBJECT: usize = 64;
