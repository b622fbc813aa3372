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
    /// Consensus peers to dial and keep connected.
    pub persistent_peers: Vec<SocketAddr>,
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
}

impl Default for MempoolConfig {
    fn default() -> Self {
        MempoolConfig {
            gossip_listen_addr: SocketAddr::from(([127, 0, 0, 1], 26657)),
            gossip_peers: Vec::new(),
            max_txs: 20_000,
            max_bytes: 64 * 1024 * 1024,
            max_txs_per_sender: 256,
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
}

impl Default for ApiSection {
    fn default() -> Self {
        ApiSection {
            enable: true,
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 1317)),
            wait_timeout_ms: 30_000,
        }
    }
}

/// The whole node configuration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    /// This node's name (logs, metrics, status).
    pub moniker: String,
    /// Consensus p2p.
    pub p2p: P2pConfig,
    /// Mempool and transaction gossip.
    pub mempool: MempoolConfig,
    /// Consensus timing and block limits.
    pub consensus: ConsensusSection,
    /// The API.
    pub api: ApiSection,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            moniker: "node".into(),
            p2p: P2pConfig::default(),
            mempool: MempoolConfig::default(),
            consensus: ConsensusSection::default(),
            api: ApiSection::default(),
        }
    }
}

fn list(addrs: &[SocketAddr]) -> String {
    let items: Vec<String> = addrs.iter().map(|a| format!("\"{a}\"")).collect();
    format!("[{}]", items.join(", "))
}

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
        let c = &self.consensus;
        if c.target_block_time_ms == 0 || c.timeout_propose_ms == 0 {
            return Err(
                "consensus.target_block_time_ms and timeout_propose_ms must be positive".into(),
            );
        }
        if c.max_block_bytes < 1024 {
            return Err("consensus.max_block_bytes must be at least 1024".into());
        }
        if self.mempool.max_txs == 0 || self.mempool.max_txs_per_sender == 0 {
            return Err("mempool.max_txs and max_txs_per_sender must be positive".into());
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

[p2p]
# Consensus p2p listen address (TCP; Malachite over libp2p). Default: "{dp}".
listen_addr = "{pl}"
# Consensus peers to dial and keep connected ("IP:PORT"). Default: [].
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
"#,
            dm = d.moniker,
            moniker = self.moniker,
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
        c.p2p.persistent_peers = vec!["127.0.0.1:5".parse().unwrap()];
        c.consensus.target_block_time_ms = 77;
        let back: NodeConfig = toml::from_str(&c.to_toml()).unwrap();
        assert_eq!(back, c);
        let empty: NodeConfig = toml::from_str("").unwrap();
        assert_eq!(empty, NodeConfig::default());
        assert!(toml::from_str::<NodeConfig>("bogus = 1").is_err());
    }
}
