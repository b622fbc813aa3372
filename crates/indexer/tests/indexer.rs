//! The indexer against a real database: SQLite always (a temporary file),
//! PostgreSQL when its server binaries are installed (a throw-away server
//! on 127.0.0.1; skipped with a printed reason otherwise). The same
//! scenarios run on both: every history route, idempotent replay,
//! crash-resume, pagination and retention.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::manual_is_multiple_of
)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use fructus_component::Event;
use fructus_indexer::{BlockSource, IndexBlock, IndexTx, Indexer, IndexerError};
use fructus_rpc_types::history::{HistoryQuery, PageRequest};

const ALICE: &str = "fx1alice";
const DEVICE: &str = "fx1device";
const VALIDATORS: [&str; 2] = ["fx1val0", "fx1val1"];

/// Block `h` of a small synthetic chain whose events have the shapes the
/// modules emit: a device reading with its payment split every block, a
/// swap every 2nd, an income claim every 3rd, a retirement every 5th; the
/// second validator misses every 4th height.
fn block(h: u64) -> IndexBlock {
    let fee = Event::new("tx.fee")
        .attr("payer", ALICE)
        .attr("signer", ALICE)
        .attr("amount", "1uusd");
    let mut events = vec![
        fee.clone(),
        Event::new("metering.reading")
            .attr("source", "device")
            .attr("device", DEVICE)
            .attr("asset_id", 1)
            .attr("contract_id", 7)
            .attr("sequence", h)
            .attr("counter", h * 10)
            .attr("units", 10)
            .attr("charged", 100)
            .attr("collected", 100)
            .attr("owed", 0)
            .attr("remainder", 0)
            .attr("flags", 0),
        Event::new("metering.payment_split")
            .attr("asset_id", 1)
            .attr("contract_id", 7)
            .attr("from", ALICE)
            .attr("denom", "uusd")
            .attr("maintainer", 10)
            .attr("platform", 2)
            .attr("sla_penalty", 0)
            .attr("shareholders", 88),
    ];
    if h % 2 == 0 {
        events.push(
            Event::new("amm.swap")
                .attr("pool_id", 1)
                .attr("reserve_a", format!("{}share/1", 10_000 - h))
                .attr("reserve_b", format!("{}uusd", 105_000 + h * 10))
                .attr("liquidity", 1000)
                .attr("trader", ALICE)
                .attr("in", format!("{}uusd", h * 10))
                .attr("out", "1share/1")
                .attr("protocol_fee", 0)
                .attr("last_hop", true),
        );
    }
    if h % 3 == 0 {
        events.push(
            Event::new("asset.income_claimed")
                .attr("asset_id", 1)
                .attr("holder", ALICE)
                .attr("amount", "88uusd"),
        );
    }
    if h % 5 == 0 {
        events.push(
            Event::new("certificate.retired")
                .attr("retirement_id", h / 5)
                .attr("batch_id", 1 + h % 2)
                .attr("denom", "cert/1")
                .attr("amount", 3)
                .attr("serial_first", 1)
                .attr("serial_last", 3)
                .attr("holder", ALICE)
                .attr("beneficiary", if h % 10 == 0 { "ACME" } else { "Beta" })
                .attr("jurisdiction", "EU"),
        );
    }
    let failed = IndexTx {
        hash: format!("{h:064X}"),
        code: 5,
        codespace: "bank".to_owned(),
        events: vec![fee],
    };
    IndexBlock {
        height: h,
        time_ms: 1_700_000_000_000 + h * 1000,
        hash: format!("{h:064x}"),
        proposer: VALIDATORS[(h % 2) as usize].to_owned(),
        txs: vec![
            IndexTx {
                hash: format!("{:064X}", h + 1_000_000),
                code: 0,
                codespace: String::new(),
                events,
            },
            failed,
        ],
        block_events: vec![Event::new("staking.noop")],
        validators: VALIDATORS.iter().map(|v| (*v).to_owned()).collect(),
        signers: if h % 4 == 0 {
            vec![VALIDATORS[0].to_owned()]
        } else {
            VALIDATORS.iter().map(|v| (*v).to_owned()).collect()
        },
    }
}

/// Heights `first..=head` of [`block`]; reading `fail_at` fails (a crash
/// of the source mid-way).
struct Chain {
    first: u64,
    head: AtomicU64,
    fail_at: AtomicU64,
}

impl Chain {
    fn new(first: u64, head: u64) -> Arc<Self> {
        Arc::new(Chain {
            first,
            head: AtomicU64::new(head),
            fail_at: AtomicU64::new(0),
        })
    }
}

impl BlockSource for Chain {
    fn first_height(&self) -> Result<u64, String> {
        Ok(self.first)
    }
    fn last_height(&self) -> Result<u64, String> {
        Ok(self.head.load(Ordering::SeqCst))
    }
    fn block(&self, height: u64) -> Result<Option<IndexBlock>, String> {
        if height == self.fail_at.load(Ordering::SeqCst) {
            return Err("disk on fire".to_owned());
        }
        Ok(
            (height >= self.first && height <= self.head.load(Ordering::SeqCst))
                .then(|| block(height)),
        )
    }
}

fn page(limit: u32) -> PageRequest {
    PageRequest {
        limit,
        before: None,
    }
}

/// Every item of a paginated query, walking `next` pages of `limit`.
async fn all(ix: &Indexer, limit: u32, make: impl Fn(PageRequest) -> HistoryQuery) -> Vec<String> {
    let mut out = Vec::new();
    let mut before = None;
    for _ in 0..10_000 {
        let answer = ix
            .query(&make(PageRequest {
                limit,
                before: before.clone(),
            }))
            .await
            .unwrap();
        let json = serde_json::to_value(&answer).unwrap();
        let items = json["items"].as_array().unwrap();
        assert!(items.len() <= limit as usize);
        out.extend(items.iter().map(|i| i.to_string()));
        match json["next"].as_str() {
            Some(next) => before = Some(next.to_owned()),
            None => return out,
        }
    }
    panic!("pagination did not end");
}

/// A digest of everything indexed: every route's full listing.
async fn everything(ix: &Indexer) -> Vec<Vec<String>> {
    vec![
        all(ix, 1000, HistoryQuery::Blocks).await,
        all(ix, 1000, |page| HistoryQuery::Txs { signer: None, page }).await,
        all(ix, 1000, |p| HistoryQuery::DeviceUsage(DEVICE.into(), p)).await,
        all(ix, 1000, |p| HistoryQuery::AssetUsage(1, p)).await,
        all(ix, 1000, |p| HistoryQuery::ContractCharges(7, p)).await,
        all(ix, 1000, |p| HistoryQuery::AccountIncome(ALICE.into(), p)).await,
        all(ix, 1000, |p| HistoryQuery::PoolSwaps(1, p)).await,
        all(ix, 1000, |page| HistoryQuery::Retirements {
            beneficiary: None,
            batch_id: None,
            page,
        })
        .await,
        all(ix, 1000, |p| {
            HistoryQuery::ValidatorUptime(VALIDATORS[1].into(), p)
        })
        .await,
    ]
}

async fn json(ix: &Indexer, q: HistoryQuery) -> serde_json::Value {
    serde_json::to_value(ix.query(&q).await.unwrap()).unwrap()
}

/// Indexing 1..=20 fills every route with the events' values.
async fn every_route_answers_from_indexed_blocks(url: &str) {
    let ix = Indexer::open(url, 0).await.unwrap();
    let chain = Chain::new(1, 20);
    assert_eq!(ix.catch_up(chain.as_ref(), 1000).await.unwrap(), 20);
    let status = json(&ix, HistoryQuery::Status).await;
    assert_eq!(status["last_height"], 20);
    assert_eq!(status["first_height"], 1);

    let blocks = json(&ix, HistoryQuery::Blocks(page(3))).await;
    assert_eq!(blocks["items"][0]["height"], 20);
    assert_eq!(blocks["items"][0]["time_ms"], 1_700_000_020_000u64);
    assert_eq!(blocks["items"][0]["txs"], 2);
    assert_eq!(blocks["items"][0]["failed_txs"], 1);
    assert_eq!(blocks["items"][0]["proposer"], VALIDATORS[0]);
    assert_eq!(blocks["next"], "18");

    let txs = json(
        &ix,
        HistoryQuery::Txs {
            signer: Some(ALICE.into()),
            page: page(2),
        },
    )
    .await;
    assert_eq!(txs["items"][0]["index"], 1);
    assert_eq!(txs["items"][0]["code"], 5);
    assert_eq!(txs["items"][0]["kinds"], serde_json::json!([]));
    assert_eq!(txs["items"][1]["index"], 0);
    assert_eq!(txs["items"][1]["signer"], ALICE);
    assert_eq!(
        txs["items"][1]["kinds"],
        serde_json::json!([
            "metering.reading",
            "metering.payment_split",
            "amm.swap",
            "certificate.retired"
        ])
    );

    let usage = json(&ix, HistoryQuery::DeviceUsage(DEVICE.into(), page(1000))).await;
    assert_eq!(usage["items"].as_array().unwrap().len(), 20);
    assert_eq!(usage["items"][0]["sequence"], 20);
    assert_eq!(usage["items"][0]["units"], "10");
    assert_eq!(usage["items"][0]["charged"], "100");
    assert_eq!(usage["items"][0]["source"], "device");
    assert_eq!(usage["next"], serde_json::Value::Null);

    let charges = json(&ix, HistoryQuery::ContractCharges(7, page(1))).await;
    assert_eq!(charges["items"][0]["shareholders"], "88");
    assert_eq!(charges["items"][0]["from"], ALICE);
    assert_eq!(charges["items"][0]["denom"], "uusd");

    let income = all(&ix, 1000, |p| HistoryQuery::AccountIncome(ALICE.into(), p)).await;
    assert_eq!(income.len(), 6, "heights 3, 6, …, 18");

    let swaps = json(&ix, HistoryQuery::PoolSwaps(1, page(1))).await;
    let swap = &swaps["items"][0];
    assert_eq!(swap["amount_in"], "200");
    assert_eq!(swap["denom_in"], "uusd");
    assert_eq!(swap["denom_out"], "share/1");
    assert_eq!(swap["reserve_a"], "9980");
    assert_eq!(swap["reserve_b"], "105200");
    assert_eq!(swap["price"], "10.541082164328657314");

    let acme = json(
        &ix,
        HistoryQuery::Retirements {
            beneficiary: Some("ACME".into()),
            batch_id: None,
            page: page(100),
        },
    )
    .await;
    let heights: Vec<u64> = acme["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["height"].as_u64().unwrap())
        .collect();
    assert_eq!(heights, [20, 10]);
    let batch2 = json(
        &ix,
        HistoryQuery::Retirements {
            beneficiary: Some("Beta".into()),
            batch_id: Some(2),
            page: page(100),
        },
    )
    .await;
    assert_eq!(
        batch2["items"].as_array().unwrap().len(),
        2,
        "heights 5, 15"
    );

    let uptime = all(&ix, 7, |p| {
        HistoryQuery::ValidatorUptime(VALIDATORS[1].into(), p)
    })
    .await;
    assert_eq!(uptime.len(), 20);
    let missed = uptime.iter().filter(|u| u.contains("false")).count();
    assert_eq!(missed, 5, "heights 4, 8, 12, 16, 20");
    let full = all(&ix, 7, |p| {
        HistoryQuery::ValidatorUptime(VALIDATORS[0].into(), p)
    })
    .await;
    assert!(full.iter().all(|u| u.contains("true")));
}

/// Indexing heights again (and again through `catch_up` from a reset
/// cursor is impossible: the cursor never moves back) leaves the same rows.
async fn replaying_heights_changes_nothing(url: &str) {
    let ix = Indexer::open(url, 0).await.unwrap();
    let chain = Chain::new(1, 12);
    ix.catch_up(chain.as_ref(), 1000).await.unwrap();
    let before = everything(&ix).await;
    for h in 1..=12 {
        ix.index_block(&block(h)).await.unwrap();
    }
    ix.index_block(&block(5)).await.unwrap();
    assert_eq!(everything(&ix).await, before);
    assert_eq!(
        ix.last_height().await.unwrap(),
        12,
        "replay never moves the cursor back"
    );
    assert_eq!(ix.catch_up(chain.as_ref(), 1000).await.unwrap(), 0);
}

/// A failure mid-way (the source or the process dying) leaves the cursor at
/// the last height fully written; a new indexer on the same database resumes
/// there, and the result equals one uninterrupted run.
async fn a_crash_mid_way_resumes_with_no_gap_and_no_duplicate(url: &str, reference_url: &str) {
    let chain = Chain::new(1, 30);
    chain.fail_at.store(11, Ordering::SeqCst);
    {
        let ix = Indexer::open(url, 0).await.unwrap();
        let err = ix.catch_up(chain.as_ref(), 1000).await.unwrap_err();
        assert!(
            matches!(err, IndexerError::Source { height: 11, .. }),
            "{err}"
        );
        assert_eq!(ix.last_height().await.unwrap(), 10);
    }
    chain.fail_at.store(0, Ordering::SeqCst);
    // A follower task killed while it works: each height is all or nothing.
    {
        let ix = Arc::new(Indexer::open(url, 0).await.unwrap());
        let (wake_tx, wake) = tokio::sync::broadcast::channel::<()>(4);
        let task = tokio::spawn(fructus_indexer::follow(ix.clone(), chain.clone(), wake));
        for _ in 0..200 {
            if ix.last_height().await.unwrap() > 12 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        task.abort();
        let _ = task.await;
        drop(wake_tx);
        assert!(ix.last_height().await.unwrap() > 10);
    }
    let ix = Indexer::open(url, 0).await.unwrap();
    ix.catch_up(chain.as_ref(), 1000).await.unwrap();
    assert_eq!(ix.last_height().await.unwrap(), 30);

    let reference = Indexer::open(reference_url, 0).await.unwrap();
    reference.catch_up(chain.as_ref(), 1000).await.unwrap();
    assert_eq!(everything(&ix).await, everything(&reference).await);
    let heights: Vec<String> = all(&ix, 4, HistoryQuery::Blocks).await;
    assert_eq!(heights.len(), 30, "no gap, no duplicate");
}

/// Small pages walk every item exactly once, in newest-first order; bad
/// cursors are refused.
async fn pages_walk_every_item_once(url: &str) {
    let ix = Indexer::open(url, 0).await.unwrap();
    ix.catch_up(Chain::new(1, 25).as_ref(), 1000).await.unwrap();
    for limit in [1, 2, 7, 1000] {
        let txs = all(&ix, limit, |page| HistoryQuery::Txs { signer: None, page }).await;
        assert_eq!(txs.len(), 50);
        let mut unique = txs.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 50);
        assert_eq!(all(&ix, limit, HistoryQuery::Blocks).await.len(), 25);
    }
    for bad in ["x", "3", "-1:2", "1:2:3"] {
        let q = HistoryQuery::Txs {
            signer: None,
            page: PageRequest {
                limit: 10,
                before: Some(bad.to_owned()),
            },
        };
        assert!(
            matches!(ix.query(&q).await, Err(IndexerError::BadCursor(_))),
            "{bad}"
        );
    }
    let q = HistoryQuery::Blocks(PageRequest {
        limit: 10,
        before: Some("3:1".to_owned()),
    });
    assert!(matches!(
        ix.query(&q).await,
        Err(IndexerError::BadCursor(_))
    ));
}

/// With `retention_blocks = n` only the latest n heights are kept, deleted
/// a bounded batch per call; 0 keeps everything.
async fn retention_keeps_the_latest_heights(url: &str) {
    let ix = Indexer::open(url, 10).await.unwrap();
    let chain = Chain::new(1, 250);
    ix.catch_up(chain.as_ref(), 1000).await.unwrap();
    assert!(
        ix.prune().await.unwrap(),
        "240 heights to delete: more than one batch"
    );
    assert_eq!(ix.first_height().await.unwrap(), 101);
    let mut calls = 1;
    while ix.prune().await.unwrap() {
        calls += 1;
        assert!(calls < 10);
    }
    assert_eq!(ix.first_height().await.unwrap(), 241);
    let all_routes = everything(&ix).await;
    assert_eq!(all_routes[0].len(), 10);
    assert_eq!(all_routes[2].len(), 10, "usage pruned too");
    assert_eq!(all_routes[8].len(), 10, "uptime pruned too");
    let status = json(&ix, HistoryQuery::Status).await;
    assert_eq!(status["first_height"], 241);
    assert_eq!(status["retention_blocks"], 10);
}

/// A node whose block store starts above 1 (pruned, or the indexer turned
/// on late) is indexed from its oldest stored height.
async fn a_late_start_begins_at_the_oldest_stored_height(url: &str) {
    let ix = Indexer::open(url, 0).await.unwrap();
    let chain = Chain::new(40, 45);
    assert_eq!(ix.catch_up(chain.as_ref(), 1000).await.unwrap(), 6);
    assert_eq!(ix.first_height().await.unwrap(), 40);
    chain.head.store(47, Ordering::SeqCst);
    assert_eq!(ix.catch_up(chain.as_ref(), 1).await.unwrap(), 1);
    assert_eq!(ix.catch_up(chain.as_ref(), 1000).await.unwrap(), 1);
    assert_eq!(ix.last_height().await.unwrap(), 47);
}

// ---- SQLite ----

fn sqlite(dir: &tempfile::TempDir, name: &str) -> String {
    format!("sqlite://{}", dir.path().join(name).display())
}

#[tokio::test]
async fn sqlite_every_route_answers_from_indexed_blocks() {
    let dir = tempfile::tempdir().unwrap();
    every_route_answers_from_indexed_blocks(&sqlite(&dir, "a.db")).await;
}

#[tokio::test]
async fn sqlite_replaying_heights_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    replaying_heights_changes_nothing(&sqlite(&dir, "a.db")).await;
}

#[tokio::test]
async fn sqlite_a_crash_mid_way_resumes_with_no_gap_and_no_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    a_crash_mid_way_resumes_with_no_gap_and_no_duplicate(
        &sqlite(&dir, "a.db"),
        &sqlite(&dir, "reference.db"),
    )
    .await;
}

#[tokio::test]
async fn sqlite_pages_walk_every_item_once() {
    let dir = tempfile::tempdir().unwrap();
    pages_walk_every_item_once(&sqlite(&dir, "a.db")).await;
}

#[tokio::test]
async fn sqlite_retention_keeps_the_latest_heights() {
    let dir = tempfile::tempdir().unwrap();
    retention_keeps_the_latest_heights(&sqlite(&dir, "a.db")).await;
}

#[tokio::test]
async fn sqlite_a_late_start_begins_at_the_oldest_stored_height() {
    let dir = tempfile::tempdir().unwrap();
    a_late_start_begins_at_the_oldest_stored_height(&sqlite(&dir, "a.db")).await;
}

#[tokio::test]
async fn an_unknown_database_url_is_refused() {
    let err = Indexer::open("mysql://x", 0).await.unwrap_err();
    assert!(matches!(err, IndexerError::UnsupportedDb { .. }), "{err}");
}

// ---- PostgreSQL ----

/// A PostgreSQL server of its own in a temporary directory, on 127.0.0.1
/// at a free port, stopped on drop.
struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
}

impl Postgres {
    /// Starts one, or says why it cannot.
    fn start() -> Result<Postgres, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|_| {
                "no /usr/lib/postgresql (install the Debian package postgresql)".to_owned()
            })?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .find(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
            .ok_or("no initdb/pg_ctl under /usr/lib/postgresql/*/bin")?;
        // initdb refuses to run as root: run the server as `postgres` then.
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        if root {
            let chown = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(dir.path())
                .status()
                .map_err(|e| e.to_string())?;
            if !chown.success() {
                return Err("running as root and cannot hand a directory to user postgres".into());
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let pg = Postgres {
            bin,
            dir,
            port,
            as_postgres: root,
        };
        let data = pg.dir.path().join("data");
        pg.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "--auth=trust".as_ref(),
                "--no-sync".as_ref(),
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            pg.dir.path().display()
        );
        let log = pg.dir.path().join("log");
        pg.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "start".as_ref(),
            ],
        )?;
        Ok(pg)
    }

    fn run(&self, tool: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
        let path = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = cmd
            .args(args)
            .output()
            .map_err(|e| format!("{tool}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// A fresh database named `name`.
    async fn database(&self, name: &str) -> String {
        use sqlx::Connection as _;
        let mut admin = sqlx::PgConnection::connect(&self.url("postgres"))
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        self.url(name)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "stop".as_ref(),
            ],
        );
    }
}

#[tokio::test]
async fn postgres_passes_every_scenario_sqlite_does() {
    let pg = match Postgres::start() {
        Ok(pg) => pg,
        Err(reason) => {
            println!("skipped: PostgreSQL indexer test: {reason}");
            return;
        }
    };
    every_route_answers_from_indexed_blocks(&pg.database("routes").await).await;
    replaying_heights_changes_nothing(&pg.database("replay").await).await;
    a_crash_mid_way_resumes_with_no_gap_and_no_duplicate(
        &pg.database("crash").await,
        &pg.database("reference").await,
    )
    .await;
    pages_walk_every_item_once(&pg.database("pages").await).await;
    retention_keeps_the_latest_heights(&pg.database("retention").await).await;
    a_late_start_begins_at_the_oldest_stored_height(&pg.database("late").await).await;
    let status = json(
        &Indexer::open(&pg.url("routes"), 0).await.unwrap(),
        HistoryQuery::Status,
    )
    .await;
    assert_eq!(status["db"], "postgres");
}
