use std::collections::BTreeSet;

use fructus_component::ModuleParams;
use fructus_types::{Amount, Denom};

use crate::{AuthError, state_key};

/// The minimum price of gas in one fee denom: `amount_per_kgas` base units
/// per 1,000 gas (integer, so prices below one unit per gas are expressible
/// without decimals).
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
#[serde(deny_unknown_fields)]
pub struct GasPrice {
    /// Fee denom.
    pub denom: Denom,
    /// Base units per 1,000 gas.
    pub amount_per_kgas: Amount,
}

/// Transaction-level parameters, governance-tunable through
/// [`fructus_component::update_params`] (genesis `auth.params`; every field
/// may be omitted for its default).
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
#[serde(deny_unknown_fields, default)]
pub struct AuthParams {
    /// Largest signed transaction, in bytes.
    pub max_tx_bytes: u64,
    /// Most messages in one transaction.
    pub max_messages: u32,
    /// Longest memo, in bytes.
    pub max_memo_bytes: u32,
    /// Gas per byte of the signed transaction.
    pub gas_per_byte: u64,
    /// Gas for verifying an ed25519 signature.
    pub sig_gas_ed25519: u64,
    /// Gas for verifying a P-256 signature.
    pub sig_gas_p256: u64,
    /// Accepted fee denoms and their minimum prices; a fee in any other
    /// denom is refused.
    pub min_gas_prices: Vec<GasPrice>,
}

impl Default for AuthParams {
    fn default() -> Self {
        AuthParams {
            max_tx_bytes: 64 * 1024,
            max_messages: 64,
            max_memo_bytes: 256,
            gas_per_byte: 10,
            sig_gas_ed25519: 1_000,
            sig_gas_p256: 3_000,
            min_gas_prices: vec![GasPrice {
                denom: Denom::native(),
                amount_per_kgas: Amount::new(10),
            }],
        }
    }
}

impl AuthParams {
    /// The minimum price for `denom`, if it is accepted for fees.
    pub fn gas_price(&self, denom: &Denom) -> Option<&GasPrice> {
        self.min_gas_prices.iter().find(|p| &p.denom == denom)
    }
}

impl ModuleParams for AuthParams {
    const MODULE: &'static str = "auth";
    type Error = AuthError;

    fn key() -> Vec<u8> {
        state_key::params()
    }

    /// Refuses unusable values, naming the field.
    fn validate(&self) -> Result<(), AuthError> {
        let bad = |reason: String| AuthError::InvalidParams { reason };
        if self.max_tx_bytes == 0 || self.max_messages == 0 {
            return Err(bad(
                "auth.params: max_tx_bytes and max_messages must be positive".into(),
            ));
        }
        if self.min_gas_prices.is_empty() {
            return Err(bad(
                "auth.params.min_gas_prices: at least one fee denom is required".into(),
            ));
        }
        let mut denoms = BTreeSet::new();
        for (i, price) in self.min_gas_prices.iter().enumerate() {
            if !denoms.insert(&price.denom) {
                return Err(bad(format!(
                    "auth.params.min_gas_prices[{i}]: denom {} listed twice",
                    price.denom
                )));
            }
        }
        Ok(())
    }
}
