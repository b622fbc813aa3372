//! Layered in-memory overlays over a [`Snapshot`]: the state a block, and
//! each transaction within it, executes on.
//!
//! Layer 0 (block level) always exists. [`StateDelta::checkpoint`] pushes a
//! layer at the start of a transaction; [`StateDelta::apply_checkpoint`]
//! folds it into the layer below when the transaction succeeds and
//! [`StateDelta::discard_checkpoint`] drops it when it fails. Reads look
//! top layer → … → layer 0 → snapshot. Nothing reaches the database until
//! [`StateDelta::into_changes`] is handed to [`crate::Storage::commit`].

use crate::change_set::ChangeSet;
use crate::error::Result;
use crate::merge::{Layer, merge_prefix};
use crate::snapshot::Snapshot;
use crate::state::{Checkpoints, StateRead, StateWrite};

/// A snapshot plus a stack of write overlays.
#[derive(Debug)]
pub struct StateDelta {
    base: Snapshot,
    /// Block-level layer, always present.
    block: Layer,
    /// Transaction layers above it, bottom to top.
    checkpoints: Vec<Layer>,
}

impl StateDelta {
    /// A delta over `base` with one empty (block-level) layer.
    pub fn new(base: Snapshot) -> Self {
        Self {
            base,
            block: Layer::new(),
            checkpoints: Vec::new(),
        }
    }

    /// Pushes a new overlay layer (start of a transaction).
    pub fn checkpoint(&mut self) {
        self.checkpoints.push(Layer::new());
    }

    /// Merges the top layer into the layer below (transaction succeeded).
    /// With only the block-level layer this is a no-op.
    pub fn apply_checkpoint(&mut self) {
        if let Some(top) = self.checkpoints.pop() {
            self.top_mut().extend(top);
        }
    }

    /// Drops the top layer and all its writes (transaction failed). With only
    /// the block-level layer this is a no-op: block-level writes are never
    /// discarded by an unmatched call.
    pub fn discard_checkpoint(&mut self) {
        self.checkpoints.pop();
    }

    /// Number of layers, including the block-level one (so at least 1).
    pub fn depth(&self) -> usize {
        self.checkpoints.len().saturating_add(1)
    }

    /// The version of the snapshot this delta sits on.
    pub fn base_version(&self) -> Option<u64> {
        self.base.version()
    }

    /// All writes of all layers merged (upper layers win), for
    /// [`crate::Storage::commit`].
    pub fn into_changes(self) -> ChangeSet {
        let mut merged = self.block;
        for layer in self.checkpoints {
            merged.extend(layer);
        }
        ChangeSet::from(merged)
    }

    fn top_mut(&mut self) -> &mut Layer {
        match self.checkpoints.last_mut() {
            Some(top) => top,
            None => &mut self.block,
        }
    }

    /// Layers bottom to top.
    fn layers(&self) -> impl DoubleEndedIterator<Item = &Layer> {
        std::iter::once(&self.block).chain(self.checkpoints.iter())
    }
}

impl StateRead for StateDelta {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        for layer in self.layers().rev() {
            if let Some(value) = layer.get(key) {
                return Ok(value.clone());
            }
        }
        self.base.get_raw(key)
    }

    fn prefix_raw(
        &self,
        prefix: &[u8],
        start_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        merge_prefix(
            self.base.range_from(prefix, start_after)?,
            self.layers(),
            prefix,
            start_after,
            limit,
        )
    }
}

impl StateWrite for StateDelta {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.top_mut().insert(key, Some(value));
    }

    fn delete(&mut self, key: Vec<u8>) {
        self.top_mut().insert(key, None);
    }
}

impl Checkpoints for StateDelta {
    fn checkpoint(&mut self) {
        StateDelta::checkpoint(self);
    }

    fn apply_checkpoint(&mut self) {
        StateDelta::apply_checkpoint(self);
    }

    fn discard_checkpoint(&mut self) {
        StateDelta::discard_checkpoint(self);
    }
}
