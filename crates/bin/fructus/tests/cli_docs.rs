//! `fructus completions` and `fructus man` are generated from the command
//! line itself: every shell's script and the man pages name the commands
//! the binary accepts, and a bad shell name is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn fructus(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fructus"))
        .args(args)
        .output()
        .expect("run fructus")
}

#[test]
fn completions_name_every_module_command_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = fructus(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = String::from_utf8(out.stdout).expect("utf-8");
        for word in [
            "swap-exact-out",
            "create-class",
            "store-record",
            "keyring-backend",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let bad = fructus(&["completions", "nosh"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("possible values"));
}

#[test]
fn man_writes_one_page_per_command_without_help_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = fructus(&[
        "man",
        "--out-dir",
        dir.path().to_str().expect("path"),
        "-o",
        "json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let listed = listed["pages"].as_array().expect("pages").len();
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), listed, "every listed page is a distinct file");
    assert!(files.iter().all(|f| !f.contains("-help")), "{files:?}");
    let page = std::fs::read_to_string(dir.path().join("fructus-tx-bank-send.1")).expect("page");
    assert!(page.contains(".TH fructus-tx-bank-send 1"), "{page}");
    assert!(
        page.contains("Send coins"),
        "the page carries the --help text"
    );
    assert!(dir.path().join("fructus-query-amm-twap.1").is_file());
}
