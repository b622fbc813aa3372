//! The bank's records. Plain data, available without the `component`
//! feature, so a client reads them without linking storage.

use fructus_types::{Address, Denom};

/// A registered denom.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct DenomMetadata {
    /// The denom.
    pub denom: Denom,
    /// The only account allowed to mint and burn it; `None` for the native
    /// token and for denoms only a module creates.
    pub issuer: Option<Address>,
    /// Display symbol (`USDC`).
    pub symbol: String,
    /// Display decimals.
    pub decimals: u8,
    /// Holders must be KYC'd (enforced by the identity module).
    pub kyc_only: bool,
}
