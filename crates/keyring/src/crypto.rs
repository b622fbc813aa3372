//! Encryption at rest for the file backend and for exports.
//!
//! argon2id (parameters and a random 16-byte salt stored per file) turns the
//! passphrase into 64 bytes: the first 32 are the XChaCha20-Poly1305 key, the
//! next 16 are stored as a passphrase check value. The 32 secret bytes are
//! encrypted under a random 24-byte nonce, with the key's clear metadata
//! (format version, name, algorithm, public key) as associated data, so
//! swapping the metadata of two files makes decryption fail.
//!
//! The check value only tells "wrong passphrase" apart from "file altered"
//! (an attacker with the file can test guesses against the AEAD tag anyway,
//! so it reveals nothing more).
//!
//! Must never: implement a primitive (argon2, chacha20poly1305 and the OS RNG
//! come from their crates), or accept parameters so large that a hostile
//! file can exhaust memory.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use fructus_crypto::KeyAlgo;
use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

use super::KeyringError;

/// Name of the KDF recorded in files.
pub(crate) const KDF_NAME: &str = "argon2id";
/// Name of the cipher recorded in files.
pub(crate) const CIPHER_NAME: &str = "xchacha20poly1305";
/// Salt length written to new files.
const SALT_LEN: usize = 16;
/// Accepted salt lengths when reading.
const SALT_LEN_RANGE: std::ops::RangeInclusive<usize> = 16..=64;
/// Nonce length of XChaCha20-Poly1305.
const NONCE_LEN: usize = 24;
/// Length of the stored passphrase check value.
const CHECK_LEN: usize = 16;
/// Ciphertext length: 32 secret bytes plus the 16-byte tag.
const CIPHERTEXT_LEN: usize = 48;
/// Largest memory cost accepted from a file (1 GiB).
const MAX_M_COST_KIB: u32 = 1 << 20;
/// Largest pass count accepted from a file.
const MAX_T_COST: u32 = 64;
/// Largest parallelism accepted from a file.
const MAX_P_COST: u32 = 16;

/// argon2id cost parameters, recorded in every encrypted file so they can be
/// raised later without breaking old files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub m_cost_kib: u32,
    /// Number of passes.
    pub t_cost: u32,
    /// Degree of parallelism.
    pub p_cost: u32,
}

impl KdfParams {
    /// RFC 9106's second recommended argon2id setting (64 MiB, 3 passes,
    /// 4 lanes), used for every new file. Files written with the earlier
    /// default (19 MiB, 2 passes, 1 lane) still open: each file records the
    /// parameters it was sealed with.
    pub const RECOMMENDED: KdfParams = KdfParams {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 4,
    };

    /// Checks the parameters are accepted by argon2 and by this keyring's
    /// upper bounds (1 GiB, 64 passes, 16 lanes).
    pub fn validate(self) -> Result<(), KeyringError> {
        self.argon2().map(|_| ())
    }

    fn argon2(self) -> Result<Argon2<'static>, KeyringError> {
        let invalid = |reason: String| KeyringError::InvalidKdfParams {
            m_cost_kib: self.m_cost_kib,
            t_cost: self.t_cost,
            p_cost: self.p_cost,
            reason,
        };
        if self.m_cost_kib > MAX_M_COST_KIB || self.t_cost > MAX_T_COST || self.p_cost > MAX_P_COST
        {
            return Err(invalid(format!(
                "the keyring accepts at most m_cost_kib={MAX_M_COST_KIB}, t_cost={MAX_T_COST}, p_cost={MAX_P_COST}"
            )));
        }
        let key_and_check_len = 32usize.saturating_add(CHECK_LEN);
        let params = Params::new(
            self.m_cost_kib,
            self.t_cost,
            self.p_cost,
            Some(key_and_check_len),
        )
        .map_err(|e| invalid(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::RECOMMENDED
    }
}

/// How a passphrase-encrypted secret is stored (hex fields).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Encrypted {
    /// The KDF and its parameters.
    pub(crate) kdf: KdfSection,
    /// The cipher and its inputs.
    pub(crate) cipher: CipherSection,
}

/// KDF section of an encrypted key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct KdfSection {
    /// Always [`KDF_NAME`].
    pub(crate) algorithm: String,
    /// argon2 version number (19 = 0x13).
    pub(crate) version: u32,
    /// Cost parameters.
    #[serde(flatten)]
    pub(crate) params: KdfParams,
    /// Random salt, hex.
    pub(crate) salt: String,
    /// Passphrase check value, hex (bytes 32..48 of the argon2 output).
    pub(crate) check: String,
}

/// Cipher section of an encrypted key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CipherSection {
    /// Always [`CIPHER_NAME`].
    pub(crate) algorithm: String,
    /// Random nonce, hex.
    pub(crate) nonce: String,
    /// Encrypted secret followed by the tag, hex.
    pub(crate) ciphertext: String,
}

/// Why an encrypted secret did not open.
#[derive(Debug)]
pub(crate) enum OpenError {
    /// The passphrase check value does not match.
    WrongPassphrase,
    /// The record is malformed or was altered (the reason says how).
    Corrupt(String),
    /// Anything else, already typed.
    Other(KeyringError),
}

/// Fills `buf` from the operating system's RNG.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), KeyringError> {
    rand_core::OsRng
        .try_fill_bytes(buf)
        .map_err(|e| KeyringError::Randomness {
            reason: e.to_string(),
        })
}

/// Encrypts `secret` under `passphrase`, binding `aad`.
pub(crate) fn seal(
    secret: &[u8; 32],
    passphrase: &str,
    params: KdfParams,
    aad: &[u8],
) -> Result<Encrypted, KeyringError> {
    let mut salt = [0u8; SALT_LEN];
    fill_random(&mut salt)?;
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let derived = derive(params, passphrase, &salt)?;
    let cipher = cipher(&derived)?;
    let ciphertext = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: secret, aad })
        .map_err(|e| KeyringError::Crypto {
            reason: format!("XChaCha20-Poly1305 encryption: {e}"),
        })?;
    Ok(Encrypted {
        kdf: KdfSection {
            algorithm: KDF_NAME.to_owned(),
            version: u32::from(Version::V0x13),
            params,
            salt: hex::encode(salt),
            check: hex::encode(&derived[32..]),
        },
        cipher: CipherSection {
            algorithm: CIPHER_NAME.to_owned(),
            nonce: hex::encode(nonce),
            ciphertext: hex::encode(ciphertext),
        },
    })
}

/// Decrypts a record made by [`seal`] with the same `aad`.
pub(crate) fn open(
    record: &Encrypted,
    passphrase: &str,
    aad: &[u8],
) -> Result<Zeroizing<[u8; 32]>, OpenError> {
    let corrupt = |s: String| OpenError::Corrupt(s);
    if record.kdf.algorithm != KDF_NAME || record.kdf.version != u32::from(Version::V0x13) {
        return Err(corrupt(format!(
            "unknown KDF {} version {} (expected {KDF_NAME} version 19)",
            record.kdf.algorithm, record.kdf.version
        )));
    }
    if record.cipher.algorithm != CIPHER_NAME {
        return Err(corrupt(format!(
            "unknown cipher {} (expected {CIPHER_NAME})",
            record.cipher.algorithm
        )));
    }
    let salt = decode_hex("kdf.salt", &record.kdf.salt, None)?;
    if !SALT_LEN_RANGE.contains(&salt.len()) {
        return Err(corrupt(format!(
            "kdf.salt must be 16 to 64 bytes, got {}",
            salt.len()
        )));
    }
    let check = decode_hex("kdf.check", &record.kdf.check, Some(CHECK_LEN))?;
    let nonce: [u8; NONCE_LEN] = decode_hex("cipher.nonce", &record.cipher.nonce, Some(NONCE_LEN))?
        .try_into()
        .map_err(|_| corrupt(format!("cipher.nonce must be {NONCE_LEN} bytes")))?;
    let ciphertext = decode_hex(
        "cipher.ciphertext",
        &record.cipher.ciphertext,
        Some(CIPHERTEXT_LEN),
    )?;
    let derived = derive(record.kdf.params, passphrase, &salt).map_err(|e| match e {
        KeyringError::InvalidKdfParams { .. } => corrupt(e.to_string()),
        other => OpenError::Other(other),
    })?;
    if !bool::from(derived[32..].ct_eq(&check)) {
        return Err(OpenError::WrongPassphrase);
    }
    let cipher = cipher(&derived).map_err(OpenError::Other)?;
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad,
                },
            )
            .map_err(|_| {
                corrupt(
                    "the passphrase is right but authentication failed: the ciphertext or the \
                     name/algo/pubkey next to it were altered"
                        .to_owned(),
                )
            })?,
    );
    let mut out = Zeroizing::new([0u8; 32]);
    if plain.len() != out.len() {
        return Err(corrupt(format!(
            "decrypted secret is {} bytes, expected 32",
            plain.len()
        )));
    }
    out.copy_from_slice(&plain);
    Ok(out)
}

/// The associated data binding a key's clear metadata to its ciphertext.
/// Names cannot contain NUL, so the encoding is unambiguous.
pub(crate) fn associated_data(version: u32, name: &str, algo: KeyAlgo, pubkey: &[u8]) -> Vec<u8> {
    format!(
        "fructus-keyring\0{version}\0{name}\0{}\0{}",
        algo.name(),
        hex::encode(pubkey)
    )
    .into_bytes()
}

fn derive(
    params: KdfParams,
    passphrase: &str,
    salt: &[u8],
) -> Result<Zeroizing<[u8; 48]>, KeyringError> {
    let argon2 = params.argon2()?;
    let mut out = Zeroizing::new([0u8; 48]);
    argon2
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| KeyringError::Crypto {
            reason: format!("argon2id: {e}"),
        })?;
    Ok(out)
}

fn cipher(derived: &[u8; 48]) -> Result<XChaCha20Poly1305, KeyringError> {
    XChaCha20Poly1305::new_from_slice(&derived[..32]).map_err(|e| KeyringError::Crypto {
        reason: format!("XChaCha20-Poly1305 key: {e}"),
    })
}

fn decode_hex(field: &str, text: &str, len: Option<usize>) -> Result<Vec<u8>, OpenError> {
    let bytes = hex::decode(text).map_err(|e| OpenError::Corrupt(format!("{field}: {e}")))?;
    match len {
        Some(len) if bytes.len() != len => Err(OpenError::Corrupt(format!(
            "{field} must be {len} bytes, got {}",
            bytes.len()
        ))),
        _ => Ok(bytes),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    const FAST: KdfParams = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    #[test]
    fn seal_open_roundtrip_and_failures() {
        let secret = [42u8; 32];
        let rec = seal(&secret, "pw", FAST, b"aad").unwrap();
        assert_eq!(*open(&rec, "pw", b"aad").unwrap(), secret);
        assert!(matches!(
            open(&rec, "other", b"aad"),
            Err(OpenError::WrongPassphrase)
        ));
        assert!(matches!(
            open(&rec, "pw", b"aad2"),
            Err(OpenError::Corrupt(_))
        ));
    }

    #[test]
    fn hostile_params_are_refused_before_allocating() {
        let mut rec = seal(&[1u8; 32], "pw", FAST, b"").unwrap();
        rec.kdf.params.m_cost_kib = u32::MAX;
        assert!(matches!(open(&rec, "pw", b""), Err(OpenError::Corrupt(_))));
    }

    #[test]
    fn recommended_params_are_valid() {
        KdfParams::RECOMMENDED.validate().unwrap();
    }

    #[test]
    fn new_key_files_cost_at_least_rfc9106_and_old_files_still_open() {
        let p = KdfParams::RECOMMENDED;
        assert!(p.m_cost_kib >= 64 * 1024 && p.t_cost >= 3, "{p:?}");
        let rec = seal(&[7u8; 32], "pw", p, b"aad").unwrap();
        assert_eq!(rec.kdf.params, p, "the cost is recorded in the file");
        assert_eq!(*open(&rec, "pw", b"aad").unwrap(), [7u8; 32]);
        // A file sealed with the earlier default opens with what it records.
        let old = KdfParams {
            m_cost_kib: 19 * 1024,
            t_cost: 2,
            p_cost: 1,
        };
        let rec = seal(&[8u8; 32], "pw", old, b"aad").unwrap();
        assert_eq!(*open(&rec, "pw", b"aad").unwrap(), [8u8; 32]);
    }
}
