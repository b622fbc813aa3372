//! The messages the bank accepts, parsed and validated from the wire.

use fructus_proto::bank::v1 as pb;
use fructus_types::{Address, Coin, Coins, Denom};

use crate::BankError;

/// Most recipients one multi-send may pay.
pub const MAX_OUTPUTS: usize = 256;
/// Longest display symbol.
pub const MAX_SYMBOL_LEN: usize = 16;
/// Most display decimals.
pub const MAX_DECIMALS: u32 = 18;

/// Transfer from the signer to `to`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Send {
    /// Recipient.
    pub to: Address,
    /// What to send (non-empty, positive, one entry per denom).
    pub amount: Coins,
}

/// One recipient of a multi-send.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Output {
    /// Recipient.
    pub to: Address,
    /// What it receives.
    pub amount: Coins,
}

/// Transfer from the signer to several recipients.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MultiSend {
    /// Recipients (1 to [`MAX_OUTPUTS`]).
    pub outputs: Vec<Output>,
}

/// Register a denom with the signer as issuer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreateDenom {
    /// The new denom (no `/`: slashes are module namespaces).
    pub denom: Denom,
    /// Display symbol.
    pub symbol: String,
    /// Display decimals.
    pub decimals: u8,
    /// Only KYC'd accounts may hold it.
    pub kyc_only: bool,
}

/// Issuer creates coins for `to`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mint {
    /// What to create.
    pub amount: Coin,
    /// Who receives it.
    pub to: Address,
}

/// Issuer destroys coins from its own balance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Burn {
    /// What to destroy.
    pub amount: Coin,
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, BankError> {
    Address::from_slice(bytes).map_err(|e| BankError::field(field, e))
}

fn coins(field: &'static str, list: &[fructus_proto::base::v1::Coin]) -> Result<Coins, BankError> {
    let coins = Coins::from_proto(list).map_err(|e| BankError::field(field, e))?;
    if coins.is_empty() {
        return Err(BankError::field(field, "at least one coin is required"));
    }
    Ok(coins)
}

fn positive_coin(
    field: &'static str,
    c: Option<&fructus_proto::base::v1::Coin>,
) -> Result<Coin, BankError> {
    let c = c.ok_or_else(|| BankError::field(field, "missing"))?;
    let coin = Coin::try_from(c).map_err(|e| BankError::field(field, e))?;
    if coin.amount.is_zero() {
        return Err(BankError::field(field, "amount must be positive"));
    }
    Ok(coin)
}

impl TryFrom<&pb::MsgSend> for Send {
    type Error = BankError;
    fn try_from(m: &pb::MsgSend) -> Result<Self, BankError> {
        Ok(Send {
            to: address("to", &m.to)?,
            amount: coins("amount", &m.amount)?,
        })
    }
}

impl TryFrom<&pb::MsgMultiSend> for MultiSend {
    type Error = BankError;
    fn try_from(m: &pb::MsgMultiSend) -> Result<Self, BankError> {
        if m.outputs.is_empty() || m.outputs.len() > MAX_OUTPUTS {
            return Err(BankError::field(
                "outputs",
                format!("1 to {MAX_OUTPUTS} outputs, got {}", m.outputs.len()),
            ));
        }
        let outputs = m
            .outputs
            .iter()
            .map(|o| {
                Ok(Output {
                    to: address("outputs.to", &o.to)?,
                    amount: coins("outputs.amount", &o.amount)?,
                })
            })
            .collect::<Result<_, BankError>>()?;
        Ok(MultiSend { outputs })
    }
}

impl TryFrom<&pb::MsgCreateDenom> for CreateDenom {
    type Error = BankError;
    fn try_from(m: &pb::MsgCreateDenom) -> Result<Self, BankError> {
        let denom: Denom = m.denom.parse().map_err(|e| BankError::field("denom", e))?;
        if m.symbol.is_empty()
            || m.symbol.len() > MAX_SYMBOL_LEN
            || !m
                .symbol
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(BankError::field(
                "symbol",
                format!("1 to {MAX_SYMBOL_LEN} characters of A-Z a-z 0-9 - ."),
            ));
        }
        if m.decimals > MAX_DECIMALS {
            return Err(BankError::field(
                "decimals",
                format!("at most {MAX_DECIMALS}, got {}", m.decimals),
            ));
        }
        Ok(CreateDenom {
            denom,
            symbol: m.symbol.clone(),
            decimals: u8::try_from(m.decimals).unwrap_or(u8::MAX),
            kyc_only: m.kyc_only,
        })
    }
}

impl TryFrom<&pb::MsgMint> for Mint {
    type Error = BankError;
    fn try_from(m: &pb::MsgMint) -> Result<Self, BankError> {
        Ok(Mint {
            amount: positive_coin("amount", m.amount.as_ref())?,
            to: address("to", &m.to)?,
        })
    }
}

impl TryFrom<&pb::MsgBurn> for Burn {
    type Error = BankError;
    fn try_from(m: &pb::MsgBurn) -> Result<Self, BankError> {
        Ok(Burn {
            amount: positive_coin("amount", m.amount.as_ref())?,
        })
    }
}
