//! `credit/accredit_agency` and `credit/revoke_agency` (regulators).

use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    Agency, CreditError, CreditStateReadExt, CreditStateWriteExt, event,
    msg::{AccreditAgency, RevokeAgency},
};

impl ActionHandler for AccreditAgency {
    type Error = CreditError;
    type Checked = ();
    const KIND: &'static str = "credit/accredit_agency";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), CreditError> {
        require_regulator(state, &ctx.signer, "accredit rating agencies")?;
        if state.agency(&self.agency)?.is_some() {
            return Err(CreditError::AgencyExists {
                agency: self.agency,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        state.put_agency(&Agency {
            agency: self.agency,
            accredited_by: Some(ctx.signer),
        })?;
        ctx.emit(event::agency(&self.agency, &ctx.signer, true));
        Ok(())
    }
}

impl ActionHandler for RevokeAgency {
    type Error = CreditError;
    type Checked = ();
    const KIND: &'static str = "credit/revoke_agency";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), CreditError> {
        require_regulator(state, &ctx.signer, "revoke rating agencies")?;
        if state.agency(&self.agency)?.is_none() {
            return Err(CreditError::NotAgency {
                signer: self.agency,
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), CreditError> {
        // Its ratings stop counting at once: `effective_grade` requires the
        // agency to be accredited when the rating is used.
        state.delete_agency(&self.agency);
        ctx.emit(event::agency(&self.agency, &ctx.signer, false));
        Ok(())
    }
}
