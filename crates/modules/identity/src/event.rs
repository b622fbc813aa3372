//! One constructor per identity event (only `set_tier` is public: the
//! module that assigns a tier emits it).

use fructus_component::Event;
use fructus_types::Address;

use crate::{Attestation, Tier};

/// `identity.accredit_provider`.
pub(crate) fn accredit_provider(provider: &Address, by: &Address) -> Event {
    Event::new("identity.accredit_provider")
        .attr("provider", provider)
        .attr("by", by)
}

/// `identity.revoke_provider`.
pub(crate) fn revoke_provider(
    provider: &Address,
    by: &Address,
    reason: &str,
    void_attestations: bool,
) -> Event {
    Event::new("identity.revoke_provider")
        .attr("provider", provider)
        .attr("by", by)
        .attr("reason", reason)
        .attr("void_attestations", void_attestations)
}

/// `identity.attest_kyc`.
pub(crate) fn attest_kyc(a: &Attestation) -> Event {
    Event::new("identity.attest_kyc")
        .attr("subject", a.subject)
        .attr("provider", a.provider)
        .attr("level", a.level)
        .attr("expiry_height", a.expiry_height.unwrap_or(0))
        .attr(
            "expiry_time_ms",
            a.expiry_time.map(|t| t.millis()).unwrap_or(0),
        )
        .attr("kyc_file_sha256", hex::encode(a.kyc_file_sha256))
}

/// `identity.revoke_attestation`.
pub(crate) fn revoke_attestation(
    subject: &Address,
    provider: &Address,
    by: &Address,
    reason: &str,
) -> Event {
    Event::new("identity.revoke_attestation")
        .attr("subject", subject)
        .attr("provider", provider)
        .attr("by", by)
        .attr("reason", reason)
}

/// `identity.freeze`.
pub(crate) fn freeze(account: &Address, by: &Address, reason: &str) -> Event {
    Event::new("identity.freeze")
        .attr("account", account)
        .attr("by", by)
        .attr("reason", reason)
}

/// `identity.unfreeze`.
pub(crate) fn unfreeze(account: &Address, by: &Address, reason: &str) -> Event {
    Event::new("identity.unfreeze")
        .attr("account", account)
        .attr("by", by)
        .attr("reason", reason)
}

/// `identity.register_encryption_key`.
pub(crate) fn register_encryption_key(regulator: &Address, key: &[u8; 32]) -> Event {
    Event::new("identity.register_encryption_key")
        .attr("regulator", regulator)
        .attr("x25519_pubkey", hex::encode(key))
}

/// `identity.store_record`.
pub(crate) fn store_record(
    id: u64,
    kind: &str,
    subject: &Address,
    submitter: &Address,
    commitment: &[u8; 32],
    recipients: usize,
) -> Event {
    Event::new("identity.store_record")
        .attr("id", id)
        .attr("kind", kind)
        .attr("subject", subject)
        .attr("submitter", submitter)
        .attr("commitment", hex::encode(commitment))
        .attr("recipients", recipients)
}

/// `identity.set_tier`: a module (e.g. metering) assigned `tier` to
/// `account` through [`crate::IdentityStateWriteExt::set_tier`]. The calling
/// module emits it, since state writes have no event sink.
pub fn set_tier(account: &Address, tier: Tier, by_module: &str) -> Event {
    Event::new("identity.set_tier")
        .attr("account", account)
        .attr("tier", tier)
        .attr("module", by_module)
}
