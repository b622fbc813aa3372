//! `fructus genesis …`: the genesis ceremony of a network whose validators
//! keep their keys on their own machines, and checks of genesis files.
//!
//! Coordinator: `new`, `add-account`, `add-regulator`, `set-param`, then
//! `collect-gentxs` once every validator sent its gentx. Each validator:
//! `gentx` on its own home (its operator key and consensus key never leave
//! it), then `install` with the published hash. The rules are in
//! [`fructus_node::ceremony`].

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;
use fructus_app::Genesis;
use fructus_client::tx::{
    TxBuilder,
    msgs::{self, CommissionBps},
};
use fructus_node::{
    Home,
    ceremony::{Gentx, collect_gentxs, genesis_sha256},
};
use fructus_types::{Coin, Coins, Denom};

use crate::cli::{GlobalOpts, OutputFormat};
use crate::cmd::keys::PassphraseArgs;

/// `fructus genesis` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum GenesisCmd {
    /// Parse and validate a genesis file; errors name the offending entry.
    Validate {
        /// The genesis JSON file.
        file: PathBuf,
    },
    /// Coordinator: start a base genesis for a new chain (no accounts, no
    /// validators) at --genesis, default HOME/config/genesis.json.
    New {
        /// Chain id.
        #[arg(long)]
        chain_id: String,
        /// The genesis file to create (refused if it exists).
        #[arg(long, value_name = "FILE")]
        genesis: Option<PathBuf>,
    },
    /// Coordinator: fund an account in the base genesis.
    AddAccount {
        /// The account (fx1… address).
        address: String,
        /// Its coins, e.g. `20000000000ufrx` or `100ufrx,5uusd`.
        coins: Coins,
        /// The genesis file, default HOME/config/genesis.json.
        #[arg(long, value_name = "FILE")]
        genesis: Option<PathBuf>,
    },
    /// Coordinator: add a regulator (tier 1; may run a super-node
    /// validator and attests KYC).
    AddRegulator {
        /// The account (fx1… address).
        address: String,
        /// The genesis file, default HOME/config/genesis.json.
        #[arg(long, value_name = "FILE")]
        genesis: Option<PathBuf>,
    },
    /// Coordinator: set one value of a module's genesis section, e.g.
    /// `staking params.unbonding_blocks 100000` (the value is JSON; a bare
    /// word is taken as a string). The result must validate.
    SetParam {
        /// Module section (`staking`, `auth`, `amm`, …).
        module: String,
        /// Dotted path inside the section, e.g. `params.max_validators`.
        path: String,
        /// The new value, JSON.
        value: String,
        /// The genesis file, default HOME/config/genesis.json.
        #[arg(long, value_name = "FILE")]
        genesis: Option<PathBuf>,
    },
    /// Validator: sign this home's CreateValidator (self-bond from the
    /// operator's genesis balance) with the operator key, with the
    /// consensus key's proof of possession, into a gentx file to send to
    /// the coordinator. Only public keys and signatures leave the home.
    Gentx {
        /// The operator: a key in this home's keyring.
        operator: String,
        /// Chain id (must be the coordinator's).
        #[arg(long)]
        chain_id: String,
        /// Own bond, e.g. `10000000000ufrx` (the operator must be funded
        /// with at least this much in the base genesis).
        #[arg(long)]
        self_bond: Coin,
        /// Display name; default the moniker in config.toml.
        #[arg(long)]
        moniker: Option<String>,
        /// The validator leaves the set while its own bond is below this.
        #[arg(long, default_value = "1ufrx")]
        min_self_bond: Coin,
        /// Commission, basis points.
        #[arg(long, default_value_t = 1_000)]
        commission_rate_bps: u32,
        /// Highest commission ever allowed, basis points.
        #[arg(long, default_value_t = 2_000)]
        commission_max_rate_bps: u32,
        /// Largest commission change per day, basis points.
        #[arg(long, default_value_t = 100)]
        commission_max_change_bps: u32,
        /// `host:port` where this node's consensus p2p is reachable by the
        /// other validators (printed in the coordinator's peer list).
        #[arg(long, value_name = "HOST:PORT", default_value = "")]
        p2p_address: String,
        /// Where to write the gentx, default HOME/config/gentx-<moniker>.json.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Keyring passphrase source.
        #[command(flatten)]
        passphrase: PassphraseArgs,
    },
    /// Coordinator: verify every gentx (operator signature, proof of
    /// possession, funded operator, no key twice), add the validators and
    /// write the final genesis; prints its SHA-256 to publish.
    CollectGentxs {
        /// Directory holding the gentx files (`*.json`).
        #[arg(long, value_name = "DIR")]
        gentx_dir: PathBuf,
        /// The base genesis, default HOME/config/genesis.json.
        #[arg(long, value_name = "FILE")]
        genesis: Option<PathBuf>,
        /// Where to write the final genesis, default: over the base genesis.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Validator: install the ceremony's final genesis into this home after
    /// checking it hashes to the published SHA-256, and pin that hash in
    /// config.toml (the node then refuses any other genesis).
    Install {
        /// The final genesis file.
        file: PathBuf,
        /// The SHA-256 the coordinator published (hex).
        #[arg(long)]
        sha256: String,
    },
    /// Print the SHA-256 of a genesis file (what config.toml pins).
    Hash {
        /// The genesis file, default HOME/config/genesis.json.
        file: Option<PathBuf>,
    },
}

fn genesis_path(global: &GlobalOpts, given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| Home::new(&global.home).genesis_file())
}

/// Loads a genesis file for editing (validated).
fn load(path: &Path) -> anyhow::Result<Genesis> {
    Genesis::load(path).with_context(|| format!("reading {}", path.display()))
}

/// Validates and writes an edited genesis. When it is this home's own
/// genesis and the home has a config, the new file's hash is pinned there
/// (the edit is the operator's own; the node would refuse it otherwise).
fn save(global: &GlobalOpts, path: &Path, genesis: &Genesis) -> anyhow::Result<()> {
    genesis.validate()?;
    let json = genesis.to_json();
    std::fs::write(path, &json).with_context(|| format!("writing {}", path.display()))?;
    let home = Home::new(&global.home);
    if path == home.genesis_file() && home.config_file().exists() {
        let mut config = fructus_node::NodeConfig::load(&home.config_file())?;
        config.genesis_sha256 = genesis_sha256(json.as_bytes());
        std::fs::write(home.config_file(), config.to_toml())
            .with_context(|| format!("writing {}", home.config_file().display()))?;
    }
    Ok(())
}

fn emit(global: &GlobalOpts, json: serde_json::Value, text: impl FnOnce()) {
    match global.output {
        OutputFormat::Json => println!("{json}"),
        OutputFormat::Text => text(),
    }
}

fn ufrx(coin: &Coin, what: &str) -> anyhow::Result<u128> {
    anyhow::ensure!(
        coin.denom == Denom::native(),
        "{what} is in ufrx, not {}",
        coin.denom
    );
    Ok(coin.amount.value())
}

/// Runs a `genesis` subcommand.
pub(crate) fn run(cmd: GenesisCmd, global: &GlobalOpts) -> anyhow::Result<()> {
    match cmd {
        GenesisCmd::Validate { file } => {
            let genesis = Genesis::load(&file)?;
            let accounts = genesis.app_state.bank.balances.len();
            match global.output {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::json!({ "valid": true, "chain_id": genesis.chain_id, "genesis_time": genesis.genesis_time, "funded_accounts": accounts })
                ),
                OutputFormat::Text => println!(
                    "{}: valid genesis for chain {} ({} funded accounts)",
                    file.display(),
                    genesis.chain_id,
                    accounts
                ),
            }
            Ok(())
        }
        GenesisCmd::New { chain_id, genesis } => {
            let path = genesis_path(global, genesis);
            anyhow::ensure!(
                !path.exists(),
                "{} exists already; choose another --genesis",
                path.display()
            );
            let g = fructus_node::ceremony::base_genesis(&chain_id)?;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            save(global, &path, &g)?;
            emit(
                global,
                serde_json::json!({ "genesis": path, "chain_id": chain_id }),
                || {
                    println!(
                        "wrote base genesis for chain {chain_id} to {}",
                        path.display()
                    )
                },
            );
            Ok(())
        }
        GenesisCmd::AddAccount {
            address,
            coins,
            genesis,
        } => {
            let path = genesis_path(global, genesis);
            let mut g = load(&path)?;
            let address: fructus_crypto::Address = address.parse()?;
            anyhow::ensure!(
                !g.app_state
                    .bank
                    .balances
                    .iter()
                    .any(|b| b.address == address),
                "{address} already has a genesis balance; edit {} to change it",
                path.display()
            );
            g.app_state
                .bank
                .balances
                .push(fructus_bank::GenesisBalance {
                    address,
                    coins: coins.clone(),
                });
            save(global, &path, &g)?;
            emit(
                global,
                serde_json::json!({ "address": address, "coins": coins.to_string() }),
                || println!("funded {address} with {coins}"),
            );
            Ok(())
        }
        GenesisCmd::AddRegulator { address, genesis } => {
            let path = genesis_path(global, genesis);
            let mut g = load(&path)?;
            let address: fructus_crypto::Address = address.parse()?;
            anyhow::ensure!(
                !g.app_state.identity.regulators.contains(&address),
                "{address} is a regulator already"
            );
            g.app_state.identity.regulators.push(address);
            save(global, &path, &g)?;
            emit(global, serde_json::json!({ "regulator": address }), || {
                println!("{address} is a regulator")
            });
            Ok(())
        }
        GenesisCmd::SetParam {
            module,
            path: field,
            value,
            genesis,
        } => {
            let path = genesis_path(global, genesis);
            let g = load(&path)?;
            let mut doc = serde_json::to_value(&g)?;
            let value: serde_json::Value = serde_json::from_str(&value)
                .unwrap_or_else(|_| serde_json::Value::String(value.clone()));
            let mut slot = doc
                .get_mut("app_state")
                .and_then(|a| a.get_mut(&module))
                .with_context(|| format!("genesis has no module section {module:?}"))?;
            for part in field.split('.') {
                slot = slot
                    .as_object_mut()
                    .with_context(|| format!("{module}.{field}: {part:?} is not inside an object"))?
                    .entry(part)
                    .or_insert(serde_json::Value::Null);
            }
            *slot = value.clone();
            let edited = Genesis::from_json(&doc.to_string())
                .with_context(|| format!("{module}.{field} = {value}"))?;
            save(global, &path, &edited)?;
            emit(
                global,
                serde_json::json!({ "module": module, "path": field, "value": value }),
                || println!("set {module}.{field} = {value}"),
            );
            Ok(())
        }
        GenesisCmd::Gentx {
            operator,
            chain_id,
            self_bond,
            moniker,
            min_self_bond,
            commission_rate_bps,
            commission_max_rate_bps,
            commission_max_change_bps,
            p2p_address,
            out,
            passphrase,
        } => {
            let home = Home::new(&global.home);
            fructus_types::tx::validate_chain_id(&chain_id)
                .map_err(|_| anyhow::anyhow!("--chain-id {chain_id:?} is not a chain id"))?;
            if !p2p_address.is_empty() {
                anyhow::ensure!(
                    fructus_node::config::parse_host_port(&p2p_address).is_some(),
                    "--p2p-address {p2p_address:?} is not host:port"
                );
            }
            let config = fructus_node::NodeConfig::load(&home.config_file())
                .context("this home has no config: run `fructus init` first")?;
            let moniker = moniker.unwrap_or(config.moniker);
            let consensus = fructus_node::home::read_validator_key(&home.validator_key_file())?;
            let key = crate::cmd::keys::load_signing_key_with(global, &passphrase, &operator)?;
            let account = key.public_key().address();
            let proof = msgs::consensus_key_proof(&consensus, &chain_id, &account);
            let message = msgs::staking_create_validator(
                &consensus.public_key(),
                &proof,
                &moniker,
                CommissionBps {
                    rate: commission_rate_bps,
                    max_rate: commission_max_rate_bps,
                    max_change: commission_max_change_bps,
                },
                ufrx(&min_self_bond, "--min-self-bond")?,
                ufrx(&self_bond, "--self-bond")?,
            );
            // Never broadcast: nonce 0 and no fee (genesis executes it).
            let tx = TxBuilder::new(chain_id.clone())
                .fee(Coin::new(Denom::native(), 0u128))
                .gas_limit(0)
                .message(message)
                .sign(&key);
            use base64::Engine as _;
            let gentx = Gentx {
                chain_id,
                p2p_address,
                tx: base64::engine::general_purpose::STANDARD.encode(tx),
            };
            let out =
                out.unwrap_or_else(|| home.config_dir().join(format!("gentx-{moniker}.json")));
            std::fs::write(&out, gentx.to_json())
                .with_context(|| format!("writing {}", out.display()))?;
            emit(
                global,
                serde_json::json!({ "gentx": out, "operator": account, "consensus_public_key": consensus.public_key().to_hex(), "moniker": moniker }),
                || {
                    println!(
                        "wrote gentx for {moniker} (operator {account}) to {}",
                        out.display()
                    );
                    println!("send this file (it holds no secret) to the coordinator");
                },
            );
            Ok(())
        }
        GenesisCmd::CollectGentxs {
            gentx_dir,
            genesis,
            out,
        } => {
            let base_path = genesis_path(global, genesis);
            let base = load(&base_path)?;
            let mut files: Vec<PathBuf> = std::fs::read_dir(&gentx_dir)
                .with_context(|| format!("reading {}", gentx_dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            let mut gentxs = Vec::with_capacity(files.len());
            for file in &files {
                let name = file.display().to_string();
                let json =
                    std::fs::read_to_string(file).with_context(|| format!("reading {name}"))?;
                gentxs.push((name.clone(), Gentx::from_json(&json, &name)?));
            }
            let collected = collect_gentxs(&base, &gentxs)?;
            let out = out.unwrap_or(base_path);
            std::fs::write(&out, &collected.json)
                .with_context(|| format!("writing {}", out.display()))?;
            let peers: Vec<serde_json::Value> = collected
                .peers
                .iter()
                .map(|(m, a)| serde_json::json!({ "moniker": m, "p2p_address": a }))
                .collect();
            emit(
                global,
                serde_json::json!({ "genesis": out, "sha256": collected.sha256, "validators": collected.peers.len(), "peers": peers }),
                || {
                    println!(
                        "verified {} gentxs; wrote the final genesis to {}",
                        collected.peers.len(),
                        out.display()
                    );
                    println!("genesis sha256: {}", collected.sha256);
                    for (moniker, address) in &collected.peers {
                        if !address.is_empty() {
                            println!("  peer {moniker}: --p2p-peer {address}");
                        }
                    }
                    println!(
                        "each validator: fructus genesis install FILE --sha256 {}",
                        collected.sha256
                    );
                },
            );
            Ok(())
        }
        GenesisCmd::Install { file, sha256 } => {
            let home = Home::new(&global.home);
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let g = fructus_node::home::install_genesis(&home, &bytes, &sha256)?;
            emit(
                global,
                serde_json::json!({ "genesis": home.genesis_file(), "chain_id": g.chain_id, "sha256": genesis_sha256(&bytes) }),
                || {
                    println!(
                        "installed the genesis of chain {} ({} validators) and pinned its hash in {}",
                        g.chain_id,
                        g.app_state.staking.validators.len(),
                        home.config_file().display()
                    );
                    println!(
                        "start the node with: fructus node --home {}",
                        home.root().display()
                    );
                },
            );
            Ok(())
        }
        GenesisCmd::Hash { file } => {
            let path = genesis_path(global, file);
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let hash = genesis_sha256(&bytes);
            emit(
                global,
                serde_json::json!({ "genesis": path, "sha256": hash }),
                || println!("{hash}"),
            );
            Ok(())
        }
    }
}
