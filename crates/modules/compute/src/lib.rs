//! The compute module: green AI-compute capacity as a perishable, time-bound
//! yield asset. A GPU server is an asset NFT of a class measuring
//! `gpu-hour`; its operator registers it as a provider (GPU model, count,
//! green-energy link) with a bond in ufrx; its attested device signs
//! heartbeats; while online it mints capacity tokens for future windows and
//! accepts demand orders; what buyers pay reaches the asset's fractional
//! owners through the asset module's income credit.
//!
//! Owns the `compute/` keys. Reaches other modules only through their
//! extension traits: metering for the device (registration, manufacturer
//! attestation, tamper suspension and the signer check are metering's —
//! [`fructus_metering::MeteringStateReadExt::require_device_signer`];
//! "hardware attested before billing": no provider without an active
//! attested device, no order accepted without its heartbeats), asset for
//! classes and income, bank for every move of value.
//!
//! **Liveness.** A provider is online while its last heartbeat (with GPUs
//! up) is younger than `heartbeat_interval_ms`. Each online provider has
//! one entry in a queue keyed by the time it goes offline; a heartbeat
//! moves it; the end-of-block sweep pops only the entries due, so it is
//! O(providers that went offline), never O(providers). Going offline fails
//! the provider's accepted orders whose window has started, at its fault.
//!
//! **Capacity tokens** `gpuh/<asset>/<window>` ([`capacity_denom`]): a
//! window is a slice of time of the genesis-fixed length counted from
//! genesis time ([`Epoch`]); the operator mints only while online, only for
//! future windows, at most GPUs × window hours less what is minted or
//! reserved. At the window's end they expire: bank refuses their
//! transfer (compute records the expiry with bank at the first mint), the
//! AMM refuses swaps through [`ComputeExpiry`] (the app's `AmmExpiry`),
//! redemption refuses them, and any holder may burn them.
//!
//! **Orders** are priced in a stablecoin (a denom with an issuer) and
//! escrowed in `compute_escrow/<id>`. An under-funded order is paused for
//! `grace_ms` instead of closed; a provider accepts an open order while
//! online, for a window with free capacity ending by the deadline, at most
//! the maximum price (the excess escrow is refunded at once); the terms
//! (shares, slash fraction, challenge window) are fixed then. Completion:
//! the buyer confirms; or the named verifier approves the result hash; or
//! the challenge window lapses without a challenge (a challenge goes to
//! the verifier). Fault is attributed ([`Fault`]): offline during the
//! window by heartbeats, no result by the deadline, or a result the
//! verifier rejects are the provider's — the buyer is refunded and gets
//! `slash_bps` of the bond; a result nobody decided on is refunded with
//! nobody slashed; an order left under-funded is the buyer's own. See
//! [`settle`] for the money and its rounding.
//!
//! **Green receipts.** An order may require green compute: it is accepted
//! only by a provider whose green link is a REC batch its operator holds
//! enough of — `ceil(hours × wh_per_gpu_hour / 10⁶)` RECs beyond what its
//! open green orders committed — and its completion retires them from the
//! operator's holding through the certificate module's retire API (the
//! buyer is the beneficiary), the receipt recording the retirement ids.
//! Should the operator no longer hold them then, the completion is
//! refused (nothing is written): a buyer's confirmation fails, and a
//! lapsed challenge window's settlement is retried a grace period later.
//!
//! Invariants: an order's escrow account holds exactly `order.escrow`; a
//! provider's bond account holds exactly `provider.bond`; settling moves
//! the whole escrow (payout + refund) and at most the bond; minted +
//! reserved never exceeds a window's capacity; every order has at most one
//! settlement-queue entry and every online provider one liveness entry.
//!
//! Must never: move funds except through bank's write trait (its
//! compliance gate), pay anyone more than the escrow held, iterate over
//! all providers or orders in a block hook, or write another module's keys.
//!
//! Like every module, it keeps the rules of `docs/security.md` §1: a block
//! hook never fails the block for one user's data, every user-chosen number
//! is bounded statelessly (bounds in [`msg`]), every transfer passes bank's
//! compliance gate, terms a counterparty accepted never change
//! unilaterally, and storage faults stay internal.
//!
//! Features: `component` (default) adds the state, handlers, block hooks,
//! events and queries, and so links storage; without it (what clients use)
//! the crate offers its messages and their proto conversions, errors,
//! params, records, denoms and state keys.

#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
pub mod expiry;
mod genesis;
pub mod msg;
pub mod params;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
pub mod settle;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

#[cfg(feature = "component")]
pub use component::{Compute, ComputeGenesisInput};
pub use error::ComputeError;
pub use expiry::ComputeExpiry;
pub use genesis::{ComputeGenesis, MAX_WINDOW_MS};
pub use params::ComputeParams;
#[cfg(feature = "component")]
pub use state::{ComputeStateReadExt, ComputeStateWriteExt, Epoch, is_online};
pub use types::{
    CAPACITY_PREFIX, Capacity, Fault, GPU_HOUR_UNIT, GreenLink, HOUR_MS, Order, OrderStatus,
    Provider, Receipt, Verification, bond_account, capacity_denom, order_escrow,
    parse_capacity_denom,
};
