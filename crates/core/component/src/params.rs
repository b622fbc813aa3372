//! Governance-tunable module parameters: one pattern for every module.
//!
//! A module with tunables defines one `Params` struct that implements
//! [`ModuleParams`] (its defaults, its storage key from the module's own
//! `state_key.rs`, and `validate`). Everything else is shared:
//! - reads go through [`ParamsRead::params`] (the module's extension trait
//!   wraps it), which yields the defaults while nothing is stored;
//! - genesis goes through [`init_params`], which validates before storing;
//! - every later change goes through [`update_params`], the only write
//!   path: it refuses any authority but [`governance_authority`], validates,
//!   stores and records a `<module>.params_updated` event.
//!
//! Invariant: stored params always passed `validate`, so a module may rely
//! on the bounds `validate` checks wherever it reads them.

use borsh::{BorshDeserialize, BorshSerialize};
#[cfg(feature = "component")]
use fructus_storage::{StateRead, StateWrite, StorageError};
use fructus_types::Address;
use serde::{Serialize, de::DeserializeOwned};

use crate::ErrorCode;
#[cfg(feature = "component")]
use crate::Event;

/// Name of the governance module; its module account is the only authority
/// that may change params.
pub const GOVERNANCE_MODULE: &str = "governance";

/// The governance module's account: the only authority [`update_params`]
/// accepts.
pub fn governance_authority() -> Address {
    Address::module(GOVERNANCE_MODULE)
}

/// A module's governance-tunable parameters.
///
/// `Default` gives the values a chain runs with until genesis or governance
/// sets others; the borsh encoding is the stored form, the serde form is
/// the genesis and governance-proposal form.
pub trait ModuleParams:
    Default + Clone + BorshSerialize + BorshDeserialize + Serialize + DeserializeOwned
{
    /// The owning module (`"staking"`): event kind prefix and the name
    /// governance addresses the params by.
    const MODULE: &'static str;
    /// The module's error type. Reading and writing params (the
    /// `component` feature) also needs a storage failure to convert into it
    /// (reporting itself as internal).
    type Error: ErrorCode;

    /// The storage key, built by the module's `state_key.rs`.
    fn key() -> Vec<u8>;

    /// Refuses unusable values, naming the field and its bounds.
    fn validate(&self) -> Result<(), Self::Error>;
}

/// Reads any module's params from state.
#[cfg(feature = "component")]
pub trait ParamsRead: StateRead {
    /// The stored params of `P`'s module, or its defaults when none are
    /// stored.
    fn params<P: ModuleParams>(&self) -> Result<P, P::Error>
    where
        P::Error: From<StorageError>,
    {
        Ok(self.get(&P::key())?.unwrap_or_default())
    }
}

#[cfg(feature = "component")]
impl<S: StateRead + ?Sized> ParamsRead for S {}

/// Why [`update_params`] refused a change.
#[derive(Debug, thiserror::Error)]
pub enum ParamsError<E> {
    /// The caller is not the governance module's account.
    #[error(
        "{module} params can be changed only by the governance module account {expected}, not {authority}; submit a governance proposal"
    )]
    NotGovernance {
        /// The module whose params were to change.
        module: &'static str,
        /// Who asked.
        authority: Address,
        /// The only accepted authority.
        expected: Address,
    },
    /// The module refused the values (or its state failed).
    #[error(transparent)]
    Module(E),
    /// No module with params has that name (the app's dispatch by name).
    #[error("no module named {module:?} has params; modules with params: {known}")]
    UnknownModule {
        /// The name asked for.
        module: String,
        /// The names that have params.
        known: String,
    },
    /// The encoded params do not decode as the module's params.
    #[error(
        "{module} params do not decode: {reason}; send every field of the module's params as JSON"
    )]
    Decode {
        /// The module.
        module: String,
        /// What the decoder said.
        reason: String,
    },
}

impl<E: ErrorCode> ErrorCode for ParamsError<E> {
    fn codespace(&self) -> &'static str {
        match self {
            ParamsError::Module(e) => e.codespace(),
            _ => "params",
        }
    }

    fn code(&self) -> u32 {
        match self {
            ParamsError::NotGovernance { .. } => 1,
            ParamsError::Module(e) => e.code(),
            ParamsError::UnknownModule { .. } => 2,
            ParamsError::Decode { .. } => 3,
        }
    }

    fn is_internal(&self) -> bool {
        match self {
            ParamsError::Module(e) => e.is_internal(),
            _ => false,
        }
    }
}

/// Validates and stores a module's genesis params.
#[cfg(feature = "component")]
pub fn init_params<P: ModuleParams, S: StateWrite + ?Sized>(
    state: &mut S,
    params: &P,
) -> Result<(), P::Error>
where
    P::Error: From<StorageError>,
{
    params.validate()?;
    Ok(state.put(P::key(), params)?)
}

/// The one path that changes a module's params after genesis: refuses any
/// `authority` but [`governance_authority`], then values `validate`
/// refuses, then stores `new` and pushes `<module>.params_updated` (with
/// the authority; the new values are read with [`ParamsRead::params`]) to
/// `events`. On error nothing
/// is written and no event is pushed.
#[cfg(feature = "component")]
pub fn update_params<P: ModuleParams, S: StateWrite + ?Sized>(
    state: &mut S,
    authority: Address,
    new: &P,
    events: &mut Vec<Event>,
) -> Result<(), ParamsError<P::Error>>
where
    P::Error: From<StorageError>,
{
    let expected = governance_authority();
    if authority != expected {
        return Err(ParamsError::NotGovernance {
            module: P::MODULE,
            authority,
            expected,
        });
    }
    new.validate().map_err(ParamsError::Module)?;
    state
        .put(P::key(), new)
        .map_err(|e| ParamsError::Module(P::Error::from(e)))?;
    events.push(Event::new(format!("{}.params_updated", P::MODULE)).attr("authority", authority));
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum TestError {
        #[error("storage: {0}")]
        Storage(#[from] StorageError),
        #[error("limit must be positive")]
        Zero,
    }

    impl ErrorCode for TestError {
        fn codespace(&self) -> &'static str {
            "test"
        }
        fn code(&self) -> u32 {
            match self {
                TestError::Storage(_) => 1,
                TestError::Zero => 2,
            }
        }
        fn is_internal(&self) -> bool {
            matches!(self, TestError::Storage(_))
        }
    }

    #[derive(
        Debug,
        Clone,
        PartialEq,
        Eq,
        BorshSerialize,
        BorshDeserialize,
        serde::Serialize,
        serde::Deserialize,
    )]
    struct TestParams {
        limit: u32,
    }

    impl Default for TestParams {
        fn default() -> Self {
            TestParams { limit: 7 }
        }
    }

    impl ModuleParams for TestParams {
        const MODULE: &'static str = "test";
        type Error = TestError;
        fn key() -> Vec<u8> {
            b"test/params".to_vec()
        }
        fn validate(&self) -> Result<(), TestError> {
            if self.limit == 0 {
                return Err(TestError::Zero);
            }
            Ok(())
        }
    }

    #[derive(Default)]
    struct Mem(BTreeMap<Vec<u8>, Vec<u8>>);

    impl StateRead for Mem {
        fn get_raw(&self, key: &[u8]) -> fructus_storage::Result<Option<Vec<u8>>> {
            Ok(self.0.get(key).cloned())
        }
        fn prefix_raw(
            &self,
            _prefix: &[u8],
            _start_after: Option<&[u8]>,
            _limit: usize,
        ) -> fructus_storage::Result<Vec<(Vec<u8>, Vec<u8>)>> {
            Ok(Vec::new())
        }
    }

    impl StateWrite for Mem {
        fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
            self.0.insert(key, value);
        }
        fn delete(&mut self, key: Vec<u8>) {
            self.0.remove(&key);
        }
    }

    fn read(state: &Mem) -> TestParams {
        state
            .params::<TestParams>()
            .unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn params_read_as_defaults_until_stored() {
        assert_eq!(read(&Mem::default()), TestParams::default());
    }

    #[test]
    fn only_the_governance_authority_changes_params() {
        let mut state = Mem::default();
        let mut events = Vec::new();
        let err = update_params(
            &mut state,
            Address::module("bank"),
            &TestParams { limit: 9 },
            &mut events,
        )
        .err();
        assert!(
            matches!(&err, Some(e) if e.codespace() == "params" && e.code() == 1),
            "{err:?}"
        );
        assert!(state.0.is_empty() && events.is_empty());
    }

    #[test]
    fn invalid_params_are_refused_and_nothing_changes() {
        let mut state = Mem::default();
        let mut events = Vec::new();
        let err = update_params(
            &mut state,
            governance_authority(),
            &TestParams { limit: 0 },
            &mut events,
        )
        .err();
        assert!(matches!(err, Some(ParamsError::Module(TestError::Zero))));
        assert!(state.0.is_empty() && events.is_empty());
        assert!(init_params(&mut state, &TestParams { limit: 0 }).is_err());
        assert!(state.0.is_empty());
    }

    #[test]
    fn governance_stores_valid_params_with_an_event() {
        let mut state = Mem::default();
        let mut events = Vec::new();
        update_params(
            &mut state,
            governance_authority(),
            &TestParams { limit: 9 },
            &mut events,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(read(&state), TestParams { limit: 9 });
        let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["test.params_updated"]);
    }
}
