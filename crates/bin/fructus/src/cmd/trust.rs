//! Where the CLI's trust in a node's answers comes from, for the commands
//! that must not take the node's word (sealing a record to the regulators'
//! keys).
//!
//! The trust root is either the genesis file (by default
//! `<home>/config/genesis.json`, which `fructus init` and `fructus devnet`
//! write): the CLI executes it in a scratch directory to learn the validator
//! set that signs height 1 — or a checkpoint pinned by the user
//! (`--trust-checkpoint HEIGHT:HASH` or `FRUCTUS_TRUST_CHECKPOINT`): the
//! hash of the validator set that signed HEIGHT, taken from a source the
//! user trusts (`GET /v1/blocks/HEIGHT/validators` on their own node). From
//! there `fructus-light` verifies the latest header and its certificate, and
//! every state read is a Merkle proof against that header's app hash.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::Args;
use fructus_app::{App, Genesis, validator_set};
use fructus_client::http::NodeClient;
use fructus_light::{TrustedState, Validator, ValidatorSet};
use fructus_storage::Storage;

/// How the client decides which validators it trusts.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct TrustArgs {
    /// Genesis file whose validators the client trusts [default:
    /// <home>/config/genesis.json, as `fructus devnet` and `fructus init`
    /// write it].
    #[arg(long, value_name = "PATH")]
    pub(crate) genesis: Option<PathBuf>,
    /// Trust a pinned checkpoint instead of genesis: HEIGHT:HASH, the hex
    /// hash of the validator set that signed HEIGHT, from a source you trust
    /// (e.g. `GET /v1/blocks/HEIGHT/validators` on your own node). Needed
    /// once the validators that signed genesis no longer hold more than 2/3
    /// of the power.
    #[arg(long, env = "FRUCTUS_TRUST_CHECKPOINT", value_name = "HEIGHT:HASH")]
    pub(crate) trust_checkpoint: Option<String>,
}

impl TrustArgs {
    /// The trusted state for `chain_id`, from the checkpoint if one is
    /// pinned, else from the genesis file.
    pub(crate) fn trusted_state(
        &self,
        home: &Path,
        client: &NodeClient,
        chain_id: &str,
    ) -> anyhow::Result<TrustedState> {
        if let Some(pinned) = &self.trust_checkpoint {
            let (height, hash) = parse_checkpoint(pinned)?;
            return Ok(client.trust_checkpoint(chain_id, height, hash)?);
        }
        let path = self
            .genesis
            .clone()
            .unwrap_or_else(|| home.join("config").join("genesis.json"));
        genesis_trust(&path, chain_id)
    }
}

fn parse_checkpoint(text: &str) -> anyhow::Result<(u64, [u8; 32])> {
    let usage = || {
        format!(
            "bad trust checkpoint {text:?}: expected HEIGHT:HASH, a height and the 64-hex hash of the validator set that signed it"
        )
    };
    let (height, hash) = text.split_once(':').with_context(usage)?;
    let height: u64 = height.trim().parse().ok().with_context(usage)?;
    let hash: [u8; 32] = hex::decode(hash.trim())
        .ok()
        .and_then(|h| h.try_into().ok())
        .with_context(usage)?;
    Ok((height, hash))
}

/// The validator set that signs height 1 of the chain `path` describes:
/// genesis executed into a scratch store, exactly as a node starts.
fn genesis_trust(path: &Path, chain_id: &str) -> anyhow::Result<TrustedState> {
    let genesis = Genesis::load(path).with_context(|| {
        format!(
            "the trust root is the genesis file {} (pass --genesis PATH, or pin --trust-checkpoint HEIGHT:HASH)",
            path.display()
        )
    })?;
    if genesis.chain_id != chain_id {
        bail!(
            "genesis file {} is for chain {}, the node for {chain_id}: pass the right --genesis",
            path.display(),
            genesis.chain_id
        );
    }
    let scratch = tempfile::tempdir().context("creating a scratch directory for genesis")?;
    let storage = Storage::open(scratch.path()).context("opening a scratch state store")?;
    let mut app = App::new(storage.clone()).context("loading the state machine")?;
    app.init_genesis(&genesis)
        .with_context(|| format!("executing genesis {}", path.display()))?;
    let snapshot = storage
        .latest_snapshot()
        .context("reading the genesis state")?;
    let validators = validator_set(&snapshot)
        .context("reading the genesis validator set")?
        .into_iter()
        .map(|v| Validator {
            address: v.public_key.address(),
            public_key: v.public_key,
            power: v.power,
        })
        .collect();
    let set = ValidatorSet::new(validators)
        .with_context(|| format!("the validator set of genesis {}", path.display()))?;
    Ok(TrustedState::from_genesis(chain_id, set))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_parse_or_say_the_format() {
        let hash = "ab".repeat(32);
        assert_eq!(
            parse_checkpoint(&format!("42:{hash}")).ok(),
            Some((42, [0xAB; 32]))
        );
        for bad in ["42", "x:ab", &format!("42:{}", "ab".repeat(31))] {
            let err = parse_checkpoint(bad).err().map(|e| e.to_string());
            assert!(
                err.is_some_and(|e| e.contains("HEIGHT:HASH")),
                "{bad} accepted"
            );
        }
    }
}
