//! Governance-tunable parameters, with defaults and validation.
//!
//! [`CertificateParams`] implements [`ModuleParams`]: stored under
//! `cert/params`, read through
//! [`crate::CertificateStateReadExt::certificate_params`] (defaults until
//! stored), written at genesis by `init_params` and afterwards only by
//! `fructus_component::update_params` (the governance module account).

#[cfg(feature = "component")]
use fructus_component::ModuleParams;

use crate::{CertificateError, msg::MAX_QUANTITY};

/// Certificate parameters (genesis `certificate.params`; every field may be
/// omitted for its default).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(deny_unknown_fields, default)]
pub struct CertificateParams {
    /// Largest serial range one batch may have (1 … 10^15; default
    /// 10^15).
    pub max_batch_quantity: u64,
    /// Whether metered energy mints RECs (default true). While false,
    /// accepted readings still accumulate in each authorization's carry
    /// (nothing is lost, nothing is minted); minting resumes with the next
    /// reading after governance sets it back.
    pub auto_issuance_enabled: bool,
}

impl Default for CertificateParams {
    fn default() -> Self {
        CertificateParams {
            max_batch_quantity: MAX_QUANTITY,
            auto_issuance_enabled: true,
        }
    }
}

#[cfg(feature = "component")]
impl ModuleParams for CertificateParams {
    const MODULE: &'static str = "certificate";
    type Error = CertificateError;

    fn key() -> Vec<u8> {
        crate::state_key::params()
    }

    fn validate(&self) -> Result<(), CertificateError> {
        CertificateParams::validate(self)
    }
}

impl CertificateParams {
    /// Refuses unusable values, naming the field.
    pub fn validate(&self) -> Result<(), CertificateError> {
        if self.max_batch_quantity == 0 || self.max_batch_quantity > MAX_QUANTITY {
            return Err(CertificateError::Params {
                reason: format!(
                    "certificate.params.max_batch_quantity: must be 1 to {MAX_QUANTITY}"
                ),
            });
        }
        Ok(())
    }
}
