use std::collections::BTreeSet;

use fructus_types::{Address, Amount, Coins, Denom};

use crate::{BankError, DenomMetadata};

/// An account's starting balances.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisBalance {
    /// The account.
    pub address: Address,
    /// Its coins.
    pub coins: Coins,
}

/// The bank section of the genesis file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankGenesis {
    /// Registered denoms other than `ufrx` (which always exists).
    #[serde(default)]
    pub denoms: Vec<DenomMetadata>,
    /// Starting balances; supply per denom is their sum.
    #[serde(default)]
    pub balances: Vec<GenesisBalance>,
}

impl BankGenesis {
    /// Checks the section; errors name the offending entry by JSON path.
    pub fn validate(&self) -> Result<(), BankError> {
        let bad = |reason: String| BankError::Genesis { reason };
        let mut denoms: BTreeSet<&Denom> = BTreeSet::new();
        for (i, d) in self.denoms.iter().enumerate() {
            if d.denom.is_native() {
                return Err(bad(format!(
                    "bank.denoms[{i}]: ufrx is built in and must not be listed"
                )));
            }
            if !denoms.insert(&d.denom) {
                return Err(bad(format!(
                    "bank.denoms[{i}]: denom {} listed twice",
                    d.denom
                )));
            }
        }
        let mut seen: BTreeSet<&Address> = BTreeSet::new();
        let mut supply: std::collections::BTreeMap<&Denom, Amount> = Default::default();
        for (i, b) in self.balances.iter().enumerate() {
            if !seen.insert(&b.address) {
                return Err(bad(format!(
                    "bank.balances[{i}]: address {} listed twice; merge its coins",
                    b.address
                )));
            }
            for c in &b.coins {
                if !c.denom.is_native() && !denoms.contains(&c.denom) {
                    return Err(bad(format!(
                        "bank.balances[{i}]: denom {} is not in bank.denoms",
                        c.denom
                    )));
                }
                let total = supply.entry(&c.denom).or_default();
                *total = total.checked_add(c.amount).map_err(|_| {
                    bad(format!(
                        "bank.balances[{i}]: total supply of {} overflows",
                        c.denom
                    ))
                })?;
            }
        }
        Ok(())
    }
}
