//! The only way anything reads or writes staking state.

use fructus_component::ParamsRead;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockHeight, BlockTime, PublicKey};

use crate::{MAX_VALIDATORS, StakingError, StakingParams, state_key};

/// A validator's commission settings (basis points).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
)]
pub struct Commission {
    /// Current rate.
    pub rate_bps: u16,
    /// Highest rate it may ever set.
    pub max_rate_bps: u16,
    /// Largest change per day.
    pub max_change_bps: u16,
    /// Block time of the last change (creation counts as one).
    pub last_change: BlockTime,
}

/// A validator.
///
/// Invariant: `tokens` is this validator's part of the bonded pool's
/// balance; delegators own it in proportion to their `shares` (summing to
/// `shares`). A slash lowers `tokens` only.
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct Validator {
    /// The operator account (the validator's id).
    pub operator: Address,
    /// ed25519 consensus key.
    pub consensus_key: PublicKey,
    /// Display name.
    pub moniker: String,
    /// Commission.
    pub commission: Commission,
    /// Below this own bond the validator is not eligible for the set.
    pub min_self_bond: u128,
    /// Bonded tokens (ufrx).
    pub tokens: u128,
    /// Delegation shares issued.
    pub shares: u128,
    /// Jailed: may not be in the set before this height (and not until
    /// `MsgUnjail`).
    pub jailed_until: Option<BlockHeight>,
    /// Tombstoned for double signing: never back.
    pub tombstoned: bool,
    /// Rewards per share, scaled by [`fructus_income::SCALE`].
    pub reward_acc: u128,
    /// Scaled remainder of the accumulator (`< shares`).
    pub reward_carry: u128,
    /// Commission earned and not yet withdrawn (ufrx).
    pub commission_owed: u128,
    /// Height created (0 = genesis).
    pub created_height: BlockHeight,
}

impl Validator {
    /// The consensus address (what commits and evidence name).
    pub fn consensus_address(&self) -> Address {
        self.consensus_key.address()
    }

    /// Tokens `shares` are worth, rounded down.
    pub fn tokens_of(&self, shares: u128) -> Result<u128, StakingError> {
        if self.shares == 0 {
            return Ok(0);
        }
        Ok(Amount::new(shares)
            .mul_div_floor(self.tokens, self.shares)
            .map_err(|_| StakingError::overflow("share value"))?
            .value())
    }
}

/// A delegation of `delegator` to a validator.
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct Delegation {
    /// The delegator.
    pub delegator: Address,
    /// The validator's operator.
    pub validator: Address,
    /// Shares held.
    pub shares: u128,
    /// The validator's `reward_acc` when last settled.
    pub checkpoint: u128,
    /// Scaled reward fraction carried from earlier settlements (`< SCALE`).
    pub frac: u128,
}

/// Tokens on their way back to a delegator.
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct UnbondingEntry {
    /// Sequential id.
    pub id: u64,
    /// Who gets the tokens.
    pub delegator: Address,
    /// The validator they left.
    pub validator: Address,
    /// Height of the undelegation.
    pub creation_height: BlockHeight,
    /// Height in whose `end_block` the tokens return.
    pub completion_height: BlockHeight,
    /// Amount at creation.
    pub initial: u128,
    /// Amount left (after slashes).
    pub balance: u128,
}

/// Stake moved from `src` to `dst`, tracked until the unbonding period
/// passes: a double sign of `src` at or before `creation_height`
/// discovered later slashes it at `dst` (see [`crate::slashing`]).
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct RedelegationEntry {
    /// Sequential id.
    pub id: u64,
    /// Whose stake moved.
    pub delegator: Address,
    /// The validator it left.
    pub src: Address,
    /// The validator it joined.
    pub dst: Address,
    /// Height of the redelegation.
    pub creation_height: BlockHeight,
    /// Height in whose `end_block` the entry is forgotten.
    pub completion_height: BlockHeight,
    /// Tokens moved.
    pub initial: u128,
}

/// A member of the consensus set.
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct ActiveValidator {
    /// The operator.
    pub operator: Address,
    /// Consensus key.
    pub consensus_key: PublicKey,
    /// Display name.
    pub moniker: String,
    /// Voting power (> 0).
    pub power: u64,
    /// True when the operator is a regulator (a super node).
    pub regulator: bool,
}

/// Downtime tracking of one validator.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
)]
pub struct SigningInfo {
    /// Blocks recorded since tracking (re)started; slot = counter mod window.
    pub counter: u64,
    /// Missed blocks among the last `min(counter, window)`.
    pub missed: u64,
}

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
