//! The lending module: a pool per listed denom with a kinked borrow rate
//! and interest-bearing deposit tokens `lend/<denom>`; borrowing against
//! collateral pledged to the module; liquidation of unhealthy borrowers;
//! and peer-to-peer fixed-term loans against whole asset NFTs.
//!
//! Owns the `lending/` keys, the deposit-token denoms `lend/<denom>`
//! (registered on a pool's first deposit with no issuer: only this module
//! mints and burns them; they move like any bank token), the pool account
//! ([`pool_account`]: every pool's cash and every pledged collateral), the
//! reserve account ([`reserve_account`]) and one escrow per NFT loan
//! ([`loan_escrow`]).
//!
//! **Pools** ([`math`]): params list each market's rate curve (base rate,
//! slope1, kink, slope2) and reserve factor. Interest accrues lazily on
//! every touch of a market, from block-time deltas: O(1) per operation
//! whatever the number of borrowers, each borrower's debt following the
//! global borrow index. Deposits mint `lend/<denom>` at the exchange rate
//! `(cash + borrows − reserves) / supply`, rounded down;
//! `lend/sweep_reserves` moves accrued reserves to the reserve account.
//!
//! **Health.** An account's *borrow limit* is Σ pledged collateral ×
//! oracle price × collateral factor (rounded down); its *debt value* Σ
//! debt × oracle price (rounded up), both in the genesis quote denom (worth
//! exactly 1). Borrowing and unpledging must keep debt value ≤ limit;
//! above it anyone may liquidate: repay at most `close_factor` of one
//! market's debt and seize collateral worth the repayment plus
//! `liquidation_incentive`. Every borrow, unpledge and liquidation first
//! checks each price it uses is fresh, has history behind it (its TWAP
//! covers at least `min_twap_coverage_bps` of the oracle's TWAP window)
//! and is within `max_twap_deviation_bps` of its TWAP (the oracle's read
//! trait). An account's positions are
//! bounded by the listed markets and collaterals (16 each), so a health
//! check is O(1).
//!
//! Deposit tokens count as collateral when params list them
//! (`lend/<denom>` valued at the underlying's price × the exchange rate).
//! Collateral in a credit-module vault does not count: the credit module
//! has no read trait for it yet.
//!
//! **NFT loans**: a lender offers an amount against one asset NFT (the
//! amount is escrowed), fixing rate and term; the asset's owner accepts:
//! the NFT moves into the loan's escrow account (asset's write trait) and
//! the owner receives the amount. The borrower repays the amount due by
//! maturity and gets the NFT back; after maturity the lender may claim it.
//! The lender can cancel only an offer nobody accepted. **Income** the
//! asset earns during the loan is paid by the asset module to the NFT's
//! owner of record — the loan's escrow — and belongs to the *borrower*:
//! `lend/claim_nft_loan_income` pays it on, and repaying or claiming pays
//! whatever the compliance gate lets the borrower receive first (the rest
//! stays claimable: a closed loan's record is kept). No block hook: maturity only
//! changes what the parties may do.
//!
//! Invariants: for every market `cash + borrows − reserves ≥ supply ×
//! exchange rate` and the exchange rate never falls (rounding is always in
//! the pool's favour); the pool account holds at least Σ markets' cash +
//! Σ pledges; a borrower's debt never falls but by repayment or
//! liquidation; a healthy account cannot be liquidated.
//!
//! Must never: move funds except through bank's gated write trait (so
//! every transfer passes the compliance gate), let one signer move
//! another's collateral or deposits, lend against a stale or deviating
//! price, or write another module's keys (the NFT moves through the asset
//! module's write trait).
//!
//! Like every module, it keeps the rules of `docs/security.md` §1.

mod account;
#[cfg(feature = "component")]
pub mod action_handler;
#[cfg(feature = "component")]
mod component;
mod error;
#[cfg(feature = "component")]
mod event;
mod genesis;
pub mod math;
pub mod msg;
pub mod params;
#[cfg(feature = "component")]
pub mod query;
#[cfg(feature = "component")]
mod state;
pub mod state_key;
mod types;

pub use account::{lend_denom, loan_escrow, pool_account, reserve_account};
#[cfg(feature = "component")]
pub use component::Lending;
pub use error::LendingError;
pub use genesis::LendingGenesis;
pub use math::{Borrow, Market};
pub use params::{CollateralParams, LendingParams, MarketParams};
#[cfg(feature = "component")]
pub use state::{Health, LendingStateReadExt, LendingStateWriteExt};
pub use types::{LoanStatus, NftLoan};
