//! Node-facing configuration and its translation into Malachite's.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fructus_crypto::SigningKey;
use malachitebft_app_channel::app::config::{
    ConsensusConfig as MConsensusConfig, NodeConfig, P2pConfig, ValueSyncConfig,
};
use malachitebft_app_channel::app::net::Multiaddr;
use malachitebft_app_channel::app::types::core::LinearTimeouts;

use crate::error::ConsensusError;

/// Everything [`crate::run`] needs.
#[derive(Debug)]
pub struct ConsensusConfig {
    /// Chain id (bound into every consensus signature).
    pub chain_id: String,
    /// Human-readable node name (logs, metrics).
    pub moniker: String,
    /// Node home; consensus data (the WAL) lives under `home/data/consensus/`.
    pub home: PathBuf,
    /// P2P listen address (`127.0.0.1:PORT`, TCP).
    pub listen_addr: SocketAddr,
    /// Peers to dial and keep connected.
    pub persistent_peers: Vec<SocketAddr>,
    /// Ed25519 validator key; signs votes/proposals when in the set.
    pub validator_key: SigningKey,
    /// Seed of the node's libp2p ed25519 identity.
    pub node_key_seed: [u8; 32],
    /// Minimum spacing between decisions (default 500 ms).
    pub target_block_time: Duration,
    /// With an empty mempool, wait up to this long before proposing an empty
    /// block (default 3 s; bounded by the engine's propose deadline).
    pub max_idle_interval: Duration,
    /// Round timeouts and sync pacing.
    pub timeouts: Timeouts,
    /// Largest block, in bytes of transactions: bounds what incomplete
    /// proposal streams may buffer ([`crate::streaming::StreamLimits`]).
    pub max_block_bytes: usize,
}

/// Default [`ConsensusConfig::target_block_time`].
pub const DEFAULT_TARGET_BLOCK_TIME: Duration = Duration::from_millis(500);
/// Default [`ConsensusConfig::max_idle_interval`].
pub const DEFAULT_MAX_IDLE_INTERVAL: Duration = Duration::from_secs(3);

/// Round timeouts (Tendermint's, growing linearly with the round) and
/// sync pacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Wait for a proposal in round 0.
    pub propose: Duration,
    /// Added to `propose` per round.
    pub propose_delta: Duration,
    /// Wait after 2/3+ prevotes for anything, round 0.
    pub prevote: Duration,
    /// Added to `prevote` per round.
    pub prevote_delta: Duration,
    /// Wait after 2/3+ precommits for anything, round 0.
    pub precommit: Duration,
    /// Added to `precommit` per round.
    pub precommit_delta: Duration,
    /// Re-broadcast own votes if stuck this long.
    pub rebroadcast: Duration,
    /// Upper bound of any round timeout.
    pub max_timeout: Duration,
    /// How often a node tells peers its height (drives catch-up via sync).
    pub sync_status_interval: Duration,
    /// Timeout of one sync request.
    pub sync_request_timeout: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            propose: Duration::from_secs(3),
            propose_delta: Duration::from_millis(500),
            prevote: Duration::from_secs(1),
            prevote_delta: Duration::from_millis(500),
            precommit: Duration::from_secs(1),
            precommit_delta: Duration::from_millis(500),
            rebroadcast: Duration::from_secs(5),
            max_timeout: Duration::from_secs(60),
            sync_status_interval: Duration::from_secs(1),
            sync_request_timeout: Duration::from_secs(10),
        }
    }
}

impl Timeouts {
    pub(crate) fn linear(&self) -> LinearTimeouts {
        LinearTimeouts {
            propose: self.propose,
            propose_delta: self.propose_delta,
            prevote: self.prevote,
            prevote_delta: self.prevote_delta,
            precommit: self.precommit,
            precommit_delta: self.precommit_delta,
            rebroadcast: self.rebroadcast,
            max_timeout: self.max_timeout,
        }
    }
}

/// Where the WAL lives under `home`.
pub fn wal_path(home: &Path) -> PathBuf {
    home.join("data")
        .join("consensus")
        .join("wal")
        .join("consensus.wal")
}

/// A loopback/TCP socket address as a libp2p multiaddr.
pub(crate) fn multiaddr(addr: SocketAddr) -> Result<Multiaddr, ConsensusError> {
    let proto = if addr.is_ipv4() { "ip4" } else { "ip6" };
    format!("/{proto}/{}/tcp/{}", addr.ip(), addr.port())
        .parse()
        .map_err(|e| ConsensusError::InvalidConfig {
            reason: format!("address {addr}: {e}"),
        })
}

/// The engine's node configuration.
pub(crate) struct EngineConfig {
    moniker: String,
    consensus: MConsensusConfig,
    value_sync: ValueSyncConfig,
}

impl EngineConfig {
    pub(crate) fn from_config(cfg: &ConsensusConfig) -> Result<Self, ConsensusError> {
        let persistent_peers = cfg
            .persistent_peers
            .iter()
            .copied()
            .map(multiaddr)
            .collect::<Result<Vec<_>, _>>()?;
        // Broadcast (direct sends to every connected peer) rather than
        // GossipSub: validators are configured as a full mesh of persistent
        // peers, and on loopback GossipSub added ~100 ms per hop (a 4-node
        // chain made ~1.4 blocks/s instead of ~4 at a 50 ms target). Parts
        // are not relayed, so every validator must peer with every other;
        // a node that misses a proposal catches up through sync.
        let p2p = P2pConfig {
            listen_addr: multiaddr(cfg.listen_addr)?,
            persistent_peers,
            protocol: malachitebft_app_channel::app::config::PubSubProtocol::Broadcast,
            ..P2pConfig::default()
        };
        let consensus = MConsensusConfig {
            p2p,
            ..MConsensusConfig::default()
        };
        let value_sync = ValueSyncConfig {
            enabled: true,
            status_update_interval: cfg.timeouts.sync_status_interval,
            request_timeout: cfg.timeouts.sync_request_timeout,
            ..ValueSyncConfig::default()
        };
        Ok(Self {
            moniker: cfg.moniker.clone(),
            consensus,
            value_sync,
        })
    }
}

impl NodeConfig for EngineConfig {
    fn moniker(&self) -> &str {
        &self.moniker
    }
    fn consensus(&self) -> &MConsensusConfig {
        &self.consensus
    }
    fn consensus_mut(&mut self) -> &mut MConsensusConfig {
        &mut self.consensus
    }
    fn value_sync(&self) -> &ValueSyncConfig {
        &self.value_sync
    }
    fn value_sync_mut(&mut self) -> &mut ValueSyncConfig {
        &mut self.value_sync
    }
}
