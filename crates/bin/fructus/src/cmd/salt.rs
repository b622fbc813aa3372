//! Salt files: the 32-byte salts of KYC-file and record commitments, kept
//! beside the file they salt (`FILE.salt`, 64 hex characters, mode 0600).
//! A commitment proves a file only together with its salt, so the CLI
//! writes the salt where the file's owner will look for it and reads it
//! back from there when verifying.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use fructus_identity::records::SALT_BYTES;

/// `--salt-file`, or `FILE.salt` beside `file` when it was not given.
pub(crate) fn path_for(file: &Path, salt_file: Option<PathBuf>) -> PathBuf {
    salt_file.unwrap_or_else(|| {
        let mut p = file.as_os_str().to_owned();
        p.push(".salt");
        PathBuf::from(p)
    })
}

/// The salt kept in `path`: read when the file exists, else drawn fresh and
/// written there (created 0600, never overwritten).
pub(crate) fn load_or_create(path: &Path, what: &str) -> anyhow::Result<[u8; SALT_BYTES]> {
    if path.exists() {
        return read(path);
    }
    let salt = fructus_identity::records::generate_salt(&mut rand_core::OsRng);
    fructus_keyring::write_new_private_file(path, format!("{}\n", hex::encode(salt)).as_bytes())
        .with_context(|| format!("creating the salt file {}", path.display()))?;
    eprintln!(
        "{what} salt written to {} (keep it with the file: both are needed to prove the file)",
        path.display()
    );
    Ok(salt)
}

/// The salt kept in `path`, which must exist.
pub(crate) fn read(path: &Path) -> anyhow::Result<[u8; SALT_BYTES]> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "reading the salt file {} (pass the salt with --salt HEX or the file with --salt-file)",
            path.display()
        )
    })?;
    parse_hex(&text).with_context(|| {
        format!(
            "{} must hold 64 hex characters (a 32-byte salt)",
            path.display()
        )
    })
}

/// A salt written as 64 hex characters (surrounding whitespace allowed).
pub(crate) fn parse_hex(text: &str) -> Option<[u8; SALT_BYTES]> {
    hex::decode(text.trim()).ok()?.try_into().ok()
}
