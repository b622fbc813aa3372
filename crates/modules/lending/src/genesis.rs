use fructus_types::Denom;

use crate::{LendingError, LendingParams};

/// The lending section of the genesis file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LendingGenesis {
    /// Parameters (each field may be omitted for its default).
    #[serde(default)]
    pub params: LendingParams,
    /// The unit collateral and debt are valued in (default `uusd`): oracle
    /// pairs are `<denom>:<quote>`, and the quote denom is worth 1.
    #[serde(default = "default_quote_denom")]
    pub quote_denom: Denom,
}

fn default_quote_denom() -> Denom {
    "uusd".parse().unwrap_or_else(|_| Denom::native())
}

impl Default for LendingGenesis {
    fn default() -> Self {
        LendingGenesis {
            params: LendingParams::default(),
            quote_denom: default_quote_denom(),
        }
    }
}

impl LendingGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), LendingError> {
        self.params.validate()
    }
}
