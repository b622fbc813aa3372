//! The Fructus keyring: named keys stored under `--home`, one JSON file per
//! key. The node (its home and operator keys), the CLI and tests use it; it
//! knows nothing of transactions or the network.
//!
//! Layout: `<home>/keyring-file/<name>.json` for the [`KeyringBackend::File`]
//! backend (secret encrypted with argon2id + XChaCha20-Poly1305, see
//! [`KdfParams`]), `<home>/keyring-test/<name>.json` for the
//! [`KeyringBackend::Test`] backend (secret in clear, marked
//! `"warning": "unencrypted test keyring"`). Directories are created 0700 and
//! files 0600 on unix. Names are `[A-Za-z0-9_.-]{1,64}`.
//!
//! Every file also holds the key's name, algorithm, address and public key in
//! clear, so [`Keyring::list`] and [`Keyring::show`] need no passphrase. In
//! the file backend that metadata is the associated data of the encryption,
//! so it cannot be swapped between files; on every load the address must
//! derive from the public key, and on unlock the secret must derive the
//! public key, or the file is refused as corrupt.
//!
//! ed25519 keys created by [`Keyring::add`] come from a fresh 24-word BIP-39
//! mnemonic, derived along [`HD_PATH`] (`m/44'/7777'/0'/0'/0'`); P-256 keys
//! are random and have no mnemonic.
//!
//! Must never: write a secret unencrypted outside the test backend,
//! overwrite an existing key, or turn a name into a path outside its directory.

mod crypto;
mod derive;
mod error;
mod key_file;
mod name;

use std::{
    fmt,
    fs::{self, OpenOptions},
    io::{self, Write as _},
    path::{Path, PathBuf},
};

use fructus_crypto::{Address, KeyAlgo, PublicKey, SigningKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use crypto::KdfParams;
pub use derive::{COIN_TYPE, HD_PATH, derive_ed25519_from_mnemonic};
pub use error::KeyringError;

use key_file::{KeyFile, RecordError};
use name::validate_name;

/// Where keys are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyringBackend {
    /// Encrypted with a passphrase: `<home>/keyring-file/`.
    File,
    /// Unencrypted, for devnets and scripts only: `<home>/keyring-test/`.
    Test,
}

impl KeyringBackend {
    /// The directory name under the home directory.
    pub const fn dir_name(self) -> &'static str {
        match self {
            KeyringBackend::File => "keyring-file",
            KeyringBackend::Test => "keyring-test",
        }
    }

    /// Lower-case name, as on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            KeyringBackend::File => "file",
            KeyringBackend::Test => "test",
        }
    }
}

impl fmt::Display for KeyringBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The public facts about a stored key. Serializes as
/// `{"name","algo","address","pubkey"}` with `pubkey` in hex; reading it back
/// checks that the public key is of `algo` and derives `address`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "KeyInfoJson", into = "KeyInfoJson")]
pub struct KeyInfo {
    /// The key's name in the keyring.
    pub name: String,
    /// The key's algorithm.
    pub algo: KeyAlgo,
    /// The account address of the key.
    pub address: Address,
    /// The public key (hex in JSON).
    pub pubkey: PublicKey,
}

/// Wire form of [`KeyInfo`].
#[derive(Serialize, Deserialize)]
struct KeyInfoJson {
    name: String,
    algo: KeyAlgo,
    address: Address,
    pubkey: String,
}

impl From<KeyInfo> for KeyInfoJson {
    fn from(info: KeyInfo) -> Self {
        KeyInfoJson {
            name: info.name,
            algo: info.algo,
            address: info.address,
            pubkey: info.pubkey.to_hex(),
        }
    }
}

impl TryFrom<KeyInfoJson> for KeyInfo {
    type Error = String;

    fn try_from(json: KeyInfoJson) -> Result<Self, Self::Error> {
        let bytes = hex::decode(&json.pubkey).map_err(|e| format!("pubkey is not hex: {e}"))?;
        let pubkey = PublicKey::from_bytes(json.algo, &bytes).map_err(|e| e.to_string())?;
        if pubkey.address() != json.address {
            return Err(format!(
                "address {} does not derive from pubkey {}",
                json.address, json.pubkey
            ));
        }
        Ok(KeyInfo {
            name: json.name,
            algo: json.algo,
            address: json.address,
            pubkey,
        })
    }
}

/// A keyring directory under a home directory. Cheap to open: nothing is
/// created until a key is stored.
#[derive(Debug, Clone)]
pub struct Keyring {
    home: PathBuf,
    dir: PathBuf,
    backend: KeyringBackend,
    kdf: KdfParams,
}

impl Keyring {
    /// Opens the `backend` keyring under `home`. Fails if the keyring path
    /// exists and is not a directory.
    pub fn open(home: &Path, backend: KeyringBackend) -> Result<Keyring, KeyringError> {
        let dir = home.join(backend.dir_name());
        match fs::metadata(&dir) {
            Ok(meta) if !meta.is_dir() => {
                return Err(KeyringError::Io {
                    action: "use as the keyring directory",
                    path: dir,
                    source: io::Error::new(io::ErrorKind::AlreadyExists, "not a directory"),
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(KeyringError::Io {
                    action: "inspect",
                    path: dir,
                    source,
                });
            }
        }
        Ok(Keyring {
            home: home.to_path_buf(),
            dir,
            backend,
            kdf: KdfParams::RECOMMENDED,
        })
    }

    /// Uses `params` for keys encrypted from now on (files already written
    /// keep their own). Tests use cheap parameters; the default is
    /// [`KdfParams::RECOMMENDED`].
    pub fn with_kdf_params(mut self, params: KdfParams) -> Result<Keyring, KeyringError> {
        params.validate()?;
        self.kdf = params;
        Ok(self)
    }

    /// The backend.
    pub fn backend(&self) -> KeyringBackend {
        self.backend
    }

    /// The directory holding the key files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether a key named `name` is stored.
    pub fn contains(&self, name: &str) -> Result<bool, KeyringError> {
        let path = self.path_of(name)?;
        match fs::symlink_metadata(&path) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(KeyringError::Io {
                action: "inspect",
                path,
                source,
            }),
        }
    }

    /// Checks that `name` is valid and free, so a caller can refuse early,
    /// before asking for a mnemonic or a passphrase.
    pub fn check_new_name(&self, name: &str) -> Result<(), KeyringError> {
        let path = self.path_of(name)?;
        if self.contains(name)? {
            return Err(KeyringError::KeyExists {
                name: name.to_owned(),
                path,
            });
        }
        Ok(())
    }

    /// Creates a key. ed25519 keys come from a fresh 24-word mnemonic, which
    /// is returned so the user can write it down; P-256 keys are random and
    /// return no mnemonic. `passphrase` is required by the file backend.
    pub fn add(
        &self,
        name: &str,
        algo: KeyAlgo,
        passphrase: Option<&str>,
    ) -> Result<(KeyInfo, Option<Zeroizing<String>>), KeyringError> {
        self.check_can_store(name, passphrase)?;
        match algo {
            KeyAlgo::Ed25519 => {
                let mnemonic = derive::generate_mnemonic()?;
                let words = Zeroizing::new(mnemonic.to_string());
                let key = derive_ed25519_from_mnemonic(&words)?;
                let info = self.store(name, &key, passphrase)?;
                Ok((info, Some(words)))
            }
            KeyAlgo::P256 => {
                let key = SigningKey::generate(KeyAlgo::P256);
                Ok((self.store(name, &key, passphrase)?, None))
            }
        }
    }

    /// Stores the ed25519 key of `mnemonic` (see [`derive_ed25519_from_mnemonic`]).
    pub fn recover(
        &self,
        name: &str,
        mnemonic: &str,
        passphrase: Option<&str>,
    ) -> Result<KeyInfo, KeyringError> {
        self.check_can_store(name, passphrase)?;
        let key = derive_ed25519_from_mnemonic(mnemonic)?;
        self.store(name, &key, passphrase)
    }

    /// Stores a key of `algo` given its 32 secret bytes.
    pub fn import_secret(
        &self,
        name: &str,
        algo: KeyAlgo,
        secret: &[u8; 32],
        passphrase: Option<&str>,
    ) -> Result<KeyInfo, KeyringError> {
        self.check_can_store(name, passphrase)?;
        let key = SigningKey::from_seed(algo, secret)
            .map_err(|source| KeyringError::InvalidSecret { source })?;
        self.store(name, &key, passphrase)
    }

    /// Like [`Keyring::import_secret`], from 64 hex characters (surrounding
    /// whitespace ignored).
    pub fn import_secret_hex(
        &self,
        name: &str,
        algo: KeyAlgo,
        secret_hex: &str,
        passphrase: Option<&str>,
    ) -> Result<KeyInfo, KeyringError> {
        let mut secret = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(secret_hex.trim(), secret.as_mut()).map_err(|e| {
            KeyringError::InvalidSecretHex {
                reason: e.to_string(),
            }
        })?;
        self.import_secret(name, algo, &secret, passphrase)
    }

    /// The key encrypted under `passphrase`, as JSON ("armor") that
    /// [`Keyring::import_armor`] reads back. In the file backend `passphrase`
    /// must also be the key's keyring passphrase.
    pub fn export_armor(&self, name: &str, passphrase: &str) -> Result<String, KeyringError> {
        if passphrase.is_empty() {
            return Err(KeyringError::PassphraseRequired {
                name: name.to_owned(),
            });
        }
        let key = self.signing_key(name, Some(passphrase))?;
        KeyFile::encrypted(name, &key, passphrase, self.kdf)?.to_json()
    }

    /// Stores the key of an armor made by [`Keyring::export_armor`] under
    /// `name`. `passphrase` decrypts the armor and, in the file backend, also
    /// encrypts the stored key.
    pub fn import_armor(
        &self,
        name: &str,
        armor: &str,
        passphrase: &str,
    ) -> Result<KeyInfo, KeyringError> {
        self.check_can_store(name, Some(passphrase))?;
        let record = KeyFile::from_json(armor).map_err(|e| armor_error(e, name))?;
        if !record.is_encrypted() {
            return Err(KeyringError::InvalidArmor {
                reason: "it holds no encrypted secret".to_owned(),
            });
        }
        let key = record
            .unlock(Some(passphrase))
            .map_err(|e| armor_error(e, &record.name))?;
        self.store(name, &key, Some(passphrase))
    }

    /// The raw secret of a key as hex. Whoever sees it controls the account.
    pub fn export_secret_hex(
        &self,
        name: &str,
        passphrase: Option<&str>,
    ) -> Result<Zeroizing<String>, KeyringError> {
        let key = self.signing_key(name, passphrase)?;
        Ok(Zeroizing::new(hex::encode(key.secret_bytes().as_ref())))
    }

    /// All keys, sorted by name. Fails on the first corrupt file.
    pub fn list(&self) -> Result<Vec<KeyInfo>, KeyringError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(KeyringError::Io {
                    action: "read the keyring directory",
                    path: self.dir.clone(),
                    source,
                });
            }
        };
        let mut keys = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| KeyringError::Io {
                action: "read the keyring directory",
                path: self.dir.clone(),
                source,
            })?;
            let file_name = entry.file_name();
            let Some(name) = file_name
                .to_str()
                .and_then(|f| f.strip_suffix(".json"))
                .filter(|n| validate_name(n).is_ok())
            else {
                continue;
            };
            keys.push(self.load(name)?.1);
        }
        keys.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(keys)
    }

    /// The public facts about a key (no passphrase needed).
    pub fn show(&self, name: &str) -> Result<KeyInfo, KeyringError> {
        Ok(self.load(name)?.1)
    }

    /// Removes a key for good and returns what it was.
    pub fn delete(&self, name: &str) -> Result<KeyInfo, KeyringError> {
        let path = self.path_of(name)?;
        // Loading first means a typo or a foreign file is reported, not removed.
        let (_, info) = self.load(name)?;
        fs::remove_file(&path).map_err(|source| KeyringError::Io {
            action: "delete",
            path,
            source,
        })?;
        Ok(info)
    }

    /// Unlocks a key for signing. `passphrase` is required by the file
    /// backend and ignored by the test backend.
    pub fn signing_key(
        &self,
        name: &str,
        passphrase: Option<&str>,
    ) -> Result<SigningKey, KeyringError> {
        let (record, _) = self.load(name)?;
        record
            .unlock(passphrase)
            .map_err(|e| self.record_error(e, name))
    }

    fn path_of(&self, name: &str) -> Result<PathBuf, KeyringError> {
        validate_name(name)?;
        Ok(self.dir.join(format!("{name}.json")))
    }

    /// Reads and checks a key file's metadata and that it belongs here.
    fn load(&self, name: &str) -> Result<(KeyFile, KeyInfo), KeyringError> {
        let path = self.path_of(name)?;
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(KeyringError::KeyNotFound {
                    name: name.to_owned(),
                    home: self.home.clone(),
                    backend: self.backend,
                });
            }
            Err(source) => {
                return Err(KeyringError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        let record = KeyFile::from_json(&text).map_err(|e| self.record_error(e, name))?;
        let info = record.info().map_err(|e| self.record_error(e, name))?;
        if record.name != name {
            return Err(self.corrupt(name, format!("it holds key {:?}", record.name)));
        }
        let want_encrypted = self.backend == KeyringBackend::File;
        if record.is_encrypted() != want_encrypted {
            return Err(self.corrupt(
                name,
                format!(
                    "it holds an {} key but this is the {} keyring",
                    if record.is_encrypted() {
                        "encrypted"
                    } else {
                        "unencrypted"
                    },
                    self.backend
                ),
            ));
        }
        Ok((record, info))
    }

    fn corrupt(&self, name: &str, reason: String) -> KeyringError {
        KeyringError::CorruptKeyFile {
            path: self.dir.join(format!("{name}.json")),
            reason,
        }
    }

    fn record_error(&self, e: RecordError, name: &str) -> KeyringError {
        match e {
            RecordError::WrongPassphrase => KeyringError::WrongPassphrase {
                name: name.to_owned(),
            },
            RecordError::Version(found) => KeyringError::UnsupportedVersion {
                path: self.dir.join(format!("{name}.json")),
                found,
                supported: key_file::FORMAT_VERSION,
            },
            RecordError::Corrupt(reason) => self.corrupt(name, reason),
            RecordError::Other(e) => e,
        }
    }

    /// Cheap checks before any expensive work (argon2) or user interaction.
    fn check_can_store(&self, name: &str, passphrase: Option<&str>) -> Result<(), KeyringError> {
        validate_name(name)?;
        if self.backend == KeyringBackend::File && passphrase.is_none_or(str::is_empty) {
            return Err(KeyringError::PassphraseRequired {
                name: name.to_owned(),
            });
        }
        self.check_new_name(name)
    }

    /// Writes a new key file; never overwrites.
    fn store(
        &self,
        name: &str,
        key: &SigningKey,
        passphrase: Option<&str>,
    ) -> Result<KeyInfo, KeyringError> {
        self.check_can_store(name, passphrase)?;
        let record = match (self.backend, passphrase) {
            (KeyringBackend::File, Some(passphrase)) => {
                KeyFile::encrypted(name, key, passphrase, self.kdf)?
            }
            (KeyringBackend::File, None) => {
                return Err(KeyringError::PassphraseRequired {
                    name: name.to_owned(),
                });
            }
            (KeyringBackend::Test, _) => KeyFile::unencrypted(name, key),
        };
        let info = record.info().map_err(|e| self.record_error(e, name))?;
        let text = Zeroizing::new(record.to_json()?);
        self.create_dir()?;
        let path = self.path_of(name)?;
        write_new_private_file(&path, text.as_bytes()).map_err(|source| {
            if source.kind() == io::ErrorKind::AlreadyExists {
                KeyringError::KeyExists {
                    name: name.to_owned(),
                    path: path.clone(),
                }
            } else {
                KeyringError::Io {
                    action: "write",
                    path: path.clone(),
                    source,
                }
            }
        })?;
        Ok(info)
    }

    fn create_dir(&self) -> Result<(), KeyringError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt as _;
            builder.mode(0o700);
        }
        builder
            .create(&self.dir)
            .map_err(|source| KeyringError::Io {
                action: "create",
                path: self.dir.clone(),
                source,
            })
    }
}

fn armor_error(e: RecordError, name: &str) -> KeyringError {
    match e {
        RecordError::WrongPassphrase => KeyringError::WrongPassphrase {
            name: name.to_owned(),
        },
        RecordError::Version(found) => KeyringError::InvalidArmor {
            reason: format!(
                "format version {found}, this build reads version {}",
                key_file::FORMAT_VERSION
            ),
        },
        RecordError::Corrupt(reason) => KeyringError::InvalidArmor { reason },
        RecordError::Other(e) => e,
    }
}

/// Creates `path` (failing if it exists) with mode 0600 on unix and writes
/// `bytes`; a partly written file is removed. The mode is set by `open`
/// itself, so the file is never readable by others, not even briefly. Key
/// files of the keyring and of the node home, and KYC salt files, are
/// written with it.
pub fn write_new_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(e);
    }
    Ok(())
}
