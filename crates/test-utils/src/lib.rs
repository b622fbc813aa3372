//! Test fixtures shared by every test suite: a chain on temporary storage
//! with funded, named keys, and helpers to build, sign and run blocks.
//!
//! Must never be a dependency of production crates (only `[dev-dependencies]`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;

use fructus_app::{App, AppState, BlockInfo, Genesis, TxResult};
use fructus_auth::{AuthGenesis, AuthStateReadExt};
use fructus_bank::{BankGenesis, BankStateReadExt, GenesisBalance};
use fructus_client::tx::TxBuilder;
use fructus_component::{Evidence, LastCommit};
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_storage::{RootHash, Storage};
use fructus_types::{BlockTime, Coin, Coins, Denom};
use tempfile::TempDir;

pub mod compute;
pub mod metering;
pub mod module;

/// Chain id used by fixtures.
pub const CHAIN_ID: &str = "fructus-test-1";
/// `ufrx` every named account starts with.
pub const INITIAL_UFRX: u128 = 1_000_000_000;
/// Genesis time of fixtures (2026-01-01T00:00:00Z) in ms.
pub const GENESIS_MS: u64 = 1_767_225_600_000;
/// The named accounts: three ed25519 users and one P-256 device-like key.
pub const NAMES: [(&str, KeyAlgo); 4] = [
    ("alice", KeyAlgo::Ed25519),
    ("bob", KeyAlgo::Ed25519),
    ("carol", KeyAlgo::Ed25519),
    ("dave", KeyAlgo::P256),
];

/// The genesis regulator of fixtures (not funded; see [`genesis`]).
pub const REGULATOR: &str = "regulator";

/// A deterministic key for `name` (seed = SHA-256 of the name).
pub fn key_for(name: &str, algo: KeyAlgo) -> SigningKey {
    SigningKey::from_seed(algo, &fructus_crypto::sha256(name.as_bytes()))
        .expect("seed is a valid scalar")
}

/// The fixture genesis: each named account funded with [`INITIAL_UFRX`].
pub fn genesis() -> Genesis {
    let balances = NAMES
        .iter()
        .map(|(name, algo)| GenesisBalance {
            address: key_for(name, *algo).public_key().address(),
            coins: Coins::new(vec![Coin::new(Denom::native(), INITIAL_UFRX)]).unwrap(),
        })
        .collect();
    Genesis {
        chain_id: CHAIN_ID.into(),
        genesis_time: "2026-01-01T00:00:00Z".into(),
        app_state: AppState {
            auth: AuthGenesis::default(),
            bank: BankGenesis {
                denoms: Vec::new(),
                balances,
            },
            // A regulator, and alice KYC'd as an enterprise (she creates
            // asset classes in the fixtures).
            identity: fructus_identity::IdentityGenesis {
                regulators: vec![key_for(REGULATOR, KeyAlgo::Ed25519).public_key().address()],
                attestations: vec![fructus_identity::GenesisAttestation {
                    subject: key_for("alice", KeyAlgo::Ed25519).public_key().address(),
                    provider: key_for(REGULATOR, KeyAlgo::Ed25519).public_key().address(),
                    level: 3,
                    expiry_height: 0,
                    expiry_time_ms: 0,
                    kyc_file_sha256: "11".repeat(32),
                }],
                ..Default::default()
            },
            ..AppState::default()
        },
    }
}

/// Adds a genesis validator operated by the named fixture account (which
/// must be funded and a regulator or KYC'd enterprise in `genesis`, like
/// `alice`), bonding `self_bond` ufrx, with a 10 % commission.
pub fn add_genesis_validator(
    genesis: &mut Genesis,
    operator: &str,
    consensus_key: fructus_crypto::PublicKey,
    self_bond: u128,
) {
    let algo = NAMES
        .iter()
        .find(|(n, _)| *n == operator)
        .map_or(KeyAlgo::Ed25519, |(_, a)| *a);
    genesis
        .app_state
        .staking
        .validators
        .push(fructus_staking::GenesisValidator {
            operator: key_for(operator, algo).public_key().address(),
            consensus_key,
            moniker: operator.to_owned(),
            self_bond: self_bond.into(),
            min_self_bond: 1.into(),
            commission_rate_bps: 1_000,
            commission_max_rate_bps: 2_000,
            commission_max_change_bps: 100,
        });
}

/// An app on a temporary directory, after genesis, with named keys.
pub struct TestChain {
    /// The app under test.
    pub app: App,
    dir: TempDir,
    keys: BTreeMap<String, SigningKey>,
    time: u64,
    /// Events of the last block's begin- and end-of-block hooks.
    pub block_events: Vec<fructus_component::Event>,
    /// Plan every block ([`App::plan_block`]) before executing it, as a
    /// validator does when asked to vote on it.
    pub plan_first: bool,
}

impl TestChain {
    /// The fixture chain.
    pub fn new() -> Self {
        Self::with_genesis(genesis())
    }

    /// A chain from a custom genesis (named keys still available).
    pub fn with_genesis(genesis: Genesis) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let mut app = App::new(storage).unwrap();
        app.init_genesis(&genesis).unwrap();
        let mut keys: BTreeMap<String, SigningKey> = NAMES
            .iter()
            .map(|(n, a)| ((*n).to_owned(), key_for(n, *a)))
            .collect();
        keys.insert(REGULATOR.to_owned(), key_for(REGULATOR, KeyAlgo::Ed25519));
        TestChain {
            app,
            dir,
            keys,
            time: GENESIS_MS,
            block_events: Vec::new(),
            plan_first: false,
        }
    }

    /// Drops the app and reopens it from disk (a node restart).
    pub fn restart(&mut self) {
        // The store is exclusively locked while open: close it first by
        // swapping in a throwaway app, then reopen the real directory.
        let scratch = tempfile::tempdir().unwrap();
        let placeholder = App::new(Storage::open(scratch.path()).unwrap()).unwrap();
        drop(std::mem::replace(&mut self.app, placeholder));
        self.app = App::new(Storage::open(self.dir.path()).unwrap()).unwrap();
    }

    /// Adds a named key (not funded).
    pub fn add_key(&mut self, name: &str, key: SigningKey) {
        self.keys.insert(name.to_owned(), key);
    }

    /// The key named `name`.
    pub fn key(&self, name: &str) -> &SigningKey {
        self.keys
            .get(name)
            .unwrap_or_else(|| panic!("no key named {name}"))
    }

    /// The address `name`'s key derives to.
    pub fn addr(&self, name: &str) -> Address {
        self.key(name).public_key().address()
    }

    /// Next nonce of `address` in committed state.
    pub fn nonce(&self, address: &Address) -> u64 {
        let snap = self.app.snapshot().unwrap();
        snap.account(address).unwrap().map_or(0, |a| a.nonce)
    }

    /// A builder for `name` with its committed nonce.
    pub fn tx(&self, name: &str) -> TxBuilder {
        TxBuilder::new(CHAIN_ID).nonce(self.nonce(&self.addr(name)))
    }

    /// Balance in committed state.
    pub fn balance(&self, address: &Address, denom: &str) -> u128 {
        let snap = self.app.snapshot().unwrap();
        snap.balance(address, &denom.parse().unwrap())
            .unwrap()
            .value()
    }

    /// Supply in committed state.
    pub fn supply(&self, denom: &str) -> u128 {
        let snap = self.app.snapshot().unwrap();
        snap.supply(&denom.parse().unwrap()).unwrap().value()
    }

    /// Runs a block of transactions at the next height, one second later.
    pub fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<TxResult> {
        self.block_with(txs, None, Vec::new())
    }

    /// Like [`TestChain::block`], with the previous block's commit signers
    /// and double-sign evidence that the node would put in the block.
    pub fn block_with(
        &mut self,
        txs: Vec<Vec<u8>>,
        last_commit: Option<LastCommit>,
        evidence: Vec<Evidence>,
    ) -> Vec<TxResult> {
        let height = self.app.height().unwrap() + 1;
        self.time += 1_000;
        let info = BlockInfo {
            height,
            time: BlockTime(self.time),
            last_commit,
            evidence,
        };
        if self.plan_first {
            self.app.plan_block(info.clone(), &txs).unwrap();
        }
        let outcome = self.app.execute_block(info, &txs).unwrap();
        self.block_events = outcome.block_events;
        outcome.results
    }

    /// Block time of the last block (ms).
    pub fn time(&self) -> u64 {
        self.time
    }

    /// Moves the block clock forward by `ms` (the next block is `ms` + 1 s
    /// after the last one).
    pub fn advance_time(&mut self, ms: u64) {
        self.time += ms;
    }

    /// Runs a block with one transaction and returns its result.
    pub fn run(&mut self, tx: Vec<u8>) -> TxResult {
        self.block(vec![tx]).pop().unwrap()
    }

    /// Current app hash.
    pub fn app_hash(&self) -> RootHash {
        self.app.app_hash().unwrap()
    }
}

impl Default for TestChain {
    fn default() -> Self {
        Self::new()
    }
}

/// Parses `"100ufrx,5uusd"`.
pub fn coins(s: &str) -> Coins {
    s.parse().unwrap()
}

/// Parses `"100ufrx"`.
pub fn coin(s: &str) -> Coin {
    s.parse().unwrap()
}

/// Asserts a result failed with `codespace` and `code`, with a readable
/// message on mismatch.
#[track_caller]
pub fn assert_code(result: &TxResult, codespace: &str, code: u32) {
    assert_eq!(
        (result.codespace.as_str(), result.code),
        (codespace, code),
        "unexpected result: {result:?}"
    );
}

/// Asserts success.
#[track_caller]
pub fn assert_ok(result: &TxResult) {
    assert!(
        result.is_ok(),
        "transaction failed: {}#{} {}",
        result.codespace,
        result.code,
        result.log
    );
}
