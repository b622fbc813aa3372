//! The price arithmetic: fixed point, median and TWAP. Pure functions, no
//! state; every result rounds down and nothing can overflow for prices
//! within [`MAX_PRICE`].

use fructus_types::Amount;

use crate::Point;

/// One unit of price: a price of `PRICE_SCALE` means one base unit of the
/// base denom is worth one base unit of the quote denom.
pub const PRICE_SCALE: u128 = 1_000_000_000_000_000_000;
/// The largest price accepted (10^36): a base unit worth 10^18 quote units.
pub const MAX_PRICE: u128 = 1_000_000_000_000_000_000_000_000_000_000_000_000;

/// The median of `prices` (sorted here); the mean of the two middle ones,
/// rounded down, for an even count; `None` for none.
pub fn median(prices: &mut [u128]) -> Option<u128> {
    prices.sort_unstable();
    let n = prices.len();
    let hi = *prices.get(n / 2)?;
    if n % 2 == 1 {
        return Some(hi);
    }
    let lo = *prices.get((n / 2).checked_sub(1)?)?;
    // (lo + hi) / 2 without overflow: halves, plus the carry of the two odd
    // bits.
    Some(
        (lo / 2)
            .saturating_add(hi / 2)
            .saturating_add((lo % 2).saturating_add(hi % 2) / 2),
    )
}

/// [`twap_coverage_bps`] of a TWAP over its whole window.
pub const FULL_COVERAGE_BPS: u32 = 10_000;

/// The segments of `[now_ms − window_ms, now_ms]` each of `points`
/// (oldest first) held for: (price, ms). Time before the first point is in
/// none.
fn segments(points: &[Point], now_ms: u64, window_ms: u64) -> Vec<(u128, u64)> {
    let start = now_ms.saturating_sub(window_ms);
    let mut segments = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let end = points
            .get(i.saturating_add(1))
            .map_or(now_ms, |n| n.time_ms)
            .min(now_ms);
        let from = p.time_ms.max(start);
        if end > from {
            segments.push((p.price, end.saturating_sub(from)));
        }
    }
    segments
}

fn covered_ms(segments: &[(u128, u64)]) -> u64 {
    segments
        .iter()
        .fold(0u64, |acc, (_, dt)| acc.saturating_add(*dt))
}

/// The time-weighted mean of `points` (oldest first; each price holds from
/// its time until the next point's, the last until `now_ms`) over
/// `[now_ms − window_ms, now_ms]`. Time before the first point is not
/// counted (see [`twap_coverage_bps`]). Each segment's share
/// `price · dt / covered` is rounded down, so the result is at most the
/// largest price. `None` without points; the last price when the covered
/// time is zero.
pub fn twap(points: &[Point], now_ms: u64, window_ms: u64) -> Option<u128> {
    let last = points.last()?;
    let segments = segments(points, now_ms, window_ms);
    let covered = covered_ms(&segments);
    if covered == 0 {
        return Some(last.price);
    }
    let mut sum: u128 = 0;
    for (price, dt) in segments {
        let part = Amount::new(price)
            .mul_div_floor(u128::from(dt), u128::from(covered))
            .map_or(price, Amount::value);
        sum = sum.saturating_add(part);
    }
    Some(sum)
}

/// The share of `[now_ms − window_ms, now_ms]` that [`twap`] averages over,
/// in basis points rounded down (0 without points or for an empty window,
/// at most [`FULL_COVERAGE_BPS`]). Right after a pair's first price it is small, and the
/// TWAP is little more than that price: a consumer that guards against a
/// price far from its TWAP needs both.
pub fn twap_coverage_bps(points: &[Point], now_ms: u64, window_ms: u64) -> u32 {
    let covered = covered_ms(&segments(points, now_ms, window_ms));
    Amount::new(u128::from(covered.min(window_ms)))
        .mul_div_floor(u128::from(FULL_COVERAGE_BPS), u128::from(window_ms))
        .ok()
        .and_then(|bps| u32::try_from(bps.value()).ok())
        .unwrap_or(0)
}

/// When a TWAP covering `coverage_bps` of `window_ms` is short of
/// `min_bps`: about how long the pair's price must still hold to reach it,
/// ms (rounded up; ≥ 1). `None` when it is not short.
pub fn coverage_shortfall_ms(coverage_bps: u32, min_bps: u32, window_ms: u64) -> Option<u64> {
    let missing = min_bps.checked_sub(coverage_bps).filter(|m| *m > 0)?;
    let wait = Amount::new(u128::from(missing))
        .mul_div_ceil(u128::from(window_ms), u128::from(FULL_COVERAGE_BPS))
        .ok()
        .and_then(|w| u64::try_from(w.value()).ok())
        .unwrap_or(window_ms);
    Some(wait.max(1))
}

/// Appends the median of window `window` (taken at `time_ms`), replacing
/// the last point when it is of the same window, then keeps at most
/// `capacity` points (dropping the oldest).
pub fn push_point(
    points: &mut Vec<Point>,
    time_ms: u64,
    window_ms: u64,
    price: u128,
    capacity: usize,
) {
    let same_window = points
        .last()
        .is_some_and(|p| p.time_ms.checked_div(window_ms) == time_ms.checked_div(window_ms));
    if same_window {
        points.pop();
    }
    points.push(Point { time_ms, price });
    while points.len() > capacity.max(1) {
        points.remove(0);
    }
}

/// `amount` of a denom priced at `price` (×10^18), in quote units, rounded
/// down.
pub fn value_floor(amount: u128, price: u128) -> Option<u128> {
    Amount::new(amount)
        .mul_div_floor(price, PRICE_SCALE)
        .ok()
        .map(Amount::value)
}

/// A Q64.64 price (the AMM's) at 10^18 scale, rounded down; `None` above
/// [`MAX_PRICE`].
pub fn from_q64(q64: u128) -> Option<u128> {
    let p = Amount::new(q64)
        .mul_div_floor(PRICE_SCALE, 1u128 << 64)
        .ok()?
        .value();
    (p <= MAX_PRICE).then_some(p)
}

/// The deviation of `a` from `b` in basis points of `b`, rounded up
/// (`u128::MAX` when `b` is zero).
pub fn deviation_bps(a: u128, b: u128) -> u128 {
    if b == 0 {
        return u128::MAX;
    }
    let diff = a.abs_diff(b);
    Amount::new(diff)
        .mul_div_ceil(10_000, b)
        .map_or(u128::MAX, Amount::value)
}

/// A decimal price (`1.25`, at most 18 fractional digits) at 10^18 scale;
/// `None` if malformed or above [`MAX_PRICE`]. For people typing prices
/// (the CLI); the wire carries the scaled integer.
pub fn parse_decimal(raw: &str) -> Option<u128> {
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > 18 {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_scaled: u128 = if frac.is_empty() {
        0
    } else {
        let pad = u32::try_from(18usize.saturating_sub(frac.len())).ok()?;
        frac.parse::<u128>()
            .ok()?
            .checked_mul(10u128.checked_pow(pad)?)?
    };
    let p = int.checked_mul(PRICE_SCALE)?.checked_add(frac_scaled)?;
    (p <= MAX_PRICE).then_some(p)
}

/// A 10^18-scaled price as a decimal (`1.250000000000000000`).
pub fn to_decimal(price: u128) -> String {
    format!("{}.{:018}", price / PRICE_SCALE, price % PRICE_SCALE)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use proptest::prelude::*;

    use super::*;

    fn pt(time_ms: u64, price: u128) -> Point {
        Point { time_ms, price }
    }

    #[test]
    fn median_takes_the_middle_and_rounds_an_even_mean_down() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [1, 4]), Some(2));
        assert_eq!(median(&mut [u128::MAX, u128::MAX]), Some(u128::MAX));
        // One outlier among three moves nothing.
        assert_eq!(median(&mut [100, 101, 1_000_000]), Some(101));
    }

    #[test]
    fn twap_weights_each_price_by_how_long_it_held() {
        // 100 for 30 s, then 200 for 10 s, over a 40 s window.
        let points = [pt(0, 100), pt(30_000, 200)];
        assert_eq!(twap(&points, 40_000, 40_000), Some(125));
        // A window that starts after the first point clips it: 100 for 10 s
        // and 200 for 10 s.
        assert_eq!(twap(&points, 40_000, 20_000), Some(150));
        assert_eq!(twap(&points, 30_000, 0), Some(200));
        assert_eq!(twap(&[], 1, 1), None);
    }

    #[test]
    fn coverage_counts_only_the_time_the_points_held_within_the_window() {
        let points = [pt(30_000, 100), pt(40_000, 200)];
        // From 30 s to 60 s of a 60 s window ending at 60 s: half.
        assert_eq!(twap_coverage_bps(&points, 60_000, 60_000), 5_000);
        // A window inside the points' history is fully covered.
        assert_eq!(twap_coverage_bps(&points, 60_000, 20_000), 10_000);
        // At the first point's own time nothing has held yet.
        assert_eq!(twap_coverage_bps(&points[..1], 30_000, 60_000), 0);
        // One millisecond of a day rounds down to zero.
        assert_eq!(twap_coverage_bps(&points[..1], 30_001, 86_400_000), 0);
        assert_eq!(twap_coverage_bps(&[], 60_000, 60_000), 0);
        assert_eq!(twap_coverage_bps(&points, 60_000, 0), 0);
    }

    #[test]
    fn the_shortfall_says_how_much_longer_a_price_must_hold() {
        // A quarter of an hour's window missing: 15 minutes.
        assert_eq!(
            coverage_shortfall_ms(2_500, 5_000, 3_600_000),
            Some(900_000)
        );
        // Rounded up, never zero.
        assert_eq!(coverage_shortfall_ms(4_999, 5_000, 3), Some(1));
        assert_eq!(coverage_shortfall_ms(5_000, 5_000, 3_600_000), None);
        assert_eq!(coverage_shortfall_ms(10_000, 0, 3_600_000), None);
    }

    #[test]
    fn a_point_per_window_and_a_bounded_history() {
        let mut points = Vec::new();
        push_point(&mut points, 1_000, 10_000, 5, 3);
        push_point(&mut points, 2_000, 10_000, 6, 3);
        assert_eq!(points, vec![pt(2_000, 6)]);
        for (i, t) in [10_000u64, 20_000, 30_000].into_iter().enumerate() {
            push_point(&mut points, t, 10_000, 7 + i as u128, 3);
        }
        assert_eq!(points.len(), 3);
        assert_eq!(points[0], pt(10_000, 7));
    }

    #[test]
    fn decimal_prices_parse_at_the_documented_scale() {
        assert_eq!(parse_decimal("1.25"), Some(1_250_000_000_000_000_000));
        assert_eq!(parse_decimal("2"), Some(2 * PRICE_SCALE));
        assert_eq!(parse_decimal(".5"), Some(PRICE_SCALE / 2));
        assert_eq!(parse_decimal("0.000000000000000001"), Some(1));
        for bad in ["", ".", "1.2.3", "-1", "1e3", "0.0000000000000000001"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        assert_eq!(parse_decimal("1000000000000000001"), None);
        assert_eq!(
            to_decimal(1_250_000_000_000_000_000),
            "1.250000000000000000"
        );
    }

    proptest! {
        #[test]
        fn the_twap_lies_between_the_lowest_and_highest_price(
            prices in proptest::collection::vec(1u128..=MAX_PRICE, 1..20),
            gaps in proptest::collection::vec(1u64..100_000, 20),
            window in 1u64..3_000_000,
        ) {
            let mut t = 0u64;
            let points: Vec<Point> = prices.iter().zip(&gaps).map(|(p, g)| { t += g; pt(t, *p) }).collect();
            let now = t + gaps[0];
            let avg = twap(&points, now, window).unwrap();
            let lo = *prices.iter().min().unwrap();
            let hi = *prices.iter().max().unwrap();
            // Rounding down loses at most one unit per segment.
            prop_assert!(avg <= hi);
            prop_assert!(avg + prices.len() as u128 >= lo);
        }

        #[test]
        fn the_median_is_one_of_the_middle_posts(mut prices in proptest::collection::vec(0u128..=MAX_PRICE, 1..32)) {
            let m = median(&mut prices.clone()).unwrap();
            prices.sort_unstable();
            let n = prices.len();
            prop_assert!(m >= prices[(n - 1) / 2] && m <= prices[n / 2]);
        }
    }
}
