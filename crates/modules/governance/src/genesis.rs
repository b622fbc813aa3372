use crate::{GovernanceError, GovernanceParams};

/// The governance section of the genesis file. Proposals are created by
/// transactions.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceGenesis {
    /// Parameters (each field may be omitted for its default).
    #[serde(default)]
    pub params: GovernanceParams,
}

impl GovernanceGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), GovernanceError> {
        self.params.check()
    }
}
