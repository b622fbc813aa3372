//! `NodeClient` against canned servers: every failure is the right typed
//! `ClientError`, and `verify_proof` checks real proofs offline.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use fructus_client::http::{ClientError, NodeClient, verify_proof};
use fructus_rpc_types::ProofView;
use fructus_storage::{ChangeSet, Storage};

/// Serves a response with `status` line, `content_type` and `body` to the
/// first connection, after `delay`.
fn respond(status: &str, content_type: &str, body: &str, delay: Duration) -> SocketAddr {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    canned(response, delay)
}

/// Serves `response` (raw HTTP) to the first connection, after `delay`.
fn canned(response: String, delay: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = [0u8; 4096];
        let mut request = Vec::new();
        // Read the head and the body (by Content-Length) before answering.
        loop {
            if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&request[..end]).to_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse().unwrap());
                if request.len() >= end + 4 + length {
                    break;
                }
            }
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        thread::sleep(delay);
        let _ = stream.write_all(response.as_bytes());
    });
    addr
}

fn client(addr: SocketAddr) -> NodeClient {
    NodeClient::new(&format!("http://{addr}"))
        .unwrap()
        .with_timeout(Duration::from_secs(5))
}

#[test]
fn nothing_listening_is_a_connect_error_with_a_hint() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let err = client(addr).status().unwrap_err();
    match &err {
        ClientError::Connect { url, message } => {
            assert!(url.ends_with("/v1/status"), "{url}");
            assert!(!message.is_empty());
        }
        other => panic!("expected Connect, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("is the node running?"), "{text}");
    assert!(text.contains("fructus devnet"), "{text}");
    assert!(text.contains("--node"), "{text}");
}

#[test]
fn a_silent_node_is_a_timeout() {
    let addr = respond("200 OK", "application/json", "{}", Duration::from_secs(3));
    let started = Instant::now();
    let err = client(addr)
        .with_timeout(Duration::from_millis(300))
        .status()
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Timeout { after, .. } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn an_unexpected_body_is_a_decode_error() {
    let addr = respond(
        "200 OK",
        "application/json",
        r#"{"nope": 1}"#,
        Duration::ZERO,
    );
    let err = client(addr).status().unwrap_err();
    assert!(matches!(err, ClientError::Decode { .. }), "{err:?}");
}

#[test]
fn json_errors_keep_their_code_and_other_errors_become_http() {
    let addr = respond(
        "422 Unprocessable Entity",
        "application/json",
        r#"{"code":13,"codespace":"tx","message":"bad signature"}"#,
        Duration::ZERO,
    );
    let err = client(addr).submit(&[1, 2], false).unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(
        (api.status, api.code, api.codespace.as_str()),
        (422, 13, "tx")
    );
    assert_eq!(api.message, "bad signature");
    assert!(err.to_string().contains("tx#13"), "{err}");

    let addr = respond(
        "502 Bad Gateway",
        "text/html",
        "<h1>502</h1>",
        Duration::ZERO,
    );
    let err = client(addr).validators().unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(
        (api.status, api.code, api.codespace.as_str()),
        (502, 502, "http")
    );
}

#[test]
fn bad_urls_are_refused_up_front() {
    for url in ["", "ftp://x", "http://", "http://h:1/?q=1"] {
        assert!(
            matches!(NodeClient::new(url), Err(ClientError::InvalidUrl { .. })),
            "{url:?} accepted"
        );
    }
    assert_eq!(
        NodeClient::new("localhost:1317").unwrap().base_url(),
        "http://localhost:1317"
    );
}

#[test]
fn https_node_urls_are_spoken_over_tls_never_downgraded() {
    assert_eq!(
        NodeClient::new("https://node.example:1317/")
            .unwrap()
            .base_url(),
        "https://node.example:1317"
    );
    // A plain-HTTP listener: an https:// client must fail the TLS handshake
    // rather than read the plaintext answer.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            use std::io::{Read as _, Write as _};
            let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 1024];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n[]",
            );
        }
    });
    let err = NodeClient::new(&format!("https://{addr}"))
        .unwrap()
        .with_timeout(Duration::from_secs(10))
        .validators()
        .unwrap_err();
    assert!(matches!(err, ClientError::Connect { .. }), "{err:?}");
    server.join().unwrap();
}

#[test]
fn verify_proof_checks_value_absence_and_root() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(&dir.path().join("state")).unwrap();
    let mut changes = ChangeSet::new();
    changes.put(b"k1".to_vec(), b"v1".to_vec());
    storage.commit(changes, 0).unwrap();
    let root = hex::encode(storage.root_hash(0).unwrap().0);
    let view = |key: &[u8]| {
        let (value, proof) = storage.get_with_proof(key, 0).unwrap();
        ProofView {
            key: hex::encode(key),
            value: value.map(hex::encode),
            height: 0,
            app_hash: root.clone(),
            proof: hex::encode(proof.to_bytes()),
        }
    };
    assert_eq!(
        verify_proof(b"k1", &view(b"k1")).unwrap(),
        Some(b"v1".to_vec())
    );
    assert_eq!(verify_proof(b"k2", &view(b"k2")).unwrap(), None);

    let bad = |v: ProofView, key: &[u8]| {
        assert!(
            matches!(verify_proof(key, &v), Err(ClientError::BadProof { .. })),
            "{v:?} verified"
        );
    };
    // Claiming absence of a present key, presence of an absent one.
    bad(
        ProofView {
            value: None,
            ..view(b"k1")
        },
        b"k1",
    );
    bad(
        ProofView {
            value: Some(hex::encode(b"v1")),
            ..view(b"k2")
        },
        b"k2",
    );
    bad(
        ProofView {
            value: Some(hex::encode(b"v2")),
            ..view(b"k1")
        },
        b"k1",
    );
    bad(
        ProofView {
            app_hash: hex::encode([0u8; 32]),
            ..view(b"k1")
        },
        b"k1",
    );
    bad(
        ProofView {
            app_hash: "abcd".to_owned(),
            ..view(b"k1")
        },
        b"k1",
    );
    bad(
        ProofView {
            proof: "zz".to_owned(),
            ..view(b"k1")
        },
        b"k1",
    );
    bad(
        ProofView {
            proof: "00".to_owned(),
            ..view(b"k1")
        },
        b"k1",
    );
    // A proof for another key.
    bad(view(b"k1"), b"k2");
}
