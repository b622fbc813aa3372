//! The genesis ceremony's checks: every gentx is verified (operator
//! signature, the consensus key's proof of possession, a funded operator,
//! no validator twice) and a node refuses a genesis other than the one
//! whose hash its config pins.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use base64::Engine as _;
use fructus_app::Genesis;
use fructus_client::tx::{
    TxBuilder,
    msgs::{self, CommissionBps},
};
use fructus_crypto::{KeyAlgo, SigningKey};
use fructus_node::{
    Home, NodeConfig, NodeError,
    ceremony::{CeremonyError, Gentx, base_genesis, collect_gentxs, genesis_sha256},
    home::{init_for_ceremony, install_genesis},
    node::load_pinned_genesis,
};
use fructus_types::{Coin, Coins, Denom};

const CHAIN: &str = "fx-ceremony";
const BOND: u128 = 10_000_000_000;

struct Validator {
    operator: SigningKey,
    consensus: SigningKey,
}

impl Validator {
    fn new() -> Self {
        Validator {
            operator: SigningKey::generate(KeyAlgo::Ed25519),
            consensus: SigningKey::generate(KeyAlgo::Ed25519),
        }
    }

    /// A gentx signed by `signer` whose proof of possession is made by
    /// `prover` for `proof_operator` on `proof_chain`.
    fn gentx_with(
        &self,
        chain: &str,
        signer: &SigningKey,
        prover: &SigningKey,
        proof_chain: &str,
        bond: u128,
    ) -> Gentx {
        let proof = msgs::consensus_key_proof(prover, proof_chain, &signer.public_key().address());
        let msg = msgs::staking_create_validator(
            &self.consensus.public_key(),
            &proof,
            "v",
            CommissionBps {
                rate: 1_000,
                max_rate: 2_000,
                max_change: 100,
            },
            1,
            bond,
        );
        let tx = TxBuilder::new(chain)
            .fee(Coin::new(Denom::native(), 0u128))
            .gas_limit(0)
            .message(msg)
            .sign(signer);
        Gentx {
            chain_id: chain.to_owned(),
            p2p_address: "127.0.0.1:26656".into(),
            tx: base64::engine::general_purpose::STANDARD.encode(tx),
        }
    }

    fn gentx(&self) -> Gentx {
        self.gentx_with(CHAIN, &self.operator, &self.consensus, CHAIN, BOND)
    }
}

/// A base genesis funding and making regulators of `validators`' operators.
fn base(validators: &[&Validator]) -> Genesis {
    let mut g = base_genesis(CHAIN).unwrap();
    for v in validators {
        let address = v.operator.public_key().address();
        g.app_state
            .bank
            .balances
            .push(fructus_bank::GenesisBalance {
                address,
                coins: Coins::new(vec![Coin::new(Denom::native(), BOND)]).unwrap(),
            });
        g.app_state.identity.regulators.push(address);
    }
    g
}

fn named(gentxs: Vec<Gentx>) -> Vec<(String, Gentx)> {
    gentxs
        .into_iter()
        .enumerate()
        .map(|(i, g)| (format!("gentx-{i}.json"), g))
        .collect()
}

#[test]
fn collected_gentxs_become_the_genesis_validators_and_the_genesis_runs() {
    let (a, b) = (Validator::new(), Validator::new());
    let collected = collect_gentxs(&base(&[&a, &b]), &named(vec![a.gentx(), b.gentx()])).unwrap();
    let validators = &collected.genesis.app_state.staking.validators;
    assert_eq!(validators.len(), 2);
    assert_eq!(validators[0].operator, a.operator.public_key().address());
    assert_eq!(validators[0].consensus_key, a.consensus.public_key());
    assert_eq!(validators[1].consensus_key, b.consensus.public_key());
    assert_eq!(collected.sha256, genesis_sha256(collected.json.as_bytes()));
    assert_eq!(
        Genesis::from_json(&collected.json).unwrap(),
        collected.genesis
    );
    // The app initializes from it (validators pass create_validator's checks).
    let dir = tempfile::tempdir().unwrap();
    let mut app =
        fructus_app::App::new(fructus_storage::Storage::open(dir.path()).unwrap()).unwrap();
    app.init_genesis(&collected.genesis).unwrap();
}

#[test]
fn a_gentx_without_proof_of_possession_of_its_consensus_key_is_refused() {
    let a = Validator::new();
    // The proof is signed by another key than the consensus key it names.
    let intruder = SigningKey::generate(KeyAlgo::Ed25519);
    let forged = a.gentx_with(CHAIN, &a.operator, &intruder, CHAIN, BOND);
    let err = collect_gentxs(&base(&[&a]), &named(vec![forged])).unwrap_err();
    assert!(matches!(err, CeremonyError::BadPossession { .. }), "{err}");
    // A proof made for another chain does not count here either.
    let replayed = a.gentx_with(CHAIN, &a.operator, &a.consensus, "other-chain", BOND);
    let err = collect_gentxs(&base(&[&a]), &named(vec![replayed])).unwrap_err();
    assert!(matches!(err, CeremonyError::BadPossession { .. }), "{err}");
}

#[test]
fn a_gentx_whose_operator_signature_fails_is_refused() {
    let a = Validator::new();
    let mut gentx = a.gentx();
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(&gentx.tx)
        .unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    gentx.tx = base64::engine::general_purpose::STANDARD.encode(bytes);
    let err = collect_gentxs(&base(&[&a]), &named(vec![gentx])).unwrap_err();
    assert!(matches!(err, CeremonyError::BadSignature { .. }), "{err}");
}

#[test]
fn a_gentx_for_another_chain_is_refused() {
    let a = Validator::new();
    let gentx = a.gentx_with(
        "other-chain",
        &a.operator,
        &a.consensus,
        "other-chain",
        BOND,
    );
    let err = collect_gentxs(&base(&[&a]), &named(vec![gentx])).unwrap_err();
    assert!(matches!(err, CeremonyError::WrongChain { .. }), "{err}");
}

#[test]
fn a_gentx_whose_operator_is_not_funded_for_its_bond_is_refused() {
    let a = Validator::new();
    let gentx = a.gentx_with(CHAIN, &a.operator, &a.consensus, CHAIN, BOND + 1);
    let err = collect_gentxs(&base(&[&a]), &named(vec![gentx])).unwrap_err();
    assert!(
        matches!(err, CeremonyError::Unfunded { have, need, .. } if have == BOND && need == BOND + 1),
        "{err}"
    );
    assert!(err.to_string().contains("genesis add-account"));
}

#[test]
fn one_validator_cannot_enter_genesis_twice() {
    let (a, b) = (Validator::new(), Validator::new());
    let err = collect_gentxs(&base(&[&a, &b]), &named(vec![a.gentx(), a.gentx()])).unwrap_err();
    assert!(matches!(err, CeremonyError::Duplicate { .. }), "{err}");
    // b reusing a's consensus key (with a's proof for b) is refused too.
    let stolen = Validator {
        operator: SigningKey::from_bytes(KeyAlgo::Ed25519, &*b.operator.secret_bytes()).unwrap(),
        consensus: SigningKey::from_bytes(KeyAlgo::Ed25519, &*a.consensus.secret_bytes()).unwrap(),
    };
    let err =
        collect_gentxs(&base(&[&a, &b]), &named(vec![a.gentx(), stolen.gentx()])).unwrap_err();
    assert!(
        matches!(&err, CeremonyError::Duplicate { what, .. } if what.starts_with("consensus key")),
        "{err}"
    );
    assert!(matches!(
        collect_gentxs(&base(&[&a]), &[]),
        Err(CeremonyError::NoGentxs)
    ));
}

#[test]
fn a_node_refuses_a_genesis_other_than_the_pinned_one() {
    let a = Validator::new();
    let collected = collect_gentxs(&base(&[&a]), &named(vec![a.gentx()])).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let home = Home::new(dir.path().join("home"));
    init_for_ceremony(&home, "v", NodeConfig::default()).unwrap();
    // Before install: a clear "no genesis yet".
    let config = NodeConfig::load(&home.config_file()).unwrap();
    assert!(matches!(
        load_pinned_genesis(&home, &config),
        Err(NodeError::NoGenesis { .. })
    ));
    // The install checks the published hash.
    let wrong = "00".repeat(32);
    assert!(matches!(
        install_genesis(&home, collected.json.as_bytes(), &wrong),
        Err(NodeError::GenesisMismatch { .. })
    ));
    install_genesis(&home, collected.json.as_bytes(), &collected.sha256).unwrap();
    let config = NodeConfig::load(&home.config_file()).unwrap();
    assert_eq!(config.genesis_sha256, collected.sha256);
    assert_eq!(
        load_pinned_genesis(&home, &config).unwrap(),
        collected.genesis
    );
    // One changed byte in genesis.json and the node will not start.
    let edited = collected.json.replacen("\"v\"", "\"w\"", 1);
    std::fs::write(home.genesis_file(), edited).unwrap();
    let err = load_pinned_genesis(&home, &config).unwrap_err();
    assert!(matches!(err, NodeError::GenesisMismatch { .. }), "{err}");
    assert!(err.to_string().contains(&collected.sha256), "{err}");
}

#[test]
fn a_gentx_with_a_peer_address_that_is_not_host_port_is_refused() {
    let a = Validator::new();
    let mut gentx = a.gentx();
    gentx.p2p_address = "val1.example.org\n\u{1b}[2J".into();
    let err = collect_gentxs(&base(&[&a]), &named(vec![gentx])).unwrap_err();
    assert!(matches!(err, CeremonyError::Malformed { .. }), "{err}");
}
