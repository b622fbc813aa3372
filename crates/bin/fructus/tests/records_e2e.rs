//! Regulator-only records end to end on a running node, through the CLI:
//! the regulator registers its encryption key, alice stores a record about
//! herself, the regulator decrypts it with its keyring key; bob (not a
//! regulator) cannot; a disclosed plaintext verifies against the salted
//! commitment only together with its salt, a tampered one does not; the
//! plaintext (and its unsalted hash) never appears in what the node serves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;

use std::time::Duration;

use common::{Net, cli};

fn ok(net: &Net, args: &[&str]) -> serde_json::Value {
    let api = net.api(0);
    let mut all = args.to_vec();
    all.extend(["--node", &api, "-o", "json"]);
    if args.first() == Some(&"tx") {
        all.push("--wait");
    }
    let out = cli(net.home(0), &all);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn records_are_sealed_to_regulators_and_opened_only_by_them() {
    let mut net = Net::create(1);
    net.start(0);
    net.wait_height(0, 1, Duration::from_secs(60));
    let dir = tempfile::tempdir().unwrap();
    let secret = b"KYC file of alice: passport 123456789, UBO Jane Doe".to_vec();
    let plain = dir.path().join("kyc.txt");
    std::fs::write(&plain, &secret).unwrap();
    let plain_s = plain.to_str().unwrap();
    let api = net.api(0);

    // Before any regulator key is registered nobody could read a record:
    // the CLI refuses to seal it, and says what to do.
    let early = cli(
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
            plain_s,
            "--node",
            &api,
        ],
    );
    assert!(!early.status.success());
    assert!(
        String::from_utf8_lossy(&early.stderr).contains("register-encryption-key"),
        "{}",
        String::from_utf8_lossy(&early.stderr)
    );

    // Only a regulator may register an encryption key.
    let bob_reg = cli(
        net.home(0),
        &[
            "tx",
            "identity",
            "register-encryption-key",
            "bob",
            "--node",
            &api,
            "--wait",
        ],
    );
    assert!(!bob_reg.status.success(), "bob registered a records key");

    let reg = ok(
        &net,
        &["tx", "identity", "register-encryption-key", "regulator"],
    );
    assert_eq!(reg["result"]["code"], 0, "{reg}");
    let regulator = cli(net.home(0), &["keys", "show", "regulator", "-o", "json"]);
    let regulator: serde_json::Value = serde_json::from_slice(&regulator.stdout).unwrap();
    // The records key is a key of its own, created in the keyring, not the
    // regulator's account key.
    let records_key = cli(
        net.home(0),
        &["keys", "show", "regulator-records", "-o", "json"],
    );
    assert!(records_key.status.success(), "no records key was created");
    let records_key: serde_json::Value = serde_json::from_slice(&records_key.stdout).unwrap();
    assert_ne!(records_key["pubkey"], regulator["pubkey"]);
    let regulators = ok(&net, &["query", "identity", "regulators"]);
    let mine = regulators
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == regulator["address"])
        .unwrap_or_else(|| panic!("the demo regulator is not listed: {regulators}"));
    assert!(
        mine["encryption_key"]
            .as_str()
            .is_some_and(|k| k.len() == 64),
        "{regulators}"
    );

    let stored = ok(
        &net,
        &[
            "tx",
            "identity",
            "store-record",
            "alice",
            "alice",
            "--kind",
            "kyc_file",
            "--file",
            plain_s,
        ],
    );
    assert_eq!(stored["result"]["code"], 0, "{stored}");

    // What the node serves holds the hash and ciphertext, never the plaintext.
    let alice = cli(net.home(0), &["keys", "show", "alice", "-o", "json"]);
    let alice: serde_json::Value = serde_json::from_slice(&alice.stdout).unwrap();
    let alice_addr = alice["address"].as_str().unwrap();
    let listed = ok(&net, &["query", "identity", "records", alice_addr]);
    let record = &listed[0];
    let id = record["id"].as_u64().unwrap();
    assert_eq!(record["kind"], "kyc_file");
    let served = serde_json::to_string(&listed).unwrap();
    // Only a salted commitment: the plain SHA-256 of the file is nowhere.
    assert_eq!(record["commitment"].as_str().unwrap().len(), 64);
    assert!(!served.contains(&hex::encode(fructus_crypto::sha256(&secret))));
    assert!(!served.contains("passport"));
    assert!(!served.contains(&hex::encode(&secret[..16])));
    let one = ok(&net, &["query", "identity", "record", &id.to_string()]);
    assert_eq!(one["ciphertext"], record["ciphertext"]);

    // The regulator opens it with its keyring key.
    let out_path = dir.path().join("opened.txt");
    let opened = ok(
        &net,
        &[
            "records",
            "decrypt",
            &id.to_string(),
            "--key",
            "regulator",
            "--out",
            out_path.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read(&out_path).unwrap(), secret);
    let salt = opened["salt"].as_str().unwrap().to_owned();
    assert_eq!(salt.len(), 64);

    // bob is not a recipient: refused, with the reason.
    let bob = cli(
        net.home(0),
        &[
            "records",
            "decrypt",
            &id.to_string(),
            "--key",
            "bob",
            "--node",
            &api,
        ],
    );
    assert!(!bob.status.success());
    assert!(bob.stdout.is_empty(), "bob got output: {:?}", bob.stdout);
    let err = String::from_utf8_lossy(&bob.stderr);
    assert!(
        err.contains("only the regulators it was sealed to"),
        "{err}"
    );

    // A disclosed copy with its salt verifies; without the right salt, or
    // tampered, it does not.
    let verified = ok(
        &net,
        &[
            "records",
            "verify",
            &id.to_string(),
            "--file",
            plain_s,
            "--salt",
            &salt,
        ],
    );
    assert_eq!(verified["matches"], true);
    // store-record kept the salt beside the file; verify finds it there.
    let salt_file = format!("{plain_s}.salt");
    assert_eq!(
        std::fs::read_to_string(&salt_file).unwrap().trim(),
        salt,
        "the salt file holds the record's salt"
    );
    let by_file = ok(
        &net,
        &["records", "verify", &id.to_string(), "--file", plain_s],
    );
    assert_eq!(by_file["matches"], true);
    let wrong_salt = cli(
        net.home(0),
        &[
            "records",
            "verify",
            &id.to_string(),
            "--file",
            plain_s,
            "--salt",
            &"00".repeat(32),
            "--node",
            &api,
        ],
    );
    assert!(!wrong_salt.status.success());
    let tampered = dir.path().join("tampered.txt");
    let mut bad = secret.clone();
    bad[0] ^= 1;
    std::fs::write(&tampered, &bad).unwrap();
    let check = cli(
        net.home(0),
        &[
            "records",
            "verify",
            &id.to_string(),
            "--file",
            tampered.to_str().unwrap(),
            "--salt",
            &salt,
            "--node",
            &api,
        ],
    );
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("does NOT match"));

    // An unknown record id is a clear error.
    let missing = cli(
        net.home(0),
        &[
            "records",
            "decrypt",
            "999",
            "--key",
            "regulator",
            "--node",
            &api,
        ],
    );
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no record 999"));
}
