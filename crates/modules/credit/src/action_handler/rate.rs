//! `credit/rate` and `credit/revoke_rating`. The report is stored through
//! the identity module's records API: the same stateless and stateful
//! checks as `identity/store_record` (sizes, one wrapped key for exactly
//! the current regulators' keys), then `put_record`.

use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_identity::{IdentityStateReadExt, IdentityStateWriteExt, Tier};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    CreditError, CreditStateReadExt, CreditStateWriteExt, Rating, event,
    msg::{Rate, RevokeRating},
    params::MAX_RATING_TERM_MS,
};

impl ActionHandler for Rate {
    type Error = CreditError;
    type Checked = ();
    const KIND: &'static str = "credit/rate";
    const BASE_GAS: u64 = 15_000;

    fn check_stateless(&self, ctx: &StatelessContext<'_>) -> Result<(), CreditError> {
        self.report
            .check_stateless(ctx)
            .map_err(|e| CreditError::field("report", e))
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), CreditError> {
        if state.agency(&ctx.signer)?.is_none() {
            return Err(CreditError::NotAgency { signer: ctx.signer });
        }
        let (height, now) = (ctx.block.height, ctx.block.time);
        if state.tier(&self.enterprise, height, now)? != Tier::Enterprise {
            return Err(CreditError::NotEnterprise {
                account: self.enterprise,
            });
        }
        if self.expiry_ms <= now.0 || self.expiry_ms > now.0.saturating_add(MAX_RATING_TERM_MS) {
            return Err(CreditError::field(
                "expiry_ms",
                "after the block time and at most two years after it",
            ));
        }
        self.report.check_stateful(state, ctx)?;
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        let id = state.put_record(
            &ctx.signer,
            ctx.block.height,
            ctx.block.time,
            &self.report.record,
        )?;
        state.put_rating(&Rating {
            enterprise: self.enterprise,
            agency: ctx.signer,
            grade: self.grade.clone(),
            rated_ms: ctx.block.time.0,
            expiry_ms: self.expiry_ms,
            report_record_id: id,
            revoked: false,
        })?;
        ctx.emit(event::rated(
            &self.enterprise,
            &ctx.signer,
            &self.grade,
            self.expiry_ms,
            id,
        ));
        Ok(())
    }
}

impl ActionHandler for RevokeRating {
    type Error = CreditError;
    type Checked = Rating;
    const KIND: &'static str = "credit/revoke_rating";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Rating, CreditError> {
        let none = CreditError::NoRating {
            enterprise: self.enterprise,
            signer: ctx.signer,
        };
        let rating = state.rating(&self.enterprise)?.ok_or(none)?;
        if rating.revoked {
            return Err(CreditError::NoRating {
                enterprise: self.enterprise,
                signer: ctx.signer,
            });
        }
        if rating.agency != ctx.signer {
            require_regulator(state, &ctx.signer, "revoke another agency's rating")?;
        }
        Ok(rating)
    }

    fn execute<S: StateWrite>(
        &self,
        mut rating: Rating,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        rating.revoked = true;
        state.put_rating(&rating)?;
        ctx.emit(event::rating_revoked(&self.enterprise, &ctx.signer));
        Ok(())
    }
}
