use crate::MeteringError;

/// The metering section of the genesis file. Devices and contracts are
/// created by transactions; the section exists so parameters can be added
/// without a format break.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeteringGenesis {}

impl MeteringGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), MeteringError> {
        Ok(())
    }
}
