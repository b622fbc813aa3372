//! The one entry point through which governance changes any module's
//! params: the module is named, the params arrive encoded as JSON (the
//! module's serde form, as in genesis: a field left out takes its default,
//! not its current value, so a proposal states every field), and the
//! change runs [`fructus_component::update_params`] for that module's
//! typed params (governance authority only, `validate`, store, event).
//!
//! Adding a module with params = one arm in [`for_module`]. Opening a store
//! checks that every module's stored params decode ([`check_stored`]).

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
use fructus_storage::{StateRead, StateWrite, StorageError};
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

/// Something to do with one module's params type, chosen by name
/// ([`for_module`]).
trait ParamsVisitor {
    type Out;
    fn visit<P: ModuleParams>(self) -> Self::Out
    where
        P::Error: From<StorageError>;
}

/// Runs `visitor` with the params type of `module`; `None` when the module
/// has no params. Adding a module with params = one arm here and its name
/// in [`MODULES_WITH_PARAMS`] (opening any store fails while a listed name
/// has no arm: [`check_stored`]).
fn for_module<V: ParamsVisitor>(module: &str, visitor: V) -> Option<V::Out> {
    Some(if module == AuthParams::MODULE {
        visitor.visit::<AuthParams>()
    } else if module == StakingParams::MODULE {
        visitor.visit::<StakingParams>()
    } else if module == AmmParams::MODULE {
        visitor.visit::<AmmParams>()
    } else if module == CertificateParams::MODULE {
        visitor.visit::<CertificateParams>()
    } else if module == ComputeParams::MODULE {
        visitor.visit::<ComputeParams>()
    } else if module == OracleParams::MODULE {
        visitor.visit::<OracleParams>()
    } else if module == CreditParams::MODULE {
        visitor.visit::<CreditParams>()
    } else if module == GovernanceParams::MODULE {
        visitor.visit::<GovernanceParams>()
    } else if module == LendingParams::MODULE {
        visitor.visit::<LendingParams>()
    } else {
        return None;
    })
}

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
    let change = Change {
        state,
        authority,
        encoded,
        events,
    };
    for_module(module, change).unwrap_or_else(|| {
        Ok(Err(TxError::from_code(
            &ParamsError::<TxCheckError>::UnknownModule {
                module: module.to_owned(),
                known: MODULES_WITH_PARAMS.join(", "),
            },
        )))
    })
}

/// [`update_params`] for one params type: decodes `encoded` and runs the
/// generic path.
struct Change<'a, S> {
    state: &'a mut S,
    authority: Address,
    encoded: &'a [u8],
    events: &'a mut Vec<Event>,
}

impl<S: StateWrite> ParamsVisitor for Change<'_, S> {
    type Out = Result<Result<(), TxError>, AppError>;

    fn visit<P: ModuleParams>(self) -> Self::Out
    where
        P::Error: From<StorageError>,
    {
        let new: P = match serde_json::from_slice(self.encoded) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Err(TxError::from_code(&ParamsError::<P::Error>::Decode {
                    module: P::MODULE.to_owned(),
                    reason: e.to_string(),
                })));
            }
        };
        match fructus_component::update_params(self.state, self.authority, &new, self.events) {
            Ok(()) => Ok(Ok(())),
            Err(e) if fructus_component::ErrorCode::is_internal(&e) => Err(AppError::Internal {
                codespace: fructus_component::ErrorCode::codespace(&e).to_owned(),
                message: e.to_string(),
            }),
            Err(e) => Ok(Err(TxError::from_code(&e))),
        }
    }
}

/// Refuses a state whose stored params this binary cannot decode (a home
/// written by a release with another params layout, and no migration):
/// checked when the app opens its store, so such a node stops at start
/// with [`AppError::IncompatibleState`] instead of at the first
/// transaction that reads them. Absent params (before genesis) are fine.
pub(crate) fn check_stored<S: StateRead>(state: &S) -> Result<(), AppError> {
    for module in MODULES_WITH_PARAMS {
        match for_module(module, Readable { state }) {
            Some(Ok(())) => {}
            Some(Err(StorageError::Decode { message, .. })) => {
                return Err(AppError::IncompatibleState {
                    what: format!("{module} params"),
                    reason: message,
                });
            }
            Some(Err(e)) => return Err(e.into()),
            None => return Err(AppError::Lifecycle("a listed module has no params type")),
        }
    }
    Ok(())
}

/// [`check_stored`] for one params type.
struct Readable<'a, S> {
    state: &'a S,
}

impl<S: StateRead> ParamsVisitor for Readable<'_, S> {
    type Out = Result<(), StorageError>;

    fn visit<P: ModuleParams>(self) -> Self::Out
    where
        P::Error: From<StorageError>,
    {
        self.state.get::<P>(&P::key()).map(drop)
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
