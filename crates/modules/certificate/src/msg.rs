//! The messages the certificate module accepts, parsed and validated from
//! the wire. Every bound a user-chosen number or text has is checked here,
//! before state (docs/security.md rule 2):
//!
//! | field | bound | why |
//! |---|---|---|
//! | `quantity`, `amount`, `max_per_period` | 1 … [`MAX_QUANTITY`] = 10^15 | a batch's counters and serials stay far inside u64; 10^15 MWh is beyond world generation for a century |
//! | `mint_now` | 0 … `quantity` | the rest of the range is left for auto-issuance |
//! | `serial_start` | `serial_start + quantity − 1 ≤ u64::MAX` | the last serial exists |
//! | `vintage_start_ms ≤ vintage_end_ms` | — | a vintage is a period |
//! | `period_ms` | [`MIN_PERIOD_MS`] (1 min) … [`MAX_PERIOD_MS`] (1000 years) | a cap per period is meaningful and `period_start + period_ms` cannot overflow |
//! | `name`, `methodology_id`, `project_id`, `jurisdiction` | 1 … 64 bytes | stored forever |
//! | `beneficiary`, `source_tx_id` | 1 … 128 bytes | indexed (a one-byte length prefix in the key) |
//! | `source_registry` | 1 … 64 bytes of `a-z0-9-.`, not `fructus` | names a registry |
//! | `reason`, `metadata_uri` | 1 … 256 bytes | stored forever |
//! | `location` | a geohash of 1 … 12 characters | 12 characters is a few centimetres |
//! | `metadata_sha256` | exactly 32 bytes | a SHA-256 |
//!
//! Texts are printable: no control characters, not blank.

use fructus_proto::certificate::v1 as pb;
use fructus_types::Address;

use crate::{CertificateError, CertificateKind};

/// Largest batch quantity and retire/cancel amount.
pub const MAX_QUANTITY: u64 = 1_000_000_000_000_000;
/// Shortest auto-issuance period: one minute.
pub const MIN_PERIOD_MS: u64 = 60_000;
/// Longest auto-issuance period: 1000 years.
pub const MAX_PERIOD_MS: u64 = 31_536_000_000_000;
/// Longest short text (names, ids, jurisdiction).
pub const MAX_SHORT_TEXT: usize = 64;
/// Longest beneficiary.
pub const MAX_BENEFICIARY: usize = 128;
/// Longest reason or URI.
pub const MAX_LONG_TEXT: usize = 256;
/// Longest geohash.
pub const MAX_GEOHASH: usize = 12;

/// A regulator accredits an issuer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccreditIssuer {
    /// The account accredited.
    pub issuer: Address,
    /// Display name.
    pub name: String,
}

/// A regulator revokes an issuer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeIssuer {
    /// The issuer.
    pub issuer: Address,
    /// Why (goes into the event).
    pub reason: String,
}

/// An accredited issuer creates a class.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreateClass {
    /// What a unit stands for.
    pub kind: CertificateKind,
    /// Display name.
    pub name: String,
    /// Methodology or standard.
    pub methodology_id: String,
    /// Holders must be KYC'd.
    pub kyc_only: bool,
}

/// What a batch is, besides its class and who mints it: shared by native
/// issuance and bridging.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchTerms {
    /// The class.
    pub class_id: u64,
    /// Registry project id.
    pub project_id: String,
    /// Geohash of the project.
    pub location: String,
    /// Vintage start (ms).
    pub vintage_start_ms: u64,
    /// Vintage end (ms).
    pub vintage_end_ms: u64,
    /// First serial.
    pub serial_start: u64,
    /// Serials in the range.
    pub quantity: u64,
    /// Documentation URI.
    pub metadata_uri: String,
    /// Documentation SHA-256.
    pub metadata_sha256: [u8; 32],
}

/// The class's issuer issues a batch.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IssueBatch {
    /// The batch.
    pub terms: BatchTerms,
    /// Units minted now (the rest waits for auto-issuance).
    pub mint_now: u64,
    /// Who receives them (`None` = the issuer).
    pub recipient: Option<Address>,
}

/// Who a retirement is for and why (shared by [`Retire`] and the retire
/// API other modules call).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RetirementDetails {
    /// On whose behalf (1 … 128 bytes).
    pub beneficiary: String,
    /// Why (1 … 256 bytes).
    pub reason: String,
    /// Where the claim is made (1 … 64 bytes).
    pub jurisdiction: String,
}

impl RetirementDetails {
    /// Checks the bounds (statelessly): a module calling the retire API
    /// builds its details here.
    pub fn new(
        beneficiary: &str,
        reason: &str,
        jurisdiction: &str,
    ) -> Result<Self, CertificateError> {
        Ok(RetirementDetails {
            beneficiary: text("beneficiary", beneficiary, MAX_BENEFICIARY)?,
            reason: text("reason", reason, MAX_LONG_TEXT)?,
            jurisdiction: text("jurisdiction", jurisdiction, MAX_SHORT_TEXT)?,
        })
    }
}

/// The signer retires units it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Retire {
    /// The batch.
    pub batch_id: u64,
    /// Units.
    pub amount: u64,
    /// For whom and why.
    pub details: RetirementDetails,
}

/// The issuer cancels units it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cancel {
    /// The batch.
    pub batch_id: u64,
    /// Units.
    pub amount: u64,
    /// Why.
    pub reason: String,
}

/// An issuer authorizes auto-issuance for an asset.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GrantAutoIssuance {
    /// The asset.
    pub asset_id: u64,
    /// The REC batch units are minted from.
    pub batch_id: u64,
    /// Cap per period.
    pub max_per_period: u64,
    /// Period length (ms).
    pub period_ms: u64,
}

/// The class's issuer bridges a batch in from an external registry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BridgeIn {
    /// The batch (its serials are the source registry's); all of it is
    /// minted.
    pub terms: BatchTerms,
    /// Who receives the units (`None` = the issuer).
    pub recipient: Option<Address>,
    /// The source registry (not [`crate::NATIVE_REGISTRY`]).
    pub source_registry: String,
    /// The registry's transaction that moved the units here.
    pub source_tx_id: String,
}

/// The authorizing issuer or a regulator ends an authorization.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeAutoIssuance {
    /// The asset.
    pub asset_id: u64,
}

/// A bounded, printable, non-blank text.
pub(crate) fn text(field: &'static str, s: &str, max: usize) -> Result<String, CertificateError> {
    if s.trim().is_empty() || s.len() > max {
        return Err(CertificateError::field(
            field,
            format!("1 to {max} bytes are required"),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(CertificateError::field(
            field,
            "control characters are not allowed",
        ));
    }
    Ok(s.to_owned())
}

/// A positive amount within [`MAX_QUANTITY`].
pub(crate) fn amount(field: &'static str, n: u64) -> Result<u64, CertificateError> {
    if n == 0 || n > MAX_QUANTITY {
        return Err(CertificateError::field(
            field,
            format!("must be 1 to {MAX_QUANTITY}"),
        ));
    }
    Ok(n)
}

/// A nonzero id.
pub(crate) fn id(field: &'static str, n: u64) -> Result<u64, CertificateError> {
    if n == 0 {
        return Err(CertificateError::field(field, "ids start at 1"));
    }
    Ok(n)
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, CertificateError> {
    Address::from_slice(bytes).map_err(|e| CertificateError::field(field, e))
}

fn geohash(s: &str) -> Result<String, CertificateError> {
    const ALPHABET: &str = "0123456789bcdefghjkmnpqrstuvwxyz";
    if s.is_empty() || s.len() > MAX_GEOHASH || !s.chars().all(|c| ALPHABET.contains(c)) {
        return Err(CertificateError::field(
            "location",
            format!(
                "a geohash of 1 to {MAX_GEOHASH} characters from 0-9 and b-z without a, i, l, o"
            ),
        ));
    }
    Ok(s.to_owned())
}

impl BatchTerms {
    /// Checks every bound of a batch's terms.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        class_id: u64,
        project_id: &str,
        location: &str,
        vintage_start_ms: u64,
        vintage_end_ms: u64,
        serial_start: u64,
        quantity: u64,
        metadata_uri: &str,
        metadata_sha256: &[u8],
    ) -> Result<Self, CertificateError> {
        let quantity = amount("quantity", quantity)?;
        if serial_start
            .checked_add(quantity.saturating_sub(1))
            .is_none()
        {
            return Err(CertificateError::field(
                "serial_start",
                "serial_start + quantity - 1 must fit in 64 bits",
            ));
        }
        if vintage_start_ms > vintage_end_ms {
            return Err(CertificateError::field(
                "vintage_end_ms",
                "the vintage must end at or after its start",
            ));
        }
        Ok(BatchTerms {
            class_id: id("class_id", class_id)?,
            project_id: text("project_id", project_id, MAX_SHORT_TEXT)?,
            location: geohash(location)?,
            vintage_start_ms,
            vintage_end_ms,
            serial_start,
            quantity,
            metadata_uri: text("metadata_uri", metadata_uri, MAX_LONG_TEXT)?,
            metadata_sha256: metadata_sha256.try_into().map_err(|_| {
                CertificateError::field(
                    "metadata_sha256",
                    format!("expected 32 bytes, got {}", metadata_sha256.len()),
                )
            })?,
        })
    }

    /// The last serial (bounded by [`BatchTerms::new`]).
    pub fn serial_last(&self) -> u64 {
        self.serial_start
            .saturating_add(self.quantity)
            .saturating_sub(1)
    }
}

impl TryFrom<&pb::MsgAccreditIssuer> for AccreditIssuer {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgAccreditIssuer) -> Result<Self, CertificateError> {
        Ok(AccreditIssuer {
            issuer: address("issuer", &m.issuer)?,
            name: text("name", &m.name, MAX_SHORT_TEXT)?,
        })
    }
}

impl TryFrom<&pb::MsgRevokeIssuer> for RevokeIssuer {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgRevokeIssuer) -> Result<Self, CertificateError> {
        Ok(RevokeIssuer {
            issuer: address("issuer", &m.issuer)?,
            reason: text("reason", &m.reason, MAX_LONG_TEXT)?,
        })
    }
}

impl TryFrom<&pb::MsgCreateClass> for CreateClass {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgCreateClass) -> Result<Self, CertificateError> {
        let kind = match pb::CertificateKind::try_from(m.kind) {
            Ok(pb::CertificateKind::Rec) => CertificateKind::Rec,
            Ok(pb::CertificateKind::CarbonRemoval) => CertificateKind::CarbonRemoval,
            Ok(pb::CertificateKind::CarbonAvoidance) => CertificateKind::CarbonAvoidance,
            _ => {
                return Err(CertificateError::field(
                    "kind",
                    "one of rec, carbon_removal, carbon_avoidance",
                ));
            }
        };
        Ok(CreateClass {
            kind,
            name: text("name", &m.name, MAX_SHORT_TEXT)?,
            methodology_id: text("methodology_id", &m.methodology_id, MAX_SHORT_TEXT)?,
            kyc_only: m.kyc_only,
        })
    }
}

impl TryFrom<&pb::MsgIssueBatch> for IssueBatch {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgIssueBatch) -> Result<Self, CertificateError> {
        let terms = BatchTerms::new(
            m.class_id,
            &m.project_id,
            &m.location,
            m.vintage_start_ms,
            m.vintage_end_ms,
            m.serial_start,
            m.quantity,
            &m.metadata_uri,
            &m.metadata_sha256,
        )?;
        if m.mint_now > terms.quantity {
            return Err(CertificateError::field(
                "mint_now",
                format!("at most the quantity {}", terms.quantity),
            ));
        }
        let recipient = if m.recipient.is_empty() {
            None
        } else {
            Some(address("recipient", &m.recipient)?)
        };
        Ok(IssueBatch {
            terms,
            mint_now: m.mint_now,
            recipient,
        })
    }
}

impl TryFrom<&pb::MsgRetire> for Retire {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgRetire) -> Result<Self, CertificateError> {
        Ok(Retire {
            batch_id: id("batch_id", m.batch_id)?,
            amount: amount("amount", m.amount)?,
            details: RetirementDetails::new(&m.beneficiary, &m.reason, &m.jurisdiction)?,
        })
    }
}

impl TryFrom<&pb::MsgCancel> for Cancel {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgCancel) -> Result<Self, CertificateError> {
        Ok(Cancel {
            batch_id: id("batch_id", m.batch_id)?,
            amount: amount("amount", m.amount)?,
            reason: text("reason", &m.reason, MAX_LONG_TEXT)?,
        })
    }
}

impl TryFrom<&pb::MsgGrantAutoIssuance> for GrantAutoIssuance {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgGrantAutoIssuance) -> Result<Self, CertificateError> {
        if !(MIN_PERIOD_MS..=MAX_PERIOD_MS).contains(&m.period_ms) {
            return Err(CertificateError::field(
                "period_ms",
                format!("must be {MIN_PERIOD_MS} to {MAX_PERIOD_MS}"),
            ));
        }
        Ok(GrantAutoIssuance {
            asset_id: id("asset_id", m.asset_id)?,
            batch_id: id("batch_id", m.batch_id)?,
            max_per_period: amount("max_per_period", m.max_per_period)?,
            period_ms: m.period_ms,
        })
    }
}

impl TryFrom<&pb::MsgBridgeIn> for BridgeIn {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgBridgeIn) -> Result<Self, CertificateError> {
        let batch = IssueBatch::try_from(
            m.batch
                .as_ref()
                .ok_or_else(|| CertificateError::field("batch", "missing"))?,
        )?;
        if batch.mint_now != batch.terms.quantity {
            return Err(CertificateError::field(
                "batch.mint_now",
                "a bridged batch is minted whole: mint_now must equal quantity",
            ));
        }
        let registry = text("source_registry", &m.source_registry, MAX_SHORT_TEXT)?;
        if registry == crate::NATIVE_REGISTRY
            || !registry
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        {
            return Err(CertificateError::field(
                "source_registry",
                "lower-case letters, digits, '-' and '.', and not \"fructus\"",
            ));
        }
        Ok(BridgeIn {
            terms: batch.terms,
            recipient: batch.recipient,
            source_registry: registry,
            source_tx_id: text("source_tx_id", &m.source_tx_id, MAX_BENEFICIARY)?,
        })
    }
}

impl TryFrom<&pb::MsgRevokeAutoIssuance> for RevokeAutoIssuance {
    type Error = CertificateError;
    fn try_from(m: &pb::MsgRevokeAutoIssuance) -> Result<Self, CertificateError> {
        Ok(RevokeAutoIssuance {
            asset_id: id("asset_id", m.asset_id)?,
        })
    }
}
