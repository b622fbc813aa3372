//! The messages the compute module accepts, parsed and validated from the
//! wire. Every bound a user-chosen number has is checked here, before
//! state (docs/security.md rule 2):
//!
//! | field | bound | why |
//! |---|---|---|
//! | `gpus`, `gpus_online` | 1 … [`MAX_GPUS`] (`gpus_online` from 0) | capacity = GPUs × window hours stays far inside u64 |
//! | `hours` | 1 … [`MAX_HOURS`] | `hours × price` fits u128 |
//! | prices, escrow, bond | 1 … [`MAX_AMOUNT`] (escrow from 0, at most `hours × max price`) | every product of an amount with hours or basis points fits u128 |
//! | `window` | at most [`MAX_WINDOW`] | `window × window length` fits u64 milliseconds |
//! | `gpu_model` | 1 … [`MAX_MODEL_LEN`] characters `A-Z a-z 0-9 space - _ .` | stored and compared |
//! | certificate batch | 1 … [`MAX_BATCH_LEN`] characters | stored |
//! | `maintainer_bps` | 0 … 10 000, with a maintainer when positive | a share |
//! | hashes | 32 bytes, not all zero | SHA-256 |
//! | `deadline_ms` | positive; stateful: after the block, within `max_order_duration_ms` | |
//!
//! Orders are priced in a stablecoin: `ufrx` is refused as an order's
//! denom (it pays fees and bonds, not compute).

use fructus_proto::compute::v1 as pb;
use fructus_types::{Address, Amount, Coin, Denom};

use crate::{ComputeError, GreenLink, Verification, params::BPS};

/// Most GPUs one provider registers.
pub const MAX_GPUS: u32 = 4_096;
/// Most GPU-hours one order or mint covers.
pub const MAX_HOURS: u64 = 1_000_000;
/// Largest amount (10^30 base units).
pub const MAX_AMOUNT: u128 = crate::params::MAX_BOND;
/// Largest window index.
pub const MAX_WINDOW: u64 = 1_000_000_000;
/// Longest GPU model name.
pub const MAX_MODEL_LEN: usize = 64;
/// Longest certificate batch id.
pub const MAX_BATCH_LEN: usize = 128;

/// Registers an asset as a compute provider with a bond.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterProvider {
    /// The asset.
    pub asset_id: u64,
    /// GPU model.
    pub gpu_model: String,
    /// GPUs.
    pub gpus: u32,
    /// Green-energy link.
    pub green: GreenLink,
    /// Bond, ufrx.
    pub bond: Amount,
    /// Maintainer (with a positive share).
    pub maintainer: Option<Address>,
    /// Maintainer share, bps.
    pub maintainer_bps: u16,
}

/// A device-signed heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heartbeat {
    /// The asset.
    pub asset_id: u64,
    /// Strictly increasing.
    pub sequence: u64,
    /// Device clock.
    pub time_ms: u64,
    /// GPUs up (0 = offline).
    pub gpus_online: u32,
}

/// Mints capacity tokens for a future window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MintCapacity {
    /// The asset.
    pub asset_id: u64,
    /// The window.
    pub window: u64,
    /// GPU-hours.
    pub hours: u64,
}

/// Burns expired capacity tokens from the signer's balance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BurnExpired {
    /// What to burn (a `gpuh/…` denom).
    pub amount: Coin,
}

/// A demand order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PostOrder {
    /// Task spec hash (hex).
    pub spec_hash: String,
    /// GPU model wanted.
    pub gpu_model: String,
    /// GPU-hours.
    pub hours: u64,
    /// Highest price per GPU-hour.
    pub max_price_per_hour: Coin,
    /// Deadline, block time ms.
    pub deadline_ms: u64,
    /// Verification.
    pub verification: Verification,
    /// Escrow deposited now.
    pub escrow: Coin,
    /// Green compute required.
    pub green: bool,
}

/// A provider accepts an order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AcceptOrder {
    /// The order.
    pub order_id: u64,
    /// The provider's asset.
    pub asset_id: u64,
    /// The window reserved.
    pub window: u64,
    /// Price per GPU-hour.
    pub price_per_hour: Amount,
}

/// The provider's result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubmitResult {
    /// The order.
    pub order_id: u64,
    /// Result hash (hex).
    pub result_hash: String,
}

/// The buyer confirms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfirmOrder {
    /// The order.
    pub order_id: u64,
}

/// The verifier's decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attest {
    /// The order.
    pub order_id: u64,
    /// The result hash attested (hex).
    pub result_hash: String,
    /// Approve (pay out) or reject (refund and slash).
    pub approve: bool,
}

/// The buyer challenges a result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Challenge {
    /// The order.
    pub order_id: u64,
}

/// The buyer tops up a paused order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopUpOrder {
    /// The order.
    pub order_id: u64,
    /// Added escrow.
    pub amount: Coin,
}

/// The buyer cancels an unaccepted order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CancelOrder {
    /// The order.
    pub order_id: u64,
}

/// Redeems held capacity tokens for an order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RedeemCapacity {
    /// The asset.
    pub asset_id: u64,
    /// The window.
    pub window: u64,
    /// GPU-hours (tokens burned).
    pub hours: u64,
    /// Task spec hash (hex).
    pub spec_hash: String,
    /// Verification.
    pub verification: Verification,
    /// Deadline, block time ms.
    pub deadline_ms: u64,
}

/// Adds to a provider's bond.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AddBond {
    /// The asset.
    pub asset_id: u64,
    /// ufrx added.
    pub amount: Amount,
}

fn id(field: &'static str, v: u64) -> Result<u64, ComputeError> {
    if v == 0 {
        return Err(ComputeError::field(field, "ids start at 1"));
    }
    Ok(v)
}

fn hours(v: u64) -> Result<u64, ComputeError> {
    if v == 0 || v > MAX_HOURS {
        return Err(ComputeError::field(
            "hours",
            format!("1 to {MAX_HOURS} GPU-hours"),
        ));
    }
    Ok(v)
}

fn window(v: u64) -> Result<u64, ComputeError> {
    if v > MAX_WINDOW {
        return Err(ComputeError::field(
            "window",
            format!("at most {MAX_WINDOW}"),
        ));
    }
    Ok(v)
}

fn amount(field: &'static str, a: Amount, zero_ok: bool) -> Result<Amount, ComputeError> {
    if (a.is_zero() && !zero_ok) || a.value() > MAX_AMOUNT {
        return Err(ComputeError::field(
            field,
            format!("{} to 10^30 base units", u8::from(!zero_ok)),
        ));
    }
    Ok(a)
}

fn coin(
    field: &'static str,
    c: Option<&fructus_proto::base::v1::Coin>,
    zero_ok: bool,
) -> Result<Coin, ComputeError> {
    let c = c.ok_or_else(|| ComputeError::field(field, "missing"))?;
    let coin = Coin::try_from(c).map_err(|e| ComputeError::field(field, e))?;
    amount(field, coin.amount, zero_ok)?;
    Ok(coin)
}

fn ufrx(
    field: &'static str,
    c: Option<&fructus_proto::base::v1::Coin>,
) -> Result<Amount, ComputeError> {
    let c = coin(field, c, false)?;
    if !c.denom.is_native() {
        return Err(ComputeError::WrongDenom {
            expected: Denom::native().to_string(),
            got: c.denom.to_string(),
        });
    }
    Ok(c.amount)
}

/// 32 bytes, not all zero, as hex.
fn hash(field: &'static str, bytes: &[u8]) -> Result<String, ComputeError> {
    if bytes.len() != 32 || bytes.iter().all(|b| *b == 0) {
        return Err(ComputeError::field(
            field,
            "32 bytes (a SHA-256), not all zero",
        ));
    }
    Ok(hex::encode(bytes))
}

fn gpu_model(s: &str) -> Result<String, ComputeError> {
    let ok = !s.is_empty()
        && s.len() <= MAX_MODEL_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" -_.".contains(&b));
    if !ok {
        return Err(ComputeError::field(
            "gpu_model",
            format!("1 to {MAX_MODEL_LEN} characters A-Z a-z 0-9 space - _ ."),
        ));
    }
    Ok(s.to_owned())
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, ComputeError> {
    Address::from_slice(bytes).map_err(|e| ComputeError::field(field, e))
}

fn gpus(field: &'static str, v: u32, zero_ok: bool) -> Result<u32, ComputeError> {
    if (v == 0 && !zero_ok) || v > MAX_GPUS {
        return Err(ComputeError::field(
            field,
            format!("{} to {MAX_GPUS}", u8::from(!zero_ok)),
        ));
    }
    Ok(v)
}

fn verification(mode: i32, verifier: &[u8]) -> Result<Verification, ComputeError> {
    let mode = pb::VerificationMode::try_from(mode)
        .map_err(|_| ComputeError::field("mode", format!("unknown mode {mode}")))?;
    match mode {
        pb::VerificationMode::Unspecified => {
            Err(ComputeError::field("mode", "name a verification mode"))
        }
        pb::VerificationMode::BuyerConfirm => {
            if !verifier.is_empty() {
                return Err(ComputeError::field(
                    "verifier",
                    "buyer-confirm orders name no verifier",
                ));
            }
            Ok(Verification::BuyerConfirm)
        }
        pb::VerificationMode::Verifier => {
            Ok(Verification::Verifier(address("verifier", verifier)?))
        }
        pb::VerificationMode::ChallengeWindow => Ok(Verification::ChallengeWindow(address(
            "verifier", verifier,
        )?)),
    }
}

fn deadline(ms: u64) -> Result<u64, ComputeError> {
    if ms == 0 {
        return Err(ComputeError::field(
            "deadline_ms",
            "required (block time, ms)",
        ));
    }
    Ok(ms)
}

impl TryFrom<&pb::MsgRegisterProvider> for RegisterProvider {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgRegisterProvider) -> Result<Self, ComputeError> {
        let green = match (m.green_energy_asset, m.green_certificate_batch.as_str()) {
            (0, "") => GreenLink::None,
            (asset, "") => GreenLink::EnergyAsset(asset),
            (0, batch) => {
                if batch.len() > MAX_BATCH_LEN || !batch.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(ComputeError::field(
                        "green_certificate_batch",
                        format!("1 to {MAX_BATCH_LEN} printable characters"),
                    ));
                }
                GreenLink::CertificateBatch(batch.to_owned())
            }
            _ => {
                return Err(ComputeError::field(
                    "green_energy_asset",
                    "name an energy asset or a certificate batch, not both",
                ));
            }
        };
        let maintainer_bps = u16::try_from(m.maintainer_bps)
            .ok()
            .filter(|b| *b <= BPS)
            .ok_or_else(|| ComputeError::field("maintainer_bps", "0 to 10000 basis points"))?;
        let maintainer = if m.maintainer.is_empty() {
            None
        } else {
            Some(address("maintainer", &m.maintainer)?)
        };
        if maintainer_bps > 0 && maintainer.is_none() {
            return Err(ComputeError::field(
                "maintainer",
                "required when maintainer_bps > 0",
            ));
        }
        Ok(RegisterProvider {
            asset_id: id("asset_id", m.asset_id)?,
            gpu_model: gpu_model(&m.gpu_model)?,
            gpus: gpus("gpus", m.gpus, false)?,
            green,
            bond: ufrx("bond", m.bond.as_ref())?,
            maintainer,
            maintainer_bps,
        })
    }
}

impl TryFrom<&pb::MsgHeartbeat> for Heartbeat {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgHeartbeat) -> Result<Self, ComputeError> {
        if m.sequence == 0 {
            return Err(ComputeError::field("sequence", "starts at 1"));
        }
        Ok(Heartbeat {
            asset_id: id("asset_id", m.asset_id)?,
            sequence: m.sequence,
            time_ms: m.time_ms,
            gpus_online: gpus("gpus_online", m.gpus_online, true)?,
        })
    }
}

impl TryFrom<&pb::MsgMintCapacity> for MintCapacity {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgMintCapacity) -> Result<Self, ComputeError> {
        Ok(MintCapacity {
            asset_id: id("asset_id", m.asset_id)?,
            window: window(m.window)?,
            hours: hours(m.hours)?,
        })
    }
}

impl TryFrom<&pb::MsgBurnExpired> for BurnExpired {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgBurnExpired) -> Result<Self, ComputeError> {
        let amount = coin("amount", m.amount.as_ref(), false)?;
        if crate::parse_capacity_denom(&amount.denom).is_none() {
            return Err(ComputeError::NotCapacityToken {
                denom: amount.denom.to_string(),
                expected: "a capacity token gpuh/<asset>/<window>",
            });
        }
        Ok(BurnExpired { amount })
    }
}

impl TryFrom<&pb::MsgPostOrder> for PostOrder {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgPostOrder) -> Result<Self, ComputeError> {
        let hours = hours(m.hours)?;
        let max_price_per_hour = coin("max_price_per_hour", m.max_price_per_hour.as_ref(), false)?;
        if max_price_per_hour.denom.is_native()
            || crate::parse_capacity_denom(&max_price_per_hour.denom).is_some()
        {
            return Err(ComputeError::field(
                "max_price_per_hour",
                "orders are priced in a stablecoin, not ufrx or capacity tokens",
            ));
        }
        let escrow = coin("escrow", m.escrow.as_ref(), true)?;
        if escrow.denom != max_price_per_hour.denom {
            return Err(ComputeError::WrongDenom {
                expected: max_price_per_hour.denom.to_string(),
                got: escrow.denom.to_string(),
            });
        }
        let total = max_price_per_hour
            .amount
            .value()
            .checked_mul(u128::from(hours))
            .ok_or(ComputeError::Overflow {
                what: "hours × price",
            })?;
        if escrow.amount.value() > total {
            return Err(ComputeError::field(
                "escrow",
                format!("at most hours × max price = {total}"),
            ));
        }
        Ok(PostOrder {
            spec_hash: hash("spec_hash", &m.spec_hash)?,
            gpu_model: gpu_model(&m.gpu_model)?,
            hours,
            max_price_per_hour,
            deadline_ms: deadline(m.deadline_ms)?,
            verification: verification(m.mode, &m.verifier)?,
            escrow,
            green: m.green,
        })
    }
}

impl TryFrom<&pb::MsgAcceptOrder> for AcceptOrder {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgAcceptOrder) -> Result<Self, ComputeError> {
        let price: Amount = m
            .price_per_hour
            .parse()
            .map_err(|e| ComputeError::field("price_per_hour", e))?;
        Ok(AcceptOrder {
            order_id: id("order_id", m.order_id)?,
            asset_id: id("asset_id", m.asset_id)?,
            window: window(m.window)?,
            price_per_hour: amount("price_per_hour", price, false)?,
        })
    }
}

impl TryFrom<&pb::MsgSubmitResult> for SubmitResult {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgSubmitResult) -> Result<Self, ComputeError> {
        Ok(SubmitResult {
            order_id: id("order_id", m.order_id)?,
            result_hash: hash("result_hash", &m.result_hash)?,
        })
    }
}

impl TryFrom<&pb::MsgConfirmOrder> for ConfirmOrder {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgConfirmOrder) -> Result<Self, ComputeError> {
        Ok(ConfirmOrder {
            order_id: id("order_id", m.order_id)?,
        })
    }
}

impl TryFrom<&pb::MsgAttest> for Attest {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgAttest) -> Result<Self, ComputeError> {
        Ok(Attest {
            order_id: id("order_id", m.order_id)?,
            result_hash: hash("result_hash", &m.result_hash)?,
            approve: m.approve,
        })
    }
}

impl TryFrom<&pb::MsgChallenge> for Challenge {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgChallenge) -> Result<Self, ComputeError> {
        Ok(Challenge {
            order_id: id("order_id", m.order_id)?,
        })
    }
}

impl TryFrom<&pb::MsgTopUpOrder> for TopUpOrder {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgTopUpOrder) -> Result<Self, ComputeError> {
        Ok(TopUpOrder {
            order_id: id("order_id", m.order_id)?,
            amount: coin("amount", m.amount.as_ref(), false)?,
        })
    }
}

impl TryFrom<&pb::MsgCancelOrder> for CancelOrder {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgCancelOrder) -> Result<Self, ComputeError> {
        Ok(CancelOrder {
            order_id: id("order_id", m.order_id)?,
        })
    }
}

impl TryFrom<&pb::MsgRedeemCapacity> for RedeemCapacity {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgRedeemCapacity) -> Result<Self, ComputeError> {
        Ok(RedeemCapacity {
            asset_id: id("asset_id", m.asset_id)?,
            window: window(m.window)?,
            hours: hours(m.hours)?,
            spec_hash: hash("spec_hash", &m.spec_hash)?,
            verification: verification(m.mode, &m.verifier)?,
            deadline_ms: deadline(m.deadline_ms)?,
        })
    }
}

impl TryFrom<&pb::MsgAddBond> for AddBond {
    type Error = ComputeError;
    fn try_from(m: &pb::MsgAddBond) -> Result<Self, ComputeError> {
        Ok(AddBond {
            asset_id: id("asset_id", m.asset_id)?,
            amount: ufrx("amount", m.amount.as_ref())?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn c(s: &str) -> Option<fructus_proto::base::v1::Coin> {
        let coin: Coin = s.parse().unwrap();
        Some(coin.to_proto())
    }

    fn order() -> pb::MsgPostOrder {
        pb::MsgPostOrder {
            spec_hash: vec![1; 32].into(),
            gpu_model: "H100".into(),
            hours: 4,
            max_price_per_hour: c("10uusd"),
            deadline_ms: 1,
            mode: pb::VerificationMode::BuyerConfirm as i32,
            verifier: Default::default(),
            escrow: c("40uusd"),
            green: false,
        }
    }

    #[test]
    fn an_order_is_bounded_before_any_state_is_read() {
        PostOrder::try_from(&order()).unwrap();
        let cases: Vec<(pb::MsgPostOrder, &str)> = vec![
            (
                pb::MsgPostOrder {
                    hours: 0,
                    ..order()
                },
                "hours",
            ),
            (
                pb::MsgPostOrder {
                    hours: MAX_HOURS + 1,
                    ..order()
                },
                "hours",
            ),
            (
                pb::MsgPostOrder {
                    escrow: c("41uusd"),
                    ..order()
                },
                "escrow",
            ),
            (
                pb::MsgPostOrder {
                    max_price_per_hour: c("10ufrx"),
                    escrow: c("1ufrx"),
                    ..order()
                },
                "stablecoin",
            ),
            (
                pb::MsgPostOrder {
                    spec_hash: vec![0; 32].into(),
                    ..order()
                },
                "spec_hash",
            ),
            (pb::MsgPostOrder { mode: 0, ..order() }, "mode"),
            (
                pb::MsgPostOrder {
                    mode: pb::VerificationMode::Verifier as i32,
                    ..order()
                },
                "verifier",
            ),
            (
                pb::MsgPostOrder {
                    deadline_ms: 0,
                    ..order()
                },
                "deadline_ms",
            ),
            (
                pb::MsgPostOrder {
                    gpu_model: "H100;drop".into(),
                    ..order()
                },
                "gpu_model",
            ),
        ];
        for (m, field) in cases {
            let err = PostOrder::try_from(&m).unwrap_err().to_string();
            assert!(err.contains(field), "{field}: {err}");
        }
    }

    #[test]
    fn capacity_denoms_round_trip_and_nothing_else_parses() {
        let d = crate::capacity_denom(7, 42);
        assert_eq!(d.as_str(), "gpuh/7/42");
        assert_eq!(crate::parse_capacity_denom(&d), Some((7, 42)));
        for other in ["gpuh/07/42", "gpuh/7", "lp/1", "gpuh/7/42/1", "uusd"] {
            assert_eq!(
                crate::parse_capacity_denom(&other.parse().unwrap()),
                None,
                "{other}"
            );
        }
    }
}
