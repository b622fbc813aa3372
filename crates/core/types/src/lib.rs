//! Fructus domain types shared by every crate: amounts, denoms, coins, block
//! height and time, and the transaction envelope (sign bytes, hash, decoding
//! with limits).
//!
//! Owns: parsing and validation of values that arrive from the wire, so that
//! a value of these types in hand is always well-formed. Must never: read
//! state, use floating point, or panic on untrusted input (every parser
//! returns a typed error).

mod amount;
pub mod block;
mod coin;
mod denom;
mod error;
mod time;
pub mod tx;

pub use amount::Amount;
pub use coin::{Coin, Coins};
pub use denom::{Denom, NATIVE_DENOM};
pub use error::TypesError;
pub use fructus_crypto::{ADDRESS_LEN, Address, KeyAlgo, PublicKey, SigningKey};
pub use time::{BlockHeight, BlockTime};
