//! Mnemonic → ed25519 key derivation.
//!
//! A BIP-39 mnemonic (English word list, empty BIP-39 password) gives a
//! 64-byte seed; SLIP-10 for ed25519 (HMAC-SHA512, hardened children only)
//! derives the key along the fixed path [`HD_PATH`] = `m/44'/7777'/0'/0'/0'`.
//! The same mnemonic therefore always gives the same key, in this and any
//! other SLIP-10 wallet that uses the path.
//!
//! Must never: change the path or coin type (every existing mnemonic would
//! recover a different account), or implement a primitive itself (HMAC and
//! SHA-512 come from the `hmac` and `sha2` crates).

use fructus_crypto::{KeyAlgo, SigningKey};
use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

use super::KeyringError;

/// The SLIP-44 coin type used in [`HD_PATH`].
pub const COIN_TYPE: u32 = 7777;

/// The derivation path of every mnemonic-backed key, `m/44'/7777'/0'/0'/0'`:
/// each index is hardened (SLIP-10 ed25519 has no other kind).
pub const HD_PATH: [u32; 5] = [44, COIN_TYPE, 0, 0, 0];

/// Bit that marks a hardened index.
const HARDENED: u32 = 0x8000_0000;

type HmacSha512 = Hmac<sha2::Sha512>;

/// Derives the ed25519 key of `mnemonic` (English BIP-39, checksum checked;
/// case and extra whitespace are ignored) along [`HD_PATH`].
pub fn derive_ed25519_from_mnemonic(mnemonic: &str) -> Result<SigningKey, KeyringError> {
    let mnemonic = parse_mnemonic(mnemonic)?;
    let seed = Zeroizing::new(mnemonic.to_seed_normalized(""));
    let secret = slip10_ed25519(seed.as_ref(), &HD_PATH)?;
    SigningKey::from_seed(KeyAlgo::Ed25519, &secret)
        .map_err(|source| KeyringError::InvalidSecret { source })
}

/// A fresh random 24-word English mnemonic (256 bits of entropy).
pub(crate) fn generate_mnemonic() -> Result<bip39::Mnemonic, KeyringError> {
    let mut entropy = Zeroizing::new([0u8; 32]);
    super::crypto::fill_random(entropy.as_mut())?;
    let mnemonic =
        bip39::Mnemonic::from_entropy(entropy.as_ref()).map_err(|e| KeyringError::Crypto {
            reason: format!("building a mnemonic from fresh entropy: {e}"),
        })?;
    Ok(mnemonic)
}

/// Parses a mnemonic as typed by a person: trims, lower-cases and collapses
/// whitespace first.
pub(crate) fn parse_mnemonic(text: &str) -> Result<bip39::Mnemonic, KeyringError> {
    let normalized = Zeroizing::new(
        text.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" "),
    );
    bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &normalized).map_err(|e| {
        KeyringError::InvalidMnemonic {
            reason: e.to_string(),
        }
    })
}

/// SLIP-10 ed25519 derivation of `seed` along `path` (every index is
/// hardened; indices must be below 2^31). Returns the 32-byte private key.
pub(crate) fn slip10_ed25519(
    seed: &[u8],
    path: &[u32],
) -> Result<Zeroizing<[u8; 32]>, KeyringError> {
    let mut node = hmac_sha512(b"ed25519 seed", &[seed])?;
    for &index in path {
        if index >= HARDENED {
            return Err(KeyringError::Crypto {
                reason: format!("SLIP-10 index {index} must be below 2^31 (it is hardened here)"),
            });
        }
        let hardened = (index | HARDENED).to_be_bytes();
        let (key, chain_code) = node.split_at(32);
        let child = hmac_sha512(chain_code, &[&[0u8], key, &hardened])?;
        node = child;
    }
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&node[..32]);
    Ok(out)
}

fn hmac_sha512(key: &[u8], parts: &[&[u8]]) -> Result<Zeroizing<[u8; 64]>, KeyringError> {
    let mut mac = HmacSha512::new_from_slice(key).map_err(|e| KeyringError::Crypto {
        reason: format!("HMAC-SHA512 key: {e}"),
    })?;
    for part in parts {
        mac.update(part);
    }
    let mut out = Zeroizing::new([0u8; 64]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    /// SLIP-10 test vector 1 for ed25519 (seed 000102…0f).
    #[test]
    fn slip10_matches_the_published_vector() {
        let seed = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let master = slip10_ed25519(&seed, &[]).unwrap();
        assert_eq!(
            hex::encode(master.as_ref()),
            "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7"
        );
        let child = slip10_ed25519(&seed, &[0]).unwrap();
        assert_eq!(
            hex::encode(child.as_ref()),
            "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3"
        );
        let deep = slip10_ed25519(&seed, &[0, 1, 2, 2, 1_000_000_000]).unwrap();
        assert_eq!(
            hex::encode(deep.as_ref()),
            "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793"
        );
    }

    #[test]
    fn non_hardenable_index_is_refused() {
        assert!(slip10_ed25519(&[0u8; 64], &[HARDENED]).is_err());
    }

    #[test]
    fn mnemonic_parsing_forgives_case_and_spacing_but_not_checksum() {
        let words = "abandon ".repeat(23) + "art";
        let messy = format!("  {}  ", words.to_uppercase().replace(' ', "   "));
        let a = derive_ed25519_from_mnemonic(&words).unwrap();
        let b = derive_ed25519_from_mnemonic(&messy).unwrap();
        assert_eq!(a.public_key(), b.public_key());
        let bad = "abandon ".repeat(24);
        assert!(matches!(
            derive_ed25519_from_mnemonic(&bad),
            Err(KeyringError::InvalidMnemonic { .. })
        ));
    }

    #[test]
    fn generated_mnemonics_have_24_words_and_differ() {
        let a = generate_mnemonic().unwrap();
        let b = generate_mnemonic().unwrap();
        assert_eq!(a.word_count(), 24);
        assert_ne!(a.to_string(), b.to_string());
    }
}
