use crate::{CertificateError, CertificateParams};

/// The certificate section of the genesis file. Issuers, classes and
/// batches are created by transactions.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateGenesis {
    /// Parameters (each field may be omitted for its default).
    #[serde(default)]
    pub params: CertificateParams,
}

impl CertificateGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), CertificateError> {
        self.params.validate()
    }
}
