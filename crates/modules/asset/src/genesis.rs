use crate::AssetError;

/// The asset section of the genesis file. Classes and assets are created by
/// transactions; the section exists so parameters can be added without a
/// format break.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetGenesis {}

impl AssetGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), AssetError> {
        Ok(())
    }
}
