//! The messages the credit module accepts, parsed and validated from the
//! wire (`proto/fructus/credit/v1/msgs.proto`). Every bound a user-chosen
//! number has is checked here, before state (docs/security.md rule 2):
//!
//! | field | bound | why |
//! |---|---|---|
//! | every amount | 1 … [`MAX_AMOUNT`] = 2^100 | keeps every product of the vault math within 256 bits and every sum within u128 |
//! | `max_price` | 1 … `MAX_PRICE` = 10^36 | the oracle's price bound |
//! | `grade` | 1 (AAA) … 8 (C) | the scale |
//! | `expiry_ms` | positive; at most `MAX_RATING_TERM_MS` after the block (checked with state) | a rating lapses |
//! | `report` | kind `credit_report`, subject the rated enterprise, sizes as identity/store_record | the report is the rating's |

use fructus_identity::msg::StoreRecord;
use fructus_proto::credit::v1 as pb;
use fructus_types::{Address, Coin, Denom};

use crate::{CreditError, Grade, math::MAX_AMOUNT};

/// The record kind of a rating report.
pub const REPORT_KIND: &str = "credit_report";

/// A regulator accredits a rating agency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccreditAgency {
    /// The agency.
    pub agency: Address,
}

/// A regulator revokes a rating agency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeAgency {
    /// The agency.
    pub agency: Address,
}

/// An agency rates an enterprise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rate {
    /// The enterprise.
    pub enterprise: Address,
    /// The grade.
    pub grade: Grade,
    /// Counts while the block time is before this, ms.
    pub expiry_ms: u64,
    /// The report, a regulator-only record.
    pub report: StoreRecord,
}

/// The rating agency or a regulator revokes a rating.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevokeRating {
    /// The enterprise.
    pub enterprise: Address,
}

/// Opens a vault.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpenVault {
    /// Its collateral denom.
    pub denom: Denom,
}

/// Deposits collateral.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deposit {
    /// The vault.
    pub vault_id: u64,
    /// How much (the vault's denom).
    pub amount: Coin,
}

/// Withdraws collateral.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Withdraw {
    /// The vault.
    pub vault_id: u64,
    /// How much (the vault's denom).
    pub amount: Coin,
}

/// Mints the credit denom against a vault.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mint {
    /// The vault.
    pub vault_id: u64,
    /// Credit units.
    pub amount: u128,
}

/// Repays a vault's debt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repay {
    /// The vault.
    pub vault_id: u64,
    /// Credit units (at most the debt is taken).
    pub amount: u128,
}

/// Starts a vault's auction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Liquidate {
    /// The vault.
    pub vault_id: u64,
}

/// Buys auctioned collateral.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bid {
    /// The vault.
    pub vault_id: u64,
    /// At most this much collateral.
    pub max_collateral: u128,
    /// Refused above this price (×10^18).
    pub max_price: u128,
}

/// Claims the income of a vault's shares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimIncome {
    /// The vault.
    pub vault_id: u64,
}

/// Burns credit tokens against bad debt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoverBadDebt {
    /// Credit units.
    pub amount: u128,
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, CreditError> {
    Address::from_slice(bytes).map_err(|e| CreditError::field(field, e))
}

fn vault_id(id: u64) -> Result<u64, CreditError> {
    if id == 0 {
        return Err(CreditError::field("vault_id", "vault ids start at 1"));
    }
    Ok(id)
}

/// An amount within 1 … [`MAX_AMOUNT`].
pub fn amount(field: &'static str, raw: &str) -> Result<u128, CreditError> {
    let v: u128 = raw
        .parse()
        .map_err(|_| CreditError::field(field, format!("{raw:?} is not a base-10 amount")))?;
    bounded(field, v)
}

fn bounded(field: &'static str, v: u128) -> Result<u128, CreditError> {
    if v == 0 || v > MAX_AMOUNT {
        return Err(CreditError::field(field, "must be 1 to 2^100 base units"));
    }
    Ok(v)
}

fn coin(
    field: &'static str,
    c: Option<&fructus_proto::base::v1::Coin>,
) -> Result<Coin, CreditError> {
    let c = c.ok_or_else(|| CreditError::field(field, "missing"))?;
    let coin = Coin::try_from(c).map_err(|e| CreditError::field(field, e))?;
    bounded(field, coin.amount.value())?;
    Ok(coin)
}

impl TryFrom<&pb::MsgAccreditAgency> for AccreditAgency {
    type Error = CreditError;
    fn try_from(m: &pb::MsgAccreditAgency) -> Result<Self, CreditError> {
        Ok(AccreditAgency {
            agency: address("agency", &m.agency)?,
        })
    }
}

impl TryFrom<&pb::MsgRevokeAgency> for RevokeAgency {
    type Error = CreditError;
    fn try_from(m: &pb::MsgRevokeAgency) -> Result<Self, CreditError> {
        Ok(RevokeAgency {
            agency: address("agency", &m.agency)?,
        })
    }
}

impl TryFrom<&pb::MsgRate> for Rate {
    type Error = CreditError;
    fn try_from(m: &pb::MsgRate) -> Result<Self, CreditError> {
        let enterprise = address("enterprise", &m.enterprise)?;
        let grade = Grade::from_number(m.grade)
            .ok_or_else(|| CreditError::field("grade", "1 (AAA) to 8 (C)"))?;
        if m.expiry_ms == 0 {
            return Err(CreditError::field("expiry_ms", "a rating must expire"));
        }
        let report = m
            .report
            .as_ref()
            .ok_or_else(|| CreditError::field("report", "missing"))?;
        let report = StoreRecord::try_from(report).map_err(|e| CreditError::field("report", e))?;
        if report.record.kind != REPORT_KIND {
            return Err(CreditError::field(
                "report",
                format!("kind must be {REPORT_KIND}"),
            ));
        }
        if report.record.subject != enterprise {
            return Err(CreditError::field(
                "report",
                "its subject must be the rated enterprise",
            ));
        }
        Ok(Rate {
            enterprise,
            grade,
            expiry_ms: m.expiry_ms,
            report,
        })
    }
}

impl TryFrom<&pb::MsgRevokeRating> for RevokeRating {
    type Error = CreditError;
    fn try_from(m: &pb::MsgRevokeRating) -> Result<Self, CreditError> {
        Ok(RevokeRating {
            enterprise: address("enterprise", &m.enterprise)?,
        })
    }
}

impl TryFrom<&pb::MsgOpenVault> for OpenVault {
    type Error = CreditError;
    fn try_from(m: &pb::MsgOpenVault) -> Result<Self, CreditError> {
        Ok(OpenVault {
            denom: m
                .collateral_denom
                .parse()
                .map_err(|e| CreditError::field("collateral_denom", e))?,
        })
    }
}

impl TryFrom<&pb::MsgDeposit> for Deposit {
    type Error = CreditError;
    fn try_from(m: &pb::MsgDeposit) -> Result<Self, CreditError> {
        Ok(Deposit {
            vault_id: vault_id(m.vault_id)?,
            amount: coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgWithdraw> for Withdraw {
    type Error = CreditError;
    fn try_from(m: &pb::MsgWithdraw) -> Result<Self, CreditError> {
        Ok(Withdraw {
            vault_id: vault_id(m.vault_id)?,
            amount: coin("amount", m.amount.as_ref())?,
        })
    }
}

impl TryFrom<&pb::MsgMint> for Mint {
    type Error = CreditError;
    fn try_from(m: &pb::MsgMint) -> Result<Self, CreditError> {
        Ok(Mint {
            vault_id: vault_id(m.vault_id)?,
            amount: amount("amount", &m.amount)?,
        })
    }
}

impl TryFrom<&pb::MsgRepay> for Repay {
    type Error = CreditError;
    fn try_from(m: &pb::MsgRepay) -> Result<Self, CreditError> {
        Ok(Repay {
            vault_id: vault_id(m.vault_id)?,
            amount: amount("amount", &m.amount)?,
        })
    }
}

impl TryFrom<&pb::MsgLiquidate> for Liquidate {
    type Error = CreditError;
    fn try_from(m: &pb::MsgLiquidate) -> Result<Self, CreditError> {
        Ok(Liquidate {
            vault_id: vault_id(m.vault_id)?,
        })
    }
}

impl TryFrom<&pb::MsgBid> for Bid {
    type Error = CreditError;
    fn try_from(m: &pb::MsgBid) -> Result<Self, CreditError> {
        let max_price = fructus_oracle::msg::parse_price(&m.max_price)
            .map_err(|_| CreditError::field("max_price", "1 to 10^36 (the price × 10^18)"))?;
        Ok(Bid {
            vault_id: vault_id(m.vault_id)?,
            max_collateral: amount("max_collateral", &m.max_collateral)?,
            max_price,
        })
    }
}

impl TryFrom<&pb::MsgClaimIncome> for ClaimIncome {
    type Error = CreditError;
    fn try_from(m: &pb::MsgClaimIncome) -> Result<Self, CreditError> {
        Ok(ClaimIncome {
            vault_id: vault_id(m.vault_id)?,
        })
    }
}

impl TryFrom<&pb::MsgCoverBadDebt> for CoverBadDebt {
    type Error = CreditError;
    fn try_from(m: &pb::MsgCoverBadDebt) -> Result<Self, CreditError> {
        Ok(CoverBadDebt {
            amount: amount("amount", &m.amount)?,
        })
    }
}
