//! `WS /v1/subscribe`: filters, lag reports and a clean close on shutdown.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{FakeNode, TestServer, known_address, other_address};
use fructus_component::Event;
use fructus_rpc::{ApiConfig, NodeEvent};
use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(addr: SocketAddr, query: &str) -> Socket {
    let url = format!("ws://{addr}/v1/subscribe{query}");
    let (socket, _) = tokio::time::timeout(
        Duration::from_secs(5),
        tokio_tungstenite::connect_async(url),
    )
    .await
    .expect("connect timed out")
    .expect("connect failed");
    socket
}

/// The next text frame as JSON.
async fn next_json(socket: &mut Socket) -> serde_json::Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("no message within 5 s")
            .expect("socket ended")
            .expect("socket error");
        match message {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

fn tx_event(kind: &str, attrs: &[(&str, String)]) -> NodeEvent {
    let mut event = Event::new(kind);
    for (k, v) in attrs {
        event = event.attr(*k, v);
    }
    NodeEvent::TxEvent {
        height: 5,
        tx_hash: "AB".repeat(32),
        event,
    }
}

fn block_event(kind: &str, attrs: &[(&str, String)]) -> NodeEvent {
    let mut event = Event::new(kind);
    for (k, v) in attrs {
        event = event.attr(*k, v);
    }
    NodeEvent::BlockEvent { height: 7, event }
}

fn new_block(height: u64) -> NodeEvent {
    NodeEvent::NewBlock {
        height,
        hash: "cd".repeat(32),
        time: 1_000,
        num_txs: 1,
    }
}

/// Pushes `events`, then a `marker` event every subscriber here accepts, and
/// returns what the subscriber received up to the marker.
async fn received(
    node: &FakeNode,
    socket: &mut Socket,
    events: Vec<NodeEvent>,
    marker: NodeEvent,
) -> Vec<serde_json::Value> {
    for event in events {
        node.push(event);
    }
    let marker_json = serde_json::to_value(&marker).unwrap();
    node.push(marker);
    let mut got = Vec::new();
    loop {
        let json = next_json(socket).await;
        if json == marker_json {
            return got;
        }
        got.push(json);
    }
}

fn kinds(frames: &[serde_json::Value]) -> Vec<String> {
    frames
        .iter()
        .map(|f| match f["type"].as_str().unwrap() {
            "tx_event" | "block_event" => f["event"]["kind"].as_str().unwrap().to_owned(),
            other => other.to_owned(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn types_filter_exact_and_prefix() {
    let server = TestServer::start(ApiConfig::default()).await;
    let node = server.node.clone();
    let mut exact = connect(server.addr, "?types=bank.transfer,tx.fee&blocks=false").await;
    let mut prefix = connect(server.addr, "?types=bank.*").await;
    let mut all = connect(server.addr, "").await;
    let events = [
        new_block(5),
        tx_event("tx.fee", &[]),
        tx_event("bank.transfer", &[]),
        tx_event("bank.mint", &[]),
        tx_event("staking.delegate", &[]),
        tx_event("bankrupt.x", &[]),
    ];
    let marker = tx_event("bank.transfer", &[("marker", "1".to_owned())]);
    for event in events.iter().cloned().chain([marker.clone()]) {
        node.push(event);
    }
    let marker_json = serde_json::to_value(&marker).unwrap();
    let collect = async |socket: &mut Socket| {
        let mut got = Vec::new();
        loop {
            let json = next_json(socket).await;
            if json == marker_json {
                return got;
            }
            got.push(json);
        }
    };
    assert_eq!(
        kinds(&collect(&mut exact).await),
        ["tx.fee", "bank.transfer"]
    );
    assert_eq!(
        kinds(&collect(&mut prefix).await),
        ["new_block", "bank.transfer", "bank.mint"]
    );
    let everything = collect(&mut all).await;
    assert_eq!(everything.len(), events.len());
    assert_eq!(everything[0]["type"], "new_block");
    assert_eq!(everything[0]["height"], 5);
    assert_eq!(everything[2]["tx_hash"], "AB".repeat(32));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_and_asset_filters() {
    let server = TestServer::start(ApiConfig::default()).await;
    let node = server.node.clone();
    let me = known_address().to_string();
    let them = other_address().to_string();

    let mut mine = connect(server.addr, &format!("?account={me}&blocks=false")).await;
    let got = received(
        &node,
        &mut mine,
        vec![
            new_block(6),
            tx_event(
                "bank.transfer",
                &[("sender", them.clone()), ("recipient", me.clone())],
            ),
            tx_event(
                "bank.transfer",
                &[("sender", them.clone()), ("recipient", them.clone())],
            ),
            tx_event("tx.fee", &[("payer", me.clone())]),
            // Block events (no transaction) are filtered the same way.
            block_event("staking.jailed", &[("operator", me.clone())]),
            block_event("staking.jailed", &[("operator", them.clone())]),
        ],
        tx_event("marker", &[("who", me.clone())]),
    )
    .await;
    assert_eq!(kinds(&got), ["bank.transfer", "tx.fee", "staking.jailed"]);
    assert_eq!(got[0]["event"]["attributes"][1]["value"], me);
    assert_eq!(got[2]["type"], "block_event");
    assert_eq!(got[2]["height"], 7);

    let mut asset = connect(server.addr, "?asset=42&blocks=false").await;
    let got = received(
        &node,
        &mut asset,
        vec![
            tx_event("asset.mint", &[("asset_id", "42".to_owned())]),
            tx_event("asset.mint", &[("asset_id", "43".to_owned())]),
            tx_event("metering.reading", &[("asset", "42".to_owned())]),
            tx_event("metering.reading", &[("device", "42".to_owned())]),
        ],
        tx_event("marker", &[("asset", "42".to_owned())]),
    )
    .await;
    assert_eq!(kinds(&got), ["asset.mint", "metering.reading"]);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn a_lagging_subscriber_is_told_how_much_it_missed() {
    // One thread: nothing is forwarded while the test pushes, so the
    // subscriber must overflow the node's 4-slot feed.
    let node = FakeNode::new(4);
    let server = TestServer::start_with(node.clone(), ApiConfig::default()).await;
    let mut socket = connect(server.addr, "?blocks=true").await;
    for height in 0..50 {
        node.push(new_block(height));
    }
    let first = next_json(&mut socket).await;
    assert_eq!(first["type"], "lagged", "{first}");
    assert_eq!(first["missed"], 46);
    // Then the newest four, in order, and the stream goes on.
    for height in 46..50 {
        assert_eq!(next_json(&mut socket).await["height"], height);
    }
    node.push(new_block(50));
    assert_eq!(next_json(&mut socket).await["height"], 50);
    server.stop().await.unwrap();
}

/// A WebSocket upgrade request the server answers without upgrading.
async fn refused_upgrade(addr: SocketAddr) -> common::Raw {
    let request = format!(
        "GET /v1/subscribe HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    );
    common::raw_bytes(addr, request.as_bytes()).await
}

/// Polls `check` every 20 ms until it holds, for at most 5 s.
async fn wait_for<F: std::future::Future<Output = bool>>(what: &str, mut check: impl FnMut() -> F) {
    for _ in 0..250 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// The value of a `/metrics` sample line (`name{labels} value`).
async fn metric(addr: SocketAddr, sample: &str) -> u64 {
    let body = common::raw(addr, "GET", "/metrics", None).await.body;
    body.lines()
        .find_map(|line| line.strip_prefix(sample)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {sample} in {body}"))
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_over_the_per_ip_cap_are_refused_and_counted() {
    let server = TestServer::start(ApiConfig {
        max_ws_subscriptions_per_ip: 3,
        ..ApiConfig::default()
    })
    .await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(connect(server.addr, "").await);
    }
    assert_eq!(metric(server.addr, "fructus_ws_subscriptions").await, 3);
    refused_upgrade(server.addr)
        .await
        .assert_error(503, "api", 13);
    let url = format!("ws://{}/v1/subscribe", server.addr);
    assert!(tokio_tungstenite::connect_async(url).await.is_err());
    assert_eq!(
        metric(
            server.addr,
            "fructus_ws_subscriptions_refused_total{cap=\"per_ip\"}"
        )
        .await,
        2
    );
    // A closed subscription frees its place.
    let mut first = open.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    wait_for("a freed subscription slot", || async {
        metric(server.addr, "fructus_ws_subscriptions").await == 2
    })
    .await;
    open.push(connect(server.addr, "").await);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_over_the_total_cap_are_refused_and_counted() {
    let server = TestServer::start(ApiConfig {
        max_ws_subscriptions: 2,
        ..ApiConfig::default()
    })
    .await;
    let _a = connect(server.addr, "").await;
    let _b = connect(server.addr, "").await;
    refused_upgrade(server.addr)
        .await
        .assert_error(503, "api", 13);
    assert_eq!(
        metric(
            server.addr,
            "fructus_ws_subscriptions_refused_total{cap=\"total\"}"
        )
        .await,
        1
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_are_closed_cleanly_on_shutdown() {
    let mut server = TestServer::start(ApiConfig::default()).await;
    let node = server.node.clone();
    let mut socket = connect(server.addr, "").await;
    node.push(new_block(1));
    assert_eq!(next_json(&mut socket).await["type"], "new_block");
    // Pings from the client are fine.
    socket.send(Message::Ping(vec![1, 2].into())).await.unwrap();

    let _ = server.shutdown.take().unwrap().send(());
    let close = loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("no close frame within 5 s");
        match message {
            Some(Ok(Message::Close(frame))) => break frame,
            Some(Ok(Message::Pong(_) | Message::Ping(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(close.unwrap().code, CloseCode::Away);
    tokio::time::timeout(Duration::from_secs(10), server.handle)
        .await
        .expect("serve did not return after shutdown")
        .unwrap()
        .unwrap();
}
