//! The only way anything reads or writes governance state.

use fructus_component::ParamsRead;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{ADDRESS_LEN, Address};

use crate::{GovernanceError, GovernanceParams, Proposal, UpgradePlan, VoteOption, state_key};

/// Most proposals open (deposit or voting period) at once: bounds the
/// end-block scan.
pub const MAX_ACTIVE_PROPOSALS: usize = 100;
/// Most distinct depositors one proposal takes: refunding or burning its
/// deposits in end-block then costs at most this many transfers, whatever
/// users do. An existing depositor may always add to its deposit.
pub const MAX_DEPOSITORS: u32 = 200;

/// The address at the end of a deposit or vote key.
fn trailing_address(key: &[u8]) -> Result<Address, GovernanceError> {
    let start = key.len().saturating_sub(ADDRESS_LEN);
    key.get(start..)
        .and_then(|b| Address::from_slice(b).ok())
        .ok_or_else(|| GovernanceError::Internal {
            codespace: "gov".into(),
            message: "a governance key does not end in an address".into(),
        })
}

/// Governance reads, available on any state.
pub trait GovernanceStateReadExt: StateRead {
    /// The parameters (defaults before genesis wrote them).
    fn governance_params(&self) -> Result<GovernanceParams, GovernanceError> {
        self.params::<GovernanceParams>()
    }

    /// Proposal `id`.
    fn proposal(&self, id: u64) -> Result<Option<Proposal>, GovernanceError> {
        Ok(self.get(&state_key::proposal(id))?)
    }

    /// Proposal `id`, or [`GovernanceError::ProposalNotFound`].
    fn require_proposal(&self, id: u64) -> Result<Proposal, GovernanceError> {
        self.proposal(id)?
            .ok_or(GovernanceError::ProposalNotFound { id })
    }

    /// Proposals in id order, after `start_after`, at most `limit`.
    fn proposals(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Proposal>, GovernanceError> {
        let after = start_after.map(state_key::proposal);
        Ok(self
            .prefix::<Proposal>(&state_key::all_proposals(), after.as_deref(), limit)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    /// The id the next proposal gets.
    fn next_proposal_id(&self) -> Result<u64, GovernanceError> {
        Ok(self.get(&state_key::next_proposal())?.unwrap_or(1))
    }

    /// Ids of the open proposals, in order (at most
    /// [`MAX_ACTIVE_PROPOSALS`]).
    fn active_proposals(&self) -> Result<Vec<u64>, GovernanceError> {
        let prefix = state_key::all_active();
        self.prefix_raw(&prefix, None, MAX_ACTIVE_PROPOSALS)?
            .into_iter()
            .map(|(key, _)| {
                key.get(prefix.len()..)
                    .and_then(|b| <[u8; 8]>::try_from(b).ok())
                    .map(u64::from_be_bytes)
                    .ok_or_else(|| GovernanceError::Internal {
                        codespace: "gov".into(),
                        message: "an active-proposal key is not a proposal id".into(),
                    })
            })
            .collect()
    }

    /// `depositor`'s deposit on `id`, ufrx.
    fn deposit(&self, id: u64, depositor: &Address) -> Result<u128, GovernanceError> {
        Ok(self.get(&state_key::deposit(id, depositor))?.unwrap_or(0))
    }

    /// Deposits on `id` in depositor order, after `start_after`, at most
    /// `limit`.
    fn deposits(
        &self,
        id: u64,
        start_after: Option<&Address>,
        limit: usize,
    ) -> Result<Vec<(Address, u128)>, GovernanceError> {
        let after = start_after.map(|a| state_key::deposit(id, a));
        self.prefix::<u128>(&state_key::deposits(id), after.as_deref(), limit)?
            .into_iter()
            .map(|(key, amount)| Ok((trailing_address(&key)?, amount)))
            .collect()
    }

    /// `voter`'s vote on `id`.
    fn vote(&self, id: u64, voter: &Address) -> Result<Option<VoteOption>, GovernanceError> {
        Ok(self.get(&state_key::vote(id, voter))?)
    }

    /// Votes on `id` in voter order, after `start_after`, at most `limit`.
    fn votes(
        &self,
        id: u64,
        start_after: Option<&Address>,
        limit: usize,
    ) -> Result<Vec<(Address, VoteOption)>, GovernanceError> {
        let after = start_after.map(|a| state_key::vote(id, a));
        self.prefix::<VoteOption>(&state_key::votes(id), after.as_deref(), limit)?
            .into_iter()
            .map(|(key, option)| Ok((trailing_address(&key)?, option)))
            .collect()
    }

    /// The planned upgrade, if any: every node stops before executing its
    /// height.
    fn upgrade_plan(&self) -> Result<Option<UpgradePlan>, GovernanceError> {
        Ok(self.get(&state_key::upgrade_plan())?)
    }
}

impl<T: StateRead + ?Sized> GovernanceStateReadExt for T {}

/// Governance writes.
pub trait GovernanceStateWriteExt: StateWrite {
    /// Stores `p` and keeps the open-proposal index in step with its
    /// status.
    fn put_proposal(&mut self, p: &Proposal) -> Result<(), GovernanceError> {
        self.put(state_key::proposal(p.id), p)?;
        if p.status.is_open() {
            self.put(state_key::active(p.id), &())?;
        } else {
            self.delete(state_key::active(p.id));
        }
        Ok(())
    }

    /// Sets the id the next proposal gets.
    fn set_next_proposal_id(&mut self, id: u64) -> Result<(), GovernanceError> {
        Ok(self.put(state_key::next_proposal(), &id)?)
    }

    /// Sets `depositor`'s deposit on `id` (0 deletes it).
    fn put_deposit(
        &mut self,
        id: u64,
        depositor: &Address,
        amount: u128,
    ) -> Result<(), GovernanceError> {
        if amount == 0 {
            self.delete(state_key::deposit(id, depositor));
            return Ok(());
        }
        Ok(self.put(state_key::deposit(id, depositor), &amount)?)
    }

    /// Records (or replaces) `voter`'s vote on `id`.
    fn put_vote(
        &mut self,
        id: u64,
        voter: &Address,
        option: VoteOption,
    ) -> Result<(), GovernanceError> {
        Ok(self.put(state_key::vote(id, voter), &option)?)
    }

    /// Sets the upgrade plan.
    fn put_upgrade_plan(&mut self, plan: &UpgradePlan) -> Result<(), GovernanceError> {
        Ok(self.put(state_key::upgrade_plan(), plan)?)
    }
}

impl<T: StateWrite + ?Sized> GovernanceStateWriteExt for T {}
