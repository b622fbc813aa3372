//! Parallel execution of a block gives, bit for bit, what sequential
//! execution gives (issue 20). Two chains from one genesis — the reference
//! executing blocks sequentially, the other in parallel — receive the same
//! blocks at the same times; after every block their transaction results
//! (codes, logs, gas, events, in order), block events and app hashes must
//! be equal. A property test runs random blocks mixing meter readings,
//! transfers, multi-sends, income claims and failures of every kind, in
//! order or shuffled; scenarios cover the hard cases (long per-device
//! reading chains paying shared accounts, transfer chains, a hot
//! recipient, a failure in the middle of a chain, an overspend after a
//! spend, a fee payer running out mid-block, a claim between the readings
//! that credit it) and also check the outcome itself, so both modes being
//! wrong the same way fails too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;

use fructus_app::{Execution, TxResult, fee_collector};
use fructus_asset::{AssetStateReadExt, income_escrow};
use fructus_bank::{BankError, GenesisBalance};
use fructus_client::{
    metering::{self as m, ContractTerms},
    tx::{TxBuilder, msgs},
};
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_metering::{Contract, Device as DeviceRecord, MeteringError, MeteringStateReadExt};
use fructus_proto::tx::v1::Message;
use fructus_test_utils::{
    CHAIN_ID, TestChain, assert_code, assert_ok, coin, coins, key_for,
    metering::{MANUFACTURER, attr},
};
use fructus_types::{Coin, Coins, Denom};
use proptest::prelude::*;

/// The fee every transaction here pays (default gas limit and price).
fn fee() -> u128 {
    TxBuilder::new(CHAIN_ID).effective_fee().amount.value()
}

fn ufrx(amount: u128) -> Coins {
    Coins::new(vec![Coin::new(Denom::native(), amount)]).unwrap()
}

/// Address of the Ed25519 fixture key named `name` (funded or not).
fn address(name: &str) -> Address {
    key_for(name, KeyAlgo::Ed25519).public_key().address()
}

/// Two chains from one genesis: `seq` executes blocks sequentially (the
/// reference), `par` in parallel after planning each (as a validator
/// does, so its ante pass comes from the plan). Transactions are built
/// against `seq`'s committed state (the two agree after every block).
struct Pair {
    seq: TestChain,
    par: TestChain,
}

impl Pair {
    /// The fixture genesis plus `funded` Ed25519 accounts holding the
    /// given ufrx.
    fn new(funded: &[(&str, u128)]) -> Self {
        let mut genesis = fructus_test_utils::genesis();
        for (name, amount) in funded {
            genesis.app_state.bank.balances.push(GenesisBalance {
                address: address(name),
                coins: ufrx(*amount),
            });
        }
        let chain = |execution| {
            let mut chain = TestChain::with_genesis(genesis.clone());
            chain.app.set_execution(execution);
            chain.plan_first = execution == Execution::Parallel;
            for (name, _) in funded {
                chain.add_key(name, key_for(name, KeyAlgo::Ed25519));
            }
            chain
        };
        let pair = Pair {
            seq: chain(Execution::Sequential),
            par: chain(Execution::Parallel),
        };
        assert_eq!(pair.seq.app_hash(), pair.par.app_hash(), "genesis differs");
        pair
    }

    /// Adds the fixture key named `name` to both chains.
    fn add_key(&mut self, name: &str, algo: KeyAlgo) {
        self.seq.add_key(name, key_for(name, algo));
        self.par.add_key(name, key_for(name, algo));
    }

    /// Runs `txs` as the next block of both chains (same height, same
    /// time) and asserts they agree on every transaction result, the
    /// block events and the app hash; returns the results.
    #[track_caller]
    fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<TxResult> {
        let height = self.seq.app.height().unwrap() + 1;
        let count = txs.len();
        let par = self.par.block(txs.clone());
        let seq = self.seq.block(txs);
        assert_eq!(self.seq.time(), self.par.time(), "block {height}: times");
        assert_eq!(seq.len(), count, "block {height}: one result per tx");
        assert_eq!(par.len(), count, "block {height}: one result per tx");
        for (i, (s, p)) in seq.iter().zip(&par).enumerate() {
            assert_eq!(
                s, p,
                "block {height}, tx {i}: sequential (left) and parallel (right) results differ"
            );
        }
        assert_eq!(
            self.seq.block_events, self.par.block_events,
            "block {height}: sequential (left) and parallel (right) block events differ"
        );
        assert_eq!(
            self.seq.app_hash(),
            self.par.app_hash(),
            "block {height}: sequential (left) and parallel (right) app hashes differ"
        );
        seq
    }

    /// Committed ufrx balance (the chains agree).
    fn ufrx(&self, address: &Address) -> u128 {
        self.seq.balance(address, "ufrx")
    }
}

/// Signs transactions for the next block: each account's nonces follow
/// its committed one in the order its transactions are signed.
struct Nonces<'a> {
    chain: &'a TestChain,
    next: BTreeMap<String, u64>,
}

impl<'a> Nonces<'a> {
    fn new(chain: &'a TestChain) -> Self {
        Nonces {
            chain,
            next: BTreeMap::new(),
        }
    }

    /// `name`'s next unused nonce in this block.
    fn peek(&mut self, name: &str) -> u64 {
        let chain = self.chain;
        *self
            .next
            .entry(name.to_owned())
            .or_insert_with(|| chain.nonce(&chain.addr(name)))
    }

    /// `msg` signed by `name` with `nonce`.
    fn sign_with(&self, name: &str, nonce: u64, msg: Message) -> Vec<u8> {
        TxBuilder::new(CHAIN_ID)
            .nonce(nonce)
            .message(msg)
            .sign(self.chain.key(name))
    }

    /// `msg` signed by `name` with its next nonce.
    fn sign(&mut self, name: &str, msg: Message) -> Vec<u8> {
        let nonce = self.peek(name);
        self.next.insert(name.to_owned(), nonce + 1);
        self.sign_with(name, nonce, msg)
    }
}

/// Units per second the bounded device class allows.
const BOUND: u64 = 100_000;
/// What the customer (dave) escrows in each contract.
const DEPOSIT: u128 = 10_000_000;

/// How one device of a fleet is set up.
#[derive(Debug, Clone, Copy)]
struct DeviceSpec {
    /// In the class with a plausibility bound of [`BOUND`] (else none).
    bounded: bool,
    /// Who grants the device its fees.
    granter: &'static str,
    /// Its contract's maintainer (paid 10 %), if any.
    maintainer: Option<&'static str>,
    /// Its asset split into 10,000 shares, alice 7,000 and bob 3,000 (else
    /// the income goes straight to the owner, alice).
    fractionalized: bool,
    /// The device key's algorithm.
    algo: KeyAlgo,
}

/// What devices sharing accounts have in common: the unbounded class,
/// alice's fee grant, 3 ufrx per 2 units with maintainer carol 10 % and the
/// platform 2 %, a fractionalized asset.
const SHARED: DeviceSpec = DeviceSpec {
    bounded: false,
    granter: "alice",
    maintainer: Some("carol"),
    fractionalized: true,
    algo: KeyAlgo::P256,
};

/// A device on its own: the bounded class, bob's fee grant, 1 ufrx per
/// unit with no maintainer and the platform 5 %, an asset not split.
const OWN: DeviceSpec = DeviceSpec {
    bounded: true,
    granter: "bob",
    maintainer: None,
    fractionalized: false,
    algo: KeyAlgo::Ed25519,
};

/// A registered device under an accepted, baselined contract.
#[derive(Debug, Clone)]
struct Device {
    /// Its key's name on both chains.
    name: String,
    address: Address,
    asset_id: u64,
    contract_id: u64,
    /// Who pays its fees (its granter).
    payer: Address,
    spec: DeviceSpec,
}

/// A pair of chains with a fleet of metered devices, every step of the
/// set-up itself run through both modes.
struct Fleet {
    pair: Pair,
    devices: Vec<Device>,
}

impl Fleet {
    /// Alice (the KYC'd owner) creates an unbounded and a bounded class,
    /// mints one asset per device, registers the device with the
    /// manufacturer's attestation, the granter grants its fees, alice opens
    /// a prepaid contract for customer dave, who accepts it with
    /// [`DEPOSIT`], and every device sends its baseline reading (sequence
    /// 1, counter 0). `funded` as in [`Pair::new`].
    fn new(specs: &[DeviceSpec], funded: &[(&str, u128)]) -> Self {
        let mut pair = Pair::new(funded);
        let manufacturer = key_for(MANUFACTURER, KeyAlgo::Ed25519);
        let keys: Vec<(String, SigningKey)> = specs
            .iter()
            .enumerate()
            .map(|(d, spec)| {
                let name = format!("device-{d}");
                let key = key_for(&name, spec.algo);
                (name, key)
            })
            .collect();
        for ((name, _), spec) in keys.iter().zip(specs) {
            pair.add_key(name, spec.algo);
        }

        let mut n = Nonces::new(&pair.seq);
        let class = |bounded: bool| {
            msgs::asset_create_class(
                if bounded { "Bounded meter" } else { "Meter" },
                "Acme",
                if bounded { "B-2" } else { "M-1" },
                "cooling-kWh",
                "ipfs://bafy/meter",
                [7; 32],
                &[manufacturer.public_key()],
            )
        };
        let txs = vec![n.sign("alice", class(false)), n.sign("alice", class(true))];
        let r = pair.block(txs);
        r.iter().for_each(assert_ok);
        let class_ids: Vec<u64> = r
            .iter()
            .map(|r| attr(r, "asset.create_class", "class_id").parse().unwrap())
            .collect();
        let class_of = |spec: &DeviceSpec| class_ids[usize::from(spec.bounded)];

        let serial = |d: usize| format!("SN-{d:04}");
        let mut n = Nonces::new(&pair.seq);
        let mut txs = vec![n.sign("alice", m::set_plausibility_bound(class_ids[1], BOUND))];
        for (d, spec) in specs.iter().enumerate() {
            let mint = msgs::asset_mint(class_of(spec), &serial(d), "", Vec::new(), None);
            txs.push(n.sign("alice", mint));
        }
        let r = pair.block(txs);
        r.iter().for_each(assert_ok);
        let asset_ids: Vec<u64> = r[1..]
            .iter()
            .map(|r| attr(r, "asset.mint", "asset_id").parse().unwrap())
            .collect();

        let alice = pair.seq.addr("alice");
        let (bob, dave) = (pair.seq.addr("bob"), pair.seq.addr("dave"));
        let mut n = Nonces::new(&pair.seq);
        let mut txs = Vec::new();
        for (d, (spec, (_, key))) in specs.iter().zip(&keys).enumerate() {
            let asset_id = asset_ids[d];
            if spec.fractionalized {
                txs.push(n.sign("alice", msgs::asset_fractionalize(asset_id, 10_000)));
                let shares = coins(&format!("3000share/{asset_id}"));
                txs.push(n.sign("alice", msgs::send(&bob, &shares)));
            }
            let attestation = m::attest(
                CHAIN_ID,
                &manufacturer,
                &key.public_key(),
                class_of(spec),
                &serial(d),
            );
            let consent = m::registration_consent(CHAIN_ID, key, asset_id, &alice);
            txs.push(n.sign(
                "alice",
                m::register_device(
                    asset_id,
                    &key.public_key(),
                    &serial(d),
                    &attestation,
                    0,
                    &consent,
                ),
            ));
            let device = key.public_key().address();
            let grant = msgs::grant_fee(&device, &coins("100000000ufrx"), 0, &[]);
            txs.push(n.sign(spec.granter, grant));
            txs.push(n.sign("alice", m::open_contract(asset_id, &dave, &terms(spec))));
        }
        let r = pair.block(txs);
        r.iter().for_each(assert_ok);
        let contract_ids: Vec<u64> = r
            .iter()
            .filter(|r| r.events.iter().any(|e| e.kind == "metering.open_contract"))
            .map(|r| {
                attr(r, "metering.open_contract", "contract_id")
                    .parse()
                    .unwrap()
            })
            .collect();

        let mut n = Nonces::new(&pair.seq);
        let deposit = coin(&format!("{DEPOSIT}ufrx"));
        let txs = contract_ids
            .iter()
            .map(|id| n.sign("dave", m::accept_contract(*id, Some(&deposit))))
            .collect();
        pair.block(txs).iter().for_each(assert_ok);

        let devices: Vec<Device> = specs
            .iter()
            .zip(keys)
            .enumerate()
            .map(|(d, (spec, (name, key)))| Device {
                name,
                address: key.public_key().address(),
                asset_id: asset_ids[d],
                contract_id: contract_ids[d],
                payer: pair.seq.addr(spec.granter),
                spec: *spec,
            })
            .collect();
        let mut fleet = Fleet { pair, devices };
        let time = fleet.pair.seq.time();
        let txs = (0..fleet.devices.len())
            .map(|d| fleet.reading(d, 1, 0, time))
            .collect();
        fleet.pair.block(txs).iter().for_each(assert_ok);
        fleet
    }

    /// A nonceless reading of device `d`, its fee paid by its granter.
    fn reading(&self, d: usize, sequence: u64, counter: u64, time_ms: u64) -> Vec<u8> {
        let device = &self.devices[d];
        TxBuilder::new(CHAIN_ID)
            .nonce(0)
            .payer(device.payer)
            .message(m::submit_reading(
                &device.address,
                sequence,
                counter,
                time_ms,
                0,
            ))
            .sign(self.pair.seq.key(&device.name))
    }

    fn device_record(&self, d: usize) -> DeviceRecord {
        let snap = self.pair.seq.app.snapshot().unwrap();
        snap.require_device(&self.devices[d].address).unwrap()
    }

    fn contract_record(&self, d: usize) -> Contract {
        let snap = self.pair.seq.app.snapshot().unwrap();
        snap.require_contract(self.devices[d].contract_id).unwrap()
    }

    /// What device `d`'s asset has credited to its shareholders, in ufrx.
    fn credited_to_shares(&self, d: usize) -> u128 {
        let snap = self.pair.seq.app.snapshot().unwrap();
        snap.income_totals(self.devices[d].asset_id)
            .unwrap()
            .iter()
            .filter(|t| t.denom.as_str() == "ufrx")
            .map(|t| t.credited_to_shares.value())
            .sum()
    }

    /// The fractionalized assets (whose income holders claim).
    fn fractionalized_assets(&self) -> Vec<u64> {
        self.devices
            .iter()
            .filter(|d| d.spec.fractionalized)
            .map(|d| d.asset_id)
            .collect()
    }
}

/// The contract terms of a device spec (see [`SHARED`] and [`OWN`]).
fn terms(spec: &DeviceSpec) -> ContractTerms {
    let mut t = if spec.bounded {
        ContractTerms::prepaid(coin("1ufrx"), 1)
    } else {
        ContractTerms::prepaid(coin("3ufrx"), 2)
    };
    if let Some(name) = spec.maintainer {
        t.maintainer = Some(key_for(name, KeyAlgo::Ed25519).public_key().address());
        t.maintainer_bps = 1_000;
    }
    t.platform_bps = if spec.bounded { 500 } else { 200 };
    t
}

// ---------------------------------------------------------------------------
// The property: random blocks.

/// Accounts that sign transfers (all funded).
const SENDERS: [&str; 6] = ["alice", "bob", "carol", "s0", "s1", "s2"];
/// Accounts that receive transfers: the senders and two shared, unfunded
/// recipients.
const RECIPIENTS: [&str; 8] = ["alice", "bob", "carol", "s0", "s1", "s2", "r0", "r1"];
/// An account holding less than one fee.
const POOR: &str = "poor";
/// The granter of the fleet's last device, funded for a few of its fees
/// only: once spent, a reading succeeds only if a send earlier in its
/// block refilled it.
const LEAN: &str = "lean";
/// The property test's fleet: four devices sharing alice's grant,
/// maintainer carol and the platform, two on their own (the last one
/// granted by [`LEAN`]).
const FLEET: [DeviceSpec; 6] = [
    SHARED,
    SHARED,
    SHARED,
    SHARED,
    OWN,
    DeviceSpec {
        granter: LEAN,
        ..OWN
    },
];

/// One random step of a block (indices are taken modulo what they pick
/// from).
#[derive(Debug, Clone)]
enum Op {
    /// The device's next reading, `units` above its counter.
    Read { device: usize, units: u64 },
    /// A reading reusing the device's last sequence.
    Replay { device: usize },
    /// A reading of a bounded device far above what its bound allows.
    Implausible { device: usize },
    /// A transfer.
    Send { from: usize, to: usize, amount: u64 },
    /// `a` pays `b`, then `b` passes the same amount on to `c`.
    Relay {
        a: usize,
        b: usize,
        c: usize,
        amount: u64,
    },
    /// A send of one more than the sender held at the last block.
    Overspend { from: usize },
    /// A send with a nonce ahead of the sender's, or one already used.
    WrongNonce { from: usize, ahead: bool },
    /// The same signed bytes as an earlier transaction of the block.
    Repeat { of: prop::sample::Index },
    /// A send by the account that cannot afford its fee (unless funded
    /// earlier in the block).
    Unaffordable,
    /// Sends a little more than one fee to the poor account or to the
    /// lean granter.
    Refill { from: usize, lean: bool },
    /// A multi-send to several recipients.
    MultiSend {
        from: usize,
        outputs: Vec<(usize, u64)>,
    },
    /// A holder (alice or bob) claims the income of every split asset.
    Claim { bob: bool },
}

fn op() -> impl Strategy<Value = Op> {
    let sender = 0..SENDERS.len();
    let recipient = 0..RECIPIENTS.len();
    prop_oneof![
        10 => (0..FLEET.len(), 0u64..400).prop_map(|(device, units)| Op::Read { device, units }),
        1 => (0..FLEET.len()).prop_map(|device| Op::Replay { device }),
        1 => (0..FLEET.len()).prop_map(|device| Op::Implausible { device }),
        5 => (sender.clone(), recipient.clone(), 1u64..3_000_000)
            .prop_map(|(from, to, amount)| Op::Send { from, to, amount }),
        2 => (sender.clone(), sender.clone(), recipient.clone(), 1u64..3_000_000)
            .prop_map(|(a, b, c, amount)| Op::Relay { a, b, c, amount }),
        1 => sender.clone().prop_map(|from| Op::Overspend { from }),
        1 => (sender.clone(), any::<bool>()).prop_map(|(from, ahead)| Op::WrongNonce { from, ahead }),
        1 => any::<prop::sample::Index>().prop_map(|of| Op::Repeat { of }),
        1 => Just(Op::Unaffordable),
        1 => (sender.clone(), any::<bool>()).prop_map(|(from, lean)| Op::Refill { from, lean }),
        1 => (sender, prop::collection::vec((recipient, 1u64..100_000), 1..4))
            .prop_map(|(from, outputs)| Op::MultiSend { from, outputs }),
        1 => any::<bool>().prop_map(|bob| Op::Claim { bob }),
    ]
}

/// A block: its steps and, when `Some`, the seed of a shuffle of the
/// signed transactions.
fn block_plan() -> impl Strategy<Value = (Vec<Op>, Option<u64>)> {
    (prop::collection::vec(op(), 1..60), any::<Option<u64>>())
}

/// Fisher-Yates with a splitmix64 stream seeded by `seed`.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let j = usize::try_from(z % (i as u64 + 1)).unwrap();
        items.swap(i, j);
    }
}

/// Signs the block `ops` describe against the committed state: readings
/// continue each device's sequence and counter (timed a few ms apart
/// after the last block, so a bounded device's bound is respected), sends
/// use each sender's next nonce.
fn build_block(fleet: &Fleet, ops: &[Op], shuffle_seed: Option<u64>) -> Vec<Vec<u8>> {
    let chain = &fleet.pair.seq;
    let mut n = Nonces::new(chain);
    let mut cursor: Vec<(u64, u64)> = (0..fleet.devices.len())
        .map(|d| {
            let record = fleet.device_record(d);
            (record.last_sequence + 1, record.counter)
        })
        .collect();
    let bounded: Vec<usize> = (0..fleet.devices.len())
        .filter(|d| fleet.devices[*d].spec.bounded)
        .collect();
    let base_ms = chain.time();
    let send = |to: &str, amount: u128| msgs::send(&chain.addr(to), &ufrx(amount));
    let mut txs: Vec<Vec<u8>> = Vec::new();
    for op in ops {
        let time_ms = base_ms + 1 + 5 * txs.len() as u64;
        match op {
            Op::Read { device, units } => {
                let d = device % cursor.len();
                let (sequence, counter) = cursor[d];
                cursor[d] = (sequence + 1, counter + units);
                txs.push(fleet.reading(d, sequence, counter + units, time_ms));
            }
            Op::Replay { device } => {
                let d = device % cursor.len();
                let (sequence, counter) = cursor[d];
                txs.push(fleet.reading(d, sequence - 1, counter + 1, time_ms));
            }
            Op::Implausible { device } => {
                let d = bounded[device % bounded.len()];
                let (sequence, counter) = cursor[d];
                txs.push(fleet.reading(d, sequence, counter + 100 * BOUND, time_ms));
            }
            Op::Send { from, to, amount } => {
                txs.push(n.sign(SENDERS[*from], send(RECIPIENTS[*to], u128::from(*amount))));
            }
            Op::Relay { a, b, c, amount } => {
                txs.push(n.sign(SENDERS[*a], send(SENDERS[*b], u128::from(*amount))));
                txs.push(n.sign(SENDERS[*b], send(RECIPIENTS[*c], u128::from(*amount))));
            }
            Op::Overspend { from } => {
                let held = chain.balance(&chain.addr(SENDERS[*from]), "ufrx");
                txs.push(n.sign(SENDERS[*from], send("r0", held + 1)));
            }
            Op::WrongNonce { from, ahead } => {
                let name = SENDERS[*from];
                let next = n.peek(name);
                let nonce = if *ahead || next == 0 {
                    next + 2
                } else {
                    next - 1
                };
                txs.push(n.sign_with(name, nonce, send("r1", 1)));
            }
            Op::Repeat { of } => {
                if !txs.is_empty() {
                    let copy = txs[of.index(txs.len())].clone();
                    txs.push(copy);
                }
            }
            Op::Unaffordable => txs.push(n.sign(POOR, send("r0", 1))),
            Op::Refill { from, lean } => {
                let to = if *lean { LEAN } else { POOR };
                txs.push(n.sign(SENDERS[*from], send(to, fee() + 7)));
            }
            Op::MultiSend { from, outputs } => {
                let outputs: Vec<(Address, Coins)> = outputs
                    .iter()
                    .map(|(to, amount)| (chain.addr(RECIPIENTS[*to]), ufrx(u128::from(*amount))))
                    .collect();
                txs.push(n.sign(SENDERS[*from], msgs::multi_send(&outputs)));
            }
            Op::Claim { bob } => {
                let holder = if *bob { "bob" } else { "alice" };
                let assets = fleet.fractionalized_assets();
                txs.push(n.sign(holder, msgs::asset_claim_income(&assets)));
            }
        }
    }
    if let Some(seed) = shuffle_seed {
        shuffle(&mut txs, seed);
    }
    txs
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 128,
        .. ProptestConfig::default()
    })]

    #[test]
    fn parallel_and_sequential_execution_give_the_same_results_and_app_hash(
        blocks in prop::collection::vec(block_plan(), 2..=4),
    ) {
        // The lean granter pays its grant, the baseline reading and ten
        // more fees.
        let funded = [
            ("s0", 5_000_000),
            ("s1", 5_000_000),
            ("s2", 5_000_000),
            (POOR, fee() / 2),
            (LEAN, 12 * fee()),
        ];
        let mut fleet = Fleet::new(&FLEET, &funded);
        for name in ["r0", "r1"] {
            fleet.pair.add_key(name, KeyAlgo::Ed25519);
        }
        let mut succeeded = 0usize;
        for (ops, seed) in &blocks {
            let txs = build_block(&fleet, ops, *seed);
            // Pair::block compares results, block events and app hash.
            let results = fleet.pair.block(txs);
            succeeded += results.iter().filter(|r| r.is_ok()).count();
        }
        // The blocks did something (not only refusals).
        prop_assert!(succeeded > 0);
    }
}

// ---------------------------------------------------------------------------
// Scenarios for the hard cases, with their expected outcome.

#[test]
fn ten_devices_reading_twenty_times_in_one_block_all_pay_the_exact_splits() {
    let mut fleet = Fleet::new(&[SHARED; 10], &[]);
    let (alice, carol) = (fleet.pair.seq.addr("alice"), fleet.pair.seq.addr("carol"));
    let alice_before = fleet.pair.ufrx(&alice);
    let carol_before = fleet.pair.ufrx(&carol);
    let collector_before = fleet.pair.ufrx(&fee_collector());
    let base_ms = fleet.pair.seq.time();
    // Round-robin: reading r of device d is sequence r + 1 (1 was the
    // baseline) at counter r·100·(d + 1), so each charges 150·(d + 1).
    let mut txs = Vec::new();
    for r in 1..=20u64 {
        for d in 0..10u64 {
            let counter = r * 100 * (d + 1);
            txs.push(fleet.reading(d as usize, r + 1, counter, base_ms + r));
        }
    }
    let stats_before = fleet.pair.par.app.parallel_stats();
    let results = fleet.pair.block(txs);
    assert_eq!(results.len(), 200);
    results.iter().for_each(assert_ok);
    // The parallel chain really ran both passes (ante, messages) in
    // groups, one per device, with no conflict: the shared maintainer,
    // platform, fee collector and fee payer are counters moved blind. Its
    // ante pass was the plan's.
    let stats = fleet.pair.par.app.parallel_stats().since(stats_before);
    assert_eq!(stats.plans_reused, 1, "{stats:?}");
    let stats = fleet.pair.par.app.parallel_stats();
    assert_eq!(stats.parallel - stats_before.parallel, 2, "{stats:?}");
    assert_eq!(stats.fell_back, stats_before.fell_back, "{stats:?}");
    assert_eq!(stats.groups_run - stats_before.groups_run, 20, "{stats:?}");
    assert_eq!(stats.txs_rerun, stats_before.txs_rerun, "{stats:?}");

    // Per reading of device d: 150·k charged (k = d + 1), maintainer
    // 10 % = 15·k, platform 2 % = 3·k, shareholders 132·k.
    let sum_k: u128 = (1..=10).sum();
    let fee = fee();
    assert_eq!(fleet.pair.ufrx(&carol) - carol_before, 20 * 15 * sum_k);
    assert_eq!(
        fleet.pair.ufrx(&fee_collector()) - collector_before,
        200 * fee + 20 * 3 * sum_k,
        "200 fees and the platform's 2 %"
    );
    assert_eq!(
        alice_before - fleet.pair.ufrx(&alice),
        200 * fee,
        "alice's grant paid every fee"
    );
    for d in 0..10 {
        let k = d as u128 + 1;
        let record = fleet.device_record(d);
        assert_eq!(
            (record.last_sequence, record.counter, record.readings),
            (21, 2_000 * (d as u64 + 1), 21)
        );
        let c = fleet.contract_record(d);
        assert_eq!(c.collected.value(), 20 * 150 * k);
        assert_eq!(c.paid_maintainer.value(), 20 * 15 * k);
        assert_eq!(c.paid_platform.value(), 20 * 3 * k);
        assert_eq!(c.paid_shareholders.value(), 20 * 132 * k);
        assert_eq!(fleet.credited_to_shares(d), 20 * 132 * k);
        let asset_id = fleet.devices[d].asset_id;
        assert_eq!(fleet.pair.ufrx(&income_escrow(asset_id)), 20 * 132 * k);
        let escrow = fructus_metering::contract_escrow(fleet.devices[d].contract_id);
        assert_eq!(fleet.pair.ufrx(&escrow), DEPOSIT - 20 * 150 * k);
    }
}

#[test]
fn a_transfer_chain_in_one_block_sees_every_earlier_transfer() {
    let (fee, x) = (fee(), 1_000_000u128);
    // b and c hold only their two fees: each send of x succeeds only
    // because the one before it in the block paid them x; a's second send
    // only because c paid x back.
    let mut pair = Pair::new(&[("ta", 2 * fee + x), ("tb", 2 * fee), ("tc", 2 * fee)]);
    let (a, b, c) = (address("ta"), address("tb"), address("tc"));
    let collector_before = pair.ufrx(&fee_collector());
    let mut n = Nonces::new(&pair.seq);
    let mut txs = Vec::new();
    for _ in 0..2 {
        txs.push(n.sign("ta", msgs::send(&b, &ufrx(x))));
        txs.push(n.sign("tb", msgs::send(&c, &ufrx(x))));
        txs.push(n.sign("tc", msgs::send(&a, &ufrx(x))));
    }
    let results = pair.block(txs);
    results.iter().for_each(assert_ok);
    assert_eq!((pair.ufrx(&a), pair.ufrx(&b), pair.ufrx(&c)), (x, 0, 0));
    assert_eq!(pair.ufrx(&fee_collector()) - collector_before, 6 * fee);
    for account in [a, b, c] {
        assert_eq!(pair.seq.nonce(&account), 2);
    }
}

#[test]
fn two_senders_paying_one_recipient_many_times_all_arrive() {
    let fee = fee();
    let mut pair = Pair::new(&[("s0", 10_000_000), ("s1", 10_000_000)]);
    let (s0, s1, r0) = (address("s0"), address("s1"), address("r0"));
    let mut n = Nonces::new(&pair.seq);
    let mut txs = Vec::new();
    for i in 0..30u128 {
        txs.push(n.sign("s0", msgs::send(&r0, &ufrx(100 + i))));
        txs.push(n.sign("s1", msgs::send(&r0, &ufrx(1_000 + i))));
    }
    let stats_before = pair.par.app.parallel_stats();
    let results = pair.block(txs);
    results.iter().for_each(assert_ok);
    // Both passes ran as two groups with no conflict: the sends debit and
    // credit balances as counters (`bank/send` does not read the sender's
    // balance before its transfer), so the shared recipient and the fee
    // collector do not serialize them.
    let stats = pair.par.app.parallel_stats();
    assert_eq!(stats.parallel - stats_before.parallel, 2, "{stats:?}");
    assert_eq!(stats.groups_run - stats_before.groups_run, 4, "{stats:?}");
    assert_eq!(stats.txs_rerun, stats_before.txs_rerun, "{stats:?}");
    assert_eq!(stats.fell_back, stats_before.fell_back, "{stats:?}");
    let (sent0, sent1): (u128, u128) = (
        (0..30).map(|i| 100 + i).sum(),
        (0..30).map(|i| 1_000 + i).sum(),
    );
    assert_eq!(pair.ufrx(&r0), sent0 + sent1);
    assert_eq!(pair.ufrx(&s0), 10_000_000 - 30 * fee - sent0);
    assert_eq!(pair.ufrx(&s1), 10_000_000 - 30 * fee - sent1);
    assert_eq!((pair.seq.nonce(&s0), pair.seq.nonce(&s1)), (30, 30));
}

#[test]
fn a_replayed_reading_in_the_middle_fails_alone_and_the_chain_goes_on() {
    let mut fleet = Fleet::new(&[SHARED; 2], &[]);
    let alice = fleet.pair.seq.addr("alice");
    let alice_before = fleet.pair.ufrx(&alice);
    let base_ms = fleet.pair.seq.time();
    // Both devices read sequences 2..=11, 100 units each, interleaved;
    // after device 0's sequence 6 it sends sequence 6 again.
    let mut txs = Vec::new();
    for seq in 2..=11u64 {
        for d in 0..2 {
            txs.push(fleet.reading(d, seq, (seq - 1) * 100, base_ms + seq));
        }
        if seq == 6 {
            txs.push(fleet.reading(0, 6, 999_999, base_ms + seq));
        }
    }
    let replay = 10;
    let results = fleet.pair.block(txs);
    assert_eq!(results.len(), 21);
    for (i, r) in results.iter().enumerate() {
        if i == replay {
            assert_code(r, "metering", MeteringError::READING_REPLAYED);
        } else {
            assert_ok(r);
        }
    }
    assert_eq!(
        alice_before - fleet.pair.ufrx(&alice),
        21 * fee(),
        "the replay paid its fee too"
    );
    for d in 0..2 {
        let record = fleet.device_record(d);
        assert_eq!(
            (record.last_sequence, record.counter, record.readings),
            (11, 1_000, 11)
        );
        // 10 readings of 100 units at 3 per 2: 1,500 collected.
        let c = fleet.contract_record(d);
        assert_eq!(c.collected.value(), 1_500);
        assert_eq!(fleet.credited_to_shares(d), 10 * 132);
    }
}

#[test]
fn a_second_send_that_overspends_after_the_first_fails_alone() {
    let fee = fee();
    // 3 fees and 1,000: after sending 800, 200 is left — 500 is too much,
    // 100 is not.
    let mut pair = Pair::new(&[("spender", 3 * fee + 1_000), ("other", 10_000_000)]);
    let (spender, r0) = (address("spender"), address("r0"));
    let mut n = Nonces::new(&pair.seq);
    let txs = vec![
        n.sign("spender", msgs::send(&r0, &ufrx(800))),
        n.sign("other", msgs::send(&r0, &ufrx(5))),
        n.sign("spender", msgs::send(&r0, &ufrx(500))),
        n.sign("spender", msgs::send(&r0, &ufrx(100))),
        n.sign("other", msgs::send(&spender, &ufrx(1))),
    ];
    let results = pair.block(txs);
    assert_ok(&results[0]);
    assert_ok(&results[1]);
    assert_code(&results[2], "bank", BankError::INSUFFICIENT_FUNDS);
    assert_ok(&results[3]);
    assert_ok(&results[4]);
    assert_eq!(pair.ufrx(&spender), 100 + 1);
    assert_eq!(pair.ufrx(&r0), 800 + 5 + 100);
    assert_eq!(
        pair.seq.nonce(&spender),
        3,
        "the failed send used its nonce"
    );
}

#[test]
fn a_granter_that_runs_out_pays_the_first_readings_in_block_order_only() {
    let fee = fee();
    // Granter g pays for three devices' readings: after its three grant
    // transactions and the three baseline readings it can afford five
    // reading fees and half of a sixth.
    let g = DeviceSpec {
        granter: "g",
        ..SHARED
    };
    let mut fleet = Fleet::new(&[g; 3], &[("g", 6 * fee + 5 * fee + fee / 2)]);
    let granter = address("g");
    assert_eq!(fleet.pair.ufrx(&granter), 5 * fee + fee / 2);
    let base_ms = fleet.pair.seq.time();
    // Round-robin, three readings per device (sequences 2..=4): the
    // devices' state is disjoint, only the payer is shared.
    let mut txs = Vec::new();
    for seq in 2..=4u64 {
        for d in 0..3 {
            txs.push(fleet.reading(d, seq, (seq - 1) * 100, base_ms + seq));
        }
    }
    let stats_before = fleet.pair.par.app.parallel_stats();
    let results = fleet.pair.block(txs);
    for r in &results[..5] {
        assert_ok(r);
    }
    for r in &results[5..] {
        assert_code(r, "tx", fructus_app::TxCheckError::INSUFFICIENT_FEE);
    }
    // The granter's blind debits did not fit its balance together, so the
    // ante pass made that counter strict and ran its groups again, in
    // block order between them: no fallback to a sequential pass.
    let stats = fleet.pair.par.app.parallel_stats();
    assert!(stats.txs_rerun > stats_before.txs_rerun, "{stats:?}");
    assert_eq!(stats.fell_back, stats_before.fell_back, "{stats:?}");
    assert_eq!(fleet.pair.ufrx(&granter), fee / 2);
    let sequences: Vec<u64> = (0..3)
        .map(|d| fleet.device_record(d).last_sequence)
        .collect();
    assert_eq!(sequences, [3, 3, 2], "positions 0-4 ran, 5-8 were refused");
}

#[test]
fn an_income_claim_between_readings_pays_what_was_credited_before_it() {
    let fee = fee();
    let mut fleet = Fleet::new(&[SHARED], &[]);
    let (alice, bob) = (fleet.pair.seq.addr("alice"), fleet.pair.seq.addr("bob"));
    let (alice_before, bob_before) = (fleet.pair.ufrx(&alice), fleet.pair.ufrx(&bob));
    let asset_id = fleet.devices[0].asset_id;
    let base_ms = fleet.pair.seq.time();
    // Ten readings of 100 units (132 ufrx to the shareholders each); bob
    // (3,000 of 10,000 shares) claims after the fifth, alice (7,000)
    // after the tenth.
    let mut n = Nonces::new(&fleet.pair.seq);
    let mut txs = Vec::new();
    for seq in 2..=11u64 {
        txs.push(fleet.reading(0, seq, (seq - 1) * 100, base_ms + seq));
        if seq == 6 {
            txs.push(n.sign("bob", msgs::asset_claim_income(&[asset_id])));
        }
    }
    txs.push(n.sign("alice", msgs::asset_claim_income(&[asset_id])));
    let results = fleet.pair.block(txs);
    results.iter().for_each(assert_ok);
    assert_eq!(
        attr(&results[5], "asset.income_claimed", "amount"),
        "198ufrx"
    );
    assert_eq!(
        attr(&results[11], "asset.income_claimed", "amount"),
        "924ufrx"
    );
    // Bob: 30 % of 5 × 132; alice: 70 % of 10 × 132, less her fees (her
    // grant paid the ten readings).
    assert_eq!(fleet.pair.ufrx(&bob), bob_before + 198 - fee);
    assert_eq!(fleet.pair.ufrx(&alice), alice_before + 924 - 11 * fee);
    let snap = fleet.pair.seq.app.snapshot().unwrap();
    let pending = snap.pending_income(asset_id, &bob).unwrap();
    assert_eq!(pending.first().map(|c| c.amount.value()), Some(198));
}
