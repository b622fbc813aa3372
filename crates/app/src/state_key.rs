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

/// `app/included_at/{height, 8 bytes big-endian}` → `Vec<TxHash>` charged
/// at that height, kept for [`crate::pipeline::window::WINDOW_BLOCKS`]
/// blocks: the committed form of the included-transaction window (the
/// hash → height lookup is rebuilt from these lists in memory, see
/// `pipeline/window.rs`).
pub fn included_at(height: u64) -> Vec<u8> {
    let mut key = b"app/included_at/".to_vec();
    key.extend_from_slice(&height.to_be_bytes());
    key
}
