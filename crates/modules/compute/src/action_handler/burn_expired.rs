use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{ComputeError, ComputeStateReadExt, event, msg::BurnExpired, parse_capacity_denom};

impl ActionHandler for BurnExpired {
    type Error = ComputeError;
    type Checked = ();
    const KIND: &'static str = "compute/burn_expired";
    const BASE_GAS: u64 = 3_000;

    /// The token's window has ended (anyone may burn what they hold of an
    /// expired window; a live one is redeemed or traded instead).
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), ComputeError> {
        let not_expired = || ComputeError::NotCapacityToken {
            denom: self.amount.denom.to_string(),
            expected: "a capacity token of an ended window",
        };
        let (_, window) = parse_capacity_denom(&self.amount.denom).ok_or_else(not_expired)?;
        if state.epoch()?.end(window)? > ctx.block.time.0 {
            return Err(not_expired());
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        state.burn(&ctx.signer, &self.amount)?;
        ctx.emit(event::burn_expired(&ctx.signer, &self.amount));
        Ok(())
    }
}
