//! Crash safety: a child process (this test binary re-run with an env var)
//! commits versions in a loop and is killed with SIGKILL mid-way; the parent
//! reopens the store and checks it is at a committed version whose root and
//! values are exactly what that version should hold, and that it lost no
//! version the store synced to disk (every one by default; every `n`-th
//! with `Storage::set_sync_every(n)`; with `Storage::set_sync_in_background`,
//! each one by the time the next version's commit returned).

// Test code: a failed step should panic with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fructus_storage::{ChangeSet, StateRead, Storage};

const CHILD_ENV: &str = "FRUCTUS_STORAGE_CRASH_CHILD_DIR";
const SYNC_ENV: &str = "FRUCTUS_STORAGE_CRASH_CHILD_SYNC_EVERY";
const BACKGROUND_ENV: &str = "FRUCTUS_STORAGE_CRASH_CHILD_SYNC_IN_BACKGROUND";
const CALL_SYNC_ENV: &str = "FRUCTUS_STORAGE_CRASH_CHILD_CALL_SYNC";

/// How the child syncs its commits.
#[derive(Clone, Copy, Debug)]
struct Syncing {
    every: u64,
    background: bool,
    /// `Storage::sync` after every commit, before recording it.
    call_sync: bool,
}

impl Syncing {
    /// The newest version that must survive when `last_recorded` is the
    /// last version whose commit returned: the last multiple of `every` up
    /// to it; in the background, up to the one before it (a version's sync
    /// is waited for when the next version is written).
    fn last_synced(self, last_recorded: u64) -> u64 {
        if self.call_sync {
            return last_recorded;
        }
        let settled = if self.background {
            last_recorded.saturating_sub(1)
        } else {
            last_recorded
        };
        settled - settled % self.every
    }
}
const RECORD_FILE: &str = "committed.log";

/// The deterministic changes committed as `version`.
fn changes_for(version: u64) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    out.insert(b"counter".to_vec(), Some(version.to_be_bytes().to_vec()));
    let slot = version % 37;
    // Values of varying size, some spanning several pages.
    let len = usize::try_from((version * 7919) % 9000).unwrap() + 1;
    out.insert(
        format!("slot/{slot:02}").into_bytes(),
        Some(vec![u8::try_from(version % 251).unwrap(); len]),
    );
    if version.is_multiple_of(3) {
        out.insert(
            format!("slot/{:02}", (version + 11) % 37).into_bytes(),
            None,
        );
    }
    out
}

fn model_at(version: u64) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut model = BTreeMap::new();
    for v in 0..=version {
        for (key, value) in changes_for(v) {
            match value {
                Some(value) => model.insert(key, value),
                None => model.remove(&key),
            };
        }
    }
    model
}

/// Entry point of the child process; a no-op in a normal test run.
#[test]
fn crash_child_process() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = Path::new(&dir);
    let storage = Storage::open(dir).unwrap();
    let sync_every: u64 = std::env::var(SYNC_ENV).unwrap().parse().unwrap();
    storage.set_sync_every(sync_every);
    storage.set_sync_in_background(std::env::var(BACKGROUND_ENV).is_ok_and(|v| v == "1"));
    let call_sync = std::env::var(CALL_SYNC_ENV).is_ok_and(|v| v == "1");
    let mut record = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(RECORD_FILE))
        .unwrap();
    let first = storage.latest_version().map_or(0, |v| v + 1);
    for version in first.. {
        let root = storage
            .commit(ChangeSet::from(changes_for(version)), version)
            .unwrap();
        if call_sync {
            storage.sync().unwrap();
        }
        // Recorded only after the commit returned: every recorded version
        // is committed, and durable if it is a multiple of `sync_every`
        // (in the background: once the next version is recorded).
        record
            .write_all(format!("{version} {root}\n").as_bytes())
            .unwrap();
    }
}

fn recorded(dir: &Path) -> Vec<(u64, String)> {
    let text = std::fs::read_to_string(dir.join(RECORD_FILE)).unwrap_or_default();
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    complete
        .lines()
        .map(|line| {
            let (version, root) = line.split_once(' ').unwrap();
            (version.parse().unwrap(), root.to_owned())
        })
        .collect()
}

fn run_child_and_kill(dir: &Path, at_least: usize, syncing: Syncing) {
    let before = recorded(dir).len();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child_process",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir)
        .env(SYNC_ENV, syncing.every.to_string())
        .env(BACKGROUND_ENV, if syncing.background { "1" } else { "0" })
        .env(CALL_SYNC_ENV, if syncing.call_sync { "1" } else { "0" })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while recorded(dir).len() < before + at_least {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("child exited early: {status}");
        }
        assert!(Instant::now() < deadline, "child made no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL on Unix: no destructors, no flush, mid-commit as likely as not.
    child.kill().unwrap();
    child.wait().unwrap();
}

fn check_recovered(dir: &Path, syncing: Syncing) -> u64 {
    let records = recorded(dir);
    let (last_recorded, _) = records.last().cloned().unwrap();
    let storage = Storage::open(dir).unwrap();
    let latest = storage.latest_version().unwrap();
    // Every synced version survives (see `Syncing::last_synced`). Only the
    // versions after it may be lost, and at most the one being committed
    // (unrecorded) may be there too.
    let last_synced = syncing.last_synced(last_recorded);
    assert!(
        (last_synced..=last_recorded + 1).contains(&latest),
        "latest {latest} vs last recorded {last_recorded}, {syncing:?}"
    );
    for (version, root) in records.iter().filter(|(v, _)| *v <= latest) {
        assert_eq!(&storage.root_hash(*version).unwrap().to_string(), root);
    }

    let snapshot = storage.latest_snapshot().unwrap();
    assert_eq!(snapshot.version(), Some(latest));
    let model = model_at(latest);
    let stored: BTreeMap<Vec<u8>, Vec<u8>> = snapshot
        .prefix_raw(b"", None, usize::MAX)
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(stored, model, "kv index differs from version {latest}");

    let root = storage.root_hash(latest).unwrap();
    for (key, value) in model.iter().take(5) {
        let (proven, proof) = storage.get_with_proof(key, latest).unwrap();
        assert_eq!(proven.as_ref(), Some(value));
        proof.verify_membership(&root, key, value).unwrap();
    }
    drop(snapshot);

    // The recovered store keeps committing.
    let next = latest + 1;
    storage
        .commit(ChangeSet::from(changes_for(next)), next)
        .unwrap();
    // Rewrite the log (dropping any torn last line and the versions the
    // crash lost) so later rounds see exactly the committed versions.
    let mut log = String::new();
    for (version, root) in records.iter().filter(|(v, _)| *v <= latest) {
        log.push_str(&format!("{version} {root}\n"));
    }
    for version in (last_recorded.min(latest) + 1)..=next {
        let root = storage.root_hash(version).unwrap();
        log.push_str(&format!("{version} {root}\n"));
    }
    std::fs::write(dir.join(RECORD_FILE), log).unwrap();
    next
}

fn survives_sigkills(syncing: Syncing) {
    let dir = tempfile::tempdir().unwrap();
    // Round 1 starts from an empty store; later rounds from recovered ones.
    let mut last = None;
    for at_least in [25, 7, 40, 13] {
        run_child_and_kill(dir.path(), at_least, syncing);
        let recovered = check_recovered(dir.path(), syncing);
        assert!(last.is_none_or(|l| recovered > l));
        last = Some(recovered);
    }
}

#[test]
fn store_survives_sigkill_during_commits() {
    survives_sigkills(Syncing {
        every: 1,
        background: false,
        call_sync: false,
    });
}

#[test]
fn a_store_syncing_every_fourth_version_loses_only_unsynced_ones() {
    survives_sigkills(Syncing {
        every: 4,
        background: false,
        call_sync: false,
    });
}

#[test]
fn a_store_syncing_in_the_background_loses_at_most_the_last_version() {
    survives_sigkills(Syncing {
        every: 1,
        background: true,
        call_sync: false,
    });
}

#[test]
fn a_store_syncing_every_third_version_in_the_background_loses_only_unsynced_ones() {
    survives_sigkills(Syncing {
        every: 3,
        background: true,
        call_sync: false,
    });
}

#[test]
fn sync_makes_the_versions_the_interval_skips_durable() {
    // Every 1000th version only: no version of these rounds is synced by
    // the interval, so each survives only through `Storage::sync`.
    survives_sigkills(Syncing {
        every: 1000,
        background: true,
        call_sync: true,
    });
}
