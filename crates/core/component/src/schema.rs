//! OpenAPI schemas of the foreign types module records hold: how a
//! [`fructus_types::Coin`] and a `PublicKey` look in
//! JSON. Record fields of those types name these with
//! `#[schema(value_type = CoinSchema)]`; addresses, amounts and denoms are
//! JSON strings (`value_type = String`).

/// How a `Coin` looks in JSON.
#[derive(utoipa::ToSchema)]
#[schema(as = Coin)]
pub struct CoinSchema {
    /// The denom.
    pub denom: String,
    /// Base units, a decimal string.
    pub amount: String,
}

/// How a `PublicKey` looks in JSON.
#[derive(utoipa::ToSchema)]
#[schema(as = PublicKey)]
pub struct PublicKeySchema {
    /// `ed25519` or `p256`.
    pub algo: String,
    /// The key bytes, hex.
    pub key: String,
}
