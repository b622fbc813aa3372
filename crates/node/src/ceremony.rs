//! The genesis ceremony of a network whose validators each keep their keys
//! on their own machine.
//!
//! 1. Each validator runs `fructus init` on its machine (consensus key and
//!    p2p identity in its home) and creates its operator key in its own
//!    keyring.
//! 2. A coordinator builds the base genesis: accounts, regulators, params.
//! 3. Each validator signs a [`Gentx`] on its machine: a `CreateValidator`
//!    transaction signed by its operator key whose consensus key proves
//!    possession (it signs `consensus_key_possession_bytes`: chain id ‖
//!    operator ‖ consensus key, under its own domain tag).
//! 4. The coordinator runs [`collect_gentxs`]: every gentx is verified
//!    ([`verify_gentx`]), the validators are added, and the final genesis
//!    and its SHA-256 ([`genesis_sha256`]) are published.
//! 5. Every operator installs that genesis with the hash pinned in
//!    `config.toml`; a node refuses to start on a genesis whose hash
//!    differs.
//!
//! Only gentx files and genesis files move between machines; no key file
//! is ever read outside its own home.

use fructus_app::{Genesis, Msg};
use fructus_crypto::{Address, PublicKey};
use fructus_staking::{GenesisValidator, msg::CreateValidator};
use fructus_types::{Denom, tx::DecodedTx};

/// Largest gentx transaction accepted, in bytes (one `CreateValidator`).
pub const MAX_GENTX_BYTES: usize = 16 * 1024;

/// A gentx file: one validator's signed `CreateValidator`, plus the
/// address where its node accepts consensus connections (informational,
/// printed as the network's peer list).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gentx {
    /// Chain id the transaction is signed for.
    pub chain_id: String,
    /// `host:port` of the validator's consensus p2p listener, if given.
    #[serde(default)]
    pub p2p_address: String,
    /// The signed transaction (canonical `SignedTx` bytes), base64.
    pub tx: String,
}

/// Why a gentx or the ceremony is refused.
#[derive(Debug, thiserror::Error)]
pub enum CeremonyError {
    /// The gentx file is not a gentx.
    #[error("{source_name}: not a gentx file: {message}")]
    Malformed {
        /// File (or name) the gentx came from.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// Signed for another chain.
    #[error(
        "{source_name}: signed for chain {got:?}, the genesis is for {expected:?}: sign it again with --chain-id {expected}"
    )]
    WrongChain {
        /// File.
        source_name: String,
        /// The genesis chain id.
        expected: String,
        /// The gentx chain id.
        got: String,
    },
    /// The operator signature does not verify.
    #[error(
        "{source_name}: the operator's signature does not verify: the file was altered or signed for another chain"
    )]
    BadSignature {
        /// File.
        source_name: String,
    },
    /// Not exactly one `staking/create_validator`.
    #[error("{source_name}: a gentx holds exactly one staking/create_validator message")]
    NotCreateValidator {
        /// File.
        source_name: String,
    },
    /// The consensus key did not prove possession.
    #[error(
        "{source_name}: the consensus key's proof of possession does not verify for operator {operator}: sign the gentx with the validator key of this home"
    )]
    BadPossession {
        /// File.
        source_name: String,
        /// The operator.
        operator: Address,
    },
    /// The operator cannot pay the self-bond.
    #[error(
        "{source_name}: operator {operator} holds {have} ufrx in the genesis but bonds {need}: add it with `fructus genesis add-account {operator} {need}ufrx`"
    )]
    Unfunded {
        /// File.
        source_name: String,
        /// The operator.
        operator: Address,
        /// Its genesis balance (ufrx).
        have: u128,
        /// The self-bond.
        need: u128,
    },
    /// The operator or key is already a validator.
    #[error(
        "{source_name}: {what} is already a validator of this genesis (two gentxs for one validator?)"
    )]
    Duplicate {
        /// File.
        source_name: String,
        /// `operator fx1…` or `consensus key …`.
        what: String,
    },
    /// No gentx was given.
    #[error("no gentx files: each validator creates one with `fructus genesis gentx`")]
    NoGentxs,
    /// The resulting genesis is refused.
    #[error(transparent)]
    Genesis(#[from] fructus_app::GenesisError),
}

impl Gentx {
    /// Parses a gentx file's JSON; `source_name` names it in errors.
    pub fn from_json(json: &str, source_name: &str) -> Result<Self, CeremonyError> {
        serde_json::from_str(json).map_err(|e| CeremonyError::Malformed {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A verified gentx: the validator it adds and where its node listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedGentx {
    /// The genesis entry.
    pub validator: GenesisValidator,
    /// `host:port` of its consensus p2p listener (may be empty).
    pub p2p_address: String,
}

/// The ufrx `address` holds in `genesis`.
fn native_balance(genesis: &Genesis, address: &Address) -> u128 {
    let native = Denom::native();
    genesis
        .app_state
        .bank
        .balances
        .iter()
        .filter(|b| b.address == *address)
        .flat_map(|b| b.coins.iter())
        .filter(|c| c.denom == native)
        .fold(0u128, |sum, c| sum.saturating_add(c.amount.value()))
}

/// Checks one gentx against `genesis` (the base genesis plus the validators
/// collected so far): the operator's signature over the chain's sign bytes,
/// exactly one well-formed `CreateValidator`, the consensus key's proof of
/// possession for this operator and chain, an operator funded with at least
/// the self-bond, and neither operator nor consensus key already a
/// validator.
pub fn verify_gentx(
    genesis: &Genesis,
    gentx: &Gentx,
    source_name: &str,
) -> Result<VerifiedGentx, CeremonyError> {
    use base64::Engine as _;
    let name = || source_name.to_owned();
    let malformed = |message: String| CeremonyError::Malformed {
        source_name: name(),
        message,
    };
    if !gentx.p2p_address.is_empty() && crate::config::parse_host_port(&gentx.p2p_address).is_none()
    {
        return Err(malformed(format!(
            "p2p_address {:?} is not host:port",
            gentx.p2p_address
        )));
    }
    if gentx.chain_id != genesis.chain_id {
        return Err(CeremonyError::WrongChain {
            source_name: name(),
            expected: genesis.chain_id.clone(),
            got: gentx.chain_id.clone(),
        });
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(gentx.tx.as_bytes())
        .map_err(|e| malformed(format!("tx is not base64: {e}")))?;
    let tx = DecodedTx::decode(&bytes, MAX_GENTX_BYTES).map_err(|e| malformed(e.to_string()))?;
    if tx.body.chain_id != genesis.chain_id {
        return Err(CeremonyError::WrongChain {
            source_name: name(),
            expected: genesis.chain_id.clone(),
            got: tx.body.chain_id.clone(),
        });
    }
    tx.verify_signature(&genesis.chain_id)
        .map_err(|_| CeremonyError::BadSignature {
            source_name: name(),
        })?;
    let msg = match tx.body.messages.as_slice() {
        [only] => match Msg::from_proto(only, 0) {
            Ok(Msg::StakingCreateValidator(m)) => m,
            Ok(_) => {
                return Err(CeremonyError::NotCreateValidator {
                    source_name: name(),
                });
            }
            Err(e) => return Err(malformed(e.to_string())),
        },
        _ => {
            return Err(CeremonyError::NotCreateValidator {
                source_name: name(),
            });
        }
    };
    msg.validate().map_err(|e| malformed(e.to_string()))?;
    let operator = tx.signer.address();
    fructus_staking::action_handler::create_validator::verify_possession(
        &genesis.chain_id,
        &operator,
        &msg,
    )
    .map_err(|_| CeremonyError::BadPossession {
        source_name: name(),
        operator,
    })?;
    check_unique(genesis, &operator, &msg.consensus_key, source_name)?;
    let have = native_balance(genesis, &operator);
    let need = msg.self_bond.value();
    if have < need {
        return Err(CeremonyError::Unfunded {
            source_name: name(),
            operator,
            have,
            need,
        });
    }
    Ok(VerifiedGentx {
        validator: genesis_validator(operator, msg),
        p2p_address: gentx.p2p_address.clone(),
    })
}

fn check_unique(
    genesis: &Genesis,
    operator: &Address,
    key: &PublicKey,
    source_name: &str,
) -> Result<(), CeremonyError> {
    let validators = &genesis.app_state.staking.validators;
    let duplicate = |what: String| CeremonyError::Duplicate {
        source_name: source_name.to_owned(),
        what,
    };
    if validators.iter().any(|v| v.operator == *operator) {
        return Err(duplicate(format!("operator {operator}")));
    }
    if validators
        .iter()
        .any(|v| v.consensus_key.address() == key.address())
    {
        return Err(duplicate(format!("consensus key {}", key.to_hex())));
    }
    Ok(())
}

fn genesis_validator(operator: Address, msg: CreateValidator) -> GenesisValidator {
    GenesisValidator {
        operator,
        consensus_key: msg.consensus_key,
        moniker: msg.moniker,
        self_bond: msg.self_bond,
        min_self_bond: msg.min_self_bond,
        commission_rate_bps: msg.commission_rate_bps,
        commission_max_rate_bps: msg.commission_max_rate_bps,
        commission_max_change_bps: msg.commission_max_change_bps,
    }
}

/// The result of [`collect_gentxs`].
#[derive(Debug, Clone)]
pub struct Collected {
    /// The final genesis.
    pub genesis: Genesis,
    /// Its JSON exactly as it must be written (the hash covers these bytes).
    pub json: String,
    /// SHA-256 of `json`, hex.
    pub sha256: String,
    /// Each validator's `(moniker, p2p address)`, in gentx order.
    pub peers: Vec<(String, String)>,
}

/// Verifies every gentx against `base` (and against those before it, so no
/// operator or key appears twice) and returns the final genesis. Fails on
/// the first bad gentx, naming its file.
pub fn collect_gentxs(
    base: &Genesis,
    gentxs: &[(String, Gentx)],
) -> Result<Collected, CeremonyError> {
    if gentxs.is_empty() {
        return Err(CeremonyError::NoGentxs);
    }
    let mut genesis = base.clone();
    let mut peers = Vec::with_capacity(gentxs.len());
    for (source_name, gentx) in gentxs {
        let v = verify_gentx(&genesis, gentx, source_name)?;
        peers.push((v.validator.moniker.clone(), v.p2p_address));
        genesis.app_state.staking.validators.push(v.validator);
    }
    genesis.validate()?;
    let json = genesis.to_json();
    let sha256 = genesis_sha256(json.as_bytes());
    Ok(Collected {
        genesis,
        json,
        sha256,
        peers,
    })
}

/// A base genesis for `chain_id`, stamped with the current time: no
/// accounts, no regulators, no validators, default parameters. The
/// coordinator adds accounts and regulators, then the gentxs.
pub fn base_genesis(chain_id: &str) -> Result<Genesis, CeremonyError> {
    let genesis = Genesis {
        chain_id: chain_id.to_owned(),
        genesis_time: crate::home::now_rfc3339(),
        app_state: fructus_app::AppState::default(),
    };
    genesis.validate()?;
    Ok(genesis)
}

/// The hash that identifies a genesis file: SHA-256 of its exact bytes, hex.
pub fn genesis_sha256(bytes: &[u8]) -> String {
    hex::encode(fructus_crypto::sha256(bytes))
}
