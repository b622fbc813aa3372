//! Key names: the only strings that become file names in the keyring, so
//! they are restricted to a charset that cannot escape the directory.

use super::KeyringError;

/// Longest accepted key name, in bytes.
pub(crate) const MAX_NAME_LEN: usize = 64;

/// Checks that `name` is 1 to 64 characters of `[A-Za-z0-9_.-]` and is not
/// `.` or `..`.
pub(crate) fn validate_name(name: &str) -> Result<(), KeyringError> {
    let invalid = |reason| KeyringError::InvalidName {
        name: name.to_owned(),
        reason,
    };
    if name.is_empty() {
        return Err(invalid("it is empty"));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(invalid("it is longer than 64 characters"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return Err(invalid("it contains a character that is not allowed"));
    }
    if name == "." || name == ".." {
        return Err(invalid("it names a directory"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;

    #[test]
    fn accepts_the_documented_charset() {
        for ok in ["alice", "A.b-c_9", "x", &"a".repeat(64), "..."] {
            validate_name(ok).unwrap();
        }
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "../x",
            "a b",
            "ümlaut",
            "a\0b",
            &"a".repeat(65),
        ] {
            assert!(
                matches!(validate_name(bad), Err(KeyringError::InvalidName { .. })),
                "{bad:?} was accepted"
            );
        }
    }
}
