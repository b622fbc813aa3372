//! `fructus snapshot export | restore`: start a new node from a state
//! snapshot instead of replaying every block since genesis. The snapshot
//! is checked against the header of the next height, verified from its
//! commit certificate with `fructus-light` (trust root: the genesis file or
//! a pinned checkpoint, as for `records`); the rules are in
//! [`fructus_node::snapshot`].

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Subcommand;
use fructus_client::{
    http::NodeClient,
    light::{commit_from_view, validator_set_from_view},
};
use fructus_node::{
    Home,
    snapshot::{Certified, export, read_manifest, restore},
};

use crate::cli::{GlobalOpts, OutputFormat};
use crate::cmd::trust::TrustArgs;

/// `fructus snapshot` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum SnapshotCmd {
    /// Export the state of this (stopped) node's latest height, chunked and
    /// hashed, with its block, into a new directory.
    Export {
        /// The directory to create.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Restore a snapshot into this home (made by `fructus init --genesis`,
    /// never started), after verifying it against the signed header of the
    /// next height fetched from --node. Then start it with `fructus node`.
    Restore {
        /// The snapshot directory.
        dir: PathBuf,
        /// API of a node of the chain to fetch the header, its certificate
        /// and its validator set from (not trusted: they are verified).
        #[arg(long, value_name = "URL")]
        node: String,
        /// Trust root of the header verification.
        #[command(flatten)]
        trust: TrustArgs,
    },
}

fn emit(global: &GlobalOpts, json: serde_json::Value, text: impl FnOnce()) {
    match global.output {
        OutputFormat::Json => println!("{json}"),
        OutputFormat::Text => text(),
    }
}

/// Runs a `snapshot` subcommand.
pub(crate) fn run(cmd: SnapshotCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    let home = Home::new(&global.home);
    match cmd {
        SnapshotCmd::Export { out } => {
            let m = export(&home, &out).context(
                "exporting a snapshot (stop the node first: its database is locked while it runs)",
            )?;
            emit(
                global,
                serde_json::json!({ "dir": out, "height": m.height, "app_hash": m.app_hash, "chunks": m.chunks.len() }),
                || {
                    println!(
                        "exported the state of height {} ({} chunks, app hash {}) to {}",
                        m.height,
                        m.chunks.len(),
                        m.app_hash,
                        out.display()
                    )
                },
            );
            Ok(())
        }
        SnapshotCmd::Restore { dir, node, trust } => {
            let manifest = read_manifest(&dir)?;
            let client = NodeClient::new(&node)?;
            let trusted = trust.trusted_state(&global.home, &client, &manifest.chain_id)?;
            let next = manifest.height.saturating_add(1);
            let view = client
                .commit(Some(next))
                .with_context(|| format!("fetching the header of height {next} from {node}"))?;
            let (header, commit) = commit_from_view(&view)?;
            let set = validator_set_from_view(&client.validator_set(Some(next))?)?;
            let verified = trusted
                .verify(&header, &commit, set)
                .with_context(|| format!("verifying the header of height {next}"))?;
            let certified = Certified {
                height: verified.state_height(),
                app_hash: verified.app_hash(),
                block_hash: verified.header.prev_block_hash,
            };
            let m = restore(&home, &dir, &certified)?;
            emit(
                global,
                serde_json::json!({ "height": m.height, "app_hash": m.app_hash, "verified_by_header": next }),
                || {
                    println!(
                        "restored the state of height {} (app hash {}, verified against the signed header of height {next})",
                        m.height, m.app_hash
                    );
                    println!(
                        "start the node with: fructus node --home {}",
                        home.root().display()
                    );
                },
            );
            Ok(())
        }
    }
}
