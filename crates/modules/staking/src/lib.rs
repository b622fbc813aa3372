//! The staking module: validators, delegation, unbonding, voting power,
//! fee rewards, slashing and jailing.
//!
//! Owns the `staking/` keys and three module accounts that hold every
//! staked `ufrx` so that bank's supply invariant keeps holding:
//! [`bonded_pool`] (all validator tokens, active or not), [`unbonding_pool`]
//! (unbonding entries until they mature) and [`rewards_pool`] (rewards
//! credited to validators and not yet paid). Other modules read staking
//! only through [`StakingStateReadExt`]; the app reads the consensus set
//! with [`StakingStateReadExt::active_set`].
//!
//! Rules kept here:
//! - **Who validates**: the operator of a validator must be a regulator, or
//!   an enterprise holding a currently valid KYC attestation, and not
//!   frozen — checked when the validator is created (also at genesis, which
//!   runs the same code as `MsgCreateValidator`) and again at every block:
//!   a validator whose operator lost its tier (attestation expired or
//!   revoked) or was frozen drops out of the active set until it qualifies
//!   again. One validator per operator and per consensus key.
//! - **Whose key**: a `MsgCreateValidator` carries the consensus key's
//!   proof of possession (its signature over
//!   [`msg::consensus_key_possession_bytes`]: operator and chain id), so
//!   nobody registers a consensus key they do not hold; genesis entries,
//!   agreed on by every validator with the genesis file, carry none. No
//!   consensus key is small-order (refused when parsed).
//! - **Voting power** (see [`power`]): regulators' validators share
//!   `super_node_share_bps` of [`TOTAL_POWER`] pro rata to their bonds,
//!   enterprises share the rest. The active set is recomputed in
//!   `end_block` of height H and is the consensus set of height **H + 1**
//!   (the node asks the app for the set of H + 1 right after committing H).
//!   It moves toward these powers by at most `TOTAL_POWER /
//!   power_ramp_blocks` a block ([`power::ramp`]), so no join or change of
//!   bond moves a third of the power at once; ineligible validators leave
//!   at once.
//! - **Delegation** is kept in shares of a validator's tokens, so a slash
//!   lowers every delegator's stake at once without a loop.
//! - **Unbonding** entries complete in `end_block` of
//!   `creation height + unbonding_blocks`, from a queue ordered by maturity
//!   height, at most [`MAX_COMPLETIONS_PER_BLOCK`] per block (the rest wait
//!   for the next block, in order).
//! - **Rewards** (see [`rewards`]): every `end_block`, the fee collector's
//!   `ufrx` (plus `inflation_per_block`, minted) goes to the active set by
//!   power; commission to the operator, the rest to delegators through a
//!   reward-per-share accumulator per validator (no loop over delegators).
//! - **Redelegation** moves stake between validators at once, but each
//!   move is recorded ([`RedelegationEntry`]) until the unbonding period
//!   passes, and redelegated stake may not move on (redelegate again)
//!   before then: a double sign of the source discovered later still
//!   reaches it (see [`slashing`]). At most [`MAX_REDELEGATION_ENTRIES`]
//!   open per delegator and source.
//! - **Slashing** (see [`slashing`]): double signing slashes bonded,
//!   unbonding and redelegated stake and tombstones; downtime slashes
//!   bonded stake and jails. Slashed tokens are burned (the `ufrx` supply shrinks).
//!
//! Must never: put a validator whose operator is not a regulator or KYC'd
//! enterprise in the active set, pay more rewards than were collected,
//! loop over delegators in a block hook, or let a tombstoned validator back.
//!
//! Feature `component` (default): state, handlers, block hooks, events,
//! queries, rewards, slashing and power. Without it the crate offers only
//! its messages (with the consensus-key possession sign bytes), their proto
//! conversions, errors, params, genesis data and state keys, and links no
//! storage: what clients (`fructus-client`) use.
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
mod genesis;
pub mod msg;
mod params;
#[cfg(feature = "component")]
pub mod power;
pub mod proto;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
pub mod rewards;
#[cfg(feature = "component")]
pub mod slashing;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

use fructus_types::Address;

#[cfg(feature = "component")]
pub use component::{Staking, StakingGenesisInput};
pub use error::StakingError;
pub use genesis::{GenesisValidator, StakingGenesis};
pub use params::{MAX_POWER_RAMP_BLOCKS, MAX_SIGNED_BLOCKS_WINDOW, StakingParams};
#[cfg(feature = "component")]
pub use state::{StakingStateReadExt, StakingStateWriteExt};
pub use types::{
    ActiveValidator, Commission, Delegation, DelegationView, RedelegationEntry, RewardsView,
    SigningInfo, UnbondingEntry, Validator, ValidatorView,
};

/// Sum of the voting power of a full active set (each class's pool is a
/// share of it; see [`power`]). Fits u64 with room for any threshold
/// arithmetic consensus does.
pub const TOTAL_POWER: u64 = 1_000_000_000;
/// Most validator records (active or not): bounds the per-block work.
pub const MAX_VALIDATORS: usize = 256;
/// Most unbonding entries one delegator may have open with one validator.
pub const MAX_UNBONDING_ENTRIES: u32 = 7;
/// Most redelegations one delegator may have open out of one validator.
pub const MAX_REDELEGATION_ENTRIES: u32 = 7;
/// Most unbonding entries (and, separately, matured redelegations)
/// completed in one `end_block`.
pub const MAX_COMPLETIONS_PER_BLOCK: usize = 512;
/// Longest moniker, bytes.
pub const MAX_MONIKER_LEN: usize = 64;
/// Basis points in one.
pub const BPS: u128 = 10_000;
/// A commission may change at most once per this much block time (ms).
pub const DAY_MS: u64 = 86_400_000;

/// Module account holding every validator's tokens.
pub fn bonded_pool() -> Address {
    Address::module("staking/bonded")
}

/// Module account holding unbonding entries' tokens.
pub fn unbonding_pool() -> Address {
    Address::module("staking/unbonding")
}

/// Module account holding rewards credited and not yet paid.
pub fn rewards_pool() -> Address {
    Address::module("staking/rewards")
}

/// The community pool: `community_pool_share_bps` of every block's fees
/// go here instead of to the validators; only a passed governance treasury
/// spend pays out of it.
pub fn community_pool() -> Address {
    Address::module("community_pool")
}

#[cfg(feature = "component")]
pub use fructus_bank::fee_collector;
