use std::{fmt, str::FromStr};

use crate::TypesError;

/// The native token's denom: 1 FRX = 10^6 ufrx. Pays fees, is staked.
pub const NATIVE_DENOM: &str = "ufrx";

const MIN_LEN: usize = 2;
const MAX_LEN: usize = 128;

/// A denomination name: 2 to 128 characters, starting with a lower-case
/// letter, then lower-case letters, digits and `/ : . _ -`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Denom(String);

impl Denom {
    /// The native denom `ufrx`.
    pub fn native() -> Self {
        Denom(NATIVE_DENOM.to_owned())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for `ufrx`.
    pub fn is_native(&self) -> bool {
        self.0 == NATIVE_DENOM
    }
}

impl fmt::Display for Denom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Denom {
    type Err = TypesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |reason| TypesError::InvalidDenom {
            input: s.chars().take(MAX_LEN.saturating_add(8)).collect(),
            reason,
        };
        if s.len() < MIN_LEN || s.len() > MAX_LEN {
            return Err(bad("length must be 2 to 128 characters"));
        }
        let mut bytes = s.bytes();
        if !bytes.next().is_some_and(|b| b.is_ascii_lowercase()) {
            return Err(bad("must start with a lower-case letter"));
        }
        if !bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"/:._-".contains(&b)) {
            return Err(bad("only a-z, 0-9 and / : . _ - are allowed"));
        }
        Ok(Denom(s.to_owned()))
    }
}

impl serde::Serialize for Denom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Denom {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn denom_rules() {
        for ok in ["ufrx", "share/asset-1", "uusd", "lp/1:2", "ab"] {
            assert!(ok.parse::<Denom>().is_ok(), "{ok}");
        }
        for bad in ["", "a", "Ufrx", "1abc", "u frx", "u$d", &"a".repeat(129)] {
            assert!(bad.parse::<Denom>().is_err(), "{bad}");
        }
    }
}
