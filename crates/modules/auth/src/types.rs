//! The auth records: accounts and fee grants. Plain data, available
//! without the `component` feature, so a client reads them without linking
//! storage.

use fructus_types::{Address, BlockHeight, Coin, PublicKey};

/// An account: its address never changes; its key may (rotation).
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
pub struct Account {
    /// The address.
    pub address: Address,
    /// The key that signs for it; `None` until it first signs.
    pub public_key: Option<PublicKey>,
    /// The nonce its next transaction must carry.
    pub nonce: u64,
}

/// A granter's promise to pay a grantee's fees.
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
pub struct FeeGrant {
    /// Who pays.
    pub granter: Address,
    /// Whose fees are paid.
    pub grantee: Address,
    /// What is left to spend, per denom, sorted by denom, no zero entries.
    pub remaining: Vec<Coin>,
    /// Last height at which the grant may be used; `None` = no expiry.
    pub expiry_height: Option<BlockHeight>,
    /// Message kinds it pays for; empty = any.
    pub allowed_messages: Vec<String>,
}
