//! What other modules learn from accepted readings, without metering
//! depending on them: the app names one [`MeteredUnits`] implementation as
//! the type parameter of [`crate::msg::SubmitReading`] and
//! [`crate::msg::SubmitOracleReading`] (as it names the AMM's
//! `DenomExpiry`), and both handlers call it with the units a reading
//! bills, in the reading's own transaction. The certificate module's
//! auto-issuance of RECs from metered kWh is the app's implementation;
//! [`NoUnitsHook`] does nothing.
//!
//! Which units: those billed under the running contract (`Δcounter` since
//! the last accepted reading or round, nothing for the contract's
//! baseline, nothing for a tamper reading), so a unit is reported at most
//! once and only usage after acceptance counts.

#[cfg(feature = "component")]
use fructus_component::TxContext;
#[cfg(feature = "component")]
use fructus_storage::StateWrite;

#[cfg(feature = "component")]
use crate::MeteringError;

/// Learns of the units each accepted reading bills. Implementations are
/// marker types (they derive `Debug, Clone, Copy, PartialEq, Eq, Default`
/// so the messages carrying them stay plain data).
pub trait MeteredUnits:
    std::fmt::Debug + Clone + Copy + PartialEq + Eq + Default + Send + Sync + 'static
{
    /// `units` (> 0) of asset `asset_id` were billed by an accepted reading.
    /// An error fails the reading's transaction (its writes are discarded):
    /// implementations report what one user's data makes impossible as an
    /// event instead, and fail only on an internal fault or state that
    /// contradicts itself ([`MeteringError::UnitsHook`] keeps their code).
    #[cfg(feature = "component")]
    fn units_metered<S: StateWrite>(
        state: &mut S,
        asset_id: u64,
        units: u64,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError>;
}

/// No module learns of metered units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoUnitsHook;

impl MeteredUnits for NoUnitsHook {
    #[cfg(feature = "component")]
    fn units_metered<S: StateWrite>(
        _state: &mut S,
        _asset_id: u64,
        _units: u64,
        _ctx: &mut TxContext<'_>,
    ) -> Result<(), MeteringError> {
        Ok(())
    }
}
