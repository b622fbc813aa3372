//! Running a proposal's content: the dry run at submission and the real
//! execution in end-block share `trial`, which runs the content on a
//! `Scratch` overlay. The real execution applies the overlay's writes
//! only if the whole content succeeded; a refusal is recorded on the
//! proposal (with its code) and never stops the chain. Only an internal
//! fault (storage) is an `Err`.

use std::collections::BTreeMap;

use fructus_bank::BankStateWriteExt;
use fructus_component::{ErrorCode, Event, ModuleParams, TxError};
use fructus_identity::IdentityStateWriteExt;
use fructus_staking::{StakingParams, StakingStateReadExt, community_pool};
use fructus_storage::{StateRead, StateWrite};
use fructus_types::BlockHeight;

use crate::{
    Content, Execution, ExecutionError, GovernanceError, GovernanceStateWriteExt, ParamsDispatch,
    UpgradePlan, event, scratch::Scratch,
};

/// Modules whose param changes are regulatory whatever they change:
/// identity (regulators, KYC) and bank (KYC-only settings).
pub const REGULATORY_MODULES: [&str; 2] = ["identity", "bank"];

/// Writes a successful trial leaves to apply.
pub(crate) type Writes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// A refusal (`Ok(Err)`) or, for an internal fault, `Err`.
fn refused<E: ErrorCode>(e: &E) -> Result<Result<(), TxError>, GovernanceError> {
    if e.is_internal() {
        return Err(GovernanceError::Internal {
            codespace: e.codespace().to_owned(),
            message: e.to_string(),
        });
    }
    Ok(Err(TxError::from_code(e)))
}

/// Whether `content` is regulatory: a regulator change, a param change of
/// a [`REGULATORY_MODULES`] module, or a staking param change that moves
/// the super-node share (staking params that do not decode count as
/// regulatory; the dry run refuses them anyway).
pub fn is_regulatory<S: StateRead + ?Sized>(
    state: &S,
    content: &Content,
) -> Result<bool, GovernanceError> {
    Ok(match content {
        Content::RegulatorChange { .. } => true,
        Content::ParamChange {
            module,
            params_json,
        } => {
            if REGULATORY_MODULES.contains(&module.as_str()) {
                true
            } else if module == StakingParams::MODULE {
                match serde_json::from_str::<StakingParams>(params_json) {
                    Ok(new) => {
                        new.super_node_share_bps != state.staking_params()?.super_node_share_bps
                    }
                    Err(_) => true,
                }
            } else {
                false
            }
        }
        Content::Text | Content::TreasurySpend { .. } | Content::SoftwareUpgrade { .. } => false,
    })
}

/// Runs `content` of proposal `id` at `height` on `state`.
fn run<P: ParamsDispatch, S: StateWrite>(
    state: &mut S,
    id: u64,
    content: &Content,
    height: BlockHeight,
    events: &mut Vec<Event>,
) -> Result<Result<(), TxError>, GovernanceError> {
    match content {
        Content::Text => Ok(Ok(())),
        Content::ParamChange {
            module,
            params_json,
        } => P::update_params(state, module, params_json.as_bytes(), events),
        Content::TreasurySpend { recipient, amount } => {
            match state.transfer(&community_pool(), recipient, amount) {
                Ok(()) => {
                    events.push(event::treasury_spend(id, recipient, amount));
                    Ok(Ok(()))
                }
                Err(e) => refused(&e),
            }
        }
        Content::RegulatorChange { add, remove } => {
            for regulator in add {
                if let Err(e) = state.add_regulator(regulator, height) {
                    return refused(&e);
                }
                events.push(event::regulator_added(id, regulator));
            }
            for regulator in remove {
                if let Err(e) = state.remove_regulator(regulator) {
                    return refused(&e);
                }
                events.push(event::regulator_removed(id, regulator));
            }
            Ok(Ok(()))
        }
        Content::SoftwareUpgrade {
            name,
            height: at,
            info,
        } => {
            if *at <= height {
                return refused(&GovernanceError::InvalidField {
                    field: "height",
                    reason: format!(
                        "the upgrade height {at} is not after the executing height {height}; propose a later height"
                    ),
                });
            }
            let plan = UpgradePlan {
                name: name.clone(),
                height: *at,
                info: info.clone(),
                proposal_id: id,
            };
            state.put_upgrade_plan(&plan)?;
            events.push(event::upgrade_planned(&plan));
            Ok(Ok(()))
        }
    }
}

/// Runs `content` on an overlay of `state`: the record of what happened
/// and, if it succeeded, the writes to apply (none on a refusal: a failing
/// content changes nothing).
pub(crate) fn trial<P: ParamsDispatch, S: StateRead + ?Sized>(
    state: &S,
    id: u64,
    content: &Content,
    height: BlockHeight,
) -> Result<(Execution, Writes), GovernanceError> {
    let mut scratch = Scratch::new(state);
    let mut events = Vec::new();
    match run::<P, _>(&mut scratch, id, content, height, &mut events)? {
        Ok(()) => Ok((
            Execution {
                height,
                error: None,
                events,
            },
            scratch.into_writes(),
        )),
        Err(e) => Ok((
            Execution {
                height,
                error: Some(ExecutionError {
                    codespace: e.codespace,
                    code: e.code,
                    message: e.message,
                }),
                events: Vec::new(),
            },
            Writes::new(),
        )),
    }
}
