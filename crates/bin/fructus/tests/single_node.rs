//! One validator as a separate process: transfers over REST with
//! `?wait=commit`, every kind of malformed input refused with a stable JSON
//! error while the node keeps running, kill -9 losing nothing committed, and
//! `fructus devnet` as one command that resumes its chain.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use base64::Engine as _;
use common::{Net, bin, cli, reserve_ports, wait_until};

const LONG: Duration = Duration::from_secs(60);

fn signed_send(net: &Net, nonce: u64, chain_id: &str, amount: &str) -> Vec<u8> {
    signed_send_from(net, "alice", nonce, chain_id, amount)
}

fn signed_send_from(net: &Net, from: &str, nonce: u64, chain_id: &str, amount: &str) -> Vec<u8> {
    let out = cli(
        net.home(0),
        &[
            "tx",
            "bank",
            "send",
            from,
            "bob",
            amount,
            "--offline",
            "--chain-id",
            chain_id,
            "--nonce",
            &nonce.to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    base64::engine::general_purpose::STANDARD
        .decode(String::from_utf8(out.stdout).unwrap().trim())
        .unwrap()
}

fn post(net: &Net, body: String) -> (u16, serde_json::Value) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/txs", net.api(0)))
        .header("content-type", "application/json")
        .body(body)
        .timeout(Duration::from_secs(30))
        .send()
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(serde_json::Value::Null))
}

fn post_tx(net: &Net, tx: &[u8]) -> (u16, serde_json::Value) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(tx);
    post(net, serde_json::json!({ "tx": b64 }).to_string())
}

fn assert_error(got: (u16, serde_json::Value), status: u16, codespace: &str, code: u32) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["codespace"], codespace, "{}", got.1);
    assert_eq!(got.1["code"], code, "{}", got.1);
    assert!(got.1["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn rest_transfers_commit_and_bad_input_is_refused_while_the_node_runs() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, LONG);
    let client = net.client(0);
    let chain_id = client.status().unwrap().chain_id;
    let bob: fructus_crypto::Address =
        String::from_utf8(cli(net.home(0), &["keys", "show", "bob", "--address"]).stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
    let bob_before = client.account(&bob).unwrap().balances[0].amount.value();

    // A WebSocket subscriber filtered on transfers to bob sees this one.
    let ws_url = format!(
        "ws://127.0.0.1:{}/v1/subscribe?types=bank.transfer&account={bob}&blocks=false",
        net.base + 2
    );
    let (mut socket, _) = tungstenite::connect(ws_url.as_str()).unwrap();
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_mut() {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    }

    // Submit and wait for the commit: the result comes back.
    let tx = signed_send(&net, 0, &chain_id, "777ufrx");
    let view = client.submit(&tx, true).unwrap();
    let result = view.result.expect("wait=commit returns the result");
    assert_eq!(result.code, 0, "{result:?}");
    assert!(result.height >= 1);
    assert_eq!(
        client.account(&bob).unwrap().balances[0].amount.value(),
        bob_before + 777
    );
    assert_eq!(client.tx(&view.hash).unwrap().height, result.height);
    let frame = socket.read().unwrap();
    let event: serde_json::Value = serde_json::from_str(frame.to_text().unwrap()).unwrap();
    assert_eq!(event["type"], "tx_event", "{event}");
    assert_eq!(event["event"]["kind"], "bank.transfer");
    assert_eq!(event["tx_hash"], view.hash);
    drop(socket);
    // The balance comes with a Merkle proof the client verifies.
    let key = fructus_bank::state_key::balance(&bob, &fructus_types::Denom::native());
    let proven = client
        .verified_get(&key)
        .unwrap()
        .expect("bob's balance is present");
    let amount: fructus_types::Amount = borsh::from_slice(&proven).unwrap();
    assert_eq!(amount.value(), bob_before + 777);

    // Without waiting: admitted, then committed shortly.
    let tx2 = signed_send(&net, 1, &chain_id, "1ufrx");
    let view2 = client.submit(&tx2, false).unwrap();
    assert!(view2.result.is_none());
    wait_until("tx2 to commit", LONG, || client.tx(&view2.hash).is_ok());

    // Malformed and malicious input: a 4xx JSON error with a stable code.
    assert_error(
        post(&net, r#"{"tx":"!!!not base64"}"#.into()),
        400,
        "api",
        3,
    );
    assert_error(post(&net, "not json".into()), 400, "api", 1);
    assert_error(
        post_tx(&net, &tx[..tx.len() / 2]),
        422,
        "tx",
        fructus_app::TxCheckError::UNDECODABLE,
    );
    let mut bad_sig = signed_send(&net, 2, &chain_id, "5ufrx");
    let last = bad_sig.len() - 1;
    bad_sig[last] ^= 0x01;
    assert_error(
        post_tx(&net, &bad_sig),
        422,
        "tx",
        fructus_app::TxCheckError::BAD_SIGNATURE,
    );
    assert_error(
        post_tx(&net, &signed_send(&net, 2, "other-chain", "5ufrx")),
        422,
        "tx",
        fructus_app::TxCheckError::CHAIN_ID_MISMATCH,
    );
    assert_error(
        post_tx(&net, &tx),
        422,
        "tx",
        fructus_app::TxCheckError::ALREADY_INCLUDED,
    ); // the exact bytes of a committed tx
    assert_error(
        post_tx(&net, &signed_send(&net, 9, &chain_id, "5ufrx")),
        422,
        "tx",
        fructus_app::TxCheckError::NONCE_TOO_HIGH,
    );
    assert_error(
        post_tx(&net, &vec![0u8; 70_000]),
        413,
        "tx",
        fructus_app::TxCheckError::TOO_LARGE,
    );
    let resp = reqwest::blocking::get(format!("{}/v1/no/such/route", net.api(0))).unwrap();
    assert_eq!(resp.status().as_u16(), 404);
    let body: serde_json::Value = resp.json().unwrap();
    assert_eq!(
        (body["codespace"].as_str(), body["code"].as_u64()),
        (Some("api"), Some(2))
    );

    // Still running and still committing.
    let h = client.status().unwrap().latest_height;
    net.wait_height(0, h + 2, LONG);
    let metrics = reqwest::blocking::get(format!("{}/metrics", net.api(0)))
        .unwrap()
        .text()
        .unwrap();
    assert!(metrics.contains("fructus_block_height"));
    assert!(metrics.contains("fructus_mempool_rejected_total"));

    // kill -9 right after a commit: nothing committed is lost.
    let tx3 = signed_send(&net, 2, &chain_id, "3ufrx");
    let committed = client.submit(&tx3, true).unwrap().result.unwrap();
    let balance = client.account(&bob).unwrap().balances[0].amount.value();
    net.kill(0);
    net.start(0);
    wait_until("the node to restart", LONG, || net.height(0).is_some());
    let client = net.client(0);
    assert!(client.status().unwrap().latest_height >= committed.height);
    assert_eq!(client.tx(&committed.hash).unwrap().code, 0);
    assert_eq!(
        client.account(&bob).unwrap().balances[0].amount.value(),
        balance
    );
    net.wait_height(0, committed.height + 2, LONG);

    // The operator's way out of a corrupt consensus WAL: move it aside and
    // start; committed state is untouched and the chain goes on.
    net.kill(0);
    let wal_dir = net.home(0).join("data/consensus/wal");
    assert!(wal_dir.join("consensus.wal").exists());
    std::fs::write(wal_dir.join("consensus.wal"), b"garbage that is not a WAL").unwrap();
    net.start_with(0, &["--move-wal-aside"]);
    wait_until("the node to restart without its WAL", LONG, || {
        net.height(0).is_some()
    });
    let h = net.height(0).unwrap();
    net.wait_height(0, h + 2, LONG);
    let moved = std::fs::read_dir(&wal_dir)
        .unwrap()
        .any(|e| e.unwrap().file_name().to_string_lossy().contains("corrupt"));
    assert!(moved, "the corrupt WAL was not kept aside");
    assert_eq!(
        net.client(0).account(&bob).unwrap().balances[0]
            .amount
            .value(),
        balance
    );
}

#[test]
fn a_batch_is_admitted_in_order_with_refusals_in_place() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, LONG);
    let client = net.client(0);
    let chain_id = client.status().unwrap().chain_id;
    let send = |nonce: u64, amount: &str| signed_send_from(&net, "carol", nonce, &chain_id, amount);
    let (t0, t1, t2, t3) = (
        send(0, "1ufrx"),
        send(1, "2ufrx"),
        send(2, "4ufrx"),
        send(3, "8ufrx"),
    );
    let mut forged = send(3, "16ufrx");
    let last = forged.len() - 1;
    forged[last] ^= 0x01;
    let far = send(7, "32ufrx");

    let batch = client
        .submit_batch(&[t0.clone(), t1, t2, forged, t0.clone(), t3, far])
        .unwrap();
    let verdicts: Vec<Option<(String, u32)>> = batch
        .results
        .iter()
        .map(|r| r.error.as_ref().map(|e| (e.codespace.clone(), e.code)))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            None,
            None,
            None,
            Some(("tx".into(), 13)),     // bad signature
            Some(("mempool".into(), 1)), // already waiting
            None,                        // nonce 3 follows the pending 0..2
            Some(("tx".into(), 15)),     // nonce too far ahead
        ],
        "{batch:?}"
    );
    assert_eq!((batch.admitted, batch.refused), (4, 3));
    for i in [0usize, 1, 2, 5] {
        let hash = batch.results[i].hash.clone();
        wait_until("the batch to commit", LONG, || client.tx(&hash).is_ok());
        assert_eq!(client.tx(&hash).unwrap().code, 0);
    }
    let carol: fructus_crypto::Address =
        String::from_utf8(cli(net.home(0), &["keys", "show", "carol", "--address"]).stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
    assert_eq!(client.account(&carol).unwrap().nonce, 4);
}

#[test]
fn devnet_is_one_command_and_resumes_its_chain() {
    let home = tempfile::tempdir().unwrap();
    let ports = reserve_ports(1);
    let base = ports.base;
    let addr = |k: u16| format!("127.0.0.1:{}", base + k);
    let start = |api: String| {
        Command::new(bin())
            .arg("--home")
            .arg(home.path())
            .args([
                "devnet",
                "--p2p-listen",
                &addr(0),
                "--gossip-listen",
                &addr(1),
                "--api-listen",
                &api,
            ])
            .env("FRUCTUS_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let client = fructus_client::http::NodeClient::new(&addr(2)).unwrap();
    let mut child = start(addr(2));
    wait_until(
        "the devnet to produce a block",
        Duration::from_secs(30),
        || client.status().is_ok_and(|s| s.latest_height >= 1),
    );
    // The demo accounts are in the test keyring of that home, funded.
    let out = Command::new(bin())
        .arg("--home")
        .arg(home.path())
        .args([
            "keys",
            "list",
            "--keyring-backend",
            "test",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let keys: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = keys
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"alice") && names.contains(&"bob"),
        "{names:?}"
    );
    let alice = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "alice")
        .unwrap()["address"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(!client.account(&alice).unwrap().balances.is_empty());
    let send = cli(
        home.path(),
        &[
            "tx",
            "bank",
            "send",
            "alice",
            "bob",
            "5ufrx",
            "--node",
            &addr(2),
            "--wait",
        ],
    );
    assert!(
        send.status.success(),
        "{}",
        String::from_utf8_lossy(&send.stderr)
    );

    let validators = client.get_json("/v1/staking/validators").unwrap();
    let operator = validators[0]["operator"].as_str().unwrap().to_owned();

    // SIGINT stops it cleanly; running it again resumes the same chain.
    let height = client.status().unwrap().latest_height;
    let app_chain = client.status().unwrap().chain_id;
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status();
    let mut exited = None;
    wait_until("the devnet to stop", Duration::from_secs(20), || {
        exited = child.try_wait().unwrap();
        exited.is_some()
    });
    assert!(exited.unwrap().success());
    // The banner told the user how to reach it and what saves typing.
    let mut banner = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut banner).unwrap();
    assert!(
        banner.contains(&format!("FRUCTUS_NODE=http://{}", addr(2)))
            && banner.contains("FRUCTUS_KEYRING_BACKEND=test"),
        "{banner}"
    );
    // It names the validator's operator, which is the test key
    // `validator`, so delegating needs no pasted address.
    assert!(
        banner.contains(&format!(
            "validator operator {operator} (test key `validator`"
        )),
        "{banner}"
    );
    let key = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "validator")
        .unwrap_or_else(|| panic!("no `validator` key: {keys}"));
    assert_eq!(key["address"], operator.as_str());
    // Resumed with another --api-listen, it keeps its config and says how
    // to change it.
    let mut child = start(addr(3));
    wait_until(
        "the devnet to resume past its old height",
        Duration::from_secs(30),
        || client.status().is_ok_and(|s| s.latest_height > height),
    );
    assert_eq!(client.status().unwrap().chain_id, app_chain);
    assert_eq!(client.account(&alice).unwrap().nonce, 1);
    let _ = child.kill();
    let _ = child.wait();
    let mut banner = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut banner).unwrap();
    assert!(
        banner.contains(&format!(
            "--api-listen {} applies to a new devnet only",
            addr(3)
        )) && banner.contains("--reset"),
        "{banner}"
    );
}

#[test]
fn the_same_failed_transaction_bytes_posted_n_times_pay_one_fee() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, LONG);
    let client = net.client(0);
    let chain_id = client.status().unwrap().chain_id;
    let carol: fructus_crypto::Address =
        String::from_utf8(cli(net.home(0), &["keys", "show", "carol", "--address"]).stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
    let ufrx = |client: &fructus_client::http::NodeClient| {
        client
            .account(&carol)
            .unwrap()
            .balances
            .iter()
            .find(|c| c.denom.as_str() == "ufrx")
            .map_or(0, |c| c.amount.value())
    };
    let before = ufrx(&client);
    // More than carol has: the fee is payable, the message fails.
    let tx = signed_send_from(&net, "carol", 0, &chain_id, "999999999999999999999ufrx");
    let view = client.submit(&tx, true).unwrap();
    let result = view.result.expect("wait=commit returns the result");
    assert_ne!(result.code, 0, "{result:?}");
    let fee = before - ufrx(&client);
    assert!(fee > 0, "the failed transaction paid its fee");
    // Anyone re-posts the exact bytes, N times: refused, charged nothing.
    for _ in 0..5 {
        assert_error(
            post_tx(&net, &tx),
            422,
            "tx",
            fructus_app::TxCheckError::ALREADY_INCLUDED,
        );
    }
    // A block or two later nothing more was charged, and the original's
    // hash still answers with its one inclusion.
    let h = client.status().unwrap().latest_height;
    net.wait_height(0, h + 2, LONG);
    assert_eq!(ufrx(&client), before - fee);
    assert_eq!(client.tx(&view.hash).unwrap().height, result.height);
}

#[test]
fn a_held_port_range_is_never_handed_out_again() {
    // Lock files of its own: a parallel test could otherwise take the
    // range this test frees before it checks that the lock went.
    let locks = tempfile::tempdir().unwrap();
    let reserve = |n| common::reserve_ports_in(locks.path(), n);
    let held = reserve(3);
    let taken = held.base..held.base + 30;
    // Every later reservation, while `held` lives, avoids its slots (a
    // parallel test in another process sees the same locks).
    let others: Vec<_> = (0..20).map(|_| reserve(1)).collect();
    for o in &others {
        assert!(
            !taken.contains(&o.base) && !(o.base..o.base + 10).contains(&held.base),
            "{} overlaps the held range from {}",
            o.base,
            held.base
        );
    }
    let bases: std::collections::BTreeSet<u16> = others.iter().map(|o| o.base).collect();
    assert_eq!(
        bases.len(),
        others.len(),
        "two live reservations share a range"
    );
    // Released ranges are free again: the lock goes with the value.
    let first = held.base;
    drop(held);
    let lock = locks.path().join(format!("{first}.lock"));
    let file = std::fs::OpenOptions::new().write(true).open(lock).unwrap();
    // A process another test spawns at that moment shares the lock's file
    // description between its fork and its exec (which closes it), so the
    // lock may outlive the drop by that long: retry, bounded.
    let start = std::time::Instant::now();
    while rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "a dropped reservation never released its lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
