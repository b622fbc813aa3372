//! `fructus bench`: every workload runs once with a tiny count and writes
//! JSON of the expected shape, so the harness cannot rot. No speed is ever
//! asserted here — figures are measured by hand with a release build and
//! recorded in docs/benchmarks.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::process::Command;

use serde_json::Value;

mod common;
use common::bin;

/// Runs `fructus bench <args> --json <tmp>` and returns the parsed JSON and
/// the table printed on stdout.
fn bench(args: &[&str]) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let out = Command::new(bin())
        .arg("--home")
        .arg(dir.path().join("home"))
        .arg("bench")
        .args(args)
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "bench {args:?} failed:\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&json).unwrap();
    (serde_json::from_str(&text).unwrap(), stdout)
}

fn number(v: &Value, path: &[&str]) -> f64 {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number in {v:#}"))
}

/// Fields every report carries, with the ceiling measured first.
fn check_common(v: &Value, workload: &str, count: u64, devices: u64) {
    assert_eq!(v["workload"], workload);
    assert_eq!(v["params"]["count"], count);
    assert_eq!(v["params"]["devices"], devices);
    assert!(v["date"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(number(v, &["machine", "cores"]) >= 1.0);
    assert!(number(v, &["ceiling", "ed25519_sigs_per_sec"]) > 0.0);
    assert!(number(v, &["ceiling", "p256_sigs_per_sec"]) > 0.0);
    assert_eq!(v["ceiling"]["message_bytes"], 100);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows[0]["name"], "ceiling ed25519");
    assert_eq!(rows[1]["name"], "ceiling p256");
    for row in rows {
        for field in [
            "name",
            "count",
            "elapsed_secs",
            "rate_per_sec",
            "ratio_to_ceiling",
            "notes",
        ] {
            assert!(row.get(field).is_some(), "row lacks {field}: {row:#}");
        }
    }
}

fn row<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name:?} in {v:#}"))
}

#[test]
fn ceiling_runs_and_reports_both_algorithms() {
    let (v, table) = bench(&["ceiling", "--count", "200", "--devices", "10"]);
    check_common(&v, "ceiling", 200, 10);
    assert_eq!(v["ceiling"]["ed25519_count"], 200);
    assert_eq!(v["rows"].as_array().unwrap().len(), 2);
    assert!(table.contains("ceiling ed25519"), "{table}");
    assert!(table.contains("x ceiling"), "{table}");
}

#[test]
fn app_executes_every_transfer_in_blocks() {
    let (v, table) = bench(&[
        "app",
        "--count",
        "200",
        "--devices",
        "10",
        "--block-size",
        "50",
    ]);
    check_common(&v, "app", 200, 10);
    let app = &v["details"]["app"];
    assert_eq!(app["load"], "transfers");
    assert_eq!(app["blocks"], 4);
    assert_eq!(app["txs_ok"], 200);
    assert_eq!(app["txs_failed"], 0);
    // Directory growth: redb allocates in steps, so a tiny run may add 0.
    assert!(number(app, &["state_bytes_written"]) >= 0.0);
    assert_eq!(app["state_bytes_method"], "storage directory size growth");
    assert!(number(app, &["peak_rss_bytes"]) > 0.0);
    assert!(number(app, &["ratio_to_ceiling"]) > 0.0);
    assert_eq!(row(&v, "app transfers")["count"], 200);
    assert!(table.contains("app transfers"), "{table}");
}

#[test]
fn app_executes_every_reading_of_registered_devices() {
    let (v, table) = bench(&[
        "app",
        "--load",
        "readings",
        "--count",
        "120",
        "--devices",
        "6",
        "--block-size",
        "40",
    ]);
    check_common(&v, "app", 120, 6);
    let app = &v["details"]["app"];
    assert_eq!(app["load"], "readings");
    assert_eq!(app["blocks"], 3);
    // Every reading billed: none refused (a regression, replay, missing
    // contract or empty escrow would fail them).
    assert_eq!(app["txs_ok"], 120, "{v:#}");
    assert_eq!(app["txs_failed"], 0);
    assert_eq!(row(&v, "app readings")["count"], 120);
    assert!(table.contains("app readings"), "{table}");
    // The default is a node's: both passes of every block in parallel
    // groups (one per device), none falling back to block order.
    assert_eq!(app["execution"], "parallel");
    assert_eq!(app["parallel_blocks"], 6, "{v:#}");
    assert_eq!(app["parallel_fell_back"], 0, "{v:#}");
    assert_eq!(app["parallel_groups_run"], 36, "{v:#}");
    // The state synced as a node's default `[storage]` says.
    assert_eq!(app["sync_every"], 1, "{v:#}");
    assert_eq!(app["sync_in_background"], true, "{v:#}");
    assert!(
        table.contains("synced every 1 block(s) in the background"),
        "{table}"
    );
}

#[test]
fn app_runs_the_sequential_reference_on_request() {
    let (v, table) = bench(&[
        "app",
        "--load",
        "readings",
        "--count",
        "40",
        "--devices",
        "4",
        "--block-size",
        "20",
        "--execution",
        "sequential",
        "--sync-every",
        "2",
        "--sync-in-background",
        "false",
    ]);
    check_common(&v, "app", 40, 4);
    let app = &v["details"]["app"];
    assert_eq!(app["execution"], "sequential");
    assert_eq!(app["sync_every"], 2, "{v:#}");
    assert_eq!(app["sync_in_background"], false, "{v:#}");
    assert!(table.contains("synced every 2 block(s) ("), "{table}");
    assert_eq!(app["txs_ok"], 40, "{v:#}");
    assert_eq!(app["parallel_blocks"], 0, "{v:#}");
    assert_eq!(app["parallel_groups_run"], 0, "{v:#}");
    assert!(table.contains("sequential execution"), "{table}");
}

#[test]
fn app_pipelined_and_phase_by_phase_reach_the_same_app_hash() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "app",
            "--load",
            "readings",
            "--count",
            "60",
            "--devices",
            "3",
            "--block-size",
            "20",
        ];
        args.extend_from_slice(extra);
        bench(&args)
    };
    let (pipelined, table) = run(&[]);
    let (phased, phased_table) = run(&["--pipeline", "false", "--execution", "sequential"]);
    let (a, b) = (&pipelined["details"]["app"], &phased["details"]["app"]);
    assert_eq!(a["pipeline"], true, "{pipelined:#}");
    assert_eq!(b["pipeline"], false, "{phased:#}");
    assert_eq!(a["txs_ok"], 60, "{pipelined:#}");
    assert_eq!(b["txs_ok"], 60, "{phased:#}");
    let hash = a["app_hash"].as_str().unwrap_or_default();
    assert_eq!(hash.len(), 64, "{pipelined:#}");
    assert_eq!(b["app_hash"], hash, "the same blocks, the same state");
    assert!(table.contains("the phases overlap"), "{table}");
    assert!(table.contains("pipelined:"), "{table}");
    assert!(phased_table.contains("check_batch alone"), "{phased_table}");
    assert!(!phased_table.contains("pipelined:"), "{phased_table}");
    // One after another, the phases fit inside the run.
    let phases: f64 = ["stateless_check_secs", "deliver_secs", "commit_secs"]
        .iter()
        .map(|k| number(&phased, &["details", "app", k]))
        .sum();
    assert!(
        phases <= number(&phased, &["details", "app", "total_secs"]),
        "{phased:#}"
    );
}

#[test]
fn app_executes_every_reading_of_p256_devices_against_the_p256_ceiling() {
    let (v, table) = bench(&[
        "app",
        "--load",
        "readings",
        "--algo",
        "p256",
        "--count",
        "60",
        "--devices",
        "4",
        "--block-size",
        "30",
    ]);
    check_common(&v, "app", 60, 4);
    assert_eq!(v["params"]["algo"], "p256");
    assert_eq!(v["ratio_against"], "ceiling p256");
    let app = &v["details"]["app"];
    assert_eq!(app["txs_ok"], 60, "{v:#}");
    assert_eq!(app["txs_failed"], 0);
    // The ratio divides by the P-256 ceiling, not the ed25519 one.
    let expected = number(app, &["txs_per_sec"]) / number(&v, &["ceiling", "p256_sigs_per_sec"]);
    let ratio = number(app, &["ratio_to_ceiling"]);
    assert!(
        (ratio - expected).abs() <= expected * 1e-9,
        "{ratio} vs {expected}"
    );
    assert!(table.contains("p256 ceiling"), "{table}");
}

fn check_load(v: &Value, name: &str, count: u64, validators: u64) {
    check_common(v, name, count, 5);
    assert_eq!(v["params"]["validators"], validators);
    let d = &v["details"][name];
    assert_eq!(d["validators"], validators);
    assert_eq!(d["submitted"], count);
    // The node may refuse a few (it counts them); every admitted transfer
    // commits and succeeds, and the row counts exactly the successes.
    let admitted = d["admitted"].as_u64().unwrap();
    assert!(admitted > 0 && admitted <= count, "{d:#}");
    assert_eq!(d["committed"], admitted, "{d:#}");
    assert_eq!(d["succeeded"], admitted, "{d:#}");
    assert!(d["rejections_total"].is_u64());
    assert!(number(d, &["latency_ms", "p50"]) > 0.0);
    assert!(number(d, &["latency_ms", "p99"]) >= number(d, &["latency_ms", "p50"]));
    let load = d["load"].as_str().unwrap();
    assert_eq!(
        row(v, &format!("{name} committed {load}"))["count"],
        admitted
    );
}

#[test]
fn node_commits_every_submitted_transfer() {
    let (v, _) = bench(&[
        "node",
        "--count",
        "60",
        "--devices",
        "5",
        "--concurrency",
        "4",
    ]);
    check_load(&v, "node", 60, 1);
    assert_eq!(v["details"]["node"]["batch"], 1, "{v:#}");
}

#[test]
fn node_commits_every_transfer_submitted_in_batches() {
    let (v, _) = bench(&[
        "node",
        "--count",
        "60",
        "--devices",
        "5",
        "--concurrency",
        "2",
        "--batch",
        "16",
    ]);
    check_load(&v, "node", 60, 1);
    assert_eq!(v["details"]["node"]["batch"], 16, "{v:#}");
}

#[test]
fn node_commits_every_reading_of_devices_it_set_up() {
    let (v, _) = bench(&[
        "node",
        "--load",
        "readings",
        "--count",
        "60",
        "--devices",
        "5",
        "--concurrency",
        "2",
        "--batch",
        "10",
    ]);
    check_load(&v, "node", 60, 1);
    assert_eq!(v["details"]["node"]["load"], "readings", "{v:#}");
    // Readings need no account nonce: nothing is refused for ordering.
    assert_eq!(v["details"]["node"]["admitted"], 60, "{v:#}");
    // The node's block phases during the run, from its /metrics: the
    // blocks that carried the readings were planned, executed, committed
    // and stored.
    let phases = &v["details"]["node"]["block_phases_secs"];
    for phase in ["plan", "execute", "commit", "store"] {
        let secs = phases[phase].as_f64().unwrap_or(-1.0);
        assert!(secs > 0.0, "{phase}: {phases}");
    }
    assert!(
        phases["mempool_update"].as_f64().is_some_and(|s| s >= 0.0),
        "{phases}"
    );
    // Node 0's CPU time over the run, from /proc: it verified, executed
    // and stored the readings, so it spent some.
    let node = &v["details"]["node"];
    assert!(
        node["node0_cpu_secs"].as_f64().is_some_and(|s| s > 0.0),
        "{node:#}"
    );
    assert!(
        node["node0_cpu_us_per_tx"]
            .as_f64()
            .is_some_and(|us| us > 0.0),
        "{node:#}"
    );
}

#[test]
fn node_commits_every_reading_of_p256_devices() {
    let (v, _) = bench(&[
        "node",
        "--load",
        "readings",
        "--algo",
        "p256",
        "--count",
        "40",
        "--devices",
        "5",
        "--concurrency",
        "2",
        "--batch",
        "10",
    ]);
    check_load(&v, "node", 40, 1);
    assert_eq!(v["params"]["algo"], "p256");
    assert_eq!(v["details"]["node"]["admitted"], 40, "{v:#}");
}

#[test]
fn network_commits_every_submitted_transfer_round_robin() {
    let (v, _) = bench(&[
        "network",
        "--count",
        "60",
        "--devices",
        "5",
        "--validators",
        "2",
        "--concurrency",
        "4",
        "--rate",
        "100",
    ]);
    check_load(&v, "network", 60, 2);
}

#[test]
fn app_refuses_a_sync_interval_a_node_would_refuse_and_a_flag_that_is_no_bool() {
    // Refused while the arguments are parsed: named in the message, and
    // nothing is run.
    let refused = |flag: &str, value: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = common::cli(dir.path(), &["bench", "app", "--count", "4", flag, value]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{flag} {value} was accepted");
        assert!(stderr.contains(flag), "{flag} {value}: {stderr}");
    };
    for bad in ["0", "65", "x"] {
        refused("--sync-every", bad);
    }
    refused("--sync-in-background", "maybe");
    refused("--pipeline", "maybe");
}
