//! The messages the metering module accepts, parsed and validated from the
//! wire. Everything that can be checked without state is checked here.

use std::collections::BTreeSet;
use std::marker::PhantomData;

use fructus_component::schema::CoinSchema;
use fructus_proto::metering::v1 as pb;
use fructus_types::{Address, Amount, Coin, PublicKey, tx::public_key_from_proto};

use crate::{MeteredUnits, MeteringError, NoUnitsHook};

/// Longest serial number (as in the asset module).
pub const MAX_SERIAL_LEN: usize = 64;
/// Longest tamper reason.
pub const MAX_REASON_LEN: usize = 256;
/// Most oracles of an asset.
pub const MAX_ORACLES: usize = 16;
/// Basis points in one whole.
pub const BPS: u32 = 10_000;
/// Reading flag: the device detected tampering.
pub const FLAG_TAMPER: u32 = 1;
/// Reading flag: the device reports a fault (the reading still counts).
pub const FLAG_FAULT: u32 = 2;

/// Largest amount term, in base units of the contract's denom: the price
/// per `per_units`, the SLA penalty per missing unit and the rebate per
/// saved unit (10¹⁸: one whole token of an 18-decimal denom, 10¹² FRX).
/// With it every product the module computes fits in a `u128`
/// (max ≈ 3.4·10³⁸): a reading's charge numerator is at most
/// `Δunits·price + remainder < 1.9·10¹⁹ · 10¹⁸ + 1.9·10¹⁹ < 1.9·10³⁷`
/// (Δunits and `per_units` are `u64`), and a period's penalty or rebate at
/// most [`MAX_PERIOD_UNITS`] × 10¹⁸ = 10³⁰.
pub const MAX_TERM_AMOUNT: u128 = 1_000_000_000_000_000_000;
/// Largest per-period unit term (SLA minimum units, efficiency baseline
/// units): 10¹², so a period's penalty or rebate is at most 10³⁰ and
/// `penalty_due` could only overflow after 3.4·10⁸ unpaid periods (over a
/// century at [`MIN_PERIOD_MS`]); should it, the period-end hook marks
/// that one contract failed and goes on.
pub const MAX_PERIOD_UNITS: u64 = 1_000_000_000_000;
/// Shortest SLA/incentive period: 10 s, i.e. several blocks, so a period
/// ends at most once per few blocks per contract. The hook also catches up
/// in O(1) (the next period end is the first one after the block time),
/// so a contract can never fall behind and hold queue slots.
pub const MIN_PERIOD_MS: u64 = 10_000;
/// Longest duration term (period, notice, postpaid settlement window):
/// ten years of milliseconds. Block time plus any of them stays far below
/// `u64::MAX` (the sums saturate anyway).
pub const MAX_DURATION_MS: u64 = 10 * 366 * 86_400_000;

/// Bind an attested device key to an asset.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterDevice {
    /// The asset.
    pub asset_id: u64,
    /// The device key.
    pub device_key: PublicKey,
    /// The asset's serial (part of the attested bytes).
    pub serial: String,
    /// The manufacturer's signature (hex in JSON).
    #[serde(serialize_with = "hex_vec")]
    pub attestation: Vec<u8>,
    /// The meter's counter at installation.
    pub counter: u64,
    /// The device key's consent to this registration (hex in JSON).
    #[serde(serialize_with = "hex_vec")]
    pub device_signature: Vec<u8>,
}

/// Replace a device's key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RotateDeviceKey {
    /// The device.
    pub device: Address,
    /// Its new key.
    pub new_key: PublicKey,
    /// The new key's signature over the rotation (device path), if any.
    #[serde(serialize_with = "hex_vec")]
    pub new_key_signature: Vec<u8>,
    /// A fresh manufacturer attestation of the new key (owner path), if any.
    #[serde(serialize_with = "hex_vec")]
    pub attestation: Vec<u8>,
}

/// Report tampering.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportTamper {
    /// The device.
    pub device: Address,
    /// Why (free text).
    pub reason: String,
}

/// Lift a tamper suspension with a fresh attestation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReattestDevice {
    /// The device.
    pub device: Address,
    /// The manufacturer's re-attestation of the device's current key for
    /// its current suspension.
    #[serde(serialize_with = "hex_vec")]
    pub attestation: Vec<u8>,
}

/// Retire a device.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecommissionDevice {
    /// The device.
    pub device: Address,
}

/// Set the plausibility bound of a class.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SetPlausibilityBound {
    /// The class.
    pub class_id: u64,
    /// Most units per second (0 = none).
    pub max_units_per_second: u64,
}

/// One meter reading, signed by the device key. Generic over the
/// [`MeteredUnits`] hook the app chose (see [`crate::hook`]); it carries no
/// data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubmitReading<H = NoUnitsHook> {
    /// The device.
    pub device: Address,
    /// Strictly increasing sequence.
    pub sequence: u64,
    /// Cumulative counter.
    pub counter: u64,
    /// Device clock.
    pub time_ms: u64,
    /// [`FLAG_TAMPER`] | [`FLAG_FAULT`].
    pub flags: u32,
    #[serde(skip)]
    hook: PhantomData<H>,
}

impl<H> SubmitReading<H> {
    /// True when the device flagged tampering.
    pub fn tamper(&self) -> bool {
        self.flags & FLAG_TAMPER != 0
    }

    /// True when the device flagged a fault.
    pub fn fault(&self) -> bool {
        self.flags & FLAG_FAULT != 0
    }
}

/// How a contract is paid.
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
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Billing {
    /// Drawn per reading from an escrow the customer funds.
    Prepaid,
    /// Owed per reading, settled by the customer.
    Postpaid {
        /// Most that may be owed before the contract is suspended.
        #[schema(value_type = String)]
        credit_limit: Amount,
        /// How long an owed amount may stay unsettled.
        settle_within_ms: u64,
    },
}

/// The terms of a contract, as proposed.
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
pub struct Terms {
    /// Price per `per_units` units.
    #[schema(value_type = CoinSchema)]
    pub price: Coin,
    /// Units the price is for (≥ 1).
    pub per_units: u64,
    /// Billing mode.
    pub billing: Billing,
    /// Earliest start (0 = on acceptance).
    pub start_ms: u64,
    /// End (`None` = open-ended).
    pub end_ms: Option<u64>,
    /// Who maintains the equipment (a module placeholder that never
    /// receives anything when the wire gave none and `maintainer_bps` is 0).
    #[schema(value_type = String)]
    pub maintainer: Address,
    /// Maintainer's share of collections.
    pub maintainer_bps: u32,
    /// Platform fee share of collections.
    pub platform_bps: u32,
    /// Period length for SLA and incentive (0 = no periods).
    pub period_ms: u64,
    /// SLA minimum units per period (0 = no SLA).
    pub sla_min_units: u64,
    /// Penalty per missing unit.
    #[schema(value_type = String)]
    pub sla_penalty_per_unit: Amount,
    /// Efficiency baseline units per period (0 = no incentive).
    pub baseline_units: u64,
    /// Rebate per unit below baseline.
    #[schema(value_type = String)]
    pub rebate_per_unit: Amount,
    /// Notice before an active contract closes.
    pub notice_ms: u64,
    /// Who meters the contract: `None` = the asset's device, `Some` = this
    /// oracle quorum (the asset's oracle set when the contract was
    /// proposed). Never both: the other source's readings are refused. As
    /// a term the customer accepted, the provider cannot change it.
    pub oracles: Option<OracleTerms>,
}

/// The oracle quorum that meters a contract.
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
pub struct OracleTerms {
    /// The oracles, sorted.
    #[schema(value_type = Vec<String>)]
    pub oracles: Vec<Address>,
    /// How many must agree.
    pub threshold: u32,
    /// Agreement tolerance around the median.
    pub tolerance_bps: u32,
}

/// Propose a contract. Its terms come from the wire with `oracles` unset;
/// executing it copies in the asset's oracle set, if it names one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpenContract {
    /// The asset.
    pub asset_id: u64,
    /// The customer.
    pub customer: Address,
    /// The terms.
    pub terms: Terms,
}

/// Accept a contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AcceptContract {
    /// The contract.
    pub contract_id: u64,
    /// Initial escrow deposit.
    pub deposit: Option<Coin>,
}

/// Add to a prepaid escrow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopUp {
    /// The contract.
    pub contract_id: u64,
    /// The deposit (positive).
    pub amount: Coin,
}

/// Settle a postpaid contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settle {
    /// The contract.
    pub contract_id: u64,
}

/// Fund a contract's incentive pool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FundIncentive {
    /// The contract.
    pub contract_id: u64,
    /// The deposit (positive).
    pub amount: Coin,
}

/// Give notice on, or finalize, a contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CloseContract {
    /// The contract.
    pub contract_id: u64,
}

/// Name an asset's oracles.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SetOracles {
    /// The asset.
    pub asset_id: u64,
    /// The oracles (unique, sorted).
    pub oracles: Vec<Address>,
    /// How many must agree (1..=n).
    pub threshold: u32,
    /// Agreement tolerance around the median.
    pub tolerance_bps: u32,
}

/// An oracle's report of an asset's counter (generic over the app's
/// [`MeteredUnits`] hook, like [`SubmitReading`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubmitOracleReading<H = NoUnitsHook> {
    /// The asset.
    pub asset_id: u64,
    /// The period number.
    pub period: u64,
    /// The cumulative counter.
    pub counter: u64,
    #[serde(skip)]
    hook: PhantomData<H>,
}

fn hex_vec<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, MeteringError> {
    Address::from_slice(bytes).map_err(|e| MeteringError::field(field, e))
}

fn key(
    field: &'static str,
    k: Option<&fructus_proto::crypto::v1::PublicKey>,
) -> Result<PublicKey, MeteringError> {
    let k = k.ok_or_else(|| MeteringError::field(field, "missing"))?;
    public_key_from_proto(k).map_err(|e| MeteringError::field(field, e))
}

fn signature(field: &'static str, b: &[u8], required: bool) -> Result<Vec<u8>, MeteringError> {
    if b.len() > 128 || (required && b.is_empty()) {
        return Err(MeteringError::field(
            field,
            format!("a signature of 1 to 128 bytes, got {}", b.len()),
        ));
    }
    Ok(b.to_vec())
}

fn positive_coin(
    field: &'static str,
    c: Option<&fructus_proto::base::v1::Coin>,
) -> Result<Coin, MeteringError> {
    let c = c.ok_or_else(|| MeteringError::field(field, "missing"))?;
    let coin = Coin::try_from(c).map_err(|e| MeteringError::field(field, e))?;
    if coin.amount.is_zero() {
        return Err(MeteringError::field(field, "must be positive"));
    }
    Ok(coin)
}

fn amount(field: &'static str, s: &str) -> Result<Amount, MeteringError> {
    if s.is_empty() {
        return Ok(Amount::ZERO);
    }
    s.parse().map_err(|e| MeteringError::field(field, e))
}

/// An optional amount term, at most [`MAX_TERM_AMOUNT`].
fn term_amount(field: &'static str, s: &str) -> Result<Amount, MeteringError> {
    let a = amount(field, s)?;
    if a.value() > MAX_TERM_AMOUNT {
        return Err(MeteringError::field(
            field,
            format!("at most {MAX_TERM_AMOUNT} base units, got {a}"),
        ));
    }
    Ok(a)
}

/// A unit term, at most [`MAX_PERIOD_UNITS`].
fn period_units(field: &'static str, v: u64) -> Result<u64, MeteringError> {
    if v > MAX_PERIOD_UNITS {
        return Err(MeteringError::field(
            field,
            format!("at most {MAX_PERIOD_UNITS} units per period, got {v}"),
        ));
    }
    Ok(v)
}

/// A duration term, at most [`MAX_DURATION_MS`].
fn duration(field: &'static str, v: u64) -> Result<u64, MeteringError> {
    if v > MAX_DURATION_MS {
        return Err(MeteringError::field(
            field,
            format!("at most {MAX_DURATION_MS} ms (ten years), got {v}"),
        ));
    }
    Ok(v)
}

fn bps(field: &'static str, v: u32) -> Result<u32, MeteringError> {
    if v > BPS {
        return Err(MeteringError::field(
            field,
            format!("0 to {BPS} basis points, got {v}"),
        ));
    }
    Ok(v)
}

impl TryFrom<&pb::MsgRegisterDevice> for RegisterDevice {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgRegisterDevice) -> Result<Self, MeteringError> {
        if m.serial.is_empty() || m.serial.len() > MAX_SERIAL_LEN {
            return Err(MeteringError::field(
                "serial",
                format!("1 to {MAX_SERIAL_LEN} bytes"),
            ));
        }
        Ok(RegisterDevice {
            asset_id: m.asset_id,
            device_key: key("device_key", m.device_key.as_ref())?,
            serial: m.serial.clone(),
            attestation: signature("attestation", &m.attestation, true)?,
            counter: m.counter,
            device_signature: signature("device_signature", &m.device_signature, true)?,
        })
    }
}

impl TryFrom<&pb::MsgRotateDeviceKey> for RotateDeviceKey {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgRotateDeviceKey) -> Result<Self, MeteringError> {
        let new_key_signature = signature("new_key_signature", &m.new_key_signature, false)?;
        let attestation = signature("attestation", &m.attestation, false)?;
        if new_key_signature.is_empty() == attestation.is_empty() {
            return Err(MeteringError::field(
                "attestation",
                "exactly one of new_key_signature (device path) or attestation (owner path)",
            ));
        }
        Ok(RotateDeviceKey {
            device: address("device", &m.device)?,
            new_key: key("new_key", m.new_key.as_ref())?,
            new_key_signature,
            attestation,
        })
    }
}

impl TryFrom<&pb::MsgReportTamper> for ReportTamper {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgReportTamper) -> Result<Self, MeteringError> {
        if m.reason.len() > MAX_REASON_LEN || m.reason.chars().any(char::is_control) {
            return Err(MeteringError::field(
                "reason",
                format!("at most {MAX_REASON_LEN} bytes, no control characters"),
            ));
        }
        Ok(ReportTamper {
            device: address("device", &m.device)?,
            reason: m.reason.clone(),
        })
    }
}

impl TryFrom<&pb::MsgReattestDevice> for ReattestDevice {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgReattestDevice) -> Result<Self, MeteringError> {
        Ok(ReattestDevice {
            device: address("device", &m.device)?,
            attestation: signature("attestation", &m.attestation, true)?,
        })
    }
}

impl TryFrom<&pb::MsgDecommissionDevice> for DecommissionDevice {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgDecommissionDevice) -> Result<Self, MeteringError> {
        Ok(DecommissionDevice {
            device: address("device", &m.device)?,
        })
    }
}

impl TryFrom<&pb::MsgSetPlausibilityBound> for SetPlausibilityBound {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgSetPlausibilityBound) -> Result<Self, MeteringError> {
        Ok(SetPlausibilityBound {
            class_id: m.class_id,
            max_units_per_second: m.max_units_per_second,
        })
    }
}

impl<H: MeteredUnits> TryFrom<&pb::MsgSubmitReading> for SubmitReading<H> {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgSubmitReading) -> Result<Self, MeteringError> {
        if m.sequence == 0 {
            return Err(MeteringError::field("sequence", "starts at 1"));
        }
        if m.flags & !(FLAG_TAMPER | FLAG_FAULT) != 0 {
            return Err(MeteringError::field(
                "flags",
                format!("only bits {FLAG_TAMPER} (tamper) and {FLAG_FAULT} (fault)"),
            ));
        }
        Ok(SubmitReading {
            device: address("device", &m.device)?,
            sequence: m.sequence,
            counter: m.counter,
            time_ms: m.time_ms,
            flags: m.flags,
            hook: PhantomData,
        })
    }
}

impl TryFrom<&pb::MsgOpenContract> for OpenContract {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgOpenContract) -> Result<Self, MeteringError> {
        let price = positive_coin("price", m.price.as_ref())?;
        if price.amount.value() > MAX_TERM_AMOUNT {
            return Err(MeteringError::field(
                "price",
                format!(
                    "at most {MAX_TERM_AMOUNT} base units per per_units, got {}",
                    price.amount
                ),
            ));
        }
        if m.per_units == 0 {
            return Err(MeteringError::field("per_units", "at least 1"));
        }
        let billing = if m.credit_limit.is_empty() {
            if m.settle_within_ms != 0 {
                return Err(MeteringError::field(
                    "settle_within_ms",
                    "only for postpaid contracts (set credit_limit)",
                ));
            }
            Billing::Prepaid
        } else {
            if m.settle_within_ms == 0 {
                return Err(MeteringError::field(
                    "settle_within_ms",
                    "postpaid contracts need a settlement window",
                ));
            }
            Billing::Postpaid {
                credit_limit: amount("credit_limit", &m.credit_limit)?,
                settle_within_ms: duration("settle_within_ms", m.settle_within_ms)?,
            }
        };
        let end_ms = (m.end_ms != 0).then_some(m.end_ms);
        if let Some(end) = end_ms
            && end <= m.start_ms
        {
            return Err(MeteringError::field("end_ms", "must be after start_ms"));
        }
        let maintainer_bps = bps("maintainer_bps", m.maintainer_bps)?;
        let platform_bps = bps("platform_bps", m.platform_bps)?;
        if maintainer_bps.saturating_add(platform_bps) > BPS {
            return Err(MeteringError::field(
                "platform_bps",
                "maintainer and platform shares exceed 10000 bps together",
            ));
        }
        let maintainer = if m.maintainer.is_empty() {
            if maintainer_bps != 0 {
                return Err(MeteringError::field(
                    "maintainer",
                    "required when maintainer_bps > 0",
                ));
            }
            Address::module("metering/no_maintainer")
        } else {
            address("maintainer", &m.maintainer)?
        };
        let sla_penalty_per_unit = term_amount("sla_penalty_per_unit", &m.sla_penalty_per_unit)?;
        let rebate_per_unit = term_amount("rebate_per_unit", &m.rebate_per_unit)?;
        let sla_min_units = period_units("sla_min_units", m.sla_min_units)?;
        let baseline_units = period_units("baseline_units", m.baseline_units)?;
        let period_ms = duration("period_ms", m.period_ms)?;
        let notice_ms = duration("notice_ms", m.notice_ms)?;
        let uses_periods = sla_min_units != 0 || baseline_units != 0;
        if uses_periods && period_ms == 0 {
            return Err(MeteringError::field(
                "period_ms",
                "an SLA or efficiency baseline needs a period",
            ));
        }
        if period_ms != 0 && period_ms < MIN_PERIOD_MS {
            return Err(MeteringError::field(
                "period_ms",
                format!("0 (no periods) or at least {MIN_PERIOD_MS} ms, got {period_ms}"),
            ));
        }
        if sla_min_units != 0 && sla_penalty_per_unit.is_zero() {
            return Err(MeteringError::field(
                "sla_penalty_per_unit",
                "an SLA needs a positive penalty",
            ));
        }
        if baseline_units != 0 && rebate_per_unit.is_zero() {
            return Err(MeteringError::field(
                "rebate_per_unit",
                "a baseline needs a positive rebate",
            ));
        }
        Ok(OpenContract {
            asset_id: m.asset_id,
            customer: address("customer", &m.customer)?,
            terms: Terms {
                price,
                per_units: m.per_units,
                billing,
                start_ms: m.start_ms,
                end_ms,
                maintainer,
                maintainer_bps,
                platform_bps,
                period_ms,
                sla_min_units,
                sla_penalty_per_unit,
                baseline_units,
                rebate_per_unit,
                notice_ms,
                oracles: None,
            },
        })
    }
}

impl TryFrom<&pb::MsgAcceptContract> for AcceptContract {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgAcceptContract) -> Result<Self, MeteringError> {
        Ok(AcceptContract {
            contract_id: m.contract_id,
            deposit: match &m.deposit {
                None => None,
                Some(c) => Some(positive_coin("deposit", Some(c))?),
            },
        })
    }
}

impl TryFrom<&pb::MsgTopUp> for TopUp {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgTopUp) -> Result<Self, MeteringError> {
        Ok(TopUp {
            contract_id: m.contract_id,
            amount: positive_coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgSettle> for Settle {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgSettle) -> Result<Self, MeteringError> {
        Ok(Settle {
            contract_id: m.contract_id,
        })
    }
}

impl TryFrom<&pb::MsgFundIncentive> for FundIncentive {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgFundIncentive) -> Result<Self, MeteringError> {
        Ok(FundIncentive {
            contract_id: m.contract_id,
            amount: positive_coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgCloseContract> for CloseContract {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgCloseContract) -> Result<Self, MeteringError> {
        Ok(CloseContract {
            contract_id: m.contract_id,
        })
    }
}

impl TryFrom<&pb::MsgSetOracles> for SetOracles {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgSetOracles) -> Result<Self, MeteringError> {
        if m.oracles.is_empty() || m.oracles.len() > MAX_ORACLES {
            return Err(MeteringError::field(
                "oracles",
                format!("1 to {MAX_ORACLES} oracles, got {}", m.oracles.len()),
            ));
        }
        let mut set = BTreeSet::new();
        for o in &m.oracles {
            if !set.insert(address("oracles", o)?) {
                return Err(MeteringError::field("oracles", "an oracle is listed twice"));
            }
        }
        let n = u32::try_from(set.len()).unwrap_or(u32::MAX);
        if m.threshold == 0 || m.threshold > n {
            return Err(MeteringError::field(
                "threshold",
                format!("1 to {n} (the number of oracles), got {}", m.threshold),
            ));
        }
        Ok(SetOracles {
            asset_id: m.asset_id,
            oracles: set.into_iter().collect(),
            threshold: m.threshold,
            tolerance_bps: bps("tolerance_bps", m.tolerance_bps)?,
        })
    }
}

impl<H: MeteredUnits> TryFrom<&pb::MsgSubmitOracleReading> for SubmitOracleReading<H> {
    type Error = MeteringError;
    fn try_from(m: &pb::MsgSubmitOracleReading) -> Result<Self, MeteringError> {
        if m.period == 0 {
            return Err(MeteringError::field("period", "starts at 1"));
        }
        Ok(SubmitOracleReading {
            asset_id: m.asset_id,
            period: m.period,
            counter: m.counter,
            hook: PhantomData,
        })
    }
}
