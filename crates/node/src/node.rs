//! Starting a node: load its home, bring storage up to date, and run the
//! API, transaction gossip and consensus until shutdown.

use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

use fructus_app::{App, Genesis};
use fructus_consensus::{ConsensusConfig, Timeouts};
use fructus_rpc::ApiConfig;
use fructus_storage::Storage;
use tokio::{
    net::TcpListener,
    sync::{broadcast, watch},
};
use tracing::{info, warn};

use crate::{
    BlockStore, Home, Mempool, NodeConfig, NodeError,
    api::NodeApiImpl,
    gossip,
    home::{read_node_key, read_validator_key},
    host::{Host, recover},
    shared::{Head, Shared},
};

/// How long a node keeps serving consensus after committing the last
/// block before an upgrade height (it executes no block meanwhile).
const UPGRADE_GRACE: Duration = Duration::from_secs(1);

async fn bind(addr: std::net::SocketAddr, what: &str) -> Result<TcpListener, NodeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| NodeError::Config {
            path: format!("{what} listen address {addr}").into(),
            message: format!(
                "{e} (is another node running on this port? change it in config.toml)"
            ),
        })
}

/// Reads `genesis.json` and checks it against the hash `config.toml` pins:
/// a node never starts on a genesis other than the ceremony's.
pub fn load_pinned_genesis(home: &Home, config: &NodeConfig) -> Result<Genesis, NodeError> {
    let file = home.genesis_file();
    if !file.exists() {
        return Err(NodeError::NoGenesis {
            home: home.root().to_owned(),
        });
    }
    let bytes = std::fs::read(&file).map_err(|e| NodeError::io(&file, e))?;
    let actual = crate::ceremony::genesis_sha256(&bytes);
    if config.genesis_sha256.is_empty() {
        warn!(
            genesis_sha256 = %actual,
            "config.toml pins no genesis hash: set genesis_sha256 to the hash the ceremony published"
        );
    } else if config.genesis_sha256 != actual {
        return Err(NodeError::GenesisMismatch {
            file,
            expected: config.genesis_sha256.clone(),
            actual,
        });
    }
    let json = String::from_utf8(bytes).map_err(|e| NodeError::io(&file, e))?;
    Ok(Genesis::from_json(&json)?)
}

/// Resolves each configured `host:port` peer; one that does not resolve is
/// logged and left out (its watcher keeps reporting it).
async fn resolve_peers(peers: &[String]) -> Vec<std::net::SocketAddr> {
    let mut out = Vec::with_capacity(peers.len());
    for peer in peers {
        match tokio::net::lookup_host(peer.as_str()).await {
            Ok(mut addrs) => match addrs.next() {
                Some(addr) => out.push(addr),
                None => warn!(%peer, "configured p2p peer resolves to no address; not dialing it"),
            },
            Err(e) => warn!(
                %peer,
                error = %e,
                "configured p2p peer does not resolve; not dialing it (check p2p.persistent_peers in config.toml)"
            ),
        }
    }
    out
}

/// How often an unreachable peer is tried again.
const PEER_RETRY: Duration = Duration::from_secs(10);
/// How long one reachability check may take.
const PEER_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How often a peer that stays unreachable is reported again.
const PEER_REPORT_EVERY: u32 = 30;

/// Reports a configured consensus peer that cannot be reached: one warning
/// when it is first found unreachable (then every few minutes while it
/// stays so) and one line when it becomes reachable, after which the
/// watcher ends (the consensus engine keeps the connection).
async fn watch_peer(peer: String, mut stop: watch::Receiver<bool>) {
    let mut failures: u32 = 0;
    loop {
        let attempt = tokio::time::timeout(
            PEER_CONNECT_TIMEOUT,
            tokio::net::TcpStream::connect(peer.as_str()),
        )
        .await;
        let error = match attempt {
            Ok(Ok(_)) => {
                if failures > 0 {
                    info!(%peer, "configured p2p peer is reachable again");
                }
                return;
            }
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!("no answer within {PEER_CONNECT_TIMEOUT:?}"),
        };
        if failures.is_multiple_of(PEER_REPORT_EVERY) {
            warn!(
                %peer,
                %error,
                "configured p2p peer is unreachable; retrying every {PEER_RETRY:?} (is it running, \
                 is the address in p2p.persistent_peers right, does a firewall block the port?)"
            );
        }
        failures = failures.saturating_add(1);
        tokio::select! {
            () = tokio::time::sleep(PEER_RETRY) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Runs the node in `home` until `shutdown` resolves or consensus fails,
/// or until the block before a governance upgrade height is committed
/// (then `Err(NodeError::UpgradeHalt)`, also at once when started at that
/// height).
pub async fn run(
    home: Home,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), NodeError> {
    run_with(home, Overrides::default(), shutdown).await
}

/// Settings given on the command line for one run, over config.toml's.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Instead of `[pruning]`.
    pub pruning: Option<crate::config::PruningSection>,
    /// Instead of `[indexer]`.
    pub indexer: Option<crate::config::IndexerSection>,
}

/// [`run`], with `overrides` over config.toml's settings.
pub async fn run_with(
    home: Home,
    overrides: Overrides,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), NodeError> {
    if !home.config_file().exists() {
        return Err(NodeError::NotInitialized {
            home: home.root().to_owned(),
        });
    }
    let mut config = NodeConfig::load(&home.config_file())?;
    if let Some(pruning) = overrides.pruning {
        config.pruning = pruning;
    }
    if let Some(indexer) = overrides.indexer {
        config.indexer = indexer;
        config.validate().map_err(|message| NodeError::Config {
            path: home.config_file(),
            message,
        })?;
    }
    let genesis = load_pinned_genesis(&home, &config)?;
    if genesis.app_state.staking.validators.is_empty() {
        return Err(NodeError::Inconsistent("genesis has no validators".into()));
    }
    let validator_key = read_validator_key(&home.validator_key_file())?;
    let node_key_seed = read_node_key(&home.node_key_file())?;

    let storage =
        Storage::open(&home.state_dir()).map_err(|e| NodeError::io(home.state_dir(), e))?;
    storage.set_pruning(config.pruning.state());
    storage.set_sync_every(config.storage.sync_every_blocks);
    storage.set_sync_in_background(config.storage.sync_in_background);
    let mut app = App::new(storage.clone())?;
    if storage.latest_version().is_none() {
        let root = app.init_genesis(&genesis)?;
        info!(chain_id = %genesis.chain_id, app_hash = %root, "initialized state from genesis");
    } else if app.chain_id()? != genesis.chain_id {
        return Err(NodeError::Inconsistent(format!(
            "stored state is for chain {}, genesis.json for {}",
            app.chain_id()?,
            genesis.chain_id
        )));
    }
    let store = Arc::new(BlockStore::open(&home.blocks_file())?);
    store.set_retention(config.pruning.keep_blocks);
    info!(
        keep_versions = config.pruning.keep_versions,
        keep_blocks = config.pruning.keep_blocks,
        oldest_state = storage.oldest_version(),
        first_block = store.first_height()?,
        "pruning (0 keeps everything)"
    );
    let window = app.window();
    let mempool = Arc::new(Mutex::new(
        Mempool::new(config.mempool.clone(), &genesis.chain_id, window.clone()).with_block_limits(
            config.consensus.max_block_bytes,
            config.consensus.max_block_gas,
        ),
    ));
    let shared = Arc::new(Shared::new(Head::default(), 8192));
    let mut host = Host::new(
        app,
        store.clone(),
        mempool.clone(),
        shared.clone(),
        config.consensus.clone(),
    );
    let head = recover(&mut host)?;
    if let Some(plan) = crate::upgrade::halt_at(
        &storage
            .latest_snapshot()
            .map_err(fructus_app::AppError::from)?,
        head.height.saturating_add(1),
    )? {
        let halt = crate::upgrade::halt_error(&plan);
        tracing::error!(height = head.height, "{halt}");
        return Err(halt);
    }
    let upgrade_halt = host.upgrade_halt_signal();
    let shutdown = async move {
        tokio::select! {
            () = shutdown => {}
            () = async {
                upgrade_halt.notified().await;
                // Peers a moment behind still get this height's votes and
                // commit from us before we go.
                tokio::time::sleep(UPGRADE_GRACE).await;
            } => {}
        }
    };
    info!(height = head.height, app_hash = %hex::encode(head.app_hash), moniker = %config.moniker, "node starting");

    let history = if config.indexer.enabled {
        let url = config.indexer.url(&home.data_dir());
        let indexer = fructus_indexer::Indexer::open(&url, config.indexer.retention_blocks)
            .await
            .map_err(|e| NodeError::Config {
                path: home.config_file(),
                message: format!(
                    "the history indexer cannot open its database: {e} (check [indexer] db, \
                     or start without --indexer)"
                ),
            })?;
        info!(
            db = indexer.kind().name(),
            retention_blocks = config.indexer.retention_blocks,
            "history indexer on"
        );
        Some(Arc::new(indexer))
    } else {
        None
    };
    let indexer_task = history
        .clone()
        .map(|indexer| crate::history::spawn(indexer, store.clone(), &shared));

    let (gossip_tx, _) = broadcast::channel(16 * 1024);
    let api = Arc::new(NodeApiImpl {
        storage: storage.clone(),
        window,
        store,
        mempool,
        shared: shared.clone(),
        chain_id: genesis.chain_id.clone(),
        moniker: config.moniker.clone(),
        gossip: gossip_tx.clone(),
        wait_timeout: Duration::from_millis(config.api.wait_timeout_ms),
        history,
        last_read: Mutex::new(None),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        while !*rx.borrow() {
            if rx.changed().await.is_err() {
                return;
            }
        }
    };

    let mut tasks = Vec::new();
    if config.api.enable {
        let listener = bind(config.api.listen_addr, "api").await?;
        let api_config = ApiConfig {
            wait_timeout: Duration::from_millis(config.api.wait_timeout_ms)
                .saturating_add(Duration::from_secs(1)),
            cors_allowed_origins: config.api.cors_allowed_origins.clone(),
            max_ws_subscriptions: config.api.max_ws_subscriptions,
            max_ws_subscriptions_per_ip: config.api.max_ws_subscriptions_per_ip,
            ..ApiConfig::default()
        };
        let node: Arc<dyn fructus_rpc::NodeState> = api.clone();
        let stop = stopped(stop_rx.clone());
        tasks.push(tokio::spawn(async move {
            if let Err(e) = fructus_rpc::serve(listener, node, api_config, stop).await {
                tracing::error!(error = %e, "API server stopped");
            }
        }));
    }
    let gossip_listener = bind(config.mempool.gossip_listen_addr, "mempool gossip").await?;
    tasks.push(tokio::spawn(gossip::serve_inbound(
        gossip_listener,
        api.clone(),
        shared.clone(),
        gossip::InboundLimits::from_config(&config.mempool),
        stop_rx.clone(),
    )));
    for peer in &config.p2p.persistent_peers {
        tasks.push(tokio::spawn(watch_peer(peer.clone(), stop_rx.clone())));
    }
    for peer in &config.mempool.gossip_peers {
        tasks.push(tokio::spawn(gossip::push_to(
            *peer,
            gossip_tx.subscribe(),
            shared.clone(),
            stop_rx.clone(),
        )));
    }

    let c = &config.consensus;
    let consensus_config = ConsensusConfig {
        chain_id: genesis.chain_id.clone(),
        moniker: config.moniker.clone(),
        home: home.root().to_owned(),
        listen_addr: config.p2p.listen_addr,
        persistent_peers: resolve_peers(&config.p2p.persistent_peers).await,
        validator_key,
        node_key_seed,
        target_block_time: c.target_block_time(),
        max_idle_interval: Duration::from_millis(c.max_idle_interval_ms),
        timeouts: Timeouts {
            propose: Duration::from_millis(c.timeout_propose_ms),
            prevote: Duration::from_millis(c.timeout_prevote_ms),
            precommit: Duration::from_millis(c.timeout_precommit_ms),
            ..Timeouts::default()
        },
        max_block_bytes: c.max_block_bytes,
    };
    let result = fructus_consensus::run(consensus_config, host, shutdown).await;
    let _ = stop_tx.send(true);
    if let Some(task) = indexer_task {
        task.abort();
    }
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }
    // Every committed block's state on disk (a background sync may still
    // run, or blocks the sync interval skipped): the next start replays
    // nothing.
    storage.sync().map_err(fructus_app::AppError::from)?;
    info!("node stopped");
    // An upgrade halt is the reason whatever consensus reported (a block
    // at the halt height is refused as a fault).
    let height = storage.latest_version().unwrap_or(0);
    let snapshot = storage
        .latest_snapshot()
        .map_err(fructus_app::AppError::from)?;
    if let Some(plan) = crate::upgrade::halt_at(&snapshot, height.saturating_add(1))? {
        return Err(crate::upgrade::halt_error(&plan));
    }
    result.map_err(NodeError::from)
}
