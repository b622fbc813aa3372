//! The only way anything reads or writes identity state.
//!
//! Validity of attestations is decided at the moment of use, against the
//! block height and time the caller passes: nothing expires in a per-block
//! loop.

use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockHeight, BlockTime};

use crate::{
    Attestation, AttestationStatus, FreezeRecord, IdentityError, MAX_ATTESTATIONS_PER_SUBJECT,
    MAX_PROVIDERS, MAX_REGULATORS, ProviderRecord, Record, RegulatorRecord, Tier,
    msg::KYC_LEVEL_ENTERPRISE, records::SealedRecord, state_key,
};

/// Identity reads, available on any state.
pub trait IdentityStateReadExt: StateRead {
    /// True if `address` is in the regulator set.
    fn is_regulator(&self, address: &Address) -> Result<bool, IdentityError> {
        Ok(self
            .get::<RegulatorRecord>(&state_key::regulator(address))?
            .is_some())
    }

    /// The regulator set, in address order.
    fn regulators(&self) -> Result<Vec<Address>, IdentityError> {
        Ok(self
            .prefix::<RegulatorRecord>(&state_key::all_regulators(), None, MAX_REGULATORS)?
            .into_iter()
            .map(|(_, r)| r.address)
            .collect())
    }

    /// The accreditation of `provider`, if it is accredited.
    fn provider(&self, provider: &Address) -> Result<Option<ProviderRecord>, IdentityError> {
        Ok(self.get(&state_key::provider(provider))?)
    }

    /// True if `address` is an accredited KYC provider.
    fn is_provider(&self, address: &Address) -> Result<bool, IdentityError> {
        Ok(self.provider(address)?.is_some())
    }

    /// Accredited KYC providers, in address order.
    fn providers(&self) -> Result<Vec<Address>, IdentityError> {
        Ok(self
            .prefix::<ProviderRecord>(&state_key::all_providers(), None, MAX_PROVIDERS)?
            .into_iter()
            .map(|(_, p)| p.provider)
            .collect())
    }

    /// True if `address` may issue attestations now (a regulator or an
    /// accredited provider).
    fn may_attest(&self, address: &Address) -> Result<bool, IdentityError> {
        Ok(self.is_regulator(address)? || self.is_provider(address)?)
    }

    /// Height up to which `provider`'s attestations were voided, if ever.
    fn provider_voided_at(&self, provider: &Address) -> Result<Option<BlockHeight>, IdentityError> {
        Ok(self.get(&state_key::voided(provider))?)
    }

    /// `provider`'s attestation of `subject`, whatever its status.
    fn attestation(
        &self,
        subject: &Address,
        provider: &Address,
    ) -> Result<Option<Attestation>, IdentityError> {
        Ok(self.get(&state_key::attestation(subject, provider))?)
    }

    /// Every attestation of `subject` (valid or not), in issuer order.
    fn attestations(&self, subject: &Address) -> Result<Vec<Attestation>, IdentityError> {
        Ok(self
            .prefix::<Attestation>(
                &state_key::attestations_of(subject),
                None,
                MAX_ATTESTATIONS_PER_SUBJECT,
            )?
            .into_iter()
            .map(|(_, a)| a)
            .collect())
    }

    /// Whether `att` counts at (`height`, `time`).
    fn attestation_status(
        &self,
        att: &Attestation,
        height: BlockHeight,
        time: BlockTime,
    ) -> Result<AttestationStatus, IdentityError> {
        if att.revoked.is_some() {
            return Ok(AttestationStatus::Revoked);
        }
        if self
            .provider_voided_at(&att.provider)?
            .is_some_and(|v| att.issued_height <= v)
        {
            return Ok(AttestationStatus::Voided);
        }
        if att.is_expired(height, time) {
            return Ok(AttestationStatus::Expired);
        }
        Ok(AttestationStatus::Valid)
    }

    /// The highest level among `address`'s valid attestations, if any.
    fn kyc_level(
        &self,
        address: &Address,
        height: BlockHeight,
        time: BlockTime,
    ) -> Result<Option<u8>, IdentityError> {
        let mut best = None;
        for att in self.attestations(address)? {
            if self.attestation_status(&att, height, time)? == AttestationStatus::Valid {
                best = best.max(Some(att.level));
            }
        }
        Ok(best)
    }

    /// True if `address` holds at least one valid attestation.
    fn is_kyc(
        &self,
        address: &Address,
        height: BlockHeight,
        time: BlockTime,
    ) -> Result<bool, IdentityError> {
        Ok(self.kyc_level(address, height, time)?.is_some())
    }

    /// The tier a module assigned to `address` (`device` or `oracle`), if any.
    fn assigned_tier(&self, address: &Address) -> Result<Option<Tier>, IdentityError> {
        Ok(self.get(&state_key::tier(address))?)
    }

    /// `address`'s tier at (`height`, `time`) — see [`Tier`] for the rule.
    fn tier(
        &self,
        address: &Address,
        height: BlockHeight,
        time: BlockTime,
    ) -> Result<Tier, IdentityError> {
        if self.is_regulator(address)? {
            return Ok(Tier::Regulator);
        }
        if let Some(tier) = self.assigned_tier(address)? {
            return Ok(tier);
        }
        if self
            .kyc_level(address, height, time)?
            .is_some_and(|l| l >= KYC_LEVEL_ENTERPRISE)
        {
            return Ok(Tier::Enterprise);
        }
        Ok(Tier::Individual)
    }

    /// The freeze on `address`, if frozen.
    fn freeze_record(&self, address: &Address) -> Result<Option<FreezeRecord>, IdentityError> {
        Ok(self.get(&state_key::frozen(address))?)
    }

    /// True if a regulator froze `address`.
    fn is_frozen(&self, address: &Address) -> Result<bool, IdentityError> {
        Ok(self.freeze_record(address)?.is_some())
    }

    /// Refuses a frozen account ([`IdentityError::AccountFrozen`]): the
    /// app's ante handler calls this for the signer (and fee payer).
    fn check_not_frozen(&self, address: &Address) -> Result<(), IdentityError> {
        if self.is_frozen(address)? {
            return Err(IdentityError::AccountFrozen { account: *address });
        }
        Ok(())
    }

    /// Refuses unless `address` may hold a `kyc_only` denom at (`height`,
    /// `time`): not frozen, and a regulator or holding a valid attestation.
    /// Bank calls this for the recipient of every transfer and mint of a
    /// `kyc_only` denom.
    fn check_can_hold_kyc_only(
        &self,
        address: &Address,
        height: BlockHeight,
        time: BlockTime,
    ) -> Result<(), IdentityError> {
        self.check_not_frozen(address)?;
        if self.is_regulator(address)? || self.is_kyc(address, height, time)? {
            return Ok(());
        }
        Err(IdentityError::NotKyc { account: *address })
    }

    /// `regulator`'s registered X25519 records key, if any.
    fn encryption_key(&self, regulator: &Address) -> Result<Option<[u8; 32]>, IdentityError> {
        Ok(self.get(&state_key::encryption_key(regulator))?)
    }

    /// The keys a record must be sealed to now: every current regulator
    /// with a registered encryption key, in address order.
    fn record_recipients(&self) -> Result<Vec<(Address, [u8; 32])>, IdentityError> {
        let mut out = Vec::new();
        for regulator in self.regulators()? {
            if let Some(key) = self.encryption_key(&regulator)? {
                out.push((regulator, key));
            }
        }
        Ok(out)
    }

    /// The id the next stored record gets.
    fn next_record_id(&self) -> Result<u64, IdentityError> {
        Ok(self.get(&state_key::next_record_id())?.unwrap_or(0))
    }

    /// Record `id`, if stored.
    fn record(&self, id: u64) -> Result<Option<Record>, IdentityError> {
        Ok(self.get(&state_key::record(id))?)
    }

    /// Records about `subject` in id order, after `start_after`, at most
    /// `limit`.
    fn records_of(
        &self,
        subject: &Address,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Record>, IdentityError> {
        let start = start_after.map(|id| state_key::record_by_subject(subject, id));
        let ids = self.prefix::<u64>(&state_key::records_of(subject), start.as_deref(), limit)?;
        let mut out = Vec::with_capacity(ids.len());
        for (_, id) in ids {
            if let Some(r) = self.record(id)? {
                out.push(r);
            }
        }
        Ok(out)
    }
}

impl<T: StateRead + ?Sized> IdentityStateReadExt for T {}

/// Refuses unless `address` may hold a `kyc_only` denom (free-function form
/// of [`IdentityStateReadExt::check_can_hold_kyc_only`], for bank).
pub fn check_can_hold_kyc_only<S: StateRead + ?Sized>(
    state: &S,
    address: &Address,
    height: BlockHeight,
    time: BlockTime,
) -> Result<(), IdentityError> {
    state.check_can_hold_kyc_only(address, height, time)
}

/// Identity writes.
pub trait IdentityStateWriteExt: StateWrite {
    /// Adds `address` to the regulator set.
    fn put_regulator(
        &mut self,
        address: &Address,
        since_height: BlockHeight,
    ) -> Result<(), IdentityError> {
        Ok(self.put(
            state_key::regulator(address),
            &RegulatorRecord {
                address: *address,
                since_height,
            },
        )?)
    }

    /// Removes `address` from the regulator set and forgets its records key.
    fn delete_regulator(&mut self, address: &Address) {
        self.delete(state_key::regulator(address));
        self.delete(state_key::encryption_key(address));
    }

    /// Makes `address` a regulator from `height`, within the set's bound
    /// ([`MAX_REGULATORS`]); a provider accreditation it held is dropped,
    /// so the two roles never overlap. Only governance calls this (a passed
    /// regulator-set proposal): no message of this module changes the set.
    fn add_regulator(
        &mut self,
        address: &Address,
        height: BlockHeight,
    ) -> Result<(), IdentityError> {
        if self.is_regulator(address)? {
            return Err(IdentityError::AlreadyRegulator { address: *address });
        }
        if self.regulators()?.len() >= MAX_REGULATORS {
            return Err(IdentityError::TooManyRegulators {
                max: MAX_REGULATORS,
            });
        }
        self.put_regulator(address, height)?;
        self.delete_provider(address);
        Ok(())
    }

    /// Takes `address` out of the regulator set; the last regulator
    /// always stays. Only governance calls this, like [`Self::add_regulator`].
    fn remove_regulator(&mut self, address: &Address) -> Result<(), IdentityError> {
        let regulators = self.regulators()?;
        if !regulators.contains(address) {
            return Err(IdentityError::UnknownRegulator { address: *address });
        }
        if regulators.len() <= 1 {
            return Err(IdentityError::LastRegulator { address: *address });
        }
        self.delete_regulator(address);
        Ok(())
    }

    /// Accredits a provider.
    fn put_provider(&mut self, record: &ProviderRecord) -> Result<(), IdentityError> {
        Ok(self.put(state_key::provider(&record.provider), record)?)
    }

    /// Withdraws a provider's accreditation.
    fn delete_provider(&mut self, provider: &Address) {
        self.delete(state_key::provider(provider));
    }

    /// Voids every attestation `provider` issued at or before `height`.
    fn void_attestations_of(
        &mut self,
        provider: &Address,
        height: BlockHeight,
    ) -> Result<(), IdentityError> {
        Ok(self.put(state_key::voided(provider), &height)?)
    }

    /// Stores (or replaces) an attestation.
    fn put_attestation(&mut self, att: &Attestation) -> Result<(), IdentityError> {
        Ok(self.put(state_key::attestation(&att.subject, &att.provider), att)?)
    }

    /// Assigns a module-managed tier: `device` or `oracle`; `individual`
    /// clears the assignment. `regulator` and `enterprise` follow from the
    /// regulator set and KYC and are refused. The caller emits
    /// [`crate::set_tier_event`].
    fn set_tier(&mut self, address: &Address, tier: Tier) -> Result<(), IdentityError> {
        match tier {
            Tier::Device | Tier::Oracle => Ok(self.put(state_key::tier(address), &tier)?),
            Tier::Individual => {
                self.delete(state_key::tier(address));
                Ok(())
            }
            Tier::Regulator | Tier::Enterprise => Err(IdentityError::TierNotSettable { tier }),
        }
    }

    /// Records a freeze.
    fn put_freeze(&mut self, record: &FreezeRecord) -> Result<(), IdentityError> {
        Ok(self.put(state_key::frozen(&record.account), record)?)
    }

    /// Lifts a freeze.
    fn delete_freeze(&mut self, account: &Address) {
        self.delete(state_key::frozen(account));
    }

    /// Stores a regulator's records key.
    fn put_encryption_key(
        &mut self,
        regulator: &Address,
        key: &[u8; 32],
    ) -> Result<(), IdentityError> {
        Ok(self.put(state_key::encryption_key(regulator), key)?)
    }

    /// Stores a sealed record under the next id and returns the id.
    fn put_record(
        &mut self,
        submitter: &Address,
        height: BlockHeight,
        time: BlockTime,
        sealed: &SealedRecord,
    ) -> Result<u64, IdentityError> {
        let id = self.next_record_id()?;
        let next = id.checked_add(1).ok_or(IdentityError::RecordIdsExhausted)?;
        let record = Record {
            id,
            submitter: *submitter,
            height,
            time,
            sealed: sealed.clone(),
        };
        self.put(state_key::record(id), &record)?;
        self.put(state_key::record_by_subject(&sealed.subject, id), &id)?;
        self.put(state_key::next_record_id(), &next)?;
        Ok(id)
    }
}

impl<T: StateWrite + ?Sized> IdentityStateWriteExt for T {}
