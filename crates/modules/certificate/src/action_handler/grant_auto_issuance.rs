use fructus_asset::AssetStateReadExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    Authorization, CertificateError, CertificateKind, CertificateStateReadExt,
    CertificateStateWriteExt, event, msg::GrantAutoIssuance,
};

/// The unit an asset's meter must report for its readings to count as kWh.
const KWH: &str = "kwh";

impl ActionHandler for GrantAutoIssuance {
    type Error = CertificateError;
    type Checked = Authorization;
    const KIND: &'static str = "certificate/grant_auto_issuance";
    const BASE_GAS: u64 = 15_000;

    /// Order of checks: the signer is an accredited issuer; the batch is
    /// its own and of kind REC; the asset exists and its class meters kWh;
    /// the asset has no authorization from another issuer (one per asset,
    /// so no kWh is certified twice). Granting again keeps the counters
    /// and the carry and moves to the new batch and cap.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Authorization, CertificateError> {
        state.require_active_issuer(&ctx.signer)?;
        let batch = state.require_batch(self.batch_id)?;
        if batch.issuer != ctx.signer {
            return Err(CertificateError::NotBatchIssuer {
                batch_id: batch.id,
                issuer: batch.issuer,
                signer: ctx.signer,
            });
        }
        if batch.kind != CertificateKind::Rec {
            return Err(CertificateError::NotRec {
                batch_id: batch.id,
                kind: batch.kind.to_string(),
            });
        }
        let asset = state.require_asset(self.asset_id)?;
        let class = AssetStateReadExt::require_class(state, asset.class_id)?.unit;
        if !class.eq_ignore_ascii_case(KWH) {
            return Err(CertificateError::field(
                "asset_id",
                format!(
                    "asset {}'s meter reports {class}, not kWh: only energy metered in kWh mints RECs",
                    self.asset_id
                ),
            ));
        }
        let now_ms = ctx.block.time.millis();
        Ok(match state.authorization(self.asset_id)? {
            Some(existing) if existing.issuer != ctx.signer => {
                return Err(CertificateError::AuthorizationExists {
                    asset_id: self.asset_id,
                    issuer: existing.issuer,
                });
            }
            Some(existing) => Authorization {
                batch_id: self.batch_id,
                max_per_period: self.max_per_period,
                period_ms: self.period_ms,
                ..existing
            },
            None => Authorization {
                asset_id: self.asset_id,
                issuer: ctx.signer,
                batch_id: self.batch_id,
                max_per_period: self.max_per_period,
                period_ms: self.period_ms,
                period_start_ms: now_ms,
                issued_in_period: 0,
                metered_kwh: 0,
                issued_total: 0,
                carried_kwh: 0,
                granted_height: ctx.block.height,
            },
        })
    }

    fn execute<S: StateWrite>(
        &self,
        auth: Authorization,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CertificateError> {
        state.put_authorization(&auth)?;
        ctx.emit(event::auto_issuance_granted(&auth));
        Ok(())
    }
}
