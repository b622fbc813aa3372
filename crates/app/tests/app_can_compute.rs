//! Compute through the real app: providers with attested devices and
//! bonds, heartbeats and the liveness sweep, perishable capacity tokens,
//! orders in every verification mode with payouts to fractional owners,
//! refunds, slashing with fault attribution, and every refusal.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_client::tx::msgs;
use fructus_compute::{ComputeStateReadExt, Fault, OrderStatus, bond_account, order_escrow};
use fructus_proto::compute::v1::VerificationMode as Mode;
use fructus_test_utils::{
    assert_code, assert_ok, coin,
    compute::{BOND, Computed, GPU_DEVICE, GPUS, MODEL, RESULT, SPEC},
    metering::attr,
};

const HOUR: u64 = 3_600_000;

fn uusd(f: &Computed, name: &str) -> u128 {
    f.chain.balance(&f.chain.addr(name), "uusd")
}

/// An online provider (one heartbeat).
fn online() -> Computed {
    let mut f = Computed::new();
    assert_ok(&f.heartbeat(GPUS));
    f
}

/// Dave's order accepted by alice for the current window at `price`.
fn accepted(f: &mut Computed, hours: u64, price: u128, mode: Mode, verifier: Option<&str>) -> u64 {
    let verifier = verifier.map(|v| f.chain.addr(v));
    let id = f.post(hours, 100, hours as u128 * 100, mode, verifier.as_ref());
    let w = f.window_now();
    assert_ok(&f.exec(
        "alice",
        msgs::compute_accept_order(id, f.asset_id, w, price),
    ));
    id
}

#[test]
fn a_provider_registers_an_attested_gpu_asset_with_a_bond() {
    let f = Computed::new();
    let p = f.provider();
    assert_eq!(
        (p.gpus, p.gpu_model.as_str(), p.bond.value()),
        (GPUS, MODEL, BOND)
    );
    assert!(!p.online, "offline until its first heartbeat");
    assert_eq!(f.chain.balance(&bond_account(f.asset_id), "ufrx"), BOND);
}

#[test]
fn registration_is_refused_for_a_small_bond_a_stranger_a_second_time_or_a_non_gpu_class() {
    let mut f = Computed::unregistered();
    let a = f.asset_id;
    let reg = |bond| msgs::compute_register_provider(a, MODEL, GPUS, 0, "", bond, None, 0);
    assert_code(&f.exec("alice", reg(1_000)), "compute", 7);
    assert_code(&f.exec("bob", reg(BOND)), "compute", 23);
    assert_ok(&f.exec("alice", reg(BOND)));
    assert_code(&f.exec("alice", reg(BOND)), "compute", 4);
    // A maintainer share without a maintainer is refused before state.
    let bad = msgs::compute_register_provider(a, MODEL, GPUS, 0, "", BOND, None, 100);
    assert_code(&f.exec("alice", bad), "compute", 2);

    // An asset of a class that does not measure GPU-hours.
    let m = fructus_test_utils::metering::Metered::new();
    let mut chain = m.chain;
    let r = fructus_test_utils::metering::exec(
        &mut chain,
        "alice",
        msgs::compute_register_provider(m.asset_id, MODEL, 1, 0, "", BOND, None, 0),
    );
    assert_code(&r, "compute", 3);
}

#[test]
fn heartbeats_keep_a_provider_online_until_the_sweep_marks_it_offline() {
    let mut f = Computed::new();
    let r = f.heartbeat(GPUS);
    assert_ok(&r);
    assert_eq!(attr(&r, "compute.heartbeat", "online"), "true");
    assert!(f.provider().online);
    // Only the device signs heartbeats; a replayed sequence is refused.
    let tx = f.heartbeat_tx("alice", 10, GPUS);
    assert_code(&f.chain.run(tx), "compute", 8);
    let tx = f.heartbeat_tx(GPU_DEVICE, 1, GPUS);
    assert_code(&f.chain.run(tx), "compute", 8);
    // More GPUs than registered.
    let tx = f.heartbeat_tx(GPU_DEVICE, 50, GPUS + 1);
    assert_code(&f.chain.run(tx), "compute", 8);
    // The interval (60 s) runs out: the end-of-block sweep marks it offline.
    f.chain.advance_time(60_000);
    f.chain.block(vec![]);
    assert!(
        f.chain
            .block_events
            .iter()
            .any(|e| e.kind == "compute.provider_offline"),
        "{:?}",
        f.chain.block_events
    );
    let p = f.provider();
    assert!(!p.online && p.offline_at_ms.is_none());
    // A heartbeat brings it back.
    assert_ok(&f.heartbeat(GPUS));
    assert!(f.provider().online);
}

#[test]
fn an_offline_provider_cannot_mint_or_accept() {
    let mut f = Computed::new();
    let w = f.window_now();
    assert_code(
        &f.exec("alice", msgs::compute_mint_capacity(f.asset_id, w + 1, 1)),
        "compute",
        9,
    );
    let id = f.post(2, 100, 200, Mode::BuyerConfirm, None);
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(id, f.asset_id, w, 50)),
        "compute",
        9,
    );
    // A heartbeat reporting no GPU is offline too.
    assert_ok(&f.heartbeat(0));
    assert_code(
        &f.exec("alice", msgs::compute_mint_capacity(f.asset_id, w + 1, 1)),
        "compute",
        9,
    );
}

#[test]
fn capacity_is_minted_for_future_windows_only_and_within_gpus_times_hours() {
    let mut f = online();
    let a = f.asset_id;
    let w = f.window_now();
    assert_code(
        &f.exec("alice", msgs::compute_mint_capacity(a, w, 1)),
        "compute",
        10,
    );
    assert_code(
        &f.exec("bob", msgs::compute_mint_capacity(a, w + 1, 1)),
        "compute",
        6,
    );
    let r = f.exec("alice", msgs::compute_mint_capacity(a, w + 1, 6));
    assert_ok(&r);
    let denom = format!("gpuh/{a}/{}", w + 1);
    assert_eq!(f.chain.balance(&f.chain.addr("alice"), &denom), 6);
    assert_code(
        &f.exec("alice", msgs::compute_mint_capacity(a, w + 1, 3)),
        "compute",
        11,
    );
    assert_ok(&f.exec("alice", msgs::compute_mint_capacity(a, w + 1, 2)));
    assert_eq!(f.chain.supply(&denom), u128::from(GPUS));
    assert_code(
        &f.exec("alice", msgs::compute_mint_capacity(a, w + 200, 1)),
        "compute",
        10,
    );
}

#[test]
fn an_expired_capacity_token_cannot_move_swap_or_redeem_and_anyone_may_burn_it() {
    let mut f = online();
    let a = f.asset_id;
    let w = f.window_now() + 1;
    assert_ok(&f.exec("alice", msgs::compute_mint_capacity(a, w, 8)));
    let denom = format!("gpuh/{a}/{w}");
    let bob = f.chain.addr("bob");
    assert_ok(&f.exec(
        "alice",
        msgs::send(&bob, &fructus_test_utils::coins(&format!("3{denom}"))),
    ));
    // A pool of the tokens against the stablecoin, while they are live.
    let dave = f.chain.addr("dave");
    assert_ok(&f.exec(
        "alice",
        msgs::send(&dave, &fructus_test_utils::coins(&format!("4{denom}"))),
    ));
    let r = f.exec(
        "dave",
        msgs::amm_create_pool(&coin(&format!("4{denom}")), &coin("400000uusd"), 0),
    );
    assert_ok(&r);
    let pool: u64 = attr(&r, "amm.create_pool", "pool_id").parse().unwrap();
    // A live token is not burned as expired.
    assert_code(
        &f.exec(
            "bob",
            msgs::compute_burn_expired(&coin(&format!("1{denom}"))),
        ),
        "compute",
        12,
    );

    f.chain.advance_time(2 * HOUR);
    f.chain.block(vec![]);
    let carol = f.chain.addr("carol");
    assert_code(
        &f.exec(
            "bob",
            msgs::send(&carol, &fructus_test_utils::coins(&format!("1{denom}"))),
        ),
        "bank",
        13,
    );
    assert_code(
        &f.exec(
            "dave",
            msgs::amm_swap_exact_in(&coin("100uusd"), &[pool], &coin(&format!("0{denom}")), 0),
        ),
        "amm",
        15,
    );
    let far = f.chain.time() + 10 * HOUR;
    assert_code(
        &f.exec(
            "bob",
            msgs::compute_redeem_capacity(a, w, 1, SPEC, Mode::BuyerConfirm, None, far),
        ),
        "compute",
        10,
    );
    assert_ok(&f.exec(
        "bob",
        msgs::compute_burn_expired(&coin(&format!("3{denom}"))),
    ));
    assert_eq!(f.chain.balance(&bob, &denom), 0);
    assert_eq!(f.chain.supply(&denom), 5);
}

#[test]
fn a_confirmed_order_pays_the_maintainer_the_platform_and_the_fractional_owners() {
    let mut f = online();
    let before = uusd(&f, "dave");
    let id = accepted(&mut f, 4, 80, Mode::BuyerConfirm, None);
    // 4 × 100 escrowed, 4 × 20 refunded at acceptance.
    assert_eq!(uusd(&f, "dave"), before - 320);
    assert_eq!(f.order(id).status, OrderStatus::Accepted);
    // Only the provider's operator submits; only the buyer confirms.
    assert_code(
        &f.exec("bob", msgs::compute_submit_result(id, RESULT)),
        "compute",
        6,
    );
    assert_code(
        &f.exec("dave", msgs::compute_confirm_order(id)),
        "compute",
        14,
    );
    assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
    assert_code(
        &f.exec("bob", msgs::compute_confirm_order(id)),
        "compute",
        15,
    );
    let r = f.exec("dave", msgs::compute_confirm_order(id));
    assert_ok(&r);
    let receipt = f.receipt(id).unwrap();
    // 320: maintainer 10 % = 32, platform 1 % = 3, owners 285.
    assert_eq!(
        (
            receipt.maintainer.value(),
            receipt.platform.value(),
            receipt.shareholders.value()
        ),
        (32, 3, 285)
    );
    assert_eq!(receipt.fault, Fault::None);
    assert_eq!(uusd(&f, "carol"), 32);
    assert_eq!(f.pending_uusd("alice") + f.pending_uusd("bob"), 285 - 1);
    assert_eq!(f.pending_uusd("alice"), 199);
    assert_eq!(f.pending_uusd("bob"), 85);
    assert_eq!(f.chain.balance(&order_escrow(id), "uusd"), 0);
    // An order completes once.
    assert_code(
        &f.exec("dave", msgs::compute_confirm_order(id)),
        "compute",
        14,
    );
    assert!(f.provider().open_orders.is_empty());
}

#[test]
fn acceptance_needs_enough_unreserved_capacity_the_model_and_a_price_within_the_maximum() {
    let mut f = online();
    let a = f.asset_id;
    let w = f.window_now();
    let id = f.post(9, 100, 900, Mode::BuyerConfirm, None);
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(id, a, w, 50)),
        "compute",
        11,
    );
    let id = f.post(5, 100, 500, Mode::BuyerConfirm, None);
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(id, a, w, 101)),
        "compute",
        16,
    );
    assert_ok(&f.exec("alice", msgs::compute_accept_order(id, a, w, 100)));
    let id2 = f.post(4, 100, 400, Mode::BuyerConfirm, None);
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(id2, a, w, 100)),
        "compute",
        11,
    );
    // Accepted twice: refused.
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(id, a, w, 100)),
        "compute",
        14,
    );
    // A window ending after the deadline.
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(id2, a, w + 5, 100)),
        "compute",
        10,
    );
}

#[test]
fn only_the_named_verifier_attests_and_a_rejection_refunds_and_slashes() {
    let mut f = online();
    let id = accepted(&mut f, 2, 100, Mode::Verifier, Some("bob"));
    assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
    assert_code(
        &f.exec("carol", msgs::compute_attest(id, RESULT, true)),
        "compute",
        15,
    );
    assert_code(
        &f.exec("bob", msgs::compute_attest(id, [1; 32], true)),
        "compute",
        19,
    );
    let dave_usd = uusd(&f, "dave");
    let dave_frx = f.chain.balance(&f.chain.addr("dave"), "ufrx");
    let r = f.exec("bob", msgs::compute_attest(id, RESULT, false));
    assert_ok(&r);
    let receipt = f.receipt(id).unwrap();
    assert_eq!(receipt.fault, Fault::TaskRejected);
    assert_eq!(
        (receipt.refunded.value(), receipt.slashed.value()),
        (200, BOND / 10)
    );
    assert_eq!(uusd(&f, "dave"), dave_usd + 200);
    assert_eq!(
        f.chain.balance(&f.chain.addr("dave"), "ufrx"),
        dave_frx + BOND / 10
    );
    assert_eq!(f.provider().bond.value(), BOND - BOND / 10);
    assert_eq!(
        f.chain.balance(&bond_account(f.asset_id), "ufrx"),
        BOND - BOND / 10
    );
}

#[test]
fn an_unchallenged_result_completes_when_the_window_lapses_and_a_late_challenge_is_refused() {
    let mut f = online();
    let id = accepted(&mut f, 1, 100, Mode::ChallengeWindow, Some("bob"));
    assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
    // The verifier has nothing to decide before a challenge.
    assert_code(
        &f.exec("bob", msgs::compute_attest(id, RESULT, true)),
        "compute",
        14,
    );
    f.chain.advance_time(HOUR);
    assert_code(&f.exec("dave", msgs::compute_challenge(id)), "compute", 18);
    assert_eq!(f.order(id).status, OrderStatus::Completed);
    assert_eq!(f.receipt(id).unwrap().shareholders.value(), 89);
}

#[test]
fn a_challenge_within_the_window_goes_to_the_verifier() {
    let mut f = online();
    let id = accepted(&mut f, 1, 100, Mode::ChallengeWindow, Some("bob"));
    assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
    assert_code(&f.exec("carol", msgs::compute_challenge(id)), "compute", 15);
    assert_ok(&f.exec("dave", msgs::compute_challenge(id)));
    assert_eq!(f.order(id).status, OrderStatus::Challenged);
    assert_ok(&f.exec("bob", msgs::compute_attest(id, RESULT, true)));
    assert_eq!(f.order(id).status, OrderStatus::Completed);
}

#[test]
fn a_provider_offline_during_its_window_refunds_the_buyer_and_is_slashed() {
    let mut f = online();
    let before = uusd(&f, "dave");
    let id = accepted(&mut f, 2, 100, Mode::BuyerConfirm, None);
    f.chain.advance_time(60_000);
    f.chain.block(vec![]);
    let o = f.order(id);
    assert_eq!(o.status, OrderStatus::Failed);
    let receipt = f.receipt(id).unwrap();
    assert_eq!(receipt.fault, Fault::ProviderOffline);
    assert_eq!(receipt.slashed.value(), BOND / 10);
    assert_eq!(uusd(&f, "dave"), before);
}

#[test]
fn faults_are_attributed_no_result_slashes_an_undecided_result_does_not() {
    // No result by the deadline: the provider's fault.
    let mut f = online();
    let id = accepted(&mut f, 1, 100, Mode::Verifier, Some("bob"));
    for _ in 0..200 {
        f.chain.advance_time(59_000);
        assert_ok(&f.heartbeat(GPUS));
        if f.order(id).status.is_final() {
            break;
        }
    }
    let r = f.receipt(id).unwrap();
    assert_eq!(
        (r.fault, r.slashed.value()),
        (Fault::ProviderNoResult, BOND / 10)
    );

    // A result the verifier never decided on: refunded, bond kept.
    let mut f = online();
    let id = accepted(&mut f, 1, 100, Mode::Verifier, Some("bob"));
    assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
    for _ in 0..200 {
        f.chain.advance_time(59_000);
        assert_ok(&f.heartbeat(GPUS));
        if f.order(id).status.is_final() {
            break;
        }
    }
    let r = f.receipt(id).unwrap();
    assert_eq!(
        (r.fault, r.slashed.value(), r.refunded.value()),
        (Fault::None, 0, 100)
    );
    assert_eq!(f.provider().bond.value(), BOND);
}

#[test]
fn an_under_funded_order_pauses_for_the_grace_period_then_closes() {
    let mut f = online();
    let id = f.post(2, 100, 50, Mode::BuyerConfirm, None);
    assert_eq!(f.order(id).status, OrderStatus::Paused);
    let w = f.window_now();
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(id, f.asset_id, w, 100)),
        "compute",
        14,
    );
    assert_code(
        &f.exec("dave", msgs::compute_top_up_order(id, &coin("151uusd"))),
        "compute",
        2,
    );
    assert_ok(&f.exec("dave", msgs::compute_top_up_order(id, &coin("150uusd"))));
    assert_eq!(f.order(id).status, OrderStatus::Open);
    assert_ok(&f.exec("dave", msgs::compute_cancel_order(id)));

    let before = uusd(&f, "dave");
    let id = f.post(2, 100, 50, Mode::BuyerConfirm, None);
    f.chain.advance_time(3 * HOUR);
    f.chain.block(vec![]);
    let r = f.receipt(id).unwrap();
    assert_eq!(
        (r.status, r.fault, r.refunded.value()),
        (OrderStatus::Cancelled, Fault::BuyerUnderfunded, 50)
    );
    assert_eq!(uusd(&f, "dave"), before);
}

#[test]
fn a_buyer_cancels_only_an_unaccepted_order() {
    let mut f = online();
    let id = f.post(1, 100, 100, Mode::BuyerConfirm, None);
    assert_code(
        &f.exec("bob", msgs::compute_cancel_order(id)),
        "compute",
        15,
    );
    assert_ok(&f.exec("dave", msgs::compute_cancel_order(id)));
    assert_eq!(f.receipt(id).unwrap().status, OrderStatus::Cancelled);
    let id = accepted(&mut f, 1, 100, Mode::BuyerConfirm, None);
    assert_code(
        &f.exec("dave", msgs::compute_cancel_order(id)),
        "compute",
        14,
    );
}

#[test]
fn orders_are_priced_in_a_stablecoin_with_a_deadline_ahead() {
    let mut f = online();
    let t = f.chain.time();
    let post = |price: &str, escrow: &str, deadline| {
        msgs::compute_post_order(
            SPEC,
            MODEL,
            1,
            &coin(price),
            deadline,
            Mode::BuyerConfirm,
            None,
            &coin(escrow),
            false,
        )
    };
    assert_code(
        &f.exec("dave", post("10ufrx", "10ufrx", t + HOUR)),
        "compute",
        2,
    );
    let share = format!("10share/{}", f.asset_id);
    assert_code(
        &f.exec("dave", post(&share, &share, t + HOUR)),
        "compute",
        2,
    );
    assert_code(&f.exec("dave", post("10uusd", "10uusd", t)), "compute", 17);
    assert_code(
        &f.exec("dave", post("10uusd", "10uusd", t + 365 * 24 * HOUR)),
        "compute",
        2,
    );
}

#[test]
fn redeemed_capacity_is_served_and_a_failure_slashes_the_bond_to_the_holder() {
    let mut f = online();
    let a = f.asset_id;
    let w = f.window_now() + 1;
    assert_ok(&f.exec("alice", msgs::compute_mint_capacity(a, w, 4)));
    let dave = f.chain.addr("dave");
    assert_ok(&f.exec(
        "alice",
        msgs::send(&dave, &fructus_test_utils::coins(&format!("4gpuh/{a}/{w}"))),
    ));
    let deadline = f.chain.time() + 3 * HOUR;
    let r = f.exec(
        "dave",
        msgs::compute_redeem_capacity(a, w, 3, SPEC, Mode::BuyerConfirm, None, deadline),
    );
    assert_ok(&r);
    let id: u64 = attr(&r, "compute.redeem_capacity", "order_id")
        .parse()
        .unwrap();
    assert_eq!(f.chain.balance(&dave, &format!("gpuh/{a}/{w}")), 1);
    let o = f.order(id);
    assert_eq!(
        (o.status, o.redeemed, o.hours),
        (OrderStatus::Accepted, true, 3)
    );
    // The provider disappears before the window; no result by the deadline.
    f.chain.advance_time(4 * HOUR);
    f.chain.block(vec![]);
    let r = f.receipt(id).unwrap();
    assert!(
        r.fault == Fault::ProviderOffline || r.fault == Fault::ProviderNoResult,
        "{r:?}"
    );
    assert_eq!(r.slashed.value(), BOND / 10);
}

#[test]
fn governance_alone_changes_compute_params_and_accepted_orders_keep_their_terms() {
    let mut f = online();
    let id = accepted(&mut f, 1, 100, Mode::BuyerConfirm, None);
    let snap = f.chain.app.snapshot().unwrap();
    assert_eq!(snap.compute_params().unwrap().slash_bps, 1_000);
    assert_eq!(f.order(id).slash_bps, 1_000);
    assert!(fructus_app::params::MODULES_WITH_PARAMS.contains(&"compute"));
}

#[test]
fn a_green_order_retires_recs_from_the_providers_holding_and_needs_enough_to_be_accepted() {
    use fructus_test_utils::REGULATOR;
    let mut f = Computed::unregistered();
    let (alice, regulator) = (f.chain.addr("alice"), f.chain.addr(REGULATOR));
    // alice, an accredited issuer, holds 2 RECs (1 MWh each) of batch 1.
    assert_ok(&f.exec(
        "alice",
        msgs::send(&regulator, &fructus_test_utils::coins("100000000ufrx")),
    ));
    assert_ok(&f.exec(
        REGULATOR,
        msgs::cert_accredit_issuer(&alice, "Alice Registry"),
    ));
    assert_ok(&f.exec(
        "alice",
        msgs::cert_create_class(1, "Solar REC", "I-REC v1.5", false),
    ));
    let batch = fructus_proto::certificate::v1::MsgIssueBatch {
        class_id: 1,
        project_id: "PV-PLANT-7".into(),
        location: "u33dc0".into(),
        vintage_start_ms: 1_767_225_600_000,
        vintage_end_ms: 1_798_761_599_000,
        serial_start: 1,
        quantity: 2,
        mint_now: 2,
        recipient: Default::default(),
        metadata_uri: "ipfs://bafy/pv-plant-7".into(),
        metadata_sha256: vec![9u8; 32].into(),
    };
    assert_ok(&f.exec("alice", msgs::cert_issue_batch(batch)));
    assert_ok(&f.exec(
        "alice",
        msgs::compute_register_provider(f.asset_id, MODEL, GPUS, 0, "1", BOND, None, 0),
    ));
    assert_ok(&f.heartbeat(GPUS));
    let green = |f: &mut Computed, hours: u64| {
        let deadline = f.chain.time() + 3 * HOUR;
        let r = f.exec(
            "dave",
            msgs::compute_post_order(
                SPEC,
                MODEL,
                hours,
                &coin("100uusd"),
                deadline,
                Mode::BuyerConfirm,
                None,
                &coin(&format!("{}uusd", hours * 100)),
                true,
            ),
        );
        assert_ok(&r);
        attr(&r, "compute.post_order", "order_id")
            .parse::<u64>()
            .unwrap()
    };
    let w = f.window_now();
    // 4 GPU-hours × 700 Wh = 2.8 kWh: 1 REC (rounded up). Two such orders
    // commit both RECs; a third finds none left.
    let a = green(&mut f, 4);
    assert_ok(&f.exec("alice", msgs::compute_accept_order(a, f.asset_id, w, 100)));
    let b = green(&mut f, 2);
    assert_ok(&f.exec("alice", msgs::compute_accept_order(b, f.asset_id, w, 100)));
    assert_eq!(f.provider().certificates_committed, 2);
    let c = green(&mut f, 1);
    assert_code(
        &f.exec("alice", msgs::compute_accept_order(c, f.asset_id, w, 100)),
        "compute",
        16,
    );

    assert_ok(&f.exec("alice", msgs::compute_submit_result(a, RESULT)));
    let r = f.exec("dave", msgs::compute_confirm_order(a));
    assert_ok(&r);
    let receipt = f.receipt(a).unwrap();
    assert_eq!(receipt.retirements.len(), 1);
    assert_eq!(
        attr(&r, "compute.settled", "retirements"),
        receipt.retirements[0].to_string()
    );
    assert!(
        r.events.iter().any(|e| e.kind.starts_with("cert")),
        "{:?}",
        r.events
    );
    assert_eq!(f.chain.balance(&alice, "cert/1"), 1);
    assert_eq!(f.chain.supply("cert/1"), 1);
    assert_eq!(f.provider().certificates_committed, 1);
    // A non-green provider cannot take a green order.
    let mut plain = online();
    let d = green(&mut plain, 1);
    let w = plain.window_now();
    assert_code(
        &plain.exec(
            "alice",
            msgs::compute_accept_order(d, plain.asset_id, w, 100),
        ),
        "compute",
        16,
    );
}

#[test]
fn a_refused_end_of_block_settlement_fails_only_that_order_and_is_retried_after_the_grace() {
    use fructus_test_utils::REGULATOR;
    let mut f = Computed::unregistered();
    let (alice, bob, regulator) = (
        f.chain.addr("alice"),
        f.chain.addr("bob"),
        f.chain.addr(REGULATOR),
    );
    assert_ok(&f.exec(
        "alice",
        msgs::send(&regulator, &fructus_test_utils::coins("100000000ufrx")),
    ));
    assert_ok(&f.exec(
        REGULATOR,
        msgs::cert_accredit_issuer(&alice, "Alice Registry"),
    ));
    assert_ok(&f.exec(
        "alice",
        msgs::cert_create_class(1, "Solar REC", "I-REC v1.5", false),
    ));
    let batch = fructus_proto::certificate::v1::MsgIssueBatch {
        class_id: 1,
        project_id: "PV-PLANT-7".into(),
        location: "u33dc0".into(),
        vintage_start_ms: 1_767_225_600_000,
        vintage_end_ms: 1_798_761_599_000,
        serial_start: 1,
        quantity: 1,
        mint_now: 1,
        recipient: Default::default(),
        metadata_uri: "ipfs://bafy/pv-plant-7".into(),
        metadata_sha256: vec![9u8; 32].into(),
    };
    assert_ok(&f.exec("alice", msgs::cert_issue_batch(batch)));
    assert_ok(&f.exec(
        "alice",
        msgs::compute_register_provider(f.asset_id, MODEL, GPUS, 0, "1", BOND, None, 0),
    ));
    assert_ok(&f.heartbeat(GPUS));
    let deadline = f.chain.time() + 3 * HOUR;
    let r = f.exec(
        "dave",
        msgs::compute_post_order(
            SPEC,
            MODEL,
            1,
            &coin("100uusd"),
            deadline,
            Mode::ChallengeWindow,
            Some(&bob),
            &coin("100uusd"),
            true,
        ),
    );
    let id: u64 = attr(&r, "compute.post_order", "order_id").parse().unwrap();
    let w = f.window_now();
    assert_ok(&f.exec("alice", msgs::compute_accept_order(id, f.asset_id, w, 100)));
    assert_ok(&f.exec("alice", msgs::compute_submit_result(id, RESULT)));
    // The operator parts with its REC; the challenge window lapses: the
    // completion is refused, the order and its escrow stay, the block goes on.
    assert_ok(&f.exec(
        "alice",
        msgs::send(&bob, &fructus_test_utils::coins("1cert/1")),
    ));
    f.chain.advance_time(HOUR);
    f.chain.block(vec![]);
    assert!(
        f.chain
            .block_events
            .iter()
            .any(|e| e.kind == "compute.settle_failed"),
        "{:?}",
        f.chain.block_events
    );
    assert_eq!(f.order(id).status, OrderStatus::Submitted);
    assert_eq!(f.chain.balance(&order_escrow(id), "uusd"), 100);
    // The REC comes back; a grace period later the settlement is retried.
    assert_ok(&f.exec(
        "bob",
        msgs::send(&alice, &fructus_test_utils::coins("1cert/1")),
    ));
    f.chain.advance_time(24 * HOUR);
    f.chain.block(vec![]);
    let receipt = f.receipt(id).unwrap();
    assert_eq!(
        (receipt.status, receipt.retirements.len()),
        (OrderStatus::Completed, 1)
    );
    assert_eq!(f.chain.supply("cert/1"), 0);
}
