//! Fructus consensus: the glue between the Malachite BFT engine (Tendermint)
//! and the Fructus node.
//!
//! **Owns:** the engine's [`Context`](context::FructusContext) (heights,
//! addresses, block ids, proposals, votes, validator sets), the wire/WAL
//! [`codec`] (versioned borsh), the ed25519 [`signing`] rules, block
//! [`streaming`] as proposal parts, the application loop that answers every
//! engine message, and the consensus WAL under `home/data/consensus/`.
//!
//! **Invariants:** the validator set of a height is always read from the
//! host at that height (never cached across heights); a block is committed
//! (via [`ConsensusHost::commit`]) before the next height starts, so a
//! syncing node executes each block before it needs the next set; every
//! signature binds the chain id; proposal parts are grouped by publisher.
//!
//! **Must never:** execute transactions or touch app state itself (the host
//! does); panic on untrusted bytes; listen on anything but the configured
//! address; copy upstream Malachite example code.
//!
//! Use it from a node by implementing [`ConsensusHost`] and calling [`run`].

mod app;
pub mod codec;
pub mod config;
pub mod context;
mod error;
mod evidence;
mod log;
pub mod signing;
pub mod streaming;
mod validators;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fructus_crypto::{Address, SigningKey};
use fructus_types::block::Block;
use malachitebft_app_channel::app::types::Keypair;
use malachitebft_app_channel::{
    ConsensusContext, NetworkContext, NetworkIdentity, RequestContext, SyncContext, WalContext,
};
use tracing::{info, warn};

pub use config::{
    ConsensusConfig, DEFAULT_MAX_IDLE_INTERVAL, DEFAULT_TARGET_BLOCK_TIME, Timeouts, wal_path,
};
pub use error::{CodecError, ConsensusError, HostError};
pub use evidence::DoubleSignEvidence;
pub use log::NoiseFilter;
pub use validators::{
    CertificateInfo, ValidatorInfo, ValidatorSetInfo, decode_certificate, encode_certificate,
    precommit_sign_bytes, verify_certificate,
};

/// What the node provides. Called from the consensus task; methods must be
/// quick (no long blocking) except `commit`, which may do disk I/O.
///
/// Every [`HostError::Fault`] stops consensus with
/// [`ConsensusError::HostFault`]: the host never answers with a made-up
/// value (an empty validator set, a zero hash) when its state fails.
pub trait ConsensusHost: Send + 'static {
    /// Height of the last committed block (0 = only genesis).
    fn last_height(&self) -> Result<u64, HostError>;
    /// Lowest height whose block + certificate the host can still serve.
    fn history_min_height(&self) -> u64;
    /// The validator set that signs `height`, read from committed state.
    fn validator_set(&self, height: u64) -> Result<ValidatorSetInfo, HostError>;
    /// True if the mempool has transactions waiting (idle pacing).
    fn has_pending_txs(&self) -> bool;
    /// Build this node's proposal for `height`/`round`.
    fn propose(&mut self, height: u64, round: u32, proposer: Address) -> Result<Block, HostError>;
    /// Validate a received block: [`HostError::InvalidBlock`] = vote
    /// against it; [`HostError::Fault`] = stop.
    fn validate(&self, block: &Block) -> Result<(), HostError>;
    /// Execute and durably store a decided block with its certificate
    /// bytes. `Err` is fatal: consensus stops.
    fn commit(&mut self, block: Block, certificate: Vec<u8>) -> Result<(), HostError>;
    /// A decided block and its certificate bytes, if stored (for sync).
    fn decided(&self, height: u64) -> Option<(Block, Vec<u8>)>;
    /// Double signing the engine observed while finalizing a height, for
    /// the host to put into a later block (ignored by default).
    fn report_evidence(&mut self, _evidence: Vec<DoubleSignEvidence>) {}
}

/// How long [`run`] waits for the engine's actors to stop after shutdown.
const ENGINE_STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs consensus until `shutdown` resolves (`Ok(())`) or a fatal error.
pub async fn run(
    config: ConsensusConfig,
    host: impl ConsensusHost,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ConsensusError> {
    let SigningKey::Ed25519(_) = &config.validator_key else {
        return Err(ConsensusError::InvalidConfig {
            reason: "the validator key must be ed25519".into(),
        });
    };
    let secret: [u8; 32] = *config.validator_key.secret_bytes();
    let address = config.validator_key.public_key().address();
    let ctx = context::FructusContext::new(&config.chain_id);
    let engine_cfg = config::EngineConfig::from_config(&config)?;

    let mut seed = config.node_key_seed;
    let keypair =
        Keypair::ed25519_from_bytes(&mut seed).map_err(|e| ConsensusError::InvalidConfig {
            reason: format!("node key seed: {e}"),
        })?;
    let identity = NetworkIdentity::new(config.moniker.clone(), keypair, Some(address.to_string()));
    let wal = wal_path(&config.home);

    let (mut channels, engine) = malachitebft_app_channel::start_engine(
        ctx.clone(),
        engine_cfg,
        WalContext::new(wal, codec::WireCodec),
        NetworkContext::new(identity, codec::WireCodec),
        ConsensusContext::new_validator(
            context::ValidatorAddress(address),
            Box::new(signing::FructusVerifier::new(&config.chain_id)),
            Box::new(signing::FructusSigner::new(secret, &config.chain_id)),
        ),
        SyncContext::new(codec::WireCodec),
        RequestContext::new(64),
    )
    .await
    .map_err(|e| ConsensusError::EngineStart {
        reason: format!("{e:#}"),
    })?;
    info!(moniker = %config.moniker, %address, listen = %config.listen_addr, "consensus engine started");

    let mut app = app::App::new(
        host,
        ctx,
        signing::FructusSigner::new(secret, &config.chain_id),
        address,
        app::AppSettings {
            target_block_time: config.target_block_time,
            max_idle_interval: config.max_idle_interval,
            timeouts: config.timeouts,
            stream_limits: streaming::StreamLimits::for_block_limit(config.max_block_bytes),
        },
    );
    let result = app.run(&mut channels, shutdown).await;
    drop(channels);
    engine.actor.stop(Some("shutdown".to_owned()));
    if tokio::time::timeout(ENGINE_STOP_TIMEOUT, engine.handle)
        .await
        .is_err()
    {
        warn!("the consensus engine did not stop in time");
    }
    result
}

/// Moves the consensus WAL aside (e.g. after corruption stopped the node
/// from starting), so the node can restart and catch up from peers. Returns
/// where it went, or `None` if there was no WAL.
pub fn move_wal_aside(home: &Path) -> Result<Option<PathBuf>, ConsensusError> {
    let wal = wal_path(home);
    if !wal.exists() {
        return Ok(None);
    }
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut target = wal.with_extension(format!("wal.corrupt-{stamp}"));
    let mut n: u32 = 0;
    while target.exists() {
        n = n.saturating_add(1);
        target = wal.with_extension(format!("wal.corrupt-{stamp}-{n}"));
    }
    std::fs::rename(&wal, &target).map_err(|source| ConsensusError::Io {
        path: wal.clone(),
        source,
    })?;
    Ok(Some(target))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn move_wal_aside_moves_and_reports() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(move_wal_aside(dir.path()).unwrap(), None);
        let wal = wal_path(dir.path());
        std::fs::create_dir_all(wal.parent().unwrap()).unwrap();
        std::fs::write(&wal, b"garbage").unwrap();
        let moved = move_wal_aside(dir.path()).unwrap().unwrap();
        assert!(!wal.exists());
        assert_eq!(std::fs::read(&moved).unwrap(), b"garbage");
        std::fs::write(&wal, b"again").unwrap();
        let moved2 = move_wal_aside(dir.path()).unwrap().unwrap();
        assert_ne!(moved, moved2);
    }
}
