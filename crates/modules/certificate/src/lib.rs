//! The certificate module: renewable-energy certificates (RECs, 1 unit =
//! 1 MWh) and carbon credits (removal or avoidance, 1 unit = 1 tCO2e).
//!
//! Owns the `cert/` keys. A regulator accredits (and revokes) issuers; an
//! accredited issuer creates classes (kind, methodology, optionally
//! KYC-only) and issues batches of them: a project, a geohash location, a
//! vintage, a serial range that never overlaps another batch of the same
//! class and registry, and metadata (URI + SHA-256). A batch is the bank
//! denom `cert/<batch id>` ([`batch_denom`]: whole units, no issuer in
//! bank, so only this module mints and burns it; `kyc_only` as its class,
//! so bank's compliance gate applies to every transfer of it),
//! transferable and tradable in the AMM like any denom. A batch may also be
//! bridged in from an external registry (its serials are that registry's):
//! idempotent on the source transaction, and refused for a serial range
//! already bridged from that registry, so no origin is minted twice.
//!
//! Retiring burns units for good and writes a permanent, non-transferable
//! [`Retirement`] record (beneficiary, reason, jurisdiction, the serial
//! sub-range consumed, height and time), indexed by batch and by
//! beneficiary and provable from the state root (`/v1/proofs/{key}` with
//! [`state_key::retirement`]). Another module retires a holder's units
//! with [`CertificateStateWriteExt::retire_certificates`] — the same checks
//! and bookkeeping as the `Retire` message. The batch's issuer may cancel
//! units it holds.
//!
//! Invariants, per batch: `issued = supply(cert/<id>) + retired +
//! cancelled` and `retired + cancelled ≤ issued ≤ quantity`; retirements
//! and cancellations consume serials from the start of the range in order,
//! so no serial is ever retired twice; a retirement record is never
//! changed or deleted.
//!
//! Auto-issuance: an issuer authorizes a green-energy asset (one
//! authorization per asset) to mint units of one of its REC batches from
//! the asset's accepted meter readings (kWh). The metering module calls a
//! hook the app implements with
//! [`CertificateStateWriteExt::issue_from_metering`]: each full MWh mints
//! one unit into the asset's income (shareholders receive them pro rata),
//! fractions carry, and `metered_kwh = issued_total × 1000 + carried_kwh`
//! always (no kWh is certified twice). Metering does not depend on this
//! crate; this crate does not depend on metering.
//!
//! Features: `component` (default) adds the state, handlers, events and
//! queries, and so links storage; without it (what clients use) the crate
//! offers its messages and their proto conversions, errors, params,
//! records, denoms and state keys.
//!
//! Must never: mint a batch's units beyond its serial range, mint or burn
//! except through bank's write trait, retire units the signer (or the
//! holder named by a calling module) does not hold, change or delete a
//! retirement record, or write another module's keys.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly (bounds in [`msg`]), every transfer passes bank's
//! compliance gate, terms a counterparty accepted never change unilaterally,
//! and storage faults stay internal (they stop the node, never become a
//! transaction failure).

#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
mod genesis;
pub mod msg;
pub mod params;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
#[cfg(all(test, feature = "component"))]
mod tests;
mod types;

#[cfg(feature = "component")]
pub use component::Certificate;
pub use error::CertificateError;
pub use genesis::CertificateGenesis;
pub use msg::RetirementDetails;
pub use params::CertificateParams;
#[cfg(feature = "component")]
pub use state::{AutoIssued, CertificateStateReadExt, CertificateStateWriteExt, KWH_PER_MWH};
pub use types::{
    Authorization, Batch, CertificateClass, CertificateKind, Issuer, NATIVE_REGISTRY, Retirement,
};

use fructus_types::Denom;

/// Prefix of certificate denoms.
pub const DENOM_PREFIX: &str = "cert/";

/// The bank denom of a batch: `cert/<batch id>`.
pub fn batch_denom(batch_id: u64) -> Denom {
    // `cert/` followed by at most 20 digits always parses (lower-case
    // start, allowed characters, within 128 characters); the fallback is
    // unreachable.
    format!("{DENOM_PREFIX}{batch_id}")
        .parse()
        .unwrap_or_else(|_| Denom::native())
}
