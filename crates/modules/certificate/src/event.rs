//! One constructor per certificate event. Every event about a batch carries
//! its `batch_id` and its counters after the change (`issued`, `retired`,
//! `cancelled`), so an indexer can follow the per-batch identity
//! `issued = tradable + retired + cancelled` from events alone.

use fructus_component::Event;
use fructus_types::Address;

use crate::{Authorization, Batch, CertificateClass, Issuer, Retirement, state::AutoIssued};

fn with_batch(event: Event, batch: &Batch) -> Event {
    event
        .attr("batch_id", batch.id)
        .attr("denom", batch.denom())
        .attr("issued", batch.issued)
        .attr("retired", batch.retired)
        .attr("cancelled", batch.cancelled)
}

/// `certificate.issuer_accredited`.
pub(crate) fn issuer_accredited(issuer: &Issuer) -> Event {
    Event::new("certificate.issuer_accredited")
        .attr("issuer", issuer.address)
        .attr("name", &issuer.name)
        .attr("regulator", issuer.accredited_by)
}

/// `certificate.issuer_revoked`.
pub(crate) fn issuer_revoked(issuer: &Address, regulator: &Address, reason: &str) -> Event {
    Event::new("certificate.issuer_revoked")
        .attr("issuer", issuer)
        .attr("regulator", regulator)
        .attr("reason", reason)
}

/// `certificate.class_created`.
pub(crate) fn class_created(class: &CertificateClass) -> Event {
    Event::new("certificate.class_created")
        .attr("class_id", class.id)
        .attr("kind", class.kind)
        .attr("unit", &class.unit)
        .attr("methodology_id", &class.methodology_id)
        .attr("kyc_only", class.kyc_only)
        .attr("issuer", class.issuer)
}

/// `certificate.batch_issued`: a batch and what was minted to whom.
pub(crate) fn batch_issued(batch: &Batch, recipient: &Address) -> Event {
    with_batch(Event::new("certificate.batch_issued"), batch)
        .attr("class_id", batch.class_id)
        .attr("issuer", batch.issuer)
        .attr("registry", &batch.registry)
        .attr("serial_start", batch.serial_start)
        .attr("serial_last", batch.serial_last())
        .attr("recipient", recipient)
}

/// `certificate.retired`: a permanent retirement.
pub(crate) fn retired(r: &Retirement, batch_denom: &str) -> Event {
    Event::new("certificate.retired")
        .attr("retirement_id", r.id)
        .attr("batch_id", r.batch_id)
        .attr("denom", batch_denom)
        .attr("amount", r.amount)
        .attr("serial_first", r.serial_first)
        .attr("serial_last", r.serial_last)
        .attr("holder", r.holder)
        .attr("beneficiary", &r.beneficiary)
        .attr("jurisdiction", &r.jurisdiction)
}

/// `certificate.bridged_in`: a batch bridged in from an external registry
/// (`duplicate` when the source transaction was already bridged and
/// nothing changed).
pub(crate) fn bridged_in(batch_id: u64, registry: &str, tx_id: &str, duplicate: bool) -> Event {
    Event::new("certificate.bridged_in")
        .attr("batch_id", batch_id)
        .attr("source_registry", registry)
        .attr("source_tx_id", tx_id)
        .attr("duplicate", duplicate)
}

/// `certificate.cancelled`.
pub(crate) fn cancelled(batch: &Batch, amount: u64, first: u64, last: u64, reason: &str) -> Event {
    with_batch(Event::new("certificate.cancelled"), batch)
        .attr("amount", amount)
        .attr("serial_first", first)
        .attr("serial_last", last)
        .attr("reason", reason)
}

/// `certificate.auto_issuance_granted`.
pub(crate) fn auto_issuance_granted(auth: &Authorization) -> Event {
    Event::new("certificate.auto_issuance_granted")
        .attr("asset_id", auth.asset_id)
        .attr("issuer", auth.issuer)
        .attr("batch_id", auth.batch_id)
        .attr("max_per_period", auth.max_per_period)
        .attr("period_ms", auth.period_ms)
}

/// `certificate.auto_issuance_revoked`: the carry is dropped.
pub(crate) fn auto_issuance_revoked(auth: &Authorization, by: &Address) -> Event {
    Event::new("certificate.auto_issuance_revoked")
        .attr("asset_id", auth.asset_id)
        .attr("issuer", auth.issuer)
        .attr("by", by)
        .attr("issued_total", auth.issued_total)
        .attr("dropped_kwh", auth.carried_kwh)
}

impl Retirement {
    /// The `certificate.retired` event of this record (a module calling
    /// the retire API emits it).
    pub fn event(&self) -> Event {
        retired(self, crate::batch_denom(self.batch_id).as_str())
    }
}

impl AutoIssued {
    /// The `certificate.auto_issued` event of one metering step.
    pub fn event(&self) -> Event {
        let e = Event::new("certificate.auto_issued")
            .attr("asset_id", self.asset_id)
            .attr("batch_id", self.batch_id)
            .attr("kwh", self.kwh)
            .attr("minted", self.minted)
            .attr("carried_kwh", self.carried_kwh);
        match &self.held_back {
            Some(reason) => e.attr("held_back", reason),
            None => e,
        }
    }
}
