//! Module params change only through the one governance-gated path
//! (`fructus_app::params::update_params`), only to values the module
//! validates; genesis params pass the same validation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use fructus_amm::{AmmError, AmmParams, AmmStateReadExt};
use fructus_app::{App, AppError, params::update_params};
use fructus_auth::{AuthParams, AuthStateReadExt};
use fructus_component::{ErrorCode, ParamsError, TxError, governance_authority};
use fructus_staking::{StakingError, StakingParams, StakingStateReadExt};
use fructus_storage::{ChangeSet, StateDelta, Storage};
use fructus_test_utils::{TestChain, genesis};

/// Runs the app's dispatch on an overlay of the fixture chain's state.
fn change(
    chain: &TestChain,
    module: &str,
    authority: fructus_types::Address,
    json: &str,
) -> (
    StateDelta,
    Vec<fructus_component::Event>,
    Result<(), TxError>,
) {
    let mut state = StateDelta::new(chain.app.snapshot().unwrap());
    let mut events = Vec::new();
    let result = update_params(&mut state, module, authority, json.as_bytes(), &mut events)
        .expect("no storage fault");
    (state, events, result)
}

fn code_of<E: ErrorCode>(e: &E) -> (String, u32) {
    (e.codespace().to_owned(), e.code())
}

fn codes(err: Result<(), TxError>) -> (String, u32) {
    let e = err.expect_err("refused");
    (e.codespace, e.code)
}

fn auth_json(edit: impl FnOnce(&mut AuthParams)) -> String {
    let mut p = AuthParams::default();
    edit(&mut p);
    serde_json::to_string(&p).unwrap()
}

#[test]
fn an_authority_other_than_governance_is_refused_and_nothing_changes() {
    let chain = TestChain::new();
    let before = chain.app.snapshot().unwrap().auth_params().unwrap();
    let json = auth_json(|p| p.max_memo_bytes = 512);
    for authority in [
        chain.addr("alice"),
        fructus_types::Address::module("staking"),
    ] {
        let (state, events, result) = change(&chain, "auth", authority, &json);
        let not_governance = ParamsError::<StakingError>::NotGovernance {
            module: "auth",
            authority,
            expected: governance_authority(),
        };
        assert_eq!(codes(result), code_of(&not_governance));
        assert_eq!(state.auth_params().unwrap(), before);
        assert!(events.is_empty());
    }
}

#[test]
fn invalid_params_are_refused_and_nothing_changes() {
    let chain = TestChain::new();
    let gov = governance_authority();
    let staking_before = chain.app.snapshot().unwrap().staking_params().unwrap();
    let auth_before = chain.app.snapshot().unwrap().auth_params().unwrap();

    let zero_unbonding = serde_json::to_string(&StakingParams {
        unbonding_blocks: 0,
        ..StakingParams::default()
    })
    .unwrap();
    let (state, events, result) = change(&chain, "staking", gov, &zero_unbonding);
    let invalid = StakingError::InvalidParams {
        reason: String::new(),
    };
    let e = result.clone().expect_err("refused");
    assert!(e.message.contains("unbonding_blocks"), "{e}");
    assert_eq!(codes(result), code_of(&invalid));
    assert_eq!(state.staking_params().unwrap(), staking_before);
    assert!(events.is_empty());

    let (state, events, result) = change(&chain, "auth", gov, &auth_json(|p| p.max_messages = 0));
    assert_eq!(codes(result), ("auth".to_owned(), 13));
    assert_eq!(state.auth_params().unwrap(), auth_before);
    assert!(events.is_empty());

    let (state, events, result) = change(&chain, "auth", gov, r#"{"max_memo_bytes": "many"}"#);
    assert_eq!(codes(result), ("params".to_owned(), 3));
    assert_eq!(state.auth_params().unwrap(), auth_before);
    assert!(events.is_empty());

    let (_, events, result) = change(&chain, "nonexistent", gov, "{}");
    assert_eq!(codes(result), ("params".to_owned(), 2));
    assert!(events.is_empty());
}

#[test]
fn governance_changes_valid_params_which_read_back_with_an_event() {
    let chain = TestChain::new();
    let gov = governance_authority();
    let (state, events, result) =
        change(&chain, "auth", gov, &auth_json(|p| p.max_memo_bytes = 512));
    result.unwrap();
    assert_eq!(state.auth_params().unwrap().max_memo_bytes, 512);
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["auth.params_updated"]);
    assert_eq!(events[0].get("authority"), Some(gov.to_string().as_str()));

    let staking = StakingParams {
        jail_blocks: 1_200,
        ..chain.app.snapshot().unwrap().staking_params().unwrap()
    };
    let (state, events, result) = change(
        &chain,
        "staking",
        gov,
        &serde_json::to_string(&staking).unwrap(),
    );
    result.unwrap();
    assert_eq!(state.staking_params().unwrap(), staking);
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["staking.params_updated"]);
}

#[test]
fn governance_and_only_governance_changes_the_amm_params() {
    let chain = TestChain::new();
    let before = chain.app.snapshot().unwrap().amm_params().unwrap();
    let wanted = AmmParams {
        default_fee_bps: 25,
        protocol_fee_share_bps: 1_000,
        ..before.clone()
    };
    let json = serde_json::to_string(&wanted).unwrap();

    // Anyone else, the AMM's own protocol account included, is refused.
    for authority in [chain.addr("alice"), fructus_amm::protocol_account()] {
        let (state, events, result) = change(&chain, "amm", authority, &json);
        let not_governance = ParamsError::<AmmError>::NotGovernance {
            module: "amm",
            authority,
            expected: governance_authority(),
        };
        assert_eq!(codes(result), code_of(&not_governance));
        assert_eq!(state.amm_params().unwrap(), before);
        assert!(events.is_empty());
    }

    // Governance, with values the AMM refuses (a retention under 7 days).
    let short = serde_json::to_string(&AmmParams {
        twap_retention_ms: 1_000,
        ..before.clone()
    })
    .unwrap();
    let (state, events, result) = change(&chain, "amm", governance_authority(), &short);
    let invalid = AmmError::Params {
        reason: String::new(),
    };
    assert_eq!(codes(result), code_of(&invalid));
    assert_eq!(state.amm_params().unwrap(), before);
    assert!(events.is_empty());

    // Governance, with valid values: changed, with an event.
    let (state, events, result) = change(&chain, "amm", governance_authority(), &json);
    result.unwrap();
    assert_eq!(state.amm_params().unwrap(), wanted);
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["amm.params_updated"]);
}

#[test]
fn invalid_genesis_params_refuse_genesis() {
    let mut bad_auth = genesis();
    bad_auth.app_state.auth.params.min_gas_prices.clear();
    let mut bad_staking = genesis();
    bad_staking.app_state.staking.params.signed_blocks_window = 0;
    for (g, field) in [
        (bad_auth, "min_gas_prices"),
        (bad_staking, "signed_blocks_window"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(Storage::open(dir.path()).unwrap()).unwrap();
        let err = app.init_genesis(&g).expect_err("genesis refused");
        assert!(err.to_string().contains(field), "{err}");
        // Nothing was committed: a valid genesis still runs on this store.
        app.init_genesis(&genesis()).unwrap();
    }
}

#[test]
fn a_store_whose_params_this_binary_cannot_decode_is_refused_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    {
        let storage = Storage::open(dir.path()).unwrap();
        let mut app = App::new(storage.clone()).unwrap();
        app.init_genesis(&genesis()).unwrap();
        // The lending params as a release without their last field
        // (`min_twap_coverage_bps`, a u32) wrote them.
        let mut older = borsh::to_vec(&fructus_lending::LendingParams::default()).unwrap();
        older.truncate(older.len() - 4);
        let mut changes = ChangeSet::new();
        changes.put(fructus_lending::state_key::params(), older);
        let next = storage.latest_version().unwrap() + 1;
        storage.commit(changes, next).unwrap();
    }
    let Err(err) = App::new(Storage::open(dir.path()).unwrap()) else {
        panic!("a store with undecodable params was opened");
    };
    assert!(
        matches!(&err, AppError::IncompatibleState { what, .. } if what == "lending params"),
        "{err}"
    );
    assert!(err.to_string().contains("--reset"), "{err}");
    // Every store this binary wrote opens.
    let fresh = tempfile::tempdir().unwrap();
    let mut app = App::new(Storage::open(fresh.path()).unwrap()).unwrap();
    app.init_genesis(&genesis()).unwrap();
    drop(app);
    App::new(Storage::open(fresh.path()).unwrap()).unwrap();
}
