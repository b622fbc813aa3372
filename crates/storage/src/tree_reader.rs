//! jmt's [`TreeReader`] over redb tables.
//!
//! Generic over [`ReadableTable`] so the same reader serves a read
//! transaction (proofs) and the open tables of a write transaction (commit).
//! jmt's trait forces `anyhow::Result`; errors produced here are
//! [`StorageError`]s wrapped in `anyhow` and recovered by [`from_tree`].

use jmt::storage::{LeafNode, Node, NodeKey, TreeReader};
use jmt::{KeyHash, OwnedValue, Version};
use redb::ReadableTable;

use crate::error::StorageError;
use crate::node_codec::{MAX_BORSH_NODE_LEN, decode_node, node_key};
use crate::tables::{decode_value, value_key};

/// Byte table as stored by this crate.
pub(crate) trait ByteTable: ReadableTable<&'static [u8], &'static [u8]> {}
impl<T: ReadableTable<&'static [u8], &'static [u8]>> ByteTable for T {}

/// Read view of the tree's nodes and values.
pub(crate) struct TreeStore<'a, N, V> {
    nodes: &'a N,
    values: &'a V,
}

impl<'a, N: ByteTable, V: ByteTable> TreeStore<'a, N, V> {
    /// Reader over the `jmt_nodes` and `jmt_values` tables.
    pub(crate) fn new(nodes: &'a N, values: &'a V) -> Self {
        Self { nodes, values }
    }
}

impl<N: ByteTable, V: ByteTable> TreeReader for TreeStore<'_, N, V> {
    fn get_node_option(&self, key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let Some(guard) = self
            .nodes
            .get(node_key(key)?.as_slice())
            .map_err(|err| StorageError::db("reading a tree node", err))?
        else {
            return Ok(None);
        };
        let mut scratch = Vec::with_capacity(MAX_BORSH_NODE_LEN);
        Ok(Some(decode_node(
            key.version(),
            guard.value(),
            &mut scratch,
        )?))
    }

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        let start = value_key(&key_hash.0, max_version);
        let end = value_key(&key_hash.0, 0);
        let mut range = self
            .values
            .range(start.as_slice()..=end.as_slice())
            .map_err(|err| StorageError::db("reading a tree value", err))?;
        let Some(entry) = range.next() else {
            return Ok(None);
        };
        let (key, value) = entry.map_err(|err| StorageError::db("reading a tree value", err))?;
        let decoded = decode_value(value.value()).ok_or_else(|| StorageError::Corrupt {
            table: "jmt_values",
            message: format!("bad value encoding at {}", hex::encode(key.value())),
        })?;
        Ok(decoded)
    }

    /// Only jmt's restore (state sync) calls this; this store does not use
    /// restore, so it reports an error rather than scanning every node.
    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        Err(StorageError::Tree {
            context: "finding the rightmost leaf",
            message: "not supported: only used by jmt restore, which this store does not offer"
                .to_owned(),
        }
        .into())
    }
}

/// Turns an error returned by jmt back into a [`StorageError`], keeping ours
/// when the error originated in [`TreeStore`].
pub(crate) fn from_tree(context: &'static str, err: anyhow::Error) -> StorageError {
    match err.downcast::<StorageError>() {
        Ok(ours) => ours,
        Err(other) => StorageError::Tree {
            context,
            message: format!("{other:#}"),
        },
    }
}
