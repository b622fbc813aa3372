//! The Fructus state machine.
//!
//! Owns: the fixed, ordered list of modules (auth, bank, identity,
//! staking, asset, metering, amm, compute), the transaction pipeline, fees, genesis and
//! the block life cycle (`begin_block` → transactions → `end_block` →
//! `commit`, which returns the app hash = the Merkle root of the state).
//!
//! The pipeline for one transaction (see `pipeline/`):
//! 1. **stateless** (`pipeline/stateless.rs`): decode with size limits and
//!    canonical encoding (the hash is the hash of the only encoding of the
//!    content), chain id, memo and message-count limits, message parsing
//!    and each message's `check_stateless`, intrinsic gas and minimum fee.
//!    Runs in parallel over a batch; signatures are then batch-verified in
//!    parallel (P-256 low-S only).
//! 2. **ante** (`pipeline/ante.rs`): not already included within the
//!    window (`pipeline/window.rs`), signer account resolved (created on
//!    first use), nonce equal to the account's, timeout height, fee grant,
//!    fee paid into the fee collector, nonce advanced; the caller records
//!    the charged hash in its block's set. A failure here changes nothing
//!    at all.
//! 3. **messages** (`pipeline/execute.rs`): each message's `check_stateful`
//!    (reads and validates once) then `execute` (consumes what the check
//!    loaded, writes), on an overlay discarded if any message fails — the fee
//!    and nonce (or a reading's device sequence) stay charged and the
//!    failure is recorded with its typed code.
//!
//! A block runs phase 2 for all of its transactions, in order, before phase
//! 3 for any: a transaction's fee never depends on another's messages, so
//! [`App::plan_block`] — what proposers and validators run — knows exactly
//! which transactions would be charged, and a valid block carries no
//! transaction that fails for free.
//!
//! Phases 2 and 3 each run on all cores (`pipeline/parallel.rs`): groups
//! of transactions (one per signer) execute on recording overlays,
//! conflicting groups are merged and run again, and the result — state,
//! results, events, charged hashes — is bit for bit the block-order one
//! ([`Execution::Sequential`], kept as the reference). Credits and debits
//! of plain balances are commutative counter deltas, so a shared fee
//! collector, platform, maintainer or fee payer does not serialize a
//! block.
//!
//! Invariants: deterministic (no floats, clocks, randomness or hash-map
//! iteration; time is the block's), checked arithmetic, and no panics on
//! anything a transaction can reach. A storage failure is not a transaction
//! failure: it surfaces as [`AppError`] and the node must stop.
//!
//! Must never: let a failed transaction change state beyond its fee and
//! nonce (or device sequence), charge the same signed bytes twice, or
//! record a result another honest node could not reproduce.

mod app;
mod error;
mod genesis;
mod metered;
mod msg;
pub mod params;
pub mod pipeline;
mod result;
pub mod state_key;

pub use app::{
    App, BlockInfo, BlockOutcome, StagedBlock, check_admission, simulate, validator_set,
};
pub use error::{AppError, TxCheckError};
pub use fructus_bank::fee_collector;
pub use genesis::{AppState, ConsensusValidator, Genesis, GenesisError};
pub use msg::Msg;
pub use pipeline::parallel::{Execution, ParallelStats};
pub use pipeline::stateless::ParsedTx;
pub use result::TxResult;

pub use metered::CertifiedEnergy;

/// Who learns of the units accepted readings bill
/// ([`fructus_metering::MeteredUnits`]): the certificate module's
/// auto-issuance of RECs from metered kWh.
pub type MeteringHook = CertifiedEnergy;

/// Where the AMM learns denom expiries (expiry-aware pools): the compute
/// module's capacity tokens `gpuh/<asset>/<window>` expire at their
/// window's end. The AMM's messages and queries take it as their type
/// parameter, so the AMM does not depend on compute (the API's module
/// table in `fructus-rpc` names the same type for the AMM's queries:
/// change both together).
pub type AmmExpiry = fructus_compute::ComputeExpiry;
