//! The certificate module's records: plain data, available without the
//! `component` feature, so a client reads them without linking storage.

use fructus_types::{Address, BlockHeight, Denom};

/// The registry of batches issued on this chain (bridged batches name
/// their source registry instead).
pub const NATIVE_REGISTRY: &str = "fructus";

/// What one unit of a class stands for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    /// Renewable-energy certificate: 1 unit = 1 MWh generated.
    Rec,
    /// Carbon removal credit: 1 unit = 1 tCO2e removed.
    CarbonRemoval,
    /// Carbon avoidance credit: 1 unit = 1 tCO2e avoided.
    CarbonAvoidance,
}

impl CertificateKind {
    /// The physical quantity one unit stands for.
    pub fn unit(self) -> &'static str {
        match self {
            CertificateKind::Rec => "MWh",
            CertificateKind::CarbonRemoval | CertificateKind::CarbonAvoidance => "tCO2e",
        }
    }

    /// The name used in events, queries and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateKind::Rec => "rec",
            CertificateKind::CarbonRemoval => "carbon_removal",
            CertificateKind::CarbonAvoidance => "carbon_avoidance",
        }
    }
}

impl std::fmt::Display for CertificateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An accredited issuer (kept after revocation, with `revoked_height`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Issuer {
    /// The issuer's account.
    #[schema(value_type = String)]
    pub address: Address,
    /// Display name.
    pub name: String,
    /// The regulator who accredited it.
    #[schema(value_type = String)]
    pub accredited_by: Address,
    /// Height of the accreditation.
    pub accredited_height: BlockHeight,
    /// Height of the revocation; `None` while accredited.
    pub revoked_height: Option<BlockHeight>,
}

impl Issuer {
    /// Whether it may issue now.
    pub fn is_active(&self) -> bool {
        self.revoked_height.is_none()
    }
}

/// A certificate class.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct CertificateClass {
    /// Sequential id (from 1).
    pub id: u64,
    /// What a unit stands for.
    pub kind: CertificateKind,
    /// Its unit (`MWh` or `tCO2e`).
    pub unit: String,
    /// Display name.
    pub name: String,
    /// The methodology or standard its batches follow.
    pub methodology_id: String,
    /// Its batches' denoms reach only KYC'd accounts.
    pub kyc_only: bool,
    /// The issuer that created it (and alone issues its batches).
    #[schema(value_type = String)]
    pub issuer: Address,
    /// Height of creation.
    pub created_height: BlockHeight,
}

/// A batch: a serial range of one class, minted as `cert/<id>`.
///
/// Invariant (kept by every write, checked by the property tests):
/// `issued = supply(cert/<id>) + retired + cancelled` and
/// `retired + cancelled ≤ issued ≤ quantity`. Serials
/// `serial_start ..= serial_start + issued − 1` are issued; retirements and
/// cancellations consume them from the start of the range in order, so the
/// serials of every retirement are disjoint.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Batch {
    /// Sequential id (from 1).
    pub id: u64,
    /// Its class.
    pub class_id: u64,
    /// The class's kind.
    pub kind: CertificateKind,
    /// The issuer.
    #[schema(value_type = String)]
    pub issuer: Address,
    /// The registry its serials belong to ([`NATIVE_REGISTRY`] unless
    /// bridged in).
    pub registry: String,
    /// The project (registry project id).
    pub project_id: String,
    /// Where the project is (geohash).
    pub location: String,
    /// Start of the vintage (ms since the epoch).
    pub vintage_start_ms: u64,
    /// End of the vintage (ms since the epoch).
    pub vintage_end_ms: u64,
    /// First serial.
    pub serial_start: u64,
    /// Serials in the range (the most that can ever be issued).
    pub quantity: u64,
    /// Units minted so far.
    pub issued: u64,
    /// Units retired so far.
    pub retired: u64,
    /// Units cancelled so far.
    pub cancelled: u64,
    /// Where the documentation lives.
    pub metadata_uri: String,
    /// SHA-256 of the documentation (hex).
    pub metadata_sha256: String,
    /// Height of issuance.
    pub created_height: BlockHeight,
    /// For a batch bridged in: the source registry's transaction id.
    pub source_tx_id: Option<String>,
}

impl Batch {
    /// Its bank denom.
    pub fn denom(&self) -> Denom {
        crate::batch_denom(self.id)
    }

    /// Last serial of the range.
    pub fn serial_last(&self) -> u64 {
        self.serial_start
            .saturating_add(self.quantity)
            .saturating_sub(1)
    }

    /// Units retired or cancelled: the serials consumed from the start.
    pub fn consumed(&self) -> u64 {
        self.retired.saturating_add(self.cancelled)
    }

    /// Units still in circulation (`issued − retired − cancelled`).
    pub fn tradable(&self) -> u64 {
        self.issued.saturating_sub(self.consumed())
    }
}

/// A permanent, non-transferable retirement record.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Retirement {
    /// Sequential id (from 1).
    pub id: u64,
    /// The batch.
    pub batch_id: u64,
    /// Its class.
    pub class_id: u64,
    /// Units retired.
    pub amount: u64,
    /// First serial retired.
    pub serial_first: u64,
    /// Last serial retired.
    pub serial_last: u64,
    /// The account whose units were burned.
    #[schema(value_type = String)]
    pub holder: Address,
    /// On whose behalf.
    pub beneficiary: String,
    /// Why.
    pub reason: String,
    /// Where the claim is made.
    pub jurisdiction: String,
    /// Height of the retirement.
    pub height: BlockHeight,
    /// Block time of the retirement (ms).
    pub time_ms: u64,
}

/// A standing authorization to mint RECs from an asset's metered energy.
///
/// Invariant: `metered_kwh = issued_total × 1000 + carried_kwh` — every kWh
/// read is either issued (in a whole MWh) or carried, never both, never
/// twice.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Authorization {
    /// The green-energy asset.
    pub asset_id: u64,
    /// The issuer that granted it.
    #[schema(value_type = String)]
    pub issuer: Address,
    /// The issuer's current REC batch for the asset.
    pub batch_id: u64,
    /// Most units minted per period.
    pub max_per_period: u64,
    /// Period length (ms).
    pub period_ms: u64,
    /// Start of the current period (block time, ms).
    pub period_start_ms: u64,
    /// Units minted in the current period.
    pub issued_in_period: u64,
    /// kWh read since the grant.
    pub metered_kwh: u128,
    /// Units minted since the grant.
    pub issued_total: u64,
    /// kWh read and not yet issued (below a whole MWh, or held back by the
    /// cap or a full batch).
    pub carried_kwh: u128,
    /// Height of the grant.
    pub granted_height: BlockHeight,
}
