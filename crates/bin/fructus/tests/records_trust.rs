//! `store-record` does not take the regulators' keys on a node's word: a
//! node (here a tampering proxy on 127.0.0.1 in front of a real node) that
//! forges a regulator key, the proof of it, or the commit certificate is
//! detected before anything is encrypted or sent; an honest answer, checked
//! against real certificates of a real chain, goes through.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use common::{Net, cli};

/// What the proxy changes in the real node's answers.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Tamper {
    /// Nothing.
    None = 0,
    /// The regulators list carries the forger's key.
    Key = 1,
    /// The forger's key, and every proof's value claims it too.
    KeyAndProof = 2,
    /// One precommit signature of the latest certificate is altered.
    Certificate = 3,
}

const FORGED_KEY: [u8; 32] = [0x42; 32];

struct Proxy {
    url: String,
    tamper: Arc<AtomicU8>,
    submitted: Arc<AtomicBool>,
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let tamper = Arc::new(AtomicU8::new(Tamper::None as u8));
        let submitted = Arc::new(AtomicBool::new(false));
        let (t, s) = (tamper.clone(), submitted.clone());
        std::thread::spawn(move || {
            let http = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                serve(stream, &http, &upstream, t.load(Ordering::SeqCst), &s);
            }
        });
        Proxy {
            url,
            tamper,
            submitted,
        }
    }

    fn set(&self, tamper: Tamper) {
        self.tamper.store(tamper as u8, Ordering::SeqCst);
        self.submitted.store(false, Ordering::SeqCst);
    }
}

/// One request: read it, forward it, tamper with the answer, write it back.
fn serve(
    stream: TcpStream,
    http: &reqwest::blocking::Client,
    upstream: &str,
    tamper: u8,
    submitted: &AtomicBool,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let url = format!("{upstream}{path}");
    let response = if method == "POST" {
        if path.starts_with("/v1/txs") {
            submitted.store(true, Ordering::SeqCst);
        }
        http.post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
    } else {
        http.get(&url).send()
    }
    .unwrap();
    let status = response.status().as_u16();
    let text = response.text().unwrap();
    let text = tampered(&path, text, tamper);
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    )
    .unwrap();
    out.flush().unwrap();
}

fn tampered(path: &str, text: String, tamper: u8) -> String {
    let forged = hex::encode(FORGED_KEY);
    let mut json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(json) => json,
        Err(_) => return text,
    };
    let key_forged = tamper == Tamper::Key as u8 || tamper == Tamper::KeyAndProof as u8;
    if key_forged && path.starts_with("/v1/identity/regulators") {
        for entry in json.as_array_mut().unwrap() {
            if entry["encryption_key"].is_string() {
                entry["encryption_key"] = forged.clone().into();
            }
        }
    } else if tamper == Tamper::KeyAndProof as u8 && path.starts_with("/v1/proofs/") {
        if json["value"].is_string()
            && json["key"]
                .as_str()
                .unwrap()
                .starts_with(&hex::encode(b"identity/enckey/"))
        {
            json["value"] = forged.clone().into();
        }
    } else if tamper == Tamper::Certificate as u8 && path.starts_with("/v1/blocks/latest/commit") {
        let sig = json["signatures"][0]["signature"]
            .as_str()
            .unwrap()
            .to_owned();
        let flipped = if sig.starts_with('0') { "1" } else { "0" };
        json["signatures"][0]["signature"] = format!("{flipped}{}", &sig[1..]).into();
    }
    json.to_string()
}

fn store_record(net: &Net, node: &str, file: &str) -> std::process::Output {
    cli(
        net.home(0),
        &[
            "tx",
            "identity",
            "store-record",
            "alice",
            "alice",
            "--kind",
            "kyc_file",
            "--file",
            file,
            "--node",
            node,
            "--wait",
            "-o",
            "json",
        ],
    )
}

#[test]
fn a_node_serving_a_forged_regulator_key_or_certificate_is_detected_before_sending() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, Duration::from_secs(60));
    let api = net.api(0);
    let reg = cli(
        net.home(0),
        &[
            "tx",
            "identity",
            "register-encryption-key",
            "regulator",
            "--node",
            &api,
            "--wait",
        ],
    );
    assert!(
        reg.status.success(),
        "{}",
        String::from_utf8_lossy(&reg.stderr)
    );
    net.wait_height(0, 3, Duration::from_secs(60));

    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("kyc.txt");
    std::fs::write(&plain, b"alice's KYC file").unwrap();
    let plain = plain.to_str().unwrap();
    let proxy = Proxy::start(api.clone());

    for (tamper, says) in [
        (Tamper::Key, "the node is lying"),
        (Tamper::KeyAndProof, "does not verify"),
        (
            Tamper::Certificate,
            "does not verify against the trusted validators",
        ),
    ] {
        proxy.set(tamper);
        let out = store_record(&net, &proxy.url, plain);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "a forged answer was accepted");
        assert!(stderr.contains(says), "expected {says:?} in: {stderr}");
        assert!(
            !proxy.submitted.load(Ordering::SeqCst),
            "a transaction was sent despite a forged answer"
        );
    }

    // The honest node's answers verify (real certificates of a real
    // chain), and the record is stored.
    proxy.set(Tamper::None);
    let out = store_record(&net, &proxy.url, plain);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(proxy.submitted.load(Ordering::SeqCst));

    // A pinned checkpoint works as the trust root too, and a wrong one is
    // refused.
    let set: serde_json::Value = reqwest::blocking::get(format!("{api}/v1/blocks/2/validators"))
        .unwrap()
        .json()
        .unwrap();
    let good = format!("2:{}", set["hash"].as_str().unwrap());
    let bad = format!("2:{}", "00".repeat(32));
    for (checkpoint, accepted) in [(good, true), (bad, false)] {
        let out = cli(
            net.home(0),
            &[
                "tx",
                "identity",
                "store-record",
                "alice",
                "alice",
                "--kind",
                "kyc_file",
                "--file",
                plain,
                "--node",
                &api,
                "--wait",
                "-o",
                "json",
                "--trust-checkpoint",
                &checkpoint,
                "--genesis",
                "/nonexistent",
            ],
        );
        assert_eq!(
            out.status.success(),
            accepted,
            "{checkpoint}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
