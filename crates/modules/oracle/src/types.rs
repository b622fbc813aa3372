//! The oracle's records and views: plain data, serde both ways, the same
//! with or without the `component` feature.

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
    /// A base denom priced in a quote denom.
    pub struct Pair {
        /// What is priced.
        #[schema(value_type = String)]
        pub base: Denom,
        /// What it is priced in.
        #[schema(value_type = String)]
        pub quote: Denom,
    }
}

impl std::fmt::Display for Pair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.base, self.quote)
    }
}

record! {
    /// An active feeder.
    pub struct FeederRecord {
        /// The feeder.
        #[schema(value_type = String)]
        pub feeder: Address,
        /// The regulator that accredited it; `None` for genesis feeders.
        #[schema(value_type = Option<String>)]
        pub accredited_by: Option<Address>,
        /// Block time it became active, ms.
        pub active_since_ms: u64,
    }
}

record! {
    /// What a queued feeder-set change does.
    #[serde(rename_all = "snake_case")]
    pub enum FeederChange {
        /// The feeder becomes active.
        Accredit,
        /// The feeder stops being active.
        Revoke,
    }
}

record! {
    /// A feeder-set change waiting for its delay.
    pub struct PendingChange {
        /// The feeder.
        #[schema(value_type = String)]
        pub feeder: Address,
        /// What happens to it.
        pub change: FeederChange,
        /// The regulator that asked.
        #[schema(value_type = String)]
        pub by: Address,
        /// Applied by the first block at or after this time, ms.
        pub effective_ms: u64,
    }
}

record! {
    /// A feeder's latest post for a pair.
    pub struct Submission {
        /// The feeder.
        #[schema(value_type = String)]
        pub feeder: Address,
        /// The price (×10^18).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub price: u128,
        /// Block time of the post, ms.
        pub time_ms: u64,
        /// Its window (time / `window_ms`).
        pub window: u64,
    }
}

record! {
    /// One TWAP point: the last median of a window.
    pub struct Point {
        /// Block time of that median, ms.
        pub time_ms: u64,
        /// The median (×10^18).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub price: u128,
    }
}

record! {
    /// A pair's aggregated price.
    pub struct PairState {
        /// The pair.
        pub pair: Pair,
        /// The latest median (×10^18); 0 before the first.
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub price: u128,
        /// Block time of that median, ms (0 before the first).
        pub updated_ms: u64,
        /// Posts it is the median of.
        pub reporters: u32,
        /// TWAP points, oldest first (one per window).
        pub points: Vec<Point>,
    }
}

record! {
    /// Where a price came from.
    #[serde(rename_all = "snake_case")]
    pub enum PriceSource {
        /// The feeders' median.
        Feeders,
        /// An AMM pool's TWAP (the pair's fallback).
        Amm,
        /// No source: the pair has no fresh price.
        None,
    }
}

record! {
    /// A pair's price as a consumer reads it.
    pub struct PriceView {
        /// The pair.
        pub pair: Pair,
        /// The price to use (×10^18): the median, or the fallback's TWAP.
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub price: u128,
        /// The TWAP over `twap_window_ms` (the fallback's TWAP for `amm`).
        #[serde(with = "u128_string")]
        #[schema(value_type = String)]
        pub twap: u128,
        /// The share of `twap_window_ms` the TWAP averages over, in basis
        /// points (rounded down): small right after a pair's first price,
        /// when the TWAP is little more than that price. 10 000 for a
        /// denom priced in itself and for `amm` (a fallback prices only
        /// over a fully observed window).
        pub twap_coverage_bps: u32,
        /// Block time of the price, ms.
        pub updated_ms: u64,
        /// Posts the median was taken of (0 for `amm`).
        pub reporters: u32,
        /// Where it came from.
        pub source: PriceSource,
        /// True when the feeders' price is missing or older than
        /// `max_age_ms` and no fallback priced the pair.
        pub stale: bool,
    }
}

/// `u128` as a decimal string in JSON (JavaScript numbers lose precision).
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
