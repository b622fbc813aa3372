//! Property: over random tariffs, splits, deposits and reading streams,
//! every unit the customer pays goes somewhere, exactly once — per
//! contract `charged = floor(units·price / per_units)` with the rest of the
//! numerator carried, `charged = collected + owed`, and
//! `collected = maintainer + platform + shareholders`, matching the
//! balances that actually moved.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_asset::AssetStateReadExt;
use fructus_client::metering::{self as m, ContractTerms};
use fructus_metering::contract_escrow;
use fructus_test_utils::{
    assert_ok, coin,
    metering::{Metered, exec},
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Read(u64),
    TopUp(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u64..3_000).prop_map(Step::Read),
        1 => (1u64..2_000).prop_map(Step::TopUp),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, .. ProptestConfig::default() })]

    #[test]
    fn customer_payments_equal_what_everyone_received(
        price in 1u64..50,
        per_units in 1u64..10,
        maintainer_bps in 0u32..3_000,
        platform_bps in 0u32..600,
        deposit in 1u64..5_000,
        steps in proptest::collection::vec(step(), 1..12),
    ) {
        let mut f = Metered::new();
        let carol = f.chain.addr("carol");
        let mut t = ContractTerms::prepaid(coin(&format!("{price}ufrx")), per_units);
        t.maintainer = Some(carol);
        t.maintainer_bps = maintainer_bps;
        t.platform_bps = platform_bps;
        let carol_before = f.chain.balance(&carol, "ufrx");
        let id = f.contract(&t, Some(&format!("{deposit}ufrx")));
        let mut counter = 0u64;
        let mut deposited = u128::from(deposit);
        for s in steps {
            match s {
                Step::Read(delta) => {
                    counter += delta;
                    assert_ok(&f.read(counter));
                }
                Step::TopUp(amount) => {
                    assert_ok(&exec(&mut f.chain, "dave", m::top_up(id, &coin(&format!("{amount}ufrx")))));
                    deposited += u128::from(amount);
                }
            }
        }
        let c = f.contract_record(id);
        let numerator = u128::from(counter) * u128::from(price);
        prop_assert_eq!(c.units, u128::from(counter));
        prop_assert_eq!(c.charged.value(), numerator / u128::from(per_units));
        prop_assert_eq!(c.remainder, numerator % u128::from(per_units));
        prop_assert_eq!(c.charged.value(), c.collected.value() + c.owed.value());
        prop_assert_eq!(
            c.collected.value(),
            c.paid_maintainer.value() + c.paid_platform.value() + c.paid_shareholders.value()
        );
        // The customer paid exactly what was collected out of its deposits.
        prop_assert_eq!(
            f.chain.balance(&contract_escrow(id), "ufrx"),
            deposited - c.collected.value()
        );
        // The maintainer got its cumulative floor share, the platform never
        // more than its own.
        prop_assert_eq!(
            c.paid_maintainer.value(),
            c.collected.value() * u128::from(maintainer_bps) / 10_000
        );
        prop_assert!(c.paid_platform.value() <= c.collected.value() * u128::from(platform_bps) / 10_000);
        prop_assert_eq!(f.chain.balance(&carol, "ufrx") - carol_before, c.paid_maintainer.value());
        // The shareholders' part is exactly the asset's credited income.
        let snap = f.chain.app.snapshot().unwrap();
        let credited: u128 = snap
            .income_totals(f.asset_id)
            .unwrap()
            .iter()
            .filter(|t| t.denom.as_str() == "ufrx")
            .map(|t| t.credited_to_shares.value())
            .sum();
        prop_assert_eq!(credited, c.paid_shareholders.value());
        // Suspended exactly when something is owed.
        prop_assert_eq!(
            c.status == fructus_metering::ContractStatus::Suspended,
            !c.owed.is_zero()
        );
    }
}
