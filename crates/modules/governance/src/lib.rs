//! The governance module: proposals, deposits, stake-weighted votes with a
//! regulator veto on regulatory proposals, automatic execution, the
//! community pool's spending, and upgrade heights.
//!
//! Owns the `gov/` keys and the governance module account
//! ([`fructus_component::governance_authority`]), the only authority that
//! changes any module's params and the regulator set: no key signs for a
//! module account, so only a passed proposal, executed here in end-block,
//! acts with it. The account also escrows deposits.
//!
//! Life of a proposal:
//! 1. **Submit** ([`msg::SubmitProposal`]): the content — text, a param
//!    change for a module by name, a treasury spend from the community
//!    pool, a regulator-set change, a software-upgrade height — is run at
//!    once on a copy of the state (the *dry run*, stored with the
//!    proposal, result and events). A param change its module refuses
//!    (unknown module, params that do not decode or fail `validate`) is
//!    refused at submission. Whether it is *regulatory* is decided here
//!    ([`execute::is_regulatory`]).
//! 2. **Deposit** (ufrx, escrowed): when the total reaches `min_deposit`
//!    (`expedited_min_deposit`), voting opens for `voting_period_blocks`
//!    (`expedited_voting_period_blocks`); if the deposit period ends first,
//!    deposits are returned. At most [`MAX_DEPOSITORS`] distinct
//!    depositors per proposal, so the end-block refund is bounded.
//! 3. **Vote** ([`msg::Vote`]): yes / no / abstain / no with veto, during
//!    the voting period only; a second vote replaces the first. Weighted
//!    by bonded stake at the tally ([`tally`]). Only an account with
//!    voting power (operating or delegating to an active validator, or a
//!    regulator) may vote, so the tally's work follows the electorate.
//! 4. **Tally** in end-block of the last voting height: quorum, veto,
//!    threshold and a minimum yes share of all bonded stake; regulatory
//!    proposals also need more than half of the regulators voting yes, and
//!    more than half voting no with veto vetoes them. An expedited
//!    proposal that does not pass becomes a regular one (unless vetoed).
//! 5. **Execute** (passed): the content runs on an overlay applied only if
//!    it all succeeds; a refusal marks the proposal `failed` with the
//!    module's code and an event, and never stops the chain. Param changes
//!    go through the app's dispatch ([`ParamsDispatch`]), so they pass the
//!    module's `validate` again. Deposits are burned if vetoed, returned
//!    otherwise (a refund bank's gate refuses goes to the community pool).
//!
//! Community pool: a share of every block's fees
//! (`staking.params.community_pool_share_bps`) goes to
//! [`fructus_staking::community_pool`] instead of the validators; treasury
//! spends pay out of it through bank's `transfer`, the compliance gate
//! included.
//!
//! Upgrade plan: a passed software upgrade stores an [`UpgradePlan`]; the
//! node stops before executing its height and refuses to go on with the
//! binary that planned it.
//!
//! Features: `component` (default) adds the state, handlers, hooks, events
//! and queries; without it the crate offers its messages and their proto
//! conversions, records, params, errors and state keys.
//!
//! Must never: move funds except through bank's write trait, let a
//! failing proposal fail a block or write anything, or count a stake
//! twice (a delegator's vote takes its share out of its validator's).
//!
//! Like every module, it keeps the rules of `docs/security.md` §1.

#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
#[cfg(feature = "component")]
pub mod execute;
mod genesis;
pub mod msg;
pub mod params;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
mod scratch;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
#[cfg(feature = "component")]
pub mod tally;
mod types;

#[cfg(feature = "component")]
pub use component::Governance;
pub use error::GovernanceError;
pub use genesis::GovernanceGenesis;
pub use msg::ParamsDispatch;
pub use params::GovernanceParams;
#[cfg(feature = "component")]
pub use state::{
    GovernanceStateReadExt, GovernanceStateWriteExt, MAX_ACTIVE_PROPOSALS, MAX_DEPOSITORS,
};
pub use types::{
    Content, Execution, ExecutionError, Proposal, ProposalStatus, Tally, UpgradePlan, VoteOption,
};
