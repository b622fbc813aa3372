use std::{fmt, str::FromStr};

use fructus_proto::base::v1 as pb;

use crate::{Amount, Denom, TypesError};

/// An amount of one denom.
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
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Coin {
    /// The denom.
    pub denom: Denom,
    /// How many base units.
    pub amount: Amount,
}

impl Coin {
    /// Builds a coin.
    pub fn new(denom: Denom, amount: impl Into<Amount>) -> Self {
        Coin {
            denom,
            amount: amount.into(),
        }
    }

    /// The wire form.
    pub fn to_proto(&self) -> pb::Coin {
        pb::Coin {
            denom: self.denom.to_string(),
            amount: self.amount.to_string(),
        }
    }
}

impl TryFrom<&pb::Coin> for Coin {
    type Error = TypesError;
    fn try_from(c: &pb::Coin) -> Result<Self, Self::Error> {
        Ok(Coin {
            denom: c.denom.parse()?,
            amount: c.amount.parse()?,
        })
    }
}

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

impl FromStr for Coin {
    type Err = TypesError;
    /// `100ufrx`: digits immediately followed by the denom.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        if split == 0 || split == s.len() {
            return Err(TypesError::InvalidCoin {
                input: s.to_owned(),
            });
        }
        let (amount, denom) = s.split_at(split);
        if denom
            .strip_prefix('.')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        {
            return Err(TypesError::DecimalAmount {
                input: s.to_owned(),
            });
        }
        Ok(Coin {
            amount: amount.parse()?,
            denom: denom.parse()?,
        })
    }
}

/// A set of positive coins, at most one per denom, sorted by denom.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
)]
#[serde(transparent)]
pub struct Coins(Vec<Coin>);

impl Coins {
    /// Validates and sorts: refuses zero amounts and repeated denoms.
    pub fn new(mut coins: Vec<Coin>) -> Result<Self, TypesError> {
        coins.sort_by(|a, b| a.denom.cmp(&b.denom));
        for pair in coins.windows(2) {
            if let [a, b] = pair
                && a.denom == b.denom
            {
                return Err(TypesError::DuplicateDenom {
                    denom: a.denom.to_string(),
                });
            }
        }
        if let Some(zero) = coins.iter().find(|c| c.amount.is_zero()) {
            return Err(TypesError::ZeroAmount {
                denom: zero.denom.to_string(),
            });
        }
        Ok(Coins(coins))
    }

    /// Decodes and validates a wire list.
    pub fn from_proto(list: &[pb::Coin]) -> Result<Self, TypesError> {
        Self::new(list.iter().map(Coin::try_from).collect::<Result<_, _>>()?)
    }

    /// The wire form.
    pub fn to_proto(&self) -> Vec<pb::Coin> {
        self.0.iter().map(Coin::to_proto).collect()
    }

    /// The coins, sorted by denom.
    pub fn iter(&self) -> std::slice::Iter<'_, Coin> {
        self.0.iter()
    }

    /// True when there are no coins.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of denoms.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The amount of `denom` (zero if absent).
    pub fn amount_of(&self, denom: &Denom) -> Amount {
        self.0
            .binary_search_by(|c| c.denom.cmp(denom))
            .ok()
            .and_then(|i| self.0.get(i))
            .map_or(Amount::ZERO, |c| c.amount)
    }
}

impl<'a> IntoIterator for &'a Coins {
    type Item = &'a Coin;
    type IntoIter = std::slice::Iter<'a, Coin>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Coins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl FromStr for Coins {
    type Err = TypesError;
    /// Comma-separated coins: `100ufrx,5uusd`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Coins::new(
            s.split(',')
                .filter(|p| !p.trim().is_empty())
                .map(str::parse)
                .collect::<Result<_, _>>()?,
        )
    }
}

impl<'de> serde::Deserialize<'de> for Coins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = Vec::<Coin>::deserialize(d)?;
        Coins::new(list).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn a_decimal_amount_is_refused_with_how_to_write_it() {
        let e = "1.5frx".parse::<Coin>().unwrap_err();
        assert!(matches!(e, TypesError::DecimalAmount { .. }), "{e:?}");
        assert!(e.to_string().contains("1500000ufrx"), "{e}");
        assert!(matches!(
            "1.5frx,2ufrx".parse::<Coins>(),
            Err(TypesError::DecimalAmount { .. })
        ));
        // A denom may not start with '.', so this stays an invalid denom.
        assert!(matches!(
            "1.frx".parse::<Coin>(),
            Err(TypesError::InvalidDenom { .. })
        ));
    }

    #[test]
    fn coin_strings_parse() {
        let c: Coin = "100ufrx".parse().unwrap();
        assert_eq!(c.amount, Amount::new(100));
        assert_eq!(c.denom.as_str(), "ufrx");
        assert!("ufrx".parse::<Coin>().is_err());
        assert!("100".parse::<Coin>().is_err());
        let cs: Coins = "5uusd,100ufrx".parse().unwrap();
        assert_eq!(cs.to_string(), "100ufrx,5uusd");
        assert_eq!(cs.amount_of(&"uusd".parse().unwrap()), Amount::new(5));
        assert!(matches!(
            "1ufrx,2ufrx".parse::<Coins>(),
            Err(TypesError::DuplicateDenom { .. })
        ));
        assert!(matches!(
            "0ufrx".parse::<Coins>(),
            Err(TypesError::ZeroAmount { .. })
        ));
    }
}
