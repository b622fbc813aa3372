//! The JSON record of one key, as stored in `<home>/keyring-<backend>/<name>.json`
//! and as printed by an export ("armor").
//!
//! Clear metadata (name, algo, address, public key) sits next to the secret
//! so listing keys needs no passphrase. Every load re-checks that the name
//! matches the file, the public key parses and the address derives from it;
//! unlocking also checks that the secret derives the stored public key.

use fructus_crypto::{Address, KeyAlgo, PublicKey, SigningKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{
    KeyInfo, KeyringError,
    crypto::{self, Encrypted, KdfParams, OpenError},
    name::validate_name,
};

/// The format version this build writes and reads.
pub(crate) const FORMAT_VERSION: u32 = 1;
/// The warning carried by every unencrypted (test backend) record.
pub(crate) const TEST_WARNING: &str = "unencrypted test keyring";

/// One stored key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct KeyFile {
    /// Format version, [`FORMAT_VERSION`].
    pub(crate) version: u32,
    /// Key name (equal to the file stem in a keyring).
    pub(crate) name: String,
    /// Key algorithm.
    pub(crate) algo: KeyAlgo,
    /// Address derived from `pubkey`.
    pub(crate) address: String,
    /// Public key, hex.
    pub(crate) pubkey: String,
    /// The secret, encrypted or not.
    #[serde(flatten)]
    pub(crate) secret: StoredSecret,
}

/// How the secret is held.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "lowercase")]
pub(crate) enum StoredSecret {
    /// Passphrase-encrypted (file backend and exports).
    File {
        /// The encrypted secret.
        #[serde(flatten)]
        encrypted: Encrypted,
    },
    /// In clear (test backend).
    Test {
        /// Always [`TEST_WARNING`].
        warning: String,
        /// The 32 secret bytes, hex.
        secret: String,
    },
}

/// Why a record was refused, before the caller says where it came from.
#[derive(Debug)]
pub(crate) enum RecordError {
    /// The passphrase does not unlock it.
    WrongPassphrase,
    /// A newer format.
    Version(u32),
    /// Malformed or inconsistent.
    Corrupt(String),
    /// Already typed.
    Other(KeyringError),
}

impl From<OpenError> for RecordError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::WrongPassphrase => RecordError::WrongPassphrase,
            OpenError::Corrupt(reason) => RecordError::Corrupt(reason),
            OpenError::Other(e) => RecordError::Other(e),
        }
    }
}

impl KeyFile {
    /// An encrypted record of `key` under `passphrase`.
    pub(crate) fn encrypted(
        name: &str,
        key: &SigningKey,
        passphrase: &str,
        params: KdfParams,
    ) -> Result<Self, KeyringError> {
        let public = key.public_key();
        let aad = crypto::associated_data(FORMAT_VERSION, name, key.algo(), &public.to_bytes());
        let encrypted = crypto::seal(&key.secret_bytes(), passphrase, params, &aad)?;
        Ok(Self::with_secret(
            name,
            &public,
            StoredSecret::File { encrypted },
        ))
    }

    /// A clear (test backend) record of `key`.
    pub(crate) fn unencrypted(name: &str, key: &SigningKey) -> Self {
        let secret = Zeroizing::new(hex::encode(key.secret_bytes().as_ref()));
        Self::with_secret(
            name,
            &key.public_key(),
            StoredSecret::Test {
                warning: TEST_WARNING.to_owned(),
                secret: secret.to_string(),
            },
        )
    }

    fn with_secret(name: &str, public: &PublicKey, secret: StoredSecret) -> Self {
        KeyFile {
            version: FORMAT_VERSION,
            name: name.to_owned(),
            algo: public.algo(),
            address: public.address().to_string(),
            pubkey: public.to_hex(),
            secret,
        }
    }

    /// Whether the secret is passphrase-encrypted.
    pub(crate) fn is_encrypted(&self) -> bool {
        matches!(self.secret, StoredSecret::File { .. })
    }

    /// Checks the clear metadata is self-consistent and returns it.
    pub(crate) fn info(&self) -> Result<KeyInfo, RecordError> {
        if self.version != FORMAT_VERSION {
            return Err(RecordError::Version(self.version));
        }
        validate_name(&self.name).map_err(|e| RecordError::Corrupt(e.to_string()))?;
        let bytes = hex::decode(&self.pubkey)
            .map_err(|e| RecordError::Corrupt(format!("pubkey is not hex: {e}")))?;
        let pubkey = PublicKey::from_bytes(self.algo, &bytes)
            .map_err(|e| RecordError::Corrupt(format!("pubkey: {e}")))?;
        let address: Address = self
            .address
            .parse()
            .map_err(|e| RecordError::Corrupt(format!("address: {e}")))?;
        if address != pubkey.address() {
            return Err(RecordError::Corrupt(format!(
                "address {address} does not derive from pubkey {} (which gives {})",
                self.pubkey,
                pubkey.address()
            )));
        }
        Ok(KeyInfo {
            name: self.name.clone(),
            algo: self.algo,
            address,
            pubkey,
        })
    }

    /// Recovers the signing key; `passphrase` is needed for encrypted records
    /// (and ignored for clear ones).
    pub(crate) fn unlock(&self, passphrase: Option<&str>) -> Result<SigningKey, RecordError> {
        let info = self.info()?;
        let secret = match &self.secret {
            StoredSecret::File { encrypted } => {
                let passphrase = match passphrase {
                    Some(p) if !p.is_empty() => p,
                    _ => {
                        return Err(RecordError::Other(KeyringError::PassphraseRequired {
                            name: self.name.clone(),
                        }));
                    }
                };
                let aad = crypto::associated_data(
                    self.version,
                    &self.name,
                    self.algo,
                    &info.pubkey.to_bytes(),
                );
                crypto::open(encrypted, passphrase, &aad)?
            }
            StoredSecret::Test { warning, secret } => {
                if warning != TEST_WARNING {
                    return Err(RecordError::Corrupt(format!(
                        "an unencrypted key must carry \"warning\": {TEST_WARNING:?}"
                    )));
                }
                let bytes = Zeroizing::new(
                    hex::decode(secret)
                        .map_err(|e| RecordError::Corrupt(format!("secret is not hex: {e}")))?,
                );
                let mut out = Zeroizing::new([0u8; 32]);
                if bytes.len() != out.len() {
                    return Err(RecordError::Corrupt(format!(
                        "secret must be 32 bytes, got {}",
                        bytes.len()
                    )));
                }
                out.copy_from_slice(&bytes);
                out
            }
        };
        let key = SigningKey::from_seed(self.algo, &secret)
            .map_err(|e| RecordError::Corrupt(format!("secret: {e}")))?;
        if key.public_key() != info.pubkey {
            return Err(RecordError::Corrupt(format!(
                "the secret derives pubkey {}, not the stored {}",
                key.public_key().to_hex(),
                self.pubkey
            )));
        }
        Ok(key)
    }

    /// Pretty JSON with a trailing newline.
    pub(crate) fn to_json(&self) -> Result<String, KeyringError> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| KeyringError::Crypto {
            reason: format!("encoding the key record: {e}"),
        })?;
        text.push('\n');
        Ok(text)
    }

    /// Parses a record (metadata not yet checked: see [`KeyFile::info`]).
    pub(crate) fn from_json(text: &str) -> Result<Self, RecordError> {
        serde_json::from_str(text)
            .map_err(|e| RecordError::Corrupt(format!("not a key record: {e}")))
    }
}
