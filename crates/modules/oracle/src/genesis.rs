use fructus_types::Address;

use crate::{OracleError, OracleParams};

/// The oracle section of the genesis file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OracleGenesis {
    /// Parameters (each field may be omitted for its default).
    #[serde(default)]
    pub params: OracleParams,
    /// Feeders active from genesis (no delay), at most `MAX_FEEDERS`.
    #[serde(default)]
    pub feeders: Vec<Address>,
}

impl OracleGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), OracleError> {
        self.params.validate()?;
        if self.feeders.len() > crate::params::MAX_FEEDERS {
            return Err(OracleError::Params {
                reason: format!("oracle.feeders: at most {}", crate::params::MAX_FEEDERS),
            });
        }
        if let Some((i, f)) = self
            .feeders
            .iter()
            .enumerate()
            .find(|(i, f)| self.feeders.iter().take(*i).any(|g| g == *f))
        {
            return Err(OracleError::Params {
                reason: format!("oracle.feeders: {f} is listed twice (entry {i})"),
            });
        }
        Ok(())
    }
}
