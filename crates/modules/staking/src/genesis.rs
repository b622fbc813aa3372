//! The staking section of the genesis file.

use std::collections::BTreeSet;

use fructus_component::ModuleParams;
use fructus_types::{Address, Amount, PublicKey};

use crate::{StakingError, StakingParams, msg::CreateValidator};

fn default_rate() -> u16 {
    1_000
}
fn default_max_rate() -> u16 {
    2_000
}
fn default_max_change() -> u16 {
    100
}

/// A validator created at genesis — a "gentx": it is executed with exactly
/// the checks of `MsgCreateValidator` signed by `operator` (who must be
/// funded in `bank` and be a regulator or KYC'd enterprise in `identity`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisValidator {
    /// The operator account.
    pub operator: Address,
    /// ed25519 consensus key.
    pub consensus_key: PublicKey,
    /// Display name.
    pub moniker: String,
    /// Own bond (ufrx), taken from the operator's genesis balance.
    pub self_bond: Amount,
    /// Minimum own bond (ufrx); defaults to 0.
    #[serde(default)]
    pub min_self_bond: Amount,
    /// Commission, bps (default 1000).
    #[serde(default = "default_rate")]
    pub commission_rate_bps: u16,
    /// Maximum commission, bps (default 2000).
    #[serde(default = "default_max_rate")]
    pub commission_max_rate_bps: u16,
    /// Maximum change per day, bps (default 100).
    #[serde(default = "default_max_change")]
    pub commission_max_change_bps: u16,
}

impl GenesisValidator {
    /// The message this entry stands for. It carries no proof of
    /// possession: every validator agrees on the genesis file itself before
    /// the chain starts, so genesis entries are trusted for the keys they
    /// name (every transaction carries a proof).
    pub fn to_msg(&self) -> CreateValidator {
        CreateValidator {
            consensus_key: self.consensus_key.clone(),
            consensus_key_proof: Vec::new(),
            moniker: self.moniker.clone(),
            commission_rate_bps: self.commission_rate_bps,
            commission_max_rate_bps: self.commission_max_rate_bps,
            commission_max_change_bps: self.commission_max_change_bps,
            min_self_bond: self.min_self_bond,
            self_bond: self.self_bond,
        }
    }
}

/// The staking section:
///
/// ```json
/// "staking": {
///   "params": {"unbonding_blocks": 100000, "max_validators": 50, ...},
///   "validators": [{"operator": "fx1...", "consensus_key": {...},
///                   "moniker": "node0", "self_bond": "1000000"}]
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakingGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: StakingParams,
    /// Validators created at genesis, in order.
    #[serde(default)]
    pub validators: Vec<GenesisValidator>,
}

impl StakingGenesis {
    /// Checks what needs no other module's state: parameters, each entry
    /// on its own, no operator or key twice. (Tiers and balances are
    /// checked when the entries execute at genesis.)
    pub fn validate(&self) -> Result<(), StakingError> {
        self.params.validate()?;
        let mut operators = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for (i, v) in self.validators.iter().enumerate() {
            let bad = |why: String| StakingError::Genesis {
                reason: format!("staking.validators[{i}]: {why}"),
            };
            v.to_msg().validate().map_err(|e| bad(e.to_string()))?;
            if !operators.insert(v.operator) {
                return Err(bad(format!("operator {} is listed twice", v.operator)));
            }
            if !keys.insert(v.consensus_key.address()) {
                return Err(bad("the consensus key is listed twice".into()));
            }
        }
        Ok(())
    }
}
