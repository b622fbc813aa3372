//! The genesis file: chain id, genesis time, and each module's section.

use std::path::Path;

use fructus_asset::{AssetError, AssetGenesis};
use fructus_auth::{AuthError, AuthGenesis};
use fructus_bank::{BankError, BankGenesis};
use fructus_types::{BlockTime, tx::validate_chain_id};

/// Every module's genesis section, in module order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppState {
    /// auth: parameters and pre-bound accounts.
    #[serde(default)]
    pub auth: AuthGenesis,
    /// bank: denoms and balances.
    #[serde(default)]
    pub bank: BankGenesis,
    /// identity: regulators, KYC providers and attestations.
    #[serde(default)]
    pub identity: fructus_identity::IdentityGenesis,
    /// staking: parameters and the genesis validators (executed like
    /// `MsgCreateValidator`, after identity and bank).
    #[serde(default)]
    pub staking: fructus_staking::StakingGenesis,
    /// asset: asset classes, NFTs and shares (no parameters yet).
    #[serde(default)]
    pub asset: AssetGenesis,
    /// metering: devices, contracts and readings (no parameters yet).
    #[serde(default)]
    pub metering: fructus_metering::MeteringGenesis,
    /// amm: parameters (pools are created by transactions).
    #[serde(default)]
    pub amm: fructus_amm::AmmGenesis,
    /// certificate: parameters (issuers, classes and batches are created
    /// by transactions).
    #[serde(default)]
    pub certificate: fructus_certificate::CertificateGenesis,
    /// compute: the window length and parameters (providers and orders
    /// are created by transactions).
    #[serde(default)]
    pub compute: fructus_compute::ComputeGenesis,
    /// oracle: parameters and the feeders active from genesis.
    #[serde(default)]
    pub oracle: fructus_oracle::OracleGenesis,
    /// credit: parameters, the credit and quote denoms, genesis rating
    /// agencies.
    #[serde(default)]
    pub credit: fructus_credit::CreditGenesis,
    /// governance: parameters (proposals are created by transactions).
    #[serde(default)]
    pub governance: fructus_governance::GovernanceGenesis,
    /// lending: parameters (listed pools and collateral) and the quote
    /// denom.
    #[serde(default)]
    pub lending: fructus_lending::LendingGenesis,
}

/// A member of the consensus validator set of a height, as handed to the
/// consensus engine (staking's active set without its bookkeeping).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(deny_unknown_fields)]
pub struct ConsensusValidator {
    /// Display name.
    pub moniker: String,
    /// Consensus key (ed25519).
    pub public_key: fructus_types::PublicKey,
    /// Voting power (positive).
    pub power: u64,
}

impl From<&fructus_staking::ActiveValidator> for ConsensusValidator {
    fn from(v: &fructus_staking::ActiveValidator) -> Self {
        ConsensusValidator {
            moniker: v.moniker.clone(),
            public_key: v.consensus_key.clone(),
            power: v.power,
        }
    }
}

/// The genesis file (JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The chain id every transaction must name.
    pub chain_id: String,
    /// RFC 3339 time of genesis (`2026-01-01T00:00:00Z`); the first block's
    /// time may not precede it.
    pub genesis_time: String,
    /// Module sections.
    #[serde(default)]
    pub app_state: AppState,
}

/// Why a genesis file is refused.
#[derive(Debug, thiserror::Error)]
pub enum GenesisError {
    /// The file could not be read.
    #[error("cannot read genesis file {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        message: String,
    },
    /// Not valid JSON for a genesis file.
    #[error("genesis JSON is invalid at line {line}, column {column}: {message}")]
    Json {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The chain id is malformed.
    #[error("chain_id {0:?} is invalid: use 1-48 characters of a-z 0-9 - _ .")]
    ChainId(String),
    /// The time does not parse.
    #[error(
        "genesis_time {input:?} is not an RFC 3339 UTC time like 2026-01-01T00:00:00Z: {message}"
    )]
    Time {
        /// What was given.
        input: String,
        /// Parser message.
        message: String,
    },
    /// The auth section is inconsistent.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The identity section is inconsistent.
    #[error(transparent)]
    Identity(#[from] fructus_identity::IdentityError),
    /// The bank section is inconsistent.
    #[error(transparent)]
    Bank(#[from] BankError),
    /// The staking section is inconsistent.
    #[error(transparent)]
    Staking(#[from] fructus_staking::StakingError),
    /// The asset section is inconsistent.
    #[error(transparent)]
    Asset(#[from] AssetError),
    /// The metering section is inconsistent.
    #[error(transparent)]
    Metering(#[from] fructus_metering::MeteringError),
    /// The amm section is inconsistent.
    #[error(transparent)]
    Amm(#[from] fructus_amm::AmmError),
    /// The certificate section is inconsistent.
    #[error(transparent)]
    Certificate(#[from] fructus_certificate::CertificateError),
    /// The compute section is inconsistent.
    #[error(transparent)]
    Compute(#[from] fructus_compute::ComputeError),
    /// The oracle section is inconsistent.
    #[error(transparent)]
    Oracle(#[from] fructus_oracle::OracleError),
    /// The credit section is inconsistent.
    #[error(transparent)]
    Credit(#[from] fructus_credit::CreditError),
    /// The governance section is inconsistent.
    #[error(transparent)]
    Governance(Box<fructus_governance::GovernanceError>),
    /// The lending section is inconsistent.
    #[error(transparent)]
    Lending(#[from] fructus_lending::LendingError),
}

impl Genesis {
    /// Parses and validates JSON.
    pub fn from_json(json: &str) -> Result<Self, GenesisError> {
        let genesis: Genesis = serde_json::from_str(json).map_err(|e| GenesisError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        genesis.validate()?;
        Ok(genesis)
    }

    /// Reads, parses and validates a genesis file.
    pub fn load(path: &Path) -> Result<Self, GenesisError> {
        let json = std::fs::read_to_string(path).map_err(|e| GenesisError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_json(&json)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every section.
    pub fn validate(&self) -> Result<(), GenesisError> {
        validate_chain_id(&self.chain_id)
            .map_err(|_| GenesisError::ChainId(self.chain_id.clone()))?;
        self.time()?;
        self.app_state.auth.validate()?;
        self.app_state.bank.validate()?;
        self.app_state.identity.validate()?;
        self.app_state.staking.validate()?;
        self.app_state.asset.validate()?;
        self.app_state.metering.validate()?;
        self.app_state.amm.validate()?;
        self.app_state.certificate.validate()?;
        self.app_state.compute.validate()?;
        self.app_state.oracle.validate()?;
        self.app_state.credit.validate()?;
        self.app_state
            .governance
            .validate()
            .map_err(|e| GenesisError::Governance(Box::new(e)))?;
        self.app_state.lending.validate()?;
        Ok(())
    }

    /// The genesis time as block time (milliseconds since the epoch).
    pub fn time(&self) -> Result<BlockTime, GenesisError> {
        let bad = |message: String| GenesisError::Time {
            input: self.genesis_time.clone(),
            message,
        };
        let t = time::OffsetDateTime::parse(
            &self.genesis_time,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|e| bad(e.to_string()))?;
        let millis = t.unix_timestamp_nanos() / 1_000_000;
        u64::try_from(millis)
            .map(BlockTime)
            .map_err(|_| bad("must not be before 1970".into()))
    }
}
