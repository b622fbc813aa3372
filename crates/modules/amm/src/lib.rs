//! The AMM module: constant-product pools.

mod error;
pub mod math;

pub use error::AmmError;
