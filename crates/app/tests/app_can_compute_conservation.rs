//! Conservation of compute money, property-tested through the real app:
//! whatever an order's prices and however it ends, the stablecoin the
//! buyer escrowed equals what the maintainer, the platform and the asset's
//! owners were paid plus what the buyer got back, to the unit; the
//! provider's bond account falls by exactly the slash, which the buyer
//! receives; no escrow is left behind.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_asset::income_escrow;
use fructus_client::tx::{TxBuilder, msgs};
use fructus_compute::{bond_account, order_escrow};
use fructus_proto::compute::v1::VerificationMode as Mode;
use fructus_test_utils::{
    CHAIN_ID, assert_ok,
    compute::{BOND, Computed, GPUS, RESULT},
};
use proptest::prelude::*;

const HOUR: u64 = 3_600_000;

fn usd(f: &Computed, a: &fructus_crypto::Address) -> u128 {
    f.chain.balance(a, "uusd")
}

/// How the order ends.
#[derive(Debug, Clone, Copy)]
enum End {
    Confirm,
    Reject,
    Offline,
    Undecided,
    Cancel,
}

fn end() -> impl Strategy<Value = End> {
    prop_oneof![
        Just(End::Confirm),
        Just(End::Reject),
        Just(End::Offline),
        Just(End::Undecided),
        Just(End::Cancel),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    #[test]
    fn escrow_bonds_payouts_refunds_and_slashes_balance_exactly(
        hours in 1u64..=u64::from(GPUS),
        max_price in 1u128..1_000_000_000,
        price_pct in 1u128..=100,
        end in end(),
    ) {
        let mut f = Computed::new();
        assert_ok(&f.heartbeat(GPUS));
        let dave = f.chain.addr("dave");
        let carol = f.chain.addr("carol");
        let fee = TxBuilder::new(CHAIN_ID).effective_fee().amount.value();
        // Fund dave for the largest order.
        assert_ok(&f.exec("carol", msgs::mint(&fructus_test_utils::coin(&format!("{}uusd", u128::from(hours) * max_price)), &dave)));
        let (dave_usd0, dave_frx0) = (usd(&f, &dave), f.chain.balance(&dave, "ufrx"));
        let (carol0, platform0, income0) =
            (usd(&f, &carol), usd(&f, &fructus_bank::fee_collector()), usd(&f, &income_escrow(f.asset_id)));
        let frx_supply0 = f.chain.supply("ufrx");
        let bob = f.chain.addr("bob");
        let id = f.post(hours, max_price, u128::from(hours) * max_price, Mode::Verifier, Some(&bob));
        let mut dave_txs = 1u128;
        let price = (max_price * price_pct / 100).max(1);
        if !matches!(end, End::Cancel) {
            let w = f.window_now();
            assert_ok(&f.exec("alice", msgs::compute_accept_order(id, f.asset_id, w, price)));
        }
        match end {
            End::Confirm => {
                assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
                assert_ok(&f.exec("dave", msgs::compute_confirm_order(id)));
                dave_txs += 1;
            }
            End::Reject => {
                assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
                assert_ok(&f.exec("bob", msgs::compute_attest(id, RESULT, false)));
            }
            End::Offline => {
                f.chain.advance_time(HOUR);
                f.chain.block(vec![]);
            }
            End::Undecided => {
                assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
                f.chain.advance_time(4 * HOUR);
                f.chain.block(vec![]);
            }
            End::Cancel => {
                assert_ok(&f.exec("dave", msgs::compute_cancel_order(id)));
                dave_txs += 1;
            }
        }
        let r = f.receipt(id).expect("the order is settled");
        let paid = r.maintainer.value() + r.platform.value() + r.shareholders.value();
        // The buyer's stablecoin: out exactly what was paid.
        prop_assert_eq!(dave_usd0 - usd(&f, &dave), paid);
        // Escrow = what was paid + what came back (at acceptance and at
        // settlement); none is left behind.
        let escrowed = u128::from(hours) * max_price;
        let accept_refund = if matches!(end, End::Cancel) { 0 } else { u128::from(hours) * (max_price - price) };
        prop_assert_eq!(escrowed, paid + r.refunded.value() + accept_refund);
        prop_assert_eq!(usd(&f, &order_escrow(id)), 0);
        // Each payout landed where the receipt says.
        prop_assert_eq!(usd(&f, &carol) - carol0, r.maintainer.value());
        prop_assert_eq!(usd(&f, &fructus_bank::fee_collector()) - platform0, r.platform.value());
        prop_assert_eq!(usd(&f, &income_escrow(f.asset_id)) - income0, r.shareholders.value());
        if matches!(end, End::Confirm) {
            prop_assert_eq!(paid, u128::from(hours) * price);
        } else {
            prop_assert_eq!(paid, 0);
        }
        // The bond: down by exactly the slash, which the buyer received;
        // ufrx is moved, never created or destroyed.
        let p = f.provider();
        prop_assert_eq!(p.bond.value(), BOND - r.slashed.value());
        prop_assert_eq!(f.chain.balance(&bond_account(f.asset_id), "ufrx"), p.bond.value());
        prop_assert_eq!(f.chain.balance(&dave, "ufrx") + dave_txs * fee, dave_frx0 + r.slashed.value());
        prop_assert_eq!(f.chain.supply("ufrx"), frx_supply0);
        prop_assert_eq!(r.slashed.is_zero(), !r.fault.is_providers());
    }
}
