//! The AMM's view of capacity token expiry: [`ComputeExpiry`] implements
//! `fructus_amm::DenomExpiry`, and the app names it as the AMM's expiry
//! source, so pools holding `gpuh/…` refuse swaps and deposits once the
//! window ends, without the AMM depending on this module. Bank refuses
//! their transfers from the same time on (compute records the expiry with
//! bank when it first mints a window).

#[cfg(feature = "component")]
use fructus_amm::AmmError;
use fructus_amm::DenomExpiry;
#[cfg(feature = "component")]
use fructus_storage::StateRead;
#[cfg(feature = "component")]
use fructus_types::{BlockTime, Denom};

/// Capacity tokens `gpuh/<asset>/<window>` expire at their window's end;
/// no other denom expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ComputeExpiry;

impl DenomExpiry for ComputeExpiry {
    #[cfg(feature = "component")]
    fn expiry<S: StateRead + ?Sized>(
        state: &S,
        denom: &Denom,
    ) -> Result<Option<BlockTime>, AmmError> {
        let Some((_, window)) = crate::parse_capacity_denom(denom) else {
            return Ok(None);
        };
        let epoch: crate::Epoch =
            state
                .get(&crate::state_key::epoch())?
                .ok_or_else(|| AmmError::Corrupt {
                    reason: "the compute epoch was not written at genesis".into(),
                })?;
        Ok(Some(BlockTime(epoch.end(window).unwrap_or(u64::MAX))))
    }
}
