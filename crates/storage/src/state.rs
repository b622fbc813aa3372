//! The read and write traits every component uses to touch state.
//!
//! Keys are raw bytes built by each module's `state_key.rs`; values are
//! borsh. The provided `get`/`prefix`/`put` methods are the only place the
//! encoding is chosen.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::error::{Result, StorageError};

/// Read access to state.
pub trait StateRead {
    /// The raw value at `key`, if any.
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;

    /// Entries whose key starts with `prefix`, in ascending key order,
    /// strictly after `start_after` if given, at most `limit` entries.
    /// Overlay writes and deletes are honoured.
    fn prefix_raw(
        &self,
        prefix: &[u8],
        start_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>>;

    /// The borsh-decoded value at `key`; a decode failure names the key.
    fn get<T: BorshDeserialize>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.get_raw(key)? {
            None => Ok(None),
            Some(bytes) => decode(key, &bytes).map(Some),
        }
    }

    /// Like [`StateRead::prefix_raw`], with each value borsh-decoded.
    fn prefix<T: BorshDeserialize>(
        &self,
        prefix: &[u8],
        start_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, T)>> {
        self.prefix_raw(prefix, start_after, limit)?
            .into_iter()
            .map(|(key, bytes)| {
                let value = decode(&key, &bytes)?;
                Ok((key, value))
            })
            .collect()
    }
}

/// Write access to state (always through an overlay, never the database).
pub trait StateWrite: StateRead {
    /// Sets `key` to the raw `value`.
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>);

    /// Deletes `key`.
    fn delete(&mut self, key: Vec<u8>);

    /// Sets `key` to the borsh encoding of `value`.
    fn put<T: BorshSerialize>(&mut self, key: Vec<u8>, value: &T) -> Result<()> {
        let bytes = borsh::to_vec(value).map_err(|err| StorageError::Encode {
            key: hex::encode(&key),
            message: err.to_string(),
        })?;
        self.put_raw(key, bytes);
        Ok(())
    }

    /// Adds `amount` to the borsh `u128` counter at `key` (an absent key
    /// counts as 0). Returns `Ok(false)` and writes nothing if the sum
    /// would overflow; `amount == 0` writes nothing.
    ///
    /// A counter that many transactions only add to (a fee collector's or
    /// a platform's balance) must be credited through this method, not a
    /// read then a write: an overlay that executes transactions in
    /// parallel ([`crate::Speculative`]) records it as a commutative
    /// addition, so two transactions crediting the same account do not
    /// conflict.
    fn add_u128(&mut self, key: Vec<u8>, amount: u128) -> Result<bool> {
        if amount == 0 {
            return Ok(true);
        }
        let have = self.get::<u128>(&key)?.unwrap_or(0);
        match have.checked_add(amount) {
            Some(sum) => {
                self.put(key, &sum)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Subtracts `amount` from the borsh `u128` counter at `key` (an
    /// absent key counts as 0; a counter that reaches 0 is deleted).
    /// Returns `Ok(false)` and writes nothing if the counter holds less;
    /// `amount == 0` writes nothing.
    ///
    /// The debit twin of [`StateWrite::add_u128`]: a
    /// [`crate::Speculative`] overlay records it as a commutative
    /// subtraction, and its caller checks before keeping it that the
    /// counter covered every group's subtractions (so each one succeeds in
    /// any order).
    fn sub_u128(&mut self, key: Vec<u8>, amount: u128) -> Result<bool> {
        if amount == 0 {
            return Ok(true);
        }
        let have = self.get::<u128>(&key)?.unwrap_or(0);
        match have.checked_sub(amount) {
            Some(0) => {
                self.delete(key);
                Ok(true)
            }
            Some(left) => {
                self.put(key, &left)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

/// An overlay with nested write layers: one per transaction (and per
/// message batch within it), kept if it succeeds and dropped if not.
pub trait Checkpoints: StateWrite {
    /// Pushes a new write layer.
    fn checkpoint(&mut self);
    /// Folds the top layer into the one below (the step succeeded).
    fn apply_checkpoint(&mut self);
    /// Drops the top layer and its writes (the step failed).
    fn discard_checkpoint(&mut self);
}

fn decode<T: BorshDeserialize>(key: &[u8], bytes: &[u8]) -> Result<T> {
    borsh::from_slice(bytes).map_err(|err| StorageError::Decode {
        key: hex::encode(key),
        message: err.to_string(),
    })
}
