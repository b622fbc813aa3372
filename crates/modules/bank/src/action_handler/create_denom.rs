use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    BankError, BankStateReadExt, BankStateWriteExt, DenomMetadata, event, msg::CreateDenom,
};

impl ActionHandler for CreateDenom {
    type Error = BankError;
    type Checked = ();
    const KIND: &'static str = "bank/create_denom";
    const BASE_GAS: u64 = 10_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), BankError> {
        if self.denom.is_native() {
            return Err(BankError::ReservedDenom {
                denom: self.denom.to_string(),
                reason: "it is the native token",
            });
        }
        if self.denom.as_str().contains('/') {
            return Err(BankError::ReservedDenom {
                denom: self.denom.to_string(),
                reason: "names containing '/' belong to module namespaces (share/, lp/, ...)",
            });
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), BankError> {
        if state.denom_metadata(&self.denom)?.is_some() {
            return Err(BankError::DenomExists {
                denom: self.denom.to_string(),
            });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), BankError> {
        state.put_denom_metadata(&DenomMetadata {
            denom: self.denom.clone(),
            issuer: Some(ctx.signer),
            symbol: self.symbol.clone(),
            decimals: self.decimals,
            kyc_only: self.kyc_only,
        })?;
        ctx.emit(event::create_denom(&self.denom, &ctx.signer, self.kyc_only));
        Ok(())
    }
}
