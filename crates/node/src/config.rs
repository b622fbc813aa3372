//! `config/config.toml`: every field, its meaning and its default. The file
//! written by `fructus init` is [`NodeConfig::to_toml`], which documents each
//! field inline.

use std::{net::SocketAddr, path::Path, time::Duration};

use crate::NodeError;

/// Consensus p2p settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct P2pConfig {
    /// Consensus p2p listen address (TCP; Malachite over libp2p).
    pub listen_addr: SocketAddr,
    /// Consensus peers to dial and keep connected, as `host:port` (an IP
    /// address or a DNS name, resolved when the node starts).
    pub persistent_peers: Vec<String>,
}

impl Default for P2pConfig {
    fn default() -> Self {
        P2pConfig {
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 26656)),
            persistent_peers: Vec::new(),
        }
    }
}

/// Mempool settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MempoolConfig {
    /// Address on which peers push transactions to this node (TCP).
    pub gossip_listen_addr: SocketAddr,
    /// Peers this node pushes admitted transactions to.
    pub gossip_peers: Vec<SocketAddr>,
    /// Most transactions waiting.
    pub max_txs: usize,
    /// Most bytes of transactions waiting.
    pub max_bytes: usize,
    /// Most transactions waiting from one signer.
    pub max_txs_per_sender: usize,
    /// Most inbound gossip connections at once; more are closed on accept.
    pub gossip_max_inbound: usize,
    /// Most inbound gossip connections at once from one IP address.
    pub gossip_max_inbound_per_ip: usize,
    /// An inbound gossip connection that starts no frame for this long is
    /// closed, in milliseconds (senders keep idle links alive every 5 s).
    pub gossip_idle_timeout_ms: u64,
    /// A started gossip frame must arrive whole within this time, in
    /// milliseconds, or its connection is closed (slow or stalled peer).
    pub gossip_frame_timeout_ms: u64,
    /// Most bytes of partly received gossip frames held at once, over all
    /// inbound connections; a frame that cannot get room within
    /// `gossip_frame_timeout_ms` closes its connection.
    pub gossip_max_buffered_bytes: usize,
}

impl Default for MempoolConfig {
    fn default() -> Self {
        MempoolConfig {
            gossip_listen_addr: SocketAddr::from(([127, 0, 0, 1], 26657)),
            gossip_peers: Vec::new(),
            max_txs: 20_000,
            max_bytes: 64 * 1024 * 1024,
            max_txs_per_sender: 256,
            gossip_max_inbound: 64,
            gossip_max_inbound_per_ip: 8,
            gossip_idle_timeout_ms: 60_000,
            gossip_frame_timeout_ms: 10_000,
            gossip_max_buffered_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Consensus and block-building settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsensusSection {
    /// Minimum time between blocks, in milliseconds.
    pub target_block_time_ms: u64,
    /// With no transactions waiting, wait up to this long before proposing an
    /// empty block, in milliseconds.
    pub max_idle_interval_ms: u64,
    /// How long to wait for a proposal in round 0, in milliseconds.
    pub timeout_propose_ms: u64,
    /// How long to wait for prevotes after seeing 2/3 of any, in milliseconds.
    pub timeout_prevote_ms: u64,
    /// How long to wait for precommits after seeing 2/3 of any, in milliseconds.
    pub timeout_precommit_ms: u64,
    /// Largest block, in bytes of transactions.
    pub max_block_bytes: usize,
    /// Most gas (sum of gas limits) in a block.
    pub max_block_gas: u64,
    /// How far a proposed block's time may be ahead of this node's clock, in
    /// milliseconds.
    pub max_time_drift_ms: u64,
}

impl Default for ConsensusSection {
    fn default() -> Self {
        ConsensusSection {
            target_block_time_ms: 500,
            max_idle_interval_ms: 3_000,
            timeout_propose_ms: 3_000,
            timeout_prevote_ms: 1_000,
            timeout_precommit_ms: 1_000,
            max_block_bytes: 4 * 1024 * 1024,
            max_block_gas: 2_000_000_000,
            max_time_drift_ms: 10_000,
        }
    }
}

impl ConsensusSection {
    /// [`Self::target_block_time_ms`] as a duration.
    pub fn target_block_time(&self) -> Duration {
        Duration::from_millis(self.target_block_time_ms)
    }
}

/// REST/WebSocket API settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiSection {
    /// Serve the API.
    pub enable: bool,
    /// Listen address of the API.
    pub listen_addr: SocketAddr,
    /// Longest `POST /v1/txs?wait=commit` waits, in milliseconds.
    pub wait_timeout_ms: u64,
    /// Origins whose browser pages may call the API (CORS), e.g.
    /// `"https://explorer.example"`; `"*"` allows any. Empty: none.
    pub cors_allowed_origins: Vec<String>,
    /// Most WebSocket subscriptions open at once.
    pub max_ws_subscriptions: usize,
    /// Most WebSocket subscriptions open at once from one IP address.
    pub max_ws_subscriptions_per_ip: usize,
}

impl Default for ApiSection {
    fn default() -> Self {
        ApiSection {
            enable: true,
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 1317)),
            wait_timeout_ms: 30_000,
            cors_allowed_origins: Vec::new(),
            max_ws_subscriptions: 512,
            max_ws_subscriptions_per_ip: 16,
        }
    }
}

/// Which history the node keeps.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PruningSection {
    /// State versions (heights) kept, with their Merkle proofs; older ones
    /// are pruned. 0 keeps every version (an archive node).
    pub keep_versions: u64,
    /// Heights whose blocks, certificates and transaction results are kept;
    /// older ones are pruned. 0 keeps every block.
    pub keep_blocks: u64,
}

/// Default [`PruningSection::keep_versions`]: at 500 ms blocks, about 1.4 h
/// of proofs, and room for a snapshot to be served while it is taken.
pub const DEFAULT_KEEP_VERSIONS: u64 = 10_000;
/// Default [`PruningSection::keep_blocks`]: at 500 ms blocks, about 14 h,
/// enough for a peer that was down for a while to catch up by block sync.
pub const DEFAULT_KEEP_BLOCKS: u64 = 100_000;
/// Fewest heights kept when pruning: a peer that misses a few blocks still
/// syncs them, and a proof of the latest heights is always served.
pub const MIN_KEEP: u64 = 100;

impl Default for PruningSection {
    fn default() -> Self {
        PruningSection {
            keep_versions: DEFAULT_KEEP_VERSIONS,
            keep_blocks: DEFAULT_KEEP_BLOCKS,
        }
    }
}

impl PruningSection {
    /// Keeps everything (`--pruning archive`).
    pub fn archive() -> Self {
        PruningSection {
            keep_versions: 0,
            keep_blocks: 0,
        }
    }

    /// The storage setting for [`Self::keep_versions`].
    pub fn state(&self) -> fructus_storage::Pruning {
        match self.keep_versions {
            0 => fructus_storage::Pruning::Archive,
            n => fructus_storage::Pruning::KeepRecent(n),
        }
    }
}

/// How the state store writes to disk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageSection {
    /// Sync the state to disk every this many blocks (1: every block). The
    /// block store syncs every block, so a crash leaves the state at most
    /// this many blocks behind, and start-up replays them
    /// ([`crate::host::recover`]). Above 1, one disk sync a block is saved
    /// and the state file's high-water mark grows by about this many
    /// blocks' page copies (docs/operators.md, "Crash safety").
    pub sync_every_blocks: u64,
    /// Make those syncs on a background thread, off the block's path: the
    /// state of a block is on disk by the time the next block's state is
    /// written, so a crash loses at most one more block than the interval
    /// alone, which start-up replays the same way.
    pub sync_in_background: bool,
}

/// Most [`StorageSection::sync_every_blocks`]: what start-up replays at
/// most, far below the fewest blocks a node keeps ([`MIN_KEEP`]).
pub const MAX_SYNC_EVERY_BLOCKS: u64 = 64;
// The blocks a restart replays are always still in the block store.
const _: () = assert!(MAX_SYNC_EVERY_BLOCKS < MIN_KEEP);

impl Default for StorageSection {
    fn default() -> Self {
        StorageSection {
            sync_every_blocks: 1,
            sync_in_background: true,
        }
    }
}

/// The history indexer (docs/indexer.md).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexerSection {
    /// Index history and serve `/v1/history/…`.
    pub enabled: bool,
    /// `sqlite://<path>` or `postgres://…`; empty: SQLite in
    /// `<home>/data/indexer.db`.
    pub db: String,
    /// Heights of history kept; 0 keeps all.
    pub retention_blocks: u64,
}

impl IndexerSection {
    /// The database URL, with the default SQLite file under `data_dir`.
    pub fn url(&self, data_dir: &Path) -> String {
        if self.db.is_empty() {
            format!("sqlite://{}", data_dir.join("indexer.db").display())
        } else {
            self.db.clone()
        }
    }
}

/// The whole node configuration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    /// This node's name (logs, metrics, status).
    pub moniker: String,
    /// SHA-256 (hex) of the exact bytes of `genesis.json`, published by the
    /// genesis ceremony. When set, the node refuses to start on any other
    /// genesis file. Empty: not pinned (the node warns).
    pub genesis_sha256: String,
    /// Consensus p2p.
    pub p2p: P2pConfig,
    /// Mempool and transaction gossip.
    pub mempool: MempoolConfig,
    /// Consensus timing and block limits.
    pub consensus: ConsensusSection,
    /// The API.
    pub api: ApiSection,
    /// Pruning of old state and blocks.
    pub pruning: PruningSection,
    /// How the state store writes to disk.
    pub storage: StorageSection,
    /// The history indexer.
    pub indexer: IndexerSection,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            moniker: "node".into(),
            genesis_sha256: String::new(),
            p2p: P2pConfig::default(),
            mempool: MempoolConfig::default(),
            consensus: ConsensusSection::default(),
            api: ApiSection::default(),
            pruning: PruningSection::default(),
            storage: StorageSection::default(),
            indexer: IndexerSection::default(),
        }
    }
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|a| format!("{:?}", a.to_string()))
        .collect();
    format!("[{}]", items.join(", "))
}

/// Whether `origin` is `*` or a browser origin: `http(s)://host[:port]`
/// with no path, no trailing slash and no characters a header cannot carry.
fn is_origin(origin: &str) -> bool {
    if origin == "*" {
        return true;
    }
    let Some(host) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// Splits `host:port` (an IPv4 address, a DNS name, or `[IPv6]`); `None`
/// unless both parts are present and the port is a number.
pub fn parse_host_port(peer: &str) -> Option<(&str, u16)> {
    let (host, port) = peer.rsplit_once(':')?;
    let port = port.parse::<u16>().ok().filter(|p| *p != 0)?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    valid.then_some((host, port))
}

/// Shortest allowed `gossip_idle_timeout_ms`: three keepalive intervals, so
/// an idle but healthy sender is never cut.
pub const MIN_GOSSIP_IDLE_TIMEOUT_MS: u64 = 15_000;
/// Longest allowed gossip timeout (idle or frame): one hour.
pub const MAX_GOSSIP_TIMEOUT_MS: u64 = 3_600_000;

impl NodeConfig {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Self, NodeError> {
        let text = std::fs::read_to_string(path).map_err(|e| NodeError::io(path, e))?;
        let config: NodeConfig = toml::from_str(&text).map_err(|e| NodeError::Config {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        config.validate().map_err(|message| NodeError::Config {
            path: path.to_owned(),
            message,
        })?;
        Ok(config)
    }

    /// Checks values that would make the node misbehave.
    pub fn validate(&self) -> Result<(), String> {
        if !self.genesis_sha256.is_empty()
            && (self.genesis_sha256.len() != 64
                || !self
                    .genesis_sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        {
            return Err(format!(
                "genesis_sha256 {:?} is not 64 lowercase hex digits: copy the hash printed by \
                 `fructus genesis collect-gentxs`",
                self.genesis_sha256
            ));
        }
        if let Some(bad) = self
            .p2p
            .persistent_peers
            .iter()
            .find(|p| parse_host_port(p).is_none())
        {
            return Err(format!(
                "p2p.persistent_peers: {bad:?} is not host:port (e.g. \"10.0.0.7:26656\" or \
                 \"val2.example.org:26656\")"
            ));
        }
        let p = &self.pruning;
        if [p.keep_versions, p.keep_blocks]
            .iter()
            .any(|k| *k != 0 && *k < MIN_KEEP)
        {
            return Err(format!(
                "pruning.keep_versions and keep_blocks must be 0 (keep all) or at least {MIN_KEEP}"
            ));
        }
        if !(1..=MAX_SYNC_EVERY_BLOCKS).contains(&self.storage.sync_every_blocks) {
            return Err(format!(
                "storage.sync_every_blocks must be between 1 (sync every block) and \
                 {MAX_SYNC_EVERY_BLOCKS}"
            ));
        }
        let c = &self.consensus;
        if c.target_block_time_ms == 0 || c.timeout_propose_ms == 0 {
            return Err(
                "consensus.target_block_time_ms and timeout_propose_ms must be positive".into(),
            );
        }
        if c.max_block_bytes < 1024 {
            return Err("consensus.max_block_bytes must be at least 1024".into());
        }
        let m = &self.mempool;
        if m.max_txs == 0 || m.max_txs_per_sender == 0 {
            return Err("mempool.max_txs and max_txs_per_sender must be positive".into());
        }
        if m.gossip_max_inbound == 0 || m.gossip_max_inbound_per_ip == 0 {
            return Err(
                "mempool.gossip_max_inbound and gossip_max_inbound_per_ip must be positive".into(),
            );
        }
        if !(MIN_GOSSIP_IDLE_TIMEOUT_MS..=MAX_GOSSIP_TIMEOUT_MS).contains(&m.gossip_idle_timeout_ms)
        {
            return Err(format!(
                "mempool.gossip_idle_timeout_ms must be at least {MIN_GOSSIP_IDLE_TIMEOUT_MS} \
                 (senders send a keepalive every 5 s) and at most {MAX_GOSSIP_TIMEOUT_MS}"
            ));
        }
        if !(1..=MAX_GOSSIP_TIMEOUT_MS).contains(&m.gossip_frame_timeout_ms) {
            return Err(format!(
                "mempool.gossip_frame_timeout_ms must be between 1 and {MAX_GOSSIP_TIMEOUT_MS}"
            ));
        }
        let max_buffered = usize::try_from(u32::MAX).unwrap_or(usize::MAX);
        if !(crate::gossip::MAX_FRAME..=max_buffered).contains(&m.gossip_max_buffered_bytes) {
            return Err(format!(
                "mempool.gossip_max_buffered_bytes must be at least {} (one whole frame) \
                 and at most {max_buffered}",
                crate::gossip::MAX_FRAME
            ));
        }
        let a = &self.api;
        if a.max_ws_subscriptions == 0 || a.max_ws_subscriptions_per_ip == 0 {
            return Err(
                "api.max_ws_subscriptions and max_ws_subscriptions_per_ip must be positive".into(),
            );
        }
        if let Some(bad) = a.cors_allowed_origins.iter().find(|o| !is_origin(o)) {
            return Err(format!(
                "api.cors_allowed_origins: {bad:?} is not an origin; write \"https://host[:port]\" \
                 (no path, no trailing slash) or \"*\""
            ));
        }
        let db = &self.indexer.db;
        if !(db.is_empty()
            || db.starts_with("sqlite://")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(format!(
                "indexer.db {db:?} is neither sqlite://<path> nor postgres://…; leave it empty \
                 for SQLite in <home>/data/indexer.db"
            ));
        }
        Ok(())
    }

    /// The config as TOML with every field documented and its default named.
    pub fn to_toml(&self) -> String {
        let d = NodeConfig::default();
        let (p, m, c, a) = (&self.p2p, &self.mempool, &self.consensus, &self.api);
        format!(
            r#"# Fructus node configuration. Each field is documented with its default.

# This node's name, shown in logs, metrics and /v1/status. Default: "{dm}".
moniker = "{moniker}"
# SHA-256 (hex) of the exact bytes of config/genesis.json, as published by the
# genesis ceremony (`fructus genesis collect-gentxs`). The node refuses to
# start on any other genesis. Set by `fructus genesis install`. Default: ""
# (not pinned; the node warns).
genesis_sha256 = "{gh}"

[p2p]
# Consensus p2p listen address (TCP; Malachite over libp2p). Default: "{dp}".
listen_addr = "{pl}"
# Consensus peers to dial and keep connected ("HOST:PORT"; a DNS name is
# resolved when the node starts). Default: [].
persistent_peers = {pp}

[mempool]
# Address on which peers push transactions to this node (TCP). Default: "{dg}".
gossip_listen_addr = "{mg}"
# Peers this node pushes admitted transactions to ("IP:PORT"). Default: [].
gossip_peers = {mp}
# Most transactions waiting in the mempool. Default: {dmt}.
max_txs = {mt}
# Most bytes of transactions waiting in the mempool. Default: {dmb}.
max_bytes = {mb}
# Most transactions waiting from one signer (consecutive nonces). Default: {dms}.
max_txs_per_sender = {ms}
# Most inbound gossip connections at once; more are closed on accept and
# counted in fructus_gossip_refused_connections_total. Default: {dgi}.
gossip_max_inbound = {gi}
# Most inbound gossip connections at once from one IP address. Default: {dgp}.
gossip_max_inbound_per_ip = {gp}
# Close an inbound gossip connection that starts no frame for this long, in
# milliseconds (at least {min_idle}; senders send a keepalive every 5 s). Default: {dgt}.
gossip_idle_timeout_ms = {gt}
# A started gossip frame must arrive whole within this time, in milliseconds,
# or the (slow or stalled) connection is closed. Default: {dgf}.
gossip_frame_timeout_ms = {gf}
# Most bytes of partly received gossip frames held at once, over all inbound
# connections (at least one whole frame, 1 MiB). Default: {dgb}.
gossip_max_buffered_bytes = {gb}

[consensus]
# Minimum time between blocks, in milliseconds. Default: {dct}.
target_block_time_ms = {ct}
# With no transactions waiting, wait up to this long before proposing an
# empty block, in milliseconds. Default: {dci}.
max_idle_interval_ms = {ci}
# How long to wait for a proposal in round 0, in milliseconds. Default: {dcp}.
timeout_propose_ms = {cp}
# How long to wait for prevotes after 2/3 of any, in milliseconds. Default: {dcv}.
timeout_prevote_ms = {cv}
# How long to wait for precommits after 2/3 of any, in milliseconds. Default: {dcc}.
timeout_precommit_ms = {cc}
# Largest block, in bytes of transactions. Default: {dcb}.
max_block_bytes = {cb}
# Most gas (sum of gas limits) in one block. Default: {dcg}.
max_block_gas = {cg}
# How far a proposed block's time may be ahead of this node's clock, in
# milliseconds. Default: {dcd}.
max_time_drift_ms = {cd}

[api]
# Serve the REST/WebSocket API. Default: {dae}.
enable = {ae}
# API listen address. Default: "{dal}".
listen_addr = "{al}"
# Longest POST /v1/txs?wait=commit waits, in milliseconds. Default: {daw}.
wait_timeout_ms = {aw}
# Origins whose browser pages may call the API (CORS), e.g.
# ["https://explorer.example"]; ["*"] allows any. Default: [] (none).
cors_allowed_origins = {ac}
# Most WebSocket subscriptions open at once; more get 503 api#13 and are
# counted in fructus_ws_subscriptions_refused_total. Default: {das}.
max_ws_subscriptions = {as_}
# Most WebSocket subscriptions open at once from one IP address. Default: {dai}.
max_ws_subscriptions_per_ip = {ai}

[pruning]
# State versions (heights) kept, with their Merkle proofs; proofs at older
# heights are refused naming the oldest kept one. 0 keeps every version (an
# archive node; `fructus node --pruning archive`). Otherwise at least {min_keep}.
# Default: {dpv}.
keep_versions = {pv}
# Heights whose blocks, certificates and transaction results are kept. 0
# keeps every block. Peers further behind than this catch up from a snapshot.
# Default: {dpb}.
keep_blocks = {pb}

[storage]
# Sync the state to disk every this many blocks (1 to {max_sync}). The block
# store syncs every block, so after a crash the node replays the blocks the
# state had not synced. Above 1: one disk sync a block fewer (faster blocks),
# and the state file grows by about this many blocks' page copies.
# Default: {dss}.
sync_every_blocks = {ss}
# Make those syncs on a background thread while the next block executes
# (true), or before the block's commit returns (false). Either way a block's
# state is on disk before the next one's is written, and a crash is
# recovered by replaying blocks. Default: {dsb}.
sync_in_background = {sb}

[indexer]
# Index history (usage, charges, income, swaps, retirements, uptime) and serve
# /v1/history/… (docs/indexer.md); `fructus node --indexer` turns it on for
# one run. Default: false.
enabled = {ie}
# "sqlite://<path>" or "postgres://user:password@host/db". Default: "" (SQLite
# in <home>/data/indexer.db).
db = {idb:?}
# Heights of history kept; older rows are deleted in small batches. 0 keeps
# all. Default: 0.
retention_blocks = {ir}
"#,
            dm = d.moniker,
            moniker = self.moniker,
            gh = self.genesis_sha256,
            dp = d.p2p.listen_addr,
            pl = p.listen_addr,
            pp = list(&p.persistent_peers),
            dg = d.mempool.gossip_listen_addr,
            mg = m.gossip_listen_addr,
            mp = list(&m.gossip_peers),
            dmt = d.mempool.max_txs,
            mt = m.max_txs,
            dmb = d.mempool.max_bytes,
            mb = m.max_bytes,
            dms = d.mempool.max_txs_per_sender,
            ms = m.max_txs_per_sender,
            dgi = d.mempool.gossip_max_inbound,
            gi = m.gossip_max_inbound,
            dgp = d.mempool.gossip_max_inbound_per_ip,
            gp = m.gossip_max_inbound_per_ip,
            min_idle = MIN_GOSSIP_IDLE_TIMEOUT_MS,
            dgt = d.mempool.gossip_idle_timeout_ms,
            gt = m.gossip_idle_timeout_ms,
            dgf = d.mempool.gossip_frame_timeout_ms,
            gf = m.gossip_frame_timeout_ms,
            dgb = d.mempool.gossip_max_buffered_bytes,
            gb = m.gossip_max_buffered_bytes,
            dct = d.consensus.target_block_time_ms,
            ct = c.target_block_time_ms,
            dci = d.consensus.max_idle_interval_ms,
            ci = c.max_idle_interval_ms,
            dcp = d.consensus.timeout_propose_ms,
            cp = c.timeout_propose_ms,
            dcv = d.consensus.timeout_prevote_ms,
            cv = c.timeout_prevote_ms,
            dcc = d.consensus.timeout_precommit_ms,
            cc = c.timeout_precommit_ms,
            dcb = d.consensus.max_block_bytes,
            cb = c.max_block_bytes,
            dcg = d.consensus.max_block_gas,
            cg = c.max_block_gas,
            dcd = d.consensus.max_time_drift_ms,
            cd = c.max_time_drift_ms,
            dae = d.api.enable,
            ae = a.enable,
            dal = d.api.listen_addr,
            al = a.listen_addr,
            daw = d.api.wait_timeout_ms,
            aw = a.wait_timeout_ms,
            ac = list(&a.cors_allowed_origins),
            das = d.api.max_ws_subscriptions,
            as_ = a.max_ws_subscriptions,
            dai = d.api.max_ws_subscriptions_per_ip,
            ai = a.max_ws_subscriptions_per_ip,
            min_keep = MIN_KEEP,
            dpv = d.pruning.keep_versions,
            pv = self.pruning.keep_versions,
            dpb = d.pruning.keep_blocks,
            pb = self.pruning.keep_blocks,
            max_sync = MAX_SYNC_EVERY_BLOCKS,
            dss = d.storage.sync_every_blocks,
            ss = self.storage.sync_every_blocks,
            dsb = d.storage.sync_in_background,
            sb = self.storage.sync_in_background,
            ie = self.indexer.enabled,
            idb = self.indexer.db,
            ir = self.indexer.retention_blocks,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_toml_parses_back_to_the_same_config() {
        let mut c = NodeConfig {
            moniker: "v1".into(),
            ..NodeConfig::default()
        };
        c.p2p.persistent_peers = vec!["127.0.0.1:5".into(), "val2.example.org:26656".into()];
        c.genesis_sha256 = "ab".repeat(32);
        c.consensus.target_block_time_ms = 77;
        c.api.cors_allowed_origins = vec!["https://explorer.example:8443".into()];
        c.mempool.gossip_max_inbound_per_ip = 3;
        c.pruning = PruningSection::archive();
        c.storage.sync_every_blocks = 8;
        c.storage.sync_in_background = false;
        c.indexer = IndexerSection {
            enabled: true,
            db: "postgres://u:p@127.0.0.1:5432/fx".into(),
            retention_blocks: 500,
        };
        let back: NodeConfig = toml::from_str(&c.to_toml()).unwrap();
        assert_eq!(back, c);
        let empty: NodeConfig = toml::from_str("").unwrap();
        assert_eq!(empty, NodeConfig::default());
        assert!(toml::from_str::<NodeConfig>("bogus = 1").is_err());
    }

    #[test]
    fn network_caps_must_be_usable() {
        assert_eq!(NodeConfig::default().validate(), Ok(()));
        let bad: [fn(&mut NodeConfig); 14] = [
            |c| c.pruning.keep_versions = 5,
            |c| c.storage.sync_every_blocks = 0,
            |c| c.storage.sync_every_blocks = MAX_SYNC_EVERY_BLOCKS + 1,
            |c| c.genesis_sha256 = "AB".repeat(32),
            |c| c.genesis_sha256 = "ab".into(),
            |c| c.p2p.persistent_peers = vec!["val2.example.org".into()],
            |c| c.p2p.persistent_peers = vec!["val 2:26656".into()],
            |c| c.mempool.gossip_max_inbound = 0,
            |c| c.mempool.gossip_idle_timeout_ms = 1_000,
            |c| c.mempool.gossip_max_buffered_bytes = 1024,
            |c| c.api.max_ws_subscriptions_per_ip = 0,
            |c| c.api.cors_allowed_origins = vec!["https://explorer.example/".into()],
            |c| c.api.cors_allowed_origins = vec!["explorer.example".into()],
            |c| c.indexer.db = "mysql://db/fx".into(),
        ];
        for edit in bad {
            let mut c = NodeConfig::default();
            edit(&mut c);
            assert!(c.validate().is_err(), "{c:?}");
        }
        let mut c = NodeConfig::default();
        c.api.cors_allowed_origins = vec!["*".into(), "http://[::1]:3000".into()];
        assert_eq!(c.validate(), Ok(()));
    }
}
