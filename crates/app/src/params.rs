//! The one entry point through which governance changes any module's
//! params: the module is named, the params arrive encoded as JSON (the
//! module's serde form, as in genesis: a field left out takes its default,
//! not its current value, so a proposal states every field), and the
//! change runs [`fructus_component::update_params`] for that module's
//! typed params (governance authority only, `validate`, store, event).
//!
//! Adding a module with params = one arm in [`update_params`].

use fructus_amm::AmmParams;
use fructus_auth::AuthParams;
use fructus_certificate::CertificateParams;
use fructus_component::{Event, ModuleParams, ParamsError, TxError};
use fructus_compute::ComputeParams;
use fructus_credit::CreditParams;
use fructus_governance::{GovernanceError, GovernanceParams};
use fructus_lending::LendingParams;
use fructus_oracle::OracleParams;
use fructus_staking::StakingParams;
use fructus_storage::{StateWrite, StorageError};
use fructus_types::Address;

use crate::{AppError, TxCheckError};

/// Modules whose params governance may change, by name.
pub const MODULES_WITH_PARAMS: &[&str] = &[
    AuthParams::MODULE,
    StakingParams::MODULE,
    AmmParams::MODULE,
    CertificateParams::MODULE,
    ComputeParams::MODULE,
    OracleParams::MODULE,
    CreditParams::MODULE,
    GovernanceParams::MODULE,
    LendingParams::MODULE,
];

/// Changes `module`'s params to `encoded` on behalf of `authority`.
///
/// `Ok(Err(_))` is a refusal (not the governance account, unknown module,
/// undecodable or invalid params), with its stable code: nothing was
/// written and no event pushed. `Err(_)` is a storage fault: the node must
/// stop.
pub fn update_params<S: StateWrite>(
    state: &mut S,
    module: &str,
    authority: Address,
    encoded: &[u8],
    events: &mut Vec<Event>,
) -> Result<Result<(), TxError>, AppError> {
    if module == AuthParams::MODULE {
        change::<AuthParams, S>(state, authority, encoded, events)
    } else if module == StakingParams::MODULE {
        change::<StakingParams, S>(state, authority, encoded, events)
    } else if module == AmmParams::MODULE {
        change::<AmmParams, S>(state, authority, encoded, events)
    } else if module == CertificateParams::MODULE {
        change::<CertificateParams, S>(state, authority, encoded, events)
    } else if module == ComputeParams::MODULE {
        change::<ComputeParams, S>(state, authority, encoded, events)
    } else if module == OracleParams::MODULE {
        change::<OracleParams, S>(state, authority, encoded, events)
    } else if module == CreditParams::MODULE {
        change::<CreditParams, S>(state, authority, encoded, events)
    } else if module == GovernanceParams::MODULE {
        change::<GovernanceParams, S>(state, authority, encoded, events)
    } else if module == LendingParams::MODULE {
        change::<LendingParams, S>(state, authority, encoded, events)
    } else {
        Ok(Err(TxError::from_code(
            &ParamsError::<TxCheckError>::UnknownModule {
                module: module.to_owned(),
                known: MODULES_WITH_PARAMS.join(", "),
            },
        )))
    }
}

/// Decodes `encoded` as `P` and runs the generic path.
fn change<P: ModuleParams, S: StateWrite>(
    state: &mut S,
    authority: Address,
    encoded: &[u8],
    events: &mut Vec<Event>,
) -> Result<Result<(), TxError>, AppError>
where
    P::Error: From<StorageError>,
{
    let new: P = match serde_json::from_slice(encoded) {
        Ok(p) => p,
        Err(e) => {
            return Ok(Err(TxError::from_code(&ParamsError::<P::Error>::Decode {
                module: P::MODULE.to_owned(),
                reason: e.to_string(),
            })));
        }
    };
    match fructus_component::update_params(state, authority, &new, events) {
        Ok(()) => Ok(Ok(())),
        Err(e) if fructus_component::ErrorCode::is_internal(&e) => Err(AppError::Internal {
            codespace: fructus_component::ErrorCode::codespace(&e).to_owned(),
            message: e.to_string(),
        }),
        Err(e) => Ok(Err(TxError::from_code(&e))),
    }
}

/// The dispatch governance executes param-change proposals through (its
/// messages and end-block name this type): [`update_params`] as the
/// governance authority, so every module registered above is covered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AppParams;

impl fructus_governance::ParamsDispatch for AppParams {
    fn update_params<S: StateWrite>(
        state: &mut S,
        module: &str,
        encoded: &[u8],
        events: &mut Vec<Event>,
    ) -> Result<Result<(), TxError>, GovernanceError> {
        update_params(
            state,
            module,
            fructus_component::governance_authority(),
            encoded,
            events,
        )
        .map_err(|e| GovernanceError::Internal {
            codespace: "app".into(),
            message: e.to_string(),
        })
    }
}
