//! Interfaces stay apart from implementations: the crate graph of
//! `fructus-client` (normal dependencies, default features) holds no state
//! store, no Merkle tree implementation and no state machine, and the node
//! never links the client SDK.

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::{
    collections::BTreeSet,
    io::Read as _,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

/// Crates the client must never link.
const FORBIDDEN: &[&str] = &[
    "redb",
    "jmt",
    "fructus-storage",
    "fructus-app",
    "fructus-node",
    "fructus-consensus",
    "fructus-rpc",
    "axum",
];

/// How long `cargo tree` may take (it resolves, it does not build).
const TIMEOUT: Duration = Duration::from_secs(120);

/// The package names in `cargo tree -p <package> -e normal`.
fn normal_dependencies(package: &str) -> BTreeSet<String> {
    let mut child = Command::new(env!("CARGO"))
        .args(["tree", "-p", package, "-e", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("cargo tree is waitable") {
            break status;
        }
        if Instant::now() >= deadline {
            child.kill().expect("kill cargo tree");
            panic!("cargo tree took longer than {TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(50));
    };
    let text = reader.join().expect("reader thread").expect("utf-8 output");
    if !status.success() {
        let mut err = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            stderr.read_to_string(&mut err).expect("stderr");
        }
        panic!("cargo tree failed ({status}): {err}");
    }
    text.lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn client_links_no_server_or_storage() {
    let deps = normal_dependencies("fructus-client");
    assert!(
        deps.contains("fructus-light"),
        "cargo tree output not understood: {deps:?}"
    );
    let linked: Vec<&str> = FORBIDDEN
        .iter()
        .copied()
        .filter(|name| deps.contains(*name))
        .collect();
    assert!(
        linked.is_empty(),
        "fructus-client links {linked:?}; use module crates with default-features = false and fructus-light"
    );
}

#[test]
fn node_does_not_link_the_client() {
    let deps = normal_dependencies("fructus-node");
    assert!(
        deps.contains("fructus-keyring"),
        "cargo tree output not understood: {deps:?}"
    );
    assert!(
        !deps.contains("fructus-client"),
        "fructus-node links fructus-client; use fructus-keyring, or the client only as a dev-dependency"
    );
}
