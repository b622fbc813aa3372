//! The compute records (providers, windows, orders, receipts), the
//! capacity denoms and the module accounts. Plain data, available without
//! the `component` feature, so a client reads query answers with these
//! types without linking storage.

use fructus_types::{Address, Amount, BlockHeight, Denom};

/// The unit an asset class must measure in for its assets to be compute
/// providers.
pub const GPU_HOUR_UNIT: &str = "gpu-hour";
/// Prefix of capacity token denoms.
pub const CAPACITY_PREFIX: &str = "gpuh/";
/// One hour in ms.
pub const HOUR_MS: u64 = 3_600_000;

/// The capacity token of `asset_id`'s GPU-hours in `window`:
/// `gpuh/<asset id>/<window>`.
pub fn capacity_denom(asset_id: u64, window: u64) -> Denom {
    // `gpuh/` and two numbers always parse (lower-case start, allowed
    // characters, under 128 characters); the fallback is unreachable.
    format!("{CAPACITY_PREFIX}{asset_id}/{window}")
        .parse()
        .unwrap_or_else(|_| Denom::native())
}

/// `(asset id, window)` of a capacity denom, or `None` for any other
/// denom (canonical decimal numbers only, so one pair has one denom).
pub fn parse_capacity_denom(denom: &Denom) -> Option<(u64, u64)> {
    let rest = denom.as_str().strip_prefix(CAPACITY_PREFIX)?;
    let (asset, window) = rest.split_once('/')?;
    let asset: u64 = asset.parse().ok()?;
    let window: u64 = window.parse().ok()?;
    (capacity_denom(asset, window) == *denom).then_some((asset, window))
}

/// The module account holding a provider's bond.
pub fn bond_account(asset_id: u64) -> Address {
    Address::module(&format!("compute_bond/{asset_id}"))
}

/// The module account holding an order's escrow.
pub fn order_escrow(order_id: u64) -> Address {
    Address::module(&format!("compute_escrow/{order_id}"))
}

/// What a provider's green energy comes from.
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
#[serde(rename_all = "snake_case")]
pub enum GreenLink {
    /// None declared.
    None,
    /// An energy asset (e.g. a metered solar installation).
    EnergyAsset(u64),
    /// A certificate batch.
    CertificateBatch(String),
}

/// A registered compute provider: an asset of a `gpu-hour` class with an
/// attested device, a bond and its liveness.
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
pub struct Provider {
    /// The asset.
    pub asset_id: u64,
    /// Who registered it (the asset's owner or a class manager): mints
    /// capacity, accepts orders, is paid nothing directly.
    #[schema(value_type = String)]
    pub operator: Address,
    /// GPU model.
    pub gpu_model: String,
    /// GPUs.
    pub gpus: u32,
    /// Green-energy link.
    pub green: GreenLink,
    /// Paid `maintainer_bps` of every payout (none when `maintainer_bps`
    /// is 0).
    #[schema(value_type = Option<String>)]
    pub maintainer: Option<Address>,
    /// The maintainer's share, basis points.
    pub maintainer_bps: u16,
    /// Bond held, ufrx (in [`bond_account`]).
    #[schema(value_type = String)]
    pub bond: Amount,
    /// Slashed so far, ufrx.
    #[schema(value_type = String)]
    pub slashed: Amount,
    /// Online: a heartbeat with GPUs up arrived within the interval.
    pub online: bool,
    /// GPUs the last heartbeat reported.
    pub gpus_online: u32,
    /// Last heartbeat sequence (0 before the first).
    pub heartbeat_sequence: u64,
    /// Block time of the last heartbeat.
    pub last_heartbeat_ms: u64,
    /// When it goes offline without another heartbeat (its entry in the
    /// liveness queue), while online.
    pub offline_at_ms: Option<u64>,
    /// Accepted orders not yet settled, in id order.
    pub open_orders: Vec<u64>,
    /// RECs its open green orders will retire at completion: a green order
    /// is accepted only while the operator holds at least this many plus
    /// the new order's.
    pub certificates_committed: u64,
    /// Height it was registered at.
    pub registered_height: BlockHeight,
}

/// One window's capacity of one provider.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Capacity {
    /// The asset.
    pub asset_id: u64,
    /// The window.
    pub window: u64,
    /// Block time it starts.
    pub start_ms: u64,
    /// Block time it ends (its tokens' expiry).
    pub end_ms: u64,
    /// GPUs × window hours.
    pub capacity: u64,
    /// GPU-hours minted as tokens.
    pub minted: u64,
    /// GPU-hours reserved by accepted orders (not by redeemed tokens,
    /// which `minted` already counts).
    pub reserved: u64,
    /// GPU-hours of tokens redeemed.
    pub redeemed: u64,
}

impl Capacity {
    /// GPU-hours neither minted nor reserved.
    pub fn free(&self) -> u64 {
        self.capacity
            .saturating_sub(self.minted)
            .saturating_sub(self.reserved)
    }
}

/// How an order's completion is verified.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// The buyer confirms.
    BuyerConfirm,
    /// The named verifier attests the result hash.
    Verifier(Address),
    /// Completes when the challenge window lapses unchallenged; a
    /// challenge goes to the named verifier.
    ChallengeWindow(Address),
}

impl Verification {
    /// The verifier named, if any.
    pub fn verifier(&self) -> Option<&Address> {
        match self {
            Verification::BuyerConfirm => None,
            Verification::Verifier(v) | Verification::ChallengeWindow(v) => Some(v),
        }
    }
}

/// Life-cycle status of an order.
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
#[borsh(use_discriminant = true)]
pub enum OrderStatus {
    /// Under-funded: cannot be accepted; closed and refunded when the
    /// grace period lapses without a top-up.
    Paused = 1,
    /// Funded, waiting for a provider.
    Open = 2,
    /// Accepted by a provider for a window.
    Accepted = 3,
    /// The provider submitted a result.
    Submitted = 4,
    /// The buyer challenged the result; the verifier decides.
    Challenged = 5,
    /// Paid out to the provider's asset.
    Completed = 6,
    /// Refunded to the buyer (see the receipt's fault).
    Failed = 7,
    /// Cancelled by the buyer, or closed after the grace period.
    Cancelled = 8,
}

impl OrderStatus {
    /// Every status, in code order.
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::Paused,
        OrderStatus::Open,
        OrderStatus::Accepted,
        OrderStatus::Submitted,
        OrderStatus::Challenged,
        OrderStatus::Completed,
        OrderStatus::Failed,
        OrderStatus::Cancelled,
    ];

    /// One byte for the status index key.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Whether the order is settled for good.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrderStatus::Completed | OrderStatus::Failed | OrderStatus::Cancelled
        )
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OrderStatus::Paused => "paused",
            OrderStatus::Open => "open",
            OrderStatus::Accepted => "accepted",
            OrderStatus::Submitted => "submitted",
            OrderStatus::Challenged => "challenged",
            OrderStatus::Completed => "completed",
            OrderStatus::Failed => "failed",
            OrderStatus::Cancelled => "cancelled",
        })
    }
}

impl std::str::FromStr for OrderStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.to_string() == s)
            .ok_or_else(|| format!("unknown order status {s:?}"))
    }
}

/// Who caused a failure (only that side pays).
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
pub enum Fault {
    /// Nobody is proven at fault (a silent verifier or buyer after a
    /// submitted result): the buyer is refunded, the bond is kept.
    None,
    /// The provider went offline during the reserved window (by its
    /// heartbeats).
    ProviderOffline,
    /// The provider delivered no result by the deadline.
    ProviderNoResult,
    /// The verifier rejected the result.
    TaskRejected,
    /// The buyer left the order under-funded past the grace period.
    BuyerUnderfunded,
}

/// A demand order.
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
pub struct Order {
    /// Sequential id (from 1).
    pub id: u64,
    /// Who posted it (and is refunded).
    #[schema(value_type = String)]
    pub buyer: Address,
    /// SHA-256 of the task spec (hex).
    pub spec_hash: String,
    /// GPU model wanted.
    pub gpu_model: String,
    /// GPU-hours.
    pub hours: u64,
    /// Highest price per GPU-hour (the stablecoin's denom).
    #[schema(value_type = String)]
    pub max_price_per_hour: Amount,
    /// The stablecoin.
    #[schema(value_type = String)]
    pub denom: Denom,
    /// Completed by this block time or failed.
    pub deadline_ms: u64,
    /// How completion is verified (`"buyer_confirm"`, `{"verifier":
    /// address}` or `{"challenge_window": verifier address}`).
    #[schema(value_type = Value)]
    pub verification: Verification,
    /// Green compute required.
    pub green: bool,
    /// Held in [`order_escrow`].
    #[schema(value_type = String)]
    pub escrow: Amount,
    /// Status.
    pub status: OrderStatus,
    /// Paused until (then closed), while paused.
    pub paused_until_ms: Option<u64>,
    /// The provider's asset, once accepted (or redeemed).
    pub asset_id: Option<u64>,
    /// The reserved window, once accepted.
    pub window: Option<u64>,
    /// Agreed price per GPU-hour, once accepted (0 for redeemed tokens).
    #[schema(value_type = String)]
    pub price_per_hour: Amount,
    /// Served by redeemed capacity tokens (paid for already).
    pub redeemed: bool,
    /// The result hash (hex), once submitted.
    pub result_hash: Option<String>,
    /// Challenge window closes at, once submitted (challenge-window mode).
    pub challenge_until_ms: Option<u64>,
    /// Terms fixed at acceptance: platform share, bps.
    pub platform_bps: u16,
    /// Terms fixed at acceptance: maintainer share, bps.
    pub maintainer_bps: u16,
    /// Terms fixed at acceptance: the maintainer.
    #[schema(value_type = Option<String>)]
    pub maintainer: Option<Address>,
    /// Terms fixed at acceptance: slashed share of the bond, bps.
    pub slash_bps: u16,
    /// Terms fixed at acceptance: how long the buyer may challenge a
    /// result, and the verifier then has to decide, ms.
    pub challenge_window_ms: u64,
    /// Its entry in the settlement queue (deadline, challenge lapse or
    /// grace end), while one is due.
    pub due_ms: Option<u64>,
    /// Green orders, fixed at acceptance: the certificate batch the
    /// completion retires from (the provider's green link).
    pub green_batch: Option<u64>,
    /// Green orders, fixed at acceptance: RECs retired at completion.
    pub certificates: u64,
    /// Height it was posted at.
    pub created_height: BlockHeight,
}

/// What settling an order did: the permanent record.
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
pub struct Receipt {
    /// The order.
    pub order_id: u64,
    /// Final status.
    pub status: OrderStatus,
    /// Who was at fault (`none` for a completion or a cancellation).
    pub fault: Fault,
    /// The provider's asset, if it was accepted.
    pub asset_id: Option<u64>,
    /// The buyer.
    #[schema(value_type = String)]
    pub buyer: Address,
    /// The stablecoin.
    #[schema(value_type = String)]
    pub denom: Denom,
    /// Paid to the maintainer.
    #[schema(value_type = String)]
    pub maintainer: Amount,
    /// Paid to the platform.
    #[schema(value_type = String)]
    pub platform: Amount,
    /// Credited to the asset's owners (income).
    #[schema(value_type = String)]
    pub shareholders: Amount,
    /// Refunded to the buyer.
    #[schema(value_type = String)]
    pub refunded: Amount,
    /// Slashed from the bond to the buyer, ufrx.
    #[schema(value_type = String)]
    pub slashed: Amount,
    /// The result hash, if one was submitted.
    pub result_hash: Option<String>,
    /// Green orders: the certificate retirements (ids in the certificate
    /// module) covering the energy used.
    pub retirements: Vec<u64>,
    /// Settled at height.
    pub height: BlockHeight,
    /// Settled at block time.
    pub time_ms: u64,
}
