//! The contracts between the app and its modules (STYLE.md §2).
//!
//! Owns: the [`Component`] trait (genesis and block hooks), the
//! [`ActionHandler`] trait (one per message: `check_stateless`,
//! `check_stateful`, `execute`), the contexts they receive, events, the
//! [`ErrorCode`] contract for typed errors with stable numeric codes, the
//! gas meter, and the one pattern for governance-tunable params
//! ([`ModuleParams`], [`update_params`]).
//!
//! Must never: hold state or know any particular module. Modules depend on
//! this crate; the app drives them through it.

mod action;
mod component;
mod context;
mod error;
mod event;
mod gas;
mod params;

pub use action::ActionHandler;
pub use component::Component;
pub use context::{BlockContext, Evidence, LastCommit, StatelessContext, TxContext};
pub use error::{ErrorCode, TxError};
pub use event::{Event, EventAttribute};
pub use gas::{GasMeter, OutOfGas};
pub use params::{
    GOVERNANCE_MODULE, ModuleParams, ParamsError, ParamsRead, governance_authority, init_params,
    update_params,
};
