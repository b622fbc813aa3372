//! The checks a consumer runs on a price before it lends, mints or seizes
//! collateral against it (lending and credit do): in one place, so every
//! consumer applies the same rules, each with its own limits and error
//! codes. Pure: [`crate::OracleStateReadExt::guarded_price`] reads the
//! view and the oracle's TWAP window.

use crate::{
    PriceView,
    price::{coverage_shortfall_ms, deviation_bps},
};

/// A consumer's limits on the prices it uses (from its params).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceGuard {
    /// Least share of the oracle's TWAP window the TWAP must cover, bps
    /// (0: no minimum).
    pub min_twap_coverage_bps: u32,
    /// Largest distance of the price from its TWAP, bps of the TWAP.
    pub max_twap_deviation_bps: u32,
}

/// Why a price may not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRefusal {
    /// Missing, or older than `max_age_ms` and no fallback priced it.
    Stale,
    /// Its TWAP covers too little of the window to guard it: a new pair's
    /// TWAP is little more than its first price.
    ThinTwap {
        /// The share covered, bps.
        coverage_bps: u32,
        /// The consumer's minimum.
        min_bps: u32,
        /// About how much longer the price must hold to reach it, ms.
        wait_ms: u64,
    },
    /// Further from its TWAP than the consumer allows (a sudden print).
    Deviates {
        /// The distance, bps of the TWAP.
        deviation_bps: u128,
        /// The consumer's maximum.
        max_bps: u32,
    },
}

impl PriceGuard {
    /// `view.price` if it may be used, checked in this order: fresh, TWAP
    /// history over the oracle's `twap_window_ms`, distance from the TWAP.
    pub fn check(&self, view: &PriceView, twap_window_ms: u64) -> Result<u128, PriceRefusal> {
        if view.stale || view.price == 0 {
            return Err(PriceRefusal::Stale);
        }
        if let Some(wait_ms) = coverage_shortfall_ms(
            view.twap_coverage_bps,
            self.min_twap_coverage_bps,
            twap_window_ms,
        ) {
            return Err(PriceRefusal::ThinTwap {
                coverage_bps: view.twap_coverage_bps,
                min_bps: self.min_twap_coverage_bps,
                wait_ms,
            });
        }
        let deviation = deviation_bps(view.price, view.twap);
        if deviation > u128::from(self.max_twap_deviation_bps) {
            return Err(PriceRefusal::Deviates {
                deviation_bps: deviation,
                max_bps: self.max_twap_deviation_bps,
            });
        }
        Ok(view.price)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use super::*;
    use crate::{Pair, PriceSource};

    fn view(price: u128, twap: u128, twap_coverage_bps: u32, stale: bool) -> PriceView {
        PriceView {
            pair: Pair {
                base: "ua".parse().unwrap(),
                quote: "uusd".parse().unwrap(),
            },
            price,
            twap,
            twap_coverage_bps,
            updated_ms: 1,
            reporters: 1,
            source: PriceSource::Feeders,
            stale,
        }
    }

    #[test]
    fn each_rule_refuses_in_order_and_a_price_that_passes_all_is_used() {
        let guard = PriceGuard {
            min_twap_coverage_bps: 5_000,
            max_twap_deviation_bps: 1_000,
        };
        let window = 100_000;
        assert_eq!(guard.check(&view(100, 100, 5_000, false), window), Ok(100));
        // Stale first, whatever else is wrong.
        assert_eq!(
            guard.check(&view(100, 1, 0, true), window),
            Err(PriceRefusal::Stale)
        );
        assert_eq!(
            guard.check(&view(0, 0, 10_000, false), window),
            Err(PriceRefusal::Stale)
        );
        // Then history, before the deviation it would make meaningless.
        assert_eq!(
            guard.check(&view(100, 1, 4_000, false), window),
            Err(PriceRefusal::ThinTwap {
                coverage_bps: 4_000,
                min_bps: 5_000,
                wait_ms: 10_000
            })
        );
        assert_eq!(
            guard.check(&view(111, 100, 10_000, false), window),
            Err(PriceRefusal::Deviates {
                deviation_bps: 1_100,
                max_bps: 1_000
            })
        );
        // No minimum: a price with no history passes if close to its TWAP.
        let open = PriceGuard {
            min_twap_coverage_bps: 0,
            ..guard
        };
        assert_eq!(open.check(&view(100, 100, 0, false), window), Ok(100));
    }
}
