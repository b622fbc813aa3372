use crate::{AmmError, AmmParams};

/// The amm section of the genesis file. Pools are created by transactions.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmmGenesis {
    /// Parameters (each field may be omitted for its default).
    #[serde(default)]
    pub params: AmmParams,
}

impl AmmGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), AmmError> {
        self.params.validate()
    }
}
