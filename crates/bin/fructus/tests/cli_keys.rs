//! `fructus keys` end to end: the built binary run in a temporary home, with
//! the test backend and with the file backend unlocked through
//! `FRUCTUS_KEYRING_PASSPHRASE` or `--passphrase-file`.
//!
//! File-backend commands pay for real argon2id (~1 s in a debug build), so
//! they are few.

// Test code: a failed step should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
    io::Write as _,
    path::Path,
    process::{Command, Output, Stdio},
};

use serde_json::Value;
use tempfile::TempDir;

/// One `fructus` invocation.
#[derive(Clone, Copy)]
struct Run<'a> {
    home: &'a Path,
    backend: &'a str,
    passphrase_env: Option<&'a str>,
    stdin: Option<&'a str>,
}

impl<'a> Run<'a> {
    fn test(home: &'a Path) -> Self {
        Run {
            home,
            backend: "test",
            passphrase_env: None,
            stdin: None,
        }
    }

    fn file(home: &'a Path, passphrase_env: Option<&'a str>) -> Self {
        Run {
            home,
            backend: "file",
            passphrase_env,
            stdin: None,
        }
    }

    fn stdin(mut self, text: &'a str) -> Self {
        self.stdin = Some(text);
        self
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fructus"));
        cmd.arg("--home")
            .arg(self.home)
            .args(["--keyring-backend", self.backend])
            .args(args)
            .env_remove("FRUCTUS_HOME")
            .env_remove("FRUCTUS_KEYRING_BACKEND")
            .env_remove("FRUCTUS_KEYRING_PASSPHRASE")
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(pass) = self.passphrase_env {
            cmd.env("FRUCTUS_KEYRING_PASSPHRASE", pass);
        }
        let mut child = cmd.spawn().expect("spawn fructus");
        if let Some(text) = self.stdin {
            let mut stdin = child.stdin.take().expect("piped stdin");
            // A command refused before it reads stdin closes the pipe early.
            if let Err(e) = stdin.write_all(text.as_bytes()) {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
            }
        }
        child.wait_with_output().expect("wait for fructus")
    }

    /// Runs and requires success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "fructus {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs and requires failure; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "fructus {args:?} unexpectedly succeeded:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }
}

fn assert_key_json(v: &Value, name: &str, algo: &str) {
    assert_eq!(v["name"], name, "{v}");
    assert_eq!(v["algo"], algo, "{v}");
    let address = v["address"].as_str().expect("address string");
    assert!(address.starts_with("fx1"), "{v}");
    let pubkey = v["pubkey"].as_str().expect("pubkey string");
    assert!(hex::decode(pubkey).is_ok(), "{v}");
}

#[test]
fn test_backend_add_list_show_recover_delete() {
    let home = TempDir::new().unwrap();
    let cli = Run::test(home.path());

    // add (text): prints the key and, once, the mnemonic with a warning
    let out = cli.ok(&["keys", "add", "alice"]);
    assert!(out.contains("name:    alice"), "{out}");
    assert!(out.contains("Write this mnemonic down"), "{out}");
    let mnemonic = out.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(mnemonic.split_whitespace().count(), 24, "{out}");

    // add p256 (json): no mnemonic
    let bob = cli.json(&["keys", "add", "bob", "--algo", "p256"]);
    assert_key_json(&bob, "bob", "p256");
    assert!(bob.get("mnemonic").is_none(), "{bob}");

    // list --output json
    let list = cli.json(&["keys", "list"]);
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    assert_key_json(&list[0], "alice", "ed25519");
    assert_key_json(&list[1], "bob", "p256");
    for entry in list {
        let mut fields: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        assert_eq!(fields, ["address", "algo", "name", "pubkey"]);
    }
    let alice_address = list[0]["address"].as_str().unwrap().to_owned();

    // show --address prints exactly the address
    assert_eq!(
        cli.ok(&["keys", "show", "alice", "--address"]),
        format!("{alice_address}\n")
    );
    assert_eq!(cli.json(&["keys", "show", "alice"]), list[0]);
    // show --pubkey prints ALGO:HEX, the form key arguments take
    let shown = cli.json(&["keys", "show", "alice"]);
    assert_eq!(
        cli.ok(&["keys", "show", "alice", "--pubkey"]),
        format!(
            "{}:{}\n",
            shown["algo"].as_str().unwrap(),
            shown["pubkey"].as_str().unwrap()
        )
    );
    let table = cli.ok(&["keys", "list"]);
    assert!(table.starts_with("NAME"), "{table}");
    assert!(table.contains(&alice_address), "{table}");

    // recover from the mnemonic on stdin gives the same address
    let recovered =
        cli.stdin(&format!("{mnemonic}\n"))
            .json(&["keys", "add", "alice2", "--recover"]);
    assert_eq!(recovered["address"], alice_address.as_str());
    assert!(recovered.get("mnemonic").is_none(), "{recovered}");
    let err = cli
        .stdin("not a mnemonic\n")
        .fails(&["keys", "add", "x", "--recover"]);
    assert!(err.contains("invalid mnemonic"), "{err}");

    // duplicates and bad names are refused
    let err = cli.fails(&["keys", "add", "alice"]);
    assert!(err.contains("already exists"), "{err}");
    let err = cli.fails(&["keys", "add", "../evil"]);
    assert!(err.contains("invalid key name"), "{err}");

    // delete needs --yes
    let err = cli.fails(&["keys", "delete", "alice"]);
    assert!(err.contains("--yes"), "{err}");
    cli.ok(&["keys", "show", "alice"]);
    let out = cli.ok(&["keys", "delete", "alice", "--yes"]);
    assert!(out.contains("deleted key alice"), "{out}");

    // unknown keys point to `keys list`
    let err = cli.fails(&["keys", "show", "alice"]);
    assert!(err.contains("keys list"), "{err}");
    let err = cli.fails(&["keys", "delete", "nobody", "--yes"]);
    assert!(err.contains("keys list"), "{err}");
}

#[test]
fn test_backend_secret_hex_import_and_export() {
    let home = TempDir::new().unwrap();
    let cli = Run::test(home.path());
    let secret = "42".repeat(32);
    let imported = cli.json(&[
        "keys",
        "import",
        "dev",
        "--secret-hex",
        &secret,
        "--algo",
        "p256",
    ]);
    assert_key_json(&imported, "dev", "p256");

    let err = cli.fails(&["keys", "export", "dev", "--unarmored-hex"]);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(
        cli.ok(&["keys", "export", "dev", "--unarmored-hex", "--yes"]),
        format!("{secret}\n")
    );

    let same =
        cli.stdin(&format!("{secret}\n"))
            .fails(&["keys", "import", "dev2", "--secret-hex", "-"]);
    assert!(same.contains("--algo"), "clap requires --algo: {same}");
    let via_stdin = cli.stdin(&format!("{secret}\n")).json(&[
        "keys",
        "import",
        "dev2",
        "--secret-hex",
        "-",
        "--algo",
        "p256",
    ]);
    assert_eq!(via_stdin["address"], imported["address"]);

    let err = cli.fails(&[
        "keys",
        "import",
        "bad",
        "--secret-hex",
        "abcd",
        "--algo",
        "ed25519",
    ]);
    assert!(err.contains("64 hex characters"), "{err}");
}

#[test]
fn file_backend_with_passphrase_from_env_and_file() {
    let home = TempDir::new().unwrap();
    let cli = Run::file(home.path(), Some("correct horse battery"));

    let added = cli.json(&["keys", "add", "alice"]);
    assert_key_json(&added, "alice", "ed25519");
    let mnemonic = added["mnemonic"]
        .as_str()
        .expect("mnemonic for new ed25519 key");
    assert_eq!(mnemonic.split_whitespace().count(), 24);

    let on_disk = std::fs::read_to_string(home.path().join("keyring-file/alice.json")).unwrap();
    assert!(on_disk.contains("argon2id"), "{on_disk}");
    assert!(!on_disk.contains("unencrypted"), "{on_disk}");

    // list and show need no passphrase
    let locked = Run::file(home.path(), None);
    let list = locked.json(&["keys", "list"]);
    assert_eq!(list[0], {
        let mut v = added.clone();
        v.as_object_mut().unwrap().remove("mnemonic");
        v
    });
    let address = added["address"].as_str().unwrap();
    assert_eq!(
        locked
            .ok(&["keys", "show", "alice", "--address"])
            .trim_end(),
        address
    );

    // recover into another home, passphrase from --passphrase-file
    let home2 = TempDir::new().unwrap();
    let pass_file = home2.path().join("pass.txt");
    std::fs::write(&pass_file, "another passphrase\n").unwrap();
    let pass_file = pass_file.to_str().unwrap();
    let recovered = Run::file(home2.path(), None)
        .stdin(&format!("{mnemonic}\n"))
        .json(&[
            "keys",
            "add",
            "alice",
            "--recover",
            "--passphrase-file",
            pass_file,
        ]);
    assert_eq!(recovered["address"], address);

    // the wrong passphrase is reported as such
    let err = Run::file(home.path(), Some("wrong")).fails(&[
        "keys",
        "export",
        "alice",
        "--unarmored-hex",
        "--yes",
    ]);
    assert!(err.contains("wrong passphrase"), "{err}");
}

#[test]
fn armor_export_imports_into_a_file_keyring_elsewhere() {
    let home = TempDir::new().unwrap();
    let source = Run {
        passphrase_env: Some("export pass"),
        ..Run::test(home.path())
    };
    let dev = source.json(&["keys", "add", "dev", "--algo", "p256"]);
    let armor = source.ok(&["keys", "export", "dev"]);
    let parsed: Value = serde_json::from_str(&armor).expect("armor is JSON");
    assert_eq!(parsed["backend"], "file");
    assert!(parsed.get("secret").is_none(), "{armor}");

    let home2 = TempDir::new().unwrap();
    let armor_path = home2.path().join("dev.armor.json");
    std::fs::write(&armor_path, &armor).unwrap();
    let imported = Run::file(home2.path(), Some("export pass")).json(&[
        "keys",
        "import",
        "dev-copy",
        armor_path.to_str().unwrap(),
    ]);
    assert_key_json(&imported, "dev-copy", "p256");
    assert_eq!(imported["address"], dev["address"]);
}

#[test]
fn an_account_argument_says_whether_it_is_a_foreign_address_or_an_unknown_key() {
    let home = TempDir::new().unwrap();
    let cli = Run::test(home.path());
    // A valid bech32 address of another chain: named as such, before any
    // node is contacted.
    let foreign = cli.run(&[
        "query",
        "account",
        "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a",
        "--node",
        "http://127.0.0.1:1",
    ]);
    assert!(!foreign.status.success());
    let why = String::from_utf8_lossy(&foreign.stderr);
    assert!(
        why.contains("prefix must be \"fx\", got \"cosmos\"") && why.contains("start with fx1"),
        "{why}"
    );
    // A plain name that is no key: the keyring says so and how to list keys.
    let unknown = cli.run(&["query", "account", "nokey", "--node", "http://127.0.0.1:1"]);
    let why = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        why.contains("neither an fx1… address nor a key") && why.contains("fructus keys list"),
        "{why}"
    );
}
