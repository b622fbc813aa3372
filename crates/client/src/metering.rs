//! Constructors for the metering module's messages (devices, contracts,
//! readings, oracles) and the manufacturer's attestation of a device key.

use fructus_crypto::{Address, PublicKey, SigningKey};
use fructus_proto::{
    metering::v1 as pb,
    tx::v1::{Message, message::Sum},
};
use fructus_types::{Amount, Coin, tx::public_key_to_proto};

fn addr(a: &Address) -> prost::bytes::Bytes {
    a.as_bytes().to_vec().into()
}

fn wrap(sum: Sum) -> Message {
    Message { sum: Some(sum) }
}

/// The manufacturer's attestation of `device_key` for the asset with
/// `serial` in class `class_id` on `chain_id`, signed by a class
/// attestation key (the factory provisioning step).
pub fn attest(
    chain_id: &str,
    manufacturer: &SigningKey,
    device_key: &PublicKey,
    class_id: u64,
    serial: &str,
) -> Vec<u8> {
    manufacturer.sign(&fructus_metering::attestation_bytes(
        chain_id, device_key, class_id, serial,
    ))
}

/// The manufacturer's re-attestation of `device`'s current `key` that
/// lifts its suspension number `suspensions` (the device record's count).
pub fn reattest(
    chain_id: &str,
    manufacturer: &SigningKey,
    device: &Address,
    key: &PublicKey,
    suspensions: u64,
) -> Vec<u8> {
    manufacturer.sign(&fructus_metering::reattestation_bytes(
        chain_id,
        device,
        key,
        suspensions,
    ))
}

/// The device key's consent to being registered to `asset_id` by
/// `operator` (the registration's signer) on `chain_id`.
pub fn registration_consent(
    chain_id: &str,
    device_key: &SigningKey,
    asset_id: u64,
    operator: &Address,
) -> Vec<u8> {
    device_key.sign(&fructus_metering::registration_bytes(
        chain_id,
        asset_id,
        operator,
        &device_key.public_key(),
    ))
}

/// `metering/register_device`: `device_signature` is the device key's
/// consent ([`registration_consent`]).
pub fn register_device(
    asset_id: u64,
    device_key: &PublicKey,
    serial: &str,
    attestation: &[u8],
    counter: u64,
    device_signature: &[u8],
) -> Message {
    wrap(Sum::MeteringRegisterDevice(pb::MsgRegisterDevice {
        asset_id,
        device_key: Some(public_key_to_proto(device_key)),
        serial: serial.to_owned(),
        attestation: attestation.to_vec().into(),
        counter,
        device_signature: device_signature.to_vec().into(),
    }))
}

/// `metering/rotate_device_key`, device path: signed by the device's
/// current key, with the new key's consent.
pub fn rotate_device_key_by_device(
    chain_id: &str,
    device: &Address,
    new_key: &SigningKey,
) -> Message {
    let public = new_key.public_key();
    let consent = new_key.sign(&fructus_metering::rotation_bytes(chain_id, device, &public));
    wrap(Sum::MeteringRotateDeviceKey(pb::MsgRotateDeviceKey {
        device: addr(device),
        new_key: Some(public_key_to_proto(&public)),
        new_key_signature: consent.into(),
        attestation: Default::default(),
    }))
}

/// `metering/rotate_device_key`, owner path: with a fresh attestation.
pub fn rotate_device_key_by_owner(
    device: &Address,
    new_key: &PublicKey,
    attestation: &[u8],
) -> Message {
    wrap(Sum::MeteringRotateDeviceKey(pb::MsgRotateDeviceKey {
        device: addr(device),
        new_key: Some(public_key_to_proto(new_key)),
        new_key_signature: Default::default(),
        attestation: attestation.to_vec().into(),
    }))
}

/// `metering/report_tamper`.
pub fn report_tamper(device: &Address, reason: &str) -> Message {
    wrap(Sum::MeteringReportTamper(pb::MsgReportTamper {
        device: addr(device),
        reason: reason.to_owned(),
    }))
}

/// `metering/reattest_device` with a re-attestation ([`reattest`]).
pub fn reattest_device(device: &Address, attestation: &[u8]) -> Message {
    wrap(Sum::MeteringReattestDevice(pb::MsgReattestDevice {
        device: addr(device),
        attestation: attestation.to_vec().into(),
    }))
}

/// `metering/decommission_device`.
pub fn decommission_device(device: &Address) -> Message {
    wrap(Sum::MeteringDecommissionDevice(pb::MsgDecommissionDevice {
        device: addr(device),
    }))
}

/// `metering/set_plausibility_bound`.
pub fn set_plausibility_bound(class_id: u64, max_units_per_second: u64) -> Message {
    wrap(Sum::MeteringSetPlausibilityBound(
        pb::MsgSetPlausibilityBound {
            class_id,
            max_units_per_second,
        },
    ))
}

/// `metering/submit_reading`; `flags` = tamper 1 | fault 2.
pub fn submit_reading(
    device: &Address,
    sequence: u64,
    counter: u64,
    time_ms: u64,
    flags: u32,
) -> Message {
    wrap(Sum::MeteringSubmitReading(pb::MsgSubmitReading {
        device: addr(device),
        sequence,
        counter,
        time_ms,
        flags,
    }))
}

/// The terms of `metering/open_contract` (zero/`None` = not used).
#[derive(Debug, Clone)]
pub struct ContractTerms {
    /// Price per `per_units` units.
    pub price: Coin,
    /// Units the price is for.
    pub per_units: u64,
    /// `Some` = postpaid with this credit limit.
    pub credit_limit: Option<Amount>,
    /// Postpaid settlement window.
    pub settle_within_ms: u64,
    /// Earliest start.
    pub start_ms: u64,
    /// End (0 = none).
    pub end_ms: u64,
    /// Maintainer (required when `maintainer_bps` > 0).
    pub maintainer: Option<Address>,
    /// Maintainer share.
    pub maintainer_bps: u32,
    /// Platform share.
    pub platform_bps: u32,
    /// Period length.
    pub period_ms: u64,
    /// SLA minimum units per period.
    pub sla_min_units: u64,
    /// Penalty per missing unit.
    pub sla_penalty_per_unit: Amount,
    /// Efficiency baseline per period.
    pub baseline_units: u64,
    /// Rebate per unit below baseline.
    pub rebate_per_unit: Amount,
    /// Notice before closing.
    pub notice_ms: u64,
}

impl ContractTerms {
    /// Prepaid terms at `price` per `per_units`, nothing else set.
    pub fn prepaid(price: Coin, per_units: u64) -> Self {
        ContractTerms {
            price,
            per_units,
            credit_limit: None,
            settle_within_ms: 0,
            start_ms: 0,
            end_ms: 0,
            maintainer: None,
            maintainer_bps: 0,
            platform_bps: 0,
            period_ms: 0,
            sla_min_units: 0,
            sla_penalty_per_unit: Amount::ZERO,
            baseline_units: 0,
            rebate_per_unit: Amount::ZERO,
            notice_ms: 0,
        }
    }
}

fn amount(a: Amount) -> String {
    if a.is_zero() {
        String::new()
    } else {
        a.to_string()
    }
}

/// `metering/open_contract`.
pub fn open_contract(asset_id: u64, customer: &Address, t: &ContractTerms) -> Message {
    wrap(Sum::MeteringOpenContract(pb::MsgOpenContract {
        asset_id,
        customer: addr(customer),
        price: Some(t.price.to_proto()),
        per_units: t.per_units,
        credit_limit: t.credit_limit.map(|a| a.to_string()).unwrap_or_default(),
        settle_within_ms: t.settle_within_ms,
        start_ms: t.start_ms,
        end_ms: t.end_ms,
        maintainer: t.maintainer.as_ref().map(addr).unwrap_or_default(),
        maintainer_bps: t.maintainer_bps,
        platform_bps: t.platform_bps,
        period_ms: t.period_ms,
        sla_min_units: t.sla_min_units,
        sla_penalty_per_unit: amount(t.sla_penalty_per_unit),
        baseline_units: t.baseline_units,
        rebate_per_unit: amount(t.rebate_per_unit),
        notice_ms: t.notice_ms,
    }))
}

/// `metering/accept_contract`.
pub fn accept_contract(contract_id: u64, deposit: Option<&Coin>) -> Message {
    wrap(Sum::MeteringAcceptContract(pb::MsgAcceptContract {
        contract_id,
        deposit: deposit.map(Coin::to_proto),
    }))
}

/// `metering/top_up`.
pub fn top_up(contract_id: u64, amount: &Coin) -> Message {
    wrap(Sum::MeteringTopUp(pb::MsgTopUp {
        contract_id,
        amount: Some(amount.to_proto()),
    }))
}

/// `metering/settle`.
pub fn settle(contract_id: u64) -> Message {
    wrap(Sum::MeteringSettle(pb::MsgSettle { contract_id }))
}

/// `metering/fund_incentive`.
pub fn fund_incentive(contract_id: u64, amount: &Coin) -> Message {
    wrap(Sum::MeteringFundIncentive(pb::MsgFundIncentive {
        contract_id,
        amount: Some(amount.to_proto()),
    }))
}

/// `metering/close_contract`.
pub fn close_contract(contract_id: u64) -> Message {
    wrap(Sum::MeteringCloseContract(pb::MsgCloseContract {
        contract_id,
    }))
}

/// `metering/set_oracles`.
pub fn set_oracles(
    asset_id: u64,
    oracles: &[Address],
    threshold: u32,
    tolerance_bps: u32,
) -> Message {
    wrap(Sum::MeteringSetOracles(pb::MsgSetOracles {
        asset_id,
        oracles: oracles.iter().map(addr).collect(),
        threshold,
        tolerance_bps,
    }))
}

/// `metering/submit_oracle_reading`.
pub fn submit_oracle_reading(asset_id: u64, period: u64, counter: u64) -> Message {
    wrap(Sum::MeteringSubmitOracleReading(
        pb::MsgSubmitOracleReading {
            asset_id,
            period,
            counter,
        },
    ))
}
