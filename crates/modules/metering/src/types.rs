//! The metering records: devices, contracts, oracle sets and rounds. Plain
//! data, available without the `component` feature, so a client reads
//! query answers with these types without linking storage.

use fructus_component::schema::PublicKeySchema;
use fructus_types::{Address, Amount, PublicKey};

use crate::msg::Terms;

/// Life-cycle status of a device.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[borsh(use_discriminant = true)]
pub enum DeviceStatus {
    /// Accepts readings.
    Active = 1,
    /// Tampering reported: refuses readings until re-attested.
    Suspended = 2,
    /// Retired for good.
    Decommissioned = 3,
}

impl std::fmt::Display for DeviceStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DeviceStatus::Active => "active",
            DeviceStatus::Suspended => "suspended",
            DeviceStatus::Decommissioned => "decommissioned",
        })
    }
}

/// A registered device.
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
pub struct Device {
    /// Its account (the address its first key derived to; kept across
    /// rotations).
    #[schema(value_type = String)]
    pub address: Address,
    /// The asset it meters.
    pub asset_id: u64,
    /// The asset's class.
    pub class_id: u64,
    /// The attested serial.
    pub serial: String,
    /// Its current key.
    #[schema(value_type = PublicKeySchema)]
    pub key: PublicKey,
    /// Status.
    pub status: DeviceStatus,
    /// Why it was suspended, if it is.
    pub tamper_reason: Option<String>,
    /// Last accepted sequence (0 before the first reading).
    pub last_sequence: u64,
    /// Last accepted cumulative counter.
    pub counter: u64,
    /// Device time of the last accepted reading (registration block time
    /// before the first).
    pub last_reading_ms: u64,
    /// Readings accepted.
    pub readings: u64,
    /// Key rotations so far.
    pub rotations: u32,
    /// Tamper suspensions so far; each raises it, and a re-attestation
    /// signs the current value (see [`reattestation_bytes`](crate::reattestation_bytes)).
    pub suspensions: u64,
}

impl Device {
    /// Suspends the device for `reason`, counting the suspension so that
    /// only a re-attestation made for this one can lift it.
    pub fn suspend(&mut self, reason: String) {
        self.status = DeviceStatus::Suspended;
        self.tamper_reason = Some(reason);
        self.suspensions = self.suspensions.saturating_add(1);
    }
}

/// Life-cycle status of a contract.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[borsh(use_discriminant = true)]
pub enum ContractStatus {
    /// Waiting for the customer.
    Proposed = 1,
    /// Running.
    Active = 2,
    /// Running, but the customer owes more than it may (prepaid escrow
    /// exhausted, credit limit passed, or settlement late). Readings still
    /// accrue; paying what is owed resumes it.
    Suspended = 3,
    /// Over.
    Closed = 4,
    /// Its period-end processing failed (e.g. a rebate the compliance gate
    /// refused, or SLA debt past what an amount holds): it bills nothing
    /// more, and either party may close it at once, which settles and
    /// returns its escrows like any close.
    Failed = 5,
}

impl std::fmt::Display for ContractStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ContractStatus::Proposed => "proposed",
            ContractStatus::Active => "active",
            ContractStatus::Suspended => "suspended",
            ContractStatus::Closed => "closed",
            ContractStatus::Failed => "failed",
        })
    }
}

/// A service contract between an asset (its owners) and a customer.
///
/// Invariants: `charged = collected + owed + written_off`;
/// `collected = paid_maintainer + paid_platform + paid_shareholders +
/// penalties_paid`; `remainder < terms.per_units`.
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
pub struct Contract {
    /// Sequential id (from 1).
    pub id: u64,
    /// The asset.
    pub asset_id: u64,
    /// Who proposed it (asset owner or manager).
    #[schema(value_type = String)]
    pub provider: Address,
    /// The customer.
    #[schema(value_type = String)]
    pub customer: Address,
    /// Its terms.
    pub terms: Terms,
    /// Status.
    pub status: ContractStatus,
    /// Block time it was accepted.
    pub accepted_ms: Option<u64>,
    /// When notice runs out (set by the first close request).
    pub closes_at_ms: Option<u64>,
    /// Fractional charge carried to the next reading: numerator over
    /// `per_units`.
    pub remainder: u128,
    /// Units billed.
    pub units: u128,
    /// Everything billed.
    #[schema(value_type = String)]
    pub charged: Amount,
    /// Billed and paid.
    #[schema(value_type = String)]
    pub collected: Amount,
    /// Billed and not yet paid.
    #[schema(value_type = String)]
    pub owed: Amount,
    /// Since when something is owed (postpaid settlement clock).
    pub owed_since_ms: Option<u64>,
    /// Owed amounts abandoned when the provider closed the contract.
    #[schema(value_type = String)]
    pub written_off: Amount,
    /// Paid to the maintainer.
    #[schema(value_type = String)]
    pub paid_maintainer: Amount,
    /// Paid to the platform.
    #[schema(value_type = String)]
    pub paid_platform: Amount,
    /// Credited to the asset's shareholders.
    #[schema(value_type = String)]
    pub paid_shareholders: Amount,
    /// SLA penalties owed to the customer, paid from the shareholders'
    /// part of later collections.
    #[schema(value_type = String)]
    pub penalty_due: Amount,
    /// SLA penalties paid to the customer.
    #[schema(value_type = String)]
    pub penalties_paid: Amount,
    /// Efficiency rebates paid to the customer.
    #[schema(value_type = String)]
    pub rebates_paid: Amount,
    /// Start of the current period.
    pub period_start_ms: u64,
    /// Units in the current period.
    pub period_units: u64,
    /// End of the current period, while one is queued.
    pub next_period_end_ms: Option<u64>,
    /// Whether its metering baseline is set. Only usage after acceptance
    /// is billed: the first reading (or accepted oracle round) after
    /// acceptance bills nothing and only fixes the counter later readings
    /// are billed from, so usage before the contract (for instance
    /// readings refused while no contract ran) is never billed to it.
    pub baselined: bool,
}

impl Contract {
    /// A contract just proposed: nothing accepted, charged or paid yet, so
    /// every invariant above holds trivially.
    pub fn proposed(
        id: u64,
        asset_id: u64,
        provider: Address,
        customer: Address,
        terms: Terms,
    ) -> Self {
        Contract {
            id,
            asset_id,
            provider,
            customer,
            terms,
            status: ContractStatus::Proposed,
            accepted_ms: None,
            closes_at_ms: None,
            remainder: 0,
            units: 0,
            charged: Amount::ZERO,
            collected: Amount::ZERO,
            owed: Amount::ZERO,
            owed_since_ms: None,
            written_off: Amount::ZERO,
            paid_maintainer: Amount::ZERO,
            paid_platform: Amount::ZERO,
            paid_shareholders: Amount::ZERO,
            penalty_due: Amount::ZERO,
            penalties_paid: Amount::ZERO,
            rebates_paid: Amount::ZERO,
            period_start_ms: 0,
            period_units: 0,
            next_period_end_ms: None,
            baselined: false,
        }
    }
}

/// An asset's oracles and the last counter they agreed on.
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
pub struct OracleSet {
    /// The asset.
    pub asset_id: u64,
    /// The oracles, sorted.
    #[schema(value_type = Vec<String>)]
    pub oracles: Vec<Address>,
    /// How many must agree.
    pub threshold: u32,
    /// Agreement tolerance around the median.
    pub tolerance_bps: u32,
    /// Last accepted period (0 = none).
    pub last_period: u64,
    /// Counter accepted for it.
    pub counter: u64,
    /// Block time the last round was accepted (0 = none): the start of the
    /// interval the plausibility bound applies to.
    pub accepted_ms: u64,
}

/// One oracle round: the submissions for an asset's period.
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
pub struct OracleRound {
    /// The asset.
    pub asset_id: u64,
    /// The period.
    pub period: u64,
    /// (oracle, counter) in arrival order.
    #[schema(value_type = Vec<(String, u64)>)]
    pub submissions: Vec<(Address, u64)>,
    /// The accepted counter, once `threshold` agreed.
    pub accepted: Option<u64>,
    /// Oracles outside the tolerance when the round was accepted.
    #[schema(value_type = Vec<String>)]
    pub outliers: Vec<Address>,
}
