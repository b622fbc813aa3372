//! The messages staking accepts, parsed and validated from the wire
//! (`proto/fructus/staking/v1/msgs.proto`).

use fructus_types::{Address, Amount, KeyAlgo, PublicKey};

use crate::{BPS, MAX_MONIKER_LEN, StakingError, proto as pb};

/// Domain tag of a consensus key's proof of possession.
pub const CONSENSUS_KEY_POSSESSION_DOMAIN: &[u8] = b"fructus/consensus/key-possession/v1";

/// The bytes a consensus key signs to prove its operator holds it:
/// `CONSENSUS_KEY_POSSESSION_DOMAIN ‖ u8 len(chain_id) ‖ chain_id ‖
/// operator (20 bytes) ‖ consensus key (32 bytes)`. The domain keeps the
/// signature from ever passing for a vote or proposal (their tags differ),
/// and the operator and chain id keep it from being reused by anyone else
/// or on another chain.
pub fn consensus_key_possession_bytes(
    chain_id: &str,
    operator: &Address,
    consensus_key: &PublicKey,
) -> Vec<u8> {
    let id = chain_id.as_bytes();
    let id_len = u8::try_from(id.len()).unwrap_or(u8::MAX);
    let key = consensus_key.to_bytes();
    let mut out = Vec::with_capacity(
        CONSENSUS_KEY_POSSESSION_DOMAIN
            .len()
            .saturating_add(id.len())
            .saturating_add(key.len())
            .saturating_add(21),
    );
    out.extend_from_slice(CONSENSUS_KEY_POSSESSION_DOMAIN);
    out.push(id_len);
    out.extend_from_slice(id.get(..usize::from(id_len)).unwrap_or(id));
    out.extend_from_slice(operator.as_bytes());
    out.extend_from_slice(&key);
    out
}

/// Create a validator operated by the signer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreateValidator {
    /// ed25519 consensus key.
    pub consensus_key: PublicKey,
    /// The consensus key's signature over
    /// [`consensus_key_possession_bytes`] (hex in JSON; empty only in a
    /// genesis entry's message, which is never a transaction).
    #[serde(serialize_with = "hex_bytes")]
    pub consensus_key_proof: Vec<u8>,
    /// Display name.
    pub moniker: String,
    /// Commission, bps.
    pub commission_rate_bps: u16,
    /// Maximum commission, bps.
    pub commission_max_rate_bps: u16,
    /// Maximum commission change per day, bps.
    pub commission_max_change_bps: u16,
    /// Minimum own bond (ufrx).
    pub min_self_bond: Amount,
    /// Initial own bond (ufrx).
    pub self_bond: Amount,
}

/// Edit the signer's validator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EditValidator {
    /// New display name, if any.
    pub moniker: Option<String>,
    /// New commission, if any.
    pub commission_rate_bps: Option<u16>,
}

/// Bond to a validator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delegate {
    /// The validator's operator.
    pub validator: Address,
    /// ufrx.
    pub amount: Amount,
}

/// Move bonded stake between validators.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Redelegate {
    /// From.
    pub src_validator: Address,
    /// To.
    pub dst_validator: Address,
    /// ufrx.
    pub amount: Amount,
}

/// Start unbonding from a validator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Undelegate {
    /// The validator's operator.
    pub validator: Address,
    /// ufrx.
    pub amount: Amount,
}

/// Withdraw rewards (and commission, for the operator).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WithdrawRewards {
    /// The validator's operator.
    pub validator: Address,
}

/// Leave jail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unjail;

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, StakingError> {
    Address::from_slice(bytes).map_err(|e| StakingError::field(field, e))
}

fn amount(field: &'static str, s: &str) -> Result<Amount, StakingError> {
    s.parse::<Amount>()
        .map_err(|e| StakingError::field(field, format!("{s:?} is not an amount of ufrx: {e}")))
}

fn positive(field: &'static str, s: &str) -> Result<Amount, StakingError> {
    let a = amount(field, s)?;
    if a.is_zero() {
        return Err(StakingError::field(field, "must be positive"));
    }
    Ok(a)
}

fn bps(field: &'static str, v: u32) -> Result<u16, StakingError> {
    u16::try_from(v)
        .ok()
        .filter(|b| u128::from(*b) <= BPS)
        .ok_or_else(|| StakingError::field(field, format!("{v} is not 0 to 10000 basis points")))
}

/// A transaction's proof of possession: exactly one ed25519 signature.
fn possession_proof(b: &[u8]) -> Result<Vec<u8>, StakingError> {
    if b.len() != 64 {
        return Err(StakingError::field(
            "consensus_key_proof",
            format!(
                "the consensus key's 64-byte signature over its possession bytes is required, got \
                 {} bytes (`fructus tx staking create-validator --consensus-key-file` makes it)",
                b.len()
            ),
        ));
    }
    Ok(b.to_vec())
}

fn hex_bytes<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(b))
}

/// Refuses an empty, oversized or control-character moniker.
pub fn moniker(s: &str) -> Result<String, StakingError> {
    if s.trim().is_empty() || s.len() > MAX_MONIKER_LEN || s.chars().any(char::is_control) {
        return Err(StakingError::field(
            "moniker",
            format!("1 to {MAX_MONIKER_LEN} bytes of printable text required"),
        ));
    }
    Ok(s.to_owned())
}

impl CreateValidator {
    /// Internal consistency of the commission and bonds (no state).
    pub fn validate(&self) -> Result<(), StakingError> {
        if self.consensus_key.algo() != KeyAlgo::Ed25519 {
            return Err(StakingError::field("consensus_pubkey", "must be ed25519"));
        }
        moniker(&self.moniker)?;
        for (field, v) in [
            ("commission_rate_bps", self.commission_rate_bps),
            ("commission_max_rate_bps", self.commission_max_rate_bps),
            ("commission_max_change_bps", self.commission_max_change_bps),
        ] {
            if u128::from(v) > BPS {
                return Err(StakingError::field(field, "at most 10000 basis points"));
            }
        }
        if self.commission_rate_bps > self.commission_max_rate_bps {
            return Err(StakingError::CommissionAboveMax {
                rate_bps: self.commission_rate_bps,
                max_rate_bps: self.commission_max_rate_bps,
            });
        }
        if self.commission_max_change_bps > self.commission_max_rate_bps {
            return Err(StakingError::field(
                "commission_max_change_bps",
                "may not exceed commission_max_rate_bps",
            ));
        }
        if self.self_bond.is_zero() {
            return Err(StakingError::field("self_bond", "must be positive"));
        }
        if self.self_bond < self.min_self_bond {
            return Err(StakingError::SelfBondTooLow {
                have: self.self_bond.value(),
                min: self.min_self_bond.value(),
            });
        }
        Ok(())
    }
}

impl TryFrom<&pb::MsgCreateValidator> for CreateValidator {
    type Error = StakingError;
    fn try_from(m: &pb::MsgCreateValidator) -> Result<Self, StakingError> {
        Ok(CreateValidator {
            consensus_key: PublicKey::from_bytes(KeyAlgo::Ed25519, &m.consensus_pubkey)
                .map_err(|e| StakingError::field("consensus_pubkey", e))?,
            consensus_key_proof: possession_proof(&m.consensus_key_proof)?,
            moniker: moniker(&m.moniker)?,
            commission_rate_bps: bps("commission_rate_bps", m.commission_rate_bps)?,
            commission_max_rate_bps: bps("commission_max_rate_bps", m.commission_max_rate_bps)?,
            commission_max_change_bps: bps(
                "commission_max_change_bps",
                m.commission_max_change_bps,
            )?,
            min_self_bond: amount("min_self_bond", &m.min_self_bond)?,
            self_bond: positive("self_bond", &m.self_bond)?,
        })
    }
}

impl TryFrom<&pb::MsgEditValidator> for EditValidator {
    type Error = StakingError;
    fn try_from(m: &pb::MsgEditValidator) -> Result<Self, StakingError> {
        Ok(EditValidator {
            moniker: if m.moniker.is_empty() {
                None
            } else {
                Some(moniker(&m.moniker)?)
            },
            commission_rate_bps: if m.change_commission {
                Some(bps("commission_rate_bps", m.commission_rate_bps)?)
            } else {
                None
            },
        })
    }
}

impl TryFrom<&pb::MsgDelegate> for Delegate {
    type Error = StakingError;
    fn try_from(m: &pb::MsgDelegate) -> Result<Self, StakingError> {
        Ok(Delegate {
            validator: address("validator", &m.validator)?,
            amount: positive("amount", &m.amount)?,
        })
    }
}

impl TryFrom<&pb::MsgRedelegate> for Redelegate {
    type Error = StakingError;
    fn try_from(m: &pb::MsgRedelegate) -> Result<Self, StakingError> {
        Ok(Redelegate {
            src_validator: address("src_validator", &m.src_validator)?,
            dst_validator: address("dst_validator", &m.dst_validator)?,
            amount: positive("amount", &m.amount)?,
        })
    }
}

impl TryFrom<&pb::MsgUndelegate> for Undelegate {
    type Error = StakingError;
    fn try_from(m: &pb::MsgUndelegate) -> Result<Self, StakingError> {
        Ok(Undelegate {
            validator: address("validator", &m.validator)?,
            amount: positive("amount", &m.amount)?,
        })
    }
}

impl TryFrom<&pb::MsgWithdrawRewards> for WithdrawRewards {
    type Error = StakingError;
    fn try_from(m: &pb::MsgWithdrawRewards) -> Result<Self, StakingError> {
        Ok(WithdrawRewards {
            validator: address("validator", &m.validator)?,
        })
    }
}

impl TryFrom<&pb::MsgUnjail> for Unjail {
    type Error = StakingError;
    fn try_from(_: &pb::MsgUnjail) -> Result<Self, StakingError> {
        Ok(Unjail)
    }
}

impl CreateValidator {
    /// The wire message (what the CLI signs).
    pub fn to_proto(&self) -> pb::MsgCreateValidator {
        pb::MsgCreateValidator {
            consensus_pubkey: self.consensus_key.to_bytes().into(),
            consensus_key_proof: self.consensus_key_proof.clone().into(),
            moniker: self.moniker.clone(),
            commission_rate_bps: u32::from(self.commission_rate_bps),
            commission_max_rate_bps: u32::from(self.commission_max_rate_bps),
            commission_max_change_bps: u32::from(self.commission_max_change_bps),
            min_self_bond: self.min_self_bond.to_string(),
            self_bond: self.self_bond.to_string(),
        }
    }
}
