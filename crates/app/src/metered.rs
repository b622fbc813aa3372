//! The app's [`fructus_metering::MeteredUnits`] hook: the certificate
//! module's auto-issuance of RECs from metered energy. Metering and
//! certificate do not depend on each other; the app connects them here.

use fructus_certificate::CertificateStateWriteExt;
use fructus_component::{ErrorCode, TxContext};
use fructus_metering::{MeteredUnits, MeteringError};
use fructus_storage::StateWrite;

/// Accepted readings' units (kWh) go to the asset's auto-issuance
/// authorization, if it has one: each full MWh mints one REC into the
/// asset's income (`certificate.auto_issued` event). Whatever one user's
/// data makes impossible only holds MWh back in the carry (reported in the
/// event); an error fails the reading only for an internal fault or an
/// inconsistent state, with the certificate module's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CertifiedEnergy;

impl MeteredUnits for CertifiedEnergy {
    fn units_metered<S: StateWrite>(
        state: &mut S,
        asset_id: u64,
        units: u64,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        match state.issue_from_metering(asset_id, units) {
            Ok(Some(step)) => {
                ctx.emit(step.event());
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(e) => Err(MeteringError::UnitsHook {
                codespace: e.codespace(),
                code: e.code(),
                message: e.to_string(),
                internal: e.is_internal(),
            }),
        }
    }
}
