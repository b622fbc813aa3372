use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{AssetError, AssetStateReadExt, AssetStateWriteExt, event, msg::ClaimIncome};

/// Gas per asset claimed on top of the base cost.
const GAS_PER_ASSET: u64 = 3_000;

impl ActionHandler for ClaimIncome {
    type Error = AssetError;
    type Checked = ();
    const KIND: &'static str = "asset/claim_income";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), AssetError> {
        for &asset_id in &self.asset_ids {
            state.require_asset(asset_id)?;
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AssetError> {
        let n = u64::try_from(self.asset_ids.len()).unwrap_or(u64::MAX);
        ctx.consume_gas(GAS_PER_ASSET.saturating_mul(n))
            .map_err(|e| AssetError::field("asset_ids", e))?;
        // A claim that pays nothing because the gate withheld everything is
        // refused, so the holder learns why; a claim that pays something
        // succeeds and reports what was withheld.
        let mut refused = None;
        let mut paid_any = false;
        for &asset_id in &self.asset_ids {
            let claim = state.claim_income(asset_id, &ctx.signer)?;
            if !claim.paid.is_empty() {
                paid_any = true;
                ctx.emit(event::income_claimed(asset_id, &ctx.signer, &claim.paid));
            }
            if let Some(reason) = claim.reason {
                ctx.emit(event::income_withheld(
                    asset_id,
                    &ctx.signer,
                    &claim.withheld,
                    &reason,
                ));
                refused.get_or_insert(AssetError::IncomeWithheld {
                    asset_id,
                    holder: ctx.signer,
                    withheld: claim
                        .withheld
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                    reason,
                });
            }
        }
        match refused {
            Some(err) if !paid_any => Err(err),
            _ => Ok(()),
        }
    }
}
