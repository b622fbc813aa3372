//! The credit module: accredited rating agencies rate KYC'd enterprises;
//! enterprises pledge collateral in vaults and mint the credit stablecoin
//! up to what their rating allows; a stability fee accrues per block;
//! vaults below the liquidation ratio are sold by Dutch auction; shortfalls
//! are covered by the surplus buffer, then recorded as bad debt.
//!
//! Owns the `credit/` keys, the credit denom (genesis `credit_denom`,
//! default `ucredit`, registered with no issuer: only this module mints
//! and burns it; KYC-only by default), the vault accounts
//! ([`vault_account`], one per vault) and the surplus buffer
//! ([`surplus_account`]).
//!
//! **Ratings.** A regulator accredits agencies. An agency rates a KYC'd
//! enterprise (tier `enterprise`) AAA … C with an expiry; the report is a
//! regulator-only record stored through identity's records API (kind
//! `credit_report`). A rating counts while unexpired, unrevoked and its
//! agency accredited; otherwise the enterprise is *unrated*.
//!
//! **Vaults.** Collateral types are params ([`CollateralType`]: denom,
//! price source, haircut, debt ceiling). Minting and withdrawing keep
//! `value·(1 − haircut) ≥ debt · required_ratio(grade)` (AAA 120 % …
//! unrated 250 % by default); below `liquidation_ratio_bps` anyone may
//! liquidate. Every mint, withdrawal and liquidation first checks the
//! collateral's oracle price is fresh, has history behind it (its TWAP
//! covers at least `min_twap_coverage_bps` of the oracle's TWAP window:
//! a new pair's TWAP is little more than its first price) and is within
//! `max_twap_deviation_bps` of its TWAP. Values are in the genesis `quote_denom`; one credit unit
//! counts as one quote unit.
//!
//! **Stability fee** ([`math`]): a global rate accumulator compounded once
//! per block in `begin_block` (O(1) per block and per vault); the fee is
//! minted to the surplus buffer (or offsets bad debt), so the credit supply
//! follows the debt.
//!
//! **Liquidation**: a Dutch auction settled within each bidder's own
//! transaction (why: `action_handler/liquidate.rs`); penalty to the surplus
//! buffer; shortfall burned from the surplus buffer, the rest recorded as
//! bad debt, covered by later fees and by the backstop
//! (`credit/cover_bad_debt`: anyone, in practice governance's treasury,
//! burns credit tokens against it).
//!
//! **Income on share collateral**: each vault has its own module account,
//! so shares it holds earn their asset's income exactly as the vault's;
//! `credit/claim_income` pays it on to the owner.
//!
//! Invariants (tested in `crates/app/tests/app_can_lend_credit.rs`):
//! `books.normalized_debt` = Σ vaults' normalized debt = Σ collateral
//! totals; a vault account holds exactly the vault's collateral plus its
//! auction's; the credit supply equals Σ vault debts + Σ auction debts +
//! bad debt, less at most one unit of rounding per block (the fee is
//! minted rounded down, debts read rounded up) and per operation — always
//! in the system's favour (debt ≥ supply).
//!
//! Must never: move funds except through bank's write trait (so every
//! transfer passes the compliance gate), let one signer move another's
//! collateral, mint against a stale or deviating price, or write another
//! module's keys (the report goes through identity's write trait).
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

pub use account::{surplus_account, vault_account};
#[cfg(feature = "component")]
pub use component::Credit;
pub use error::CreditError;
pub use genesis::CreditGenesis;
pub use params::{CollateralType, CreditParams, RatioTable};
#[cfg(feature = "component")]
pub use state::{CreditStateReadExt, CreditStateWriteExt, Standing};
pub use types::{Agency, Auction, Books, CollateralTotals, Grade, PriceSource, Rating, Vault};
