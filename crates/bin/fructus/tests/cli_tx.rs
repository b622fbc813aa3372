//! The offline transaction path of the CLI, run as a process: sign with a
//! keyring key, decode, and the errors that say what to do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::process::{Command, Output};

fn fructus(home: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fructus"))
        .arg("--home")
        .arg(home)
        .args(["--keyring-backend", "test"])
        .args(args)
        .env_remove("FRUCTUS_CHAIN_ID")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn offline_send_signs_and_decode_shows_it() {
    let home = tempfile::tempdir().unwrap();
    stdout(&fructus(home.path(), &["keys", "add", "alice"]));
    stdout(&fructus(
        home.path(),
        &["keys", "add", "dev", "--algo", "p256"],
    ));
    let dev = stdout(&fructus(home.path(), &["keys", "show", "dev", "--address"]))
        .trim()
        .to_owned();
    let alice = stdout(&fructus(
        home.path(),
        &["keys", "show", "alice", "--address"],
    ))
    .trim()
    .to_owned();

    let out = fructus(
        home.path(),
        &[
            "tx",
            "bank",
            "send",
            "alice",
            "dev",
            "100ufrx,5uusd",
            "--offline",
            "--chain-id",
            "fructus-9",
            "--nonce",
            "3",
            "--memo",
            "hello",
            "-o",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let tx = json["tx"].as_str().unwrap().to_owned();
    let decoded = &json["decoded"];
    assert_eq!(decoded["chain_id"], "fructus-9");
    assert_eq!(decoded["nonce"], 3);
    assert_eq!(decoded["memo"], "hello");
    assert_eq!(decoded["signer"]["address"], alice);
    assert_eq!(decoded["messages"][0]["type"], "bank/send");
    assert_eq!(decoded["messages"][0]["to"], dev);
    assert_eq!(decoded["stateless_check"], "ok");
    assert_eq!(decoded["fee"]["amount"], "2000ufrx");

    // `tx decode` of the printed base64 agrees, and a flipped byte is caught.
    let again: serde_json::Value =
        serde_json::from_str(&stdout(&fructus(home.path(), &["tx", "decode", &tx]))).unwrap();
    assert_eq!(&again, decoded);
    use base64::Engine as _;
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(&tx)
        .unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let tampered = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let bad: serde_json::Value =
        serde_json::from_str(&stdout(&fructus(home.path(), &["tx", "decode", &tampered]))).unwrap();
    assert_eq!(bad["stateless_check"]["codespace"], "tx");
    assert_eq!(
        bad["stateless_check"]["code"],
        fructus_app::TxCheckError::BAD_SIGNATURE
    );
}

#[test]
fn p256_key_signs_grant_and_multi_send_and_writes_out_file() {
    let home = tempfile::tempdir().unwrap();
    stdout(&fructus(home.path(), &["keys", "add", "owner"]));
    stdout(&fructus(
        home.path(),
        &["keys", "add", "dev", "--algo", "p256"],
    ));
    let file = home.path().join("tx.b64");
    let out = fructus(
        home.path(),
        &[
            "tx",
            "auth",
            "grant-fee",
            "owner",
            "dev",
            "--spend-limit",
            "5000ufrx",
            "--allow",
            "bank/send",
            "--offline",
            "--chain-id",
            "c1",
            "--nonce",
            "0",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    stdout(&out);
    let decoded: serde_json::Value = serde_json::from_str(&stdout(&fructus(
        home.path(),
        &["tx", "decode", "--file", file.to_str().unwrap()],
    )))
    .unwrap();
    assert_eq!(decoded["messages"][0]["type"], "auth/grant_fee");
    assert_eq!(decoded["messages"][0]["allowed_messages"][0], "bank/send");
    let out = fructus(
        home.path(),
        &[
            "tx",
            "bank",
            "multi-send",
            "dev",
            "owner=1ufrx",
            "dev=2ufrx",
            "--offline",
            "--chain-id",
            "c1",
            "--nonce",
            "0",
            "-o",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["decoded"]["signer"]["algo"], "p256");
    assert_eq!(json["decoded"]["stateless_check"], "ok");
    assert_eq!(
        json["decoded"]["messages"][0]["outputs"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn missing_flags_and_bad_input_say_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    stdout(&fructus(home.path(), &["keys", "add", "alice"]));
    let err = |o: Output| {
        assert!(!o.status.success());
        String::from_utf8(o.stderr).unwrap()
    };
    assert!(
        err(fructus(
            home.path(),
            &[
                "tx",
                "bank",
                "send",
                "alice",
                "alice",
                "1ufrx",
                "--offline",
                "--nonce",
                "0"
            ]
        ))
        .contains("--chain-id")
    );
    assert!(
        err(fructus(
            home.path(),
            &[
                "tx",
                "bank",
                "send",
                "alice",
                "alice",
                "1ufrx",
                "--offline",
                "--chain-id",
                "c"
            ]
        ))
        .contains("--nonce")
    );
    // Online (the default) with no node listening: says how to get one.
    let no_node = err(fructus(
        home.path(),
        &[
            "tx",
            "bank",
            "send",
            "alice",
            "alice",
            "1ufrx",
            "--node",
            "http://127.0.0.1:9",
        ],
    ));
    assert!(no_node.contains("is the node running"), "{no_node}");
    assert!(
        err(fructus(
            home.path(),
            &[
                "tx",
                "bank",
                "send",
                "alice",
                "nobody",
                "1ufrx",
                "--offline",
                "--chain-id",
                "c",
                "--nonce",
                "0"
            ]
        ))
        .contains("neither an fx1")
    );
    assert!(
        err(fructus(
            home.path(),
            &[
                "tx",
                "bank",
                "send",
                "alice",
                "alice",
                "1.5ufrx",
                "--offline",
                "--chain-id",
                "c",
                "--nonce",
                "0"
            ]
        ))
        .contains("invalid")
    );
    assert!(err(fructus(home.path(), &["tx", "decode", "!!notbase64"])).contains("base64"));
    assert!(err(fructus(home.path(), &["tx", "decode", "AAAA"])).contains("cannot decode"));
}

#[test]
fn genesis_validate_names_the_bad_entry() {
    let home = tempfile::tempdir().unwrap();
    let good = home.path().join("good.json");
    std::fs::write(&good, r#"{"chain_id":"c-1","genesis_time":"2026-01-01T00:00:00Z","app_state":{"bank":{"balances":[{"address":"fx16twkaqdqqxms5ymq0ahmhva398lnvuskm5v0t8","coins":[{"denom":"ufrx","amount":"5"}]}]}}}"#).unwrap();
    let ok = stdout(&fructus(
        home.path(),
        &["genesis", "validate", good.to_str().unwrap()],
    ));
    assert!(ok.contains("valid genesis for chain c-1"));
    let bad = home.path().join("bad.json");
    std::fs::write(&bad, r#"{"chain_id":"c-1","genesis_time":"2026-01-01T00:00:00Z","app_state":{"bank":{"balances":[{"address":"fx16twkaqdqqxms5ymq0ahmhva398lnvuskm5v0t8","coins":[{"denom":"uusd","amount":"5"}]}]}}}"#).unwrap();
    let o = fructus(home.path(), &["genesis", "validate", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let msg = String::from_utf8(o.stderr).unwrap();
    assert!(
        msg.contains("bank.balances[0]") && msg.contains("uusd"),
        "{msg}"
    );
}
