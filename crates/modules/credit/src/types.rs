//! The credit module's records: plain data, serde both ways, the same with
//! or without the `component` feature.

use fructus_types::{Address, Denom};

macro_rules! record {
    ($item:item) => {
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
        $item
    };
}

record! {
    /// A credit grade, best first.
    #[serde(rename_all = "UPPERCASE")]
    pub enum Grade {
        /// Prime.
        Aaa,
        /// High grade.
        Aa,
        /// Upper medium grade.
        A,
        /// Lower medium grade.
        Bbb,
        /// Speculative.
        Bb,
        /// Highly speculative.
        B,
        /// Substantial risk.
        Ccc,
        /// Near default.
        C,
    }
}

impl Grade {
    /// The grade of wire number `n` (1 AAA … 8 C).
    pub fn from_number(n: u32) -> Option<Grade> {
        Some(match n {
            1 => Grade::Aaa,
            2 => Grade::Aa,
            3 => Grade::A,
            4 => Grade::Bbb,
            5 => Grade::Bb,
            6 => Grade::B,
            7 => Grade::Ccc,
            8 => Grade::C,
            _ => return None,
        })
    }

    /// Its wire number.
    pub fn number(&self) -> u32 {
        match self {
            Grade::Aaa => 1,
            Grade::Aa => 2,
            Grade::A => 3,
            Grade::Bbb => 4,
            Grade::Bb => 5,
            Grade::B => 6,
            Grade::Ccc => 7,
            Grade::C => 8,
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Grade::Aaa => "AAA",
            Grade::Aa => "AA",
            Grade::A => "A",
            Grade::Bbb => "BBB",
            Grade::Bb => "BB",
            Grade::B => "B",
            Grade::Ccc => "CCC",
            Grade::C => "C",
        })
    }
}

record! {
    /// An accredited rating agency.
    pub struct Agency {
        /// The agency.
        #[schema(value_type = String)]
        pub agency: Address,
        /// The regulator that accredited it (`None` at genesis).
        #[schema(value_type = Option<String>)]
        pub accredited_by: Option<Address>,
    }
}

record! {
    /// An enterprise's rating (the latest given).
    pub struct Rating {
        /// The enterprise.
        #[schema(value_type = String)]
        pub enterprise: Address,
        /// The agency that gave it.
        #[schema(value_type = String)]
        pub agency: Address,
        /// The grade.
        pub grade: Grade,
        /// Block time it was given, ms.
        pub rated_ms: u64,
        /// It counts while the block time is before this, ms.
        pub expiry_ms: u64,
        /// The identity record holding the report (regulator-only).
        pub report_record_id: u64,
        /// Revoked (by the agency or a regulator).
        pub revoked: bool,
    }
}

record! {
    /// How a collateral denom is priced.
    #[serde(rename_all = "snake_case")]
    pub enum PriceSource {
        /// The oracle's price of the denom in the quote denom (its feeders,
        /// or the pair's AMM fallback).
        Oracle,
        /// Exactly one quote unit per unit (a stablecoin of the quote
        /// denom itself, or the quote denom).
        Peg,
    }
}

record! {
    /// A collateral's running totals.
    pub struct CollateralTotals {
        /// The collateral denom.
        #[schema(value_type = String)]
        pub denom: Denom,
        /// Σ normalized debt of its vaults (not in auction).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub normalized_debt: u128,
    }
}

record! {
    /// A running Dutch auction of a vault's collateral.
    pub struct Auction {
        /// Collateral still for sale (held by the vault's account).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub collateral: u128,
        /// Debt still to recover (burned as bids pay it).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub debt: u128,
        /// Penalty still to recover (paid to the surplus buffer).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub penalty: u128,
        /// Price at the start (×10^18), above the oracle price.
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub start_price: u128,
        /// Block time it started, ms.
        pub started_ms: u64,
        /// Who started it.
        #[schema(value_type = String)]
        pub kicker: Address,
    }
}

record! {
    /// A collateral vault.
    pub struct Vault {
        /// Sequential id (from 1).
        pub id: u64,
        /// Its owner (the only one who deposits, withdraws, mints, claims).
        #[schema(value_type = String)]
        pub owner: Address,
        /// The collateral denom.
        #[schema(value_type = String)]
        pub denom: Denom,
        /// Collateral held for it (not in auction).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub collateral: u128,
        /// Normalized debt (debt = this × rate / 10^27, rounded up).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub normalized_debt: u128,
        /// Its running auction, if being liquidated (the vault is locked
        /// until the auction ends).
        pub auction: Option<Auction>,
    }
}

record! {
    /// The system's books.
    pub struct Books {
        /// The rate accumulator (×10^27).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub rate: u128,
        /// Σ normalized debt of every vault not in auction.
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub normalized_debt: u128,
        /// Σ debt still to recover by running auctions.
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub auction_debt: u128,
        /// Debt no collateral and no surplus covered: credit tokens in
        /// circulation that nothing backs, until stability fees or the
        /// backstop cover them.
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub bad_debt: u128,
        /// Next vault id.
        pub next_vault: u64,
    }
}

impl Default for Books {
    fn default() -> Self {
        Books {
            rate: crate::math::RAY,
            normalized_debt: 0,
            auction_debt: 0,
            bad_debt: 0,
            next_vault: 1,
        }
    }
}

/// `u128` as a decimal string in JSON.
pub(crate) mod u128_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
