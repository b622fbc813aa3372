//! The node's home directory: where each file lives, key files, and the
//! commands that create homes (`init`, `testnet`, the devnet's first start).
//!
//! ```text
//! HOME/config/config.toml          node configuration (documented TOML)
//! HOME/config/genesis.json         the chain's genesis
//! HOME/config/validator_key.json   ed25519 consensus key (0600)
//! HOME/config/node_key.json        p2p identity seed (0600)
//! HOME/data/state/                 authenticated app state (redb)
//! HOME/data/blocks.redb            blocks, certificates, results, indexes
//! HOME/data/consensus/             consensus write-ahead log
//! HOME/keyring-test/               demo keys (devnet/testnet only)
//! ```

use std::path::{Path, PathBuf};

use fructus_app::{AppState, Genesis};
use fructus_bank::{BankGenesis, GenesisBalance};
use fructus_crypto::{Address, KeyAlgo, SigningKey};
use fructus_keyring::{KeyInfo, Keyring, KeyringBackend};
use fructus_types::{Coin, Coins, Denom};
use zeroize::Zeroizing;

use crate::{NodeConfig, NodeError};

/// Paths inside a node home.
#[derive(Debug, Clone)]
pub struct Home {
    root: PathBuf,
}

impl Home {
    /// A home at `root` (nothing is created).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Home { root: root.into() }
    }
    /// The home directory.
    pub fn root(&self) -> &Path {
        &self.root
    }
    /// `config/`.
    pub fn config_dir(&self) -> PathBuf {
        self.root.join("config")
    }
    /// `config/config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir().join("config.toml")
    }
    /// `config/genesis.json`.
    pub fn genesis_file(&self) -> PathBuf {
        self.config_dir().join("genesis.json")
    }
    /// `config/validator_key.json`.
    pub fn validator_key_file(&self) -> PathBuf {
        self.config_dir().join("validator_key.json")
    }
    /// `config/node_key.json`.
    pub fn node_key_file(&self) -> PathBuf {
        self.config_dir().join("node_key.json")
    }
    /// `data/`.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }
    /// `data/state/`.
    pub fn state_dir(&self) -> PathBuf {
        self.data_dir().join("state")
    }
    /// `data/blocks.redb`.
    pub fn blocks_file(&self) -> PathBuf {
        self.data_dir().join("blocks.redb")
    }
    /// True once config and genesis exist.
    pub fn is_initialized(&self) -> bool {
        self.config_file().exists() && self.genesis_file().exists()
    }
}

/// A validator key file; the hex secret is wiped when dropped.
#[derive(serde::Serialize, serde::Deserialize, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
struct ValidatorKeyJson {
    #[zeroize(skip)]
    algo: KeyAlgo,
    #[zeroize(skip)]
    address: Address,
    #[zeroize(skip)]
    public_key: String,
    secret: String,
}

/// A node key file; the hex seed is wiped when dropped.
#[derive(serde::Serialize, serde::Deserialize, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
struct NodeKeyJson {
    seed: String,
}

/// Writes a key file: created new (an existing file is never overwritten)
/// with mode 0600 from the first byte, in a directory created 0700.
fn write_private(path: &Path, contents: &str) -> Result<(), NodeError> {
    if let Some(dir) = path.parent() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt as _;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(|e| NodeError::io(dir, e))?;
    }
    fructus_keyring::write_new_private_file(path, contents.as_bytes())
        .map_err(|e| NodeError::io(path, e))
}

fn random_seed() -> [u8; 32] {
    use rand_core::RngCore;
    let mut seed = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut seed);
    seed
}

/// Writes an ed25519 validator key file.
pub fn write_validator_key(path: &Path, key: &SigningKey) -> Result<(), NodeError> {
    let json = ValidatorKeyJson {
        algo: key.algo(),
        address: key.public_key().address(),
        public_key: key.public_key().to_hex(),
        secret: hex::encode(key.secret_bytes().as_ref()),
    };
    write_private(
        path,
        &Zeroizing::new(serde_json::to_string_pretty(&json).unwrap_or_default()),
    )
}

/// Reads a validator key file (must be ed25519 and self-consistent).
pub fn read_validator_key(path: &Path) -> Result<SigningKey, NodeError> {
    let bad = |message: String| NodeError::KeyFile {
        path: path.to_owned(),
        message,
    };
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| NodeError::io(path, e))?);
    let json: ValidatorKeyJson = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if json.algo != KeyAlgo::Ed25519 {
        return Err(bad("validator keys must be ed25519".into()));
    }
    let secret = Zeroizing::new(hex::decode(json.secret.as_str()).map_err(|e| bad(e.to_string()))?);
    let key = SigningKey::from_bytes(json.algo, &secret).map_err(|e| bad(e.to_string()))?;
    if key.public_key().address() != json.address || key.public_key().to_hex() != json.public_key {
        return Err(bad("public key or address does not match the secret".into()));
    }
    Ok(key)
}

/// Writes a node (p2p identity) key file.
pub fn write_node_key(path: &Path, seed: &[u8; 32]) -> Result<(), NodeError> {
    let json = NodeKeyJson {
        seed: hex::encode(seed),
    };
    write_private(
        path,
        &Zeroizing::new(serde_json::to_string_pretty(&json).unwrap_or_default()),
    )
}

/// Reads a node key file.
pub fn read_node_key(path: &Path) -> Result<[u8; 32], NodeError> {
    let bad = |message: String| NodeError::KeyFile {
        path: path.to_owned(),
        message,
    };
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| NodeError::io(path, e))?);
    let json: NodeKeyJson = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let bytes = Zeroizing::new(hex::decode(json.seed.as_str()).map_err(|e| bad(e.to_string()))?);
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| bad("seed must be 32 bytes".into()))
}

/// Current UTC time as RFC 3339, whole seconds (used only to stamp a new
/// genesis; never inside the state machine).
pub(crate) fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// Writes config, keys and (if given) genesis into `home`. Refuses a home
/// that already has a config.
fn write_home(
    home: &Home,
    config: &NodeConfig,
    validator: &SigningKey,
    genesis: Option<&Genesis>,
) -> Result<(), NodeError> {
    if home.config_file().exists() {
        return Err(NodeError::AlreadyInitialized {
            home: home.root().to_owned(),
        });
    }
    std::fs::create_dir_all(home.config_dir()).map_err(|e| NodeError::io(home.config_dir(), e))?;
    std::fs::create_dir_all(home.data_dir()).map_err(|e| NodeError::io(home.data_dir(), e))?;
    write_validator_key(&home.validator_key_file(), validator)?;
    write_node_key(&home.node_key_file(), &random_seed())?;
    let mut config = config.clone();
    if let Some(g) = genesis {
        let json = g.to_json();
        std::fs::write(home.genesis_file(), &json)
            .map_err(|e| NodeError::io(home.genesis_file(), e))?;
        config.genesis_sha256 = crate::ceremony::genesis_sha256(json.as_bytes());
    }
    std::fs::write(home.config_file(), config.to_toml())
        .map_err(|e| NodeError::io(home.config_file(), e))
}

/// `fructus init` for a genesis ceremony: config, consensus key and p2p
/// identity, and no genesis yet (the ceremony's final genesis is installed
/// later with [`install_genesis`]). The keys never leave this home: the
/// validator's gentx carries only its public key and proofs.
pub fn init_for_ceremony(
    home: &Home,
    moniker: &str,
    config: NodeConfig,
) -> Result<InitSummary, NodeError> {
    let key = SigningKey::generate(KeyAlgo::Ed25519);
    let config = NodeConfig {
        moniker: moniker.to_owned(),
        ..config
    };
    write_home(home, &config, &key, None)?;
    Ok(InitSummary {
        home: home.root().to_owned(),
        chain_id: String::new(),
        moniker: moniker.to_owned(),
        validator_address: key.public_key().address(),
        validator_public_key: key.public_key().to_hex(),
    })
}

/// Installs the ceremony's final genesis into `home`: its bytes must hash
/// to `sha256` (the hash the coordinator published), it must be a valid
/// genesis, and the home must hold no chain state yet. The file is copied
/// byte for byte and the hash pinned in `config.toml`, so the node refuses
/// any other genesis from then on.
pub fn install_genesis(home: &Home, bytes: &[u8], sha256: &str) -> Result<Genesis, NodeError> {
    let actual = crate::ceremony::genesis_sha256(bytes);
    let expected = sha256.trim().to_ascii_lowercase();
    if actual != expected {
        return Err(NodeError::GenesisMismatch {
            file: home.genesis_file(),
            expected,
            actual,
        });
    }
    let json = std::str::from_utf8(bytes).map_err(|e| NodeError::io(home.genesis_file(), e))?;
    let genesis = Genesis::from_json(json)?;
    let mut config = NodeConfig::load(&home.config_file())?;
    if home
        .state_dir()
        .join(fructus_storage::DB_FILE_NAME)
        .exists()
    {
        return Err(NodeError::Inconsistent(format!(
            "{} already holds chain state; install a genesis only into a home that never ran",
            home.state_dir().display()
        )));
    }
    std::fs::write(home.genesis_file(), bytes)
        .map_err(|e| NodeError::io(home.genesis_file(), e))?;
    config.genesis_sha256 = actual;
    std::fs::write(home.config_file(), config.to_toml())
        .map_err(|e| NodeError::io(home.config_file(), e))?;
    Ok(genesis)
}

/// Own bond of each validator of a generated genesis: 10,000 FRX.
pub const VALIDATOR_SELF_BOND_UFRX: u128 = 10_000_000_000;

/// What `init` created.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InitSummary {
    /// The home.
    pub home: PathBuf,
    /// Chain id.
    pub chain_id: String,
    /// Moniker.
    pub moniker: String,
    /// The address of the validator's consensus key (not an account).
    pub validator_address: Address,
    /// Its consensus key (hex).
    pub validator_public_key: String,
}

/// `fructus init`: config, node key, validator key, and a genesis with this
/// node as the only validator, operated by the keyring account `operator`
/// (funded with the self-bond and made a regulator; the consensus key signs
/// votes only). No other funded accounts: add them with `fructus genesis
/// add-account` (which re-pins the genesis hash in config.toml), or use
/// `fructus devnet`.
pub fn init(
    home: &Home,
    chain_id: &str,
    moniker: &str,
    operator: Address,
    config: NodeConfig,
) -> Result<InitSummary, NodeError> {
    fructus_types::tx::validate_chain_id(chain_id).map_err(|_| NodeError::Config {
        path: home.genesis_file(),
        message: format!("chain id {chain_id:?}: use 1-48 characters of a-z 0-9 - _ ."),
    })?;
    let key = SigningKey::generate(KeyAlgo::Ed25519);
    let genesis = genesis_for(
        chain_id,
        &[(moniker.to_owned(), key.public_key(), operator)],
        Vec::new(),
    )?;
    genesis.validate()?;
    let config = NodeConfig {
        moniker: moniker.to_owned(),
        ..config
    };
    write_home(home, &config, &key, Some(&genesis))?;
    Ok(InitSummary {
        home: home.root().to_owned(),
        chain_id: chain_id.to_owned(),
        moniker: moniker.to_owned(),
        validator_address: key.public_key().address(),
        validator_public_key: key.public_key().to_hex(),
    })
}

/// Adds the demo identity to a generated genesis: the `regulator` key joins
/// the regulators and attests `alice` as a KYC'd enterprise (so she can
/// create asset classes and run a validator).
fn add_demo_identity(genesis: &mut Genesis, accounts: &[KeyInfo]) {
    let find = |n: &str| accounts.iter().find(|k| k.name == n).map(|k| k.address);
    if let (Some(regulator), Some(alice)) = (find("regulator"), find("alice")) {
        let identity = &mut genesis.app_state.identity;
        identity.regulators.push(regulator);
        identity
            .attestations
            .push(fructus_identity::GenesisAttestation {
                subject: alice,
                provider: regulator,
                level: 3,
                expiry_height: 0,
                expiry_time_ms: 0,
                kyc_file_sha256: hex::encode(fructus_crypto::sha256(b"demo KYC file of alice")),
            });
    }
}

/// Adds the devnet's credit demo: `carol` feeds prices from genesis (so the
/// feeder delay does not hold the tour up), and `ufrx` is credit
/// collateral priced by the oracle (`ufrx:uusd`) with a 20 % haircut. The
/// tour mints a block after the first price, so the devnet asks for no
/// TWAP history (`min_twap_coverage_bps` 0; a real chain keeps half the
/// TWAP window).
fn add_demo_credit(genesis: &mut Genesis, accounts: &[KeyInfo]) {
    if let Some(carol) = accounts.iter().find(|k| k.name == "carol") {
        genesis.app_state.oracle.feeders.push(carol.address);
    }
    genesis.app_state.credit.params.min_twap_coverage_bps = 0;
    genesis
        .app_state
        .credit
        .params
        .collaterals
        .push(fructus_credit::CollateralType {
            denom: Denom::native(),
            source: fructus_credit::PriceSource::Oracle,
            haircut_bps: 2_000,
            debt_ceiling: 1_000_000_000_000_000,
        });
}

/// The devnet's governance runs on a demo's clock: a proposal votes for
/// 10 blocks (expedited 5) instead of a day, so the tour sees one pass.
fn add_demo_governance(genesis: &mut Genesis) {
    let params = &mut genesis.app_state.governance.params;
    params.deposit_period_blocks = 100;
    params.voting_period_blocks = 10;
    params.expedited_voting_period_blocks = 5;
}

/// The devnet's lending demo: a uusd pool (2 % a year at no use, 6 % at
/// the 80 % kink, 66 % when fully lent; 10 % of interest to reserves) and
/// ufrx as collateral at half its oracle value; no TWAP history asked for,
/// as for credit.
fn add_demo_lending(genesis: &mut Genesis) {
    let params = &mut genesis.app_state.lending.params;
    params.min_twap_coverage_bps = 0;
    if let Ok(uusd) = "uusd".parse::<Denom>() {
        params.markets.push(fructus_lending::MarketParams {
            denom: uusd,
            base_rate_bps: 200,
            slope1_bps: 400,
            kink_bps: 8_000,
            slope2_bps: 6_000,
            reserve_factor_bps: 1_000,
        });
    }
    params.collaterals.push(fructus_lending::CollateralParams {
        denom: Denom::native(),
        factor_bps: 5_000,
    });
}

/// A genesis whose validators are created like `MsgCreateValidator`
/// ("gentx"): each (moniker, consensus key, operator account) is operated
/// by its operator account, which genesis funds with
/// [`VALIDATOR_SELF_BOND_UFRX`] and makes a regulator (a super node), and
/// bonds all of it.
fn genesis_for(
    chain_id: &str,
    validators: &[(String, fructus_crypto::PublicKey, Address)],
    mut balances: Vec<GenesisBalance>,
) -> Result<Genesis, NodeError> {
    let self_bond = fructus_types::Amount::new(VALIDATOR_SELF_BOND_UFRX);
    let mut regulators = Vec::with_capacity(validators.len());
    let mut entries = Vec::with_capacity(validators.len());
    for (moniker, public_key, operator) in validators {
        let operator = *operator;
        let coins = Coins::new(vec![Coin::new(Denom::native(), self_bond)])
            .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
        balances.push(GenesisBalance {
            address: operator,
            coins,
        });
        regulators.push(operator);
        entries.push(fructus_staking::GenesisValidator {
            operator,
            consensus_key: public_key.clone(),
            moniker: moniker.clone(),
            self_bond,
            min_self_bond: fructus_types::Amount::new(1),
            commission_rate_bps: 1_000,
            commission_max_rate_bps: 2_000,
            commission_max_change_bps: 100,
        });
    }
    Ok(Genesis {
        chain_id: chain_id.to_owned(),
        genesis_time: now_rfc3339(),
        app_state: AppState {
            bank: BankGenesis {
                denoms: Vec::new(),
                balances,
            },
            identity: fructus_identity::IdentityGenesis {
                regulators,
                ..Default::default()
            },
            staking: fructus_staking::StakingGenesis {
                params: fructus_staking::StakingParams::default(),
                validators: entries,
            },
            ..AppState::default()
        },
    })
}

/// Demo accounts of devnets and testnets: name, algorithm.
pub const DEMO_ACCOUNTS: [(&str, KeyAlgo); 5] = [
    ("regulator", KeyAlgo::Ed25519),
    ("alice", KeyAlgo::Ed25519),
    ("bob", KeyAlgo::Ed25519),
    ("carol", KeyAlgo::Ed25519),
    ("meter", KeyAlgo::P256),
];
/// The devnet validator's operator account in the devnet's test keyring.
pub const DEVNET_OPERATOR_KEY: &str = "validator";
/// What each demo account starts with: 1,000,000 FRX.
pub const DEMO_BALANCE_UFRX: u128 = 1_000_000_000_000;

/// Creates the demo keys in `home`'s test keyring from `secrets` (so every
/// home of a testnet holds the same keys), returning their infos.
fn demo_keys(
    home: &Home,
    secrets: &[(String, KeyAlgo, [u8; 32])],
) -> Result<Vec<KeyInfo>, NodeError> {
    let ring = Keyring::open(home.root(), KeyringBackend::Test)?;
    secrets
        .iter()
        .map(|(name, algo, secret)| {
            if ring.contains(name)? {
                ring.delete(name)?;
            }
            Ok(ring.import_secret(name, *algo, secret, None)?)
        })
        .collect()
}

fn demo_secrets() -> Vec<(String, KeyAlgo, [u8; 32])> {
    DEMO_ACCOUNTS
        .iter()
        .map(|(name, algo)| {
            let key = SigningKey::generate(*algo);
            ((*name).to_owned(), *algo, *key.secret_bytes())
        })
        .collect()
}

fn demo_balances(infos: &[KeyInfo]) -> Result<Vec<GenesisBalance>, NodeError> {
    infos
        .iter()
        .map(|k| {
            let coins = Coins::new(vec![Coin::new(Denom::native(), DEMO_BALANCE_UFRX)])
                .map_err(|e| NodeError::Inconsistent(e.to_string()))?;
            Ok(GenesisBalance {
                address: k.address,
                coins,
            })
        })
        .collect()
}

/// What a devnet home holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DevnetSummary {
    /// Chain id.
    pub chain_id: String,
    /// Funded demo accounts in the test keyring.
    pub accounts: Vec<KeyInfo>,
    /// The validator's operator account, in the test keyring as
    /// [`DEVNET_OPERATOR_KEY`] (absent in a home made before it was).
    pub operator: Option<KeyInfo>,
    /// True if this start created the home.
    pub created: bool,
}

/// Chain id of `fructus devnet`.
pub const DEVNET_CHAIN_ID: &str = "fructus-devnet";

/// Creates a devnet home (one validator, funded demo accounts in the test
/// keyring, `config` as its node configuration) unless it already exists;
/// with `reset`, wipes it first.
pub fn prepare_devnet(
    home: &Home,
    reset: bool,
    config: NodeConfig,
) -> Result<DevnetSummary, NodeError> {
    if reset && home.root().exists() {
        for sub in ["config", "data", "keyring-test"] {
            let p = home.root().join(sub);
            if p.exists() {
                std::fs::remove_dir_all(&p).map_err(|e| NodeError::io(&p, e))?;
            }
        }
    }
    if home.is_initialized() {
        let genesis = Genesis::load(&home.genesis_file())?;
        let ring = Keyring::open(home.root(), KeyringBackend::Test)?;
        let keys = ring.list()?;
        let operator = keys.iter().find(|k| k.name == DEVNET_OPERATOR_KEY).cloned();
        let accounts = keys
            .into_iter()
            .filter(|k| DEMO_ACCOUNTS.iter().any(|(n, _)| *n == k.name))
            .collect();
        return Ok(DevnetSummary {
            chain_id: genesis.chain_id,
            accounts,
            operator,
            created: false,
        });
    }
    let key = SigningKey::generate(KeyAlgo::Ed25519);
    let accounts = demo_keys(home, &demo_secrets())?;
    // Devnet convenience, and only here: the validator is operated by the
    // account of its own consensus key (kept in plaintext
    // validator_key.json), so the one-command devnet needs no operator key;
    // that key is also in the test keyring as `validator`, so the operator
    // can be named (`delegate bob validator …`) like any demo account.
    // `init` and `testnet` use a separate keyring account.
    let mut genesis = genesis_for(
        DEVNET_CHAIN_ID,
        &[(
            "devnet".to_owned(),
            key.public_key(),
            key.public_key().address(),
        )],
        demo_balances(&accounts)?,
    )?;
    add_demo_identity(&mut genesis, &accounts);
    add_demo_credit(&mut genesis, &accounts);
    add_demo_governance(&mut genesis);
    add_demo_lending(&mut genesis);
    genesis.validate()?;
    write_home(home, &config, &key, Some(&genesis))?;
    let ring = Keyring::open(home.root(), KeyringBackend::Test)?;
    if ring.contains(DEVNET_OPERATOR_KEY)? {
        ring.delete(DEVNET_OPERATOR_KEY)?;
    }
    let operator = ring.import_secret(
        DEVNET_OPERATOR_KEY,
        KeyAlgo::Ed25519,
        &key.secret_bytes(),
        None,
    )?;
    Ok(DevnetSummary {
        chain_id: DEVNET_CHAIN_ID.to_owned(),
        accounts,
        operator: Some(operator),
        created: true,
    })
}

/// One home of a generated testnet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TestnetNode {
    /// Moniker (`node0` …).
    pub moniker: String,
    /// Its home.
    pub home: PathBuf,
    /// Consensus p2p address.
    pub p2p: std::net::SocketAddr,
    /// Transaction gossip address.
    pub gossip: std::net::SocketAddr,
    /// API address.
    pub api: std::net::SocketAddr,
    /// Address of its consensus key.
    pub validator: Address,
    /// Its operator account: the test-keyring key named like the moniker.
    pub operator: Address,
}

/// `fructus testnet`: `n` validator homes under `out` sharing one genesis
/// (with funded demo accounts, whose keys are in every home's test
/// keyring), full-mesh peers on 127.0.0.1, ports `base_port + 10·i + {0,1,2}`
/// for p2p, gossip and API.
pub fn testnet(
    out: &Path,
    n: usize,
    base_port: u16,
    chain_id: &str,
    consensus: crate::config::ConsensusSection,
) -> Result<Vec<TestnetNode>, NodeError> {
    if n == 0 {
        return Err(NodeError::Inconsistent(
            "a testnet needs at least one validator".into(),
        ));
    }
    let port = |i: usize, k: u16| -> Result<u16, NodeError> {
        u16::try_from(i)
            .ok()
            .and_then(|i| i.checked_mul(10))
            .and_then(|o| base_port.checked_add(o))
            .and_then(|p| p.checked_add(k))
            .ok_or_else(|| {
                NodeError::Inconsistent(format!("ports past 65535 for {n} nodes from {base_port}"))
            })
    };
    let local = |p: u16| std::net::SocketAddr::from(([127, 0, 0, 1], p));
    let mut nodes = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    // Each validator's operator is an account of its own (test keyring,
    // named like the moniker), never its consensus key.
    let mut secrets = demo_secrets();
    for i in 0..n {
        let key = SigningKey::generate(KeyAlgo::Ed25519);
        let operator = SigningKey::generate(KeyAlgo::Ed25519);
        nodes.push(TestnetNode {
            moniker: format!("node{i}"),
            home: out.join(format!("node{i}")),
            p2p: local(port(i, 0)?),
            gossip: local(port(i, 1)?),
            api: local(port(i, 2)?),
            validator: key.public_key().address(),
            operator: operator.public_key().address(),
        });
        secrets.push((
            format!("node{i}"),
            KeyAlgo::Ed25519,
            *operator.secret_bytes(),
        ));
        keys.push(key);
    }
    let first_home = Home::new(nodes.first().map(|n| n.home.clone()).unwrap_or_default());
    let accounts = demo_keys(&first_home, &secrets)?;
    let validators: Vec<(String, fructus_crypto::PublicKey, Address)> = nodes
        .iter()
        .zip(&keys)
        .map(|(n, k)| (n.moniker.clone(), k.public_key(), n.operator))
        .collect();
    // Operators are funded by genesis_for (their self-bond) only.
    let demo: Vec<KeyInfo> = accounts
        .into_iter()
        .filter(|k| DEMO_ACCOUNTS.iter().any(|(name, _)| *name == k.name))
        .collect();
    let mut genesis = genesis_for(chain_id, &validators, demo_balances(&demo)?)?;
    add_demo_identity(&mut genesis, &demo);
    genesis.validate()?;
    for (i, (node, key)) in nodes.iter().zip(&keys).enumerate() {
        let home = Home::new(&node.home);
        let others = |f: fn(&TestnetNode) -> std::net::SocketAddr| {
            nodes
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, o)| f(o))
                .collect::<Vec<_>>()
        };
        let config = NodeConfig {
            moniker: node.moniker.clone(),
            genesis_sha256: String::new(),
            p2p: crate::config::P2pConfig {
                listen_addr: node.p2p,
                persistent_peers: others(|o| o.p2p).iter().map(ToString::to_string).collect(),
            },
            mempool: crate::config::MempoolConfig {
                gossip_listen_addr: node.gossip,
                gossip_peers: others(|o| o.gossip),
                ..Default::default()
            },
            consensus: consensus.clone(),
            api: crate::config::ApiSection {
                listen_addr: node.api,
                ..Default::default()
            },
            pruning: crate::config::PruningSection::default(),
            storage: crate::config::StorageSection::default(),
            indexer: crate::config::IndexerSection::default(),
        };
        write_home(&home, &config, key, Some(&genesis))?;
        if i > 0 {
            demo_keys(&home, &secrets)?;
        }
    }
    Ok(nodes)
}

/// Creates a full-node (non-validator) home that follows an existing chain:
/// copies the genesis, peers with `peers`. The summary carries the node's
/// consensus key: an operator bonds it with `tx staking create-validator
/// --consensus-key` to make this node a validator.
pub fn init_full_node(
    home: &Home,
    genesis: &Genesis,
    moniker: &str,
    config: NodeConfig,
) -> Result<InitSummary, NodeError> {
    let key = SigningKey::generate(KeyAlgo::Ed25519);
    let config = NodeConfig {
        moniker: moniker.to_owned(),
        ..config
    };
    write_home(home, &config, &key, Some(genesis))?;
    Ok(InitSummary {
        home: home.root().to_owned(),
        chain_id: genesis.chain_id.clone(),
        moniker: moniker.to_owned(),
        validator_address: key.public_key().address(),
        validator_public_key: key.public_key().to_hex(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn key_files_are_created_owner_only_and_never_overwritten() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let home = Home::new(dir.path().join("home"));
        let key = SigningKey::generate(KeyAlgo::Ed25519);
        write_validator_key(&home.validator_key_file(), &key).unwrap();
        assert_eq!(mode(&home.validator_key_file()), 0o600);
        assert_eq!(mode(&home.config_dir()), 0o700);
        write_node_key(&home.node_key_file(), &[3; 32]).unwrap();
        assert_eq!(mode(&home.node_key_file()), 0o600);
        // create_new: an existing key file is refused, not replaced.
        let other = SigningKey::generate(KeyAlgo::Ed25519);
        assert!(write_validator_key(&home.validator_key_file(), &other).is_err());
        assert!(write_node_key(&home.node_key_file(), &[4; 32]).is_err());
        assert_eq!(
            read_validator_key(&home.validator_key_file())
                .unwrap()
                .public_key(),
            key.public_key()
        );
        assert_eq!(read_node_key(&home.node_key_file()).unwrap(), [3; 32]);
    }

    #[test]
    fn the_consensus_key_is_neither_the_operator_nor_a_regulator_outside_devnet() {
        let dir = tempfile::tempdir().unwrap();
        let operator = SigningKey::generate(KeyAlgo::Ed25519)
            .public_key()
            .address();
        let home = Home::new(dir.path().join("single"));
        let s = init(&home, "c-1", "m", operator, NodeConfig::default()).unwrap();
        let g = Genesis::load(&home.genesis_file()).unwrap();
        let v = &g.app_state.staking.validators[0];
        assert_eq!(v.operator, operator);
        assert_ne!(v.operator, s.validator_address);
        assert_eq!(g.app_state.identity.regulators, vec![operator]);
        assert!(
            g.app_state
                .bank
                .balances
                .iter()
                .all(|b| b.address != s.validator_address)
        );

        let nodes = testnet(
            &dir.path().join("net"),
            2,
            27_000,
            "c-2",
            crate::config::ConsensusSection::default(),
        )
        .unwrap();
        let g = Genesis::load(&Home::new(&nodes[0].home).genesis_file()).unwrap();
        for (node, v) in nodes.iter().zip(&g.app_state.staking.validators) {
            assert_eq!(v.operator, node.operator);
            assert_ne!(node.operator, node.validator);
            assert!(g.app_state.identity.regulators.contains(&node.operator));
            assert!(!g.app_state.identity.regulators.contains(&node.validator));
            for home in &nodes {
                let ring = Keyring::open(&home.home, KeyringBackend::Test).unwrap();
                assert_eq!(ring.show(&node.moniker).unwrap().address, node.operator);
            }
        }
    }
}
