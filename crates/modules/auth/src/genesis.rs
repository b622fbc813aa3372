use std::collections::BTreeSet;

use fructus_component::ModuleParams;
use fructus_types::{Address, PublicKey};

use crate::{AuthError, AuthParams};

/// An account known at genesis (optional: accounts are created on first use).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisAccount {
    /// Its address.
    pub address: Address,
    /// Its key, if bound at genesis (must derive to `address`).
    #[serde(default)]
    pub public_key: Option<PublicKey>,
}

/// The auth section of the genesis file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthGenesis {
    /// Parameters (defaults where omitted).
    #[serde(default)]
    pub params: AuthParams,
    /// Accounts to create.
    #[serde(default)]
    pub accounts: Vec<GenesisAccount>,
}

impl AuthGenesis {
    /// Checks the section; errors name the offending entry by JSON path.
    pub fn validate(&self) -> Result<(), AuthError> {
        let bad = |reason: String| AuthError::Genesis { reason };
        self.params.validate()?;
        let mut seen = BTreeSet::new();
        for (i, a) in self.accounts.iter().enumerate() {
            if !seen.insert(a.address) {
                return Err(bad(format!(
                    "auth.accounts[{i}]: address {} listed twice",
                    a.address
                )));
            }
            if let Some(pk) = &a.public_key
                && pk.address() != a.address
            {
                return Err(bad(format!(
                    "auth.accounts[{i}]: public key derives to {}, not {}",
                    pk.address(),
                    a.address
                )));
            }
        }
        Ok(())
    }
}
