#[cfg(feature = "component")]
use fructus_asset::AssetError;
#[cfg(feature = "component")]
use fructus_auth::AuthError;
#[cfg(feature = "component")]
use fructus_bank::BankError;
use fructus_component::ErrorCode;
#[cfg(feature = "component")]
use fructus_identity::IdentityError;
#[cfg(feature = "component")]
use fructus_storage::StorageError;
use fructus_types::{Address, Amount};

/// Errors of the metering module (codespace `metering`; failures of the
/// modules it calls keep their own codespace and code).
#[derive(Debug, thiserror::Error)]
pub enum MeteringError {
    #[cfg(feature = "component")]
    /// The state store failed; the node must stop rather than guess.
    #[error("state store failure: {0}")]
    Storage(#[from] StorageError),
    /// A message field is malformed.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// No device has this address.
    #[error("device {device} is not registered")]
    DeviceNotFound {
        /// The device address.
        device: Address,
    },
    /// The asset already has a live device.
    #[error("asset {asset_id} already has device {device}; decommission it first")]
    AssetHasDevice {
        /// The asset.
        asset_id: u64,
        /// Its device.
        device: Address,
    },
    /// The key is (or was) bound to an account or device.
    #[error("key {key} is already in use by an account or device and cannot be registered")]
    KeyInUse {
        /// The key, hex.
        key: String,
    },
    /// The manufacturer attestation does not verify against any of the
    /// class's attestation keys.
    #[error(
        "attestation for asset {asset_id} is not a valid signature by any attestation key of \
         class {class_id}"
    )]
    BadAttestation {
        /// The asset.
        asset_id: u64,
        /// Its class.
        class_id: u64,
    },
    /// The new key did not sign the rotation.
    #[error("the new key's signature over the rotation does not verify: {reason}")]
    BadKeySignature {
        /// Why.
        reason: String,
    },
    /// The serial in the registration differs from the asset's.
    #[error("serial {got:?} does not match asset {asset_id}'s serial {expected:?}")]
    SerialMismatch {
        /// The asset.
        asset_id: u64,
        /// The asset's serial.
        expected: String,
        /// The serial given.
        got: String,
    },
    /// Only the asset's owner or a manager of its class may do this.
    #[error("{signer} is neither the owner of asset {asset_id} nor a manager of its class")]
    NotAssetOperator {
        /// The asset.
        asset_id: u64,
        /// Who tried.
        signer: Address,
    },
    /// The device is suspended or decommissioned.
    #[error("device {device} is {status}; it accepts no readings or changes")]
    DeviceNotActive {
        /// The device.
        device: Address,
        /// Its status.
        status: String,
    },
    /// The reading was not signed by the device it names.
    #[error("reading for device {device} signed by {signer}; only the device key signs readings")]
    NotDevice {
        /// The device named.
        device: Address,
        /// The signer.
        signer: Address,
    },
    /// The sequence is not above the last accepted one (a replay).
    #[error(
        "reading of device {device} has sequence {got_sequence}, not above the last accepted \
         {last_sequence} (replay)"
    )]
    ReadingReplayed {
        /// The device.
        device: Address,
        /// Its last accepted sequence.
        last_sequence: u64,
        /// The sequence given.
        got_sequence: u64,
    },
    /// The cumulative counter went down.
    #[error("counter of device {device} regressed from {last_counter} to {got_counter}")]
    CounterRegressed {
        /// The device.
        device: Address,
        /// Its last accepted counter.
        last_counter: u64,
        /// The counter given.
        got_counter: u64,
    },
    /// The reading time is before the previous reading or too far ahead of
    /// the block time.
    #[error(
        "reading time {got_ms} of device {device} must be between {min_ms} (its last reading) \
         and {max_ms} (block time plus allowed skew)"
    )]
    ReadingTimeInvalid {
        /// The device.
        device: Address,
        /// Earliest allowed.
        min_ms: u64,
        /// Latest allowed.
        max_ms: u64,
        /// Given.
        got_ms: u64,
    },
    /// More units than the class can plausibly measure in the time elapsed.
    #[error(
        "device {device} reports {units} units in {elapsed_ms} ms; its class allows at most \
         {max_per_second} per second"
    )]
    Implausible {
        /// The device.
        device: Address,
        /// Units reported.
        units: u64,
        /// Time since its last reading.
        elapsed_ms: u64,
        /// The class bound.
        max_per_second: u64,
    },
    /// The asset has no contract that is running now.
    #[error("asset {asset_id} has no running contract: {reason}")]
    NoRunningContract {
        /// The asset.
        asset_id: u64,
        /// Why.
        reason: String,
    },
    /// No contract has this id.
    #[error("contract {contract_id} does not exist")]
    ContractNotFound {
        /// The id.
        contract_id: u64,
    },
    /// The asset already has a live contract.
    #[error("asset {asset_id} already has contract {contract_id} open; close it first")]
    AssetHasContract {
        /// The asset.
        asset_id: u64,
        /// The live contract.
        contract_id: u64,
    },
    /// The signer is not the party this step needs.
    #[error("{signer} may not do this on contract {contract_id}: only {allowed} may")]
    NotParty {
        /// The contract.
        contract_id: u64,
        /// Who tried.
        signer: Address,
        /// Who may.
        allowed: &'static str,
    },
    /// The contract is not in a status that allows this.
    #[error("contract {contract_id} is {status}; this needs it {expected}")]
    WrongStatus {
        /// The contract.
        contract_id: u64,
        /// Its status.
        status: String,
        /// What is needed.
        expected: &'static str,
    },
    /// The contract bills the other way.
    #[error("contract {contract_id} is not {expected}")]
    WrongBilling {
        /// The contract.
        contract_id: u64,
        /// `prepaid` or `postpaid`.
        expected: &'static str,
    },
    /// A payment in the wrong denom.
    #[error("contract {contract_id} is paid in {expected}, got {got}")]
    WrongDenom {
        /// The contract.
        contract_id: u64,
        /// Its denom.
        expected: String,
        /// Given.
        got: String,
    },
    /// Nothing is owed.
    #[error("contract {contract_id} owes nothing")]
    NothingOwed {
        /// The contract.
        contract_id: u64,
    },
    /// Notice was given and has not run out yet.
    #[error("contract {contract_id} is under notice until {closes_at_ms} ms; close it after that")]
    NoticePending {
        /// The contract.
        contract_id: u64,
        /// When it may be finalized.
        closes_at_ms: u64,
    },
    /// The customer cannot pay what it owes.
    #[error("customer {customer} holds {available} but owes {owed} on contract {contract_id}")]
    CannotPay {
        /// The contract.
        contract_id: u64,
        /// The customer.
        customer: Address,
        /// What it holds.
        available: Amount,
        /// What it owes.
        owed: Amount,
    },
    /// The asset names no oracles.
    #[error("asset {asset_id} has no oracles")]
    OraclesNotSet {
        /// The asset.
        asset_id: u64,
    },
    /// The signer is not one of the asset's oracles.
    #[error("{signer} is not an oracle of asset {asset_id}")]
    NotOracle {
        /// The asset.
        asset_id: u64,
        /// Who tried.
        signer: Address,
    },
    /// A named oracle is not an identified operator.
    #[error("{oracle} has tier {tier}; oracles must be oracle, enterprise or regulator accounts")]
    OracleTier {
        /// The oracle.
        oracle: Address,
        /// Its tier.
        tier: String,
    },
    /// The period is not after the last accepted one.
    #[error("period {period} of asset {asset_id} is not after the last accepted period {last}")]
    OraclePeriodStale {
        /// The asset.
        asset_id: u64,
        /// The period given.
        period: u64,
        /// The last accepted period.
        last: u64,
    },
    /// This oracle already reported for the period.
    #[error("{oracle} already reported period {period} of asset {asset_id}")]
    OracleDuplicate {
        /// The asset.
        asset_id: u64,
        /// The period.
        period: u64,
        /// The oracle.
        oracle: Address,
    },
    /// The agreed counter is below the last accepted one.
    #[error("oracles agree on counter {got} for asset {asset_id}, below the accepted {last}")]
    OracleCounterRegressed {
        /// The asset.
        asset_id: u64,
        /// The last accepted counter.
        last: u64,
        /// The agreed counter.
        got: u64,
    },
    /// Only the class creator may do this.
    #[error("{signer} is not the creator of asset class {class_id}")]
    NotClassCreator {
        /// The class.
        class_id: u64,
        /// Who tried.
        signer: Address,
    },
    /// A counter or amount would overflow.
    #[error("{what} overflows")]
    Overflow {
        /// What overflowed.
        what: &'static str,
    },
    #[cfg(feature = "component")]
    /// A bank operation failed (codespace `bank`).
    #[error(transparent)]
    Bank(#[from] BankError),
    #[cfg(feature = "component")]
    /// An asset operation failed (codespace `asset`).
    #[error(transparent)]
    Asset(#[from] AssetError),
    #[cfg(feature = "component")]
    /// An auth operation failed (codespace `auth`).
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[cfg(feature = "component")]
    /// An identity operation failed (codespace `identity`).
    #[error(transparent)]
    Identity(#[from] IdentityError),
    /// The reading comes from a source the contract is not metered by
    /// (its terms name either the device or an oracle quorum, never both).
    #[error(
        "contract {contract_id} of asset {asset_id} is metered by {metered_by}; readings from \
         {got} are refused (open a new contract to change the source)"
    )]
    WrongMeterSource {
        /// The asset.
        asset_id: u64,
        /// Its running contract.
        contract_id: u64,
        /// What the contract's terms name: "its device" or "its oracles".
        metered_by: &'static str,
        /// Where the reading came from.
        got: &'static str,
    },
    /// The agreed oracle counter rose faster than the class's plausibility
    /// bound allows since the last accepted round.
    #[error(
        "oracles of asset {asset_id} agreed on {units} units in {elapsed_ms} ms, above the \
         class bound of {max_per_second} units/s"
    )]
    OracleImplausible {
        /// The asset.
        asset_id: u64,
        /// Units since the last accepted round.
        units: u64,
        /// Block time since the last accepted round.
        elapsed_ms: u64,
        /// The class bound.
        max_per_second: u64,
    },
    /// The key to register already controls an account: a device key must
    /// be fresh.
    #[error(
        "key {key} already controls account {account}; a device key must be a fresh key \
         generated for the device, never an existing account's key"
    )]
    KeyIsAccountKey {
        /// The key, hex.
        key: String,
        /// The account it controls.
        account: Address,
    },
    /// The key's own account holds a tier, KYC attestation or provider role
    /// that becoming a device would take away.
    #[error(
        "account {account} of key {key} is {standing}; registering its key as a device would \
         demote it — generate a fresh key for the device"
    )]
    AccountHasStanding {
        /// The key, hex.
        key: String,
        /// The key's derived account.
        account: Address,
        /// What it holds (tier name, "KYC-attested", "a KYC provider").
        standing: String,
    },
    /// The device key did not sign its own registration.
    #[error(
        "the device key's consent does not verify: {reason}; the device key signs \
         \"fructus/device-register/v1\" over the chain id, asset id, operator and key \
         (`fructus tx device register --device-key NAME` does it)"
    )]
    BadDeviceConsent {
        /// Why.
        reason: String,
    },
    /// The re-attestation does not verify for the device's current
    /// suspension.
    #[error(
        "re-attestation of device {device} does not verify for suspension {suspensions} by any \
         attestation key of class {class_id}; the manufacturer signs a fresh re-attestation \
         (`fructus device reattest`)"
    )]
    BadReattestation {
        /// The device.
        device: Address,
        /// Its class.
        class_id: u64,
        /// The suspension count the re-attestation must sign.
        suspensions: u64,
    },
    /// The app's [`crate::MeteredUnits`] hook (another module learning of
    /// the accepted units) failed; its codespace and code are kept.
    #[error("{message}")]
    UnitsHook {
        /// The failing module's codespace.
        codespace: &'static str,
        /// Its code.
        code: u32,
        /// Its message.
        message: String,
        /// Whether it is internal (a storage fault: the node stops).
        internal: bool,
    },
}

impl MeteringError {
    pub(crate) fn field(field: &'static str, reason: impl ToString) -> Self {
        MeteringError::InvalidField {
            field,
            reason: reason.to_string(),
        }
    }

    #[cfg(feature = "component")]
    pub(crate) fn overflow(what: &'static str) -> impl FnOnce(fructus_types::TypesError) -> Self {
        move |_| MeteringError::Overflow { what }
    }
}

/// The stable code of each variant (codespace `metering`): what [`ErrorCode::code`]
/// returns, and what tests and clients compare a result's code with.
impl MeteringError {
    /// The code of [`MeteringError::Storage`].
    pub const STORAGE: u32 = 1;
    /// The code of [`MeteringError::InvalidField`].
    pub const INVALID_FIELD: u32 = 2;
    /// The code of [`MeteringError::DeviceNotFound`].
    pub const DEVICE_NOT_FOUND: u32 = 3;
    /// The code of [`MeteringError::AssetHasDevice`].
    pub const ASSET_HAS_DEVICE: u32 = 4;
    /// The code of [`MeteringError::KeyInUse`].
    pub const KEY_IN_USE: u32 = 5;
    /// The code of [`MeteringError::BadAttestation`].
    pub const BAD_ATTESTATION: u32 = 6;
    /// The code of [`MeteringError::BadKeySignature`].
    pub const BAD_KEY_SIGNATURE: u32 = 7;
    /// The code of [`MeteringError::SerialMismatch`].
    pub const SERIAL_MISMATCH: u32 = 8;
    /// The code of [`MeteringError::NotAssetOperator`].
    pub const NOT_ASSET_OPERATOR: u32 = 9;
    /// The code of [`MeteringError::DeviceNotActive`].
    pub const DEVICE_NOT_ACTIVE: u32 = 10;
    /// The code of [`MeteringError::NotDevice`].
    pub const NOT_DEVICE: u32 = 11;
    /// The code of [`MeteringError::ReadingReplayed`].
    pub const READING_REPLAYED: u32 = 12;
    /// The code of [`MeteringError::CounterRegressed`].
    pub const COUNTER_REGRESSED: u32 = 13;
    /// The code of [`MeteringError::ReadingTimeInvalid`].
    pub const READING_TIME_INVALID: u32 = 14;
    /// The code of [`MeteringError::Implausible`].
    pub const IMPLAUSIBLE: u32 = 15;
    /// The code of [`MeteringError::NoRunningContract`].
    pub const NO_RUNNING_CONTRACT: u32 = 16;
    /// The code of [`MeteringError::ContractNotFound`].
    pub const CONTRACT_NOT_FOUND: u32 = 17;
    /// The code of [`MeteringError::AssetHasContract`].
    pub const ASSET_HAS_CONTRACT: u32 = 18;
    /// The code of [`MeteringError::NotParty`].
    pub const NOT_PARTY: u32 = 19;
    /// The code of [`MeteringError::WrongStatus`].
    pub const WRONG_STATUS: u32 = 20;
    /// The code of [`MeteringError::WrongBilling`].
    pub const WRONG_BILLING: u32 = 21;
    /// The code of [`MeteringError::WrongDenom`].
    pub const WRONG_DENOM: u32 = 22;
    /// The code of [`MeteringError::NothingOwed`].
    pub const NOTHING_OWED: u32 = 23;
    /// The code of [`MeteringError::NoticePending`].
    pub const NOTICE_PENDING: u32 = 24;
    /// The code of [`MeteringError::CannotPay`].
    pub const CANNOT_PAY: u32 = 25;
    /// The code of [`MeteringError::OraclesNotSet`].
    pub const ORACLES_NOT_SET: u32 = 26;
    /// The code of [`MeteringError::NotOracle`].
    pub const NOT_ORACLE: u32 = 27;
    /// The code of [`MeteringError::OracleTier`].
    pub const ORACLE_TIER: u32 = 28;
    /// The code of [`MeteringError::OraclePeriodStale`].
    pub const ORACLE_PERIOD_STALE: u32 = 29;
    /// The code of [`MeteringError::OracleDuplicate`].
    pub const ORACLE_DUPLICATE: u32 = 30;
    /// The code of [`MeteringError::OracleCounterRegressed`].
    pub const ORACLE_COUNTER_REGRESSED: u32 = 31;
    /// The code of [`MeteringError::NotClassCreator`].
    pub const NOT_CLASS_CREATOR: u32 = 32;
    /// The code of [`MeteringError::Overflow`].
    pub const OVERFLOW: u32 = 33;
    /// The code of [`MeteringError::WrongMeterSource`].
    pub const WRONG_METER_SOURCE: u32 = 34;
    /// The code of [`MeteringError::OracleImplausible`].
    pub const ORACLE_IMPLAUSIBLE: u32 = 35;
    /// The code of [`MeteringError::KeyIsAccountKey`].
    pub const KEY_IS_ACCOUNT_KEY: u32 = 36;
    /// The code of [`MeteringError::AccountHasStanding`].
    pub const ACCOUNT_HAS_STANDING: u32 = 37;
    /// The code of [`MeteringError::BadDeviceConsent`].
    pub const BAD_DEVICE_CONSENT: u32 = 38;
    /// The code of [`MeteringError::BadReattestation`].
    pub const BAD_REATTESTATION: u32 = 39;
}

impl ErrorCode for MeteringError {
    fn codespace(&self) -> &'static str {
        match self {
            #[cfg(feature = "component")]
            MeteringError::Bank(e) => e.codespace(),
            #[cfg(feature = "component")]
            MeteringError::Asset(e) => e.codespace(),
            #[cfg(feature = "component")]
            MeteringError::Auth(e) => e.codespace(),
            #[cfg(feature = "component")]
            MeteringError::Identity(e) => e.codespace(),
            MeteringError::UnitsHook { codespace, .. } => codespace,
            _ => "metering",
        }
    }

    fn code(&self) -> u32 {
        match self {
            #[cfg(feature = "component")]
            MeteringError::Storage(_) => Self::STORAGE,
            MeteringError::InvalidField { .. } => Self::INVALID_FIELD,
            MeteringError::DeviceNotFound { .. } => Self::DEVICE_NOT_FOUND,
            MeteringError::AssetHasDevice { .. } => Self::ASSET_HAS_DEVICE,
            MeteringError::KeyInUse { .. } => Self::KEY_IN_USE,
            MeteringError::BadAttestation { .. } => Self::BAD_ATTESTATION,
            MeteringError::BadKeySignature { .. } => Self::BAD_KEY_SIGNATURE,
            MeteringError::SerialMismatch { .. } => Self::SERIAL_MISMATCH,
            MeteringError::NotAssetOperator { .. } => Self::NOT_ASSET_OPERATOR,
            MeteringError::DeviceNotActive { .. } => Self::DEVICE_NOT_ACTIVE,
            MeteringError::NotDevice { .. } => Self::NOT_DEVICE,
            MeteringError::ReadingReplayed { .. } => Self::READING_REPLAYED,
            MeteringError::CounterRegressed { .. } => Self::COUNTER_REGRESSED,
            MeteringError::ReadingTimeInvalid { .. } => Self::READING_TIME_INVALID,
            MeteringError::Implausible { .. } => Self::IMPLAUSIBLE,
            MeteringError::NoRunningContract { .. } => Self::NO_RUNNING_CONTRACT,
            MeteringError::ContractNotFound { .. } => Self::CONTRACT_NOT_FOUND,
            MeteringError::AssetHasContract { .. } => Self::ASSET_HAS_CONTRACT,
            MeteringError::NotParty { .. } => Self::NOT_PARTY,
            MeteringError::WrongStatus { .. } => Self::WRONG_STATUS,
            MeteringError::WrongBilling { .. } => Self::WRONG_BILLING,
            MeteringError::WrongDenom { .. } => Self::WRONG_DENOM,
            MeteringError::NothingOwed { .. } => Self::NOTHING_OWED,
            MeteringError::NoticePending { .. } => Self::NOTICE_PENDING,
            MeteringError::CannotPay { .. } => Self::CANNOT_PAY,
            MeteringError::OraclesNotSet { .. } => Self::ORACLES_NOT_SET,
            MeteringError::NotOracle { .. } => Self::NOT_ORACLE,
            MeteringError::OracleTier { .. } => Self::ORACLE_TIER,
            MeteringError::OraclePeriodStale { .. } => Self::ORACLE_PERIOD_STALE,
            MeteringError::OracleDuplicate { .. } => Self::ORACLE_DUPLICATE,
            MeteringError::OracleCounterRegressed { .. } => Self::ORACLE_COUNTER_REGRESSED,
            MeteringError::NotClassCreator { .. } => Self::NOT_CLASS_CREATOR,
            MeteringError::Overflow { .. } => Self::OVERFLOW,
            #[cfg(feature = "component")]
            MeteringError::Bank(e) => e.code(),
            #[cfg(feature = "component")]
            MeteringError::Asset(e) => e.code(),
            #[cfg(feature = "component")]
            MeteringError::Auth(e) => e.code(),
            #[cfg(feature = "component")]
            MeteringError::Identity(e) => e.code(),
            MeteringError::WrongMeterSource { .. } => Self::WRONG_METER_SOURCE,
            MeteringError::OracleImplausible { .. } => Self::ORACLE_IMPLAUSIBLE,
            MeteringError::KeyIsAccountKey { .. } => Self::KEY_IS_ACCOUNT_KEY,
            MeteringError::AccountHasStanding { .. } => Self::ACCOUNT_HAS_STANDING,
            MeteringError::BadDeviceConsent { .. } => Self::BAD_DEVICE_CONSENT,
            MeteringError::BadReattestation { .. } => Self::BAD_REATTESTATION,
            MeteringError::UnitsHook { code, .. } => *code,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            #[cfg(feature = "component")]
            MeteringError::Storage(_) => true,
            #[cfg(feature = "component")]
            MeteringError::Bank(e) => e.is_internal(),
            #[cfg(feature = "component")]
            MeteringError::Asset(e) => e.is_internal(),
            #[cfg(feature = "component")]
            MeteringError::Auth(e) => e.is_internal(),
            #[cfg(feature = "component")]
            MeteringError::Identity(e) => e.is_internal(),
            MeteringError::UnitsHook { internal, .. } => *internal,
            _ => false,
        }
    }
}
