//! The lending module's records: plain data, the same with or without the
//! `component` feature.

use fructus_types::{Address, Coin};

/// Where an NFT loan stands.
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
pub enum LoanStatus {
    /// Offered, the amount escrowed; nobody accepted yet.
    Offered,
    /// Accepted: the NFT is in the loan's escrow.
    Running,
    /// Repaid: the NFT went back to the borrower.
    Repaid,
    /// Unpaid at maturity: the NFT went to the lender.
    Claimed,
}

impl LoanStatus {
    /// Its name in errors and events.
    pub fn name(self) -> &'static str {
        match self {
            LoanStatus::Offered => "offered",
            LoanStatus::Running => "running",
            LoanStatus::Repaid => "repaid",
            LoanStatus::Claimed => "claimed",
        }
    }
}

/// A peer-to-peer loan against a whole asset NFT: an offer until the
/// asset's owner accepts it, then a running loan until it is repaid or the
/// lender claims the NFT. A cancelled offer is deleted; a closed loan is
/// kept, so its borrower can still collect income the compliance gate held
/// back. Its terms are fixed when offered: neither side can change them
/// (docs/security.md rule 5).
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
pub struct NftLoan {
    /// Sequential id (from 1).
    pub id: u64,
    /// Who lends.
    #[schema(value_type = String)]
    pub lender: Address,
    /// The asset NFT it is offered against.
    pub asset_id: u64,
    /// What the borrower receives.
    #[schema(value_type = Object)]
    pub amount: Coin,
    /// Yearly simple interest, bps.
    pub rate_bps: u32,
    /// From acceptance to maturity, ms.
    pub term_ms: u64,
    /// Repaid to the lender (amount + interest for the term), in the
    /// amount's denom; fixed at the offer.
    #[serde(with = "u128_string")]
    #[schema(value_type = String)]
    pub due: u128,
    /// Who accepted (`null` while offered).
    #[schema(value_type = Option<String>)]
    pub borrower: Option<Address>,
    /// Block time the loan matures, ms (`0` while offered).
    pub maturity_ms: u64,
    /// Where it stands.
    pub status: LoanStatus,
}

/// Big numbers as base-10 strings in JSON.
pub(crate) mod u128_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}
