//! Happy paths of every REST route through the blocking `NodeClient`, the
//! metrics and OpenAPI endpoints, CORS, proof verification, and the
//! explorer's static pages.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use common::{FakeNode, Tamper, TestServer, known_address, other_address, raw};
use fructus_client::http::ClientError;
use fructus_rpc::ApiConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_route_answers_through_the_client() {
    let server = TestServer::start(ApiConfig::default()).await;
    let app_hash = server.node.app_hash();
    let known_hash = common::known_tx_hash();
    server
        .with_client(move |client| {
            let status = client.status().unwrap();
            assert_eq!(status.chain_id, "fructus-test");
            assert_eq!(status.latest_height, 2);
            assert_eq!(status.app_hash, app_hash);

            let latest = client.block(None).unwrap();
            assert_eq!(latest.height, 2);
            assert_eq!(latest.tx_hashes, vec![known_hash.clone()]);
            assert_eq!(latest.header.chain_id, "fructus-test");
            assert_eq!(latest.header.proposer, known_address());
            assert_eq!(latest.header.app_hash, app_hash);
            assert_eq!(latest.certificate.unwrap().signers, vec![known_address()]);
            let first = client.block(Some(1)).unwrap();
            assert_eq!((first.height, first.header.height), (1, 1));
            assert!(first.txs.is_empty());
            assert_eq!(first.header.time, 1_700_000_001_000);
            let missing = client.block(Some(99)).unwrap_err();
            assert_eq!(missing.api().unwrap().status, 404);

            let tx = client.tx(&known_hash).unwrap();
            assert_eq!(tx.hash, known_hash);
            assert_eq!(tx.events[0].kind, "bank.transfer");
            // Lower-case hashes are accepted.
            assert_eq!(client.tx(&known_hash.to_lowercase()).unwrap(), tx);
            let unknown = client.tx(&"ab".repeat(32)).unwrap_err();
            let api = unknown.api().unwrap();
            assert_eq!(
                (api.status, api.codespace.as_str(), api.code),
                (404, "api", 2)
            );

            let account = client.account(&known_address()).unwrap();
            assert_eq!(account.nonce, 3);
            assert!(account.public_key.is_some());
            assert_eq!(account.balances.len(), 1);
            let empty = client.account(&other_address()).unwrap();
            assert_eq!(
                (empty.nonce, empty.public_key, empty.balances.len()),
                (0, None, 0)
            );

            let denoms = client.denoms().unwrap();
            let names: Vec<_> = denoms.iter().map(|d| d.denom.as_str()).collect();
            assert_eq!(names, ["share/7", "ufrx", "uusd"]);
            let page = client.denoms_page(Some("share/7"), 1).unwrap();
            assert_eq!(page.len(), 1);
            assert_eq!(page[0].denom, "ufrx");
            let share = client.denom("share/7").unwrap();
            assert_eq!(share.symbol, "SHARE7");
            assert!(share.kyc_only);
            assert_eq!(client.denom("ufrx").unwrap().symbol, "FRX");
            assert_eq!(client.denom("nope").unwrap_err().api().unwrap().status, 404);

            let validators = client.validators().unwrap();
            assert_eq!(validators.len(), 1);
            assert_eq!(validators[0].voting_power, 10);
        })
        .await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_admits_waits_and_passes_refusals_through() {
    let server = TestServer::start(ApiConfig::default()).await;
    server
        .with_client(move |client| {
            let tx = [0x01u8, 9, 9, 9];
            let admitted = client.submit(&tx, false).unwrap();
            assert!(admitted.admitted);
            assert_eq!(
                admitted.hash,
                fructus_types::tx::TxHash::of(&tx).to_string()
            );
            assert!(admitted.result.is_none());

            let committed = client.submit(&tx, true).unwrap();
            let result = committed.result.unwrap();
            assert_eq!((result.height, result.code), (3, 0));
            assert_eq!(result.hash, admitted.hash);

            match client.submit(&[0x07, 1], false).unwrap_err() {
                ClientError::Api(err) => {
                    assert_eq!(err.status, 422);
                    assert_eq!((err.codespace.as_str(), err.code), ("tx", 13));
                    assert!(err.message.contains("cannot decode"), "{err}");
                }
                other => panic!("expected an API error, got {other:?}"),
            }
        })
        .await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_submit_answers_one_verdict_per_transaction_in_order() {
    let server = TestServer::start(ApiConfig::default()).await;
    let addr = server.addr;
    server
        .with_client(move |client| {
            let good = vec![0x01u8, 1, 2];
            let refused = vec![0x07u8, 1];
            let batch = client
                .submit_batch(&[good.clone(), refused.clone(), vec![0x01, 5]])
                .unwrap();
            assert_eq!((batch.admitted, batch.refused), (2, 1));
            assert_eq!(batch.results.len(), 3);
            assert_eq!(
                batch.results[0].hash,
                fructus_types::tx::TxHash::of(&good).to_string()
            );
            assert!(batch.results[0].admitted && batch.results[2].admitted);
            let err = batch.results[1].error.as_ref().unwrap();
            assert!(!batch.results[1].admitted);
            assert_eq!((err.codespace.as_str(), err.code), ("tx", 13));
            assert_eq!(
                batch.results[1].hash,
                fructus_types::tx::TxHash::of(&refused).to_string()
            );

            // A malformed item is refused in place; the others still go in.
            let http = reqwest::blocking::Client::new();
            let url = format!("http://{addr}/v1/txs/batch");
            let mixed: serde_json::Value = http
                .post(&url)
                .json(&serde_json::json!({ "txs": ["AQID", "not base64!", ""] }))
                .send()
                .unwrap()
                .json()
                .unwrap();
            assert_eq!(mixed["admitted"], 1, "{mixed}");
            assert_eq!(mixed["results"][1]["error"]["code"], 3, "{mixed}");
            assert_eq!(mixed["results"][1]["hash"], "", "{mixed}");
            assert_eq!(mixed["results"][2]["admitted"], false, "{mixed}");

            // Too many, or not the expected shape: 400 with what to send.
            let too_many: Vec<&str> = vec!["AQID"; fructus_rpc::MAX_BATCH_TXS + 1];
            let resp = http
                .post(&url)
                .json(&serde_json::json!({ "txs": too_many }))
                .send()
                .unwrap();
            assert_eq!(resp.status().as_u16(), 400);
            assert!(resp.text().unwrap().contains("at most 2000"));
            let resp = http
                .post(&url)
                .json(&serde_json::json!({ "tx": "AQID" }))
                .send()
                .unwrap();
            assert_eq!(resp.status().as_u16(), 400);
            assert!(resp.text().unwrap().contains("expected JSON"));
        })
        .await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verified_get_accepts_genuine_proofs_and_rejects_tampered_ones() {
    let node = FakeNode::new(16);
    let server = TestServer::start_with(node.clone(), ApiConfig::default()).await;
    let node_for_client = node.clone();
    server
        .with_client(move |client| {
            let view = client.proof(b"alpha").unwrap();
            assert_eq!(view.value.as_deref(), Some(hex::encode(b"one").as_str()));
            assert_eq!(
                client.verified_get(b"alpha").unwrap(),
                Some(b"one".to_vec())
            );
            assert_eq!(client.verified_get(b"beta").unwrap(), Some(b"two".to_vec()));
            // Absence is proven too.
            assert_eq!(client.verified_get(b"gamma").unwrap(), None);

            for tamper in [Tamper::Value, Tamper::AppHash, Tamper::Key] {
                *node_for_client.tamper.lock().unwrap() = tamper;
                match client.verified_get(b"alpha") {
                    Err(ClientError::BadProof { key, message }) => {
                        assert_eq!(key, hex::encode(b"alpha"));
                        assert!(!message.is_empty());
                    }
                    other => panic!("{tamper:?}: expected BadProof, got {other:?}"),
                }
            }
            // A forged value for an absent key does not verify either.
            *node_for_client.tamper.lock().unwrap() = Tamper::Value;
            assert!(matches!(
                client.verified_get(b"gamma"),
                Err(ClientError::BadProof { .. })
            ));
        })
        .await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_prometheus_text() {
    let server = TestServer::start(ApiConfig::default()).await;
    let response = raw(server.addr, "GET", "/metrics", None).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type").unwrap(),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    assert!(response.body.contains("fructus_height 2"));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_is_generated_from_the_served_routes() {
    let server = TestServer::start(ApiConfig::default()).await;
    let response = raw(server.addr, "GET", "/openapi.json", None).await;
    assert_eq!(response.status, 200);
    let doc = response.json();
    assert_eq!(
        doc,
        serde_json::to_value(fructus_rpc::openapi::document()).unwrap()
    );
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    // The node's routes and every registered module's are listed.
    for path in [
        "/v1/status",
        "/v1/txs",
        "/v1/subscribe",
        "/v1/assets/{asset}",
        "/v1/assets/owner/{address}",
        "/v1/devices/{address}",
        "/v1/contracts/customer/{address}",
        "/v1/identity/regulators",
        "/v1/staking/params",
        "/v1/amm/pools/{id}/twap",
        "/v1/amm/quote-out",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    let mut operation_ids = std::collections::BTreeSet::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            assert!(op["responses"].is_object(), "{path} has no responses");
            let id = op["operationId"].as_str().unwrap().to_owned();
            assert!(
                operation_ids.insert(id.clone()),
                "operation id {id} is not unique"
            );
            // Every `{param}` of the path is a documented parameter.
            for param in path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            {
                let documented = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == param && p["in"] == "path"));
                assert!(documented, "{path}: parameter {param} not documented");
            }
            // And the route is really served (not the no-route fallback).
            let concrete = path
                .replace("{height}", "1")
                .replace("{hash}", &common::known_tx_hash())
                .replace("{address}", &known_address().to_string())
                .replace("{denom}", "share/7")
                .replace("{key}", "616c706861");
            let concrete = ["{asset}", "{class}", "{contract}", "{period}", "{id}"]
                .iter()
                .fold(concrete, |p, param| p.replace(param, "1"));
            let method = method.to_uppercase();
            let probe = if method == "POST" {
                raw(server.addr, "POST", &concrete, Some(r#"{"tx":"AQ=="}"#)).await
            } else {
                raw(server.addr, &method, &concrete, None).await
            };
            assert!(
                !probe.body.contains("no route for"),
                "{method} {concrete} is not served: {probe:?}"
            );
        }
    }
    // Request body and error schema.
    let post = &doc["paths"]["/v1/txs"]["post"];
    assert!(post["requestBody"]["content"]["application/json"]["schema"].is_object());
    let error = &doc["components"]["schemas"]["ApiError"]["properties"];
    for field in ["code", "codespace", "message"] {
        assert!(error[field].is_object(), "ApiError schema lacks {field}");
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for piece in text.split("#/components/schemas/").skip(1) {
        let name: String = piece.chars().take_while(|c| c.is_alphanumeric()).collect();
        assert!(
            doc["components"]["schemas"][&name].is_object(),
            "dangling $ref {name}"
        );
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorer_is_served_with_content_types_and_an_index_fallback() {
    let server = TestServer::start(ApiConfig::default()).await;
    let moved = raw(server.addr, "GET", "/explorer", None).await;
    assert_eq!(moved.status, 308);
    assert_eq!(moved.header("location").unwrap(), "/explorer/");
    let index = raw(server.addr, "GET", "/explorer/", None).await;
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    assert_eq!(index.header("cache-control").unwrap(), "no-cache");
    let csp = index.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'"));
    // A path without a file extension is an app route: the same page.
    let route = raw(server.addr, "GET", "/explorer/account/fx1abc", None).await;
    assert_eq!(route.status, 200);
    assert_eq!(route.body, index.body);
    // The script the page loads, with its type and an immutable cache.
    let script = index
        .body
        .split("src=\"/explorer/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("index.html loads its script from /explorer/");
    let js = raw(server.addr, "GET", &format!("/explorer/{script}"), None).await;
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type").unwrap(),
        "text/javascript; charset=utf-8"
    );
    assert!(js.header("cache-control").unwrap().contains("immutable"));
    // A missing file is a JSON 404 like any other, not the page.
    let missing = raw(server.addr, "GET", "/explorer/assets/none.js", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], 2);
    // The explorer is not part of the API document (nor of its fuzzing).
    let doc = raw(server.addr, "GET", "/openapi.json", None).await.json();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.keys().all(|path| !path.starts_with("/explorer")));
    server.stop().await.unwrap();
}

async fn preflight_and_get(server: &TestServer, origin: &str) -> (common::Raw, common::Raw) {
    let request = format!(
        "OPTIONS /v1/txs HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n",
        server.addr
    );
    let preflight = common::raw_bytes(server.addr, request.as_bytes()).await;
    let request = format!(
        "GET /nope HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n",
        server.addr
    );
    let get = common::raw_bytes(server.addr, request.as_bytes()).await;
    (preflight, get)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_denies_every_origin_by_default() {
    let server = TestServer::start(ApiConfig::default()).await;
    let (preflight, get) = preflight_and_get(&server, "http://evil.example").await;
    // No allow-origin header: the browser refuses the cross-origin call.
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        None,
        "{preflight:?}"
    );
    assert_eq!(get.header("access-control-allow-origin"), None, "{get:?}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_the_configured_origins() {
    let server = TestServer::start(ApiConfig {
        cors_allowed_origins: vec!["http://explorer.example".to_owned()],
        ..ApiConfig::default()
    })
    .await;
    let (preflight, get) = preflight_and_get(&server, "http://explorer.example").await;
    assert!(preflight.status < 300, "{preflight:?}");
    assert_eq!(
        preflight.header("access-control-allow-origin").unwrap(),
        "http://explorer.example"
    );
    assert!(
        preflight
            .header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    // Errors carry the header too, so an allowed page can read them.
    assert_eq!(get.status, 404);
    assert_eq!(
        get.header("access-control-allow-origin").unwrap(),
        "http://explorer.example"
    );
    let (preflight, get) = preflight_and_get(&server, "http://evil.example").await;
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        None,
        "{preflight:?}"
    );
    assert_eq!(get.header("access-control-allow-origin"), None, "{get:?}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn module_routes_reach_their_module_query_with_typed_errors() {
    let server = common::TestServer::start(fructus_rpc::ApiConfig::default()).await;
    let get = |path: &'static str| common::raw(server.addr, "GET", path, None);
    // Served by the asset module from the (empty) state: an empty page.
    let classes = get("/v1/assets/classes?limit=5").await;
    assert_eq!((classes.status, classes.body.as_str()), (200, "[]"));
    // Malformed input is a 400 that names the parameter and the fix.
    for (path, names) in [
        ("/v1/assets/x7", "asset id"),
        ("/v1/assets/classes?limit=many", "limit"),
        ("/v1/assets/owner/not-an-address", "owner"),
        ("/v1/devices/nonsense", "device address"),
        ("/v1/contracts/asset/1?start_after=z", "start_after"),
        ("/v1/identity/records/-1", "record id"),
        ("/v1/staking/rewards/not-an-address", "account"),
        ("/v1/amm/pools/x", "pool id"),
        ("/v1/amm/quote?in=1uusd", "route"),
        ("/v1/amm/quote?in=1uusd&route=1,2,3,4,5", "route"),
    ] {
        let got = get(path).await;
        assert_eq!(got.status, 400, "{path}: {}", got.body);
        let body = got.json();
        assert_eq!(
            (body["codespace"].as_str(), body["code"].as_u64()),
            (Some("api"), Some(1))
        );
        assert!(
            body["message"].as_str().unwrap().contains(names),
            "{path}: {}",
            got.body
        );
    }
    // A missing object and a route the module does not have are 404s.
    let missing = get("/v1/assets/7").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("no asset 7"), "{}", missing.body);
    let no_route = get("/v1/assets/1/2/3/4/5").await;
    assert_eq!(no_route.status, 404);
    assert!(
        no_route.body.contains("no asset route"),
        "{}",
        no_route.body
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modules_params_are_served_and_an_unknown_module_is_named() {
    let server = TestServer::start(ApiConfig::default()).await;
    // Nothing stored: each module answers with its defaults.
    let amm = raw(server.addr, "GET", "/v1/params/amm", None).await;
    assert_eq!(amm.status, 200, "{}", amm.body);
    assert_eq!(
        amm.json(),
        serde_json::to_value(fructus_amm::AmmParams::default()).unwrap()
    );
    let gov = raw(server.addr, "GET", "/v1/params/governance", None).await;
    assert_eq!(
        gov.json(),
        serde_json::to_value(fructus_governance::GovernanceParams::default()).unwrap()
    );
    let unknown = raw(server.addr, "GET", "/v1/params/bank", None).await;
    assert_eq!(unknown.status, 404);
    let error = unknown.json();
    assert_eq!(
        (error["codespace"].as_str(), error["code"].as_u64()),
        (Some("api"), Some(2))
    );
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("\"bank\"") && message.contains("staking"),
        "{message}"
    );
    server.stop().await.unwrap();
}

#[test]
fn the_params_route_serves_every_module_governance_can_change() {
    assert_eq!(
        fructus_rpc::params::modules(),
        fructus_app::params::MODULES_WITH_PARAMS
    );
}
