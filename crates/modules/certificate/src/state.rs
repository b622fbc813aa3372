//! The only way anything reads or writes certificate state, and the
//! module-to-module API: [`CertificateStateWriteExt::retire_certificates`]
//! (another module retires units a holder has, e.g. compute's green
//! receipts) and [`CertificateStateWriteExt::issue_from_metering`] (the
//! app's metering hook).

use fructus_asset::{AssetStateReadExt, AssetStateWriteExt, income_escrow, share_denom};
use fructus_bank::{BankStateReadExt, BankStateWriteExt, DenomMetadata};
use fructus_component::ParamsRead;
use fructus_identity::IdentityStateReadExt;
use fructus_income::{IncomeStateReadExt, MAX_INCOME_DENOMS};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockHeight, BlockTime, Coin};

use crate::{
    Authorization, Batch, CertificateClass, CertificateError, CertificateKind, CertificateParams,
    Issuer, Retirement, batch_denom,
    msg::{BatchTerms, MAX_QUANTITY, RetirementDetails},
    state_key,
};

/// kWh in one MWh: one REC per full MWh.
pub const KWH_PER_MWH: u128 = 1_000;

/// What one auto-issuance step did (the hook's event is built from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoIssued {
    /// The asset.
    pub asset_id: u64,
    /// The batch minted from.
    pub batch_id: u64,
    /// kWh this reading added.
    pub kwh: u64,
    /// Units minted into the asset's income.
    pub minted: u64,
    /// kWh carried after the step.
    pub carried_kwh: u128,
    /// Why whole MWh were held back in the carry, if any were.
    pub held_back: Option<String>,
}

/// Certificate reads, available on any state.
pub trait CertificateStateReadExt: StateRead {
    /// The parameters (defaults until genesis writes them).
    fn certificate_params(&self) -> Result<CertificateParams, CertificateError> {
        self.params::<CertificateParams>()
    }

    /// An issuer's record (active or revoked), if any.
    fn issuer(&self, address: &Address) -> Result<Option<Issuer>, CertificateError> {
        Ok(self.get(&state_key::issuer(address))?)
    }

    /// Refuses ([`CertificateError::NotAccredited`]) unless `address` is an
    /// accredited issuer now.
    fn require_active_issuer(&self, address: &Address) -> Result<Issuer, CertificateError> {
        self.issuer(address)?
            .filter(Issuer::is_active)
            .ok_or(CertificateError::NotAccredited { address: *address })
    }

    /// Issuers in address order after `start_after`, at most `limit`.
    fn issuers(
        &self,
        start_after: Option<&Address>,
        limit: usize,
    ) -> Result<Vec<Issuer>, CertificateError> {
        let start = start_after.map(state_key::issuer);
        Ok(self
            .prefix::<Issuer>(&state_key::all_issuers(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, i)| i)
            .collect())
    }

    /// A class, or [`CertificateError::ClassNotFound`].
    fn require_class(&self, id: u64) -> Result<CertificateClass, CertificateError> {
        self.get(&state_key::class(id))?
            .ok_or(CertificateError::ClassNotFound { class_id: id })
    }

    /// Classes in id order after `start_after`, at most `limit`.
    fn classes(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<CertificateClass>, CertificateError> {
        let start = start_after.map(state_key::class);
        Ok(self
            .prefix::<CertificateClass>(&state_key::all_classes(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// A batch, if it exists.
    fn batch(&self, id: u64) -> Result<Option<Batch>, CertificateError> {
        Ok(self.get(&state_key::batch(id))?)
    }

    /// A batch, or [`CertificateError::BatchNotFound`].
    fn require_batch(&self, id: u64) -> Result<Batch, CertificateError> {
        self.batch(id)?
            .ok_or(CertificateError::BatchNotFound { batch_id: id })
    }

    /// Batches in id order after `start_after`, at most `limit`.
    fn batches(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Batch>, CertificateError> {
        let start = start_after.map(state_key::batch);
        Ok(self
            .prefix::<Batch>(&state_key::all_batches(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, b)| b)
            .collect())
    }

    /// Refuses ([`CertificateError::SerialOverlap`]) if `first ..= last`
    /// of `class_id` in `registry` meets any batch's range. The ranges are
    /// disjoint and keyed by their last serial, so the only candidate is
    /// the first range whose last serial is at least `first`.
    fn check_serials_free(
        &self,
        class_id: u64,
        registry: &str,
        first: u64,
        last: u64,
    ) -> Result<(), CertificateError> {
        let prefix = state_key::serials(class_id, registry);
        let start = first
            .checked_sub(1)
            .map(|before| state_key::serial_range(class_id, registry, before));
        let next = self.prefix::<(u64, u64)>(&prefix, start.as_deref(), 1)?;
        if let Some((key, (other_first, batch_id))) = next.into_iter().next() {
            let other_last =
                state_key::parse_index_id(&key).ok_or_else(|| CertificateError::Corrupt {
                    reason: "malformed serial range key".into(),
                })?;
            if other_first <= last {
                return Err(CertificateError::SerialOverlap {
                    class_id,
                    registry: registry.to_owned(),
                    first,
                    last,
                    batch_id,
                    other_first,
                    other_last,
                });
            }
        }
        Ok(())
    }

    /// A retirement record, if it exists.
    fn retirement(&self, id: u64) -> Result<Option<Retirement>, CertificateError> {
        Ok(self.get(&state_key::retirement(id))?)
    }

    /// Retirements under an index prefix (by batch or by beneficiary), in
    /// id order after `start_after`, at most `limit`.
    fn retirements_under(
        &self,
        prefix: &[u8],
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Retirement>, CertificateError> {
        let start = start_after.map(|id| [prefix, &id.to_be_bytes()].concat());
        let keys = self.prefix_raw(prefix, start.as_deref(), limit)?;
        let mut out = Vec::with_capacity(keys.len());
        for (key, _) in keys {
            let id = state_key::parse_index_id(&key).ok_or_else(|| CertificateError::Corrupt {
                reason: "malformed retirement index key".into(),
            })?;
            out.push(
                self.retirement(id)?
                    .ok_or_else(|| CertificateError::Corrupt {
                        reason: format!("retirement {id} is indexed but not stored"),
                    })?,
            );
        }
        Ok(out)
    }

    /// Retirements in id order after `start_after`, at most `limit`.
    fn retirements(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Retirement>, CertificateError> {
        let start = start_after.map(state_key::retirement);
        Ok(self
            .prefix::<Retirement>(&state_key::all_retirements(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, r)| r)
            .collect())
    }

    /// The batch a source registry's transaction was bridged in as, if any.
    fn bridged(&self, registry: &str, tx_id: &str) -> Result<Option<u64>, CertificateError> {
        Ok(self.get(&state_key::bridged(registry, tx_id))?)
    }

    /// The auto-issuance authorization of an asset, if any.
    fn authorization(&self, asset_id: u64) -> Result<Option<Authorization>, CertificateError> {
        Ok(self.get(&state_key::authorization(asset_id))?)
    }

    /// Authorizations in asset order after `start_after`, at most `limit`.
    fn authorizations(
        &self,
        start_after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Authorization>, CertificateError> {
        let start = start_after.map(state_key::authorization);
        Ok(self
            .prefix::<Authorization>(&state_key::all_authorizations(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, a)| a)
            .collect())
    }

    /// Height and time of the block being executed (or the last one, in a
    /// snapshot), from bank's clock.
    fn certificate_clock(&self) -> Result<(BlockHeight, BlockTime), CertificateError> {
        Ok(self.block_clock()?)
    }

    /// The checks of a retirement, before any write: the batch exists, the
    /// amount is within its bound, `holder` passes the compliance gate for
    /// the batch's denom (not frozen; KYC'd if the class is KYC-only) and
    /// holds at least `amount`. Returns the batch.
    fn check_retire(
        &self,
        holder: &Address,
        batch_id: u64,
        amount: u64,
    ) -> Result<Batch, CertificateError> {
        let amount = crate::msg::amount("amount", amount)?;
        let batch = self.require_batch(batch_id)?;
        let denom = batch.denom();
        self.check_not_frozen(holder)?;
        self.check_can_receive(holder, &denom)?;
        let held = self.balance(holder, &denom)?;
        if held.value() < u128::from(amount) {
            return Err(CertificateError::InsufficientCertificates {
                holder: *holder,
                batch_id,
                held: held.value(),
                requested: amount,
            });
        }
        Ok(batch)
    }
}

impl<T: StateRead + ?Sized> CertificateStateReadExt for T {}

fn take_id<S: StateWrite + ?Sized>(
    state: &mut S,
    key: Vec<u8>,
    what: &'static str,
) -> Result<u64, CertificateError> {
    let id: u64 = state.get(&key)?.unwrap_or(1);
    let next = id
        .checked_add(1)
        .ok_or(CertificateError::Overflow { what })?;
    state.put(key, &next)?;
    Ok(id)
}

fn add(a: u64, b: u64, what: &'static str) -> Result<u64, CertificateError> {
    a.checked_add(b).ok_or(CertificateError::Overflow { what })
}

/// An income read failure: a storage fault stays internal, anything else
/// is state that contradicts itself.
fn income_error(e: fructus_income::IncomeError) -> CertificateError {
    match e {
        fructus_income::IncomeError::Storage(e) => CertificateError::Storage(e),
        other => CertificateError::Corrupt {
            reason: other.to_string(),
        },
    }
}

fn coin(batch: &Batch, amount: u64) -> Coin {
    Coin {
        denom: batch.denom(),
        amount: Amount::new(u128::from(amount)),
    }
}

/// Certificate writes.
pub trait CertificateStateWriteExt: StateWrite {
    /// Stores an issuer record.
    fn put_issuer(&mut self, issuer: &Issuer) -> Result<(), CertificateError> {
        Ok(self.put(state_key::issuer(&issuer.address), issuer)?)
    }

    /// Creates a class with the next id.
    fn create_class(
        &mut self,
        kind: CertificateKind,
        name: &str,
        methodology_id: &str,
        kyc_only: bool,
        issuer: &Address,
        height: BlockHeight,
    ) -> Result<CertificateClass, CertificateError> {
        let id = take_id(self, state_key::next_class(), "class id")?;
        let class = CertificateClass {
            id,
            kind,
            unit: kind.unit().to_owned(),
            name: name.to_owned(),
            methodology_id: methodology_id.to_owned(),
            kyc_only,
            issuer: *issuer,
            created_height: height,
        };
        self.put(state_key::class(id), &class)?;
        Ok(class)
    }

    /// Stores a batch.
    fn put_batch(&mut self, batch: &Batch) -> Result<(), CertificateError> {
        Ok(self.put(state_key::batch(batch.id), batch)?)
    }

    /// Creates a batch of `class` with the next id, registers its denom
    /// (no issuer in bank, so only this module mints and burns it;
    /// `kyc_only` as the class), reserves its serial range in `registry`,
    /// and mints `mint_now` units to `recipient` through bank's gate. The
    /// caller checked the issuer, the class and that the serials are free.
    #[allow(clippy::too_many_arguments)]
    fn create_batch(
        &mut self,
        class: &CertificateClass,
        terms: &BatchTerms,
        registry: &str,
        source_tx_id: Option<String>,
        mint_now: u64,
        recipient: &Address,
        height: BlockHeight,
    ) -> Result<Batch, CertificateError> {
        let id = take_id(self, state_key::next_batch(), "batch id")?;
        let batch = Batch {
            id,
            class_id: class.id,
            kind: class.kind,
            issuer: class.issuer,
            registry: registry.to_owned(),
            project_id: terms.project_id.clone(),
            location: terms.location.clone(),
            vintage_start_ms: terms.vintage_start_ms,
            vintage_end_ms: terms.vintage_end_ms,
            serial_start: terms.serial_start,
            quantity: terms.quantity,
            issued: mint_now,
            retired: 0,
            cancelled: 0,
            metadata_uri: terms.metadata_uri.clone(),
            metadata_sha256: hex::encode(terms.metadata_sha256),
            created_height: height,
            source_tx_id,
        };
        self.put_denom_metadata(&DenomMetadata {
            denom: batch_denom(id),
            issuer: None,
            symbol: match class.kind {
                CertificateKind::Rec => "REC".into(),
                CertificateKind::CarbonRemoval | CertificateKind::CarbonAvoidance => "tCO2e".into(),
            },
            decimals: 0,
            kyc_only: class.kyc_only,
        })?;
        self.put(
            state_key::serial_range(class.id, registry, terms.serial_last()),
            &(terms.serial_start, id),
        )?;
        if mint_now > 0 {
            self.mint(recipient, &coin(&batch, mint_now))?;
        }
        self.put_batch(&batch)?;
        Ok(batch)
    }

    /// Writes a checked retirement ([`CertificateStateReadExt::check_retire`]
    /// returned `batch`): burns `amount` from `holder`, consumes the next
    /// `amount` serials of the batch, and stores the permanent record and
    /// its two indexes. Returns the record.
    fn write_retirement(
        &mut self,
        mut batch: Batch,
        holder: &Address,
        amount: u64,
        details: &RetirementDetails,
    ) -> Result<Retirement, CertificateError> {
        let (height, time) = self.certificate_clock()?;
        let serial_first = add(batch.serial_start, batch.consumed(), "serial")?;
        let serial_last = add(serial_first, amount.saturating_sub(1), "serial")?;
        self.burn(holder, &coin(&batch, amount))?;
        batch.retired = add(batch.retired, amount, "retired units")?;
        if batch.consumed() > batch.issued {
            return Err(CertificateError::Corrupt {
                reason: format!("batch {} would retire more than it issued", batch.id),
            });
        }
        let id = take_id(self, state_key::next_retirement(), "retirement id")?;
        let record = Retirement {
            id,
            batch_id: batch.id,
            class_id: batch.class_id,
            amount,
            serial_first,
            serial_last,
            holder: *holder,
            beneficiary: details.beneficiary.clone(),
            reason: details.reason.clone(),
            jurisdiction: details.jurisdiction.clone(),
            height,
            time_ms: time.millis(),
        };
        self.put(state_key::retirement(id), &record)?;
        self.put(state_key::retirement_by_batch(batch.id, id), &())?;
        self.put(
            state_key::retirement_by_beneficiary(&details.beneficiary, id),
            &(),
        )?;
        self.put_batch(&batch)?;
        Ok(record)
    }

    /// **The retire API** for other modules: retires `amount` units of
    /// batch `batch_id` held by `holder` for `details` (build them with
    /// [`RetirementDetails::new`], which checks their bounds), with the
    /// same compliance checks and bookkeeping as the `Retire` message —
    /// the holder must not be frozen and, for a KYC-only class, must be
    /// KYC'd now; the units are burned, the batch's next serials are
    /// consumed, and a permanent retirement record is written. Returns the
    /// record (its `id` is the retirement id); the caller emits
    /// [`Retirement::event`]. On any error nothing was written by this
    /// call, except on an internal error (the caller's transaction fails
    /// and its writes are discarded in every case).
    fn retire_certificates(
        &mut self,
        holder: &Address,
        batch_id: u64,
        amount: u64,
        details: &RetirementDetails,
    ) -> Result<Retirement, CertificateError> {
        let batch = self.check_retire(holder, batch_id, amount)?;
        self.write_retirement(batch, holder, amount, details)
    }

    /// Cancels `amount` units the batch's issuer holds (checked by the
    /// caller): burned, counted as cancelled. Returns the serials consumed.
    fn write_cancellation(
        &mut self,
        mut batch: Batch,
        amount: u64,
    ) -> Result<(Batch, u64, u64), CertificateError> {
        let first = add(batch.serial_start, batch.consumed(), "serial")?;
        let last = add(first, amount.saturating_sub(1), "serial")?;
        self.burn(&batch.issuer, &coin(&batch, amount))?;
        batch.cancelled = add(batch.cancelled, amount, "cancelled units")?;
        if batch.consumed() > batch.issued {
            return Err(CertificateError::Corrupt {
                reason: format!("batch {} would cancel more than it issued", batch.id),
            });
        }
        self.put_batch(&batch)?;
        Ok((batch, first, last))
    }

    /// Records that a source registry's transaction became `batch_id`.
    fn put_bridged(
        &mut self,
        registry: &str,
        tx_id: &str,
        batch_id: u64,
    ) -> Result<(), CertificateError> {
        Ok(self.put(state_key::bridged(registry, tx_id), &batch_id)?)
    }

    /// Stores an authorization.
    fn put_authorization(&mut self, auth: &Authorization) -> Result<(), CertificateError> {
        Ok(self.put(state_key::authorization(auth.asset_id), auth)?)
    }

    /// Deletes an asset's authorization.
    fn delete_authorization(&mut self, asset_id: u64) {
        self.delete(state_key::authorization(asset_id));
    }

    /// **The metering hook's work**: `kwh` of accepted readings of asset
    /// `asset_id`. Without an authorization this reads one key and does
    /// nothing (`Ok(None)`). Otherwise the kWh join the carry, and each
    /// full MWh in it mints one unit of the authorization's batch into the
    /// asset's income (asset `credit_income`: shareholders receive them pro
    /// rata), within the period cap and the batch's unissued serials;
    /// whole MWh held back stay in the carry (and the reason is
    /// reported). Keeps `metered_kwh = issued_total × 1000 + carried_kwh`.
    ///
    /// Whatever one user's data can make fail — the cap, a full batch, a
    /// revoked issuer, governance's switch, the compliance gate refusing
    /// the owner of an unfractionalized asset, the asset's shares already
    /// receiving income in the most denoms income allows (each batch is a
    /// denom) — is checked before anything
    /// is written and only holds MWh back in the carry (`held_back`), so
    /// the reading is accepted and billed as usual. An `Err` means state
    /// that contradicts itself or a counter beyond its bound; the reading's
    /// transaction then fails.
    fn issue_from_metering(
        &mut self,
        asset_id: u64,
        kwh: u64,
    ) -> Result<Option<AutoIssued>, CertificateError> {
        let Some(mut auth) = self.authorization(asset_id)? else {
            return Ok(None);
        };
        if kwh == 0 {
            return Ok(None);
        }
        let (_, now) = self.certificate_clock()?;
        let now_ms = now.millis();
        let mut batch = self.require_batch(auth.batch_id)?;
        auth.metered_kwh =
            auth.metered_kwh
                .checked_add(u128::from(kwh))
                .ok_or(CertificateError::Overflow {
                    what: "metered kWh",
                })?;
        auth.carried_kwh =
            auth.carried_kwh
                .checked_add(u128::from(kwh))
                .ok_or(CertificateError::Overflow {
                    what: "carried kWh",
                })?;
        // Periods are aligned to the grant: the current one is the last
        // start `period_start + k·period_ms` at or before now.
        if now_ms >= auth.period_start_ms.saturating_add(auth.period_ms) {
            let since = now_ms.saturating_sub(auth.period_start_ms);
            let into = since.checked_rem(auth.period_ms).unwrap_or(0);
            auth.period_start_ms = now_ms.saturating_sub(into);
            auth.issued_in_period = 0;
        }
        let whole = u64::try_from(auth.carried_kwh / KWH_PER_MWH).unwrap_or(MAX_QUANTITY);
        let cap_left = auth.max_per_period.saturating_sub(auth.issued_in_period);
        let batch_left = batch.quantity.saturating_sub(batch.issued);
        let mut minted = whole.min(cap_left).min(batch_left);
        let mut held_back = if minted < whole {
            Some(if cap_left < whole {
                format!("the cap of {} per period is reached", auth.max_per_period)
            } else {
                format!("batch {} has no unissued serials left", batch.id)
            })
        } else {
            None
        };
        let params = self.certificate_params()?;
        if minted > 0 && !params.auto_issuance_enabled {
            held_back = Some("auto-issuance is switched off by governance".into());
            minted = 0;
        }
        if minted > 0 && self.require_active_issuer(&auth.issuer).is_err() {
            held_back = Some(format!("issuer {} is no longer accredited", auth.issuer));
            minted = 0;
        }
        if minted > 0 {
            let asset = self.require_asset(asset_id)?;
            if asset.fractionalized.is_none() {
                // Paid on to the owner at once: the gate must admit it
                // before anything is minted.
                if let Err(e) = self.check_can_receive(&asset.owner, &batch.denom()) {
                    held_back = Some(e.to_string());
                    minted = 0;
                }
            } else {
                // Income of a new denom needs a free income slot of the
                // asset's shares; without one the RECs wait in the carry
                // (the reading still bills).
                let share = share_denom(asset_id);
                let has_pool = self
                    .income_pool(&share, &batch.denom())
                    .map_err(income_error)?
                    .is_some();
                if !has_pool
                    && self.income_pools(&share).map_err(income_error)?.len() >= MAX_INCOME_DENOMS
                {
                    held_back = Some(format!(
                        "asset {asset_id}'s shares already receive income in {MAX_INCOME_DENOMS} denoms"
                    ));
                    minted = 0;
                }
            }
        }
        if minted > 0 {
            let c = coin(&batch, minted);
            self.mint(&income_escrow(asset_id), &c)?;
            self.credit_income(asset_id, &c)?;
            batch.issued = add(batch.issued, minted, "issued units")?;
            auth.issued_total = add(auth.issued_total, minted, "issued units")?;
            auth.issued_in_period = add(auth.issued_in_period, minted, "issued units")?;
            auth.carried_kwh = auth
                .carried_kwh
                .saturating_sub(u128::from(minted).saturating_mul(KWH_PER_MWH));
            self.put_batch(&batch)?;
        }
        self.put_authorization(&auth)?;
        Ok(Some(AutoIssued {
            asset_id,
            batch_id: batch.id,
            kwh,
            minted,
            carried_kwh: auth.carried_kwh,
            held_back,
        }))
    }
}

impl<T: StateWrite + ?Sized> CertificateStateWriteExt for T {}
