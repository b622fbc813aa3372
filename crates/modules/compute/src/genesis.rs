use crate::{ComputeError, ComputeParams, HOUR_MS};

/// Longest window: a day.
pub const MAX_WINDOW_MS: u64 = 24 * HOUR_MS;

/// The compute section of the genesis file. Providers and orders are
/// created by transactions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComputeGenesis {
    /// Length of a capacity window, ms: whole hours, 1 to 24 (default one
    /// hour). Fixed for the life of the chain — window indices and the
    /// expiry of every capacity token are counted in it.
    pub window_ms: u64,
    /// Parameters (each field may be omitted for its default).
    pub params: ComputeParams,
}

impl Default for ComputeGenesis {
    fn default() -> Self {
        ComputeGenesis {
            window_ms: HOUR_MS,
            params: ComputeParams::default(),
        }
    }
}

impl ComputeGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), ComputeError> {
        if self.window_ms == 0
            || !self.window_ms.is_multiple_of(HOUR_MS)
            || self.window_ms > MAX_WINDOW_MS
        {
            return Err(ComputeError::Params {
                reason: "compute.window_ms: whole hours, 1 to 24 (3600000 to 86400000 ms)".into(),
            });
        }
        self.params.validate()
    }
}
