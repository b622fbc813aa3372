//! Invalid input over REST gets a JSON `{code, codespace, message}` with the
//! right status, and nothing takes the server down.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{TestServer, raw, raw_bytes};
use fructus_rpc::ApiConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_submissions_get_typed_errors() {
    let server = TestServer::start(ApiConfig {
        max_body_bytes: 1024,
        ..ApiConfig::default()
    })
    .await;
    let a = server.addr;

    raw(a, "POST", "/v1/txs", Some(r#"{"tx":"!!not base64!!"}"#))
        .await
        .assert_error(400, "api", 3);
    raw(a, "POST", "/v1/txs", Some(r#"{"tx":""}"#))
        .await
        .assert_error(400, "api", 3);
    raw(a, "POST", "/v1/txs", Some("not json"))
        .await
        .assert_error(400, "api", 1);
    raw(a, "POST", "/v1/txs", Some(r#"{"transaction":"AQ=="}"#))
        .await
        .assert_error(400, "api", 1);
    raw(a, "POST", "/v1/txs", Some(r#"{"tx": "AQ"#))
        .await
        .assert_error(400, "api", 1);
    raw(a, "POST", "/v1/txs", Some(""))
        .await
        .assert_error(400, "api", 1);
    raw(a, "POST", "/v1/txs?wait=forever", Some(r#"{"tx":"AQ=="}"#))
        .await
        .assert_error(400, "api", 1);

    // Too large: by Content-Length, and by a chunked body without one.
    let big = format!(r#"{{"tx":"{}"}}"#, "A".repeat(4000));
    let message = raw(a, "POST", "/v1/txs", Some(&big))
        .await
        .assert_error(413, "api", 6);
    assert!(message.contains("1024"), "{message}");
    let chunk = "A".repeat(3000);
    let chunked = format!(
        "POST /v1/txs HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    raw_bytes(a, chunked.as_bytes())
        .await
        .assert_error(413, "api", 6);

    // A refusal by the node passes through.
    let message = raw(a, "POST", "/v1/txs", Some(r#"{"tx":"Bw=="}"#))
        .await
        .assert_error(422, "tx", 13);
    assert!(message.contains("cannot decode"));

    // Still serving.
    assert_eq!(raw(a, "GET", "/v1/status", None).await.status, 200);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_paths_and_queries_get_typed_errors() {
    let server = TestServer::start(ApiConfig::default()).await;
    let a = server.addr;

    let message = raw(a, "GET", "/v1/nothing", None)
        .await
        .assert_error(404, "api", 2);
    assert!(message.contains("no route"), "{message}");
    raw(a, "GET", "/", None).await.assert_error(404, "api", 2);
    raw(a, "DELETE", "/v1/status", None)
        .await
        .assert_error(405, "api", 5);
    raw(a, "GET", "/v1/txs", None)
        .await
        .assert_error(405, "api", 5);
    raw(a, "PUT", "/v1/txs", Some("{}"))
        .await
        .assert_error(405, "api", 5);

    for height in ["abc", "-1", "1.5", "99999999999999999999999", "latestx"] {
        raw(a, "GET", &format!("/v1/blocks/{height}"), None)
            .await
            .assert_error(400, "api", 7);
    }
    raw(a, "GET", "/v1/blocks/7", None)
        .await
        .assert_error(404, "api", 2);

    for hash in ["abc", &"g".repeat(64), &"a".repeat(65)] {
        raw(a, "GET", &format!("/v1/txs/{hash}"), None)
            .await
            .assert_error(400, "api", 8);
    }

    let message = raw(a, "GET", "/v1/accounts/fx1notanaddress", None)
        .await
        .assert_error(400, "api", 9);
    let parser = "fx1notanaddress"
        .parse::<fructus_crypto::Address>()
        .unwrap_err()
        .to_string();
    assert!(message.contains(&parser), "{message} lacks {parser}");
    raw(a, "GET", "/v1/accounts/%FF%FE", None)
        .await
        .assert_error(400, "api", 1);

    for key in ["zz", "abc", "0x61"] {
        raw(a, "GET", &format!("/v1/proofs/{key}"), None)
            .await
            .assert_error(400, "api", 10);
    }

    raw(a, "GET", "/v1/denoms?limit=ten", None)
        .await
        .assert_error(400, "api", 1);
    // Limits are clamped, not refused.
    assert_eq!(
        raw(a, "GET", "/v1/denoms?limit=5000", None).await.status,
        200
    );
    assert_eq!(
        raw(a, "GET", "/v1/denoms?limit=0", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    raw(a, "GET", "/v1/denoms/unknown/denom", None)
        .await
        .assert_error(404, "api", 2);

    // Not a WebSocket upgrade, bad filters.
    raw(a, "GET", "/v1/subscribe", None)
        .await
        .assert_error(400, "api", 12);
    raw(a, "GET", "/v1/subscribe?account=fx1bad", None)
        .await
        .assert_error(400, "api", 9);
    raw(a, "GET", "/v1/subscribe?blocks=maybe", None)
        .await
        .assert_error(400, "api", 1);

    // Garbage that is not HTTP gets a 400 and the server keeps going.
    let garbage = raw_bytes(a, b"\x00\x01\x02 nonsense\r\n\r\n").await;
    assert_eq!(garbage.status, 400);
    assert_eq!(raw(a, "GET", "/v1/status", None).await.status, 200);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_node_call_is_a_500_and_the_server_survives() {
    let server = TestServer::start(ApiConfig::default()).await;
    let a = server.addr;
    raw(a, "GET", "/v1/denoms/panic", None)
        .await
        .assert_error(500, "api", 11);
    raw(a, "POST", "/v1/txs", Some(r#"{"tx":"/w=="}"#))
        .await
        .assert_error(500, "api", 11);
    assert_eq!(raw(a, "GET", "/v1/status", None).await.status, 200);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_commit_is_bounded() {
    let server = TestServer::start(ApiConfig {
        wait_timeout: Duration::from_millis(300),
        ..ApiConfig::default()
    })
    .await;
    let started = std::time::Instant::now();
    let message = raw(
        server.addr,
        "POST",
        "/v1/txs?wait=commit",
        Some(r#"{"tx":"Ag=="}"#),
    )
    .await
    .assert_error(504, "api", 4);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(message.contains("GET /v1/txs/"), "{message}");
    // The client sees it as an API error with the same code.
    let err = server
        .with_client(|client| client.submit(&[0x02], true).unwrap_err())
        .await;
    let api = err.api().unwrap();
    assert_eq!((api.status, api.code), (504, 4));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_routes_refuse_bad_input_and_say_when_the_indexer_is_off() {
    let server = TestServer::start(ApiConfig::default()).await;
    let a = server.addr;
    let address = common::known_address().to_string();
    // Well-formed requests reach the node, whose indexer is off: 404 node#4
    // naming the flag.
    for path in [
        "/v1/history/status".to_owned(),
        "/v1/history/blocks?limit=5".to_owned(),
        format!("/v1/history/txs?signer={address}"),
        format!("/v1/history/devices/{address}/usage"),
        "/v1/history/assets/1/usage".to_owned(),
        "/v1/history/contracts/1/charges?before=9:1".to_owned(),
        format!("/v1/history/accounts/{address}/income"),
        "/v1/history/pools/1/swaps".to_owned(),
        "/v1/history/retirements?beneficiary=ACME&batch_id=2".to_owned(),
        format!("/v1/history/validators/{address}/uptime"),
    ] {
        let message = raw(a, "GET", &path, None)
            .await
            .assert_error(404, "node", 4);
        assert!(message.contains("--indexer"), "{path}: {message}");
    }
    // Malformed ones are refused before the node is asked.
    for path in [
        "/v1/history/blocks?limit=x",
        "/v1/history/blocks?limit=-1",
        "/v1/history/assets/x/usage",
        "/v1/history/contracts/-1/charges",
        "/v1/history/pools/1.5/swaps",
        "/v1/history/retirements?batch_id=x",
    ] {
        raw(a, "GET", path, None).await.assert_error(400, "api", 1);
    }
    for path in [
        "/v1/history/devices/nope/usage",
        "/v1/history/accounts/nope/income",
        "/v1/history/validators/nope/uptime",
        "/v1/history/txs?signer=nope",
    ] {
        raw(a, "GET", path, None).await.assert_error(400, "api", 9);
    }
}

/// One response read off a kept-alive connection: its status line, its
/// headers (lower-case names) and its body.
async fn read_response(
    stream: &mut tokio::net::TcpStream,
) -> (String, Vec<(String, String)>, Vec<u8>) {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .expect("the response's head within 10 s")
            .expect("reading the response");
        assert!(n > 0, "the server closed the connection without a response");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map(|(_, v)| v.parse().unwrap())
        .expect("a content-length");
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .expect("the response's body within 10 s")
            .expect("reading the body");
        assert!(n > 0, "the connection closed mid-body");
        body.extend_from_slice(&chunk[..n]);
    }
    (status, headers, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_no_route_reads_leaves_the_connection_reusable() {
    use tokio::io::AsyncWriteExt;
    let server = TestServer::start(ApiConfig {
        max_body_bytes: 512 * 1024,
        ..ApiConfig::default()
    })
    .await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    // A method the route does not allow, an unknown path, and a GET, each
    // with a body none of them reads, then a plain GET on the same
    // connection: each answer arrives (a pooled client's next request
    // used to find the connection closed).
    let body = "x".repeat(300_000);
    for (method, path, status) in [
        ("PUT", "/v1/txs/simulate", "405"),
        ("DELETE", "/no/such/route", "404"),
        ("GET", "/v1/status", "200"),
    ] {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: a\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let (line, headers, _) = read_response(&mut stream).await;
        assert!(line.contains(status), "{method} {path}: {line}");
        assert!(
            !headers
                .iter()
                .any(|(k, v)| k == "connection" && v == "close"),
            "{method} {path}: {headers:?}"
        );
        stream
            .write_all(b"GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let (line, _, _) = read_response(&mut stream).await;
        assert!(line.contains("200"), "after {method} {path}: {line}");
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_limit_gets_413_and_says_the_connection_closes() {
    use tokio::io::AsyncWriteExt;
    let server = TestServer::start(ApiConfig {
        max_body_bytes: 1024,
        ..ApiConfig::default()
    })
    .await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let body = "x".repeat(4096);
    let request = format!(
        "GET /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let (line, headers, body) = read_response(&mut stream).await;
    assert!(line.contains("413"), "{line}");
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "connection" && v == "close"),
        "{headers:?}"
    );
    let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (error["codespace"].as_str(), error["code"].as_u64()),
        (Some("api"), Some(6))
    );
    server.stop().await.unwrap();
}
