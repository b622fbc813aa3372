//! The contracts between the app and its modules (STYLE.md §2).
//!
//! Owns: the [`Component`] trait (genesis and block hooks), the
//! [`ActionHandler`] trait (one per message: `check_stateless`,
//! `check_stateful`, `execute`), the contexts they receive, events, the
//! [`ErrorCode`] contract for typed errors with stable numeric codes, the
//! gas meter, the one pattern for governance-tunable params
//! ([`ModuleParams`], [`update_params`]), and the [`query::Query`] trait of
//! modules' read-only queries.
//!
//! Features: `component` (default) adds the traits that read and write
//! state (`Component`, `ActionHandler`, `Query`) and so link
//! `fructus-storage`; without it a client gets the error-code contract,
//! events, contexts and gas with no storage.
//!
//! Must never: hold state or know any particular module. Modules depend on
//! this crate; the app drives them through it.

#[cfg(feature = "component")]
mod action;
#[cfg(feature = "component")]
mod component;
mod context;
mod error;
mod event;
mod gas;
mod params;
#[cfg(feature = "component")]
pub mod query;
pub mod schema;

#[cfg(feature = "component")]
pub use action::ActionHandler;
#[cfg(feature = "component")]
pub use component::Component;
pub use context::{BlockContext, Evidence, LastCommit, StatelessContext, TxContext};
pub use error::{ErrorCode, TxError};
pub use event::{Event, EventAttribute};
pub use gas::{GasMeter, OutOfGas};
pub use params::{GOVERNANCE_MODULE, ModuleParams, ParamsError, governance_authority};
#[cfg(feature = "component")]
pub use params::{ParamsRead, init_params, update_params};
