//! The messages governance accepts, parsed and validated from the wire.
//! Every bound a user-chosen value has is checked here, before state
//! (docs/security.md rule 2):
//!
//! | field | bound | why |
//! |---|---|---|
//! | `title` | 1 … [`MAX_TITLE`] bytes | shown in lists |
//! | `description` | ≤ [`MAX_DESCRIPTION`] bytes | stored with the proposal |
//! | deposits | `ufrx`, any amount (0 allowed at submission) | deposits are escrowed ufrx |
//! | `module` | 1 … [`MAX_MODULE_NAME`] bytes | a module's governance name |
//! | `params_json` | 1 … [`MAX_PARAMS_JSON`] bytes | decoded by the module at submission and execution |
//! | regulator changes | 1 … [`MAX_REGULATOR_CHANGES`] distinct addresses in all | bounds the execution |
//! | treasury spend | a positive amount | |
//! | upgrade `name` / `info` | 1 … [`MAX_UPGRADE_NAME`] / ≤ [`MAX_UPGRADE_INFO`] bytes; `height` ≥ 1 | |
//! | `option` | 1 … 4 | the four votes |
//!
//! [`SubmitProposal`] is generic over the app's [`ParamsDispatch`], which
//! it carries no data of: the dry run at submission changes params through
//! it.

use std::{collections::BTreeSet, marker::PhantomData};

use fructus_proto::governance::v1 as pb;
use fructus_types::{Address, Coin, Denom};

use crate::{Content, GovernanceError, VoteOption};

/// Longest title, bytes.
pub const MAX_TITLE: usize = 140;
/// Longest description, bytes.
pub const MAX_DESCRIPTION: usize = 10_000;
/// Longest module name, bytes.
pub const MAX_MODULE_NAME: usize = 64;
/// Longest params JSON, bytes.
pub const MAX_PARAMS_JSON: usize = 16_384;
/// Most addresses one regulator change adds and removes together.
pub const MAX_REGULATOR_CHANGES: usize = 16;
/// Longest upgrade name, bytes.
pub const MAX_UPGRADE_NAME: usize = 64;
/// Longest upgrade info, bytes.
pub const MAX_UPGRADE_INFO: usize = 1_024;

/// How the app changes a module's params by name (the app implements it
/// over its dispatch, `crates/app/src/params.rs`, so every module with
/// params is covered without governance depending on it).
pub trait ParamsDispatch {
    /// Replaces `module`'s params with the JSON `encoded`, as the
    /// governance authority: `Ok(Err(_))` is the module's refusal (unknown
    /// module, undecodable or invalid params) and nothing was written;
    /// `Err(_)` is an internal fault (the node must stop).
    #[cfg(feature = "component")]
    fn update_params<S: fructus_storage::StateWrite>(
        state: &mut S,
        module: &str,
        encoded: &[u8],
        events: &mut Vec<fructus_component::Event>,
    ) -> Result<Result<(), fructus_component::TxError>, GovernanceError>;
}

/// Submits a proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubmitProposal<P> {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// First deposit (ufrx; may be zero).
    pub initial_deposit: Coin,
    /// Short period, higher threshold.
    pub expedited: bool,
    /// What it does.
    pub content: Content,
    #[serde(skip)]
    dispatch: PhantomData<fn() -> P>,
}

/// Adds to a proposal's deposit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deposit {
    /// The proposal.
    pub proposal_id: u64,
    /// ufrx added.
    pub amount: Coin,
}

/// Casts or replaces the signer's vote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Vote {
    /// The proposal.
    pub proposal_id: u64,
    /// The vote.
    pub option: VoteOption,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> GovernanceError {
    GovernanceError::InvalidField {
        field,
        reason: reason.into(),
    }
}

fn text(field: &'static str, s: &str, min: usize, max: usize) -> Result<String, GovernanceError> {
    if s.len() < min || s.len() > max {
        return Err(invalid(
            field,
            format!("must be {min} to {max} bytes, got {}", s.len()),
        ));
    }
    Ok(s.to_owned())
}

fn address(field: &'static str, bytes: &[u8]) -> Result<Address, GovernanceError> {
    Address::from_slice(bytes).map_err(|e| invalid(field, e.to_string()))
}

fn ufrx(
    field: &'static str,
    coin: Option<&fructus_proto::base::v1::Coin>,
) -> Result<Coin, GovernanceError> {
    let Some(coin) = coin else {
        return Ok(Coin::new(Denom::native(), 0));
    };
    let coin = Coin::try_from(coin).map_err(|e| invalid(field, e.to_string()))?;
    if coin.denom != Denom::native() {
        return Err(invalid(
            field,
            format!("deposits are {}, got {}", Denom::native(), coin.denom),
        ));
    }
    Ok(coin)
}

impl TryFrom<&pb::msg_submit_proposal::Content> for Content {
    type Error = GovernanceError;
    fn try_from(c: &pb::msg_submit_proposal::Content) -> Result<Self, GovernanceError> {
        use pb::msg_submit_proposal::Content as C;
        Ok(match c {
            C::Text(_) => Content::Text,
            C::ParamChange(p) => Content::ParamChange {
                module: text("module", &p.module, 1, MAX_MODULE_NAME)?,
                params_json: text("params_json", &p.params_json, 1, MAX_PARAMS_JSON)?,
            },
            C::TreasurySpend(t) => {
                let amount = t
                    .amount
                    .as_ref()
                    .ok_or_else(|| invalid("amount", "required"))
                    .and_then(|c| {
                        Coin::try_from(c).map_err(|e| invalid("amount", e.to_string()))
                    })?;
                if amount.amount.is_zero() {
                    return Err(invalid("amount", "must be positive"));
                }
                Content::TreasurySpend {
                    recipient: address("recipient", &t.recipient)?,
                    amount,
                }
            }
            C::RegulatorChange(r) => {
                let add = r
                    .add
                    .iter()
                    .map(|a| address("add", a))
                    .collect::<Result<Vec<_>, _>>()?;
                let remove = r
                    .remove
                    .iter()
                    .map(|a| address("remove", a))
                    .collect::<Result<Vec<_>, _>>()?;
                let total = add.len().saturating_add(remove.len());
                if total == 0 || total > MAX_REGULATOR_CHANGES {
                    return Err(invalid(
                        "regulator_change",
                        format!("must name 1 to {MAX_REGULATOR_CHANGES} addresses, got {total}"),
                    ));
                }
                let distinct: BTreeSet<&Address> = add.iter().chain(remove.iter()).collect();
                if distinct.len() != total {
                    return Err(invalid(
                        "regulator_change",
                        "an address appears twice (in add, in remove, or in both)",
                    ));
                }
                Content::RegulatorChange { add, remove }
            }
            C::SoftwareUpgrade(u) => {
                if u.height == 0 {
                    return Err(invalid("height", "must be at least 1"));
                }
                Content::SoftwareUpgrade {
                    name: text("name", &u.name, 1, MAX_UPGRADE_NAME)?,
                    height: u.height,
                    info: text("info", &u.info, 0, MAX_UPGRADE_INFO)?,
                }
            }
        })
    }
}

impl<P> TryFrom<&pb::MsgSubmitProposal> for SubmitProposal<P> {
    type Error = GovernanceError;
    fn try_from(m: &pb::MsgSubmitProposal) -> Result<Self, GovernanceError> {
        let content = m
            .content
            .as_ref()
            .ok_or_else(|| invalid("content", "required: text, param_change, treasury_spend, regulator_change or software_upgrade"))?;
        Ok(SubmitProposal {
            title: text("title", &m.title, 1, MAX_TITLE)?,
            description: text("description", &m.description, 0, MAX_DESCRIPTION)?,
            initial_deposit: ufrx("initial_deposit", m.initial_deposit.as_ref())?,
            expedited: m.expedited,
            content: Content::try_from(content)?,
            dispatch: PhantomData,
        })
    }
}

impl TryFrom<&pb::MsgDeposit> for Deposit {
    type Error = GovernanceError;
    fn try_from(m: &pb::MsgDeposit) -> Result<Self, GovernanceError> {
        let amount = ufrx("amount", m.amount.as_ref())?;
        if amount.amount.is_zero() {
            return Err(invalid("amount", "must be positive"));
        }
        Ok(Deposit {
            proposal_id: m.proposal_id,
            amount,
        })
    }
}

impl TryFrom<&pb::MsgVote> for Vote {
    type Error = GovernanceError;
    fn try_from(m: &pb::MsgVote) -> Result<Self, GovernanceError> {
        Ok(Vote {
            proposal_id: m.proposal_id,
            option: VoteOption::from_wire(m.option).ok_or_else(|| {
                invalid(
                    "option",
                    format!(
                        "must be 1 (yes), 2 (no), 3 (abstain) or 4 (no with veto), got {}",
                        m.option
                    ),
                )
            })?,
        })
    }
}

/// The wire form of a proposal's content (what the client sends).
pub fn content_to_proto(content: &Content) -> pb::msg_submit_proposal::Content {
    use pb::msg_submit_proposal::Content as C;
    match content {
        Content::Text => C::Text(pb::TextContent {}),
        Content::ParamChange {
            module,
            params_json,
        } => C::ParamChange(pb::ParamChangeContent {
            module: module.clone(),
            params_json: params_json.clone(),
        }),
        Content::TreasurySpend { recipient, amount } => {
            C::TreasurySpend(pb::TreasurySpendContent {
                recipient: recipient.as_bytes().to_vec().into(),
                amount: Some(amount.to_proto()),
            })
        }
        Content::RegulatorChange { add, remove } => {
            C::RegulatorChange(pb::RegulatorChangeContent {
                add: add.iter().map(|a| a.as_bytes().to_vec().into()).collect(),
                remove: remove
                    .iter()
                    .map(|a| a.as_bytes().to_vec().into())
                    .collect(),
            })
        }
        Content::SoftwareUpgrade { name, height, info } => {
            C::SoftwareUpgrade(pb::SoftwareUpgradeContent {
                name: name.clone(),
                height: *height,
                info: info.clone(),
            })
        }
    }
}
