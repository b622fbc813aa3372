//! `fructus init | testnet | node | devnet`: create homes and run nodes.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use fructus_node::{
    Home, NodeConfig,
    home::{DEVNET_CHAIN_ID, init, prepare_devnet, testnet},
};

use crate::cli::{GlobalOpts, OutputFormat};

/// `fructus init`: three ways. With `--chain-id` and `--operator`, a
/// single-validator chain. With `--genesis`, a node that joins an existing
/// chain. With neither, a validator home for a genesis ceremony: keys and
/// config only, the genesis comes later (`fructus genesis gentx`, then
/// `fructus genesis install`).
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Chain id for a new single-validator genesis (with --operator).
    #[arg(long, requires = "operator", conflicts_with = "genesis")]
    chain_id: Option<String>,
    /// This node's name.
    #[arg(long, default_value = "node")]
    moniker: String,
    /// With --chain-id: the genesis validator's operator account (address
    /// or keyring key name; create one with `fructus keys add`). It is
    /// funded with the self-bond and made a regulator; the consensus key
    /// this command writes signs votes only.
    #[arg(
        long,
        value_name = "ADDR|KEY",
        requires = "chain_id",
        conflicts_with = "genesis"
    )]
    operator: Option<String>,
    /// Join an existing chain: copy this genesis file instead of creating
    /// one. The node is then a full node unless its validator key is in the
    /// chain's validator set.
    #[arg(long, value_name = "FILE", conflicts_with = "chain_id")]
    genesis: Option<PathBuf>,
    /// Consensus p2p listen address.
    #[arg(long, default_value = "127.0.0.1:26656")]
    p2p_listen: std::net::SocketAddr,
    /// Consensus peer to dial, `host:port` (repeatable; a DNS name is
    /// resolved when the node starts).
    #[arg(long = "p2p-peer", value_name = "HOST:PORT", value_parser = peer_address)]
    p2p_peers: Vec<String>,
    /// Transaction-gossip listen address.
    #[arg(long, default_value = "127.0.0.1:26657")]
    gossip_listen: std::net::SocketAddr,
    /// Transaction-gossip peer (repeatable).
    #[arg(long = "gossip-peer", value_name = "ADDR")]
    gossip_peers: Vec<std::net::SocketAddr>,
    /// API listen address.
    #[arg(long, default_value = "127.0.0.1:1317")]
    api_listen: std::net::SocketAddr,
    /// Minimum time between blocks, in milliseconds.
    #[arg(long, default_value_t = 500)]
    target_block_time_ms: u64,
    /// With an empty mempool, longest wait before an empty block, in ms.
    #[arg(long, default_value_t = 3000)]
    max_idle_interval_ms: u64,
}

fn peer_address(s: &str) -> Result<String, String> {
    fructus_node::config::parse_host_port(s)
        .map(|_| s.to_owned())
        .ok_or_else(|| {
            format!("{s:?} is not host:port, e.g. 10.0.0.7:26656 or val2.example.org:26656")
        })
}

/// `fructus testnet`.
#[derive(Debug, Args)]
pub(crate) struct TestnetArgs {
    /// Number of validators.
    #[arg(long, default_value_t = 4)]
    validators: usize,
    /// Directory to create the homes in (node0, node1, …). Named
    /// `--out-dir`, not `--output`: `--output` is the global text|json
    /// switch.
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    /// First port: node i uses base+10i (p2p), base+10i+1 (gossip), base+10i+2 (API).
    #[arg(long, default_value_t = 26600)]
    base_port: u16,
    /// Chain id.
    #[arg(long, default_value = "fructus-testnet")]
    chain_id: String,
    /// Minimum time between blocks, in milliseconds.
    #[arg(long, default_value_t = 500)]
    target_block_time_ms: u64,
    /// With an empty mempool, longest wait before an empty block, in ms.
    #[arg(long, default_value_t = 3000)]
    max_idle_interval_ms: u64,
}

/// `fructus node`.
#[derive(Debug, Args)]
pub(crate) struct NodeArgs {
    /// Before starting, move the consensus write-ahead log aside (to
    /// `consensus.wal.corrupt-<time>`): the way out when a corrupt WAL stops
    /// the node from starting. Committed blocks are unaffected; the node
    /// catches up from its peers.
    #[arg(long)]
    move_wal_aside: bool,
    /// Override config.toml's [pruning]: `archive` keeps every state
    /// version and block; a number N keeps the latest N of each (at least
    /// 100).
    #[arg(long, value_name = "archive|N", value_parser = pruning_arg)]
    pruning: Option<fructus_node::config::PruningSection>,
    /// Run the history indexer and serve /v1/history/… (docs/indexer.md),
    /// whatever config.toml's [indexer] enabled says; its db and
    /// retention_blocks still apply.
    #[arg(long)]
    indexer: bool,
    /// The indexer's database, `sqlite://<path>` or `postgres://…`
    /// (implies --indexer). Default: config.toml's [indexer] db, else
    /// SQLite in <home>/data/indexer.db.
    #[arg(long, value_name = "URL")]
    indexer_db: Option<String>,
}

fn pruning_arg(s: &str) -> Result<fructus_node::config::PruningSection, String> {
    use fructus_node::config::{MIN_KEEP, PruningSection};
    if s == "archive" {
        return Ok(PruningSection::archive());
    }
    match s.parse::<u64>() {
        Ok(n) if n >= MIN_KEEP => Ok(PruningSection {
            keep_versions: n,
            keep_blocks: n,
        }),
        _ => Err(format!(
            "{s:?}: write `archive` or a number of heights, at least {MIN_KEEP}"
        )),
    }
}

/// `fructus devnet`.
#[derive(Debug, Args)]
pub(crate) struct DevnetArgs {
    /// Wipe the devnet's data and keys first and start a new chain.
    #[arg(long)]
    reset: bool,
    /// API listen address, default 127.0.0.1:1317 (used when the devnet
    /// home is created; a resumed devnet keeps its config.toml and says so).
    #[arg(long)]
    api_listen: Option<std::net::SocketAddr>,
    /// Consensus p2p listen address (used when the devnet home is created).
    #[arg(long, default_value = "127.0.0.1:26656")]
    p2p_listen: std::net::SocketAddr,
    /// Transaction-gossip listen address (used when the devnet home is created).
    #[arg(long, default_value = "127.0.0.1:26657")]
    gossip_listen: std::net::SocketAddr,
}

fn print<T: serde::Serialize>(
    global: &GlobalOpts,
    value: &T,
    text: impl FnOnce(),
) -> anyhow::Result<()> {
    match global.output {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(value)?),
        OutputFormat::Text => text(),
    }
    Ok(())
}

/// Runs `init`.
pub(crate) fn run_init(args: InitArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    let home = Home::new(&global.home);
    let config = NodeConfig {
        moniker: args.moniker.clone(),
        genesis_sha256: String::new(),
        p2p: fructus_node::config::P2pConfig {
            listen_addr: args.p2p_listen,
            persistent_peers: args.p2p_peers.clone(),
        },
        mempool: fructus_node::config::MempoolConfig {
            gossip_listen_addr: args.gossip_listen,
            gossip_peers: args.gossip_peers.clone(),
            ..Default::default()
        },
        consensus: fructus_node::config::ConsensusSection {
            target_block_time_ms: args.target_block_time_ms,
            max_idle_interval_ms: args.max_idle_interval_ms,
            ..Default::default()
        },
        api: fructus_node::config::ApiSection {
            listen_addr: args.api_listen,
            ..Default::default()
        },
        pruning: fructus_node::config::PruningSection::default(),
        storage: fructus_node::config::StorageSection::default(),
        indexer: fructus_node::config::IndexerSection::default(),
    };
    if let Some(path) = &args.genesis {
        let genesis = fructus_app::Genesis::load(path)?;
        let s = fructus_node::home::init_full_node(&home, &genesis, &args.moniker, config)?;
        // The file byte for byte, so the pinned hash is the one the
        // ceremony published for it.
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let sha256 = fructus_node::ceremony::genesis_sha256(&bytes);
        fructus_node::home::install_genesis(&home, &bytes, &sha256)?;
        // `node_address` is kept for scripts written before the consensus
        // key was printed here; `create-validator --consensus-key` needs
        // `validator_public_key`.
        return print(
            global,
            &serde_json::json!({
                "home": s.home,
                "chain_id": s.chain_id,
                "moniker": s.moniker,
                "node_address": s.validator_address,
                "validator_address": s.validator_address,
                "validator_public_key": s.validator_public_key,
            }),
            || {
                println!(
                    "initialized {} to follow chain {}",
                    home.root().display(),
                    genesis.chain_id
                );
                println!(
                    "  consensus key {} (a validator once an operator bonds it with \
                     `tx staking create-validator --consensus-key`)",
                    s.validator_public_key
                );
                println!(
                    "start it with: fructus node --home {}",
                    home.root().display()
                );
            },
        );
    }
    let (Some(chain_id), Some(operator)) = (args.chain_id.as_deref(), args.operator.as_deref())
    else {
        let s = fructus_node::home::init_for_ceremony(&home, &args.moniker, config)?;
        return print(
            global,
            &serde_json::json!({
                "home": s.home,
                "moniker": s.moniker,
                "validator_address": s.validator_address,
                "validator_public_key": s.validator_public_key,
            }),
            || {
                println!(
                    "initialized {} for a genesis ceremony (keys and config; no genesis yet)",
                    home.root().display()
                );
                println!("  consensus key {}", s.validator_public_key);
                println!("next:");
                println!(
                    "  fructus keys add OPERATOR --home {}",
                    home.root().display()
                );
                println!(
                    "  (send OPERATOR's address to the coordinator, who funds it in the base genesis)"
                );
                println!(
                    "  fructus genesis gentx OPERATOR --chain-id CHAIN --self-bond AMOUNTufrx --home {}",
                    home.root().display()
                );
                println!(
                    "  fructus genesis install FINAL_GENESIS --sha256 HASH --home {}",
                    home.root().display()
                );
            },
        );
    };
    let operator = crate::cmd::tx::resolve_account(global, operator)?;
    let s = init(&home, chain_id, &args.moniker, operator, config)?;
    print(global, &s, || {
        println!("initialized {} for chain {}", s.home.display(), s.chain_id);
        println!(
            "  validator consensus key {} (address {}), operated by {operator}",
            s.validator_public_key, s.validator_address
        );
        println!("  config    {}", home.config_file().display());
        println!("  genesis   {}", home.genesis_file().display());
        println!("start it with: fructus node --home {}", s.home.display());
    })
}

/// Runs `testnet`.
pub(crate) fn run_testnet(args: TestnetArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    let consensus = fructus_node::config::ConsensusSection {
        target_block_time_ms: args.target_block_time_ms,
        max_idle_interval_ms: args.max_idle_interval_ms,
        ..Default::default()
    };
    let nodes = testnet(
        &args.out_dir,
        args.validators,
        args.base_port,
        &args.chain_id,
        consensus,
    )?;
    print(global, &nodes, || {
        println!(
            "created {} validator homes for chain {} in {}",
            nodes.len(),
            args.chain_id,
            args.out_dir.display()
        );
        for n in &nodes {
            println!(
                "  {}: p2p {}  gossip {}  api http://{}",
                n.moniker, n.p2p, n.gossip, n.api
            );
        }
        println!("start each in its own terminal:");
        for n in &nodes {
            println!("  fructus node --home {}", n.home.display());
        }
        println!(
            "demo keys (regulator, alice, bob, carol, meter) and each validator's operator account \
             (node0, node1, …; the consensus keys are not accounts) are in every home's test \
             keyring; alice is a KYC'd enterprise."
        );
    })
}

fn init_logging() {
    use tracing_subscriber::{EnvFilter, layer::SubscriberExt, util::SubscriberInitExt};
    let filter = EnvFilter::try_from_env("FRUCTUS_LOG").unwrap_or_else(|_| {
        EnvFilter::new("info,arc_malachitebft=warn,malachitebft=warn,libp2p=warn")
    });
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fructus_consensus::NoiseFilter)
        .with(tracing_subscriber::fmt::layer().with_target(false))
        .try_init();
}

/// Runs a node in the foreground until Ctrl-C / SIGTERM.
fn run_node_blocking(home: Home, overrides: fructus_node::node::Overrides) -> anyhow::Result<()> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let shutdown = async {
            #[cfg(unix)]
            {
                let mut term =
                    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    {
                        Ok(s) => s,
                        Err(_) => {
                            let _ = tokio::signal::ctrl_c().await;
                            return;
                        }
                    };
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
            tracing::info!("shutting down (signal received)");
        };
        fructus_node::node::run_with(home, overrides, shutdown).await
    })?;
    Ok(())
}

/// Runs `node`.
pub(crate) fn run_node(args: NodeArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    if args.move_wal_aside {
        match fructus_consensus::move_wal_aside(&global.home)? {
            Some(to) => eprintln!("moved the consensus WAL aside to {}", to.display()),
            None => eprintln!("no consensus WAL to move"),
        }
    }
    let home = Home::new(&global.home);
    let indexer = if args.indexer || args.indexer_db.is_some() {
        let mut section = NodeConfig::load(&home.config_file())
            .map(|c| c.indexer)
            .unwrap_or_default();
        section.enabled = true;
        if let Some(db) = args.indexer_db {
            section.db = db;
        }
        Some(section)
    } else {
        None
    };
    run_node_blocking(
        home,
        fructus_node::node::Overrides {
            pruning: args.pruning,
            indexer,
        },
    )
}

/// Runs `devnet`.
pub(crate) fn run_devnet(args: DevnetArgs, global: &GlobalOpts) -> anyhow::Result<()> {
    let home = Home::new(&global.home);
    let mut config = NodeConfig {
        moniker: "devnet".into(),
        ..NodeConfig::default()
    };
    let asked_api = args.api_listen;
    config.api.listen_addr = args
        .api_listen
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 1317)));
    config.p2p.listen_addr = args.p2p_listen;
    config.mempool.gossip_listen_addr = args.gossip_listen;
    config.indexer.enabled = true;
    let summary = prepare_devnet(&home, args.reset, config)?;
    let config = NodeConfig::load(&home.config_file())?;
    let verb = if summary.created {
        "created"
    } else {
        "resuming"
    };
    eprintln!(
        "devnet {verb}: chain {} in {}",
        summary.chain_id,
        home.root().display()
    );
    eprintln!("  API      http://{}", config.api.listen_addr);
    eprintln!("  explorer http://{}/explorer", config.api.listen_addr);
    eprintln!(
        "  history  http://{}/v1/history/status (indexer on: docs/indexer.md)",
        config.api.listen_addr
    );
    eprintln!(
        "  accounts (test keyring; `fructus keys list --home {} --keyring-backend test`):",
        home.root().display()
    );
    for k in &summary.accounts {
        eprintln!("    {:6} {}  ({})", k.name, k.address, k.algo);
    }
    if let Some(op) = &summary.operator {
        eprintln!(
            "  validator operator {} (test key `{}`; delegate with \
             `fructus tx staking delegate bob {} 1000000ufrx --keyring-backend test --wait`)",
            op.address, op.name, op.name
        );
    }
    eprintln!("  try:     fructus tx bank send alice bob 1000ufrx --keyring-backend test --wait");
    eprintln!(
        "  save typing: export FRUCTUS_HOME={} FRUCTUS_KEYRING_BACKEND=test FRUCTUS_NODE=http://{}",
        home.root().display(),
        config.api.listen_addr
    );
    eprintln!("stop with Ctrl-C; run `fructus devnet` again to resume the same chain.");
    if let Some(asked) = asked_api.filter(|a| *a != config.api.listen_addr) {
        eprintln!(
            "note: this home's config.toml keeps the API on {}; --api-listen {asked} applies to a new devnet only: edit {} or start over with --reset",
            config.api.listen_addr,
            home.config_file().display()
        );
    }
    if summary.chain_id != DEVNET_CHAIN_ID {
        eprintln!(
            "note: this home holds chain {}, not a devnet created by this command",
            summary.chain_id
        );
    }
    // The devnet always keeps history (for the explorer), in the database
    // its config.toml names (SQLite by default).
    let indexer = fructus_node::config::IndexerSection {
        enabled: true,
        ..config.indexer.clone()
    };
    run_node_blocking(
        home,
        fructus_node::node::Overrides {
            pruning: None,
            indexer: Some(indexer),
        },
    )
}
