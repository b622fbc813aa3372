//! Every route of a real node's `/openapi.json` is served and answers
//! without a server error, with its path parameters filled from a small
//! fixture (a class, an asset, a contract, accounts, a validator, a
//! committed transaction, an AMM pool; the node runs its history indexer);
//! every 200 answer validates
//! against the schema the document gives it (module records included, none
//! left as a bare object); and the document lists every module's routes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, address, attested_chiller, event_attr, run};

#[test]
fn every_documented_route_answers_without_a_server_error() {
    let mut net = Net::create(1);
    // With the indexer, so the history routes answer (and are checked).
    net.start_with(0, &["--indexer"]);
    net.wait_height(0, 2, Duration::from_secs(90));

    let (class_id, asset_id) = attested_chiller(&net);
    let opened = run(
        &net,
        &[
            "tx",
            "contract",
            "open",
            "alice",
            &asset_id,
            "bob",
            "--price",
            "1ufrx",
            "--period-ms",
            "10000",
        ],
    );
    let contract_id = event_attr(&opened, "metering.open_contract", "contract_id");
    let tx_hash = opened["hash"].as_str().unwrap().to_owned();
    // An AMM pool of ufrx against a stablecoin alice issues.
    run(
        &net,
        &[
            "tx",
            "bank",
            "create-denom",
            "alice",
            "uusd",
            "--symbol",
            "USD",
        ],
    );
    run(&net, &["tx", "bank", "mint", "alice", "1000000uusd"]);
    let created = run(
        &net,
        &[
            "tx",
            "amm",
            "create-pool",
            "alice",
            "200000ufrx",
            "400000uusd",
        ],
    );
    let pool_id = event_attr(&created, "amm.create_pool", "pool_id");
    let alice = address(&net, "alice");
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let api = net.api(0);
    let validators: serde_json::Value = http
        .get(format!("{api}/v1/staking/validators"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let operator = validators[0]["operator"].as_str().unwrap().to_owned();

    let doc: serde_json::Value = http
        .get(format!("{api}/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for module_route in [
        "/v1/assets/classes/{class}",
        "/v1/assets/{asset}/holders",
        "/v1/devices/oracles/{asset}/rounds/{period}",
        "/v1/contracts/{contract}",
        "/v1/identity/accounts/{address}/records",
        "/v1/staking/validators/{address}",
        "/v1/amm/pools/{id}",
        "/v1/amm/pools/{id}/twap",
        "/v1/amm/quote",
        "/v1/amm/quote-out",
    ] {
        assert!(paths.contains_key(module_route), "{module_route} missing");
    }

    let mut walked = 0;
    let mut validated = Vec::new();
    for (path, item) in paths {
        let who = if path.starts_with("/v1/staking/validators") {
            &operator
        } else {
            &alice
        };
        let amm = path.starts_with("/v1/amm/");
        let concrete = path
            .replace("{id}", if amm { &pool_id } else { "0" })
            .replace("{height}", "1")
            .replace("{hash}", &tx_hash)
            .replace("{address}", who)
            .replace("{denom}", "ufrx")
            .replace("{key}", &hex_of("bank/"))
            .replace("{asset}", &asset_id)
            .replace("{class}", &class_id)
            .replace("{contract}", &contract_id)
            .replace("{period}", "0")
            .replace("{module}", "staking");
        assert!(!concrete.contains('{'), "unfilled parameter in {path}");
        // The AMM's required query parameters, filled from the pool.
        let concrete = match path.as_str() {
            "/v1/amm/quote" => format!("{concrete}?in=1000ufrx&route={pool_id}"),
            "/v1/amm/quote-out" => format!("{concrete}?out=1000uusd&route={pool_id}"),
            "/v1/amm/pools/{id}/twap" => format!("{concrete}?window_ms=60000"),
            _ => concrete,
        };
        for method in item.as_object().unwrap().keys() {
            let url = format!("{api}{concrete}");
            let response = match method.as_str() {
                "get" => http.get(&url).send().unwrap(),
                "post" => http.post(&url).body(r#"{"tx":"AQ=="}"#).send().unwrap(),
                other => panic!("unexpected method {other} on {path}"),
            };
            let status = response.status();
            let body = response.text().unwrap();
            if amm {
                assert!(status.is_success(), "{method} {concrete}: {status} {body}");
            }
            assert!(
                !status.is_server_error(),
                "{method} {concrete}: {status} {body}"
            );
            assert!(
                !body.contains("no route for"),
                "{method} {concrete} is documented but not served"
            );
            let schema = &item[method]["responses"]["200"]["content"]["application/json"]["schema"];
            let module_route = item[method]["tags"][0] != "node";
            assert!(
                !module_route || !is_opaque(schema, &doc),
                "{method} {path}: its 200 answer has no real schema: {schema}"
            );
            if status == reqwest::StatusCode::OK && body.starts_with(['{', '[']) {
                let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_matches_schema(&doc, schema, &answer, &format!("{method} {concrete}"));
                validated.push(path.clone());
            }
            walked += 1;
        }
    }
    // 13 node routes + asset 8, metering 7, identity 4, staking 6, amm 5.
    assert!(walked >= 43, "only {walked} operations documented");
    // The records the fixture holds: a class, an asset, a contract, a
    // validator and its delegation, accounts; each answer was checked.
    for route in [
        "/v1/assets/classes",
        "/v1/assets/classes/{class}",
        "/v1/assets/{asset}",
        "/v1/assets/owner/{address}",
        "/v1/contracts/{contract}",
        "/v1/contracts/asset/{asset}",
        "/v1/identity/accounts/{address}",
        "/v1/staking/validators",
        "/v1/staking/validators/{address}",
        "/v1/staking/params",
        "/v1/amm/pools",
        "/v1/amm/pools/{id}",
    ] {
        assert!(
            validated.iter().any(|p| p == route),
            "{route} answered no 200 to validate; validated: {validated:?}"
        );
    }
}

/// Validates `answer` against `schema`, its `$ref`s resolved in the
/// document's `components`.
fn assert_matches_schema(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    answer: &serde_json::Value,
    what: &str,
) {
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&root)
        .unwrap_or_else(|e| panic!("{what}: its schema does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(answer)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: the answer does not match its schema: {errors:?}\nanswer: {answer}"
    );
}

/// True when `schema` says nothing about the answer's fields: missing, a
/// bare object, or an array of bare objects.
fn is_opaque(schema: &serde_json::Value, doc: &serde_json::Value) -> bool {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return is_opaque(&doc["components"]["schemas"][name], doc);
    }
    match schema.as_object() {
        None => true,
        Some(fields) if fields.is_empty() => true,
        Some(_) if schema["type"] == "array" => is_opaque(&schema["items"], doc),
        Some(_) if schema["type"] == "object" => {
            schema["properties"].is_null() && schema["additionalProperties"].is_null()
        }
        Some(_) => false,
    }
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}
