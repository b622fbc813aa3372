//! The set of writes produced by executing a block, handed to
//! [`crate::Storage::commit`].

use std::collections::BTreeMap;

/// Sorted map from raw key to its new value (`None` = delete).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    changes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl ChangeSet {
    /// An empty change set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `key` is set to `value`.
    pub fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.changes.insert(key, Some(value));
    }

    /// Records that `key` is deleted.
    pub fn delete(&mut self, key: Vec<u8>) {
        self.changes.insert(key, None);
    }

    /// Number of keys touched.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True if no key is touched.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Changes in ascending key order; `None` means delete.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
        self.changes
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_deref()))
    }
}

impl From<BTreeMap<Vec<u8>, Option<Vec<u8>>>> for ChangeSet {
    fn from(changes: BTreeMap<Vec<u8>, Option<Vec<u8>>>) -> Self {
        Self { changes }
    }
}

impl IntoIterator for ChangeSet {
    type Item = (Vec<u8>, Option<Vec<u8>>);
    type IntoIter = std::collections::btree_map::IntoIter<Vec<u8>, Option<Vec<u8>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.changes.into_iter()
    }
}
