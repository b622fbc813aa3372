//! Storage keys owned by the app itself (not by a module).

/// `app/chain_id` → `String`, written at genesis.
pub fn chain_id() -> Vec<u8> {
    b"app/chain_id".to_vec()
}

/// `app/genesis_time` → `BlockTime`.
pub fn genesis_time() -> Vec<u8> {
    b"app/genesis_time".to_vec()
}

/// `app/last_block` → `(height, BlockTime)` of the last executed block.
pub fn last_block() -> Vec<u8> {
    b"app/last_block".to_vec()
}

/// `0xff app/included_at/{height, 8 bytes big-endian}` → `Vec<TxHash>`
/// charged at that height, kept for
/// [`crate::pipeline::window::WINDOW_BLOCKS`] blocks: the committed form of
/// the included-transaction window (the hash → height lookup is rebuilt
/// from these lists in memory, see `pipeline/window.rs`). Kept beside the
/// tree ([`fructus_storage::OFF_TREE_PREFIX`]): the tree holds its SHA-256
/// under [`included_digest`].
pub fn included_at(height: u64) -> Vec<u8> {
    let mut key = vec![fructus_storage::OFF_TREE_PREFIX];
    key.extend_from_slice(b"app/included_at/");
    key.extend_from_slice(&height.to_be_bytes());
    key
}

/// `app/included_digest/{height, 8 bytes big-endian}` → `[u8; 32]`, the
/// SHA-256 of the bytes of [`included_at`] at that height: what the app
/// hash commits to of the window.
pub fn included_digest(height: u64) -> Vec<u8> {
    let mut key = b"app/included_digest/".to_vec();
    key.extend_from_slice(&height.to_be_bytes());
    key
}
