//! `credit_income` cost against the number of shareholders: 10 vs 10,000
//! holders, set up through the state extension traits on a `StateDelta`
//! over real (temporary) storage, committed, then timed on a fresh overlay.
//! Run: `cargo bench -p fructus-asset --bench credit_income`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::time::Instant;

use fructus_asset::{AssetStateWriteExt, ClassSpec, income_escrow, share_denom};
use fructus_bank::BankStateWriteExt;
use fructus_storage::{StateDelta, Storage};
use fructus_types::{Address, Amount, Coin, Denom};

const PAYMENTS: u32 = 2_000;
const SHARES_EACH: u128 = 10;

fn holder(i: u32) -> Address {
    let mut b = [0u8; 20];
    b[..4].copy_from_slice(&i.to_be_bytes());
    b[19] = 0xAB;
    Address::from_bytes(b)
}

/// Returns nanoseconds per `credit_income` call with `holders` holders.
fn run(holders: u32) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut state = StateDelta::new(storage.latest_snapshot().unwrap());
    let owner = holder(u32::MAX);
    let class = state
        .create_class(
            &owner,
            ClassSpec {
                name: "bench".into(),
                manufacturer: "bench".into(),
                model: "b".into(),
                unit: "kWh".into(),
                metadata_uri: "ipfs://bench".into(),
                metadata_sha256: [0; 32],
                attestation_keys: Vec::new(),
            },
            1,
        )
        .unwrap();
    let asset = state
        .mint_asset(class, "SN", None, Vec::new(), &owner, 1)
        .unwrap();
    let total = u128::from(holders) * SHARES_EACH;
    state
        .fractionalize_asset(asset, Amount::new(total), 1)
        .unwrap();
    let share = share_denom(asset);
    let usd: Denom = "uusd".parse().unwrap();
    // Every holder receives its shares (settling through bank's hook) and
    // earns once, so each has a live checkpoint.
    state
        .mint(&income_escrow(asset), &Coin::new(usd.clone(), 1_000u128))
        .unwrap();
    state
        .credit_income(asset, &Coin::new(usd.clone(), 1_000u128))
        .unwrap();
    for i in 0..holders {
        state
            .transfer(&owner, &holder(i), &Coin::new(share.clone(), SHARES_EACH))
            .unwrap();
    }
    storage.commit(state.into_changes(), 0).unwrap();

    let mut state = StateDelta::new(storage.latest_snapshot().unwrap());
    let pay = Coin::new(usd.clone(), 1_234_567u128);
    state
        .mint(
            &income_escrow(asset),
            &Coin::new(usd, 1_234_567u128 * u128::from(PAYMENTS)),
        )
        .unwrap();
    let start = Instant::now();
    for _ in 0..PAYMENTS {
        state.credit_income(asset, &pay).unwrap();
    }
    let overlay = start.elapsed().as_nanos() as f64 / f64::from(PAYMENTS);
    // Also time one payment per committed block (state read from disk).
    storage.commit(state.into_changes(), 1).unwrap();
    let mut per_block = 0f64;
    let blocks = 50u64;
    for v in 2..2 + blocks {
        let mut state = StateDelta::new(storage.latest_snapshot().unwrap());
        let t = Instant::now();
        state.credit_income(asset, &pay).unwrap();
        per_block += t.elapsed().as_nanos() as f64;
        // Keep the escrow funded in the accounting sense is unnecessary:
        // credit_income moves nothing for a fractionalized asset.
        storage.commit(state.into_changes(), v).unwrap();
    }
    (overlay, per_block / blocks as f64)
}

fn main() {
    println!(
        "credit_income on a fractionalized asset ({PAYMENTS} payments on one overlay; 50 on committed state)"
    );
    println!(
        "{:>10} | {:>18} | {:>22}",
        "holders", "ns/call (overlay)", "ns/call (fresh block)"
    );
    println!("{:-<10}-+-{:-<18}-+-{:-<22}", "", "", "");
    for holders in [10u32, 10_000] {
        let (overlay, fresh) = run(holders);
        println!("{holders:>10} | {overlay:>18.0} | {fresh:>22.0}");
    }
}
