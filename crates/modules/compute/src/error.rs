use fructus_bank::BankError;
use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::Address;

/// Errors of the compute module (codespace `compute`; bank failures — the
/// compliance gate's `bank#10`, an expired denom's `bank#13` — keep bank's
/// codespace and code). New variants go at the end: the numeric codes are
/// a public contract.
#[derive(Debug, thiserror::Error)]
pub enum ComputeError {
    /// The state store failed; the node must stop rather than guess.
    #[cfg(feature = "component")]
    #[error("state store failure: {0}")]
    Storage(#[from] StorageError),
    /// A message field is malformed or out of its documented bound.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The asset is not a compute asset or cannot be registered.
    #[error("asset {asset_id} cannot be a compute provider: {reason}")]
    NotComputeAsset {
        /// The asset.
        asset_id: u64,
        /// Why.
        reason: String,
    },
    /// The asset is already registered.
    #[error("asset {asset_id} is already a compute provider")]
    ProviderExists {
        /// The asset.
        asset_id: u64,
    },
    /// No provider for this asset.
    #[error(
        "asset {asset_id} is not a compute provider: register it with `tx compute register-provider`"
    )]
    ProviderNotFound {
        /// The asset.
        asset_id: u64,
    },
    /// The signer does not operate the provider.
    #[error("{signer} does not operate compute provider {asset_id} (its operator is {operator})")]
    NotOperator {
        /// The asset.
        asset_id: u64,
        /// The operator.
        operator: Address,
        /// Who signed.
        signer: Address,
    },
    /// The bond is below the minimum.
    #[error("bond too small: {got} ufrx, the minimum is {min} ufrx")]
    BondTooSmall {
        /// What was given (or is left after slashing).
        got: u128,
        /// The `min_bond` parameter.
        min: u128,
    },
    /// The heartbeat does not come from the asset's live, active device.
    #[error("heartbeat for asset {asset_id} refused: {reason}")]
    HeartbeatRefused {
        /// The asset.
        asset_id: u64,
        /// Why.
        reason: String,
    },
    /// The provider is offline (no heartbeat within the interval).
    #[error("compute provider {asset_id} is offline: its device must send a heartbeat first")]
    ProviderOffline {
        /// The asset.
        asset_id: u64,
    },
    /// The window is not one the operation allows.
    #[error("window {window} refused: {reason}")]
    WindowRefused {
        /// The window.
        window: u64,
        /// Why (past, current, too far ahead, after the deadline).
        reason: String,
    },
    /// Not enough unreserved capacity in the window.
    #[error(
        "asset {asset_id} window {window}: {requested} GPU-hours requested but only {available} of {capacity} are free"
    )]
    CapacityExceeded {
        /// The asset.
        asset_id: u64,
        /// The window.
        window: u64,
        /// What was asked.
        requested: u64,
        /// What is left.
        available: u64,
        /// The window's capacity (GPUs × hours).
        capacity: u64,
    },
    /// The denom is not a capacity token, or not one of an ended window.
    #[error("{denom} is not {expected}")]
    NotCapacityToken {
        /// The denom.
        denom: String,
        /// What was expected.
        expected: &'static str,
    },
    /// No order has this id.
    #[error("order {order_id} does not exist: list orders with `query compute orders`")]
    OrderNotFound {
        /// The id.
        order_id: u64,
    },
    /// The order's status does not allow the operation.
    #[error("order {order_id} is {status}; this needs it {expected}")]
    WrongStatus {
        /// The order.
        order_id: u64,
        /// Its status.
        status: String,
        /// What the operation needs.
        expected: &'static str,
    },
    /// The signer is not the party the operation needs.
    #[error("{signer} may not do this on order {order_id}: only {who} may")]
    Unauthorized {
        /// The order.
        order_id: u64,
        /// Who signed.
        signer: Address,
        /// Who may.
        who: String,
    },
    /// The order's terms do not match the provider or the price.
    #[error("order {order_id} does not match: {reason}")]
    TermsMismatch {
        /// The order.
        order_id: u64,
        /// What differs.
        reason: String,
    },
    /// The order's deadline passed (or the window would end after it).
    #[error(
        "order {order_id}: the deadline {deadline_ms} ms has passed (block time {block_ms} ms)"
    )]
    DeadlinePassed {
        /// The order.
        order_id: u64,
        /// The deadline.
        deadline_ms: u64,
        /// The block time.
        block_ms: u64,
    },
    /// The challenge window is over.
    #[error("order {order_id}: the challenge window closed at {closed_ms} ms")]
    ChallengeClosed {
        /// The order.
        order_id: u64,
        /// When it closed.
        closed_ms: u64,
    },
    /// A result hash other than the submitted one.
    #[error("order {order_id}: the attested result hash is not the submitted one")]
    ResultMismatch {
        /// The order.
        order_id: u64,
    },
    /// The provider has as many open orders as allowed.
    #[error("compute provider {asset_id} has {max} open orders, the most allowed")]
    TooManyOrders {
        /// The asset.
        asset_id: u64,
        /// The bound.
        max: usize,
    },
    /// An amount in the wrong denom.
    #[error("wrong denom: expected {expected}, got {got}")]
    WrongDenom {
        /// What was expected.
        expected: String,
        /// What was given.
        got: String,
    },
    /// A computed amount would overflow.
    #[error("overflow: {what}")]
    Overflow {
        /// What would overflow.
        what: &'static str,
    },
    /// A bank operation failed (insufficient funds, the compliance gate,
    /// an expired denom).
    #[error(transparent)]
    Bank(BankError),
    /// An asset or metering read failed for the module's input.
    #[error("{0}")]
    Dependency(String),
    /// The genesis section or the parameters are inconsistent.
    #[error("invalid compute parameters: {reason}")]
    Params {
        /// Which field and why.
        reason: String,
    },
    /// State the module wrote contradicts itself (internal: the node stops).
    #[error("compute state is inconsistent: {reason}")]
    Corrupt {
        /// What is wrong.
        reason: String,
    },
}

impl ComputeError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        ComputeError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }

    /// An error of another module met while serving this one: internal
    /// errors stay internal ([`ComputeError::Corrupt`]), the others are
    /// the input's fault.
    #[cfg(feature = "component")]
    pub(crate) fn from_dependency<E: ErrorCode>(e: E) -> Self {
        if e.is_internal() {
            ComputeError::Corrupt {
                reason: format!("{}: {e}", e.codespace()),
            }
        } else {
            ComputeError::Dependency(format!("{}#{}: {e}", e.codespace(), e.code()))
        }
    }
}

impl From<BankError> for ComputeError {
    fn from(e: BankError) -> Self {
        ComputeError::Bank(e)
    }
}

impl ErrorCode for ComputeError {
    fn codespace(&self) -> &'static str {
        match self {
            ComputeError::Bank(e) => e.codespace(),
            _ => "compute",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            ComputeError::Storage(_) => 1,
            ComputeError::InvalidField { .. } => 2,
            ComputeError::NotComputeAsset { .. } => 3,
            ComputeError::ProviderExists { .. } => 4,
            ComputeError::ProviderNotFound { .. } => 5,
            ComputeError::NotOperator { .. } => 6,
            ComputeError::BondTooSmall { .. } => 7,
            ComputeError::HeartbeatRefused { .. } => 8,
            ComputeError::ProviderOffline { .. } => 9,
            ComputeError::WindowRefused { .. } => 10,
            ComputeError::CapacityExceeded { .. } => 11,
            ComputeError::NotCapacityToken { .. } => 12,
            ComputeError::OrderNotFound { .. } => 13,
            ComputeError::WrongStatus { .. } => 14,
            ComputeError::Unauthorized { .. } => 15,
            ComputeError::TermsMismatch { .. } => 16,
            ComputeError::DeadlinePassed { .. } => 17,
            ComputeError::ChallengeClosed { .. } => 18,
            ComputeError::ResultMismatch { .. } => 19,
            ComputeError::TooManyOrders { .. } => 20,
            ComputeError::WrongDenom { .. } => 21,
            ComputeError::Overflow { .. } => 22,
            ComputeError::Bank(e) => e.code(),
            ComputeError::Dependency(_) => 23,
            ComputeError::Params { .. } => 24,
            ComputeError::Corrupt { .. } => 25,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            ComputeError::Storage(_) => true,
            ComputeError::Corrupt { .. } => true,
            ComputeError::Bank(e) => e.is_internal(),
            _ => false,
        }
    }
}
