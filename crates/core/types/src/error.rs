/// Malformed values from the wire or from users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypesError {
    /// An amount is not a base-10 integer that fits in 128 bits.
    #[error("invalid amount {input:?}: {reason}")]
    InvalidAmount {
        /// What was given.
        input: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Arithmetic on amounts would overflow or go below zero.
    #[error("amount arithmetic {op} overflows: {left} {op} {right}")]
    AmountOverflow {
        /// The operation (`+`, `-`, `*`, `/`).
        op: &'static str,
        /// Left operand.
        left: u128,
        /// Right operand.
        right: u128,
    },
    /// A denom name is not allowed.
    #[error("invalid denom {input:?}: {reason}")]
    InvalidDenom {
        /// What was given.
        input: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A coin string like `100ufrx` does not parse.
    #[error("invalid coin {input:?}: expected an integer followed by a denom, like 100ufrx")]
    InvalidCoin {
        /// What was given.
        input: String,
    },
    /// A coin list names the same denom twice.
    #[error("denom {denom} appears twice in the coin list")]
    DuplicateDenom {
        /// The repeated denom.
        denom: String,
    },
    /// A coin with amount zero where only positive amounts make sense.
    #[error("zero amount of {denom}: amounts must be positive")]
    ZeroAmount {
        /// The denom.
        denom: String,
    },
    /// An address does not parse.
    #[error(transparent)]
    Crypto(#[from] fructus_crypto::CryptoError),
    /// A coin written with a decimal point (`1.5frx`): amounts are integers
    /// in the denom's base unit.
    #[error(
        "invalid coin {input:?}: decimals are not accepted; write the amount in the base unit, e.g. 1500000ufrx for 1.5 FRX (ufrx has 6 decimals; `fructus query denom DENOM` shows a denom's decimals)"
    )]
    DecimalAmount {
        /// What was given.
        input: String,
    },
}
