use fructus_component::{ActionHandler, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::add_deposit;
use crate::{GovernanceError, GovernanceParams, GovernanceStateReadExt, Proposal, msg::Deposit};

impl ActionHandler for Deposit {
    type Error = GovernanceError;
    type Checked = (Proposal, GovernanceParams);
    const KIND: &'static str = "governance/deposit";
    const BASE_GAS: u64 = 10_000;

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(Proposal, GovernanceParams), GovernanceError> {
        let p = state.require_proposal(self.proposal_id)?;
        if !p.status.is_open() {
            return Err(GovernanceError::NotAcceptingDeposits {
                id: p.id,
                status: p.status.name().into(),
            });
        }
        Ok((p, state.governance_params()?))
    }

    fn execute<S: StateWrite>(
        &self,
        (mut p, params): (Proposal, GovernanceParams),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), GovernanceError> {
        add_deposit(state, &mut p, &self.amount, &params, ctx)
    }
}
