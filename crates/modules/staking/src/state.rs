//! The only way anything reads or writes staking state.

use fructus_component::ParamsRead;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockHeight};

use crate::{
    ActiveValidator, Delegation, MAX_VALIDATORS, RedelegationEntry, SigningInfo, StakingError,
    StakingParams, UnbondingEntry, Validator, state_key,
};

/// Staking reads, available on any state.
pub trait StakingStateReadExt: StateRead {
    /// The parameters (defaults before genesis wrote them).
    fn staking_params(&self) -> Result<StakingParams, StakingError> {
        self.params::<StakingParams>()
    }

    /// The validator operated by `operator`.
    fn validator(&self, operator: &Address) -> Result<Option<Validator>, StakingError> {
        Ok(self.get(&state_key::validator(operator))?)
    }

    /// The validator operated by `operator`, or [`StakingError::UnknownValidator`].
    fn require_validator(&self, operator: &Address) -> Result<Validator, StakingError> {
        self.validator(operator)?
            .ok_or(StakingError::UnknownValidator {
                validator: *operator,
            })
    }

    /// Every validator, in operator order.
    fn validators(&self) -> Result<Vec<Validator>, StakingError> {
        Ok(self
            .prefix::<Validator>(&state_key::all_validators(), None, MAX_VALIDATORS)?
            .into_iter()
            .map(|(_, v)| v)
            .collect())
    }

    /// The operator whose consensus key derives to `consensus`.
    fn operator_of(&self, consensus: &Address) -> Result<Option<Address>, StakingError> {
        Ok(self.get(&state_key::by_consensus(consensus))?)
    }

    /// `delegator`'s delegation to `operator`.
    fn delegation(
        &self,
        delegator: &Address,
        operator: &Address,
    ) -> Result<Option<Delegation>, StakingError> {
        Ok(self.get(&state_key::delegation(delegator, operator))?)
    }

    /// `delegator`'s delegations, in validator order (at most one per
    /// validator, so bounded by [`MAX_VALIDATORS`]).
    fn delegations_of(&self, delegator: &Address) -> Result<Vec<Delegation>, StakingError> {
        Ok(self
            .prefix::<Delegation>(&state_key::delegations_of(delegator), None, MAX_VALIDATORS)?
            .into_iter()
            .map(|(_, d)| d)
            .collect())
    }

    /// Redelegation entry `id`.
    fn redelegation(&self, id: u64) -> Result<Option<RedelegationEntry>, StakingError> {
        Ok(self.get(&state_key::redelegation(id))?)
    }

    /// Open redelegations of `delegator` out of `operator`.
    fn redelegation_count(
        &self,
        delegator: &Address,
        operator: &Address,
    ) -> Result<u32, StakingError> {
        Ok(self
            .get(&state_key::redelegation_count(delegator, operator))?
            .unwrap_or(0))
    }

    /// Until which height `delegator`'s stake with `operator` includes an
    /// immature redelegation (0 if none).
    fn redelegated_into_until(
        &self,
        delegator: &Address,
        operator: &Address,
    ) -> Result<BlockHeight, StakingError> {
        Ok(self
            .get(&state_key::redelegated_into(delegator, operator))?
            .unwrap_or(0))
    }

    /// Unbonding entry `id`.
    fn unbonding(&self, id: u64) -> Result<Option<UnbondingEntry>, StakingError> {
        Ok(self.get(&state_key::unbonding(id))?)
    }

    /// `delegator`'s open unbonding entries, in id order, at most `limit`.
    fn unbondings_of(
        &self,
        delegator: &Address,
        limit: usize,
    ) -> Result<Vec<UnbondingEntry>, StakingError> {
        let mut out = Vec::new();
        for (_, id) in self.prefix::<u64>(&state_key::unbondings_of(delegator), None, limit)? {
            if let Some(e) = self.unbonding(id)? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Open entries of `delegator` with `operator`.
    fn unbonding_count(
        &self,
        delegator: &Address,
        operator: &Address,
    ) -> Result<u32, StakingError> {
        Ok(self
            .get(&state_key::unbonding_count(delegator, operator))?
            .unwrap_or(0))
    }

    /// The consensus set of the next height (see the crate docs).
    fn active_set(&self) -> Result<Vec<ActiveValidator>, StakingError> {
        Ok(self.get(&state_key::active())?.unwrap_or_default())
    }

    /// The consensus set of the current height.
    fn previous_active_set(&self) -> Result<Vec<ActiveValidator>, StakingError> {
        Ok(self.get(&state_key::previous_active())?.unwrap_or_default())
    }

    /// Downtime tracking of `operator`.
    fn signing_info(&self, operator: &Address) -> Result<SigningInfo, StakingError> {
        Ok(self
            .get(&state_key::signing_info(operator))?
            .unwrap_or_default())
    }

    /// True if `operator` missed the block recorded in `slot`.
    fn missed_in_slot(&self, operator: &Address, slot: u64) -> Result<bool, StakingError> {
        Ok(self.get_raw(&state_key::missed(operator, slot))?.is_some())
    }
}

impl<T: StateRead + ?Sized> StakingStateReadExt for T {}

/// Staking writes.
pub trait StakingStateWriteExt: StateWrite {
    /// Stores a validator (and its consensus-address index).
    fn put_validator(&mut self, v: &Validator) -> Result<(), StakingError> {
        self.put(state_key::by_consensus(&v.consensus_address()), &v.operator)?;
        Ok(self.put(state_key::validator(&v.operator), v)?)
    }

    /// Stores a delegation, or deletes it when it holds no shares.
    fn put_delegation(&mut self, d: &Delegation) -> Result<(), StakingError> {
        let key = state_key::delegation(&d.delegator, &d.validator);
        if d.shares == 0 {
            self.delete(key);
            return Ok(());
        }
        Ok(self.put(key, d)?)
    }

    /// Stores a new unbonding entry with its indices; returns its id.
    fn add_unbonding(
        &mut self,
        delegator: Address,
        validator: Address,
        creation_height: BlockHeight,
        completion_height: BlockHeight,
        amount: u128,
    ) -> Result<UnbondingEntry, StakingError> {
        let id: u64 = self.get(&state_key::next_unbonding_id())?.unwrap_or(0);
        let next = id
            .checked_add(1)
            .ok_or(StakingError::overflow("unbonding id"))?;
        self.put(state_key::next_unbonding_id(), &next)?;
        let entry = UnbondingEntry {
            id,
            delegator,
            validator,
            creation_height,
            completion_height,
            initial: amount,
            balance: amount,
        };
        self.put(state_key::unbonding(id), &entry)?;
        self.put(state_key::unbonding_queue(completion_height, id), &id)?;
        self.put(state_key::unbonding_by_delegator(&delegator, id), &id)?;
        self.put(
            state_key::unbonding_by_validator(&validator, creation_height, id),
            &id,
        )?;
        let count = self
            .unbonding_count(&delegator, &validator)?
            .checked_add(1)
            .ok_or(StakingError::overflow("unbonding count"))?;
        self.put(state_key::unbonding_count(&delegator, &validator), &count)?;
        Ok(entry)
    }

    /// Updates an entry's balance (after a slash).
    fn put_unbonding(&mut self, entry: &UnbondingEntry) -> Result<(), StakingError> {
        Ok(self.put(state_key::unbonding(entry.id), entry)?)
    }

    /// Deletes a completed entry and its indices.
    fn remove_unbonding(&mut self, entry: &UnbondingEntry) -> Result<(), StakingError> {
        self.delete(state_key::unbonding(entry.id));
        self.delete(state_key::unbonding_queue(
            entry.completion_height,
            entry.id,
        ));
        self.delete(state_key::unbonding_by_delegator(
            &entry.delegator,
            entry.id,
        ));
        self.delete(state_key::unbonding_by_validator(
            &entry.validator,
            entry.creation_height,
            entry.id,
        ));
        let count = self
            .unbonding_count(&entry.delegator, &entry.validator)?
            .saturating_sub(1);
        let key = state_key::unbonding_count(&entry.delegator, &entry.validator);
        if count == 0 {
            self.delete(key);
        } else {
            self.put(key, &count)?;
        }
        Ok(())
    }

    /// Records a redelegation until `completion_height`, with its indices.
    fn add_redelegation(
        &mut self,
        delegator: Address,
        src: Address,
        dst: Address,
        creation_height: BlockHeight,
        completion_height: BlockHeight,
        amount: u128,
    ) -> Result<RedelegationEntry, StakingError> {
        let id: u64 = self.get(&state_key::next_redelegation_id())?.unwrap_or(0);
        let next = id
            .checked_add(1)
            .ok_or(StakingError::overflow("redelegation id"))?;
        self.put(state_key::next_redelegation_id(), &next)?;
        let entry = RedelegationEntry {
            id,
            delegator,
            src,
            dst,
            creation_height,
            completion_height,
            initial: amount,
        };
        self.put(state_key::redelegation(id), &entry)?;
        self.put(state_key::redelegation_queue(completion_height, id), &id)?;
        self.put(
            state_key::redelegation_by_source(&src, creation_height, id),
            &id,
        )?;
        let count = self
            .redelegation_count(&delegator, &src)?
            .checked_add(1)
            .ok_or(StakingError::overflow("redelegation count"))?;
        self.put(state_key::redelegation_count(&delegator, &src), &count)?;
        let until = self
            .redelegated_into_until(&delegator, &dst)?
            .max(completion_height);
        self.put(state_key::redelegated_into(&delegator, &dst), &until)?;
        Ok(entry)
    }

    /// Forgets a matured redelegation and its indices.
    fn remove_redelegation(
        &mut self,
        entry: &RedelegationEntry,
        height: BlockHeight,
    ) -> Result<(), StakingError> {
        self.delete(state_key::redelegation(entry.id));
        self.delete(state_key::redelegation_queue(
            entry.completion_height,
            entry.id,
        ));
        self.delete(state_key::redelegation_by_source(
            &entry.src,
            entry.creation_height,
            entry.id,
        ));
        let count = self
            .redelegation_count(&entry.delegator, &entry.src)?
            .saturating_sub(1);
        let key = state_key::redelegation_count(&entry.delegator, &entry.src);
        if count == 0 {
            self.delete(key);
        } else {
            self.put(key, &count)?;
        }
        if self.redelegated_into_until(&entry.delegator, &entry.dst)? <= height {
            self.delete(state_key::redelegated_into(&entry.delegator, &entry.dst));
        }
        Ok(())
    }

    /// Replaces the active set, keeping the old one as the previous set.
    fn rotate_active_set(&mut self, next: &[ActiveValidator]) -> Result<(), StakingError> {
        let current = self.active_set()?;
        self.put(state_key::previous_active(), &current)?;
        Ok(self.put(state_key::active(), &next.to_vec())?)
    }

    /// Stores downtime tracking.
    fn put_signing_info(
        &mut self,
        operator: &Address,
        info: &SigningInfo,
    ) -> Result<(), StakingError> {
        Ok(self.put(state_key::signing_info(operator), info)?)
    }

    /// Marks or clears a missed-block slot.
    fn set_missed(&mut self, operator: &Address, slot: u64, missed: bool) {
        let key = state_key::missed(operator, slot);
        if missed {
            self.put_raw(key, Vec::new());
        } else {
            self.delete(key);
        }
    }
}

impl<T: StateWrite + ?Sized> StakingStateWriteExt for T {}
