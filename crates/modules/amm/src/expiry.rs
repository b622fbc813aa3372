//! Expiry-aware pools: how the AMM learns that a denom has expired, without
//! depending on the module that issues expiring denoms.
//!
//! The compute module's capacity tokens (`gpuh/…`) are valid only until the
//! end of their window. The app names one [`DenomExpiry`] implementation as
//! the type parameter of the AMM's messages and queries (today
//! [`NoExpiry`]; the compute module will provide its own and the app's
//! `messages!` table switches to it), so the AMM reads expiries through it
//! and never through compute's keys. After a denom's expiry a pool holding
//! it refuses swaps and deposits, still lets LPs withdraw, and burns the
//! expired units a withdrawal would pay (event `amm.expired_burned`).

#[cfg(feature = "component")]
use fructus_storage::StateRead;
#[cfg(feature = "component")]
use fructus_types::{BlockTime, Denom};

#[cfg(feature = "component")]
use crate::AmmError;

/// Where the AMM looks up a denom's expiry. Implementations are marker
/// types (they derive `Debug, Clone, Copy, PartialEq, Eq, Default` so the
/// messages carrying them stay plain data); the lookup reads state.
pub trait DenomExpiry:
    std::fmt::Debug + Clone + Copy + PartialEq + Eq + Default + Send + Sync + 'static
{
    /// The block time after which `denom` is worthless, if it expires. A
    /// storage fault comes back internal ([`AmmError::Storage`]).
    #[cfg(feature = "component")]
    fn expiry<S: StateRead + ?Sized>(
        state: &S,
        denom: &Denom,
    ) -> Result<Option<BlockTime>, AmmError>;
}

/// No denom expires (the app's choice until a module issues expiring
/// denoms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoExpiry;

impl DenomExpiry for NoExpiry {
    #[cfg(feature = "component")]
    fn expiry<S: StateRead + ?Sized>(
        _state: &S,
        _denom: &Denom,
    ) -> Result<Option<BlockTime>, AmmError> {
        Ok(None)
    }
}

#[cfg(feature = "component")]
/// Refuses (`amm#15`) if `denom` has expired at block time `now`: a denom
/// is expired from its expiry time on.
pub(crate) fn require_live<X: DenomExpiry, S: StateRead + ?Sized>(
    state: &S,
    pool_id: u64,
    denom: &Denom,
    now: BlockTime,
) -> Result<(), AmmError> {
    match X::expiry(state, denom)? {
        Some(expiry) if now.0 >= expiry.0 => Err(AmmError::DenomExpired {
            pool_id,
            denom: denom.to_string(),
            expiry_ms: expiry.0,
        }),
        _ => Ok(()),
    }
}

#[cfg(feature = "component")]
/// Whether `denom` has expired at `now` (withdrawals burn such units).
pub(crate) fn is_expired<X: DenomExpiry, S: StateRead + ?Sized>(
    state: &S,
    denom: &Denom,
    now: BlockTime,
) -> Result<bool, AmmError> {
    Ok(X::expiry(state, denom)?.is_some_and(|e| now.0 >= e.0))
}
