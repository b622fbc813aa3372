/// The transaction ran out of the gas it paid for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("out of gas: limit {limit}, needed at least {needed}; raise the gas limit (and the fee)")]
pub struct OutOfGas {
    /// The transaction's gas limit.
    pub limit: u64,
    /// Gas that would have been used.
    pub needed: u64,
}

/// Counts gas against a limit. Never overflows: saturates, then fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GasMeter {
    limit: u64,
    used: u64,
}

impl GasMeter {
    /// A meter with nothing used yet.
    pub const fn new(limit: u64) -> Self {
        GasMeter { limit, used: 0 }
    }

    /// Adds `amount`; errors (and stays unchanged) if that passes the limit.
    pub fn consume(&mut self, amount: u64) -> Result<(), OutOfGas> {
        let needed = self.used.saturating_add(amount);
        if needed > self.limit {
            return Err(OutOfGas {
                limit: self.limit,
                needed,
            });
        }
        self.used = needed;
        Ok(())
    }

    /// Gas used so far.
    pub const fn used(&self) -> u64 {
        self.used
    }

    /// The limit.
    pub const fn limit(&self) -> u64 {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn meter_refuses_past_limit_without_changing() {
        let mut m = GasMeter::new(100);
        m.consume(60).unwrap();
        assert_eq!(
            m.consume(41),
            Err(OutOfGas {
                limit: 100,
                needed: 101
            })
        );
        assert_eq!(m.used(), 60);
        m.consume(40).unwrap();
        assert!(m.consume(u64::MAX).is_err());
    }
}
