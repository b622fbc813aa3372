//! The auth module: accounts (address, current public key, nonce), the key
//! index that lets an account keep its address across key rotations, the
//! transaction-level parameters (size limits, gas costs, minimum gas
//! prices), and fee grants (a granter pays a grantee's fees within a spend
//! limit, an expiry and an optional allow-list of message kinds — how owners
//! pay their devices' fees).
//!
//! Owns the `auth/` keys. Invariants: every bound key maps to exactly one
//! account and that account's current key is that key; a nonce only grows;
//! a grant's remaining limit only shrinks.
//!
//! Must never: bind a key without proof its holder agreed (rotation requires
//! the new key's signature), or let a grant pay more than its remaining
//! limit.
//!
//! Feature `component` (default): state, handlers, block hooks and events.
//! Without it the crate offers only its messages (with the key-rotation
//! sign bytes), errors, params, genesis data and state keys, and links no
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
mod state;
pub mod state_key;
mod types;

#[cfg(feature = "component")]
pub use component::Auth;
pub use error::AuthError;
pub use genesis::{AuthGenesis, GenesisAccount};
pub use params::{AuthParams, GasPrice};
#[cfg(feature = "component")]
pub use state::{AuthStateReadExt, AuthStateWriteExt};
pub use types::{Account, FeeGrant};
