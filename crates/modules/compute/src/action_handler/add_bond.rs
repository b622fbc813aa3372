use fructus_bank::BankStateWriteExt;
use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Coin, Denom};

use crate::{
    ComputeError, ComputeStateReadExt, ComputeStateWriteExt, Provider, bond_account, event,
    msg::AddBond, settle::require_operator,
};

impl ActionHandler for AddBond {
    type Error = ComputeError;
    type Checked = Provider;
    const KIND: &'static str = "compute/add_bond";
    const BASE_GAS: u64 = 5_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<Provider, ComputeError> {
        let p = state.require_provider(self.asset_id)?;
        require_operator(&p, &ctx.signer)?;
        Ok(p)
    }

    fn execute<S: StateWrite>(
        &self,
        mut p: Provider,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), ComputeError> {
        state.transfer(
            &ctx.signer,
            &bond_account(p.asset_id),
            &Coin {
                denom: Denom::native(),
                amount: self.amount,
            },
        )?;
        p.bond = p
            .bond
            .checked_add(self.amount)
            .map_err(|_| ComputeError::Overflow { what: "bond" })?;
        state.put_provider(&p)?;
        ctx.emit(event::add_bond(&p, self.amount));
        Ok(())
    }
}
