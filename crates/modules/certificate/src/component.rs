use fructus_component::{Component, init_params};
use fructus_storage::StateWrite;

use crate::{CertificateError, CertificateGenesis};

/// The certificate module's life-cycle hooks: genesis writes the params;
/// there is no block hook (auto-issuance runs in the reading's own
/// transaction, through the metering hook the app implements).
#[derive(Debug, Clone, Copy)]
pub struct Certificate;

impl Component for Certificate {
    type Genesis = CertificateGenesis;
    type Error = CertificateError;

    fn init_genesis<S: StateWrite>(
        state: &mut S,
        genesis: &CertificateGenesis,
    ) -> Result<(), CertificateError> {
        genesis.validate()?;
        init_params(state, &genesis.params)
    }
}
