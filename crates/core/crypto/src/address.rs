use std::{fmt, str::FromStr};

use crate::{CryptoError, PublicKey, sha256};

/// Human-readable prefix of every Fructus address.
pub const ADDRESS_HRP: &str = "fx";
/// Length of an address in bytes.
pub const ADDRESS_LEN: usize = 20;

/// An account address: the first 20 bytes of SHA-256(key-type tag ‖ public
/// key), or of SHA-256("module:" ‖ name) for module accounts. Displayed as
/// bech32 with prefix `fx`.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Address([u8; ADDRESS_LEN]);

impl Address {
    /// Wraps raw address bytes.
    pub const fn from_bytes(bytes: [u8; ADDRESS_LEN]) -> Self {
        Address(bytes)
    }

    /// Parses raw bytes of exactly [`ADDRESS_LEN`].
    pub fn from_slice(bytes: &[u8]) -> Result<Self, CryptoError> {
        let arr: [u8; ADDRESS_LEN] = bytes.try_into().map_err(|_| CryptoError::InvalidAddress {
            input: hex::encode(bytes),
            reason: format!("expected {ADDRESS_LEN} bytes, got {}", bytes.len()),
        })?;
        Ok(Address(arr))
    }

    /// The raw bytes.
    pub const fn as_bytes(&self) -> &[u8; ADDRESS_LEN] {
        &self.0
    }

    /// The address a public key derives to.
    pub fn from_public_key(key: &PublicKey) -> Self {
        let bytes = key.to_bytes();
        let mut preimage = Vec::with_capacity(bytes.len().saturating_add(1));
        preimage.push(key.algo().tag());
        preimage.extend_from_slice(&bytes);
        Self::truncate(sha256(&preimage))
    }

    /// The address of a module account (fee collector, escrow, ...): no key
    /// can sign for it, since its preimage is not a tagged public key.
    pub fn module(name: &str) -> Self {
        let mut preimage = b"module:".to_vec();
        preimage.extend_from_slice(name.as_bytes());
        Self::truncate(sha256(&preimage))
    }

    fn truncate(digest: [u8; 32]) -> Self {
        let mut out = [0u8; ADDRESS_LEN];
        out.copy_from_slice(&digest[..ADDRESS_LEN]);
        Address(out)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = crate::bech32_text::encode(&self.0);
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl FromStr for Address {
    type Err = CryptoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason: String| CryptoError::InvalidAddress {
            input: s.to_owned(),
            reason,
        };
        let (hrp, data) = bech32::decode(s).map_err(|e| {
            invalid(match e {
                // The characters parse but their checksum does not: a typo.
                bech32::DecodeError::Checksum(_) => {
                    "its checksum does not match: a character is mistyped, missing or \
                     swapped (copy the address again)"
                        .to_owned()
                }
                // `DecodeError` is non-exhaustive: anything else is a parse
                // failure too.
                e => format!(
                    "not a bech32 address ({e}): an address is fx1 followed by 38 \
                     characters of qpzry9x8gf2tvdw0s3jn54khce6mua7l"
                ),
            })
        })?;
        if hrp.as_str() != ADDRESS_HRP {
            return Err(invalid(format!(
                "prefix must be {ADDRESS_HRP:?}, got {:?}",
                hrp.as_str()
            )));
        }
        if s.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(invalid("addresses are lower-case".into()));
        }
        Address::from_slice(&data).map_err(|_| {
            invalid(format!(
                "payload must be {ADDRESS_LEN} bytes, got {}",
                data.len()
            ))
        })
    }
}

impl serde::Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Address {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use bech32::{Bech32, Hrp};

    use super::*;
    use crate::{KeyAlgo, SigningKey};

    #[test]
    fn address_roundtrips_through_bech32() {
        let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[7u8; 32]).unwrap();
        let addr = key.public_key().address();
        let text = addr.to_string();
        assert!(text.starts_with("fx1"));
        assert_eq!(text.parse::<Address>().unwrap(), addr);
    }

    #[test]
    fn address_is_tagged_sha256_of_key() {
        let key = SigningKey::from_seed(KeyAlgo::Ed25519, &[7u8; 32]).unwrap();
        let pk = key.public_key();
        let mut pre = vec![1u8];
        pre.extend_from_slice(&pk.to_bytes());
        assert_eq!(pk.address().as_bytes()[..], sha256(&pre)[..20]);
    }

    #[test]
    fn wrong_prefix_and_length_are_refused() {
        let hrp = Hrp::parse("cosmos").unwrap();
        let other = bech32::encode::<Bech32>(hrp, &[0u8; 20]).unwrap();
        assert!(matches!(
            other.parse::<Address>(),
            Err(CryptoError::InvalidAddress { .. })
        ));
        let short = bech32::encode::<Bech32>(Hrp::parse("fx").unwrap(), &[0u8; 19]).unwrap();
        assert!(short.parse::<Address>().is_err());
        assert!("fx1notbech32".parse::<Address>().is_err());
    }

    /// Each way an address can be wrong gets its own reason, so a user
    /// knows whether to fix a typo, a chain or a truncated paste.
    #[test]
    fn a_bad_address_says_whether_checksum_prefix_or_length_is_wrong() {
        let reason = |s: &str| match s.parse::<Address>() {
            Err(CryptoError::InvalidAddress { reason, .. }) => reason,
            other => panic!("{s:?} parsed as {other:?}"),
        };
        let good = Address::module("bank").to_string();
        // One character changed: the checksum catches it.
        let mut typo = good.clone().into_bytes();
        let last = typo.len() - 1;
        typo[last] = if typo[last] == b'q' { b'p' } else { b'q' };
        let typo = String::from_utf8(typo).unwrap();
        assert!(
            reason(&typo).contains("checksum does not match"),
            "{}",
            reason(&typo)
        );
        let cosmos = bech32::encode::<Bech32>(Hrp::parse("cosmos").unwrap(), &[0u8; 20]).unwrap();
        assert!(
            reason(&cosmos).contains("prefix must be \"fx\""),
            "{}",
            reason(&cosmos)
        );
        let short = bech32::encode::<Bech32>(Hrp::parse("fx").unwrap(), &[0u8; 19]).unwrap();
        assert!(
            reason(&short).contains("payload must be 20 bytes, got 19"),
            "{}",
            reason(&short)
        );
        assert!(reason("fx1notbech32!").contains("not a bech32 address"));
    }

    #[test]
    fn module_addresses_differ_from_each_other() {
        assert_ne!(Address::module("fee_collector"), Address::module("bank"));
    }
}
