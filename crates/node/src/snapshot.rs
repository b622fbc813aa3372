//! State snapshots for joining nodes: a stopped node exports the state of
//! its latest height `H` (chunked, each chunk hashed) with block `H`; a new
//! node restores it instead of replaying every block since genesis, and
//! continues from `H + 1` by block sync.
//!
//! ```text
//! DIR/manifest.json      format, chain id, height H, app hash, every file's SHA-256
//! DIR/chunk-00000.bin    borsh Vec<(key, value)>, keys ascending, ~4 MiB each
//! DIR/block.bin          block H (its header is what block H + 1 builds on)
//! DIR/certificate.bin    block H's commit certificate
//! DIR/validators.bin     the validator set that signed H (borsh)
//! ```
//!
//! Trust: nothing in the directory is trusted. [`restore`] takes a
//! [`Certified`] state — the app hash and block hash that header `H + 1`
//! commits to, verified by the caller from its commit certificate against
//! a trusted validator set (`fructus-light`) — and refuses the snapshot
//! unless every file matches its hash, the restored tree's root equals the
//! certified app hash, what the store keeps beside the tree matches the
//! digests the tree holds of it (the app opens over it), and block `H` is
//! the certified parent. The state is rebuilt in a scratch directory and
//! moved into place only once it verified, so a refused snapshot leaves
//! the home untouched.

use std::path::{Path, PathBuf};

use fructus_app::{App, ConsensusValidator, Genesis};
use fructus_storage::{ChangeSet, Storage};
use fructus_types::block::Block;

use crate::{BlockStore, Home, NodeError};

/// The manifest's format number.
pub const SNAPSHOT_FORMAT: u32 = 1;
/// Target size of a state chunk.
pub const CHUNK_BYTES: usize = 4 * 1024 * 1024;
/// Largest file of a snapshot read back (a chunk holds at least one entry).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One file of a snapshot and its hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotFile {
    /// File name inside the snapshot directory.
    pub file: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`SNAPSHOT_FORMAT`].
    pub format: u32,
    /// The chain.
    pub chain_id: String,
    /// The height whose state this is (the state after block `height`).
    pub height: u64,
    /// The root of that state, hex: what header `height + 1` carries.
    pub app_hash: String,
    /// The state, in key order.
    pub chunks: Vec<SnapshotFile>,
    /// Block `height`.
    pub block: SnapshotFile,
    /// Its certificate.
    pub certificate: SnapshotFile,
    /// The validator set that signed it.
    pub validators: SnapshotFile,
}

/// What a verified header `H + 1` certifies about height `H`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Certified {
    /// `H`.
    pub height: u64,
    /// The state root after `H` (header `H + 1`'s `app_hash`).
    pub app_hash: [u8; 32],
    /// The hash of block `H` (header `H + 1`'s `prev_block_hash`).
    pub block_hash: [u8; 32],
}

fn refused(reason: impl Into<String>) -> NodeError {
    NodeError::SnapshotRefused {
        reason: reason.into(),
    }
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<SnapshotFile, NodeError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| NodeError::io(&path, e))?;
    Ok(SnapshotFile {
        file: name.to_owned(),
        sha256: hex::encode(fructus_crypto::sha256(bytes)),
    })
}

/// Exports the latest height of the (stopped) node in `home` into `out`,
/// which must not exist yet.
pub fn export(home: &Home, out: &Path) -> Result<Manifest, NodeError> {
    if out.exists() {
        return Err(NodeError::Inconsistent(format!(
            "{} exists already: export a snapshot into a new directory",
            out.display()
        )));
    }
    let storage =
        Storage::open(&home.state_dir()).map_err(|e| NodeError::io(home.state_dir(), e))?;
    let chain_id = App::new(storage.clone())?.chain_id()?.to_owned();
    let store = BlockStore::open(&home.blocks_file())?;
    std::fs::create_dir_all(out).map_err(|e| NodeError::io(out, e))?;
    let mut chunks = Vec::new();
    let mut write_error = None;
    let (height, root) = storage
        .export(CHUNK_BYTES, |bytes| {
            match write_file(out, &format!("chunk-{:05}.bin", chunks.len()), &bytes) {
                Ok(f) => chunks.push(f),
                Err(e) => write_error = Some(e),
            }
            Ok(())
        })
        .map_err(|e| NodeError::io(home.state_dir(), e))?;
    if let Some(e) = write_error {
        return Err(e);
    }
    let stored = store.stored(height)?.ok_or_else(|| {
        NodeError::Inconsistent(format!(
            "the state is at height {height} but the block store has no block {height}"
        ))
    })?;
    let validators = store.validators(height)?.ok_or_else(|| {
        NodeError::Inconsistent(format!("no validator set stored for height {height}"))
    })?;
    let encoded = borsh::to_vec(&validators).map_err(|e| NodeError::store("encoding", e))?;
    let manifest = Manifest {
        format: SNAPSHOT_FORMAT,
        chain_id,
        height,
        app_hash: root.to_string(),
        chunks,
        block: write_file(out, "block.bin", &stored.block.to_bytes())?,
        certificate: write_file(out, "certificate.bin", &stored.certificate)?,
        validators: write_file(out, "validators.bin", &encoded)?,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| NodeError::io(out, e))?;
    std::fs::write(out.join("manifest.json"), json).map_err(|e| NodeError::io(out, e))?;
    Ok(manifest)
}

/// Reads `manifest.json` of a snapshot directory.
pub fn read_manifest(dir: &Path) -> Result<Manifest, NodeError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| NodeError::io(&path, e))?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| refused(format!("manifest.json: {e}")))?;
    if manifest.format != SNAPSHOT_FORMAT {
        return Err(refused(format!(
            "snapshot format {} is not {SNAPSHOT_FORMAT}",
            manifest.format
        )));
    }
    Ok(manifest)
}

/// Reads one file and checks its hash.
fn read_checked(dir: &Path, f: &SnapshotFile) -> Result<Vec<u8>, NodeError> {
    let name = Path::new(&f.file);
    if name.components().count() != 1 || name.file_name().is_none() {
        return Err(refused(format!("{:?} is not a file name", f.file)));
    }
    let path = dir.join(name);
    let len = std::fs::metadata(&path)
        .map_err(|e| NodeError::io(&path, e))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(refused(format!("{} is {len} bytes", f.file)));
    }
    let bytes = std::fs::read(&path).map_err(|e| NodeError::io(&path, e))?;
    let actual = hex::encode(fructus_crypto::sha256(&bytes));
    if actual != f.sha256 {
        return Err(refused(format!(
            "{} has SHA-256 {actual}, the manifest says {}: the file is damaged or altered",
            f.file, f.sha256
        )));
    }
    Ok(bytes)
}

/// Restores the snapshot in `dir` into `home` (initialized for the same
/// chain, never started) after checking it against `certified`; see the
/// module documentation. Returns the manifest.
pub fn restore(home: &Home, dir: &Path, certified: &Certified) -> Result<Manifest, NodeError> {
    let manifest = read_manifest(dir)?;
    let genesis = Genesis::load(&home.genesis_file())?;
    if manifest.chain_id != genesis.chain_id {
        return Err(refused(format!(
            "the snapshot is of chain {}, this home of {}",
            manifest.chain_id, genesis.chain_id
        )));
    }
    if manifest.height != certified.height {
        return Err(refused(format!(
            "the snapshot is of height {}, the certified header of height {}",
            manifest.height,
            certified.height.saturating_add(1)
        )));
    }
    let certified_hex = hex::encode(certified.app_hash);
    if manifest.app_hash != certified_hex {
        return Err(refused(format!(
            "the manifest's app hash {} does not match the signed header's {certified_hex}",
            manifest.app_hash
        )));
    }
    if home.state_dir().exists() || home.blocks_file().exists() {
        return Err(NodeError::Inconsistent(format!(
            "{} already holds chain data: restore a snapshot only into a fresh home",
            home.data_dir().display()
        )));
    }
    let block = Block::from_bytes(&read_checked(dir, &manifest.block)?)
        .map_err(|e| refused(format!("block.bin: {e}")))?;
    if block.header.height != manifest.height || block.hash() != certified.block_hash {
        return Err(refused(format!(
            "block.bin is not block {} of the certified chain",
            manifest.height
        )));
    }
    let certificate = read_checked(dir, &manifest.certificate)?;
    let validators: Vec<ConsensusValidator> =
        borsh::from_slice(&read_checked(dir, &manifest.validators)?)
            .map_err(|e| refused(format!("validators.bin: {e}")))?;

    let mut entries = ChangeSet::new();
    for chunk in &manifest.chunks {
        let pairs: Vec<(Vec<u8>, Vec<u8>)> = borsh::from_slice(&read_checked(dir, chunk)?)
            .map_err(|e| refused(format!("{}: {e}", chunk.file)))?;
        for (key, value) in pairs {
            entries.put(key, value);
        }
    }
    let scratch: PathBuf = home.data_dir().join("state.restoring");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|e| NodeError::io(&scratch, e))?;
    }
    let root = {
        let storage = Storage::open(&scratch).map_err(|e| NodeError::io(&scratch, e))?;
        storage
            .restore(entries, manifest.height)
            .map_err(|e| NodeError::io(&scratch, e))?
    };
    if root.0 != certified.app_hash {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(refused(format!(
            "the restored state's root {root} does not match the app hash {certified_hex} \
             of the signed header of height {}: the snapshot's content was altered",
            manifest.height.saturating_add(1)
        )));
    }
    // What the store keeps beside the tree (the included-transaction
    // window's lists) is not in the root: opening the app checks it against
    // the digests the root covers.
    let storage = Storage::open(&scratch).map_err(|e| NodeError::io(&scratch, e))?;
    if let Err(e) = App::new(storage) {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(refused(format!(
            "the restored state does not open: {e}: the snapshot's content was altered"
        )));
    }
    std::fs::rename(&scratch, home.state_dir()).map_err(|e| NodeError::io(&scratch, e))?;
    BlockStore::open(&home.blocks_file())?.bootstrap(&block, &certificate, &validators)?;
    Ok(manifest)
}
