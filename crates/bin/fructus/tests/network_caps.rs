//! The node's network surfaces are bounded (audit finding 10, 15, 19): the
//! gossip listener caps connections and cuts stalled peers, WebSocket
//! subscriptions are capped, CORS allows only configured origins, every
//! refusal is counted in `/metrics` (whose output `promtool` checks), and
//! the CLI writing into a closed pipe exits quietly. Real `fructus node`
//! processes on 127.0.0.1.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Net, bin, wait_until};

/// A one-node testnet with `settings` (`key = value` lines of config.toml,
/// replacing the written defaults), started and past height 1.
fn node_with(settings: &[(&str, &str)]) -> Net {
    let mut net = Net::create(1);
    let path = net.home(0).join("config/config.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (key, value) in settings {
        let prefix = format!("{key} = ");
        let line = text
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("config.toml has no {key}"))
            .to_owned();
        text = text.replace(&line, &format!("{key} = {value}"));
    }
    std::fs::write(&path, text).unwrap();
    net.start(0);
    net.wait_height(0, 1, Duration::from_secs(30));
    net
}

fn gossip_addr(net: &Net) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], net.base + 1))
}

fn api_addr(net: &Net) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], net.base + 2))
}

/// One HTTP/1.1 request; the status and the raw head and body.
fn http(addr: SocketAddr, head: &str) -> (u16, String) {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(format!("{head}Host: {addr}\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {out:?}"));
    (status, out)
}

fn header(response: &str, name: &str) -> Option<String> {
    let head = response.split("\r\n\r\n").next().unwrap_or_default();
    head.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_owned())
    })
}

fn metrics(net: &Net) -> String {
    let (status, out) = http(api_addr(net), "GET /metrics HTTP/1.1\r\n");
    assert_eq!(status, 200, "{out}");
    out.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned()
}

/// The value of one sample (`name{labels}`) in `/metrics`.
fn sample(net: &Net, name: &str) -> u64 {
    let text = metrics(net);
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
        .parse()
        .unwrap()
}

/// Whether the node closes `stream` within `within` (EOF or reset).
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 16];
    while start.elapsed() < within {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap()
}

#[test]
fn gossip_caps_refuse_extra_connections_and_cut_stalled_peers() {
    let net = node_with(&[
        ("gossip_max_inbound_per_ip", "3"),
        ("gossip_frame_timeout_ms", "1000"),
    ]);
    let gossip = gossip_addr(&net);
    let mut held: Vec<TcpStream> = (0..3).map(|_| connect(gossip)).collect();
    wait_until(
        "3 inbound gossip connections",
        Duration::from_secs(5),
        || sample(&net, "fructus_gossip_inbound_connections") == 3,
    );
    // More connections from the same IP are closed on accept and counted.
    for _ in 0..5 {
        let mut extra = connect(gossip);
        assert!(closed_within(&mut extra, Duration::from_secs(5)));
    }
    assert_eq!(
        sample(
            &net,
            "fructus_gossip_refused_connections_total{cap=\"per_ip\"}"
        ),
        5
    );
    // A stalled frame (length announced, body never finished) is cut after
    // the frame timeout; its buffer room is given back.
    let mut stalled = held.remove(0);
    stalled.write_all(&1000u32.to_be_bytes()).unwrap();
    stalled.write_all(&[0u8; 10]).unwrap();
    assert!(closed_within(&mut stalled, Duration::from_secs(5)));
    assert_eq!(
        sample(
            &net,
            "fructus_gossip_closed_connections_total{reason=\"frame_timeout\"}"
        ),
        1
    );
    assert_eq!(sample(&net, "fructus_gossip_buffered_bytes"), 0);
    // A frame announced above 1 MiB closes at once, before any allocation.
    let mut oversized = held.remove(0);
    oversized
        .write_all(&(2u32 * 1024 * 1024).to_be_bytes())
        .unwrap();
    assert!(closed_within(&mut oversized, Duration::from_secs(5)));
    assert_eq!(
        sample(
            &net,
            "fructus_gossip_closed_connections_total{reason=\"frame_too_large\"}"
        ),
        1
    );
    // Their places are free again: two new connections are kept open, and
    // keepalives (empty frames) keep a link up.
    wait_until("freed gossip slots", Duration::from_secs(5), || {
        sample(&net, "fructus_gossip_inbound_connections") == 1
    });
    let mut again: Vec<TcpStream> = (0..2).map(|_| connect(gossip)).collect();
    for stream in &mut again {
        stream.write_all(&0u32.to_be_bytes()).unwrap();
        assert!(!closed_within(stream, Duration::from_millis(500)));
    }
    assert_eq!(
        sample(
            &net,
            "fructus_gossip_refused_connections_total{cap=\"per_ip\"}"
        ),
        5
    );
    // The node kept finalizing throughout.
    let h = net.height(0).unwrap();
    net.wait_height(0, h + 2, Duration::from_secs(30));
}

fn ws_upgrade(addr: SocketAddr) -> (u16, String) {
    http(
        addr,
        "GET /v1/subscribe HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
    )
}

#[test]
fn api_caps_subscriptions_and_allows_only_configured_origins() {
    let net = node_with(&[
        ("max_ws_subscriptions_per_ip", "2"),
        ("cors_allowed_origins", "[\"http://explorer.example\"]"),
    ]);
    let api = api_addr(&net);
    let url = format!("ws://{api}/v1/subscribe");
    let open: Vec<_> = (0..2)
        .map(|_| {
            let stream = connect(api);
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            tungstenite::client(url.as_str(), stream).unwrap().0
        })
        .collect();
    let (status, out) = ws_upgrade(api);
    assert_eq!(status, 503, "{out}");
    assert!(out.contains("\"code\":13"), "{out}");
    assert_eq!(sample(&net, "fructus_ws_subscriptions"), 2);
    assert_eq!(
        sample(
            &net,
            "fructus_ws_subscriptions_refused_total{cap=\"per_ip\"}"
        ),
        1
    );
    drop(open);

    let preflight = |origin: &str| {
        http(
            api,
            &format!(
                "OPTIONS /v1/txs HTTP/1.1\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: POST\r\n"
            ),
        )
        .1
    };
    let allowed = preflight("http://explorer.example");
    assert_eq!(
        header(&allowed, "access-control-allow-origin").as_deref(),
        Some("http://explorer.example"),
        "{allowed}"
    );
    let denied = preflight("http://evil.example");
    assert_eq!(
        header(&denied, "access-control-allow-origin"),
        None,
        "{denied}"
    );
    let (_, get) = http(
        api,
        "GET /v1/status HTTP/1.1\r\nOrigin: http://evil.example\r\n",
    );
    assert_eq!(header(&get, "access-control-allow-origin"), None, "{get}");

    // `scripts/test` checks this output with `promtool check metrics`.
    let text = metrics(&net);
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let name = line.split(['{', ' ']).next().unwrap_or_default();
        assert!(!name.ends_with("_ms"), "{name}: use base units (seconds)");
    }
    assert!(text.contains("fructus_block_interval_seconds "), "{text}");
    if let Some(path) = std::env::var_os("FRUCTUS_METRICS_OUT") {
        std::fs::write(path, &text).unwrap();
    }
}

#[test]
fn a_default_node_denies_every_cross_origin_page() {
    let net = node_with(&[]);
    let (status, out) = http(
        api_addr(&net),
        "OPTIONS /v1/txs HTTP/1.1\r\nOrigin: http://explorer.example\r\nAccess-Control-Request-Method: POST\r\n",
    );
    assert!(status < 500, "{out}");
    assert_eq!(header(&out, "access-control-allow-origin"), None, "{out}");
    let (_, out) = http(
        api_addr(&net),
        "GET /v1/status HTTP/1.1\r\nOrigin: http://explorer.example\r\n",
    );
    assert_eq!(header(&out, "access-control-allow-origin"), None, "{out}");

    // The CLI writing into a closed pipe (`fructus query … | head`) exits
    // quietly: no panic, success.
    let node = net.api(0);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(bin())
        .args(["query", "status", "--node", &node])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    let shell = format!(
        "set -o pipefail; '{}' query block --node '{node}' | head -c 1 >/dev/null",
        bin()
    );
    let out = Command::new("bash").args(["-c", &shell]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
}
